/* clrun — local sizes for lws-NULL launches: the tuning file, tuning, the
 * auto rule (see gpu_lws.h). */
#include "kernels/opencl/gpu_lws.h"

#include <stdlib.h>
#include <string.h>

#include "backend/opencl/cl_tuning.h"
#include "core/alloc.h"
#include "core/error.h"

/* Largest divisor of g that is at most limit (at least 1). */
static size_t divisor_at_most(size_t g, size_t limit) {
    for (size_t v = limit < g ? limit : g; v > 1; v--)
        if (g % v == 0) return v;
    return 1;
}

/* Fills lws dimension by dimension (in `order`) with divisors of gws whose
 * product stays within `budget`. */
static void fill(cl_uint dims, const size_t *gws, size_t budget, const int *order, size_t *lws) {
    for (cl_uint d = 0; d < 3; d++) lws[d] = 1;
    for (cl_uint i = 0; i < dims; i++) {
        int d = order[i];
        lws[d] = divisor_at_most(gws[d], budget);
        budget /= lws[d];
    }
}

static const int ORDER_X[3] = {0, 1, 2}, ORDER_Y[3] = {1, 0, 2};

void clr_gpu_lws_auto(size_t compute_units, size_t max_wg, cl_uint dims, const size_t *gws, size_t *lws) {
    size_t total = 1;
    for (cl_uint d = 0; d < dims; d++) total *= gws[d];
    size_t groups = 8 * (compute_units ? compute_units : 1);
    size_t want = total / groups;
    fill(dims, gws, want < 1 ? 1 : want > max_wg ? max_wg : want, ORDER_X, lws);
}

/* Hashes one length-prefixed field. */
static void field(clr_sha256_ctx *h, const void *data, size_t size) {
    uint64_t len = size;
    clr_sha256_update(h, &len, sizeof len);
    clr_sha256_update(h, data, size);
}

static void str_field(clr_sha256_ctx *h, const char *s) { field(h, s, strlen(s)); }

static void attr_field(clr_sha256_ctx *h, const clr_attr *a) {
    static const size_t elem[] = {[CLR_ATTR_INTS] = 4, [CLR_ATTR_FLOATS] = 4, [CLR_ATTR_BOOLEANS] = sizeof(bool),
                                  [CLR_ATTR_BLOCKS] = 4, [CLR_ATTR_LONGS] = 8, [CLR_ATTR_FLOAT64S] = 8};
    str_field(h, a->name);
    field(h, &a->type, sizeof a->type);
    switch (a->type) {
    case CLR_ATTR_STRING: str_field(h, a->v.s ? a->v.s : ""); break;
    case CLR_ATTR_STRINGS:
        for (int32_t i = 0; i < a->count; i++) str_field(h, a->list.strings[i] ? a->list.strings[i] : "");
        break;
    case CLR_ATTR_INTS:
    case CLR_ATTR_FLOATS:
    case CLR_ATTR_BOOLEANS:
    case CLR_ATTR_BLOCKS:
    case CLR_ATTR_LONGS:
    case CLR_ATTR_FLOAT64S: field(h, a->list.ints, (size_t)a->count * elem[a->type]); break;
    case CLR_ATTR_FLOAT: field(h, &a->v.f, sizeof a->v.f); break;
    case CLR_ATTR_BOOLEAN: field(h, &a->v.b, sizeof a->v.b); break;
    case CLR_ATTR_LONG: field(h, &a->v.l, sizeof a->v.l); break;
    case CLR_ATTR_FLOAT64: field(h, &a->v.f64, sizeof a->v.f64); break;
    default: field(h, &a->v.i, sizeof a->v.i); break;
    }
}

static void site_key(const clr_gpu_node *n, const clr_gpu_instance *inst, const clr_gpu_site *site,
                     uint8_t key[CLR_SHA256_SIZE]) {
    clr_sha256_ctx h;
    clr_sha256_init(&h);
    str_field(&h, "clrun launch key 1");
    field(&h, clr_cl_tuning_device_digest(n->cl->tuning), CLR_SHA256_SIZE);
    const clr_op *op = n->node.op;
    str_field(&h, op->type);
    for (int32_t i = 0; i < op->nattrs; i++) attr_field(&h, &op->attrs[i]);
    for (int32_t s = 0; s < n->node.ninputs; s++) {
        const clr_node_slot *slot = &n->node.inputs[s];
        str_field(&h, slot->param);
        for (int32_t a = 0; a < slot->n; a++) {
            const clr_tensor *t = slot->tensors[a];
            int32_t desc[2] = {t ? t->dtype : -1, t ? t->ndims : -1};
            field(&h, desc, sizeof desc);
            if (t) field(&h, t->dims, (size_t)t->ndims * sizeof t->dims[0]);
        }
    }
    str_field(&h, inst->file);
    str_field(&h, inst->name);
    str_field(&h, inst->options);
    uint64_t g[5] = {site->dims, site->gws[0], site->gws[1], site->gws[2], site->flexible};
    field(&h, g, sizeof g);
    clr_sha256_final(&h, key);
}

/* A local size fits when it divides gws (unless the site is flexible) and
 * stays within the kernel's limit; lws[0] = 0 stands for the driver's choice,
 * which a flexible site never had. */
static bool fits(const clr_gpu_instance *inst, const clr_gpu_site *site, const size_t *lws) {
    if (lws[0] == 0) return !site->flexible;
    size_t product = 1;
    for (cl_uint d = 0; d < site->dims; d++) {
        if (lws[d] == 0 || (!site->flexible && site->gws[d] % lws[d] != 0)) return false;
        product *= lws[d];
    }
    cl_uint dims = site->dims;
    for (cl_uint d = dims; d < 3; d++)
        if (lws[d] != 1) return false;
    return product <= inst->max_wg;
}

/* The most work-items clrun puts in a group itself: the kernel's limit, and
 * the profile's preferred_local_size when it names one. */
static size_t own_cap(const clr_cl *cl, const clr_gpu_instance *inst) {
    size_t pref = cl->profile.preferred_local_size;
    return pref && pref < inst->max_wg ? pref : inst->max_wg;
}

/* Adds lws unless present; returns its index. */
static int32_t add_candidate(clr_gpu_tuning *t, const size_t *lws) {
    for (int32_t i = 0; i < t->ncand; i++)
        if (memcmp(t->cand[i], lws, sizeof t->cand[i]) == 0) return i;
    if (t->ncand < CLR_TUNE_MAX_CANDIDATES) memcpy(t->cand[t->ncand++], lws, sizeof t->cand[0]);
    return t->ncand - 1;
}

/* Flexible sites: the default first, then powers of two from 16 up. */
static void flexible_candidates(const clr_cl *cl, const clr_gpu_instance *inst, size_t base, clr_gpu_tuning *t) {
    size_t lws[3] = {base, 1, 1};
    add_candidate(t, lws);
    for (lws[0] = 16; lws[0] <= 1024 && lws[0] <= own_cap(cl, inst); lws[0] *= 2) add_candidate(t, lws);
}

/* The driver's choice first (the baseline), the auto rule, then groups of
 * 16..256 work-items filled from x or from y. */
static void candidates(const clr_cl *cl, const clr_gpu_instance *inst, cl_uint dims, const size_t *gws,
                       clr_gpu_tuning *t) {
    size_t lws[3] = {0, 0, 0};
    add_candidate(t, lws);
    clr_gpu_lws_auto(cl->info.compute_units, own_cap(cl, inst), dims, gws, lws);
    t->auto_index = add_candidate(t, lws);
    for (size_t budget = 16; budget <= 256 && budget <= own_cap(cl, inst); budget *= 2) {
        fill(dims, gws, budget, ORDER_X, lws);
        add_candidate(t, lws);
        if (dims < 2) continue;
        fill(dims, gws, budget, ORDER_Y, lws);
        add_candidate(t, lws);
    }
}

static void set_lws(clr_gpu_site *site, const size_t *lws) { memcpy(site->lws, lws, sizeof site->lws); }

/* The local size of a new site (see gpu_lws.h for the order). */
static clr_status decide(clr_gpu_node *n, clr_gpu_instance *inst, clr_gpu_site *site) {
    clr_cl *cl = n->cl;
    size_t lws[3];
    /* The key is only needed to look up or store (sites come and go as
     * shapes change, so an empty table saves the hashing). */
    bool keyed = cl->tune || clr_cl_tuning_count(cl->tuning) > 0;
    if (keyed) site_key(n, inst, site, site->key);
    if (keyed && clr_cl_tuning_find(cl->tuning, site->key, lws) && fits(inst, site, lws)) {
        site->source = CLR_LWS_TUNED;
        set_lws(site, lws);
        return CLR_OK;
    }
    if (cl->tune) {
        site->tuning = clr_calloc(1, sizeof *site->tuning);
        if (!site->tuning) return clr_error_set(n->node.err, CLR_ERR_NOMEM, "out of memory for tuning");
        if (site->flexible) flexible_candidates(cl, inst, site->flexible, site->tuning);
        else candidates(cl, inst, site->dims, site->gws, site->tuning);
        site->source = CLR_LWS_TUNING;
        set_lws(site, site->tuning->cand[0]);
        return CLR_OK;
    }
    if (site->flexible) {
        size_t base[3] = {site->flexible, 1, 1};
        site->source = CLR_LWS_KERNEL;
        set_lws(site, base);
        return CLR_OK;
    }
    if (cl->profile.auto_local_size) {
        clr_gpu_lws_auto(cl->info.compute_units, own_cap(cl, inst), site->dims, site->gws, lws);
        site->source = CLR_LWS_AUTO;
        set_lws(site, lws);
        return CLR_OK;
    }
    site->source = CLR_LWS_DRIVER;
    memset(site->lws, 0, sizeof site->lws);
    return CLR_OK;
}

clr_status clr_gpu_site_get(clr_gpu_node *n, clr_gpu_instance *inst, cl_uint dims, const size_t *gws,
                            size_t flexible, clr_gpu_site **out) {
    for (int32_t i = 0; i < inst->nsites; i++) {
        clr_gpu_site *s = &inst->sites[i];
        if (s->dims == dims && s->flexible == flexible && memcmp(s->gws, gws, dims * sizeof *gws) == 0) {
            *out = s;
            return CLR_OK;
        }
    }
    int32_t slot = inst->nsites < CLR_GPU_SITES ? inst->nsites++ : inst->next_site++ % CLR_GPU_SITES;
    clr_gpu_site *s = &inst->sites[slot];
    clr_gpu_site_release(s);
    *s = (clr_gpu_site){.dims = dims, .flexible = flexible};
    memcpy(s->gws, gws, dims * sizeof *gws);
    for (cl_uint d = dims; d < 3; d++) s->gws[d] = 1;
    *out = s;
    return decide(n, inst, s);
}

const size_t *clr_gpu_site_lws(const clr_gpu_site *site) { return site->lws[0] ? site->lws : NULL; }

void clr_gpu_site_release(clr_gpu_site *site) {
    if (!site->tuning) return;
    if (site->tuning->pending) clReleaseEvent(site->tuning->pending);
    free(site->tuning);
    site->tuning = NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const double *v) {
    double s[CLR_TUNE_RUNS];
    memcpy(s, v, sizeof s);
    qsort(s, CLR_TUNE_RUNS, sizeof s[0], cmp_double);
    return s[CLR_TUNE_RUNS / 2];
}

/* The measured candidates' winner goes into the table; the site keeps it.
 * Another candidate replaces the default only when its median is at least
 * CLR_TUNE_MARGIN faster: on a busy machine, smaller differences are noise. */
#define CLR_TUNE_MARGIN 0.05
static clr_status finish_site(clr_cl *cl, clr_gpu_site *site, clr_gpu_tune_summary *sum, clr_error *err) {
    clr_gpu_tuning *t = site->tuning;
    int32_t best = 0;
    double best_s = median_of(t->times[0]) * (1 - CLR_TUNE_MARGIN);
    for (int32_t c = 1; c < t->ncand; c++) {
        double m = median_of(t->times[c]);
        if (m < best_s) best = c, best_s = m;
    }
    if (best == 0) best_s = median_of(t->times[0]);
    sum->measured++;
    sum->changed += best != 0;
    sum->default_s += median_of(t->times[0]);
    sum->auto_s += median_of(t->times[t->auto_index]);
    sum->best_s += best_s;
    set_lws(site, t->cand[best]);
    site->source = CLR_LWS_TUNED;
    clr_gpu_site_release(site);
    return clr_cl_tuning_put(cl->tuning, site->key, site->lws, err);
}

/* One measured launch of the site's current candidate. Candidates take
 * turns run by run, so a change in machine load hits them all alike; the
 * first round is the warm-up (drivers such as PoCL compile per local size). */
static clr_status advance(clr_cl *cl, clr_gpu_site *site, clr_gpu_tune_summary *sum, clr_error *err) {
    clr_gpu_tuning *t = site->tuning;
    cl_ulong a = 0, b = 0;
    cl_int rc = clGetEventProfilingInfo(t->pending, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    if (rc == CL_SUCCESS) rc = clGetEventProfilingInfo(t->pending, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    clReleaseEvent(t->pending);
    t->pending = NULL;
    if (rc != CL_SUCCESS) return clr_cl_check(err, rc, "clGetEventProfilingInfo (tuning)");
    if (t->count >= CLR_TUNE_WARMUP) t->times[t->cur][t->count - CLR_TUNE_WARMUP] = (double)(b - a) * 1e-9;
    if (++t->cur == t->ncand) t->cur = 0, t->count++;
    if (t->count < CLR_TUNE_WARMUP + CLR_TUNE_RUNS) {
        set_lws(site, t->cand[t->cur]);
        return CLR_OK;
    }
    return finish_site(cl, site, sum, err);
}

clr_status clr_gpu_tune_collect(clr_cl *cl, clr_gpu_op_state *states, int32_t n, clr_gpu_tune_summary *sum,
                                bool *more, clr_error *err) {
    *more = false;
    bool measured = false;
    for (int32_t i = 0; i < n; i++)
        for (int32_t k = 0; k < states[i].n; k++) {
            clr_gpu_instance *inst = states[i].inst[k];
            for (int32_t s = 0; s < inst->nsites; s++) {
                clr_gpu_site *site = &inst->sites[s];
                if (!site->tuning || !site->tuning->pending) continue;
                clr_status st = advance(cl, site, sum, err);
                if (st != CLR_OK) return st;
                *more |= site->tuning != NULL;
                measured = true;
            }
        }
    sum->runs += measured;
    return CLR_OK;
}

int32_t clr_gpu_count_tuned(const clr_gpu_op_state *states, int32_t n) {
    int32_t count = 0;
    for (int32_t i = 0; i < n; i++)
        for (int32_t k = 0; k < states[i].n; k++) {
            const clr_gpu_instance *inst = states[i].inst[k];
            for (int32_t s = 0; s < inst->nsites; s++) count += inst->sites[s].source == CLR_LWS_TUNED;
        }
    return count;
}
