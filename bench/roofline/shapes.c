/* roofline — GEMM shapes (see shapes.h). */
#include "shapes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From `cltime --device gpu` on opt_mobilenet_v2_synth.x86_opencl.nb:
 * Cout, Cin, output H x W of each distinct pointwise conv, then the fc. */
static const struct {
    int64_t m, k, hw;
} mobilenet_v2[] = {{32, 32, 112},  {16, 32, 112},  {96, 16, 112},  {24, 96, 56},   {144, 24, 56},
                    {32, 144, 28},  {192, 32, 28},  {64, 192, 14},  {384, 64, 14},  {96, 384, 14},
                    {576, 96, 14},  {160, 576, 7},  {960, 160, 7},  {320, 960, 7},  {1280, 320, 7}};

int32_t roofline_mobilenet_v2(roofline_shape *out, int32_t max) {
    int32_t n = 0;
    for (size_t i = 0; i < sizeof mobilenet_v2 / sizeof mobilenet_v2[0] && n < max; i++, n++) {
        roofline_shape *s = &out[n];
        *s = (roofline_shape){.m = mobilenet_v2[i].m, .k = mobilenet_v2[i].k, .h = mobilenet_v2[i].hw,
                              .w = mobilenet_v2[i].hw};
        snprintf(s->name, sizeof s->name, "mbv2 conv1x1 %lldx%lld", (long long)s->h, (long long)s->w);
    }
    if (n < max) out[n++] = (roofline_shape){.name = "mbv2 fc", .fc = true, .m = 1000, .k = 1280, .h = 1, .w = 1};
    return n;
}

static bool parse_dim(const char **p, char end, int64_t *out) {
    char *stop;
    long long v = strtoll(*p, &stop, 10);
    if (stop == *p || *stop != end || v < 1 || v > (1 << 20)) return false;
    *out = v;
    *p = stop + (end != '\0');
    return true;
}

bool roofline_parse_shape(const char *text, roofline_shape *out) {
    roofline_shape s = {.w = 1, .h = 1, .fc = strncmp(text, "fc:", 3) == 0};
    const char *p = s.fc ? text + 3 : text;
    if (!parse_dim(&p, 'x', &s.m) || (!s.fc && !parse_dim(&p, 'x', &s.h)) || !parse_dim(&p, '\0', &s.k)) return false;
    snprintf(s.name, sizeof s.name, "gemm %.40s", text);
    *out = s;
    return true;
}
