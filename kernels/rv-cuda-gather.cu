// rv-cuda-gather.cu: a batch gathered from the resident uint8 data set and
// normalized, on the device.
//
// Normalization goes through the CPU's own table (rv_dataset_norm_table:
// table[v] = (v / 255 - 0.2861) / 0.3530 in float), copied here once, so a
// gathered batch is bit-identical to the CPU's.
#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"
#include "rv-cuda.h"

#define PIXELS 784

namespace {
float *norm_table; // device, 256 floats
}

// One block per image: the block loads the table into shared memory, then
// its threads convert the image's 784 bytes.
__global__ void
gather_kernel (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows, const uint32_t *indices,
               uint32_t first, const float *table, float *x, uint8_t *labels_out)
{
  __shared__ float lut[256];
  const uint32_t i = blockIdx.x;
  const uint32_t row = indices ? indices[i] : first + i;
  float *dst = x + (size_t) i * PIXELS;

  for (int v = threadIdx.x; v < 256; v += blockDim.x)
    lut[v] = table[v];
  __syncthreads ();
  if (row >= n_rows)
    {
      for (int p = threadIdx.x; p < PIXELS; p += blockDim.x)
        dst[p] = 0.0f;
      if (threadIdx.x == 0 && labels_out)
        labels_out[i] = 0;
      return;
    }
  const uint8_t *src = pixels + (size_t) row * PIXELS;
  for (int p = threadIdx.x; p < PIXELS; p += blockDim.x)
    dst[p] = lut[src[p]];
  if (threadIdx.x == 0 && labels_out)
    labels_out[i] = labels[row];
}

extern "C" void
rv_cuda_set_norm_table (const float *table)
{
  if (norm_table == nullptr && !rv_cuda_ok (cudaMalloc (&norm_table, 256 * sizeof (float)), "cudaMalloc"))
    return;
  rv_cuda_upload (norm_table, table, 256 * sizeof (float));
}

extern "C" void
rv_cuda_gather (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows, const uint32_t *indices,
                uint32_t first, uint32_t count, float *x, uint8_t *labels_out)
{
  if (count == 0)
    return;
  if (norm_table == nullptr)
    {
      rv_cuda_ok (cudaErrorNotReady, "gather (no normalization table)");
      return;
    }
  gather_kernel<<<count, RV_CUDA_THREADS, 0, rv_cuda_stream ()>>> (pixels, labels, n_rows, indices, first,
                                                                   norm_table, x, labels_out);
  rv_cuda_launched ("gather");
}
