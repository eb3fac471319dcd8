/* rv-sharpness.c: the Lanczos iteration on exact Hessian-vector products. */
#include "rv-sharpness.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-hvp.h"
#include "rv-rng.h"

void
rv_sharpness_config_init_default (RvSharpnessConfig *cfg)
{
  cfg->max_iters = 100;
  cfg->tol = 1e-4;
  cfg->seed = 1;
}

static double
dot (const float *a, const float *b, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

static RvHvp *
hvp_new (RvLossSet *ls, const float *theta, size_t keep_bytes)
{
  return rv_hvp_new (rv_loss_set_get_net (ls), theta, rv_loss_set_get_host_images (ls),
                     rv_loss_set_get_host_labels (ls), rv_loss_set_get_count (ls), keep_bytes);
}

/* hv = H v over the loss set's images; FALSE when it is not finite. */
static gboolean
hvp_with (RvHvp *work, size_t n, const float *v, float *hv, GError **error)
{
  rv_hvp_compute (work, v, hv);
  for (size_t i = 0; i < n; i++)
    if (!isfinite (hv[i]))
      {
        g_set_error (error, RV_ERROR, RV_ERROR_DIVERGED,
                     "the Hessian-vector product is not finite (entry %zu): the loss diverges at these parameters", i);
        return FALSE;
      }
  return TRUE;
}

gboolean
rv_sharpness_hvp (RvLossSet *ls, const float *theta, const float *v, float *hv, GError **error)
{
  /* One product: nothing to keep beyond a chunk. */
  g_autoptr (RvHvp) work = hvp_new (ls, theta, 0);
  return hvp_with (work, rv_loss_set_get_net (ls)->n_params, v, hv, error);
}

/* Scales v to unit length; FALSE when it is zero. */
static gboolean
normalize (float *v, size_t n)
{
  double norm = sqrt (dot (v, v, n));
  if (!(norm > 0.0) || !isfinite (norm))
    return FALSE;
  for (size_t i = 0; i < n; i++)
    v[i] = (float) (v[i] / norm);
  return TRUE;
}

/* How many eigenvalues of the symmetric tridiagonal matrix (diagonal a[k],
 * off-diagonal b[k − 1]) are below x: Sturm's sequence. */
static uint32_t
count_below (const double *a, const double *b, uint32_t k, double x)
{
  uint32_t count = 0;
  double q = 1.0;
  for (uint32_t i = 0; i < k; i++)
    {
      q = a[i] - x - (i > 0 ? b[i - 1] * b[i - 1] / q : 0.0);
      if (q == 0.0)
        q = -1e-300;
      count += q < 0.0;
    }
  return count;
}

/* The largest eigenvalue of that matrix, by bisection within Gershgorin's bounds. */
static double
tridiagonal_top (const double *a, const double *b, uint32_t k)
{
  double lo = INFINITY, hi = -INFINITY;
  for (uint32_t i = 0; i < k; i++)
    {
      double r = (i > 0 ? fabs (b[i - 1]) : 0.0) + (i + 1 < k ? fabs (b[i]) : 0.0);
      lo = MIN (lo, a[i] - r);
      hi = MAX (hi, a[i] + r);
    }
  for (int it = 0; it < 200 && hi - lo > 1e-15 * MAX (fabs (lo), fabs (hi)); it++)
    {
      double mid = 0.5 * (lo + hi);
      if (count_below (a, b, k, mid) == k)
        hi = mid;
      else
        lo = mid;
    }
  return 0.5 * (lo + hi);
}

gboolean
rv_sharpness_top_eigenvalue (RvLossSet *ls, const float *theta, const RvSharpnessConfig *cfg,
                             RvSharpnessResult *out, GCancellable *cancellable, GError **error)
{
  const size_t n = rv_loss_set_get_net (ls)->n_params;

  memset (out, 0, sizeof *out);
  out->top_eigenvalue = out->relative_change = NAN;
  if (cfg->max_iters < 1 || !(cfg->tol >= 0.0) || !isfinite (cfg->tol))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "the iteration needs at least one step and a tolerance of 0 or more (not %u and %g)",
                   cfg->max_iters, cfg->tol);
      return FALSE;
    }
  g_autofree float *q = g_new (float, n), *q_prev = g_new0 (float, n), *w = g_new (float, n);
  g_autofree double *alpha = g_new (double, cfg->max_iters), *beta = g_new (double, cfg->max_iters);
  g_autoptr (RvHvp) work = hvp_new (ls, theta, RV_HVP_KEEP_BYTES);
  rv_rng_fill_normal (q, n, cfg->seed, RV_STREAM_SHARPNESS, 0.0f, 1.0f);
  normalize (q, n);

  double top = NAN;
  uint32_t settled = 0;
  for (uint32_t k = 0; k < cfg->max_iters; k++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "the sharpness was cancelled after %u products", k);
          return FALSE;
        }
      if (!hvp_with (work, n, q, w, error))
        return FALSE;
      /* w = Hq_k − β_{k−1} q_{k−1} − α_k q_k, β_k = ‖w‖, q_{k+1} = w / β_k */
      double b_prev = k > 0 ? beta[k - 1] : 0.0;
      for (size_t i = 0; i < n; i++)
        w[i] = (float) (w[i] - b_prev * q_prev[i]);
      alpha[k] = dot (w, q, n);
      for (size_t i = 0; i < n; i++)
        w[i] = (float) (w[i] - alpha[k] * q[i]);
      beta[k] = sqrt (dot (w, w, n));

      double next = tridiagonal_top (alpha, beta, k + 1);
      out->iterations = k + 1;
      out->top_eigenvalue = next;
      out->relative_change = k > 0 ? fabs (next - top) / fabs (next) : NAN;
      top = next;
      /* Two steps in a row within tol, as the top Ritz value can pause
       * before it finds a larger eigenvalue. */
      settled = k > 0 && out->relative_change <= cfg->tol ? settled + 1 : 0;
      if (settled >= 2 || !(beta[k] > 1e-7 * MAX (fabs (next), 1e-30)))
        {
          /* Settled, or the Krylov space is invariant: T's top is exact. */
          out->converged = TRUE;
          if (settled < 2)
            out->relative_change = 0.0;
          break;
        }
      for (size_t i = 0; i < n; i++)
        {
          q_prev[i] = q[i];
          q[i] = (float) (w[i] / beta[k]);
        }
    }
  return TRUE;
}
