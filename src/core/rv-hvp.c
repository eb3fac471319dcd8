/* rv-hvp.c: the R-operator through the MLP and its cross-entropy, with the
 * passes that do not depend on v done once per point. */
#include "rv-hvp.h"

#include <math.h>
#include <string.h>

#include "rv-activation-math.h"

/* What one chunk of images keeps between products.  Hidden layers l <
 * L − 1 have h, d1 = f'(z) and, for curved activations, g2 = dh·f''(z);
 * every layer has δ_l = dLoss/dz_l; the output has p = softmax(z). */
typedef struct
{
  int64_t chunk;  /* the chunk it holds, −1 for none yet */
  float *h[RV_MAX_LINEAR], *d1[RV_MAX_LINEAR], *g2[RV_MAX_LINEAR], *delta[RV_MAX_LINEAR];
  float *p;
  float *mem;
} Slot;

struct _RvHvp
{
  const RvNet *layout;
  const float *params, *x;
  const uint8_t *labels;
  uint32_t count, chunk_rows, n_chunks, n_slots;
  gboolean curved;  /* f'' is not 0 everywhere */
  Slot *slots;
  float *rz[RV_MAX_LINEAR], *rh[RV_MAX_LINEAR];  /* this product's, [chunk_rows, out] */
  float *rdelta[2];                              /* [chunk_rows, widest], the two sides of a layer */
  double *colsum;                                /* [widest] */
};

static gboolean
is_curved (RvActivation act)
{
  return act != RV_ACT_IDENTITY && act != RV_ACT_RELU && act != RV_ACT_LEAKY_RELU;
}

/* Floats one slot holds for `rows` images. */
static size_t
slot_floats (const RvNet *net, gboolean curved, uint32_t rows)
{
  const uint32_t L = net->cfg.n_linear;
  size_t per_row = rv_net_fan_out (net, L - 1) * 2;  /* δ and p of the output */
  for (uint32_t l = 0; l + 1 < L; l++)
    per_row += (size_t) rv_net_fan_out (net, l) * (curved ? 4 : 3);
  return per_row * rows;
}

static void
slot_init (Slot *s, const RvNet *net, gboolean curved, uint32_t rows)
{
  const uint32_t L = net->cfg.n_linear;
  float *at = s->mem = g_new (float, slot_floats (net, curved, rows));
  s->chunk = -1;
  for (uint32_t l = 0; l < L; l++)
    {
      const size_t size = (size_t) rows * rv_net_fan_out (net, l);
      s->delta[l] = at;
      at += size;
      if (l + 1 == L)
        {
          s->p = at;
          break;
        }
      s->h[l] = at;
      s->d1[l] = at + size;
      at += 2 * size;
      if (curved)
        {
          s->g2[l] = at;
          at += size;
        }
    }
}

RvHvp *
rv_hvp_new (const RvNet *layout, const float *params, const float *x, const uint8_t *labels, uint32_t count,
            size_t keep_bytes)
{
  g_return_val_if_fail (count > 0, NULL);
  RvHvp *h = g_new0 (RvHvp, 1);
  uint32_t widest = 0;
  h->layout = layout;
  h->params = params;
  h->x = x;
  h->labels = labels;
  h->count = count;
  h->chunk_rows = MIN (count, RV_HVP_CHUNK);
  h->n_chunks = (count + h->chunk_rows - 1) / h->chunk_rows;
  h->curved = is_curved (layout->cfg.act);
  size_t slot_bytes = slot_floats (layout, h->curved, h->chunk_rows) * sizeof (float);
  h->n_slots = (uint32_t) CLAMP (keep_bytes / slot_bytes, 1, h->n_chunks);
  h->slots = g_new0 (Slot, h->n_slots);
  for (uint32_t s = 0; s < h->n_slots; s++)
    slot_init (&h->slots[s], layout, h->curved, h->chunk_rows);
  for (uint32_t l = 0; l < layout->cfg.n_linear; l++)
    {
      size_t size = (size_t) h->chunk_rows * rv_net_fan_out (layout, l);
      widest = MAX (widest, MAX (rv_net_fan_out (layout, l), rv_net_fan_in (layout, l)));
      h->rz[l] = g_new (float, size);
      h->rh[l] = g_new (float, size);
    }
  h->rdelta[0] = g_new (float, (size_t) h->chunk_rows * widest);
  h->rdelta[1] = g_new (float, (size_t) h->chunk_rows * widest);
  h->colsum = g_new (double, widest);
  return h;
}

void
rv_hvp_free (RvHvp *h)
{
  if (h == NULL)
    return;
  for (uint32_t s = 0; s < h->n_slots; s++)
    g_free (h->slots[s].mem);
  g_free (h->slots);
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      g_free (h->rz[l]);
      g_free (h->rh[l]);
    }
  g_free (h->rdelta[0]);
  g_free (h->rdelta[1]);
  g_free (h->colsum);
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

/* The forward pass and the gradient's backward pass of chunk c at the
 * workspace's point, into s. */
static void
prepare (RvHvp *hv_work, Slot *s, uint32_t c)
{
  const RvNet *net = hv_work->layout;
  const RvBackend *be = rv_backend_cpu ();
  const uint32_t L = net->cfg.n_linear;
  const RvActivation act = net->cfg.act;
  const uint32_t first = c * hv_work->chunk_rows;
  const int B = (int) MIN (hv_work->chunk_rows, hv_work->count - first);
  const float *x = hv_work->x + (size_t) first * RV_INPUT_SIZE;
  const uint8_t *labels = hv_work->labels + first;
  const float *params = hv_work->params;

  for (uint32_t l = 0; l < L; l++)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      const float *hin = l == 0 ? x : s->h[l - 1];
      const float *b = params + net->b_off[l];
      /* z itself is needed later only for f'', so it waits in g2. */
      float *z = l + 1 < L && hv_work->curved ? s->g2[l] : hv_work->rz[l];
      be->gemm (FALSE, TRUE, B, out, in, 1.0f, hin, in, params + net->w_off[l], in, 0.0f, z, out);
      for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
          z[(size_t) r * out + j] += b[j];
      if (l + 1 < L)
        for (size_t i = 0; i < (size_t) B * out; i++)
          {
            s->h[l][i] = rv_activation_apply (act, z[i]);
            s->d1[l][i] = rv_activation_derivative (act, z[i]);
          }
    }

  /* p = softmax(z), δ = (p − y) / K: the mean over all K images. */
  const int C = (int) rv_net_fan_out (net, L - 1);
  const float *logits = hv_work->rz[L - 1];
  for (int r = 0; r < B; r++)
    {
      const float *z = logits + (size_t) r * C;
      double m = z[0], sum = 0.0;
      for (int j = 1; j < C; j++)
        m = MAX (m, z[j]);
      for (int j = 0; j < C; j++)
        sum += exp (z[j] - m);
      for (int j = 0; j < C; j++)
        {
          double p = exp (z[j] - m) / sum;
          s->p[(size_t) r * C + j] = (float) p;
          s->delta[L - 1][(size_t) r * C + j] = (float) ((p - (labels[r] == j)) / hv_work->count);
        }
    }

  /* δ_{l−1} = (δ_l W_l)·f'(z_{l−1}); g2 = (δ_l W_l)·f''(z_{l−1}). */
  for (uint32_t l = L - 1; l > 0; l--)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      float *dh = hv_work->rh[l - 1];
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, s->delta[l], out, params + net->w_off[l], in, 0.0f, dh, in);
      for (size_t i = 0; i < (size_t) B * in; i++)
        {
          s->delta[l - 1][i] = dh[i] * s->d1[l - 1][i];
          if (hv_work->curved)
            s->g2[l - 1][i] = (float) (dh[i] * rv_hvp_activation_second_derivative (act, s->g2[l - 1][i]));
        }
    }
  s->chunk = c;
}

/* hv += the product's share from chunk c. */
static void
accumulate_chunk (RvHvp *hv_work, uint32_t c, const float *v, float *hv)
{
  const RvNet *net = hv_work->layout;
  const RvBackend *be = rv_backend_cpu ();
  const uint32_t L = net->cfg.n_linear;
  const uint32_t first = c * hv_work->chunk_rows;
  const int B = (int) MIN (hv_work->chunk_rows, hv_work->count - first);
  const float *x = hv_work->x + (size_t) first * RV_INPUT_SIZE;
  const float *params = hv_work->params;
  Slot *s = &hv_work->slots[c % hv_work->n_slots];
  if (s->chunk != c)
    prepare (hv_work, s, c);

  /* Forward: Rz_l = h_{l−1} V_lᵀ + Rh_{l−1} W_lᵀ + c_l, Rh_l = f'(z_l)·Rz_l. */
  for (uint32_t l = 0; l < L; l++)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      const float *hin = l == 0 ? x : s->h[l - 1];
      const float *cb = v + net->b_off[l];
      float *rz = hv_work->rz[l];
      be->gemm (FALSE, TRUE, B, out, in, 1.0f, hin, in, v + net->w_off[l], in, 0.0f, rz, out);
      if (l > 0)
        be->gemm (FALSE, TRUE, B, out, in, 1.0f, hv_work->rh[l - 1], in, params + net->w_off[l], in, 1.0f, rz,
                  out);
      for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
          rz[(size_t) r * out + j] += cb[j];
      if (l + 1 < L)
        for (size_t i = 0; i < (size_t) B * out; i++)
          hv_work->rh[l][i] = s->d1[l][i] * rz[i];
    }

  /* Rδ = (diag p − p pᵀ) Rz / K. */
  const int C = (int) rv_net_fan_out (net, L - 1);
  int side = 0;
  float *rdelta = hv_work->rdelta[side];
  for (int r = 0; r < B; r++)
    {
      const float *rz = hv_work->rz[L - 1] + (size_t) r * C, *p = s->p + (size_t) r * C;
      double prz = 0.0;
      for (int j = 0; j < C; j++)
        prz += (double) p[j] * rz[j];
      for (int j = 0; j < C; j++)
        rdelta[(size_t) r * C + j] = (float) (p[j] * (rz[j] - prz) / hv_work->count);
    }

  /* Backward: R of the gradient, layer by layer. */
  for (uint32_t l = L; l-- > 0;)
    {
      const int in = (int) rv_net_fan_in (net, l), out = (int) rv_net_fan_out (net, l);
      const float *hin = l == 0 ? x : s->h[l - 1];
      float *hw = hv + net->w_off[l], *hb = hv + net->b_off[l];
      /* R(dW) = Rδᵀ h + δᵀ Rh; R(db) = Σ rows of Rδ */
      be->gemm (TRUE, FALSE, out, in, B, 1.0f, rdelta, out, hin, in, 1.0f, hw, in);
      if (l > 0)
        be->gemm (TRUE, FALSE, out, in, B, 1.0f, s->delta[l], out, hv_work->rh[l - 1], in, 1.0f, hw, in);
      double *colsum = hv_work->colsum;
      memset (colsum, 0, out * sizeof (double));
      for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
          colsum[j] += rdelta[(size_t) r * out + j];
      for (int j = 0; j < out; j++)
        hb[j] += (float) colsum[j];
      if (l == 0)
        break;
      /* R(dh) = Rδ W + δ V, then Rδ_{l−1} = R(dh)·f'(z) + dh·f''(z)·Rz. */
      float *rdh = hv_work->rdelta[1 - side];
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, rdelta, out, params + net->w_off[l], in, 0.0f, rdh, in);
      be->gemm (FALSE, FALSE, B, in, out, 1.0f, s->delta[l], out, v + net->w_off[l], in, 1.0f, rdh, in);
      const float *d1 = s->d1[l - 1];
      if (hv_work->curved)
        {
          const float *g2 = s->g2[l - 1], *rzp = hv_work->rz[l - 1];
          for (size_t i = 0; i < (size_t) B * in; i++)
            rdh[i] = rdh[i] * d1[i] + g2[i] * rzp[i];
        }
      else
        for (size_t i = 0; i < (size_t) B * in; i++)
          rdh[i] *= d1[i];
      side = 1 - side;
      rdelta = rdh;
    }
}

void
rv_hvp_compute (RvHvp *h, const float *v, float *hv)
{
  memset (hv, 0, h->layout->n_params * sizeof (float));
  for (uint32_t c = 0; c < h->n_chunks; c++)
    accumulate_chunk (h, c, v, hv);
}
