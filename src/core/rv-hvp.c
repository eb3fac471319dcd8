/* rv-hvp.c: the R-operator through the MLP and its cross-entropy. */
#include "rv-hvp.h"

#include <math.h>
#include <string.h>

struct _RvHvp
{
  const RvNet *layout;
  uint32_t batch_cap;
  float *z[RV_MAX_LINEAR], *rz[RV_MAX_LINEAR];  /* Linear outputs and their R */
  float *h[RV_MAX_LINEAR], *rh[RV_MAX_LINEAR];  /* activations (hidden layers) and their R */
  float *delta, *rdelta, *dh, *rdh;             /* [batch_cap, widest] */
};

RvHvp *
rv_hvp_new (const RvNet *layout, uint32_t batch_cap)
{
  RvHvp *h = g_new0 (RvHvp, 1);
  uint32_t widest = 0;
  h->layout = layout;
  h->batch_cap = batch_cap;
  for (uint32_t l = 0; l < layout->cfg.n_linear; l++)
    {
      size_t size = (size_t) batch_cap * rv_net_fan_out (layout, l);
      widest = MAX (widest, MAX (rv_net_fan_out (layout, l), rv_net_fan_in (layout, l)));
      h->z[l] = g_new (float, size);
      h->rz[l] = g_new (float, size);
      h->h[l] = g_new (float, size);
      h->rh[l] = g_new (float, size);
    }
  h->delta = g_new (float, (size_t) batch_cap * widest);
  h->rdelta = g_new (float, (size_t) batch_cap * widest);
  h->dh = g_new (float, (size_t) batch_cap * widest);
  h->rdh = g_new (float, (size_t) batch_cap * widest);
  return h;
}

void
rv_hvp_free (RvHvp *h)
{
  if (h == NULL)
    return;
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      g_free (h->z[l]);
      g_free (h->rz[l]);
      g_free (h->h[l]);
      g_free (h->rh[l]);
    }
  g_free (h->delta);
  g_free (h->rdelta);
  g_free (h->dh);
  g_free (h->rdh);
  g_free (h);
}

double
rv_hvp_activation_second_derivative (RvActivation act, double x)
{
  switch (act)
    {
    case RV_ACT_TANH:
      {
        double t = tanh (x);
        return -2.0 * t * (1.0 - t * t);
      }
    case RV_ACT_ELU: return x > 0.0 ? 0.0 : RV_ELU_ALPHA * exp (x);
    case RV_ACT_GELU:
      /* d/dx (Φ + xφ) = 2φ − x²φ */
      return exp (-0.5 * x * x) / sqrt (2.0 * RV_PI) * (2.0 - x * x);
    case RV_ACT_SIGMOID:
      {
        double s = 1.0 / (1.0 + exp (-x));
        return s * (1.0 - s) * (1.0 - 2.0 * s);
      }
    case RV_ACT_SILU:
      {
        double s = 1.0 / (1.0 + exp (-x));
        return s * (1.0 - s) * (2.0 + x * (1.0 - 2.0 * s));
      }
    case RV_ACT_IDENTITY:
    case RV_ACT_RELU:
    case RV_ACT_LEAKY_RELU:
    case RV_ACT_COUNT:
    default:
      return 0.0;
    }
}

void
rv_hvp_accumulate (RvHvp *hv_work, const float *params, const float *v, const float *x, const uint8_t *labels,
                   uint32_t batch, float weight, float *hv)
{
  const RvNet *net = hv_work->layout;
  const RvBackend *be = rv_backend_cpu ();
  const uint32_t L = net->cfg.n_linear;
  const RvActivation act = net->cfg.act;
  const int B = (int) batch;
  g_return_if_fail (batch <= hv_work->batch_cap);

  /* Forward, with the directional derivatives beside it. */
  for (uint32_t l = 0; l < L; l++)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      const float *hin = l == 0 ? x : hv_work->h[l - 1];
      const float *W = params + net->w_off[l], *b = params + net->b_off[l];
      const float *V = v + net->w_off[l], *c = v + net->b_off[l];
      float *z = hv_work->z[l], *rz = hv_work->rz[l];
      be->gemm (FALSE, TRUE, B, out, in, 1.0f, hin, in, W, in, 0.0f, z, out);
      be->gemm (FALSE, TRUE, B, out, in, 1.0f, hin, in, V, in, 0.0f, rz, out);
      if (l > 0)
        be->gemm (FALSE, TRUE, B, out, in, 1.0f, hv_work->rh[l - 1], in, W, in, 1.0f, rz, out);
      for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
          {
            z[(size_t) r * out + j] += b[j];
            rz[(size_t) r * out + j] += c[j];
          }
      if (l + 1 < L)
        for (size_t i = 0; i < (size_t) B * out; i++)
          {
            hv_work->h[l][i] = rv_activation_apply (act, z[i]);
            hv_work->rh[l][i] = rv_activation_derivative (act, z[i]) * rz[i];
          }
    }

  /* The loss's δ = (p − y) / B and Rδ = (diag p − p pᵀ) Rz / B. */
  const int C = (int) rv_net_fan_out (net, L - 1);
  float *delta = hv_work->delta, *rdelta = hv_work->rdelta;
  for (int r = 0; r < B; r++)
    {
      const float *z = hv_work->z[L - 1] + (size_t) r * C, *rz = hv_work->rz[L - 1] + (size_t) r * C;
      double m = z[0], s = 0.0, prz = 0.0;
      for (int j = 1; j < C; j++)
        m = MAX (m, z[j]);
      for (int j = 0; j < C; j++)
        s += exp (z[j] - m);
      for (int j = 0; j < C; j++)
        prz += exp (z[j] - m) / s * rz[j];
      for (int j = 0; j < C; j++)
        {
          double p = exp (z[j] - m) / s;
          delta[(size_t) r * C + j] = (float) ((p - (labels[r] == j)) / B);
          rdelta[(size_t) r * C + j] = (float) (p * (rz[j] - prz) / B);
        }
    }

  /* Backward: R of the gradient, layer by layer. */
  for (uint32_t l = L; l-- > 0;)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      const float *hin = l == 0 ? x : hv_work->h[l - 1];
      const float *W = params + net->w_off[l], *V = v + net->w_off[l];
      float *hw = hv + net->w_off[l], *hb = hv + net->b_off[l];
      /* R(dW) = Rδᵀ h + δᵀ Rh; R(db) = Σ rows of Rδ */
      be->gemm (TRUE, FALSE, out, in, B, weight, rdelta, out, hin, in, 1.0f, hw, in);
      if (l > 0)
        be->gemm (TRUE, FALSE, out, in, B, weight, delta, out, hv_work->rh[l - 1], in, 1.0f, hw, in);
      for (int j = 0; j < out; j++)
        {
          double sum = 0.0;
          for (int r = 0; r < B; r++)
            sum += rdelta[(size_t) r * out + j];
          hb[j] += (float) (weight * sum);
        }
      if (l == 0)
        break;
      /* dh = δ W, R(dh) = Rδ W + δ V; then through the activation. */
      float *dh = hv_work->dh, *rdh = hv_work->rdh;
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, delta, out, W, in, 0.0f, dh, in);
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, rdelta, out, W, in, 0.0f, rdh, in);
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, delta, out, V, in, 1.0f, rdh, in);
      const float *zp = hv_work->z[l - 1], *rzp = hv_work->rz[l - 1];
      for (size_t i = 0; i < (size_t) B * in; i++)
        {
          float d1 = rv_activation_derivative (act, zp[i]);
          double d2 = rv_hvp_activation_second_derivative (act, zp[i]);
          delta[i] = dh[i] * d1;
          rdelta[i] = (float) (rdh[i] * d1 + dh[i] * d2 * rzp[i]);
        }
    }
}
