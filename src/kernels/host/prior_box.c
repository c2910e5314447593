/* clrun — prior_box and density_prior_box (SSD-style anchor generation).
 *
 * Both follow Paddle-Lite's shared ARM/host generator (backends/arm/math/
 * prior_box.cc), including its integer truncations: min/max/fixed sizes are
 * cut to int before use as box sizes or centre offsets, and the density
 * step average and shift are ints. Output Boxes and Variances are
 * [H, W, num_priors, 4] (x1, y1, x2, y2 normalised by the image size), or
 * [H*W*num_priors, 4] for density_prior_box with flatten_to_2d.
 */
#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "kernels/host/detection.h"

enum { MAX_LIST = 64 };

typedef struct prior_cfg {
    float min_sizes[MAX_LIST], max_sizes[MAX_LIST], ratios[2 * MAX_LIST + 1];
    float fixed_sizes[MAX_LIST], fixed_ratios[MAX_LIST], variances[4];
    int64_t densities[MAX_LIST];
    int32_t nmin, nmax, nratio, nfixed, nfixed_ratio, ndens;
    int img_w, img_h;
    float step_w, step_h, offset;
    bool clip, min_max_order;
} prior_cfg;

/* Reads a float list attribute into out[max]; absent → 0 entries. */
static clr_status read_floats(const clr_node *n, const char *name, float *out, int32_t max, int32_t *count) {
    int32_t c = clr_node_attr_floats(n, name, out, max);
    if (c > max) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "attribute '%s' has %d values, at most %d supported", name, c, max);
    *count = c < 0 ? 0 : c;
    return CLR_OK;
}

/* 1, then each aspect ratio not already present (within 1e-6), followed by
 * its reciprocal when flipping: Paddle's ExpandAspectRatios. */
static int32_t expand_ratios(const float *in, int32_t nin, bool flip, float *out) {
    int32_t n = 0;
    out[n++] = 1.0f;
    for (int32_t i = 0; i < nin; i++) {
        bool seen = false;
        for (int32_t j = 0; j < n && !seen; j++) seen = fabsf(in[i] - out[j]) < 1e-6f;
        if (seen) continue;
        out[n++] = in[i];
        if (flip) out[n++] = 1.0f / in[i];
    }
    return n;
}

/* Attributes common to both ops; image size and steps fall back to the
 * Image input and the feature-map stride when zero. */
static clr_status read_common(const clr_node *n, const clr_tensor *input, const clr_tensor *image, prior_cfg *c) {
    int32_t nvar = 0;
    clr_status st = read_floats(n, "variances", c->variances, 4, &nvar);
    if (st != CLR_OK) return st;
    if (nvar != 4) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'variances' has %d values, expected 4", nvar);
    c->clip = clr_node_attr_bool(n, "clip", true);
    c->offset = clr_node_attr_float(n, "offset", 0.5f);
    c->img_w = (int)clr_node_attr_int(n, "img_w", 0);
    c->img_h = (int)clr_node_attr_int(n, "img_h", 0);
    if (c->img_w == 0 || c->img_h == 0) {
        c->img_w = (int)image->dims[3];
        c->img_h = (int)image->dims[2];
    }
    if (c->img_w <= 0 || c->img_h <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "image size %dx%d is not positive", c->img_w, c->img_h);
    c->step_w = clr_node_attr_float(n, "step_w", 0.0f);
    c->step_h = clr_node_attr_float(n, "step_h", 0.0f);
    if (c->step_w == 0.0f || c->step_h == 0.0f) {
        c->step_w = (float)c->img_w / (float)input->dims[3];
        c->step_h = (float)c->img_h / (float)input->dims[2];
    }
    return CLR_OK;
}

static void put_box(float *o, float cx, float cy, float bw, float bh, const prior_cfg *c) {
    o[0] = (cx - bw / 2.f) / (float)c->img_w;
    o[1] = (cy - bh / 2.f) / (float)c->img_h;
    o[2] = (cx + bw / 2.f) / (float)c->img_w;
    o[3] = (cy + bh / 2.f) / (float)c->img_h;
}

/* Priors of one cell from min/max sizes and expanded aspect ratios. */
static float *cell_min_max(float *o, float cx, float cy, const prior_cfg *c) {
    for (int32_t s = 0; s < c->nmin; s++) {
        int min_size = (int)c->min_sizes[s];
        float *max_box = NULL;
        put_box(o, cx, cy, (float)min_size, (float)min_size, c);
        o += 4;
        if (c->min_max_order && c->nmax > 0) max_box = o, o += 4;
        for (int32_t r = 0; r < c->nratio; r++) {
            float ar = c->ratios[r];
            if (fabsf(ar - 1.0f) < 1e-6f) continue;
            put_box(o, cx, cy, (float)min_size * sqrtf(ar), (float)min_size / sqrtf(ar), c);
            o += 4;
        }
        if (!c->min_max_order && c->nmax > 0) max_box = o, o += 4;
        if (max_box) {
            float side = sqrtf((float)(min_size * (int)c->max_sizes[s]));
            put_box(max_box, cx, cy, side, side, c);
        }
    }
    return o;
}

/* Density priors of one cell: for each fixed size and ratio, a density×density
 * grid of shifted centres spread over the (integer) average step. The
 * generator clamps each coordinate into [0, 1] itself. */
static float *cell_density(float *o, float cx, float cy, const prior_cfg *c) {
    int step_average = (int)((c->step_w + c->step_h) * 0.5f);
    for (int32_t s = 0; s < c->nfixed; s++) {
        int density = (int)c->densities[s];
        int shift = step_average / density;
        for (int32_t r = 0; r < c->nfixed_ratio; r++) {
            float bw = c->fixed_sizes[s] * sqrtf(c->fixed_ratios[r]);
            float bh = c->fixed_sizes[s] / sqrtf(c->fixed_ratios[r]);
            for (int p = 0; p < density; p++) {
                for (int q = 0; q < density; q++) {
                    float tx = cx - (float)step_average / 2.0f + (float)shift / 2.f + (float)(q * shift);
                    float ty = cy - (float)step_average / 2.0f + (float)shift / 2.f + (float)(p * shift);
                    put_box(o, tx, ty, bw, bh, c);
                    o[0] = o[0] >= 0 ? o[0] : 0;
                    o[1] = o[1] >= 0 ? o[1] : 0;
                    o[2] = o[2] <= 1 ? o[2] : 1;
                    o[3] = o[3] <= 1 ? o[3] : 1;
                    o += 4;
                }
            }
        }
    }
    return o;
}

static clr_status generate(clr_node *n, const clr_tensor *input, const prior_cfg *c, int64_t num_priors, bool density,
                           bool flatten) {
    clr_tensor *boxes, *vars;
    clr_status st = clr_node_require_out(n, "Boxes", &boxes);
    if (st == CLR_OK) st = clr_node_require_out(n, "Variances", &vars);
    if (st != CLR_OK) return st;
    int64_t h = input->dims[2], w = input->dims[3];
    int64_t dims[4] = {h, w, num_priors, 4};
    int64_t flat[2] = {h * w * num_priors, 4};
    int32_t nd = flatten ? 2 : 4;
    const int64_t *d = flatten ? flat : dims;
    st = clr_tensor_resize(boxes, CLR_DTYPE_FP32, nd, d, n->err);
    if (st == CLR_OK) st = clr_tensor_resize(vars, CLR_DTYPE_FP32, nd, d, n->err);
    if (st != CLR_OK) return st;
    float *o = boxes->data;
    for (int64_t y = 0; y < h; y++) {
        for (int64_t x = 0; x < w; x++) {
            float cx = ((float)x + c->offset) * c->step_w;
            float cy = ((float)y + c->offset) * c->step_h;
            o = density ? cell_density(o, cx, cy, c) : cell_min_max(o, cx, cy, c);
        }
    }
    int64_t total = h * w * num_priors;
    float *b = boxes->data, *v = vars->data;
    for (int64_t i = 0; i < total * 4; i++) {
        if (c->clip) b[i] = fminf(fmaxf(b[i], 0.0f), 1.0f);
        v[i] = c->variances[i % 4];
    }
    return CLR_OK;
}

static clr_status inputs(clr_node *n, clr_tensor **input, clr_tensor **image) {
    clr_status st = clr_det_input_f32(n, "Input", 4, input);
    if (st != CLR_OK) return st;
    st = clr_node_require_in(n, "Image", image);
    if (st != CLR_OK) return st;
    if ((*image)->ndims != 4)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Image' has %d dims, expected 4", (*image)->ndims);
    return CLR_OK;
}

clr_status clr_k_prior_box(clr_node *n) {
    clr_tensor *input, *image;
    clr_status st = inputs(n, &input, &image);
    if (st != CLR_OK) return st;
    prior_cfg *c = clr_calloc(1, sizeof *c);
    if (!c) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    float raw[MAX_LIST];
    int32_t nraw = 0;
    st = read_common(n, input, image, c);
    if (st == CLR_OK) st = read_floats(n, "min_sizes", c->min_sizes, MAX_LIST, &c->nmin);
    if (st == CLR_OK) st = read_floats(n, "max_sizes", c->max_sizes, MAX_LIST, &c->nmax);
    if (st == CLR_OK) st = read_floats(n, "aspect_ratios", raw, MAX_LIST, &nraw);
    if (st == CLR_OK && c->nmin == 0) st = clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'min_sizes' is empty");
    if (st == CLR_OK && c->nmax != 0 && c->nmax != c->nmin)
        st = clr_node_fail(n, CLR_ERR_FORMAT, "%d max_sizes for %d min_sizes", c->nmax, c->nmin);
    if (st == CLR_OK) {
        c->nratio = expand_ratios(raw, nraw, clr_node_attr_bool(n, "flip", true), c->ratios);
        c->min_max_order = clr_node_attr_bool(n, "min_max_aspect_ratios_order", false);
        int64_t num_priors = (int64_t)c->nratio * c->nmin + c->nmax;
        st = generate(n, input, c, num_priors, false, false);
    }
    free(c);
    return st;
}

clr_status clr_k_density_prior_box(clr_node *n) {
    clr_tensor *input, *image;
    clr_status st = inputs(n, &input, &image);
    if (st != CLR_OK) return st;
    prior_cfg *c = clr_calloc(1, sizeof *c);
    if (!c) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    int32_t nd = -1;
    st = read_common(n, input, image, c);
    if (st == CLR_OK) st = read_floats(n, "fixed_sizes", c->fixed_sizes, MAX_LIST, &c->nfixed);
    if (st == CLR_OK) st = read_floats(n, "fixed_ratios", c->fixed_ratios, MAX_LIST, &c->nfixed_ratio);
    if (st == CLR_OK) {
        nd = clr_node_attr_ints(n, "densities", c->densities, MAX_LIST);
        if (nd < 0) nd = clr_node_attr_ints(n, "density_sizes", c->densities, MAX_LIST);
        c->ndens = nd < 0 ? 0 : nd;
    }
    /* Paddle-Lite's min_sizes and ratio-less variants of this op write past
     * the output they size; only the fixed size × fixed ratio form is sound. */
    if (st == CLR_OK && (c->nfixed == 0 || c->nfixed_ratio == 0))
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "density_prior_box needs non-empty fixed_sizes and fixed_ratios");
    if (st == CLR_OK && c->ndens != c->nfixed)
        st = clr_node_fail(n, CLR_ERR_FORMAT, "%d densities for %d fixed_sizes", nd, c->nfixed);
    int64_t per_ratio = 0;
    for (int32_t s = 0; st == CLR_OK && s < c->nfixed; s++) {
        if (c->densities[s] <= 0 || c->densities[s] > 1024)
            st = clr_node_fail(n, CLR_ERR_FORMAT, "density %lld out of range", (long long)c->densities[s]);
        per_ratio += c->densities[s] * c->densities[s];
    }
    if (st == CLR_OK) st = generate(n, input, c, per_ratio * c->nfixed_ratio, true, clr_node_attr_bool(n, "flatten_to_2d", false));
    free(c);
    return st;
}
