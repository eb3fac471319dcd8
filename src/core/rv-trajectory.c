/* rv-trajectory.c: an optimizer's path over a two-parameter surface. */
#include "rv-trajectory.h"

#include <math.h>
#include <string.h>

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

/* Reads the state of the update just taken from the optimizer's buffers,
 * with Adam's bias corrections from the same scalars the update used. */
static void
record_state (RvTrajectory *traj, const float before[2], RvTrajectoryState *state)
{
  RvOptimizer *opt = traj->opt;
  const RvOptimConfig *config = rv_optimizer_get_config (opt);
  const guint n_states = rv_optimizer_get_n_states (opt);
  const float *first = n_states > 0 ? rv_optimizer_get_state (opt, 0) : NULL;
  const float *second = n_states > 1 ? rv_optimizer_get_state (opt, 1) : NULL;
  RvOptimScalars s;
  rv_optim_scalars (config, rv_optimizer_get_step_count (opt), &s);

  memset (state, 0, sizeof *state);
  state->kind = config->kind;
  for (int i = 0; i < 2; i++)
    {
      state->grad[i] = traj->grads[i];
      state->step[i] = traj->params[i] - before[i];
      switch (config->kind)
        {
        case RV_OPTIM_MOMENTUM:
        case RV_OPTIM_HEAVY_BALL:
        case RV_OPTIM_NESTEROV:
          state->velocity[i] = first[i];
          break;
        case RV_OPTIM_RMSPROP:
        case RV_OPTIM_ADAGRAD:
          state->sqrt_v_hat[i] = sqrtf (first[i]);
          break;
        case RV_OPTIM_ADAM:
        case RV_OPTIM_ADAMW:
          /* float, as rv_optim_adam_update computes them */
          state->velocity[i] = first[i];
          state->m_hat[i] = first[i] / s.bc1;
          state->sqrt_v_hat[i] = sqrtf (second[i] / s.bc2);
          break;
        case RV_OPTIM_SGD:
        case RV_OPTIM_COUNT:
        default:
          break;
        }
    }
}

gboolean
rv_trajectory_step (RvTrajectory *traj, RvTrajectoryPoint *point, GError **error)
{
  return rv_trajectory_step_with_state (traj, point, NULL, error);
}

gboolean
rv_trajectory_step_with_state (RvTrajectory *traj, RvTrajectoryPoint *point,
                               RvTrajectoryState *state, GError **error)
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
  const float before[2] = { traj->params[0], traj->params[1] };
  rv_optimizer_step (traj->opt, traj->params, traj->grads);
  if (state != NULL)
    record_state (traj, before, state);
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
  return rv_trajectory_run_with_state (surface, config, start_w1, start_w2, n_steps, points, NULL,
                                       n_points, error);
}

gboolean
rv_trajectory_run_with_state (const RvSurface *surface, const RvOptimConfig *config,
                              double start_w1, double start_w2, guint n_steps,
                              RvTrajectoryPoint *points, RvTrajectoryState *states,
                              guint *n_points, GError **error)
{
  g_return_val_if_fail (n_steps == 0 || points != NULL, FALSE);

  if (n_points)
    *n_points = 0;
  g_autoptr (RvTrajectory) traj = rv_trajectory_new (surface, config, start_w1, start_w2, error);
  if (traj == NULL)
    return FALSE;
  for (guint k = 0; k < n_steps; k++)
    {
      if (!rv_trajectory_step_with_state (traj, &points[k], states ? &states[k] : NULL, error))
        return FALSE;
      if (n_points)
        *n_points = k + 1;
    }
  return TRUE;
}
