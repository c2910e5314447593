/* Unit tests for src/core/sha256: FIPS 180-4 / NIST test vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sha256.h"

static void expect_digest(const uint8_t digest[CLR_SHA256_SIZE], const char *hex) {
    char got[2 * CLR_SHA256_SIZE + 1];
    clr_sha256_hex(digest, got);
    assert_string_equal(got, hex);
}

static void sha256_matches_standard_vectors(void **state) {
    static const struct {
        const char *text, *hex;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
         "mnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t d[CLR_SHA256_SIZE];
        clr_sha256(vectors[i].text, strlen(vectors[i].text), d);
        expect_digest(d, vectors[i].hex);
    }
}

/* One million 'a', fed in uneven pieces so block boundaries fall mid-update. */
static void sha256_streams_a_million_a(void **state) {
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    clr_sha256_ctx h;
    clr_sha256_init(&h);
    size_t left = 1000000;
    while (left > 0) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        clr_sha256_update(&h, chunk, n);
        left -= n;
    }
    uint8_t d[CLR_SHA256_SIZE];
    clr_sha256_final(&h, d);
    expect_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Message lengths around the 55/56/64-byte padding edges agree with one-shot. */
static void sha256_padding_edges_agree(void **state) {
    uint8_t data[130];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7);
    for (size_t len = 50; len <= sizeof data; len++) {
        uint8_t whole[CLR_SHA256_SIZE], parts[CLR_SHA256_SIZE];
        clr_sha256(data, len, whole);
        clr_sha256_ctx h;
        clr_sha256_init(&h);
        for (size_t i = 0; i < len; i++) clr_sha256_update(&h, data + i, 1);
        clr_sha256_final(&h, parts);
        assert_memory_equal(whole, parts, CLR_SHA256_SIZE);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_matches_standard_vectors),
        cmocka_unit_test(sha256_streams_a_million_a),
        cmocka_unit_test(sha256_padding_edges_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
