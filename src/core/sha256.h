/* clrun — SHA-256 (FIPS 180-4), for content-addressed cache file names and
 * checksums. Small and dependency-free; not constant-time, not for secrets. */
#ifndef CLRUN_CORE_SHA256_H
#define CLRUN_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CLR_SHA256_SIZE 32

typedef struct clr_sha256_ctx {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes waiting in `block` */
} clr_sha256_ctx;

void clr_sha256_init(clr_sha256_ctx *h);
void clr_sha256_update(clr_sha256_ctx *h, const void *data, size_t size);
void clr_sha256_final(clr_sha256_ctx *h, uint8_t digest[CLR_SHA256_SIZE]);

/* One-shot digest of `size` bytes. */
void clr_sha256(const void *data, size_t size, uint8_t digest[CLR_SHA256_SIZE]);
/* Lower-case hex of a digest into `hex` (65 bytes including the NUL). */
void clr_sha256_hex(const uint8_t digest[CLR_SHA256_SIZE], char hex[2 * CLR_SHA256_SIZE + 1]);

#endif /* CLRUN_CORE_SHA256_H */
