/* rv-activation-math.h: the activation functions and their derivatives,
 * shared by the CPU backend (rv-backend-cpu.c) and the CUDA kernels
 * (kernels/rv-cuda-activation.cu).  Plain C, no GLib; include
 * rv-activation.h for names and gains. */
#pragma once

#include <math.h>

#include "rv-hostdevice.h"

typedef enum {
  RV_ACT_IDENTITY,
  RV_ACT_TANH,
  RV_ACT_RELU,
  RV_ACT_LEAKY_RELU,
  RV_ACT_ELU,
  RV_ACT_GELU,
  RV_ACT_SIGMOID,
  RV_ACT_SILU,
  RV_ACT_COUNT
} RvActivation;

#define RV_LEAKY_RELU_SLOPE 0.01f /* PyTorch's default negative slope */
#define RV_ELU_ALPHA 1.0f

/* GLib's G_SQRT2 and G_PI, digit for digit. */
#define RV_SQRT2 1.4142135623730950488016887242096980785696718753769
#define RV_PI 3.1415926535897932384626433832795028841971693993751

/* y = f(x) and f'(x), one value at a time.  Inline, so that a loop calling
 * them with a constant `act` compiles to a branch-free pass. */
static inline RV_HOST_DEVICE float
rv_gaussian_cdf (float x)
{
  return 0.5f * (1.0f + erff (x * (float) RV_SQRT2 * 0.5f));
}

static inline RV_HOST_DEVICE float
rv_activation_apply (RvActivation act, float x)
{
  switch (act)
    {
    case RV_ACT_IDENTITY: return x;
    case RV_ACT_TANH: return tanhf (x);
    case RV_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case RV_ACT_LEAKY_RELU: return x > 0.0f ? x : RV_LEAKY_RELU_SLOPE * x;
    case RV_ACT_ELU: return x > 0.0f ? x : RV_ELU_ALPHA * expm1f (x);
    case RV_ACT_GELU: return x * rv_gaussian_cdf (x);
    case RV_ACT_SIGMOID: return 1.0f / (1.0f + expf (-x));
    case RV_ACT_SILU: return x / (1.0f + expf (-x));
    case RV_ACT_COUNT:
    default: break;
    }
  return x;
}

static inline RV_HOST_DEVICE float
rv_activation_derivative (RvActivation act, float x)
{
  switch (act)
    {
    case RV_ACT_IDENTITY: return 1.0f;
    case RV_ACT_TANH:
      {
        float t = tanhf (x);
        return 1.0f - t * t;
      }
    case RV_ACT_RELU: return x > 0.0f ? 1.0f : 0.0f;
    case RV_ACT_LEAKY_RELU: return x > 0.0f ? 1.0f : RV_LEAKY_RELU_SLOPE;
    case RV_ACT_ELU: return x > 0.0f ? 1.0f : RV_ELU_ALPHA * expf (x);
    case RV_ACT_GELU:
      /* d/dx x·Φ(x) = Φ(x) + x·φ(x) */
      return rv_gaussian_cdf (x) + x * expf (-0.5f * x * x) * (float) (1.0 / sqrt (2.0 * RV_PI));
    case RV_ACT_SIGMOID:
      {
        float s = 1.0f / (1.0f + expf (-x));
        return s * (1.0f - s);
      }
    case RV_ACT_SILU:
      {
        float s = 1.0f / (1.0f + expf (-x));
        return s * (1.0f + x * (1.0f - s));
      }
    case RV_ACT_COUNT:
    default: break;
    }
  return 1.0f;
}

/* dy · f'(x), the backward pass's product.  For ReLU a select instead of a
 * multiply by 0 or 1: the same number for every finite dy (up to the sign
 * of a zero), and a loop over it vectorizes, where the multiply's
 * conditional factor keeps GCC's vectorizer out under -ftrapping-math. */
static inline RV_HOST_DEVICE float
rv_activation_backward (RvActivation act, float x, float dy)
{
  if (act == RV_ACT_RELU)
    return x > 0.0f ? dy : 0.0f;
  return dy * rv_activation_derivative (act, x);
}
