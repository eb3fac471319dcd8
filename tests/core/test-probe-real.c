/* test-probe-real.c: the tutorial's initialization findings, asserted on
 * init-stats figures from the real FashionMNIST (skipped without it), and the
 * data-independent ones on the synthetic set too. */
#include <float.h>
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

/* Constant init (biases too): every logit is the same, so the softmax is
 * uniform and the output error p − y sums to zero over the classes.  Each
 * hidden unit's backward signal is a constant weight times that sum: zero in
 * exact arithmetic, in every layer below the last.  Only the last layer's
 * weight gradient, (p − y)·aᵀ, is really there, and it differs per class.
 *
 * What a machine computes for the zero is rounding noise whose size depends
 * on the GEMM kernel (1e-11 here, with a spread anywhere from 0 to far above
 * its own mean), so the check is against the largest gradient in the
 * network: every lower layer stays below ROUNDING_BOUND of it.  The bound is
 * a thousand float32 roundings of that magnitude (each backward sum has at
 * most a thousand terms: 10 classes, 512 units, a batch of 1,024), far above
 * any rounding noise and far below the O(1) ratio a real gradient has. */
#define ROUNDING_BOUND (1000.0 * FLT_EPSILON / 2)

static double
largest_magnitude (const RvStats *s)
{
  return MAX (fabs (s->min), fabs (s->max));
}

static void
check_constant_gradients (const RvDataset *ds)
{
  RvProbeResult res;
  probe (ds, RV_ACT_IDENTITY, "const:0.005", &res);
  const uint32_t last = res.n_linear - 1;
  const RvStats *out = &res.gradient[last];
  double largest = 0;
  for (uint32_t l = 0; l <= last; l++)
    largest = MAX (largest, largest_magnitude (&res.gradient[l]));
  g_assert_cmpfloat (largest, ==, largest_magnitude (out));
  g_assert_cmpfloat (largest, >, 0);
  /* The last layer's gradients really differ, from class to class. */
  g_test_message ("layers.%u.weight gradient: from %.4g to %.4g", 2 * last, out->min, out->max);
  g_assert_cmpfloat (out->max - out->min, >, 0.1 * largest);
  for (uint32_t l = 0; l < last; l++)
    {
      double ratio = largest_magnitude (&res.gradient[l]) / largest;
      g_test_message ("layers.%u.weight gradient: at most %.3g of the largest (bound %.3g)", 2 * l, ratio,
                      ROUNDING_BOUND);
      g_assert_cmpfloat (ratio, <, ROUNDING_BOUND);
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
