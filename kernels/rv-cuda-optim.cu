// rv-cuda-optim.cu: one optimizer step over the flat parameter buffer: one
// kernel per optimizer, and two small ones for global-norm clipping.
//
// The per-element updates are src/core/rv-optim-math.h's, the functions the
// CPU loop (rv_optim_update) runs, and the scalars (lr, decays, Adam's bias
// corrections) come from the same rv_optim_scalars, so each element gets the
// CPU's formula with the CPU's constants.  The kernels are built without
// contracting a * b + c into FMAs (--fmad=false), as the CPU computes.
#include <math.h>

#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"

// Blocks of the sum of squares; a fixed count, so the partial sums are added
// in the same order on every run.
#define NORM_BLOCKS 256

// partial[b] = sum of grads[i]^2 over block b's grid-stride share, in double.
__global__ void
sum_squares_kernel (const float *grads, size_t n, double *partial)
{
  __shared__ double part[RV_CUDA_THREADS];
  double sum = 0.0;
  for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x)
    sum += (double) grads[i] * grads[i];
  part[threadIdx.x] = sum;
  __syncthreads ();
  for (int half = blockDim.x / 2; half > 0; half /= 2)
    {
      if (threadIdx.x < half)
        part[threadIdx.x] += part[threadIdx.x + half];
      __syncthreads ();
    }
  if (threadIdx.x == 0)
    partial[blockIdx.x] = part[0];
}

// norm = sqrt(sum of partials);  scale = c / norm when norm > c, else 1
// (multiplying by 1 leaves the gradient exactly as the CPU leaves it).
__global__ void
clip_scale_kernel (const double *partial, double c, float *scale)
{
  __shared__ double part[NORM_BLOCKS];
  part[threadIdx.x] = partial[threadIdx.x];
  __syncthreads ();
  for (int half = NORM_BLOCKS / 2; half > 0; half /= 2)
    {
      if (threadIdx.x < half)
        part[threadIdx.x] += part[threadIdx.x + half];
      __syncthreads ();
    }
  if (threadIdx.x == 0)
    {
      const double norm = sqrt (part[0]);
      *scale = norm > c ? (float) (c / norm) : 1.0f;
    }
}

// g = grads[i] (times the clip scale, written back, when clipping), then the
// kind's update of params[i] and its state.
template <RvOptimKind KIND>
__global__ void
optim_kernel (RvOptimScalars s, float *params, float *grads, float *m, float *v, size_t n, const float *clip_scale)
{
  const float scale = clip_scale ? *clip_scale : 1.0f;
  for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x)
    {
      float g = grads[i];
      if (clip_scale)
        {
          g *= scale;
          grads[i] = g;
        }
      if constexpr (KIND == RV_OPTIM_SGD)
        rv_optim_sgd_update (&params[i], g, s.lr);
      else if constexpr (KIND == RV_OPTIM_MOMENTUM)
        rv_optim_momentum_update (&params[i], &m[i], g, s.lr, s.mu, s.one_mu);
      else if constexpr (KIND == RV_OPTIM_HEAVY_BALL)
        rv_optim_heavy_ball_update (&params[i], &m[i], g, s.lr, s.mu);
      else if constexpr (KIND == RV_OPTIM_NESTEROV)
        rv_optim_nesterov_update (&params[i], &m[i], g, s.lr, s.mu);
      else if constexpr (KIND == RV_OPTIM_RMSPROP)
        rv_optim_rmsprop_update (&params[i], &m[i], g, s.lr, s.alpha, s.one_alpha, s.eps);
      else if constexpr (KIND == RV_OPTIM_ADAGRAD)
        rv_optim_adagrad_update (&params[i], &m[i], g, s.lr, s.eps);
      else // adam and adamw (s.keep = 1 - lr wd for adamw)
        rv_optim_adam_update (&params[i], &m[i], &v[i], g, s.lr, s.b1, s.one_b1, s.b2, s.one_b2, s.bc1, s.bc2,
                              s.eps, s.keep);
    }
}

template <RvOptimKind KIND>
static void
launch (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n, const float *clip_scale)
{
  optim_kernel<KIND><<<rv_cuda_blocks (n, RV_CUDA_THREADS, 4096), RV_CUDA_THREADS, 0, rv_cuda_stream ()>>> (
    *s, params, grads, m, v, n, clip_scale);
  rv_cuda_launched ("optimizer step");
}

extern "C" void
rv_cuda_optim_update (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n)
{
  if (n == 0)
    return;

  // Clipping: the scratch holds NORM_BLOCKS partial sums, then the scale.
  void *scratch = nullptr;
  float *clip_scale = nullptr;
  if (s->clip_norm > 0.0)
    {
      scratch = rv_cuda_scratch_alloc (NORM_BLOCKS * sizeof (double) + sizeof (float));
      if (scratch == nullptr)
        return;
      double *partial = (double *) scratch;
      clip_scale = (float *) (partial + NORM_BLOCKS);
      sum_squares_kernel<<<NORM_BLOCKS, RV_CUDA_THREADS, 0, rv_cuda_stream ()>>> (grads, n, partial);
      rv_cuda_launched ("clipping: sum of squares");
      clip_scale_kernel<<<1, NORM_BLOCKS, 0, rv_cuda_stream ()>>> (partial, s->clip_norm, clip_scale);
      rv_cuda_launched ("clipping: scale");
    }

  switch (s->kind)
    {
    case RV_OPTIM_SGD: launch<RV_OPTIM_SGD> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_MOMENTUM: launch<RV_OPTIM_MOMENTUM> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_HEAVY_BALL: launch<RV_OPTIM_HEAVY_BALL> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_NESTEROV: launch<RV_OPTIM_NESTEROV> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_RMSPROP: launch<RV_OPTIM_RMSPROP> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_ADAGRAD: launch<RV_OPTIM_ADAGRAD> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_ADAM: launch<RV_OPTIM_ADAM> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_ADAMW: launch<RV_OPTIM_ADAMW> (s, params, grads, m, v, n, clip_scale); break;
    case RV_OPTIM_COUNT:
    default: rv_cuda_ok (cudaErrorInvalidValue, "optimizer step (unknown optimizer)"); break;
    }
  rv_cuda_scratch_free (scratch);
}
