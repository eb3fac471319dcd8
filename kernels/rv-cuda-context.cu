// rv-cuda-context.cu: the process's one CUDA stream and cuBLAS handle on
// device 0, device memory, and the first failure since it was last read.
//
// Everything runs in order on one non-blocking stream, so work queued from
// any thread (a trainer built on one thread and run on another) stays in
// order; nothing waits except downloads, rv_cuda_take_error and the
// histogram passes.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <mutex>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rv-cuda-cublas.cuh"
#include "rv-cuda-private.cuh"
#include "rv-cuda.h"

namespace {

struct Context
{
  std::once_flag once;
  bool ready = false;
  char init_error[256] = "";
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  bool pools = false;       // cudaMallocAsync is available
  std::mutex error_lock;
  char error[512] = "";     // the first failure since rv_cuda_take_error
};

Context ctx;

const int probe_value = 0x52617669;

__global__ void
probe_kernel (int *out)
{
  *out = probe_value;
}

void
record (const char *what, const char *detail)
{
  std::lock_guard<std::mutex> guard (ctx.error_lock);
  if (ctx.error[0] == '\0')
    snprintf (ctx.error, sizeof ctx.error, "%s failed: %s", what, detail);
}

// Sets ctx.init_error from err and returns false when err is a failure.
bool
init_step (cudaError_t err, const char *what)
{
  if (err == cudaSuccess)
    return true;
  snprintf (ctx.init_error, sizeof ctx.init_error, "%s: %s", what, cudaGetErrorString (err));
  cudaGetLastError (); // clear it so later calls start clean
  return false;
}

void
init_once (void)
{
  char why[256];
  if (rv_cuda_device_count (why, sizeof why) == 0)
    {
      snprintf (ctx.init_error, sizeof ctx.init_error, "%s", why);
      return;
    }
  if (!init_step (cudaSetDevice (0), "cudaSetDevice")
      || !init_step (cudaStreamCreateWithFlags (&ctx.stream, cudaStreamNonBlocking), "cudaStreamCreate"))
    return;
  if (!rv_cublas_load (ctx.init_error, sizeof ctx.init_error))
    return;
  cublasStatus_t status = rv_cublas.create (&ctx.cublas);
  if (status != CUBLAS_STATUS_SUCCESS)
    {
      snprintf (ctx.init_error, sizeof ctx.init_error, "cublasCreate: %s", rv_cublas.status_string (status));
      return;
    }
  status = rv_cublas.set_stream (ctx.cublas, ctx.stream);
  if (status != CUBLAS_STATUS_SUCCESS)
    {
      snprintf (ctx.init_error, sizeof ctx.init_error, "cublasSetStream: %s", rv_cublas.status_string (status));
      return;
    }

  // Stream-ordered scratch memory, from a pool that keeps what it has.
  int pools = 0;
  cudaDeviceGetAttribute (&pools, cudaDevAttrMemoryPoolsSupported, 0);
  if (pools)
    {
      cudaMemPool_t pool;
      uint64_t keep = UINT64_MAX;
      if (cudaDeviceGetDefaultMemPool (&pool, 0) == cudaSuccess
          && cudaMemPoolSetAttribute (pool, cudaMemPoolAttrReleaseThreshold, &keep) == cudaSuccess)
        ctx.pools = true;
    }
  cudaGetLastError ();

  // A kernel must run and its result come back.
  int *probe = nullptr;
  int value = 0;
  if (!init_step (cudaMalloc (&probe, sizeof *probe), "cudaMalloc"))
    return;
  probe_kernel<<<1, 1, 0, ctx.stream>>> (probe);
  bool ran = init_step (cudaGetLastError (), "the test kernel (are the kernels built for this GPU?)")
             && init_step (cudaMemcpyAsync (&value, probe, sizeof value, cudaMemcpyDeviceToHost, ctx.stream),
                           "cudaMemcpyAsync")
             && init_step (cudaStreamSynchronize (ctx.stream), "the test kernel");
  cudaFree (probe);
  if (!ran)
    return;
  if (value != probe_value)
    {
      snprintf (ctx.init_error, sizeof ctx.init_error, "the test kernel returned a wrong value");
      return;
    }
  ctx.ready = true;
}

} // namespace

cudaStream_t
rv_cuda_stream (void)
{
  return ctx.stream;
}

cublasHandle_t
rv_cuda_cublas (void)
{
  return ctx.cublas;
}

bool
rv_cuda_ok (cudaError_t err, const char *what)
{
  if (err == cudaSuccess)
    return true;
  record (what, cudaGetErrorString (err));
  return false;
}

bool
rv_cuda_cublas_ok (cublasStatus_t status, const char *what)
{
  if (status == CUBLAS_STATUS_SUCCESS)
    return true;
  record (what, rv_cublas.status_string (status));
  return false;
}

bool
rv_cuda_failed (void)
{
  std::lock_guard<std::mutex> guard (ctx.error_lock);
  return ctx.error[0] != '\0';
}

void *
rv_cuda_scratch_alloc (size_t bytes)
{
  void *p = nullptr;
  cudaError_t err = ctx.pools ? cudaMallocAsync (&p, bytes ? bytes : 1, ctx.stream) : cudaMalloc (&p, bytes ? bytes : 1);
  return rv_cuda_ok (err, "allocating scratch memory") ? p : nullptr;
}

void
rv_cuda_scratch_free (void *p)
{
  if (p == nullptr)
    return;
  rv_cuda_ok (ctx.pools ? cudaFreeAsync (p, ctx.stream) : cudaFree (p), "freeing scratch memory");
}

extern "C" int
rv_cuda_init (char *why, size_t why_len)
{
  std::call_once (ctx.once, init_once);
  if (!ctx.ready && why && why_len)
    snprintf (why, why_len, "%s", ctx.init_error);
  return ctx.ready;
}

extern "C" int
rv_cuda_take_error (char *why, size_t why_len)
{
  if (!ctx.ready)
    {
      if (why && why_len)
        snprintf (why, why_len, "CUDA is not set up: %s", ctx.init_error);
      return 1;
    }
  rv_cuda_ok (cudaStreamSynchronize (ctx.stream), "a kernel or copy");
  rv_cuda_ok (cudaGetLastError (), "a kernel launch");
  std::lock_guard<std::mutex> guard (ctx.error_lock);
  if (ctx.error[0] == '\0')
    return 0;
  if (why && why_len)
    snprintf (why, why_len, "%s", ctx.error);
  ctx.error[0] = '\0';
  return 1;
}

extern "C" void *
rv_cuda_alloc (size_t bytes)
{
  void *p = nullptr;
  if (!rv_cuda_ok (cudaMalloc (&p, bytes ? bytes : 1), "cudaMalloc"))
    return nullptr;
  if (!rv_cuda_ok (cudaMemsetAsync (p, 0, bytes, ctx.stream), "cudaMemsetAsync"))
    {
      cudaFree (p);
      return nullptr;
    }
  return p;
}

extern "C" void
rv_cuda_free (void *p)
{
  if (p)
    rv_cuda_ok (cudaFree (p), "cudaFree");
}

// From pageable host memory an asynchronous copy may return before the
// source was read; waiting for the stream makes the source reusable.
extern "C" void
rv_cuda_upload (void *dst, const void *src, size_t bytes)
{
  if (bytes == 0)
    return;
  if (rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyHostToDevice, ctx.stream), "uploading"))
    rv_cuda_ok (cudaStreamSynchronize (ctx.stream), "uploading");
}

extern "C" void
rv_cuda_download (void *dst, const void *src, size_t bytes)
{
  if (bytes == 0)
    return;
  if (rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyDeviceToHost, ctx.stream), "downloading"))
    rv_cuda_ok (cudaStreamSynchronize (ctx.stream), "downloading");
}

extern "C" void
rv_cuda_copy (void *dst, const void *src, size_t bytes)
{
  if (bytes > 0)
    rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyDeviceToDevice, ctx.stream), "copying on the device");
}

extern "C" void
rv_cuda_zero (void *p, size_t bytes)
{
  if (bytes > 0)
    rv_cuda_ok (cudaMemsetAsync (p, 0, bytes, ctx.stream), "cudaMemsetAsync");
}
