// rv-cuda-xent.cu: softmax cross-entropy, mean loss, dlogits and the count of
// correct predictions, in one kernel.
//
// One block: thread r takes rows r, r + blockDim, ... and runs rv_xent_row
// (src/core/rv-xent-math.h, the CPU's own row formula) on each; then the
// block adds the threads' losses (in double) and hits in a fixed tree order,
// so the result is the same on every run.
#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"
#include "rv-xent-math.h"

#define XENT_THREADS 256

__global__ void
softmax_xent_kernel (const float *logits, const uint8_t *labels, int batch, int classes, float *dlogits,
                     double *loss_out, int32_t *correct_out)
{
  __shared__ double loss_part[XENT_THREADS];
  __shared__ int hit_part[XENT_THREADS];
  const float inv_batch = 1.0f / (float) batch;
  double loss = 0.0;
  int hits = 0;

  for (int r = threadIdx.x; r < batch; r += blockDim.x)
    {
      int hit;
      loss += rv_xent_row (logits + (size_t) r * classes, labels[r], classes, inv_batch,
                           dlogits ? dlogits + (size_t) r * classes : NULL, &hit);
      hits += hit;
    }
  loss_part[threadIdx.x] = loss;
  hit_part[threadIdx.x] = hits;
  __syncthreads ();
  for (int half = blockDim.x / 2; half > 0; half /= 2)
    {
      if (threadIdx.x < half)
        {
          loss_part[threadIdx.x] += loss_part[threadIdx.x + half];
          hit_part[threadIdx.x] += hit_part[threadIdx.x + half];
        }
      __syncthreads ();
    }
  if (threadIdx.x == 0)
    {
      // mean loss = sum of row losses / batch, as the CPU divides
      *loss_out = loss_part[0] / batch;
      *correct_out = hit_part[0];
    }
}

extern "C" void
rv_cuda_softmax_xent (const float *logits, const uint8_t *labels, int batch, int classes, float *dlogits,
                      double *loss, int32_t *correct)
{
  if (batch <= 0)
    return;
  softmax_xent_kernel<<<1, XENT_THREADS, 0, rv_cuda_stream ()>>> (logits, labels, batch, classes, dlogits,
                                                                  loss, correct);
  rv_cuda_launched ("softmax_xent");
}
