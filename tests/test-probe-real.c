/* test-probe-real.c: the tutorial's initialization findings, asserted on
 * init-stats figures from the real FashionMNIST (skipped without it), and the
 * data-independent ones on the synthetic set too. */
#include <math.h>

#include "rv-probe.h"

static RvDataset *real_data;
static RvDataset *synthetic_data;

static void
probe (const RvDataset *ds, RvActivation act, const char *init, RvProbeResult *res)
{
  RvProbeConfig cfg;
  g_autoptr (GError) error = NULL;
  rv_probe_config_init_default (&cfg);
  cfg.net.act = act;
  g_assert_true (rv_init_parse (init, &cfg.init, &error));
  g_assert_true (rv_probe_run (&cfg, ds, res, &error));
  g_assert_no_error (error);

  GString *line = g_string_new (NULL);
  for (uint32_t l = 0; l < res->n_linear; l++)
    g_string_append_printf (line, " L%u %.4g |", 2 * l, res->activation[l].variance);
  g_test_message ("%s, %s, %s: activation variance%s loss %.4f", ds->synthetic ? "synthetic" : "FashionMNIST",
                  rv_activation_name (act), init, line->str, res->loss);
  g_string_free (line, TRUE);
}

static gboolean
need_real_data (void)
{
  if (real_data)
    return TRUE;
  g_test_skip ("FashionMNIST not found: set RAVINE_TEST_DATA_DIR to the folder with the four .gz files");
  return FALSE;
}

/* Constant variance 0.01 with identity: the signal shrinks by orders of
 * magnitude, layer after layer (tutorial: 0.078 → 8.2e-5). */
static void
test_small_variance_vanishes (void)
{
  if (!need_real_data ())
    return;
  RvProbeResult res;
  probe (real_data, RV_ACT_IDENTITY, "normal:0.01", &res);
  for (uint32_t l = 1; l < res.n_linear; l++)
    g_assert_cmpfloat (res.activation[l].variance, <, res.activation[l - 1].variance);
  g_assert_cmpfloat (res.activation[0].variance / res.activation[res.n_linear - 1].variance, >, 100.0);
  rv_probe_result_clear (&res);
}

/* Constant variance 0.1: it grows instead (tutorial: 8.1 → 303). */
static void
test_large_variance_explodes (void)
{
  if (!need_real_data ())
    return;
  RvProbeResult res;
  probe (real_data, RV_ACT_IDENTITY, "normal:0.1", &res);
  for (uint32_t l = 1; l < res.n_linear; l++)
    g_assert_cmpfloat (res.activation[l].variance, >, res.activation[l - 1].variance);
  g_assert_cmpfloat (res.activation[res.n_linear - 1].variance / res.activation[0].variance, >, 10.0);
  rv_probe_result_clear (&res);
}

/* Equal variance keeps it near 1 (tutorial: 1.01 … 1.13). */
static void
test_equal_variance_holds (void)
{
  if (!need_real_data ())
    return;
  RvProbeResult res;
  probe (real_data, RV_ACT_IDENTITY, "equal-var", &res);
  for (uint32_t l = 0; l < res.n_linear; l++)
    {
      g_assert_cmpfloat (res.activation[l].variance, >, 0.8);
      g_assert_cmpfloat (res.activation[l].variance, <, 1.25);
    }
  rv_probe_result_clear (&res);
}

/* Kaiming with ReLU keeps every hidden layer near 1 (tutorial: 1.03, 1.01,
 * 1.02, 1.14), where Xavier's variance would fall away layer by layer. */
static void
test_kaiming_relu_holds (void)
{
  if (!need_real_data ())
    return;
  RvProbeResult res;
  probe (real_data, RV_ACT_RELU, "kaiming", &res);
  for (uint32_t l = 0; l + 1 < res.n_linear; l++)
    {
      g_assert_cmpfloat (res.activation[l].variance, >, 0.75);
      g_assert_cmpfloat (res.activation[l].variance, <, 1.35);
    }
  rv_probe_result_clear (&res);

  probe (real_data, RV_ACT_RELU, "xavier", &res);
  g_assert_cmpfloat (res.activation[res.n_linear - 2].variance, <, 0.5);
  rv_probe_result_clear (&res);
}

/* Constant init: every weight of a hidden layer gets the same gradient, so
 * the layer's units can never become different; the first and last layers'
 * gradients still vary. */
static void
check_constant_gradients (const RvDataset *ds)
{
  RvProbeResult res;
  probe (ds, RV_ACT_IDENTITY, "const:0.005", &res);
  const uint32_t last = res.n_linear - 1;
  for (uint32_t l = 0; l <= last; l++)
    {
      const RvStats *g = &res.gradient[l];
      double spread = (g->max - g->min) / MAX (fabs (g->mean), 1e-30);
      g_test_message ("layers.%u.weight gradient: mean %.4g, spread %.3g of the mean", 2 * l, g->mean, spread);
      if (l == 0 || l == last)
        g_assert_cmpfloat (spread, >, 0.1);
      else
        g_assert_cmpfloat (spread, <, 1e-3);
    }
  rv_probe_result_clear (&res);
}

static void
test_constant_identical_gradients_real (void)
{
  if (need_real_data ())
    check_constant_gradients (real_data);
}

static void
test_constant_identical_gradients_synthetic (void)
{
  check_constant_gradients (synthetic_data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  g_autoptr (GError) error = NULL;
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      real_data = rv_dataset_load (dir, 42, &error);
      if (real_data == NULL)
        g_error ("RAVINE_TEST_DATA_DIR=%s does not hold readable FashionMNIST: %s", dir, error->message);
    }
  synthetic_data = rv_dataset_new_synthetic (4000, 1000, 42);

  g_test_add_func ("/probe/small-variance-vanishes", test_small_variance_vanishes);
  g_test_add_func ("/probe/large-variance-explodes", test_large_variance_explodes);
  g_test_add_func ("/probe/equal-variance-holds", test_equal_variance_holds);
  g_test_add_func ("/probe/kaiming-relu-holds", test_kaiming_relu_holds);
  g_test_add_func ("/probe/constant-identical-gradients/real", test_constant_identical_gradients_real);
  g_test_add_func ("/probe/constant-identical-gradients/synthetic", test_constant_identical_gradients_synthetic);
  int status = g_test_run ();
  rv_dataset_free (real_data);
  rv_dataset_free (synthetic_data);
  return status;
}
