// rv-cuda-stats.cu: a tensor's histogram on the device, in two passes.
//
// Pass 1 finds the count, min, max and sum of the finite values (per-block
// partials, added on the host in block order).  The host then fixes the bins
// exactly as rv-stats.c does.  Pass 2 bins every finite value with
// rv_stats_bin_index (src/core/rv-stats-math.h, the CPU's own function, in
// double), counting in shared memory with atomics and adding each block's
// counts to the global ones once; it also sums the squared deviations for
// the variance.  Counts, min and max equal the CPU's exactly; the sums differ
// only in rounding order.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"
#include "rv-cuda.h"
#include "rv-stats-math.h"

#define STATS_BLOCKS 512
// Bins counted in shared memory; wider histograms count in global memory.
#define SHARED_BINS 4096

struct RangePart
{
  unsigned long long n_finite;
  float vmin, vmax;
  double sum;
};

__global__ void
range_kernel (const float *x, size_t n, RangePart *partial)
{
  __shared__ unsigned long long count[RV_CUDA_THREADS];
  __shared__ float lo[RV_CUDA_THREADS], hi[RV_CUDA_THREADS];
  __shared__ double sum[RV_CUDA_THREADS];
  unsigned long long my_count = 0;
  float my_lo = INFINITY, my_hi = -INFINITY;
  double my_sum = 0.0;

  for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x)
    {
      const float v = x[i];
      if (!isfinite (v))
        continue;
      my_count++;
      my_lo = fminf (my_lo, v);
      my_hi = fmaxf (my_hi, v);
      my_sum += v;
    }
  count[threadIdx.x] = my_count;
  lo[threadIdx.x] = my_lo;
  hi[threadIdx.x] = my_hi;
  sum[threadIdx.x] = my_sum;
  __syncthreads ();
  for (int half = blockDim.x / 2; half > 0; half /= 2)
    {
      if (threadIdx.x < half)
        {
          count[threadIdx.x] += count[threadIdx.x + half];
          lo[threadIdx.x] = fminf (lo[threadIdx.x], lo[threadIdx.x + half]);
          hi[threadIdx.x] = fmaxf (hi[threadIdx.x], hi[threadIdx.x + half]);
          sum[threadIdx.x] += sum[threadIdx.x + half];
        }
      __syncthreads ();
    }
  if (threadIdx.x == 0)
    partial[blockIdx.x] = RangePart { count[0], lo[0], hi[0], sum[0] };
}

// counts[n_bins] (global, added to); partial[2 b], partial[2 b + 1] = block
// b's sums of (v - mean)^2 and (v - mean) when moments.
__global__ void
bins_kernel (const float *x, size_t n, double lo, double hi, double scale, uint32_t n_bins, int moments,
             double mean, unsigned long long *counts, double *partial)
{
  extern __shared__ unsigned int shared_counts[];
  __shared__ double ss_part[RV_CUDA_THREADS], dev_part[RV_CUDA_THREADS];
  const bool in_shared = n_bins <= SHARED_BINS;
  double ss = 0.0, dev = 0.0;

  if (in_shared)
    for (uint32_t b = threadIdx.x; b < n_bins; b += blockDim.x)
      shared_counts[b] = 0;
  __syncthreads ();

  for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x)
    {
      const double v = x[i];
      if (!isfinite (v))
        continue;
      const uint32_t b = rv_stats_bin_index (v, lo, hi, scale, n_bins);
      if (in_shared)
        atomicAdd (&shared_counts[b], 1u);
      else
        atomicAdd (&counts[b], 1ull);
      if (moments)
        {
          const double d = v - mean;
          ss += d * d;
          dev += d;
        }
    }
  ss_part[threadIdx.x] = ss;
  dev_part[threadIdx.x] = dev;
  __syncthreads ();
  for (int half = blockDim.x / 2; half > 0; half /= 2)
    {
      if (threadIdx.x < half)
        {
          ss_part[threadIdx.x] += ss_part[threadIdx.x + half];
          dev_part[threadIdx.x] += dev_part[threadIdx.x + half];
        }
      __syncthreads ();
    }
  if (threadIdx.x == 0)
    {
      partial[2 * blockIdx.x] = ss_part[0];
      partial[2 * blockIdx.x + 1] = dev_part[0];
    }
  if (in_shared)
    for (uint32_t b = threadIdx.x; b < n_bins; b += blockDim.x)
      if (shared_counts[b])
        atomicAdd (&counts[b], (unsigned long long) shared_counts[b]);
}

extern "C" int
rv_cuda_stats_range (const float *x, size_t n, uint64_t *n_finite, double *vmin, double *vmax, double *sum)
{
  *n_finite = 0;
  *vmin = INFINITY;
  *vmax = -INFINITY;
  *sum = 0.0;
  if (n == 0)
    return 1;
  const unsigned blocks = rv_cuda_blocks (n, RV_CUDA_THREADS, STATS_BLOCKS);
  RangePart *partial = (RangePart *) rv_cuda_scratch_alloc (blocks * sizeof (RangePart));
  if (partial == nullptr)
    return 0;
  range_kernel<<<blocks, RV_CUDA_THREADS, 0, rv_cuda_stream ()>>> (x, n, partial);
  rv_cuda_launched ("histogram range");
  RangePart host[STATS_BLOCKS];
  rv_cuda_download (host, partial, blocks * sizeof (RangePart));
  rv_cuda_scratch_free (partial);
  if (rv_cuda_failed ())
    return 0;
  for (unsigned b = 0; b < blocks; b++)
    {
      if (host[b].n_finite == 0)
        continue;
      *n_finite += host[b].n_finite;
      *vmin = fmin (*vmin, (double) host[b].vmin);
      *vmax = fmax (*vmax, (double) host[b].vmax);
      *sum += host[b].sum;
    }
  return 1;
}

extern "C" int
rv_cuda_stats_bins (const float *x, size_t n, double lo, double hi, double scale, uint32_t n_bins, int moments,
                    double mean, uint64_t *counts, double *ss, double *dev)
{
  *ss = 0.0;
  *dev = 0.0;
  if (n == 0 || n_bins == 0)
    return 1;
  const unsigned blocks = rv_cuda_blocks (n, RV_CUDA_THREADS, STATS_BLOCKS);
  const size_t counts_bytes = (size_t) n_bins * sizeof (unsigned long long);
  const size_t partial_bytes = 2 * (size_t) blocks * sizeof (double);
  char *scratch = (char *) rv_cuda_scratch_alloc (counts_bytes + partial_bytes);
  if (scratch == nullptr)
    return 0;
  unsigned long long *dev_counts = (unsigned long long *) scratch;
  double *partial = (double *) (scratch + counts_bytes);
  rv_cuda_ok (cudaMemsetAsync (dev_counts, 0, counts_bytes, rv_cuda_stream ()), "cudaMemsetAsync");
  const size_t shared = n_bins <= SHARED_BINS ? n_bins * sizeof (unsigned int) : 0;
  bins_kernel<<<blocks, RV_CUDA_THREADS, shared, rv_cuda_stream ()>>> (x, n, lo, hi, scale, n_bins, moments, mean,
                                                                      dev_counts, partial);
  rv_cuda_launched ("histogram bins");

  unsigned long long *host_counts = new unsigned long long[n_bins];
  double *host_partial = new double[2 * blocks];
  rv_cuda_download (host_counts, dev_counts, counts_bytes);
  rv_cuda_download (host_partial, partial, partial_bytes);
  rv_cuda_scratch_free (scratch);
  const bool ok = !rv_cuda_failed ();
  if (ok)
    {
      for (uint32_t b = 0; b < n_bins; b++)
        counts[b] += host_counts[b];
      for (unsigned b = 0; b < blocks; b++)
        {
          *ss += host_partial[2 * b];
          *dev += host_partial[2 * b + 1];
        }
    }
  delete[] host_counts;
  delete[] host_partial;
  return ok;
}
