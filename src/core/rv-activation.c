/* rv-activation.c: names, gains and reference forms of the activations. */
#include "rv-activation.h"

#include <math.h>

typedef struct {
  const char *name;
  const char *torch_name;
} ActivationInfo;

static const ActivationInfo infos[RV_ACT_COUNT] = {
  [RV_ACT_IDENTITY] = { "identity", "Identity" },
  [RV_ACT_TANH] = { "tanh", "Tanh" },
  [RV_ACT_RELU] = { "relu", "ReLU" },
  [RV_ACT_LEAKY_RELU] = { "leaky-relu", "LeakyReLU" },
  [RV_ACT_ELU] = { "elu", "ELU" },
  [RV_ACT_GELU] = { "gelu", "GELU" },
  [RV_ACT_SIGMOID] = { "sigmoid", "Sigmoid" },
  [RV_ACT_SILU] = { "silu", "SiLU" },
};

const char *
rv_activation_name (RvActivation act)
{
  g_return_val_if_fail (act < RV_ACT_COUNT, "identity");
  return infos[act].name;
}

const char *
rv_activation_torch_name (RvActivation act)
{
  g_return_val_if_fail (act < RV_ACT_COUNT, "Identity");
  return infos[act].torch_name;
}

gboolean
rv_activation_from_name (const char *name, RvActivation *out)
{
  if (name == NULL)
    return FALSE;
  for (int i = 0; i < RV_ACT_COUNT; i++)
    if (g_ascii_strcasecmp (name, infos[i].name) == 0 || g_ascii_strcasecmp (name, infos[i].torch_name) == 0)
      {
        *out = (RvActivation) i;
        return TRUE;
      }
  /* "leaky_relu" as PyTorch spells it in calculate_gain. */
  if (g_ascii_strcasecmp (name, "leaky_relu") == 0)
    {
      *out = RV_ACT_LEAKY_RELU;
      return TRUE;
    }
  return FALSE;
}

float
rv_activation_gain (RvActivation act)
{
  switch (act)
    {
    case RV_ACT_IDENTITY:
    case RV_ACT_SIGMOID:
      return 1.0f;
    case RV_ACT_TANH:
      return 5.0f / 3.0f;
    case RV_ACT_RELU:
      return (float) G_SQRT2;
    case RV_ACT_LEAKY_RELU:
      return sqrtf (2.0f / (1.0f + RV_LEAKY_RELU_SLOPE * RV_LEAKY_RELU_SLOPE));
    /* 1/sqrt(E[f(z)^2]), z ~ N(0,1), integrated numerically once (tests check
     * these against a quadrature). */
    case RV_ACT_ELU:
      return 1.2452f;
    case RV_ACT_GELU:
      return 1.5335f;
    case RV_ACT_SILU:
      return 1.6765f;
    case RV_ACT_COUNT:
    default:
      break;
    }
  g_return_val_if_reached (1.0f);
}
