/* clrun — the conv family's host kernel table (conv_common.h). */
#include "kernels/host/conv_common.h"
#include "kernels/host/registry.h"

const clr_host_kernel clr_host_kernels_conv[] = {
    {"conv2d", clr_kernel_conv2d},
    {"depthwise_conv2d", clr_kernel_conv2d},
    {"conv2d_transpose", clr_kernel_conv2d_transpose},
    {"depthwise_conv2d_transpose", clr_kernel_conv2d_transpose},
    {"fc", clr_kernel_fc},
    {"mul", clr_kernel_mul},
    {"matmul", clr_kernel_matmul},
    {"matmul_v2", clr_kernel_matmul_v2},
    {"calib", clr_kernel_calib},
    {"calib_once", clr_kernel_calib},
    {NULL, NULL},
};
