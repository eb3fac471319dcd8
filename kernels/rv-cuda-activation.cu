// rv-cuda-activation.cu: fused bias + activation, forward and backward.
//
// Each kernel is a template on the activation, so the switch in
// rv_activation_apply / rv_activation_derivative (src/core/
// rv-activation-math.h, the very functions the CPU backend runs) folds to one
// branch-free formula per instantiation.
#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"

// Column-sum tiles of the backward kernel: 32 columns by BACK_LANES rows.
#define BACK_LANES 16

// z[i] += bias[i % n];  y[i] = f(z[i]) when y is non-NULL.
template <RvActivation ACT>
__global__ void
bias_act_forward_kernel (float *z, float *y, const float *bias, size_t total, int n)
{
  for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < total; i += (size_t) gridDim.x * blockDim.x)
    {
      float v = z[i] + bias[i % n];
      z[i] = v;
      if (y)
        y[i] = rv_activation_apply (ACT, v);
    }
}

// dz[r,j] = dy[r,j] * f'(z[r,j]);  dbias[j] += sum over r of dz[r,j].
// A block owns 32 columns; its BACK_LANES rows of threads walk the rows
// lane, lane + BACK_LANES, ... of their column, then the lanes' partial sums
// are added in a fixed order, so dbias is the same on every run (no atomics).
// dz may alias dy: each element is read and then written by one thread.
template <RvActivation ACT>
__global__ void
bias_act_backward_kernel (const float *z, const float *dy, float *dz, float *dbias, int batch, int n)
{
  __shared__ float partial[BACK_LANES][33];
  const int col = blockIdx.x * 32 + threadIdx.x;
  float sum = 0.0f;
  if (col < n)
    for (int r = threadIdx.y; r < batch; r += BACK_LANES)
      {
        const size_t i = (size_t) r * n + col;
        const float d = dy[i] * rv_activation_derivative (ACT, z[i]);
        dz[i] = d;
        sum += d;
      }
  partial[threadIdx.y][threadIdx.x] = sum;
  __syncthreads ();
  if (threadIdx.y == 0 && col < n)
    {
      float total = 0.0f;
      for (int lane = 0; lane < BACK_LANES; lane++)
        total += partial[lane][threadIdx.x];
      dbias[col] += total;
    }
}

template <RvActivation ACT>
static void
launch_forward (float *z, float *y, const float *bias, int batch, int n)
{
  const size_t total = (size_t) batch * n;
  bias_act_forward_kernel<ACT><<<rv_cuda_blocks (total, RV_CUDA_THREADS, 65535), RV_CUDA_THREADS, 0,
                                 rv_cuda_stream ()>>> (z, y, bias, total, n);
  rv_cuda_launched ("bias_act_forward");
}

template <RvActivation ACT>
static void
launch_backward (const float *z, const float *dy, float *dz, float *dbias, int batch, int n)
{
  const dim3 threads (32, BACK_LANES);
  bias_act_backward_kernel<ACT><<<(n + 31) / 32, threads, 0, rv_cuda_stream ()>>> (z, dy, dz, dbias, batch, n);
  rv_cuda_launched ("bias_act_backward");
}

extern "C" void
rv_cuda_bias_act_forward (RvActivation act, float *z, float *y, const float *bias, int batch, int n)
{
  if (batch <= 0 || n <= 0)
    return;
  switch (act)
    {
    case RV_ACT_IDENTITY: launch_forward<RV_ACT_IDENTITY> (z, y, bias, batch, n); break;
    case RV_ACT_TANH: launch_forward<RV_ACT_TANH> (z, y, bias, batch, n); break;
    case RV_ACT_RELU: launch_forward<RV_ACT_RELU> (z, y, bias, batch, n); break;
    case RV_ACT_LEAKY_RELU: launch_forward<RV_ACT_LEAKY_RELU> (z, y, bias, batch, n); break;
    case RV_ACT_ELU: launch_forward<RV_ACT_ELU> (z, y, bias, batch, n); break;
    case RV_ACT_GELU: launch_forward<RV_ACT_GELU> (z, y, bias, batch, n); break;
    case RV_ACT_SIGMOID: launch_forward<RV_ACT_SIGMOID> (z, y, bias, batch, n); break;
    case RV_ACT_SILU: launch_forward<RV_ACT_SILU> (z, y, bias, batch, n); break;
    case RV_ACT_COUNT:
    default: rv_cuda_ok (cudaErrorInvalidValue, "bias_act_forward (unknown activation)"); break;
    }
}

extern "C" void
rv_cuda_bias_act_backward (RvActivation act, const float *z, const float *dy, float *dz, float *dbias,
                           int batch, int n)
{
  if (batch <= 0 || n <= 0)
    return;
  switch (act)
    {
    case RV_ACT_IDENTITY: launch_backward<RV_ACT_IDENTITY> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_TANH: launch_backward<RV_ACT_TANH> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_RELU: launch_backward<RV_ACT_RELU> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_LEAKY_RELU: launch_backward<RV_ACT_LEAKY_RELU> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_ELU: launch_backward<RV_ACT_ELU> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_GELU: launch_backward<RV_ACT_GELU> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_SIGMOID: launch_backward<RV_ACT_SIGMOID> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_SILU: launch_backward<RV_ACT_SILU> (z, dy, dz, dbias, batch, n); break;
    case RV_ACT_COUNT:
    default: rv_cuda_ok (cudaErrorInvalidValue, "bias_act_backward (unknown activation)"); break;
    }
}
