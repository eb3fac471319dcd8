/* test-init.c: each initializer against its defining formula. */
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-init.h"
#include "rv-rng.h"

static RvNet *
make_net (RvActivation act)
{
  static const uint32_t hidden[] = { 512, 256, 256, 128 };
  RvNetConfig cfg;
  rv_net_config_init (&cfg, act, hidden, G_N_ELEMENTS (hidden));
  return rv_net_new (&cfg, rv_backend_cpu ());
}

static void
moments (const float *x, size_t n, double *mean, double *var, double *max_abs)
{
  double m = 0, v = 0, a = 0;
  for (size_t i = 0; i < n; i++)
    m += x[i];
  m /= n;
  for (size_t i = 0; i < n; i++)
    {
      v += (x[i] - m) * (x[i] - m);
      a = MAX (a, fabs (x[i]));
    }
  *mean = m;
  *var = v / n;
  if (max_abs)
    *max_abs = a;
}

static void
apply (RvNet *net, const char *spec, uint64_t seed)
{
  RvInit init;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_parse (spec, &init, &error));
  g_assert_true (rv_init_apply (net, &init, seed, NULL, 0, &error));
  g_assert_no_error (error);
}

static void
test_parse (void)
{
  static const char *good[] = { "const:0.005", "normal:0.01", "equal-var", "xavier", "kaiming",
                                "xavier-normal", "kaiming-uniform", "orthogonal", "lsuv" };
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      RvInit init;
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_init_parse (good[i], &init, &error));
      g_autofree char *back = rv_init_to_string (&init);
      g_assert_cmpstr (back, ==, good[i]);
    }
  static const char *bad[] = { "const", "const:", "const:abc", "normal:-1", "normal:nan", "xavier:2",
                               "kaiming2", "", "const:1e9" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RvInit init;
      g_autoptr (GError) error = NULL;
      g_assert_false (rv_init_parse (bad[i], &init, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
    }
  RvInit init;
  g_assert_true (rv_init_parse ("Constant:0.5", &init, NULL));
  g_assert_cmpint (init.kind, ==, RV_INIT_CONST);
  g_assert_cmpfloat (init.value, ==, 0.5f);
}

static void
test_const_and_normal (void)
{
  g_autoptr (RvNet) net = make_net (RV_ACT_IDENTITY);
  apply (net, "const:0.005", 1);
  for (size_t i = 0; i < net->n_params; i++)
    g_assert_cmpfloat (net->params[i], ==, 0.005f); /* biases too */

  apply (net, "normal:0.1", 1);
  double mean, var;
  moments (net->params, net->n_params, &mean, &var, NULL);
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (sqrt (var), 0.1, 1e-3);
  /* biases are drawn too, not zero */
  g_assert_cmpfloat (fabs (net->params[net->b_off[0]]) + fabs (net->params[net->b_off[0] + 1]), >, 0.0);
}

static void
test_variance_scaled (void)
{
  g_autoptr (RvNet) net = make_net (RV_ACT_RELU);
  const double g = sqrt (2.0);
  struct {
    const char *spec;
    gboolean uniform;
  } cases[] = { { "equal-var", FALSE }, { "xavier", TRUE }, { "kaiming", FALSE },
                { "xavier-normal", FALSE }, { "kaiming-uniform", TRUE } };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      apply (net, cases[c].spec, 3);
      for (uint32_t l = 0; l < net->cfg.n_linear; l++)
        {
          double fi = rv_net_fan_in (net, l), fo = rv_net_fan_out (net, l);
          double gain = l == 0 ? 1.0 : g;
          double expect, bound = 0.0;
          if (strcmp (cases[c].spec, "equal-var") == 0)
            expect = 1.0 / fi;
          else if (strcmp (cases[c].spec, "xavier") == 0)
            bound = sqrt (6.0 / (fi + fo)), expect = bound * bound / 3.0;
          else if (strcmp (cases[c].spec, "kaiming") == 0)
            expect = (l == 0 ? 1.0 : 2.0) / fi;
          else if (strcmp (cases[c].spec, "xavier-normal") == 0)
            expect = gain * gain * 2.0 / (fi + fo);
          else
            bound = gain * sqrt (3.0 / fi), expect = bound * bound / 3.0;

          double mean, var, max_abs;
          size_t n = rv_net_weight_count (net, l);
          moments (net->params + net->w_off[l], n, &mean, &var, &max_abs);
          /* the sample variance of n draws is within a few 1/sqrt(n/2) of the truth */
          g_assert_cmpfloat (fabs (var / expect - 1.0), <, 5.0 * sqrt (2.0 / n) + 1e-3);
          if (cases[c].uniform)
            {
              g_assert_cmpfloat (max_abs, <=, bound * (1 + 1e-6));
              g_assert_cmpfloat (max_abs, >, bound * 0.99);
            }
          for (uint32_t i = 0; i < fo; i++)
            g_assert_cmpfloat (net->params[net->b_off[l] + i], ==, 0.0f);
        }
    }
}

static void
test_orthogonal (void)
{
  g_autoptr (RvNet) net = make_net (RV_ACT_TANH);
  apply (net, "orthogonal", 5);
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      const float *w = net->params + net->w_off[l];
      int out = (int) rv_net_fan_out (net, l), in = (int) rv_net_fan_in (net, l);
      double g = l == 0 ? 1.0 : 5.0 / 3.0;
      /* rows orthonormal (out <= in) or columns orthonormal (out > in), times g */
      int k = MIN (out, in), len = MAX (out, in);
      double worst = 0.0;
      for (int a = 0; a < k; a += 7)
        for (int b = a; b < k; b += 5)
          {
            double dot = 0.0;
            for (int t = 0; t < len; t++)
              {
                double va = out <= in ? w[(size_t) a * in + t] : w[(size_t) t * in + a];
                double vb = out <= in ? w[(size_t) b * in + t] : w[(size_t) t * in + b];
                dot += va * vb;
              }
            worst = MAX (worst, fabs (dot / (g * g) - (a == b ? 1.0 : 0.0)));
          }
      g_assert_cmpfloat (worst, <, 1e-5);
    }
}

static void
test_lsuv (void)
{
  g_autoptr (RvNet) net = make_net (RV_ACT_TANH);
  const uint32_t batch = 256;
  g_autofree float *x = g_new (float, (size_t) batch * RV_INPUT_SIZE);
  rv_rng_fill_normal (x, (size_t) batch * RV_INPUT_SIZE, 9, 0, 0.0f, 1.0f);

  RvInit init = { .kind = RV_INIT_LSUV };
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_init_apply (net, &init, 1, NULL, 0, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (rv_init_apply (net, &init, 1, x, batch, &error));
  rv_net_forward (net, x, batch);
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      double mean, var;
      moments (net->z[l], (size_t) batch * rv_net_fan_out (net, l), &mean, &var, NULL);
      g_assert_cmpfloat (fabs (var - 1.0), <, 0.1);
    }
}

static void
test_deterministic (void)
{
  g_autoptr (RvNet) a = make_net (RV_ACT_RELU);
  g_autoptr (RvNet) b = make_net (RV_ACT_RELU);
  apply (a, "kaiming", 42);
  apply (b, "kaiming", 42);
  g_assert_cmpmem (a->params, a->n_params * 4, b->params, b->n_params * 4);
  apply (b, "kaiming", 43);
  g_assert_true (memcmp (a->params, b->params, a->n_params * 4) != 0);
  /* layers draw from their own streams: their weights are not copies */
  g_assert_cmpfloat (a->params[a->w_off[1]] / sqrt (2.0 / 512), !=, a->params[a->w_off[2]] / sqrt (2.0 / 256));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/init/parse", test_parse);
  g_test_add_func ("/init/const-and-normal", test_const_and_normal);
  g_test_add_func ("/init/variance-scaled", test_variance_scaled);
  g_test_add_func ("/init/orthogonal", test_orthogonal);
  g_test_add_func ("/init/lsuv", test_lsuv);
  g_test_add_func ("/init/deterministic", test_deterministic);
  return g_test_run ();
}
