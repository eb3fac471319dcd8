/* rv-trajectory.h: an optimizer's path over a two-parameter surface.
 *
 * The two parameters live in a float buffer and are updated by the same
 * RvOptimizer the network uses.  Each step records the point and its loss
 * before the update, as the tutorial's train_curve does, then computes the
 * gradient and steps: n steps give n points, the first being the start. */
#pragma once

#include <glib.h>

#include "rv-optim.h"
#include "rv-surface.h"

G_BEGIN_DECLS

typedef struct {
  double w1, w2;  /* the parameters (float values) before the update */
  double loss;    /* the surface at (w1, w2) */
} RvTrajectoryPoint;

/* What the optimizer did at a recorded point: the update that leads from
 * it to the next point (step t = index + 1, Adam's t).  Vectors over (w1,
 * w2); a field the kind has no use for is 0.
 *
 *   grad        the gradient at the point, as the update used it (clipped
 *               when clip_norm is on), in float
 *   velocity    momentum's m, heavy-ball's and nesterov's v, Adam's m,
 *               after the update (rv_optimizer_get_state's first buffer)
 *   m_hat       adam, adamw: m / (1 - beta1^t), as the update computes it
 *   sqrt_v_hat  adam, adamw: sqrt (v / (1 - beta2^t)); rmsprop, adagrad:
 *               sqrt (s), the denominator before eps
 *   step        the update itself: the next point minus this one, in
 *               float (adam: -lr m_hat / (sqrt_v_hat + eps))
 *   kind        the optimizer's, which says which fields it fills */
typedef struct {
  RvOptimKind kind;
  double grad[2];
  double velocity[2];
  double m_hat[2];
  double sqrt_v_hat[2];
  double step[2];
} RvTrajectoryState;

typedef struct _RvTrajectory RvTrajectory;

/* A path from (start_w1, start_w2); NULL with RV_ERROR_ARGUMENT when the
 * config does not validate or the start is not finite in float. */
RvTrajectory *rv_trajectory_new (const RvSurface *surface, const RvOptimConfig *config,
                                 double start_w1, double start_w2, GError **error);
void rv_trajectory_free (RvTrajectory *traj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvTrajectory, rv_trajectory_free)

/* Records the current point into *point and takes one step.  When the point,
 * its loss or its gradient is not finite it records nothing, returns FALSE
 * with RV_ERROR_DIVERGED ("diverged at step 37: loss is inf", the step being
 * the index the point would have had) and stays where it is. */
gboolean rv_trajectory_step (RvTrajectory *traj, RvTrajectoryPoint *point, GError **error);
/* The same, with the optimizer's state of that step into *state (may be
 * NULL); nothing is written when it returns FALSE. */
gboolean rv_trajectory_step_with_state (RvTrajectory *traj, RvTrajectoryPoint *point,
                                        RvTrajectoryState *state, GError **error);
/* The number of points recorded so far: the index of the next one. */
guint64 rv_trajectory_get_n_points (const RvTrajectory *traj);

/* Runs n_steps steps into points[n_steps]; *n_points gets the number
 * recorded, n_steps unless it diverged (then FALSE and the error above, or
 * RV_ERROR_ARGUMENT from rv_trajectory_new with *n_points = 0). */
gboolean rv_trajectory_run (const RvSurface *surface, const RvOptimConfig *config,
                            double start_w1, double start_w2, guint n_steps,
                            RvTrajectoryPoint *points, guint *n_points, GError **error);
/* The same, with each point's optimizer state into states[n_steps] (may be
 * NULL). */
gboolean rv_trajectory_run_with_state (const RvSurface *surface, const RvOptimConfig *config,
                                       double start_w1, double start_w2, guint n_steps,
                                       RvTrajectoryPoint *points, RvTrajectoryState *states,
                                       guint *n_points, GError **error);

G_END_DECLS
