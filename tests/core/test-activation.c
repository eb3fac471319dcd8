/* test-activation.c: names, derivatives against finite differences, and the
 * initialization gains against their definitions. */
#include <math.h>

#include "rv-activation.h"

static void
test_names (void)
{
  for (int a = 0; a < RV_ACT_COUNT; a++)
    {
      RvActivation back;
      g_assert_true (rv_activation_from_name (rv_activation_name (a), &back));
      g_assert_cmpint (back, ==, a);
      g_assert_true (rv_activation_from_name (rv_activation_torch_name (a), &back));
      g_assert_cmpint (back, ==, a);
    }
  RvActivation act;
  g_assert_true (rv_activation_from_name ("RELU", &act));
  g_assert_cmpint (act, ==, RV_ACT_RELU);
  g_assert_false (rv_activation_from_name ("swish2", &act));
  g_assert_false (rv_activation_from_name (NULL, &act));
}

static void
test_values (void)
{
  g_assert_cmpfloat (rv_activation_apply (RV_ACT_RELU, -2.0f), ==, 0.0f);
  g_assert_cmpfloat (rv_activation_apply (RV_ACT_LEAKY_RELU, -2.0f), ==, -0.02f);
  g_assert_cmpfloat_with_epsilon (rv_activation_apply (RV_ACT_ELU, -1.0f), expm1 (-1.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (rv_activation_apply (RV_ACT_GELU, 1.0f), 0.8413447, 1e-6);
  g_assert_cmpfloat_with_epsilon (rv_activation_apply (RV_ACT_SIGMOID, 0.0f), 0.5, 1e-7);
  g_assert_cmpfloat_with_epsilon (rv_activation_apply (RV_ACT_SILU, 2.0f), 2.0 / (1.0 + exp (-2.0)), 1e-6);
  g_assert_cmpfloat_with_epsilon (rv_activation_apply (RV_ACT_TANH, 0.5f), tanh (0.5), 1e-7);
}

static void
test_derivatives (void)
{
  for (int a = 0; a < RV_ACT_COUNT; a++)
    for (double x = -4.05; x < 4.0; x += 0.1)
      {
        const double h = 1e-3;
        double fd = (rv_activation_apply (a, (float) (x + h)) - rv_activation_apply (a, (float) (x - h))) / (2 * h);
        double d = rv_activation_derivative (a, (float) x);
        if (fabs (fd - d) > 2e-3)
          g_error ("%s'(%g) = %g but finite differences give %g", rv_activation_name (a), x, d, fd);
      }
}

/* 1/sqrt(E[f(z)^2]), z ~ N(0, 1), by the trapezoid rule on [-12, 12]. */
static double
second_moment_gain (RvActivation act)
{
  const int n = 200000;
  const double a = -12.0, h = 24.0 / n;
  double s = 0.0;
  for (int i = 0; i <= n; i++)
    {
      double z = a + i * h;
      double f = rv_activation_apply (act, (float) z);
      s += (i == 0 || i == n ? 0.5 : 1.0) * f * f * exp (-0.5 * z * z);
    }
  return 1.0 / sqrt (s * h / sqrt (2.0 * G_PI));
}

static void
test_gains (void)
{
  /* torch.nn.init.calculate_gain */
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_IDENTITY), 1.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_SIGMOID), 1.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_TANH), 5.0 / 3.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_RELU), sqrt (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_LEAKY_RELU), sqrt (2.0 / (1.0 + 0.01 * 0.01)), 1e-6);
  /* The ones calculate_gain lacks preserve the second moment. */
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_ELU), second_moment_gain (RV_ACT_ELU), 2e-4);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_GELU), second_moment_gain (RV_ACT_GELU), 2e-4);
  g_assert_cmpfloat_with_epsilon (rv_activation_gain (RV_ACT_SILU), second_moment_gain (RV_ACT_SILU), 2e-4);
  /* ...which for ReLU is calculate_gain's own value. */
  g_assert_cmpfloat_with_epsilon (second_moment_gain (RV_ACT_RELU), sqrt (2.0), 1e-4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/activation/names", test_names);
  g_test_add_func ("/activation/values", test_values);
  g_test_add_func ("/activation/derivatives", test_derivatives);
  g_test_add_func ("/activation/gains", test_gains);
  return g_test_run ();
}
