/* rv-trajectory.c: an optimizer's path over a two-parameter surface. */
#include "rv-trajectory.h"

#include <math.h>

#include "rv-error.h"

struct _RvTrajectory {
  const RvSurface *surface;
  RvOptimizer *opt;
  float params[2];  /* float, like the network's buffer and the tutorial's tensor */
  float grads[2];
  guint64 n_points;
};

RvTrajectory *
rv_trajectory_new (const RvSurface *surface, const RvOptimConfig *config,
                   double start_w1, double start_w2, GError **error)
{
  g_return_val_if_fail (surface != NULL && config != NULL, NULL);

  float w1 = (float) start_w1, w2 = (float) start_w2;
  if (!isfinite (w1) || !isfinite (w2))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "the start (%g, %g) is not finite in float",
                   start_w1, start_w2);
      return NULL;
    }
  RvOptimizer *opt = rv_optimizer_new (config, 2, error);
  if (opt == NULL)
    return NULL;

  RvTrajectory *traj = g_new0 (RvTrajectory, 1);
  traj->surface = surface;
  traj->opt = opt;
  traj->params[0] = w1;
  traj->params[1] = w2;
  return traj;
}

void
rv_trajectory_free (RvTrajectory *traj)
{
  if (traj == NULL)
    return;
  rv_optimizer_free (traj->opt);
  g_free (traj);
}

/* Says where and what went non-finite; the trajectory stays where it is. */
static gboolean
diverged (const RvTrajectory *traj, const char *what, double value, GError **error)
{
  g_set_error (error, RV_ERROR, RV_ERROR_DIVERGED, "diverged at step %" G_GUINT64_FORMAT ": %s is %s",
               traj->n_points, what, isnan (value) ? "nan" : value > 0 ? "inf" : "-inf");
  return FALSE;
}

gboolean
rv_trajectory_step (RvTrajectory *traj, RvTrajectoryPoint *point, GError **error)
{
  g_return_val_if_fail (traj != NULL && point != NULL, FALSE);

  const double w1 = traj->params[0], w2 = traj->params[1];
  if (!isfinite (w1))
    return diverged (traj, "w1", w1, error);
  if (!isfinite (w2))
    return diverged (traj, "w2", w2, error);

  double g1, g2;
  const double loss = rv_surface_eval (traj->surface, w1, w2, &g1, &g2);
  if (!isfinite (loss))
    return diverged (traj, "loss", loss, error);
  /* The gradient must survive the trip to float too: 1e100 is finite in
   * double and inf in the buffer. */
  traj->grads[0] = (float) g1;
  traj->grads[1] = (float) g2;
  if (!isfinite (traj->grads[0]))
    return diverged (traj, "gradient in w1", g1, error);
  if (!isfinite (traj->grads[1]))
    return diverged (traj, "gradient in w2", g2, error);

  point->w1 = w1;
  point->w2 = w2;
  point->loss = loss;
  traj->n_points++;
  rv_optimizer_step (traj->opt, traj->params, traj->grads);
  return TRUE;
}

guint64
rv_trajectory_get_n_points (const RvTrajectory *traj)
{
  g_return_val_if_fail (traj != NULL, 0);
  return traj->n_points;
}

gboolean
rv_trajectory_run (const RvSurface *surface, const RvOptimConfig *config,
                   double start_w1, double start_w2, guint n_steps,
                   RvTrajectoryPoint *points, guint *n_points, GError **error)
{
  g_return_val_if_fail (n_steps == 0 || points != NULL, FALSE);

  if (n_points)
    *n_points = 0;
  g_autoptr (RvTrajectory) traj = rv_trajectory_new (surface, config, start_w1, start_w2, error);
  if (traj == NULL)
    return FALSE;
  for (guint k = 0; k < n_steps; k++)
    {
      if (!rv_trajectory_step (traj, &points[k], error))
        return FALSE;
      if (n_points)
        *n_points = k + 1;
    }
  return TRUE;
}
