/* clrun — yolo_box: decodes a YOLOv3 head X [N, A*(5+C), H, W] into Boxes
 * [N, A*H*W, 4] (x1, y1, x2, y2 in pixels of ImgSize (h, w)) and Scores
 * [N, A*H*W, C] = objectness * class probability. Cells whose objectness
 * is below conf_thresh get zero boxes and scores.
 *
 * As in Paddle-Lite's host kernel (backends/host/math/yolo_box.cc) the grid
 * size and network input size are both taken from H (square grids):
 * x = (col + sigmoid(tx)·s + b)·img_w / H, w = exp(tw)·anchor_w·img_w /
 * (downsample·H), with s = scale_x_y and b = -(s - 1)/2. clip_bbox clamps
 * to [0, img - 1].
 */
#include <math.h>
#include <string.h>

#include "kernels/host/activation.h"
#include "kernels/host/detection.h"

enum { MAX_ANCHORS = 64 };

static float sigmoid(float x) {
    static const clr_act act = {.kind = CLR_ACT_SIGMOID};
    return clr_act_one(&act, x);
}

static int64_t img_dim(const clr_tensor *t, int64_t i) {
    return t->dtype == CLR_DTYPE_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
}

typedef struct yolo_cfg {
    int64_t anchors[2 * MAX_ANCHORS];
    int32_t an_num;
    int64_t class_num, downsample;
    float conf_thresh, scale, bias;
    bool clip;
} yolo_cfg;

static clr_status read_cfg(const clr_node *n, const clr_tensor *x, yolo_cfg *c) {
    int32_t na = clr_node_attr_ints(n, "anchors", c->anchors, 2 * MAX_ANCHORS);
    if (na <= 0 || na % 2 != 0 || na > 2 * MAX_ANCHORS)
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'anchors' has %d values, expected a positive even count", na);
    c->an_num = na / 2;
    c->class_num = clr_node_attr_int(n, "class_num", 0);
    c->downsample = clr_node_attr_int(n, "downsample_ratio", 32);
    c->conf_thresh = clr_node_attr_float(n, "conf_thresh", 0.01f);
    c->clip = clr_node_attr_bool(n, "clip_bbox", true);
    c->scale = clr_node_attr_float(n, "scale_x_y", 1.0f);
    c->bias = -0.5f * (c->scale - 1.0f);
    if (clr_node_attr_bool(n, "iou_aware", false)) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "iou_aware yolo_box");
    if (c->class_num <= 0) return clr_node_fail(n, CLR_ERR_FORMAT, "class_num %lld is not positive", (long long)c->class_num);
    if (x->dims[1] != c->an_num * (5 + c->class_num))
        return clr_node_fail(n, CLR_ERR_FORMAT, "X has %lld channels, expected %lld anchors x (5 + %lld classes)",
                             (long long)x->dims[1], (long long)c->an_num, (long long)c->class_num);
    return CLR_OK;
}

/* One cell of one anchor: `in` points at its first entry, entries are
 * `stride` apart. */
static void decode_cell(const yolo_cfg *c, const float *in, int64_t stride, int64_t col, int64_t row, int32_t a,
                        int64_t grid, float img_h, float img_w, float *box, float *score) {
    float conf = sigmoid(in[4 * stride]);
    if (conf < c->conf_thresh) return;
    float input_size = (float)(c->downsample * grid);
    float cx = ((float)col + sigmoid(in[0]) * c->scale + c->bias) * img_w / (float)grid;
    float cy = ((float)row + sigmoid(in[stride]) * c->scale + c->bias) * img_h / (float)grid;
    float w = expf(in[2 * stride]) * (float)c->anchors[2 * a] * img_w / input_size;
    float h = expf(in[3 * stride]) * (float)c->anchors[2 * a + 1] * img_h / input_size;
    box[0] = cx - w / 2;
    box[1] = cy - h / 2;
    box[2] = cx + w / 2;
    box[3] = cy + h / 2;
    if (c->clip) {
        box[0] = box[0] > 0 ? box[0] : 0;
        box[1] = box[1] > 0 ? box[1] : 0;
        box[2] = box[2] < img_w - 1 ? box[2] : img_w - 1;
        box[3] = box[3] < img_h - 1 ? box[3] : img_h - 1;
    }
    for (int64_t k = 0; k < c->class_num; k++) score[k] = conf * sigmoid(in[(5 + k) * stride]);
}

clr_status clr_k_yolo_box(clr_node *n) {
    clr_tensor *x, *img, *boxes, *scores;
    clr_status st = clr_det_input_f32(n, "X", 4, &x);
    if (st == CLR_OK) st = clr_node_require_in(n, "ImgSize", &img);
    if (st == CLR_OK) st = clr_node_require_out(n, "Boxes", &boxes);
    if (st == CLR_OK) st = clr_node_require_out(n, "Scores", &scores);
    if (st != CLR_OK) return st;
    if (img->dtype != CLR_DTYPE_INT32 && img->dtype != CLR_DTYPE_INT64)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'ImgSize' must be INT32 or INT64");
    if (img->ndims != 2 || img->dims[0] != x->dims[0] || img->dims[1] != 2)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'ImgSize' must be [%lld, 2]", (long long)x->dims[0]);
    yolo_cfg c;
    st = read_cfg(n, x, &c);
    if (st != CLR_OK) return st;
    int64_t nb = x->dims[0], h = x->dims[2], w = x->dims[3], hw = h * w, box_num = c.an_num * hw;
    int64_t bd[3] = {nb, box_num, 4}, sd[3] = {nb, box_num, c.class_num};
    st = clr_tensor_resize(boxes, CLR_DTYPE_FP32, 3, bd, n->err);
    if (st == CLR_OK) st = clr_tensor_resize(scores, CLR_DTYPE_FP32, 3, sd, n->err);
    if (st != CLR_OK) return st;
    memset(boxes->data, 0, clr_tensor_nbytes(boxes));
    memset(scores->data, 0, clr_tensor_nbytes(scores));
    const float *xd = x->data;
    for (int64_t i = 0; i < nb; i++) {
        float img_h = (float)img_dim(img, 2 * i), img_w = (float)img_dim(img, 2 * i + 1);
        for (int32_t a = 0; a < c.an_num; a++) {
            const float *base = xd + (i * c.an_num + a) * (5 + c.class_num) * hw;
            for (int64_t k = 0; k < hw; k++) {
                int64_t b = i * box_num + a * hw + k;
                decode_cell(&c, base + k, hw, k % w, k / w, a, h, img_h, img_w, (float *)boxes->data + b * 4,
                            (float *)scores->data + b * c.class_num);
            }
        }
    }
    return CLR_OK;
}
