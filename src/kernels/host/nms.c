/* clrun — multiclass_nms, multiclass_nms2 (adds Index) and multiclass_nms3
 * (adds RoisNum input and NmsRoisNum output), after Paddle-Lite's host
 * kernel (kernels/host/multiclass_nms_compute.h).
 *
 * Layouts: Scores [N, C, M] with BBoxes [N, M, 4] (boxes shared by all
 * classes), or Scores [M, C] with BBoxes [M, C, 4] split into images by
 * RoisNum or the BBoxes LoD. Per image and class (except background_label):
 * boxes scoring > score_threshold, stably sorted by score descending and cut
 * to nms_top_k, are kept greedily unless their IoU with an already kept box
 * exceeds the (eta-adaptive) nms_threshold; then at most keep_top_k per
 * image survive by score. Out rows are (label, score, x1, y1, x2, y2),
 * labels ascending, within a label in score order (box order for the 2-D
 * layout), with a level-1 LoD per image. Index (INT32, as Paddle-Lite
 * writes it) is the flat position of each kept box's score. When nothing is
 * kept: Out is [0, 6] if an Index output exists, else [1, 1] holding -1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/detection.h"

typedef struct nms_cfg {
    int64_t background, nms_top_k, keep_top_k;
    float score_threshold, nms_threshold, eta;
    bool normalized;
} nms_cfg;

/* One image's scores and boxes in either layout. */
typedef struct nms_image {
    const float *scores, *boxes;
    int64_t m, classes, index_base;
    bool per_class_boxes; /* the 2-D layout */
} nms_image;

typedef struct det {
    float score;
    int32_t label;
    int64_t idx;
    int64_t order; /* tie-break that makes qsort stable */
} det;

static float score_at(const nms_image *im, int64_t c, int64_t j) {
    return im->per_class_boxes ? im->scores[j * im->classes + c] : im->scores[c * im->m + j];
}

static const float *box_at(const nms_image *im, int64_t c, int64_t j) {
    return im->per_class_boxes ? im->boxes + (j * im->classes + c) * 4 : im->boxes + j * 4;
}

static float box_area(const float *b, bool normalized) {
    if (b[2] < b[0] || b[3] < b[1]) return 0.0f;
    float w = b[2] - b[0], h = b[3] - b[1];
    return normalized ? w * h : (w + 1) * (h + 1);
}

/* Paddle's JaccardOverlap: pixel boxes (not normalized) count both ends. */
static float iou(const float *a, const float *b, bool normalized) {
    if (b[0] > a[2] || b[2] < a[0] || b[1] > a[3] || b[3] < a[1]) return 0.0f;
    float norm = normalized ? 0.0f : 1.0f;
    float iw = fminf(a[2], b[2]) - fmaxf(a[0], b[0]) + norm;
    float ih = fminf(a[3], b[3]) - fmaxf(a[1], b[1]) + norm;
    float inter = iw * ih;
    return inter / (box_area(a, normalized) + box_area(b, normalized) - inter);
}

static int by_score(const void *pa, const void *pb) {
    const det *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

static int by_label_then_order(const void *pa, const void *pb) {
    const det *a = pa, *b = pb;
    if (a->label != b->label) return a->label < b->label ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

static int by_idx(const void *pa, const void *pb) {
    const det *a = pa, *b = pb;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* NMS of one class into out[]; `cand` is scratch for m entries. Returns the
 * number kept. */
static int64_t nms_class(const nms_image *im, int32_t c, const nms_cfg *cfg, det *cand, det *out) {
    int64_t ncand = 0, nkept = 0;
    for (int64_t j = 0; j < im->m; j++) {
        float s = score_at(im, c, j);
        if (s > cfg->score_threshold) cand[ncand++] = (det){s, c, j, j};
    }
    qsort(cand, (size_t)ncand, sizeof *cand, by_score);
    if (cfg->nms_top_k > -1 && cfg->nms_top_k < ncand) ncand = cfg->nms_top_k;
    float threshold = cfg->nms_threshold;
    for (int64_t k = 0; k < ncand; k++) {
        const float *box = box_at(im, c, cand[k].idx);
        bool keep = true;
        for (int64_t q = 0; q < nkept && keep; q++)
            keep = iou(box, box_at(im, c, out[q].idx), cfg->normalized) <= threshold;
        if (!keep) continue;
        out[nkept++] = cand[k];
        if (cfg->eta < 1 && threshold > 0.5f) threshold *= cfg->eta;
    }
    if (im->per_class_boxes) qsort(out, (size_t)nkept, sizeof *out, by_idx);
    return nkept;
}

/* All detections of one image, in output order, into out[] (room for
 * classes * m); returns the count. */
static int64_t nms_image_run(const nms_image *im, const nms_cfg *cfg, det *cand, det *out) {
    int64_t n = 0;
    for (int32_t c = 0; c < im->classes; c++)
        if (c != cfg->background) n += nms_class(im, c, cfg, cand, out + n);
    if (cfg->keep_top_k > -1 && n > cfg->keep_top_k) {
        for (int64_t i = 0; i < n; i++) out[i].order = i;
        qsort(out, (size_t)n, sizeof *out, by_score);
        n = cfg->keep_top_k;
        /* Regroup by label; within a label keep score order (box order for
         * the 2-D layout). */
        for (int64_t i = 0; i < n; i++) out[i].order = im->per_class_boxes ? out[i].idx : i;
        qsort(out, (size_t)n, sizeof *out, by_label_then_order);
    }
    return n;
}

static void read_cfg(const clr_node *n, nms_cfg *c) {
    c->background = clr_node_attr_int(n, "background_label", 0);
    c->score_threshold = clr_node_attr_float(n, "score_threshold", 0.0f);
    c->nms_top_k = clr_node_attr_int(n, "nms_top_k", -1);
    c->keep_top_k = clr_node_attr_int(n, "keep_top_k", -1);
    c->nms_threshold = clr_node_attr_float(n, "nms_threshold", 0.3f);
    c->eta = clr_node_attr_float(n, "nms_eta", 1.0f);
    c->normalized = clr_node_attr_bool(n, "normalized", true);
}

/* Image boundaries (n + 1 offsets into the rows of a 2-D layout) from
 * RoisNum or the BBoxes LoD. */
static clr_status image_starts(clr_node *n, const clr_tensor *boxes, int64_t m, uint64_t **starts, int64_t *count) {
    clr_tensor *rois = clr_node_in(n, "RoisNum", 0);
    int64_t k;
    if (rois) {
        if (rois->dtype != CLR_DTYPE_INT32) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'RoisNum' must be INT32");
        k = clr_tensor_numel(rois);
    } else {
        if (boxes->nlod < 2) return clr_node_fail(n, CLR_ERR_FORMAT, "2-D Scores need RoisNum or a BBoxes LoD");
        k = boxes->nlod - 1;
    }
    uint64_t *s = clr_malloc((size_t)(k + 1) * sizeof *s);
    if (!s) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    s[0] = 0;
    for (int64_t i = 0; i < k; i++) {
        if (rois) {
            int32_t r = ((const int32_t *)rois->data)[i];
            s[i + 1] = s[i] + (uint64_t)(r < 0 ? 0 : r);
        } else {
            s[i + 1] = boxes->lod[i + 1];
        }
    }
    for (int64_t i = 0; i < k; i++) {
        if (s[i + 1] < s[i] || s[i + 1] > (uint64_t)m) {
            clr_status st = clr_node_fail(n, CLR_ERR_FORMAT, "image %lld rows [%llu, %llu) outside the %lld boxes", (long long)i,
                                          (unsigned long long)s[i], (unsigned long long)s[i + 1], (long long)m);
            free(s);
            return st;
        }
    }
    *starts = s;
    *count = k;
    return CLR_OK;
}

static clr_status check_inputs(clr_node *n, clr_tensor **scores, clr_tensor **boxes) {
    clr_status st = clr_det_input_f32(n, "Scores", -1, scores);
    if (st == CLR_OK) st = clr_det_input_f32(n, "BBoxes", 3, boxes);
    if (st != CLR_OK) return st;
    const clr_tensor *s = *scores, *b = *boxes;
    if (b->dims[2] != 4)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "box size %lld (only 4 supported)", (long long)b->dims[2]);
    if (s->ndims == 3) {
        if (b->dims[0] != s->dims[0] || b->dims[1] != s->dims[2])
            return clr_node_fail(n, CLR_ERR_FORMAT, "BBoxes [%lld,%lld,4] do not match Scores [%lld,%lld,%lld]",
                                 (long long)b->dims[0], (long long)b->dims[1], (long long)s->dims[0], (long long)s->dims[1],
                                 (long long)s->dims[2]);
    } else if (s->ndims == 2) {
        if (b->dims[0] != s->dims[0] || b->dims[1] != s->dims[1])
            return clr_node_fail(n, CLR_ERR_FORMAT, "BBoxes [%lld,%lld,4] do not match Scores [%lld,%lld]", (long long)b->dims[0],
                                 (long long)b->dims[1], (long long)s->dims[0], (long long)s->dims[1]);
    } else {
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Scores' has %d dims, expected 2 or 3", s->ndims);
    }
    return CLR_OK;
}

/* Writes rows (and indices) of all images, then the LoD and NmsRoisNum. */
static clr_status write_outputs(clr_node *n, const det *all, const uint64_t *bstarts, int64_t nimg, const nms_image *ims) {
    clr_tensor *out, *index = clr_node_out(n, "Index", 0), *rois_out = clr_node_out(n, "NmsRoisNum", 0);
    clr_status st = clr_node_require_out(n, "Out", &out);
    if (st != CLR_OK) return st;
    int64_t kept = (int64_t)bstarts[nimg];
    uint64_t empty_lod[2] = {0, 1};
    if (kept == 0 && !index) {
        int64_t d[2] = {1, 1};
        st = clr_tensor_resize(out, CLR_DTYPE_FP32, 2, d, n->err);
        if (st == CLR_OK) ((float *)out->data)[0] = -1.0f;
        if (st == CLR_OK) st = clr_tensor_set_lod(out, 2, empty_lod, n->err);
    } else {
        int64_t d[2] = {kept, 6}, di[2] = {kept, 1};
        st = clr_tensor_resize(out, CLR_DTYPE_FP32, 2, d, n->err);
        if (st == CLR_OK && index) st = clr_tensor_resize(index, CLR_DTYPE_INT32, 2, di, n->err);
        if (st == CLR_OK) st = clr_tensor_set_lod(out, (int32_t)nimg + 1, bstarts, n->err);
        if (st == CLR_OK && index) st = clr_tensor_set_lod(index, (int32_t)nimg + 1, bstarts, n->err);
        for (int64_t i = 0; st == CLR_OK && i < nimg; i++) {
            for (uint64_t r = bstarts[i]; r < bstarts[i + 1]; r++) {
                const det *d0 = &all[r];
                const nms_image *im = &ims[i];
                float *row = (float *)out->data + r * 6;
                row[0] = (float)d0->label;
                row[1] = d0->score;
                memcpy(row + 2, box_at(im, d0->label, d0->idx), 4 * sizeof(float));
                if (index) {
                    int64_t at = im->per_class_boxes ? d0->idx * im->classes + d0->label : d0->idx;
                    ((int32_t *)index->data)[r] = (int32_t)(im->index_base + at);
                }
            }
        }
    }
    if (st == CLR_OK && rois_out) {
        int64_t d[1] = {nimg};
        st = clr_tensor_resize(rois_out, CLR_DTYPE_INT32, 1, d, n->err);
        for (int64_t i = 0; st == CLR_OK && i < nimg; i++)
            ((int32_t *)rois_out->data)[i] = (int32_t)(bstarts[i + 1] - bstarts[i]);
    }
    return st;
}

clr_status clr_k_multiclass_nms(clr_node *n) {
    clr_tensor *scores, *boxes;
    nms_cfg cfg;
    clr_status st = check_inputs(n, &scores, &boxes);
    if (st != CLR_OK) return st;
    read_cfg(n, &cfg);
    bool two_d = scores->ndims == 2;
    int64_t classes = scores->dims[1];
    int64_t m_total = two_d ? scores->dims[0] : scores->dims[2];
    int64_t nimg = two_d ? 0 : scores->dims[0];
    uint64_t *rows = NULL; /* 2-D layout: image row offsets */
    if (two_d) st = image_starts(n, boxes, m_total, &rows, &nimg);
    if (st != CLR_OK) return st;

    int64_t cap = classes * m_total; /* every box of every class of all images, at most */
    nms_image *ims = clr_calloc((size_t)nimg + 1, sizeof *ims);
    uint64_t *bstarts = clr_calloc((size_t)nimg + 1, sizeof *bstarts);
    det *cand = clr_malloc((size_t)(m_total > 0 ? m_total : 1) * sizeof *cand);
    det *all = clr_malloc((size_t)((two_d ? cap : cap * nimg) + 1) * sizeof *all);
    if (!ims || !bstarts || !cand || !all) {
        st = clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    } else {
        for (int64_t i = 0; i < nimg; i++) {
            nms_image *im = &ims[i];
            im->classes = classes;
            im->per_class_boxes = two_d;
            if (two_d) {
                im->m = (int64_t)(rows[i + 1] - rows[i]);
                im->scores = (const float *)scores->data + rows[i] * classes;
                im->boxes = (const float *)boxes->data + rows[i] * classes * 4;
                im->index_base = (int64_t)rows[i] * classes;
            } else {
                im->m = m_total;
                im->scores = (const float *)scores->data + i * classes * m_total;
                im->boxes = (const float *)boxes->data + i * m_total * 4;
                im->index_base = i * m_total;
            }
            bstarts[i + 1] = bstarts[i] + (uint64_t)nms_image_run(im, &cfg, cand, all + bstarts[i]);
        }
        st = write_outputs(n, all, bstarts, nimg, ims);
    }
    free(rows);
    free(ims);
    free(bstarts);
    free(cand);
    free(all);
    return st;
}
