/* rv-stability.c: a grid of trajectories over learning rate and β. */
#include "rv-stability.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-trajectory.h"

double
rv_stability_lr (const RvStabilityGrid *grid, guint i)
{
  g_return_val_if_fail (grid != NULL && grid->n_lr >= 2, NAN);
  /* three significant digits, so that a run added from a cell has a rate
   * that reads as it is ("15.8", not 15.848931924611136) */
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.3g",
                   pow (10, grid->lr_log_min + (grid->lr_log_max - grid->lr_log_min) * i / (grid->n_lr - 1)));
  return g_ascii_strtod (buf, NULL);
}

static double *
beta_slot (RvOptimConfig *c, const char *param)
{
  if (g_strcmp0 (param, "momentum") == 0)
    return &c->momentum;
  if (g_strcmp0 (param, "beta1") == 0)
    return &c->beta1;
  if (g_strcmp0 (param, "beta2") == 0)
    return &c->beta2;
  return NULL;
}

double
rv_stability_beta (const RvStabilityGrid *grid, const RvOptimConfig *base, guint j)
{
  g_return_val_if_fail (grid != NULL && base != NULL, NAN);
  if (grid->param == NULL || grid->n_beta < 2)
    {
      RvOptimConfig c = *base;
      double *slot = beta_slot (&c, grid->param);
      return slot != NULL ? *slot : NAN;
    }
  return grid->beta_min + (grid->beta_max - grid->beta_min) * j / (grid->n_beta - 1);
}

void
rv_stability_config (const RvStabilityGrid *grid, const RvOptimConfig *base, guint i, guint j,
                     RvOptimConfig *out)
{
  g_return_if_fail (grid != NULL && base != NULL && out != NULL);
  *out = *base;
  out->lr = rv_stability_lr (grid, i);
  double *slot = beta_slot (out, grid->param);
  if (slot != NULL)
    *slot = rv_stability_beta (grid, base, j);
}

static gboolean
check_grid (const RvOptimConfig *base, const RvStabilityGrid *grid, GError **error)
{
  const char *why = NULL;
  if (grid->n_lr < 2 || grid->n_steps < 1)
    why = "it needs at least 2 learning rates and 1 step";
  else if (!(isfinite (grid->lr_log_min) && isfinite (grid->lr_log_max) && grid->lr_log_min < grid->lr_log_max))
    why = "the learning rates must span a finite range";
  else if (grid->param == NULL ? grid->n_beta != 1 : grid->n_beta < 2)
    why = "it needs 1 row without a β and at least 2 with one";
  else if (grid->param != NULL && (beta_slot (&(RvOptimConfig) { 0 }, grid->param) == NULL
                                   || !rv_optim_kind_uses (base->kind, grid->param)))
    why = "the optimizer has no such β";
  else if (grid->param != NULL && !(grid->beta_min >= 0 && grid->beta_min < grid->beta_max && grid->beta_max < 1))
    why = "β must span a range in [0, 1)";
  if (why != NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "stability map of %s over %s: %s",
                   rv_optim_kind_name (base->kind), grid->param ? grid->param : "lr", why);
      return FALSE;
    }
  return TRUE;
}

gboolean
rv_stability_map (const RvSurface *surface, const RvOptimConfig *base, const RvStabilityGrid *grid,
                  double start_w1, double start_w2, double *loss, GError **error)
{
  g_return_val_if_fail (surface != NULL && base != NULL && grid != NULL && loss != NULL, FALSE);

  if (!rv_optim_config_validate (base, error) || !check_grid (base, grid, error))
    return FALSE;
  g_autofree RvTrajectoryPoint *points = g_new (RvTrajectoryPoint, grid->n_steps);
  g_autofree double *out = g_new (double, (gsize) grid->n_lr * grid->n_beta);
  for (guint j = 0; j < grid->n_beta; j++)
    for (guint i = 0; i < grid->n_lr; i++)
      {
        RvOptimConfig c;
        rv_stability_config (grid, base, i, j, &c);
        guint n = 0;
        g_autoptr (GError) local = NULL;
        if (rv_trajectory_run (surface, &c, start_w1, start_w2, grid->n_steps, points, &n, &local))
          out[j * grid->n_lr + i] = points[n - 1].loss;
        else if (g_error_matches (local, RV_ERROR, RV_ERROR_DIVERGED))
          out[j * grid->n_lr + i] = NAN;
        else
          {
            g_propagate_error (error, g_steal_pointer (&local));
            return FALSE;
          }
      }
  memcpy (loss, out, (gsize) grid->n_lr * grid->n_beta * sizeof *loss);
  return TRUE;
}
