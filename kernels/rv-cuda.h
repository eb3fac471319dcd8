/* rv-cuda.h: what the C core may ask of the CUDA backend.  Plain C with no
 * GLib, so nvcc compiles the kernels without the host's GLib headers. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The number of usable CUDA devices; 0 when there is no GPU or no driver, in
 * which case why[0..why_len) gets the reason. */
int rv_cuda_device_count (char *why, size_t why_len);

/* Writes "NVIDIA H200 (compute 9.0, 139 GiB)" for device 0 into buf; returns
 * 0 when there is no usable device. */
int rv_cuda_device_description (char *buf, size_t len);

#ifdef __cplusplus
}
#endif
