/* test-optim-stability.c: rv_optim_stability_threshold against the core's
 * own optimizer steps.  On f(x) = λx²/2 (gradient λx) each SGD-type kind,
 * run by rv_optimizer_step, must settle to 0 with λ 1% below the threshold
 * and blow up with λ 1% above it, for several learning rates and momenta;
 * the adaptive kinds have no threshold. */
#include <math.h>

#include "rv-optim.h"

#define N 4          /* a few elements, all the same x, so vector paths run too */
#define STEPS 6000

/* |x| after STEPS steps from x = 1 (infinity once it overflowed). */
static double
final_distance (const RvOptimConfig *cfg, double lambda)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvOptimizer) opt = rv_optimizer_new (cfg, N, &error);
  g_assert_no_error (error);
  float x[N], g[N];
  for (int i = 0; i < N; i++)
    x[i] = 1.0f;
  for (int t = 0; t < STEPS && isfinite (x[0]) && fabsf (x[0]) < 1e20f; t++)
    {
      for (int i = 0; i < N; i++)
        g[i] = (float) lambda * x[i];
      rv_optimizer_step (opt, x, g);
    }
  for (int i = 1; i < N; i++)
    g_assert_true (x[i] == x[0] || (isnan (x[i]) && isnan (x[0])));
  return isfinite (x[0]) ? fabs (x[0]) : INFINITY;
}

static void
check_kind (RvOptimKind kind, double lr, double momentum)
{
  RvOptimConfig cfg;
  rv_optim_config_init (&cfg, kind);
  cfg.lr = lr;
  cfg.momentum = momentum;
  double threshold = rv_optim_stability_threshold (&cfg);
  g_assert_true (isfinite (threshold) && threshold > 0);
  double below = final_distance (&cfg, 0.99 * threshold);
  double above = final_distance (&cfg, 1.01 * threshold);
  if (g_test_verbose ())
    g_printerr ("%s lr %g b %g: threshold %g, |x| %g below, %g above\n", rv_optim_kind_name (kind), lr, momentum,
                threshold, below, above);
  g_assert_cmpfloat (below, <, 1e-4);
  g_assert_cmpfloat (above, >, 1e4);
}

static void
test_sgd (void)
{
  check_kind (RV_OPTIM_SGD, 0.1, 0.0);
  check_kind (RV_OPTIM_SGD, 0.01, 0.0);
  check_kind (RV_OPTIM_SGD, 1.5, 0.0);
  RvOptimConfig cfg;
  rv_optim_config_init (&cfg, RV_OPTIM_SGD);
  cfg.lr = 0.1;
  /* Cohen et al.'s 2/η: the tutorial's SGD at η = 0.1 gives 20 */
  g_assert_cmpfloat_with_epsilon (rv_optim_stability_threshold (&cfg), 20.0, 1e-12);
}

/* The tutorial's momentum: m = (1 − β) g + β m; x −= η m. */
static void
test_momentum (void)
{
  check_kind (RV_OPTIM_MOMENTUM, 0.1, 0.9);
  check_kind (RV_OPTIM_MOMENTUM, 0.1, 0.5);
  check_kind (RV_OPTIM_MOMENTUM, 0.01, 0.99);
  check_kind (RV_OPTIM_MOMENTUM, 0.3, 0.0);
}

static void
test_heavy_ball_nesterov (void)
{
  check_kind (RV_OPTIM_HEAVY_BALL, 0.01, 0.9);
  check_kind (RV_OPTIM_HEAVY_BALL, 0.1, 0.5);
  check_kind (RV_OPTIM_NESTEROV, 0.01, 0.9);
  check_kind (RV_OPTIM_NESTEROV, 0.1, 0.5);
}

static void
test_adaptive (void)
{
  const RvOptimKind kinds[] = { RV_OPTIM_RMSPROP, RV_OPTIM_ADAGRAD, RV_OPTIM_ADAM, RV_OPTIM_ADAMW };
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      RvOptimConfig cfg;
      rv_optim_config_init (&cfg, kinds[i]);
      g_assert_true (isnan (rv_optim_stability_threshold (&cfg)));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/optim-stability/sgd", test_sgd);
  g_test_add_func ("/optim-stability/momentum", test_momentum);
  g_test_add_func ("/optim-stability/heavy-ball-nesterov", test_heavy_ball_nesterov);
  g_test_add_func ("/optim-stability/adaptive", test_adaptive);
  return g_test_run ();
}
