/* rv-landscape.c: filter-normalized directions and the progressive grid. */
#include "rv-landscape.h"

#include <math.h>

#include "rv-error.h"
#include "rv-rng.h"

void
rv_landscape_random_direction (const RvNet *layout, const float *theta, uint64_t seed, uint32_t which,
                               float *out)
{
  rv_rng_fill_normal (out, layout->n_params, seed, RV_STREAM_LANDSCAPE + which, 0.0f, 1.0f);
  for (uint32_t l = 0; l < layout->cfg.n_linear; l++)
    {
      const uint32_t rows = rv_net_fan_out (layout, l), cols = rv_net_fan_in (layout, l);
      for (uint32_t r = 0; r < rows; r++)
        {
          const size_t at = layout->w_off[l] + (size_t) r * cols;
          double want = 0.0, have = 0.0;
          for (uint32_t c = 0; c < cols; c++)
            {
              want += (double) theta[at + c] * theta[at + c];
              have += (double) out[at + c] * out[at + c];
            }
          double scale = have > 0.0 ? sqrt (want / have) : 0.0;
          for (uint32_t c = 0; c < cols; c++)
            out[at + c] = (float) (out[at + c] * scale);
        }
      /* Li et al. leave biases out of the direction. */
      for (uint32_t r = 0; r < rows; r++)
        out[layout->b_off[l] + r] = 0.0f;
    }
}

double
rv_landscape_coordinate (uint32_t k, uint32_t grid, double span)
{
  if (grid < 2)
    return 0.0;
  /* Symmetric about the middle, so an odd grid's centre is exactly 0. */
  return span * ((double) (2 * (int64_t) k) - (double) (grid - 1)) / (double) (grid - 1);
}

static gboolean
on_stride (uint32_t k, uint32_t grid, uint32_t stride)
{
  return k % stride == 0 || k + 1 == grid;
}

uint32_t
rv_landscape_cell_pass (uint32_t i, uint32_t j, uint32_t grid)
{
  for (uint32_t p = 0; p + 1 < RV_LANDSCAPE_PASSES; p++)
    {
      uint32_t stride = 1u << (RV_LANDSCAPE_PASSES - 1 - p);
      if (on_stride (i, grid, stride) && on_stride (j, grid, stride))
        return p;
    }
  return RV_LANDSCAPE_PASSES - 1;
}

void
rv_landscape_point (const float *theta, const float *x, const float *y, size_t n, double a, double b,
                    float *out)
{
  for (size_t i = 0; i < n; i++)
    out[i] = (float) ((double) theta[i] + a * x[i] + b * y[i]);
}

gboolean
rv_landscape_compute (RvLossSet *ls, const float *theta, const float *x, const float *y, uint32_t grid,
                      double span, double *loss, RvLandscapeCellFunc cell, gpointer user_data,
                      GCancellable *cancellable, GError **error)
{
  if (grid < 2 || !(span > 0.0) || !isfinite (span))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "a landscape needs a grid of at least 2 and a positive span (not %u and %g)", grid, span);
      return FALSE;
    }
  const size_t n = rv_loss_set_get_net (ls)->n_params;
  const uint32_t total = grid * grid;
  g_autofree float *point = g_new (float, n);
  uint32_t done = 0;

  for (uint32_t c = 0; c < total; c++)
    loss[c] = NAN;
  if (!rv_loss_set_set_plane (ls, theta, x, y, error))
    return FALSE;
  for (uint32_t pass = 0; pass < RV_LANDSCAPE_PASSES; pass++)
    for (uint32_t i = 0; i < grid; i++)
      for (uint32_t j = 0; j < grid; j++)
        {
          if (rv_landscape_cell_pass (i, j, grid) != pass)
            continue;
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "the landscape was cancelled after %u of %u cells",
                           done, total);
              return FALSE;
            }
          const double a = rv_landscape_coordinate (j, grid, span), b = rv_landscape_coordinate (i, grid, span);
          rv_landscape_point (theta, x, y, n, a, b, point);
          double value;
          if (!rv_loss_set_plane_loss (ls, point, a, b, &value, error))
            return FALSE;
          loss[(size_t) i * grid + j] = value;
          done++;
          if (cell)
            cell (i, j, value, pass, done, total, user_data);
        }
  return TRUE;
}
