/* test-surface.c: the surfaces' analytic gradients against central finite
 * differences, their known minima, ranges, starts and grid sampling. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "rv-surface.h"

/* Central differences in double: truncation ~h^2 f''', rounding ~eps |f| / h;
 * the tolerance allows both. */
static void
check_gradient_at (const RvSurface *s, double w1, double w2)
{
  const double h = 1e-6;
  double g1, g2;
  double f = rv_surface_eval (s, w1, w2, &g1, &g2);
  double fd1 = (rv_surface_eval (s, w1 + h, w2, NULL, NULL) - rv_surface_eval (s, w1 - h, w2, NULL, NULL)) / (2 * h);
  double fd2 = (rv_surface_eval (s, w1, w2 + h, NULL, NULL) - rv_surface_eval (s, w1, w2 - h, NULL, NULL)) / (2 * h);
  double round = 8 * DBL_EPSILON * (1 + fabs (f)) / h;
  if (fabs (fd1 - g1) > 1e-6 * (1 + fabs (g1)) + round
      || fabs (fd2 - g2) > 1e-6 * (1 + fabs (g2)) + round)
    g_error ("%s at (%g, %g): gradient (%.10g, %.10g), differences (%.10g, %.10g)",
             s->name, w1, w2, g1, g2, fd1, fd2);

  /* The value does not depend on whether the gradient is asked for. */
  g_assert_cmpfloat (rv_surface_eval (s, w1, w2, NULL, NULL), ==, f);
  g_assert_true (isfinite (f) && isfinite (g1) && isfinite (g2));
}

static void
test_gradients (void)
{
  guint n;
  const RvSurface *list = rv_surface_list (&n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  for (guint k = 0; k < n; k++)
    {
      const RvSurface *s = &list[k];
      for (int p = 0; p < 2000; p++)
        {
          /* Over the range and a margin beyond it, where runs also go. */
          double w1 = g_rand_double_range (rand, s->range[0][0] - 1, s->range[0][1] + 1);
          double w2 = g_rand_double_range (rand, s->range[1][0] - 1, s->range[1][1] + 1);
          if (strcmp (s->name, "pathological") == 0 && fabs (w1) < 1e-3)
            continue;  /* the |w1| kink */
          check_gradient_at (s, w1, w2);
        }
      check_gradient_at (s, s->start[0], s->start[1]);
    }

  /* Far out where a naive sigmoid or tanh would overflow. */
  const RvSurface *path = rv_surface_lookup ("pathological");
  check_gradient_at (path, 30.0, -800.0);
  check_gradient_at (path, -30.0, 800.0);
  /* At the kink the gradient of |w1| is sign(0) = 0, as in torch. */
  double g1, g2;
  rv_surface_eval (path, 0.0, 1.0, &g1, &g2);
  g_assert_cmpfloat (g1, ==, 0.0);
}

static void
test_values (void)
{
  const RvSurface *path = rv_surface_lookup ("pathological");
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (path, 0, 0, NULL, NULL), 0.5, 1e-15);
  double t = tanh (5.0);
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (path, 5, 5, NULL, NULL),
                                  t * t + 0.05 + 1 / (1 + exp (-5.0)), 1e-15);
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (path, -2, 0, NULL, NULL),
                                  tanh (2.0) * tanh (2.0) + 0.02 + 0.5, 1e-15);

  /* The tutorial's bivar_gaussian, written out once more. */
  const RvSurface *steep = rv_surface_lookup ("steep");
  double w1 = 0.3, w2 = -0.1, want = 0;
  const double mu[3][2] = { { 1, -0.5 }, { -1, 0.5 }, { -0.5, -0.8 } };
  for (int k = 0; k < 3; k++)
    want -= 1 / (2 * G_PI * 0.2 * 0.2)
            * exp (-(w1 - mu[k][0]) * (w1 - mu[k][0]) / (2 * 0.04) - (w2 - mu[k][1]) * (w2 - mu[k][1]) / (2 * 0.04));
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (steep, w1, w2, NULL, NULL), want, 1e-14);
  /* Its three optima are equally deep. */
  for (int k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (rv_surface_eval (steep, mu[k][0], mu[k][1], NULL, NULL),
                                    -1 / (0.08 * G_PI), 1e-8);

  g_assert_cmpfloat (rv_surface_eval (rv_surface_lookup ("rosenbrock"), -1, 1, NULL, NULL), ==, 4);
  g_assert_cmpfloat (rv_surface_eval (rv_surface_lookup ("saddle"), 2, 3, NULL, NULL), ==, -5);
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (rv_surface_lookup ("rastrigin"), 1, 0.5, NULL, NULL),
                                  20 + 1 - 10 + 0.25 + 10, 1e-12);
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (rv_surface_lookup ("beale"), 0, 0, NULL, NULL),
                                  1.5 * 1.5 + 2.25 * 2.25 + 2.625 * 2.625, 1e-12);
  g_assert_cmpfloat (rv_surface_eval (rv_surface_lookup ("himmelblau"), 0, 0, NULL, NULL), ==, 170);
}

static void
check_minimum (const RvSurface *s, double w1, double w2, double value)
{
  double g1, g2;
  double f = rv_surface_eval (s, w1, w2, &g1, &g2);
  g_assert_cmpfloat_with_epsilon (f, value, 1e-8);
  g_assert_cmpfloat (hypot (g1, g2), <, 1e-4);
  /* A minimum: nothing around it is lower. */
  for (int a = 0; a < 16; a++)
    {
      double r = 1e-3, th = a * G_PI / 8;
      g_assert_cmpfloat (rv_surface_eval (s, w1 + r * cos (th), w2 + r * sin (th), NULL, NULL), >, f);
    }
}

static void
test_minima (void)
{
  guint n;
  const RvSurface *list = rv_surface_list (&n);
  for (guint k = 0; k < n; k++)
    if (list[k].has_minimum)
      check_minimum (&list[k], list[k].minimum[0], list[k].minimum[1], list[k].minimum_value);

  g_assert_false (rv_surface_lookup ("pathological")->has_minimum);
  g_assert_false (rv_surface_lookup ("saddle")->has_minimum);
  const RvSurface *steep = rv_surface_lookup ("steep");
  g_assert_cmpfloat (steep->minimum[0], ==, -0.5);
  g_assert_cmpfloat (steep->minimum[1], ==, -0.8);

  /* Himmelblau's other three minima. */
  const RvSurface *him = rv_surface_lookup ("himmelblau");
  check_minimum (him, -2.805118086952745, 3.131312518250573, 0);
  check_minimum (him, -3.779310253377747, -3.283185991286170, 0);
  check_minimum (him, 3.584428340330492, -1.848126526964404, 0);
}

static void
test_table (void)
{
  static const char *const names[] = { "pathological", "steep", "rosenbrock", "beale",
                                       "himmelblau", "saddle", "rastrigin" };
  guint n = 0;
  const RvSurface *list = rv_surface_list (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (names));
  for (guint k = 0; k < n; k++)
    {
      const RvSurface *s = &list[k];
      g_assert_cmpstr (s->name, ==, names[k]);
      g_assert_true (rv_surface_lookup (names[k]) == s);
      g_assert_true (s->display_name && *s->display_name);
      g_assert_true (s->formula && g_utf8_validate (s->formula, -1, NULL));
      for (int d = 0; d < 2; d++)
        {
          g_assert_cmpfloat (s->range[d][0], <, s->range[d][1]);
          g_assert_cmpfloat (s->start[d], >=, s->range[d][0]);
          g_assert_cmpfloat (s->start[d], <=, s->range[d][1]);
          if (s->has_minimum)
            {
              g_assert_cmpfloat (s->minimum[d], >=, s->range[d][0]);
              g_assert_cmpfloat (s->minimum[d], <=, s->range[d][1]);
            }
        }
    }
  g_assert_null (rv_surface_lookup ("everest"));
  g_assert_null (rv_surface_lookup (NULL));

  /* The tutorial's settings. */
  const RvSurface *path = rv_surface_lookup ("pathological");
  g_assert_cmpfloat (path->start[0], ==, 5);
  g_assert_cmpfloat (path->start[1], ==, 5);
  g_assert_cmpfloat (path->range[0][0], ==, -5);
  const RvSurface *steep = rv_surface_lookup ("steep");
  g_assert_cmpfloat (steep->start[0], ==, 0);
  g_assert_cmpfloat (steep->start[1], ==, 0);
  g_assert_cmpfloat (steep->range[1][1], ==, 2);
}

static void
test_grid (void)
{
  const RvSurface *s = rv_surface_lookup ("rosenbrock");
  const guint n = 5;
  double w1[5], w2[5], loss[25];
  rv_surface_sample_grid (s, n, w1, w2, loss);
  const double want1[] = { -2, -1, 0, 1, 2 }, want2[] = { -1, 0, 1, 2, 3 };
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (w1[i], ==, want1[i]);
      g_assert_cmpfloat (w2[i], ==, want2[i]);
    }
  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      g_assert_cmpfloat (loss[j * n + i], ==, rv_surface_eval (s, w1[i], w2[j], NULL, NULL));
  /* Row j holds one w2: (w1 = 1, w2 = 1) is the minimum, at j = 2, i = 3. */
  g_assert_cmpfloat (loss[2 * n + 3], ==, 0);

  /* The ends are the range's ends exactly, for awkward ranges too. */
  const RvSurface *r = rv_surface_lookup ("rastrigin");
  const guint m = 7;
  double a[7], b[7], l[49];
  rv_surface_sample_grid (r, m, a, b, l);
  g_assert_cmpfloat (a[0], ==, -5.12);
  g_assert_cmpfloat (a[m - 1], ==, 5.12);
  g_assert_cmpfloat (b[m - 1], ==, 5.12);
  for (guint i = 1; i < m; i++)
    g_assert_cmpfloat (a[i], >, a[i - 1]);
}

/* A grid surface: the node values themselves at the nodes (also where a
 * neighbour is NaN), the bilinear blend between them checked against the
 * formula written out, its gradient against central differences, NaN on
 * the pieces a diverged node touches and outside the range; sampling it on
 * its own grid gives the values back. */
static void
test_from_grid (void)
{
  enum { N = 4 };
  const double range[2][2] = { { -1.0, 2.0 }, { 0.5, 3.5 } };
  double v[N * N];
  for (int j = 0; j < N; j++)
    for (int i = 0; i < N; i++)
      v[j * N + i] = sin (1.0 + i) * (2.0 + j * j);
  v[3 * N + 3] = NAN;
  static const char *const names[2] = { "α", "β" };
  g_autoptr (RvSurface) s = rv_surface_new_from_grid ("test", N, range, v, names);
  g_assert_cmpstr (s->axis_names[0], ==, "α");
  g_assert_cmpstr (s->axis_names[1], ==, "β");
  double w1[N], w2[N], sampled[N * N];
  rv_surface_sample_grid (s, N, w1, w2, sampled);
  for (int k = 0; k < N * N; k++)
    if (k == 3 * N + 3)
      g_assert_true (isnan (sampled[k]));
    else
      g_assert_cmpfloat (sampled[k], ==, v[k]);

  /* inside cell (i, j) = (1, 0) at fractions (0.3, 0.6) */
  const double h = 1.0;  /* both ranges span 3 over 3 cells */
  double tx = 0.3, ty = 0.6, x = range[0][0] + (1 + tx) * h, y = range[1][0] + ty * h;
  double want = (1 - tx) * (1 - ty) * v[1] + tx * (1 - ty) * v[2] + (1 - tx) * ty * v[N + 1] + tx * ty * v[N + 2];
  double g1, g2;
  g_assert_cmpfloat_with_epsilon (rv_surface_eval (s, x, y, &g1, &g2), want, 1e-12);
  const double e = 1e-6;
  double d1 = (rv_surface_eval (s, x + e, y, NULL, NULL) - rv_surface_eval (s, x - e, y, NULL, NULL)) / (2 * e);
  double d2 = (rv_surface_eval (s, x, y + e, NULL, NULL) - rv_surface_eval (s, x, y - e, NULL, NULL)) / (2 * e);
  g_assert_cmpfloat_with_epsilon (g1, d1, 1e-6);
  g_assert_cmpfloat_with_epsilon (g2, d2, 1e-6);

  /* the diverged corner blanks its own cell, not the nodes beside it */
  g_assert_true (isnan (rv_surface_eval (s, 1.9, 3.4, NULL, NULL)));
  g_assert_cmpfloat (rv_surface_eval (s, range[0][1], range[1][0] + 2 * h, NULL, NULL), ==, v[2 * N + 3]);
  g_assert_true (isnan (rv_surface_eval (s, range[0][1] + 0.1, 1.0, NULL, NULL)));

  double v2[N * N];
  for (int k = 0; k < N * N; k++)
    v2[k] = 2 * k;
  rv_surface_set_grid_values (s, v2);
  g_assert_cmpfloat (rv_surface_eval (s, range[0][0] + h, range[1][0] + h, NULL, NULL), ==, v2[N + 1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/surface/gradients", test_gradients);
  g_test_add_func ("/surface/values", test_values);
  g_test_add_func ("/surface/minima", test_minima);
  g_test_add_func ("/surface/table", test_table);
  g_test_add_func ("/surface/grid", test_grid);
  g_test_add_func ("/surface/from-grid", test_from_grid);
  return g_test_run ();
}
