// rv-cuda-private.cuh: what the kernel files share: the stream and cuBLAS
// handle of rv-cuda-context.cu, recording failures, and stream-ordered
// scratch memory.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <stddef.h>

// Threads per block for the elementwise kernels.
#define RV_CUDA_THREADS 256

cudaStream_t rv_cuda_stream (void);
cublasHandle_t rv_cuda_cublas (void);

// Records the first failure for rv_cuda_take_error; returns err == cudaSuccess.
bool rv_cuda_ok (cudaError_t err, const char *what);
bool rv_cuda_cublas_ok (cublasStatus_t status, const char *what);
// Whether a failure is recorded and not yet taken.
bool rv_cuda_failed (void);

// After a <<<...>>> launch: records a launch failure (bad configuration, no
// kernel image for this GPU, ...).
static inline void
rv_cuda_launched (const char *what)
{
  rv_cuda_ok (cudaGetLastError (), what);
}

// Scratch memory ordered on the stream (cudaMallocAsync from a pool that
// keeps its memory, so it costs no device synchronization); NULL on failure.
void *rv_cuda_scratch_alloc (size_t bytes);
void rv_cuda_scratch_free (void *p);

// Blocks for a grid-stride loop over n elements, at most `cap`.
static inline unsigned
rv_cuda_blocks (size_t n, unsigned threads, unsigned cap)
{
  size_t b = (n + threads - 1) / threads;
  if (b < 1)
    b = 1;
  return b > cap ? cap : (unsigned) b;
}
