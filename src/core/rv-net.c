/* rv-net.c: the MLP's memory, forward pass and backward pass. */
#include "rv-net.h"

#include <string.h>

#include "rv-error.h"

#define RV_MAX_WIDTH 65536

void
rv_net_config_init (RvNetConfig *cfg, RvActivation act, const uint32_t *hidden, uint32_t n_hidden)
{
  g_return_if_fail (n_hidden < RV_MAX_LINEAR);
  memset (cfg, 0, sizeof *cfg);
  cfg->act = act;
  cfg->n_linear = n_hidden + 1;
  cfg->sizes[0] = RV_INPUT_SIZE;
  for (uint32_t i = 0; i < n_hidden; i++)
    cfg->sizes[i + 1] = hidden[i];
  cfg->sizes[n_hidden + 1] = 10;
}

gboolean
rv_net_config_parse_hidden (RvNetConfig *cfg, const char *hidden, GError **error)
{
  uint32_t sizes[RV_MAX_LINEAR];
  uint32_t n = 0;
  g_auto (GStrv) parts = g_strsplit (hidden ? hidden : "", ",", -1);

  for (char **p = parts; *p; p++)
    {
      g_autofree char *item = g_strstrip (g_strdup (*p));
      guint64 v = 0;
      if (*item == '\0' && parts[1] == NULL)
        break; /* "" means no hidden layer */
      if (n == RV_MAX_LINEAR - 1)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                       "hidden sizes \"%s\": at most %d hidden layers", hidden, RV_MAX_LINEAR - 1);
          return FALSE;
        }
      if (!g_ascii_string_to_unsigned (item, 10, 1, RV_MAX_WIDTH, &v, NULL))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                       "hidden sizes \"%s\": \"%s\" is not a layer width from 1 to %d",
                       hidden, item, RV_MAX_WIDTH);
          return FALSE;
        }
      sizes[n++] = (uint32_t) v;
    }
  rv_net_config_init (cfg, cfg->act, sizes, n);
  return TRUE;
}

char *
rv_net_config_hidden_string (const RvNetConfig *cfg)
{
  GString *s = g_string_new (NULL);
  for (uint32_t l = 1; l < cfg->n_linear; l++)
    g_string_append_printf (s, "%s%u", l > 1 ? "," : "", cfg->sizes[l]);
  return g_string_free (s, FALSE);
}

uint64_t
rv_net_config_memory (const RvNetConfig *cfg, uint32_t batch)
{
  uint64_t params = 0, outputs = 0, widest = 0;
  uint64_t rows = MAX (batch, 1024);

  for (uint32_t l = 0; l < cfg->n_linear && l < RV_MAX_LINEAR; l++)
    {
      uint64_t out = cfg->sizes[l + 1];
      params += (uint64_t) cfg->sizes[l] * out + out;
      outputs += 2 * out;
      widest = MAX (widest, out);
    }
  /* At most 16 layers of 65536 x 65536 and 60000 rows: no overflow. */
  return sizeof (float) * (5 * params + rows * (RV_INPUT_SIZE + outputs + 2 * widest));
}

gboolean
rv_net_config_check_size (const RvNetConfig *cfg, uint32_t batch, GError **error)
{
  uint64_t need = rv_net_config_memory (cfg, batch);

  if (need <= RV_NET_MAX_BYTES)
    return TRUE;
  g_autoptr (GString) arch = g_string_new (NULL);
  for (uint32_t l = 0; l <= cfg->n_linear && l <= RV_MAX_LINEAR; l++)
    g_string_append_printf (arch, "%s%u", l ? "-" : "", cfg->sizes[l]);
  g_autofree char *need_text = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *max_text = g_format_size_full (RV_NET_MAX_BYTES, G_FORMAT_SIZE_IEC_UNITS);
  g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
               "a %s network would need %s of memory for its parameters, gradients, optimizer state "
               "and activations, more than the %s Ravine allows; use narrower or fewer hidden layers",
               arch->str, need_text, max_text);
  return FALSE;
}

static float *
alloc_floats (const RvNet *net, size_t n)
{
  return net->backend->alloc (n * sizeof (float));
}

RvNet *
rv_net_new (const RvNetConfig *cfg, const RvBackend *backend)
{
  g_return_val_if_fail (cfg->n_linear >= 1 && cfg->n_linear <= RV_MAX_LINEAR, NULL);
  RvNet *net = g_new0 (RvNet, 1);
  net->cfg = *cfg;
  net->backend = backend ? backend : rv_backend_cpu ();

  size_t off = 0;
  for (uint32_t l = 0; l < cfg->n_linear; l++)
    {
      net->w_off[l] = off;
      off += (size_t) cfg->sizes[l] * cfg->sizes[l + 1];
      net->b_off[l] = off;
      off += cfg->sizes[l + 1];
    }
  net->n_params = off;
  net->params = alloc_floats (net, off);
  net->grads = alloc_floats (net, off);
  return net;
}

static void
free_activations (RvNet *net)
{
  const RvBackend *be = net->backend;
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      if (net->z[l])
        be->free (net->z[l]);
      if (net->h[l])
        be->free (net->h[l]);
      net->z[l] = net->h[l] = NULL;
    }
  for (int i = 0; i < 2; i++)
    {
      if (net->dbuf[i])
        be->free (net->dbuf[i]);
      net->dbuf[i] = NULL;
    }
}

void
rv_net_free (RvNet *net)
{
  if (net == NULL)
    return;
  free_activations (net);
  if (net->params)
    net->backend->free (net->params);
  if (net->grads)
    net->backend->free (net->grads);
  g_free (net);
}

void
rv_net_reserve (RvNet *net, uint32_t batch)
{
  if (batch <= net->batch_cap)
    return;
  free_activations (net);
  const uint32_t L = net->cfg.n_linear;
  uint32_t widest = 0;
  for (uint32_t l = 0; l < L; l++)
    {
      uint32_t width = net->cfg.sizes[l + 1];
      widest = MAX (widest, width);
      net->z[l] = alloc_floats (net, (size_t) batch * width);
      if (l + 1 < L)
        net->h[l] = alloc_floats (net, (size_t) batch * width);
    }
  net->dbuf[0] = alloc_floats (net, (size_t) batch * widest);
  net->dbuf[1] = alloc_floats (net, (size_t) batch * widest);
  net->batch_cap = batch;
}

void
rv_net_zero_grad (RvNet *net)
{
  net->backend->zero (net->grads, net->n_params * sizeof (float));
}

void
rv_net_tensor_stats (RvNet *net, RvNetTensor tensor, uint32_t l, uint32_t n_bins, RvStats *out)
{
  g_return_if_fail (l < net->cfg.n_linear);
  const float *x;
  size_t n;
  switch (tensor)
    {
    case RV_NET_WEIGHT:
      x = net->params + net->w_off[l];
      n = rv_net_weight_count (net, l);
      break;
    case RV_NET_WEIGHT_GRAD:
      x = net->grads + net->w_off[l];
      n = rv_net_weight_count (net, l);
      break;
    case RV_NET_OUTPUT:
    default:
      x = net->z[l];
      n = x ? (size_t) net->batch * rv_net_fan_out (net, l) : 0;
      break;
    }
  net->backend->stats (out, x, n, n_bins);
}

const float *
rv_net_forward (RvNet *net, const float *x, uint32_t batch)
{
  return rv_net_forward_from (net, 0, x, batch);
}

const float *
rv_net_forward_from (RvNet *net, uint32_t first, const float *x, uint32_t batch)
{
  const RvBackend *be = net->backend;
  const uint32_t L = net->cfg.n_linear;
  const float *in = x;

  rv_net_reserve (net, batch);
  net->batch = batch;
  for (uint32_t l = first; l < L; l++)
    {
      int n_in = (int) net->cfg.sizes[l], n_out = (int) net->cfg.sizes[l + 1];
      /* z[B, out] = in[B, in] · W[out, in]^T, then + b and f() in one pass */
      be->gemm (FALSE, TRUE, (int) batch, n_out, n_in, 1.0f, in, n_in,
                net->params + net->w_off[l], n_in, 0.0f, net->z[l], n_out);
      gboolean hidden = l + 1 < L;
      be->bias_act_forward (hidden ? net->cfg.act : RV_ACT_IDENTITY, net->z[l],
                            hidden ? net->h[l] : NULL, net->params + net->b_off[l], (int) batch, n_out);
      in = net->h[l];
    }
  return net->z[L - 1];
}

/* Backward from dz = dLoss/dlogits sitting in dbuf[0], accumulating into grads. */
static void
backward (RvNet *net, const float *x)
{
  const RvBackend *be = net->backend;
  const uint32_t L = net->cfg.n_linear;
  const int B = (int) net->batch;
  float *dz = net->dbuf[0], *spare = net->dbuf[1];

  /* The output layer has no activation: its dz is dlogits; only db is summed. */
  be->bias_act_backward (RV_ACT_IDENTITY, net->z[L - 1], dz, dz,
                         net->grads + net->b_off[L - 1], B, (int) net->cfg.sizes[L]);
  for (uint32_t l = L; l-- > 0;)
    {
      int n_in = (int) net->cfg.sizes[l], n_out = (int) net->cfg.sizes[l + 1];
      const float *in = l == 0 ? x : net->h[l - 1];
      /* dW[out, in] += dz[B, out]^T · in[B, in] */
      be->gemm (TRUE, FALSE, n_out, n_in, B, 1.0f, dz, n_out, in, n_in,
                1.0f, net->grads + net->w_off[l], n_in);
      if (l == 0)
        break; /* nobody needs dLoss/dx */
      /* dh[B, in] = dz[B, out] · W[out, in]; then dz_prev = dh ⊙ f'(z_prev), db_prev += Σ rows */
      be->gemm (FALSE, FALSE, B, n_in, n_out, 1.0f, dz, n_out,
                net->params + net->w_off[l], n_in, 0.0f, spare, n_in);
      be->bias_act_backward (net->cfg.act, net->z[l - 1], spare, spare,
                             net->grads + net->b_off[l - 1], B, n_in);
      float *t = dz;
      dz = spare;
      spare = t;
    }
}

double
rv_net_loss (RvNet *net, const float *x, const uint8_t *labels, uint32_t batch,
             gboolean want_grads, int *correct)
{
  const float *logits = rv_net_forward (net, x, batch);
  const uint32_t L = net->cfg.n_linear;
  double loss = net->backend->softmax_xent (logits, labels, (int) batch, (int) net->cfg.sizes[L],
                                            want_grads ? net->dbuf[0] : NULL, correct);
  if (want_grads)
    backward (net, x);
  return loss;
}

void
rv_net_loss_store (RvNet *net, const float *x, const uint8_t *labels, uint32_t batch,
                   gboolean want_grads, double *loss_out, int32_t *correct_out)
{
  const float *logits = rv_net_forward (net, x, batch);
  const uint32_t L = net->cfg.n_linear;
  net->backend->softmax_xent_store (logits, labels, (int) batch, (int) net->cfg.sizes[L],
                                    want_grads ? net->dbuf[0] : NULL, loss_out, correct_out);
  if (want_grads)
    backward (net, x);
}
