/* rv-loss-set.c: the loss (and its gradient) over a fixed set of images. */
#include "rv-loss-set.h"

#include <math.h>

#include "rv-error.h"

struct _RvLossSet
{
  RvNet *net;
  uint32_t count, batches;
  float *x;          /* backend memory [count, 784] */
  uint8_t *labels;   /* backend memory [count] */
  double *losses;    /* backend memory [batches] */
  int32_t *hits;     /* backend memory [batches] */
  double *host_losses;
  float *host_grad;  /* [n_params] one batch's gradient, when there are several */
  float *host_x;     /* [count, 784] */
  uint8_t *host_labels;
  float *plane;      /* backend memory [3][count, first layer's width]: X Wᵀ, X X_Wᵀ, X Y_Wᵀ */
  float *coef;       /* backend memory [3]: 1, a, b */
};

RvLossSet *
rv_loss_set_new (RvNet *net, const RvImageSet *set, uint32_t count, GError **error)
{
  const RvBackend *be = net->backend;

  if (count < 1 || count > set->n)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "%u images: the training file holds %u", count, set->n);
      return NULL;
    }
  g_autoptr (RvLossSet) ls = g_new0 (RvLossSet, 1);
  ls->net = net;
  ls->count = count;
  ls->batches = (count + RV_LOSS_SET_BATCH - 1) / RV_LOSS_SET_BATCH;

  /* Gathered on the host with the one normalization, then copied over. */
  g_autofree float *x = g_new (float, (size_t) count * RV_IMAGE_PIXELS);
  g_autofree uint8_t *labels = g_new (uint8_t, count);
  rv_dataset_gather_rows (set->pixels, set->labels, set->n, NULL, 0, count, x, labels);
  ls->x = be->alloc ((size_t) count * RV_IMAGE_PIXELS * sizeof (float));
  ls->labels = be->alloc (count);
  ls->losses = be->alloc (ls->batches * sizeof (double));
  ls->hits = be->alloc (ls->batches * sizeof (int32_t));
  if (ls->x)
    be->upload (ls->x, x, (size_t) count * RV_IMAGE_PIXELS * sizeof (float));
  if (ls->labels)
    be->upload (ls->labels, labels, count);
  ls->host_losses = g_new (double, ls->batches);
  ls->host_x = g_steal_pointer (&x);
  ls->host_labels = g_steal_pointer (&labels);
  rv_net_reserve (net, MIN (count, RV_LOSS_SET_BATCH));
  if (!be->check (error))
    return NULL;
  if (!ls->x || !ls->labels || !ls->losses || !ls->hits)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DEVICE, "%s: no memory for %u images", be->name, count);
      return NULL;
    }
  return g_steal_pointer (&ls);
}

void
rv_loss_set_free (RvLossSet *ls)
{
  if (ls == NULL)
    return;
  const RvBackend *be = ls->net->backend;
  if (ls->x)
    be->free (ls->x);
  if (ls->labels)
    be->free (ls->labels);
  if (ls->losses)
    be->free (ls->losses);
  if (ls->hits)
    be->free (ls->hits);
  if (ls->plane)
    be->free (ls->plane);
  if (ls->coef)
    be->free (ls->coef);
  g_free (ls->host_losses);
  g_free (ls->host_grad);
  g_free (ls->host_x);
  g_free (ls->host_labels);
  g_free (ls);
}

uint32_t
rv_loss_set_get_count (const RvLossSet *ls)
{
  return ls->count;
}

const float *
rv_loss_set_get_host_images (const RvLossSet *ls)
{
  return ls->host_x;
}

const uint8_t *
rv_loss_set_get_host_labels (const RvLossSet *ls)
{
  return ls->host_labels;
}

RvNet *
rv_loss_set_get_net (RvLossSet *ls)
{
  return ls->net;
}

static uint32_t
batch_rows (const RvLossSet *ls, uint32_t b)
{
  return MIN (RV_LOSS_SET_BATCH, ls->count - b * RV_LOSS_SET_BATCH);
}

/* The batch means, each weighted by its share of the images. */
static double
mean_loss (const RvLossSet *ls)
{
  double sum = 0.0;
  for (uint32_t b = 0; b < ls->batches; b++)
    sum += ls->host_losses[b] * batch_rows (ls, b);
  return sum / ls->count;
}

gboolean
rv_loss_set_loss (RvLossSet *ls, const float *params, double *loss, GError **error)
{
  RvNet *net = ls->net;
  const RvBackend *be = net->backend;

  be->upload (net->params, params, net->n_params * sizeof (float));
  for (uint32_t b = 0; b < ls->batches; b++)
    {
      size_t first = (size_t) b * RV_LOSS_SET_BATCH;
      rv_net_loss_store (net, ls->x + first * RV_IMAGE_PIXELS, ls->labels + first, batch_rows (ls, b), FALSE,
                         ls->losses + b, ls->hits + b);
    }
  be->download (ls->host_losses, ls->losses, ls->batches * sizeof (double));
  if (!be->check (error))
    return FALSE;
  *loss = mean_loss (ls);
  return TRUE;
}

gboolean
rv_loss_set_gradient (RvLossSet *ls, const float *params, double *loss, float *grad, GError **error)
{
  RvNet *net = ls->net;
  const RvBackend *be = net->backend;
  const size_t n = net->n_params;

  be->upload (net->params, params, n * sizeof (float));
  if (ls->batches > 1 && ls->host_grad == NULL)
    ls->host_grad = g_new (float, n);
  for (uint32_t b = 0; b < ls->batches; b++)
    {
      size_t first = (size_t) b * RV_LOSS_SET_BATCH;
      rv_net_zero_grad (net);
      rv_net_loss_store (net, ls->x + first * RV_IMAGE_PIXELS, ls->labels + first, batch_rows (ls, b), TRUE,
                         ls->losses + b, ls->hits + b);
      if (ls->batches == 1)
        {
          be->download (grad, net->grads, n * sizeof (float));
          break;
        }
      /* Each batch's gradient is of its own mean: weight it by its share. */
      be->download (ls->host_grad, net->grads, n * sizeof (float));
      float w = (float) batch_rows (ls, b) / (float) ls->count;
      for (size_t i = 0; i < n; i++)
        grad[i] = (b == 0 ? 0.0f : grad[i]) + w * ls->host_grad[i];
    }
  be->download (ls->host_losses, ls->losses, ls->batches * sizeof (double));
  if (!be->check (error))
    return FALSE;
  *loss = mean_loss (ls);
  return TRUE;
}

gboolean
rv_loss_set_set_plane (RvLossSet *ls, const float *theta, const float *x, const float *y, GError **error)
{
  RvNet *net = ls->net;
  const RvBackend *be = net->backend;
  const int in = (int) rv_net_fan_in (net, 0), out = (int) rv_net_fan_out (net, 0);
  const size_t block = (size_t) ls->count * out;
  const float *sources[3] = { theta, x, y };

  if (ls->plane == NULL)
    ls->plane = be->alloc (3 * block * sizeof (float));
  if (ls->coef == NULL)
    ls->coef = be->alloc (3 * sizeof (float));
  if (!be->check (error))
    return FALSE;
  if (ls->plane == NULL || ls->coef == NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DEVICE, "%s: no memory for the first layer's products on %u images",
                   be->name, ls->count);
      return FALSE;
    }
  /* Each source's first-layer weights go where the network's are. */
  float *w = net->params + net->w_off[0];
  for (int k = 0; k < 3; k++)
    {
      be->upload (w, sources[k] + net->w_off[0], (size_t) in * out * sizeof (float));
      be->gemm (FALSE, TRUE, (int) ls->count, out, in, 1.0f, ls->x, in, w, in, 0.0f, ls->plane + k * block, out);
    }
  return be->check (error);
}

gboolean
rv_loss_set_plane_loss (RvLossSet *ls, const float *point, double a, double b, double *loss, GError **error)
{
  RvNet *net = ls->net;
  const RvBackend *be = net->backend;
  const uint32_t L = net->cfg.n_linear;
  const int out = (int) rv_net_fan_out (net, 0);
  const size_t block = (size_t) ls->count * out;
  const float coef[3] = { 1.0f, (float) a, (float) b };

  g_return_val_if_fail (ls->plane != NULL, FALSE);
  for (size_t i = 0; i < rv_net_weight_count (net, 0); i++)
    if (!isfinite (point[net->w_off[0] + i]))
      return rv_loss_set_loss (ls, point, loss, error);

  be->upload (net->params, point, net->n_params * sizeof (float));
  be->upload (ls->coef, coef, sizeof coef);
  for (uint32_t k = 0; k < ls->batches; k++)
    {
      const size_t first = (size_t) k * RV_LOSS_SET_BATCH;
      const uint32_t rows = batch_rows (ls, k);
      const size_t n = (size_t) rows * out;
      const float *p0 = ls->plane + first * out, *px = p0 + block, *py = px + block;
      float *z = net->z[0];
      /* z = X Wᵀ + a·X X_Wᵀ + b·X Y_Wᵀ: a loop in host memory, elsewhere a
       * GEMM with one row, [1 a b] times the three blocks. */
      if (be->host_memory)
        for (size_t i = 0; i < n; i++)
          z[i] = p0[i] + coef[1] * px[i] + coef[2] * py[i];
      else
        be->gemm (FALSE, FALSE, 1, (int) n, 3, 1.0f, ls->coef, 3, p0, (int) block, 0.0f, z, (int) n);
      const gboolean hidden = L > 1;
      be->bias_act_forward (hidden ? net->cfg.act : RV_ACT_IDENTITY, z, hidden ? net->h[0] : NULL,
                            net->params + net->b_off[0], (int) rows, out);
      net->batch = rows;
      const float *logits = hidden ? rv_net_forward_from (net, 1, net->h[0], rows) : z;
      be->softmax_xent_store (logits, ls->labels + first, (int) rows, (int) net->cfg.sizes[L], NULL, ls->losses + k,
                              ls->hits + k);
    }
  be->download (ls->host_losses, ls->losses, ls->batches * sizeof (double));
  if (!be->check (error))
    return FALSE;
  *loss = mean_loss (ls);
  return TRUE;
}
