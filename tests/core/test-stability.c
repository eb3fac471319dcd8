/* test-stability.c: the stability grid's cells against closed forms and a
 * hand run of the tutorial's momentum on f = w1^2 + 10 w2^2. */
#include <math.h>

#include "rv-error.h"
#include "rv-stability.h"

#define START_W1 1.0
#define START_W2 -0.5

/* f after k plain gradient steps: each coordinate is multiplied by
 * 1 - lr h per step, h its curvature (2 and 20). */
static double
sgd_closed_form (double lr, guint k)
{
  double w1 = START_W1 * pow (1 - 2 * lr, k), w2 = START_W2 * pow (1 - 20 * lr, k);
  return w1 * w1 + 10 * w2 * w2;
}

/* m = (1 - b) g + b m;  w -= lr m, in double, k updates. */
static double
momentum_by_hand (double lr, double b, guint k)
{
  double w[2] = { START_W1, START_W2 }, m[2] = { 0, 0 };
  const double h[2] = { 2, 20 };
  for (guint t = 0; t < k; t++)
    for (int i = 0; i < 2; i++)
      {
        m[i] = (1 - b) * h[i] * w[i] + b * m[i];
        w[i] -= lr * m[i];
      }
  return w[0] * w[0] + 10 * w[1] * w[1];
}

static void
test_cells (void)
{
  g_autoptr (RvSurface) s = rv_surface_new_from_expr ("w1^2 + 10*w2^2", NULL, NULL);
  g_assert_nonnull (s);

  /* SGD: one row over lr from 1e-3 to 10; it converges for lr < 2/20 */
  RvOptimConfig sgd;
  rv_optim_config_init (&sgd, RV_OPTIM_SGD);
  RvStabilityGrid row = { NULL, -3, 1, 9, 0, 0, 1, 60 };
  double loss[9];
  g_assert_true (rv_stability_map (s, &sgd, &row, START_W1, START_W2, loss, NULL));
  gboolean seen_nan = FALSE;
  for (guint i = 0; i < 9; i++)
    {
      double lr = rv_stability_lr (&row, i);
      g_assert_cmpfloat_with_epsilon (lr, pow (10, -3 + 0.5 * i), 5e-3 * lr);
      char three[32];
      g_snprintf (three, sizeof three, "%.3g", lr);
      g_assert_cmpfloat (g_ascii_strtod (three, NULL), ==, lr);
      double want = sgd_closed_form (lr, 59);  /* 60 points: 59 updates before the last */
      g_test_message ("sgd lr %g: %g (closed form %g)", lr, loss[i], want);
      if (isnan (loss[i]))
        {
          /* only where the closed form leaves float's range */
          g_assert_cmpfloat (lr, >, 0.1);
          g_assert_cmpfloat (want, >, 1e30);
          seen_nan = TRUE;
        }
      else
        g_assert_cmpfloat_with_epsilon (loss[i], want, 1e-3 * want + 1e-12);
      if (lr < 0.1)
        g_assert_cmpfloat (loss[i], <, sgd_closed_form (lr, 0));
    }
  g_assert_true (seen_nan);

  /* momentum over lr x beta */
  RvOptimConfig mom;
  rv_optim_config_init (&mom, RV_OPTIM_MOMENTUM);
  RvStabilityGrid grid = { "momentum", -3, -1, 5, 0, 0.9, 4, 40 };
  double cells[20];
  g_assert_true (rv_stability_map (s, &mom, &grid, START_W1, START_W2, cells, NULL));
  for (guint j = 0; j < 4; j++)
    for (guint i = 0; i < 5; i++)
      {
        RvOptimConfig c;
        rv_stability_config (&grid, &mom, i, j, &c);
        g_assert_cmpfloat_with_epsilon (c.momentum, 0.3 * j, 1e-12);
        g_assert_cmpfloat (c.lr, ==, rv_stability_lr (&grid, i));
        double want = momentum_by_hand (c.lr, c.momentum, 39);
        g_assert_false (isnan (cells[j * 5 + i]));
        g_assert_cmpfloat_with_epsilon (cells[j * 5 + i], want, 1e-3 * want + 1e-9);
      }
}

static void
test_bad_grids (void)
{
  const RvSurface *s = rv_surface_lookup ("pathological");
  RvOptimConfig sgd, adam;
  rv_optim_config_init (&sgd, RV_OPTIM_SGD);
  rv_optim_config_init (&adam, RV_OPTIM_ADAM);
  double loss[64] = { 0 };
  const struct { const RvOptimConfig *c; RvStabilityGrid g; } bad[] = {
    { &sgd, { "momentum", -3, 1, 4, 0, 0.9, 4, 10 } },  /* SGD has no momentum */
    { &adam, { "beta1", -3, 1, 4, 0, 1.0, 4, 10 } },    /* beta 1 */
    { &adam, { "beta1", -3, 1, 1, 0, 0.9, 4, 10 } },    /* one lr */
    { &adam, { "beta1", 1, -3, 4, 0, 0.9, 4, 10 } },    /* backwards */
    { &adam, { NULL, -3, 1, 4, 0, 0.9, 4, 10 } },       /* rows without a beta */
    { &adam, { "beta1", -3, 1, 4, 0, 0.9, 4, 0 } },     /* no steps */
  };
  for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (rv_stability_map (s, bad[k].c, &bad[k].g, 0, 0, loss, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
      g_test_message ("%s", error->message);
      for (gsize i = 0; i < G_N_ELEMENTS (loss); i++)
        g_assert_cmpfloat (loss[i], ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stability/cells", test_cells);
  g_test_add_func ("/stability/bad-grids", test_bad_grids);
  return g_test_run ();
}
