// rv-cuda-context.cu: device 0 set up once; per host thread a CUDA stream,
// a cuBLAS handle and the first failure since it was last read (a "lane");
// device memory.
//
// A thread's work runs in order on its own non-blocking stream, so two
// trainers on two threads (the app's runs) overlap on the GPU, and one's
// failure is reported to it alone.  Everything of one trainer must therefore
// be queued from one thread (as rv-train-session.c and the CLI do).  Nothing
// waits except downloads, frees, rv_cuda_take_error and the histogram passes.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <atomic>
#include <mutex>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <vector>

#include "rv-cuda-cublas.cuh"
#include "rv-cuda-private.cuh"
#include "rv-cuda.h"

namespace {

// What each host thread queues its work on: its own stream, cuBLAS handle
// and first failure, so that runs on different threads neither wait for
// each other nor see (and clear) each other's errors.  A thread takes a lane
// on its first CUDA call and hands it back to the pool when it ends.
struct Lane
{
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  void *small = nullptr;    // RV_CUDA_SMALL_BYTES for waiting results
  char error[512] = "";     // the first failure since rv_cuda_take_error
};

struct Context
{
  std::once_flag once;
  bool ready = false;
  char init_error[256] = "";
  std::atomic<bool> pools{ false }; // cudaMallocAsync is available (until refused)
  std::atomic<int> refuse_async{ 0 };
  std::mutex pool_lock;
  std::vector<Lane *> *free_lanes = new std::vector<Lane *> (); // never freed: used at exit
};

Context ctx;

const int probe_value = 0x52617669;

__global__ void
probe_kernel (int *out)
{
  *out = probe_value;
}

void
lane_destroy (Lane *lane)
{
  if (lane->cublas)
    rv_cublas.destroy (lane->cublas);
  if (lane->stream)
    cudaStreamDestroy (lane->stream);
  if (lane->small)
    cudaFree (lane->small);
  delete lane;
}

// A new lane, or NULL with why (and nothing left behind).
Lane *
lane_create (char *why, size_t why_len)
{
  Lane *lane = new Lane ();
  cudaError_t err = cudaStreamCreateWithFlags (&lane->stream, cudaStreamNonBlocking);
  if (err != cudaSuccess)
    {
      snprintf (why, why_len, "cudaStreamCreate: %s", cudaGetErrorString (err));
      lane->stream = nullptr;
      cudaGetLastError ();
      lane_destroy (lane);
      return nullptr;
    }
  cublasStatus_t status = rv_cublas.create (&lane->cublas);
  if (status != CUBLAS_STATUS_SUCCESS)
    {
      snprintf (why, why_len, "cublasCreate: %s", rv_cublas.status_string (status));
      lane->cublas = nullptr;
      lane_destroy (lane);
      return nullptr;
    }
  status = rv_cublas.set_stream (lane->cublas, lane->stream);
  if (status != CUBLAS_STATUS_SUCCESS)
    {
      snprintf (why, why_len, "cublasSetStream: %s", rv_cublas.status_string (status));
      lane_destroy (lane);
      return nullptr;
    }
  return lane;
}

// A lane that could not be made: the legacy stream, no cuBLAS, and the
// reason as its error, so the thread's next check reports it.
Lane *
lane_broken (const char *why)
{
  Lane *lane = new Lane ();
  snprintf (lane->error, sizeof lane->error, "setting up this thread's CUDA stream failed: %s", why);
  return lane;
}

struct LaneHolder
{
  Lane *lane = nullptr;
  ~LaneHolder ()
  {
    if (lane == nullptr)
      return;
    // Only a working lane goes back; its work must be done before another
    // thread takes it (no CUDA call here when the process is exiting: the
    // pool just keeps it).
    if (lane->stream)
      {
        lane->error[0] = '\0';
        std::lock_guard<std::mutex> guard (ctx.pool_lock);
        ctx.free_lanes->push_back (lane);
      }
    else
      delete lane;
  }
};

thread_local LaneHolder holder;

Lane *
lane (void)
{
  if (holder.lane)
    return holder.lane;
  Lane *l = nullptr;
  {
    std::lock_guard<std::mutex> guard (ctx.pool_lock);
    if (!ctx.free_lanes->empty ())
      {
        l = ctx.free_lanes->back ();
        ctx.free_lanes->pop_back ();
      }
  }
  if (l)
    {
      // the previous thread's last work, and any failure of it, stay there
      cudaStreamSynchronize (l->stream);
      cudaGetLastError ();
      l->error[0] = '\0';
    }
  else if (!ctx.ready)
    l = lane_broken (ctx.init_error[0] ? ctx.init_error : "CUDA is not set up");
  else
    {
      char why[256];
      l = lane_create (why, sizeof why);
      if (l == nullptr)
        l = lane_broken (why);
    }
  holder.lane = l;
  return l;
}

void
record (const char *what, const char *detail)
{
  Lane *l = lane ();
  if (l->error[0] == '\0')
    snprintf (l->error, sizeof l->error, "%s failed: %s", what, detail);
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
  if (!init_step (cudaSetDevice (0), "cudaSetDevice"))
    return;
  if (!rv_cublas_load (ctx.init_error, sizeof ctx.init_error))
    return;
  // The first lane, this thread's; on any failure below it is destroyed.
  Lane *first = lane_create (ctx.init_error, sizeof ctx.init_error);
  if (first == nullptr)
    return;

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
  bool ran = init_step (cudaMalloc (&probe, sizeof *probe), "cudaMalloc");
  if (ran)
    {
      probe_kernel<<<1, 1, 0, first->stream>>> (probe);
      ran = init_step (cudaGetLastError (), "the test kernel (are the kernels built for this GPU?)")
            && init_step (cudaMemcpyAsync (&value, probe, sizeof value, cudaMemcpyDeviceToHost, first->stream),
                          "cudaMemcpyAsync")
            && init_step (cudaStreamSynchronize (first->stream), "the test kernel");
      cudaFree (probe);
    }
  if (ran && value != probe_value)
    {
      snprintf (ctx.init_error, sizeof ctx.init_error, "the test kernel returned a wrong value");
      ran = false;
    }
  if (!ran)
    {
      lane_destroy (first);
      return;
    }
  delete holder.lane; // a broken lane from a call before set-up
  holder.lane = first;
  ctx.ready = true;
}

} // namespace

cudaStream_t
rv_cuda_stream (void)
{
  return lane ()->stream;
}

cublasHandle_t
rv_cuda_cublas (void)
{
  return lane ()->cublas;
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
  return lane ()->error[0] != '\0';
}

// Stream-ordered when the device has memory pools; where cudaMallocAsync is
// refused (some sandboxes and drivers), plain cudaMalloc from then on.
void *
rv_cuda_scratch_alloc (size_t bytes)
{
  void *p = nullptr;
  if (bytes == 0)
    bytes = 1;
  if (ctx.pools)
    {
      cudaError_t err = ctx.refuse_async.exchange (0) ? cudaErrorNotSupported
                                                      : cudaMallocAsync (&p, bytes, rv_cuda_stream ());
      if (err == cudaSuccess)
        return p;
      cudaGetLastError ();
      ctx.pools = false;
    }
  return rv_cuda_ok (cudaMalloc (&p, bytes), "allocating scratch memory") ? p : nullptr;
}

void
rv_cuda_scratch_free (void *p)
{
  if (p == nullptr)
    return;
  if (ctx.pools)
    {
      rv_cuda_ok (cudaFreeAsync (p, rv_cuda_stream ()), "freeing scratch memory");
      return;
    }
  // cudaFree also takes memory from cudaMallocAsync (before a refusal), once
  // the work that uses it is done
  rv_cuda_ok (cudaStreamSynchronize (rv_cuda_stream ()), "a kernel before freeing scratch memory");
  rv_cuda_ok (cudaFree (p), "freeing scratch memory");
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
  Lane *l = lane ();
  if (l->stream)
    rv_cuda_ok (cudaStreamSynchronize (l->stream), "a kernel or copy");
  rv_cuda_ok (cudaGetLastError (), "a kernel launch");
  if (l->error[0] == '\0')
    return 0;
  if (why && why_len)
    snprintf (why, why_len, "%s", l->error);
  l->error[0] = '\0';
  return 1;
}

extern "C" void *
rv_cuda_small_buffer (void)
{
  Lane *l = lane ();
  if (l->small == nullptr && !rv_cuda_ok (cudaMalloc (&l->small, RV_CUDA_SMALL_BYTES), "cudaMalloc"))
    l->small = nullptr;
  return l->small;
}

extern "C" void
rv_cuda_test_refuse_async_alloc (void)
{
  ctx.refuse_async = 1;
}

extern "C" int
rv_cuda_async_alloc_in_use (void)
{
  return ctx.pools;
}

extern "C" void *
rv_cuda_alloc (size_t bytes)
{
  void *p = nullptr;
  if (!rv_cuda_ok (cudaMalloc (&p, bytes ? bytes : 1), "cudaMalloc"))
    return nullptr;
  if (!rv_cuda_ok (cudaMemsetAsync (p, 0, bytes, rv_cuda_stream ()), "cudaMemsetAsync"))
    {
      cudaFree (p);
      return nullptr;
    }
  return p;
}

// The thread's queued work may still use p (after a cancel, say): it is
// waited for rather than left to cudaFree's implicit synchronization.
extern "C" void
rv_cuda_free (void *p)
{
  if (p == nullptr)
    return;
  rv_cuda_ok (cudaStreamSynchronize (rv_cuda_stream ()), "a kernel or copy before cudaFree");
  rv_cuda_ok (cudaFree (p), "cudaFree");
}

// From pageable host memory an asynchronous copy may return before the
// source was read; waiting for the stream makes the source reusable.
extern "C" void
rv_cuda_upload (void *dst, const void *src, size_t bytes)
{
  if (bytes == 0)
    return;
  if (rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyHostToDevice, rv_cuda_stream ()), "uploading"))
    rv_cuda_ok (cudaStreamSynchronize (rv_cuda_stream ()), "uploading");
}

extern "C" void
rv_cuda_download (void *dst, const void *src, size_t bytes)
{
  if (bytes == 0)
    return;
  if (rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyDeviceToHost, rv_cuda_stream ()), "downloading"))
    rv_cuda_ok (cudaStreamSynchronize (rv_cuda_stream ()), "downloading");
}

extern "C" void
rv_cuda_copy (void *dst, const void *src, size_t bytes)
{
  if (bytes > 0)
    rv_cuda_ok (cudaMemcpyAsync (dst, src, bytes, cudaMemcpyDeviceToDevice, rv_cuda_stream ()), "copying on the device");
}

extern "C" void
rv_cuda_zero (void *p, size_t bytes)
{
  if (bytes > 0)
    rv_cuda_ok (cudaMemsetAsync (p, 0, bytes, rv_cuda_stream ()), "cudaMemsetAsync");
}
