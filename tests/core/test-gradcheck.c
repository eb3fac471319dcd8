/* test-gradcheck.c: backward() against central finite differences of the
 * loss, for every parameter of a small network, for every activation.
 *
 * The network computes in float, so a single tiny gradient cannot be checked
 * to many digits: each block (a layer's weights, or its biases) is judged
 * against its own largest gradient.  A real bug moves gradients by amounts of
 * that size; rounding moves them by far less. */
#include <math.h>

#include "rv-net.h"
#include "rv-rng.h"

#define BATCH 5
#define STEP 1e-2f
#define TOLERANCE 2e-2

static double
block_error (RvNet *net, const float *x, const uint8_t *labels, const float *analytic,
             size_t start, size_t count)
{
  double scale = 0.0, worst = 0.0;
  for (size_t i = start; i < start + count; i++)
    scale = MAX (scale, fabs (analytic[i]));
  for (size_t i = start; i < start + count; i++)
    {
      float saved = net->params[i];
      net->params[i] = saved + STEP;
      double up = rv_net_loss (net, x, labels, BATCH, FALSE, NULL);
      net->params[i] = saved - STEP;
      double down = rv_net_loss (net, x, labels, BATCH, FALSE, NULL);
      net->params[i] = saved;
      worst = MAX (worst, fabs ((up - down) / (2.0 * STEP) - analytic[i]));
    }
  return worst / MAX (scale, 1e-6);
}

static void
check_activation (gconstpointer data)
{
  RvActivation act = GPOINTER_TO_INT (data);
  const uint32_t hidden[] = { 7, 6 };
  RvNetConfig cfg;
  rv_net_config_init (&cfg, act, hidden, G_N_ELEMENTS (hidden));
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());

  /* Weights large enough that every layer's nonlinearity matters. */
  g_autofree float *x = g_new (float, BATCH * RV_INPUT_SIZE);
  const uint8_t labels[BATCH] = { 3, 0, 9, 3, 7 };
  rv_rng_fill_normal (x, BATCH * RV_INPUT_SIZE, 11, 1, 0.0f, 1.0f);
  rv_rng_fill_normal (net->params, net->n_params, 11, 2, 0.0f, 0.1f);
  for (uint32_t l = 1; l < cfg.n_linear; l++)
    for (size_t i = 0; i < rv_net_weight_count (net, l); i++)
      net->params[net->w_off[l] + i] *= 4.0f;

  rv_net_zero_grad (net);
  rv_net_loss (net, x, labels, BATCH, TRUE, NULL);
  g_autofree float *analytic = g_memdup2 (net->grads, net->n_params * sizeof (float));

  for (uint32_t l = 0; l < cfg.n_linear; l++)
    {
      double w_err = block_error (net, x, labels, analytic, net->w_off[l], rv_net_weight_count (net, l));
      double b_err = block_error (net, x, labels, analytic, net->b_off[l], rv_net_fan_out (net, l));
      g_test_message ("%s, layers.%u: weight error %.2g, bias error %.2g (of the largest gradient)",
                      rv_activation_name (act), 2 * l, w_err, b_err);
      g_assert_cmpfloat (w_err, <, TOLERANCE);
      g_assert_cmpfloat (b_err, <, TOLERANCE);
    }

  /* The check can fail: one gradient off by a tenth of its block's scale trips it. */
  size_t i = net->w_off[1] + 3;
  double scale = 0.0;
  for (size_t j = net->w_off[1]; j < net->b_off[1]; j++)
    scale = MAX (scale, fabs (analytic[j]));
  analytic[i] += (float) (0.1 * scale);
  g_assert_cmpfloat (block_error (net, x, labels, analytic, net->w_off[1], rv_net_weight_count (net, 1)), >, TOLERANCE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (int a = 0; a < RV_ACT_COUNT; a++)
    {
      g_autofree char *path = g_strdup_printf ("/gradcheck/%s", rv_activation_name (a));
      g_test_add_data_func (path, GINT_TO_POINTER (a), check_activation);
    }
  return g_test_run ();
}
