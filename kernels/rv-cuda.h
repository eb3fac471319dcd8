/* rv-cuda.h: what the C core may ask of the CUDA backend: finding a GPU,
 * device memory and errors.  Each host thread queues its work on its own
 * stream and cuBLAS handle and has its own error state, so everything of one
 * trainer must be queued from one thread.  Plain
 * C with no GLib, so nvcc compiles the kernels without the host's GLib
 * headers; src/core/rv-backend-cuda.c turns it into an RvBackend and the
 * errors into GErrors.  The compute kernels are in rv-cuda-kernels.h. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The number of usable CUDA devices; 0 when there is no GPU or no driver, in
 * which case why[0..why_len) gets the reason ("no NVIDIA driver is
 * installed", "no CUDA device is present", ...). */
int rv_cuda_device_count (char *why, size_t why_len);

/* Writes "NVIDIA H200 (compute 9.0, 139 GiB)" for device 0 into buf; returns
 * 0 when there is no usable device. */
int rv_cuda_device_description (char *buf, size_t len);

/* Sets up device 0 once per process: cuBLAS, this thread's stream, and a test
 * kernel that must run (which catches a GPU the kernels were not compiled
 * for).  Returns 1 when ready, else 0 with the reason in why.  Thread-safe;
 * later calls return the first call's answer. */
int rv_cuda_init (char *why, size_t why_len);

/* Waits for everything this thread queued; returns 1 and the first failure
 * of this thread since its last call in why (then clears it), or 0 when all
 * went well.  Every entry below records its failures here instead of
 * returning them; other threads' failures are theirs. */
int rv_cuda_take_error (char *why, size_t why_len);

/* Device memory.  alloc returns `bytes` zeroed bytes or NULL; upload's
 * source may be reused when it returns; download waits for the queued work.
 * free first waits for this thread's queued work.  All copies and kernels
 * run in order on the calling thread's stream. */
void *rv_cuda_alloc (size_t bytes);
void rv_cuda_free (void *p);
void rv_cuda_upload (void *dst, const void *src, size_t bytes);
void rv_cuda_download (void *dst, const void *src, size_t bytes);
void rv_cuda_copy (void *dst, const void *src, size_t bytes);
void rv_cuda_zero (void *p, size_t bytes);

/* This thread's RV_CUDA_SMALL_BYTES of device memory for results that are
 * downloaded at once (the waiting cross-entropy's), kept for the thread's
 * next calls; NULL on failure (recorded). */
#define RV_CUDA_SMALL_BYTES 64
void *rv_cuda_small_buffer (void);

/* For tests: the next cudaMallocAsync of scratch memory counts as refused
 * (as in sandboxes that forbid memory pools), which switches scratch memory
 * to cudaMalloc for good; and whether scratch memory still uses pools. */
void rv_cuda_test_refuse_async_alloc (void);
int rv_cuda_async_alloc_in_use (void);

#ifdef __cplusplus
}
#endif
