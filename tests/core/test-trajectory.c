/* test-trajectory.c: the runner records before it steps, stops on divergence,
 * and reproduces the tutorial's findings on its two surfaces. */
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-trajectory.h"

#define TUTORIAL_STEPS 100  /* train_curve's num_updates */

static RvOptimConfig
config_for (RvOptimKind kind, double lr)
{
  RvOptimConfig c;
  rv_optim_config_init (&c, kind);
  c.lr = lr;
  return c;
}

/* Runs the tutorial's train_curve: 100 points from the surface's start. */
static RvTrajectoryPoint *
tutorial_run (const char *surface, const RvOptimConfig *c)
{
  const RvSurface *s = rv_surface_lookup (surface);
  RvTrajectoryPoint *p = g_new0 (RvTrajectoryPoint, TUTORIAL_STEPS);
  guint n = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_trajectory_run (s, c, s->start[0], s->start[1], TUTORIAL_STEPS, p, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, TUTORIAL_STEPS);
  const RvTrajectoryPoint *last = &p[TUTORIAL_STEPS - 1];
  g_test_message ("%s %s lr %g: last point (%.4f, %.4f), loss %.4f", surface,
                  rv_optim_kind_name (c->kind), c->lr, last->w1, last->w2, last->loss);
  return p;
}

static void
test_records_before_update (void)
{
  const RvSurface *s = rv_surface_lookup ("himmelblau");
  RvOptimConfig c = config_for (RV_OPTIM_SGD, 0.01);
  RvTrajectoryPoint p[3];
  guint n = 0;
  g_assert_true (rv_trajectory_run (s, &c, 0.1, -0.2, 3, p, &n, NULL));
  g_assert_cmpuint (n, ==, 3);

  /* The first point is the start (as a float) and its loss. */
  float w1 = 0.1f, w2 = -0.2f;
  g_assert_cmpfloat (p[0].w1, ==, w1);
  g_assert_cmpfloat (p[0].w2, ==, w2);
  double g1, g2;
  g_assert_cmpfloat (p[0].loss, ==, rv_surface_eval (s, w1, w2, &g1, &g2));

  /* The second is one float SGD step on from it. */
  w1 -= 0.01f * (float) g1;
  w2 -= 0.01f * (float) g2;
  g_assert_cmpfloat (p[1].w1, ==, w1);
  g_assert_cmpfloat (p[1].w2, ==, w2);
  g_assert_cmpfloat (p[1].loss, ==, rv_surface_eval (s, w1, w2, NULL, NULL));
}

/* Stepping one point at a time gives what a run gives: the app animates that
 * way. */
static void
test_step_matches_run (void)
{
  guint n_surfaces;
  const RvSurface *list = rv_surface_list (&n_surfaces);
  for (guint k = 0; k < n_surfaces; k++)
    for (int o = 0; o < RV_OPTIM_COUNT; o++)
      {
        const RvSurface *s = &list[k];
        RvOptimConfig c = config_for ((RvOptimKind) o, 0.001);
        RvTrajectoryPoint run[40], step;
        guint n = 0;
        g_assert_true (rv_trajectory_run (s, &c, s->start[0], s->start[1], 40, run, &n, NULL));
        g_autoptr (RvTrajectory) t = rv_trajectory_new (s, &c, s->start[0], s->start[1], NULL);
        for (guint i = 0; i < 40; i++)
          {
            g_assert_cmpuint (rv_trajectory_get_n_points (t), ==, i);
            g_assert_true (rv_trajectory_step (t, &step, NULL));
            g_assert_cmpmem (&step, sizeof step, &run[i], sizeof run[i]);
          }
      }
}

/* Pathological curvature, start (5, 5): SGD lr 10, momentum lr 10 b 0.9,
 * Adam lr 1. */
static void
test_tutorial_pathological (void)
{
  RvOptimConfig sgd = config_for (RV_OPTIM_SGD, 10);
  RvOptimConfig mom = config_for (RV_OPTIM_MOMENTUM, 10);
  mom.momentum = 0.9;
  RvOptimConfig adam = config_for (RV_OPTIM_ADAM, 1);

  /* SGD keeps jumping across the ravine: w1 changes sign again and again
   * and stays far from its centre. */
  g_autofree RvTrajectoryPoint *p = tutorial_run ("pathological", &sgd);
  int crossings = 0;
  double mean_abs = 0;
  for (int i = 1; i < TUTORIAL_STEPS; i++)
    crossings += (p[i].w1 > 0) != (p[i - 1].w1 > 0);
  for (int i = TUTORIAL_STEPS / 2; i < TUTORIAL_STEPS; i++)
    mean_abs += fabs (p[i].w1) / (TUTORIAL_STEPS / 2);
  g_assert_cmpint (crossings, >=, 4);
  g_assert_cmpfloat (mean_abs, >, 1.0);

  /* Momentum and Adam settle at w1 ~ 0 and run down w2. */
  const RvOptimConfig *settle[] = { &mom, &adam };
  for (int k = 0; k < 2; k++)
    {
      g_autofree RvTrajectoryPoint *q = tutorial_run ("pathological", settle[k]);
      for (int i = TUTORIAL_STEPS - 10; i < TUTORIAL_STEPS; i++)
        g_assert_cmpfloat (fabs (q[i].w1), <, 0.1);
      g_assert_cmpfloat (q[TUTORIAL_STEPS - 1].w2, <, -10);
      g_assert_cmpfloat (q[TUTORIAL_STEPS - 1].loss, <, 0.01);
    }
}

/* Steep optima, start (0, 0): SGD lr 0.5, momentum lr 1 b 0.9, Adam lr 0.2.
 * Only Adam ends in the optimum at (-0.5, -0.8). */
static void
test_tutorial_steep (void)
{
  RvOptimConfig sgd = config_for (RV_OPTIM_SGD, 0.5);
  RvOptimConfig mom = config_for (RV_OPTIM_MOMENTUM, 1);
  mom.momentum = 0.9;
  RvOptimConfig adam = config_for (RV_OPTIM_ADAM, 0.2);
  const RvSurface *s = rv_surface_lookup ("steep");

  g_autofree RvTrajectoryPoint *a = tutorial_run ("steep", &adam);
  const RvTrajectoryPoint *end = &a[TUTORIAL_STEPS - 1];
  g_assert_cmpfloat (hypot (end->w1 - s->minimum[0], end->w2 - s->minimum[1]), <, 0.1);
  g_assert_cmpfloat (end->loss, <, -3.9);

  const RvOptimConfig *fail[] = { &sgd, &mom };
  for (int k = 0; k < 2; k++)
    {
      g_autofree RvTrajectoryPoint *q = tutorial_run ("steep", fail[k]);
      const RvTrajectoryPoint *last = &q[TUTORIAL_STEPS - 1];
      /* Thrown out of the optimum onto the flat part, far from any optimum. */
      g_assert_cmpfloat (hypot (last->w1 - s->minimum[0], last->w2 - s->minimum[1]), >, 1.0);
      g_assert_cmpfloat (last->loss, >, -0.01);
      /* ... after having touched its border: the loss did dip on the way. */
      double lowest = 0;
      for (int i = 0; i < TUTORIAL_STEPS; i++)
        lowest = MIN (lowest, q[i].loss);
      g_assert_cmpfloat (lowest, <, -0.05);
    }
}

static void
test_diverged (void)
{
  /* Rosenbrock with an absurd learning rate overflows within a few steps. */
  const RvSurface *s = rv_surface_lookup ("rosenbrock");
  RvOptimConfig c = config_for (RV_OPTIM_SGD, 1e6);
  RvTrajectoryPoint p[100];
  guint n = 99;
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_trajectory_run (s, &c, s->start[0], s->start[1], 100, p, &n, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DIVERGED);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 100);
  g_autofree char *prefix = g_strdup_printf ("diverged at step %u: ", n);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  for (guint i = 0; i < n; i++)
    g_assert_true (isfinite (p[i].w1) && isfinite (p[i].w2) && isfinite (p[i].loss));

  /* On the saddle plain SGD runs off down w2 until the float overflows; a
   * stopped trajectory stays stopped with the same step. */
  const RvSurface *saddle = rv_surface_lookup ("saddle");
  RvOptimConfig one = config_for (RV_OPTIM_SGD, 1.0);
  g_autoptr (RvTrajectory) t = rv_trajectory_new (saddle, &one, saddle->start[0], saddle->start[1], NULL);
  RvTrajectoryPoint point;
  g_autoptr (GError) first = NULL;
  guint steps = 0;
  while (rv_trajectory_step (t, &point, &first))
    g_assert_cmpuint (++steps, <, 1000);
  g_assert_error (first, RV_ERROR, RV_ERROR_DIVERGED);
  g_assert_cmpuint (rv_trajectory_get_n_points (t), ==, steps);
  g_autoptr (GError) again = NULL;
  g_assert_false (rv_trajectory_step (t, &point, &again));
  g_assert_cmpstr (again->message, ==, first->message);
  g_test_message ("saddle: %s", first->message);
}

/* The recorded state against the tutorial's update rules worked out by hand
 * in double on f = w1^2 + 10 w2^2, whose gradient is (2 w1, 20 w2): SGD,
 * the averaging momentum m = (1 - b) g + b m, and Adam with its bias
 * corrections.  The hand run takes its own path, so the two only agree if
 * every point and state along the way does. */
static void
test_state_by_hand (void)
{
  g_autoptr (RvSurface) s = rv_surface_new_from_expr ("w1^2 + 10*w2^2", NULL, NULL);
  g_assert_nonnull (s);
  const RvOptimKind kinds[] = { RV_OPTIM_SGD, RV_OPTIM_MOMENTUM, RV_OPTIM_ADAM };
  const double lrs[] = { 0.02, 0.05, 0.1 };
  enum { N = 12 };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      RvOptimConfig c = config_for (kinds[k], lrs[k]);
      c.momentum = 0.8;
      c.beta1 = 0.85;
      c.beta2 = 0.99;
      RvTrajectoryPoint p[N];
      RvTrajectoryState st[N];
      guint n = 0;
      g_assert_true (rv_trajectory_run_with_state (s, &c, 1.5, -0.7, N, p, st, &n, NULL));
      g_assert_cmpuint (n, ==, N);

      double w[2] = { 1.5, -0.7 }, m[2] = { 0, 0 }, v[2] = { 0, 0 };
      for (int t = 1; t <= N; t++)
        {
          const RvTrajectoryState *got = &st[t - 1];
          const double g[2] = { 2 * w[0], 20 * w[1] };
          double m_hat[2] = { 0, 0 }, root[2] = { 0, 0 }, step[2], vel[2] = { 0, 0 };
          for (int i = 0; i < 2; i++)
            {
              switch (kinds[k])
                {
                case RV_OPTIM_SGD:
                  step[i] = -c.lr * g[i];
                  break;
                case RV_OPTIM_MOMENTUM:
                  m[i] = (1 - c.momentum) * g[i] + c.momentum * m[i];
                  vel[i] = m[i];
                  step[i] = -c.lr * m[i];
                  break;
                default:
                  m[i] = c.beta1 * m[i] + (1 - c.beta1) * g[i];
                  v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i];
                  vel[i] = m[i];
                  m_hat[i] = m[i] / (1 - pow (c.beta1, t));
                  root[i] = sqrt (v[i] / (1 - pow (c.beta2, t)));
                  step[i] = -c.lr * m_hat[i] / (root[i] + c.eps);
                  break;
                }
              /* float against double: relative to the vector's size */
              double tol_g = 1e-4 * (fabs (g[0]) + fabs (g[1])) + 1e-6;
              double tol_s = 1e-4 * (fabs (step[0]) + fabs (step[1])) + 1e-6;
              g_assert_cmpfloat_with_epsilon (p[t - 1].w1, w[0], 1e-4);
              g_assert_cmpfloat_with_epsilon (p[t - 1].w2, w[1], 1e-4);
              g_assert_cmpfloat_with_epsilon (got->grad[i], g[i], tol_g);
              g_assert_cmpfloat_with_epsilon (got->velocity[i], vel[i], tol_g);
              g_assert_cmpfloat_with_epsilon (got->m_hat[i], m_hat[i], tol_g);
              g_assert_cmpfloat_with_epsilon (got->sqrt_v_hat[i], root[i], tol_g);
              g_assert_cmpfloat_with_epsilon (got->step[i], step[i], tol_s);
            }
          w[0] += step[0];
          w[1] += step[1];
          /* the step is what leads to the next recorded point */
          if (t < N)
            {
              g_assert_cmpfloat_with_epsilon (p[t].w1 - p[t - 1].w1, got->step[0], 1e-6);
              g_assert_cmpfloat_with_epsilon (p[t].w2 - p[t - 1].w2, got->step[1], 1e-6);
            }
        }
      /* Adam's first step is lr sign(g) per coordinate: the bias correction
       * at work (without it the step would be far smaller) */
      if (kinds[k] == RV_OPTIM_ADAM)
        {
          g_assert_cmpfloat_with_epsilon (st[0].step[0], -c.lr, 1e-6);
          g_assert_cmpfloat_with_epsilon (st[0].step[1], c.lr, 1e-6);
        }
    }

  /* stepping with a state gives the same points as without */
  RvOptimConfig c = config_for (RV_OPTIM_ADAM, 0.1);
  RvTrajectoryPoint a[N], b[N];
  RvTrajectoryState st[N];
  g_assert_true (rv_trajectory_run (s, &c, 1.5, -0.7, N, a, NULL, NULL));
  g_assert_true (rv_trajectory_run_with_state (s, &c, 1.5, -0.7, N, b, st, NULL, NULL));
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
}

static void
test_bad_arguments (void)
{
  const RvSurface *s = rv_surface_lookup ("steep");
  RvOptimConfig c = config_for (RV_OPTIM_ADAM, 0.1);
  g_autoptr (GError) error = NULL;
  g_assert_null (rv_trajectory_new (s, &c, INFINITY, 0, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (rv_trajectory_new (s, &c, 1e39, 0, &error));  /* not finite as a float */
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);

  c.lr = -1;
  RvTrajectoryPoint p[2];
  guint n = 7;
  g_assert_false (rv_trajectory_run (s, &c, 0, 0, 2, p, &n, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trajectory/records-before-update", test_records_before_update);
  g_test_add_func ("/trajectory/step-matches-run", test_step_matches_run);
  g_test_add_func ("/trajectory/tutorial-pathological", test_tutorial_pathological);
  g_test_add_func ("/trajectory/tutorial-steep", test_tutorial_steep);
  g_test_add_func ("/trajectory/diverged", test_diverged);
  g_test_add_func ("/trajectory/bad-arguments", test_bad_arguments);
  g_test_add_func ("/trajectory/state-by-hand", test_state_by_hand);
  return g_test_run ();
}
