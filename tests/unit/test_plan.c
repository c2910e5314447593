/* The scheduler on synthetic programs: placement policies, the ping-pong
 * rule, transfer insertion (per run and once for parameters), and io_copy /
 * layout ops that opt inserted. Runs without a device: capabilities come
 * from a fake GPU description, as clrun --check --profile does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "graph/plan.h"
#include "model/program_builder.h"

static const clr_gpu_caps gpu = {.available = true, .name = "test GPU", .image_max_w = 16384, .image_max_h = 16384};

/* feed → ops[0] → ops[1] … → fetch on a [1,3,8,8] FP32 chain; op k reads
 * v<k> and writes v<k+1>. `targets[k]` is the kernel place target opt
 * recorded (0: none). A "param" op input binds the parameter w. */
static clr_program *chain(const char *const *ops, const int *targets, int n) {
    clr_builder *b = clr_builder_create("test");
    int64_t dims[4] = {1, 3, 8, 8};
    char names[16][8];
    for (int k = 0; k <= n; k++) {
        snprintf(names[k], sizeof names[k], "v%d", k);
        clr_builder_var(b, names[k], CLR_DTYPE_FP32, 4, dims, false);
    }
    clr_builder_var_typed(b, "feed", CLR_VARTYPE_FEED_MINIBATCH, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_var_typed(b, "fetch", CLR_VARTYPE_FETCH_LIST, CLR_DTYPE_BOOL, 0, NULL, true);
    float w[3] = {1, 2, 3};
    int64_t wd[1] = {3};
    clr_builder_var(b, "w", CLR_DTYPE_FP32, 1, wd, true);
    clr_builder_param(b, "w", CLR_DTYPE_FP32, 1, wd, w, sizeof w);
    const char *feed_in[] = {"feed"}, *fetch_out[] = {"fetch"}, *first[] = {names[0]}, *last[] = {names[n]};
    clr_builder_op(b, "feed");
    clr_builder_op_input(b, "X", 1, feed_in);
    clr_builder_op_output(b, "Out", 1, first);
    clr_builder_attr_int(b, "col", 0);
    for (int k = 0; k < n; k++) {
        const char *in[] = {names[k]}, *out[] = {names[k + 1]}, *param[] = {"w"};
        clr_builder_op(b, ops[k]);
        bool is_copy = strncmp(ops[k], "io_copy", 7) == 0 || strncmp(ops[k], "layout", 6) == 0;
        clr_builder_op_input(b, is_copy ? "Input" : "X", 1, in);
        if (strcmp(ops[k], "elementwise_add") == 0) clr_builder_op_input(b, "Y", 1, param);
        clr_builder_op_output(b, "Out", 1, out);
        if (targets && targets[k]) {
            char place[64];
            snprintf(place, sizeof place, "%s/def/%d/1/1", ops[k], targets[k]);
            clr_builder_attr_string(b, CLR_KERNEL_PLACE_ATTR, place);
        }
    }
    clr_builder_op(b, "fetch");
    clr_builder_op_input(b, "X", 1, last);
    clr_builder_op_output(b, "Out", 1, fetch_out);
    clr_builder_attr_int(b, "col", 0);
    clr_program *p = NULL;
    clr_error err;
    if (clr_builder_finish(b, &p, &err) != CLR_OK) fail_msg("builder: %s", err.msg);
    return p;
}

static clr_plan *plan_of(const clr_program *p, const clr_gpu_caps *caps, clr_placement policy) {
    clr_plan *plan = NULL;
    clr_error err;
    if (clr_plan_build(p, caps, policy, &plan, &err) != CLR_OK) fail_msg("plan: %s", err.msg);
    return plan;
}

/* Place of block-0 op i in the plan. */
static clr_place place_of(const clr_plan *plan, int32_t op) {
    for (int32_t s = 0; s < plan->nsteps; s++)
        if (plan->steps[s].kind == CLR_STEP_OP && plan->steps[s].op == op) return plan->steps[s].place;
    fail_msg("op %d not in plan", op);
    return CLR_PLACE_HOST;
}

static void no_gpu_means_host_and_no_transfers(void **state) {
    const char *ops[] = {"relu", "sigmoid", "tanh"};
    clr_program *p = chain(ops, NULL, 3);
    clr_plan *plan = plan_of(p, NULL, CLR_PLACEMENT_AUTO);
    assert_int_equal(plan->ops_gpu, 0);
    assert_int_equal(plan->ops_host, 3);
    assert_int_equal(plan->transfers_to_gpu + plan->transfers_to_host + plan->transfers_once, 0);
    assert_string_equal(plan->steps[1].why_host, "no GPU device");
    clr_plan_free(plan);
    plan = plan_of(p, &gpu, CLR_PLACEMENT_CPU);
    assert_int_equal(plan->ops_gpu, 0);
    assert_string_equal(plan->steps[1].why_host, "--placement cpu");
    clr_plan_free(plan);
    clr_program_free(p);
}

/* A GPU run between host ops gets exactly one transfer in and one out. */
static void transfers_at_the_boundaries(void **state) {
    const char *ops[] = {"relu", "sigmoid", "tanh", "box_coder"};
    clr_program *p = chain(ops, NULL, 4);
    clr_plan *plan = plan_of(p, &gpu, CLR_PLACEMENT_AUTO);
    assert_int_equal(place_of(plan, 1), CLR_PLACE_GPU);
    assert_int_equal(place_of(plan, 3), CLR_PLACE_GPU);
    assert_int_equal(place_of(plan, 4), CLR_PLACE_HOST); /* no GPU kernel */
    assert_int_equal(plan->transfers_to_gpu, 1);
    assert_int_equal(plan->transfers_to_host, 1);
    /* the steps: feed, io_copy v0 → gpu, relu, sigmoid, tanh, io_copy v3 → host, box_coder, fetch */
    assert_int_equal(plan->nsteps, 8);
    assert_int_equal(plan->steps[1].kind, CLR_STEP_TRANSFER);
    assert_string_equal(plan->steps[1].var, "v0");
    assert_int_equal(plan->steps[5].kind, CLR_STEP_TRANSFER);
    assert_string_equal(plan->steps[5].var, "v3");
    assert_int_equal(plan->steps[5].place, CLR_PLACE_HOST);
    clr_plan_free(plan);
    clr_program_free(p);
}

/* The ping-pong rule: one or two light GPU ops between host ops stay on the
 * host under auto (two transfers saved), but not under --placement gpu. */
static void small_islands_stay_on_the_host(void **state) {
    const char *ops[] = {"box_coder", "relu", "box_coder", "relu", "sigmoid", "box_coder"};
    clr_program *p = chain(ops, NULL, 6);
    clr_plan *plan = plan_of(p, &gpu, CLR_PLACEMENT_AUTO);
    assert_int_equal(plan->ops_gpu, 0);
    assert_int_equal(plan->islands_moved, 2);
    assert_int_equal(plan->transfers_to_gpu + plan->transfers_to_host, 0);
    assert_non_null(strstr(plan->steps[2].why_host, "island"));
    clr_plan_free(plan);
    plan = plan_of(p, &gpu, CLR_PLACEMENT_GPU);
    assert_int_equal(plan->ops_gpu, 3);
    assert_int_equal(plan->transfers_to_gpu, 2);
    assert_int_equal(plan->transfers_to_host, 2);
    clr_plan_free(plan);
    clr_program_free(p);
}

/* --placement model follows opt's recorded targets where the GPU can. */
static void model_policy_follows_opt(void **state) {
    const char *ops[] = {"relu", "sigmoid", "tanh", "abs"};
    const int targets[] = {CLR_TARGET_OPENCL, CLR_TARGET_OPENCL, CLR_TARGET_ARM, CLR_TARGET_ARM};
    clr_program *p = chain(ops, targets, 4);
    clr_plan *plan = plan_of(p, &gpu, CLR_PLACEMENT_MODEL);
    assert_int_equal(place_of(plan, 1), CLR_PLACE_GPU);
    assert_int_equal(place_of(plan, 2), CLR_PLACE_GPU);
    assert_int_equal(place_of(plan, 3), CLR_PLACE_HOST);
    assert_string_equal(plan->steps[5].why_host, "opt placed it on kARM");
    clr_plan_free(plan);
    clr_program_free(p);
}

/* opt's io_copy / layout ops cost nothing extra: they run where their input
 * lives, and the only transfers are the ones a device change needs. */
static void opt_io_copy_ops_follow_their_input(void **state) {
    const char *ops[] = {"io_copy", "layout", "relu", "sigmoid", "tanh", "layout", "io_copy"};
    clr_program *p = chain(ops, NULL, 7);
    clr_plan *plan = plan_of(p, &gpu, CLR_PLACEMENT_AUTO);
    assert_int_equal(place_of(plan, 1), CLR_PLACE_HOST); /* the input is the feed's, on the host */
    assert_int_equal(place_of(plan, 6), CLR_PLACE_GPU);  /* follows tanh's output */
    assert_int_equal(place_of(plan, 7), CLR_PLACE_GPU);
    assert_int_equal(plan->transfers_to_gpu, 1);
    assert_int_equal(plan->transfers_to_host, 1); /* before fetch */
    clr_plan_free(plan);
    clr_program_free(p);
}

/* A parameter read on the GPU is uploaded once, not per run. */
static void parameters_upload_once(void **state) {
    const char *ops[] = {"relu", "elementwise_add", "sigmoid"};
    clr_program *p = chain(ops, NULL, 3);
    clr_plan *plan = plan_of(p, &gpu, CLR_PLACEMENT_AUTO);
    assert_int_equal(plan->ops_gpu, 3);
    assert_int_equal(plan->transfers_once, 1);
    assert_int_equal(plan->transfers_to_gpu, 1);
    bool found = false;
    for (int32_t s = 0; s < plan->nsteps; s++)
        if (plan->steps[s].kind == CLR_STEP_TRANSFER && strcmp(plan->steps[s].var, "w") == 0)
            found = plan->steps[s].once;
    assert_true(found);
    clr_plan_free(plan);
    clr_program_free(p);
}

static void placement_names_parse(void **state) {
    clr_placement p;
    assert_true(clr_placement_parse("model", &p));
    assert_int_equal(p, CLR_PLACEMENT_MODEL);
    assert_false(clr_placement_parse("fastest", &p));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_gpu_means_host_and_no_transfers),
        cmocka_unit_test(transfers_at_the_boundaries),
        cmocka_unit_test(small_islands_stay_on_the_host),
        cmocka_unit_test(model_policy_follows_opt),
        cmocka_unit_test(opt_io_copy_ops_follow_their_input),
        cmocka_unit_test(parameters_upload_once),
        cmocka_unit_test(placement_names_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
