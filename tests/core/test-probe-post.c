/* test-probe-post.c: the probe's post-activation figures, f(z) of every
 * hidden layer, against a forward pass computed here by hand in double;
 * and the saturated and dead fractions on networks built so that the
 * answer is known. */
#include <math.h>
#include <string.h>

#include "rv-probe.h"

#define BATCH 96

static RvDataset *data;

/* The probe's batch (RV_PROBE_HEAD: the first images of the file). */
static float *
probe_images (uint32_t batch)
{
  g_autofree uint32_t *indices = g_new (uint32_t, batch);
  for (uint32_t i = 0; i < batch; i++)
    indices[i] = i;
  float *x = g_new (float, (size_t) batch * RV_IMAGE_PIXELS);
  g_autofree uint8_t *labels = g_new (uint8_t, batch);
  rv_dataset_gather (data->train_full, indices, batch, x, labels);
  return x;
}

static void
probe_config (RvProbeConfig *cfg, RvActivation act, const uint32_t *hidden, uint32_t n_hidden)
{
  rv_probe_config_init_default (cfg);
  rv_net_config_init (&cfg->net, act, hidden, n_hidden);
  cfg->batch = BATCH;
  cfg->bins = 30;
}

/* f applied by hand, one function per activation: a second statement of
 * the definitions, in double. */
static double
reference_activation (RvActivation act, double x)
{
  switch (act)
    {
    case RV_ACT_TANH: return tanh (x);
    case RV_ACT_RELU: return x > 0 ? x : 0;
    case RV_ACT_SIGMOID: return 1 / (1 + exp (-x));
    case RV_ACT_GELU: return 0.5 * x * (1 + erf (x / sqrt (2.0)));
    case RV_ACT_ELU: return x > 0 ? x : expm1 (x);
    default: g_assert_not_reached ();
    }
}

/* Every hidden layer's f(z) for the images x, by hand: h[l] is
 * [batch × sizes[l+1]], in double. */
static double **
forward_by_hand (RvNet *net, const float *x, uint32_t batch)
{
  const RvNetConfig *cfg = &net->cfg;
  double **h = g_new0 (double *, cfg->n_linear);
  g_autofree double *in0 = g_new (double, (size_t) batch * RV_IMAGE_PIXELS);
  for (size_t i = 0; i < (size_t) batch * RV_IMAGE_PIXELS; i++)
    in0[i] = x[i];
  const double *in = in0;
  for (uint32_t l = 0; l + 1 < cfg->n_linear; l++)
    {
      uint32_t n_in = cfg->sizes[l], n_out = cfg->sizes[l + 1];
      const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
      h[l] = g_new (double, (size_t) batch * n_out);
      for (uint32_t i = 0; i < batch; i++)
        for (uint32_t j = 0; j < n_out; j++)
          {
            double z = b[j];
            for (uint32_t k = 0; k < n_in; k++)
              z += (double) w[(size_t) j * n_in + k] * in[(size_t) i * n_in + k];
            h[l][(size_t) i * n_out + j] = reference_activation (cfg->act, z);
          }
      in = h[l];
    }
  return h;
}

static void
free_layers (double **h, uint32_t n)
{
  for (uint32_t l = 0; l < n; l++)
    g_free (h[l]);
  g_free (h);
}

/* The probe's moments, range, histogram and fractions of f(z) against the
 * hand-computed values. */
static void
check_against_hand (RvActivation act)
{
  static const uint32_t hidden[] = { 40, 24, 16 };
  RvProbeConfig cfg;
  probe_config (&cfg, act, hidden, G_N_ELEMENTS (hidden));
  cfg.init.kind = act == RV_ACT_RELU ? RV_INIT_KAIMING : RV_INIT_XAVIER;
  g_autofree float *x = probe_images (BATCH);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvNet) net = rv_net_new (&cfg.net, rv_backend_cpu ());
  g_assert_true (rv_init_apply (net, &cfg.init, cfg.seed, x, cfg.batch, &error));
  g_assert_no_error (error);
  RvProbeResult res;
  g_assert_true (rv_probe_run_net (net, &cfg, data, &res, &error));
  g_assert_no_error (error);
  double **h = forward_by_hand (net, x, BATCH);

  g_assert_cmpuint (rv_probe_result_n_layers (&res, RV_PROBE_POST_ACTIVATION), ==, res.n_linear - 1);
  for (uint32_t l = 0; l + 1 < res.n_linear; l++)
    {
      const uint32_t units = res.fan_out[l];
      const size_t n = (size_t) BATCH * units;
      const RvStats *s = rv_probe_result_stats (&res, RV_PROBE_POST_ACTIVATION, l);
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      for (size_t i = 0; i < n; i++)
        {
          sum += h[l][i];
          lo = MIN (lo, h[l][i]);
          hi = MAX (hi, h[l][i]);
        }
      double mean = sum / n, ss = 0;
      for (size_t i = 0; i < n; i++)
        ss += (h[l][i] - mean) * (h[l][i] - mean);
      double variance = ss / n;
      g_test_message ("%s layer %u: mean %.6g variance %.6g (by hand %.6g %.6g)", rv_activation_name (act),
                      2 * l + 1, s->mean, s->variance, mean, variance);
      g_assert_cmpuint (s->n, ==, n);
      /* float sums in another order: a few float epsilons of the scale */
      double scale = MAX (fabs (hi), fabs (lo));
      g_assert_cmpfloat_with_epsilon (s->mean, mean, 1e-5 * scale);
      g_assert_cmpfloat_with_epsilon (s->variance, variance, 1e-5 * variance + 1e-12);
      g_assert_cmpfloat_with_epsilon (s->min, lo, 1e-5 * scale);
      g_assert_cmpfloat_with_epsilon (s->max, hi, 1e-5 * scale);

      /* the histogram: the same counts, give or take values that rounding
       * moves across a bin edge */
      g_assert_cmpuint (s->n_bins, ==, cfg.bins);
      g_autofree guint64 *counts = g_new0 (guint64, cfg.bins);
      for (size_t i = 0; i < n; i++)
        {
          int bin = (int) floor ((h[l][i] - s->lo) / (s->hi - s->lo) * cfg.bins);
          counts[CLAMP (bin, 0, (int) cfg.bins - 1)]++;
        }
      guint64 moved = 0, total = 0;
      for (uint32_t b = 0; b < cfg.bins; b++)
        {
          moved += counts[b] > s->counts[b] ? counts[b] - s->counts[b] : s->counts[b] - counts[b];
          total += s->counts[b];
        }
      g_assert_cmpuint (total, ==, n);
      g_assert_cmpuint (moved, <=, n / 200 + 2);

      /* the fractions, counted here from the hand-computed values */
      if (act == RV_ACT_TANH || act == RV_ACT_SIGMOID)
        {
          size_t saturated = 0;
          for (size_t i = 0; i < n; i++)
            saturated += act == RV_ACT_TANH ? fabs (h[l][i]) >= 0.99 : (h[l][i] <= 0.01 || h[l][i] >= 0.99);
          g_assert_cmpfloat_with_epsilon (res.saturated_fraction[l], (double) saturated / n, 2.0 / n);
        }
      else
        g_assert_true (isnan (res.saturated_fraction[l]));
      if (act == RV_ACT_RELU)
        {
          uint32_t dead = 0;
          for (uint32_t j = 0; j < units; j++)
            {
              gboolean alive = FALSE;
              for (uint32_t i = 0; i < BATCH; i++)
                alive |= h[l][(size_t) i * units + j] > 0;
              dead += !alive;
            }
          g_assert_cmpfloat (res.dead_fraction[l], ==, (double) dead / units);
        }
      else
        g_assert_true (isnan (res.dead_fraction[l]));
    }
  /* the logits have no activation */
  g_assert_true (isnan (res.saturated_fraction[res.n_linear - 1]));
  g_assert_true (isnan (res.dead_fraction[res.n_linear - 1]));
  g_assert_cmpuint (res.post_activation[res.n_linear - 1].n, ==, 0);
  free_layers (h, res.n_linear);
  rv_probe_result_clear (&res);
}

static void
test_against_hand_relu (void)
{
  check_against_hand (RV_ACT_RELU);
}

static void
test_against_hand_tanh (void)
{
  check_against_hand (RV_ACT_TANH);
}

static void
test_against_hand_sigmoid (void)
{
  check_against_hand (RV_ACT_SIGMOID);
}

static void
test_against_hand_gelu (void)
{
  check_against_hand (RV_ACT_GELU);
}

/* A 784-U-10 network whose first layer is all zero but for its biases (and
 * unit `spread` that averages the image, or none when spread < 0): unit j
 * outputs f(bias[j]) for every image. */
static RvNet *
constructed_net (RvActivation act, const double *bias, uint32_t units, int spread, double spread_bias)
{
  RvNetConfig cfg;
  rv_net_config_init (&cfg, act, &units, 1);
  RvNet *net = rv_net_new (&cfg, rv_backend_cpu ());
  memset (net->params, 0, net->n_params * sizeof (float));
  float *b = net->params + net->b_off[0];
  for (uint32_t j = 0; j < units; j++)
    b[j] = (float) bias[j];
  if (spread >= 0)
    {
      float *w = net->params + net->w_off[0] + (size_t) spread * RV_IMAGE_PIXELS;
      for (uint32_t k = 0; k < RV_IMAGE_PIXELS; k++)
        w[k] = 1.0f / RV_IMAGE_PIXELS;
      b[spread] = (float) spread_bias;
    }
  /* the output layer: anything, the fractions do not look at it */
  float *w1 = net->params + net->w_off[1];
  for (uint32_t i = 0; i < 10 * units; i++)
    w1[i] = (i % 7) * 0.1f - 0.3f;
  return net;
}

static void
probe_constructed (RvNet *net, RvProbeResult *res)
{
  RvProbeConfig cfg;
  probe_config (&cfg, net->cfg.act, &net->cfg.sizes[1], 1);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_probe_run_net (net, &cfg, data, res, &error));
  g_assert_no_error (error);
}

/* ReLU: units whose bias is negative or zero (z = 0 exactly gives f = 0)
 * are dead; a unit with a positive bias is not, nor one that is positive
 * for some images only. */
static void
test_dead_units (void)
{
  /* unit 5's input is the image's mean pixel: half-way between the
   * batch's smallest and largest mean, it is off for some images, on for
   * others */
  g_autofree float *x = probe_images (BATCH);
  double lo = INFINITY, hi = -INFINITY;
  for (uint32_t i = 0; i < BATCH; i++)
    {
      double mean = 0;
      for (uint32_t k = 0; k < RV_IMAGE_PIXELS; k++)
        mean += x[(size_t) i * RV_IMAGE_PIXELS + k];
      mean /= RV_IMAGE_PIXELS;
      lo = MIN (lo, mean);
      hi = MAX (hi, mean);
    }
  g_assert_cmpfloat (hi - lo, >, 0.01);
  const double bias[] = { -1.0, -0.5, 0.0, 1.0, -3.0, 0.0, 0.25, -0.01 };
  g_autoptr (RvNet) net = constructed_net (RV_ACT_RELU, bias, G_N_ELEMENTS (bias), 5, -(lo + hi) / 2);
  RvProbeResult res;
  probe_constructed (net, &res);

  /* unit 5 is on for some images and off for others, as built */
  uint32_t on = 0;
  for (uint32_t i = 0; i < BATCH; i++)
    on += net->h[0][(size_t) i * G_N_ELEMENTS (bias) + 5] > 0.0f;
  g_assert_cmpuint (on, >, 0);
  g_assert_cmpuint (on, <, BATCH);
  /* dead: units 0, 1, 2, 4 and 7, five of eight */
  g_assert_cmpfloat (res.dead_fraction[0], ==, 5.0 / 8.0);
  g_assert_true (isnan (res.saturated_fraction[0]));
  rv_probe_result_clear (&res);

  /* with every unit alive */
  const double alive[] = { 0.5, 1.0 };
  g_autoptr (RvNet) net2 = constructed_net (RV_ACT_RELU, alive, 2, -1, 0);
  probe_constructed (net2, &res);
  g_assert_cmpfloat (res.dead_fraction[0], ==, 0.0);
  rv_probe_result_clear (&res);

  /* leaky ReLU with the same biases has no dead units: it has no dead
   * fraction at all */
  g_autoptr (RvNet) leaky = constructed_net (RV_ACT_LEAKY_RELU, bias, G_N_ELEMENTS (bias), -1, 0);
  probe_constructed (leaky, &res);
  g_assert_true (isnan (res.dead_fraction[0]));
  g_assert_true (isnan (res.saturated_fraction[0]));
  rv_probe_result_clear (&res);
}

/* tanh: |f| >= 0.99 from |z| >= atanh(0.99) = 2.647; sigmoid: f <= 0.01 or
 * f >= 0.99 from |z| >= ln 99 = 4.595.  Biases on either side of those. */
static void
test_saturated (void)
{
  const double tanh_bias[] = { 5.0, -5.0, 2.7, -2.7, 2.6, -2.6, 0.0, 1.0 };
  g_autoptr (RvNet) t = constructed_net (RV_ACT_TANH, tanh_bias, G_N_ELEMENTS (tanh_bias), -1, 0);
  RvProbeResult res;
  probe_constructed (t, &res);
  g_assert_cmpfloat_with_epsilon (res.saturated_fraction[0], 4.0 / 8.0, 1e-12);
  g_assert_true (isnan (res.dead_fraction[0]));
  rv_probe_result_clear (&res);

  const double sigmoid_bias[] = { 4.7, -4.7, 4.5, -4.5, 0.0, 10.0 };
  g_autoptr (RvNet) s = constructed_net (RV_ACT_SIGMOID, sigmoid_bias, G_N_ELEMENTS (sigmoid_bias), -1, 0);
  probe_constructed (s, &res);
  g_assert_cmpfloat_with_epsilon (res.saturated_fraction[0], 3.0 / 6.0, 1e-12);
  rv_probe_result_clear (&res);

  /* the functions alone, on values placed either side of the bounds */
  const float tanh_values[] = { 0.995f, -0.995f, 0.985f, -0.5f, 1.0f };
  g_assert_cmpfloat_with_epsilon (rv_probe_saturated_fraction (RV_ACT_TANH, tanh_values, 5), 3.0 / 5.0, 1e-12);
  const float sigmoid_values[] = { 0.005f, 0.995f, 0.02f, 0.5f };
  g_assert_cmpfloat_with_epsilon (rv_probe_saturated_fraction (RV_ACT_SIGMOID, sigmoid_values, 4), 0.5, 1e-12);
  g_assert_true (isnan (rv_probe_saturated_fraction (RV_ACT_GELU, tanh_values, 5)));
  /* 2 images × 3 units: unit 1 is 0 for both, unit 0 only for one */
  const float relu_values[] = { 0.0f, 0.0f, 0.3f, 0.7f, 0.0f, 0.1f };
  g_assert_cmpfloat (rv_probe_dead_fraction (RV_ACT_RELU, relu_values, 2, 3), ==, 1.0 / 3.0);
  g_assert_true (isnan (rv_probe_dead_fraction (RV_ACT_ELU, relu_values, 2, 3)));
}

/* The CSV has a post_activation row per hidden layer, named "Layer 2l+1". */
static void
test_csv_rows (void)
{
  static const uint32_t hidden[] = { 16, 8 };
  RvProbeConfig cfg;
  probe_config (&cfg, RV_ACT_TANH, hidden, G_N_ELEMENTS (hidden));
  RvProbeResult res;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_probe_run (&cfg, data, &res, &error));
  g_autofree char *csv = rv_probe_result_to_csv (&res);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (csv), "\n", -1);
  guint post = 0;
  for (guint i = 1; lines[i]; i++)
    if (strstr (lines[i], ",post_activation,"))
      {
        g_autofree char *name = rv_probe_post_activation_name (post);
        g_autofree char *prefix = g_strdup_printf ("%u,%s,", 2 * post + 1, name);
        g_assert_true (g_str_has_prefix (lines[i], prefix));
        post++;
      }
  g_assert_cmpuint (post, ==, res.n_linear - 1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * res.n_linear + post);
  rv_probe_result_clear (&res);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (2000, 100, 11);
  g_test_add_func ("/probe/post-activation/relu", test_against_hand_relu);
  g_test_add_func ("/probe/post-activation/tanh", test_against_hand_tanh);
  g_test_add_func ("/probe/post-activation/sigmoid", test_against_hand_sigmoid);
  g_test_add_func ("/probe/post-activation/gelu", test_against_hand_gelu);
  g_test_add_func ("/probe/post-activation/dead-units", test_dead_units);
  g_test_add_func ("/probe/post-activation/saturated", test_saturated);
  g_test_add_func ("/probe/post-activation/csv", test_csv_rows);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
