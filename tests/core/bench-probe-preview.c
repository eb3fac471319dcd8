/* bench-probe-preview.c (`meson test --benchmark`): where an Initialization
 * page probe's time goes on the default network (784-512-256-256-128-10,
 * ReLU, normal:0.05), and what a preview (a smaller batch, no KDE) costs.
 * Each part is timed as rv_probe_run does it: building the network and
 * drawing its weights (Philox normals; or, as the probe worker does for
 * normal:σ, σ times the normals it keeps), the forward and backward pass,
 * the moments and histograms, the KDE; then rv_probe_run itself, at the full
 * batch with KDE and at preview batches without.  Medians of REPEATS runs,
 * in ms.  FashionMNIST when RAVINE_TEST_DATA_DIR has it, else the synthetic
 * set (the work is the same). */
#include <stdio.h>
#include <stdlib.h>

#include "rv-init.h"
#include "rv-probe.h"

#define REPEATS 9

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

typedef struct {
  double build, init, init_kept, pass, stats, kde;
} Parts;

/* One probe's parts, as probe_batch computes them. */
static void
time_parts (const RvProbeConfig *cfg, const RvDataset *data, Parts *out)
{
  g_autoptr (GTimer) t = g_timer_new ();
  g_autofree float *x = g_new (float, (size_t) cfg->batch * RV_IMAGE_PIXELS);
  g_autofree uint8_t *labels = g_new (uint8_t, cfg->batch);
  g_autofree uint32_t *indices = g_new (uint32_t, cfg->batch);
  g_autoptr (GError) error = NULL;
  for (uint32_t i = 0; i < cfg->batch; i++)
    indices[i] = i;
  rv_dataset_gather (data->train_full, indices, cfg->batch, x, labels);

  g_timer_start (t);
  g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
  out->build = g_timer_elapsed (t, NULL);
  g_timer_start (t);
  if (!rv_init_apply (net, &cfg->init, cfg->seed, x, cfg->batch, &error))
    g_error ("%s", error->message);
  out->init = g_timer_elapsed (t, NULL);
  /* what the probe worker does instead for normal:σ: σ times the standard
   * normals it keeps */
  g_autofree float *z = g_memdup2 (net->params, net->n_params * sizeof (float));
  g_timer_start (t);
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] = 0.0f + cfg->init.value * z[i];
  out->init_kept = g_timer_elapsed (t, NULL);

  g_timer_start (t);
  int correct = 0;
  rv_net_zero_grad (net);
  rv_net_loss (net, x, labels, cfg->batch, TRUE, &correct);
  out->pass = g_timer_elapsed (t, NULL);

  RvStats s = { 0 };
  double *grid = g_new (double, RV_PROBE_KDE_POINTS), *y = g_new (double, RV_PROBE_KDE_POINTS);
  out->stats = out->kde = 0.0;
  for (uint32_t l = 0; l < cfg->net.n_linear; l++)
    {
      const size_t n_act = (size_t) cfg->batch * rv_net_fan_out (net, l), n_w = rv_net_weight_count (net, l);
      const float *tensors[4] = { net->params + net->w_off[l], net->grads + net->w_off[l], net->z[l],
                                  l + 1 < cfg->net.n_linear ? net->h[l] : NULL };
      const size_t sizes[4] = { n_w, n_w, n_act, n_act };
      for (int k = 0; k < 4; k++)
        {
          if (tensors[k] == NULL)
            continue;
          g_timer_start (t);
          rv_stats_compute (&s, tensors[k], sizes[k], cfg->bins);
          out->stats += g_timer_elapsed (t, NULL);
          g_timer_start (t);
          for (int i = 0; i < RV_PROBE_KDE_POINTS; i++)
            grid[i] = s.lo + (s.hi - s.lo) * i / (RV_PROBE_KDE_POINTS - 1);
          rv_kde_evaluate (tensors[k], sizes[k], 0.0, grid, RV_PROBE_KDE_POINTS, y);
          out->kde += g_timer_elapsed (t, NULL);
        }
    }
  rv_stats_clear (&s);
  g_free (grid);
  g_free (y);
}

static double
time_probe (const RvProbeConfig *cfg, const RvDataset *data)
{
  double v[REPEATS];
  for (int r = 0; r < REPEATS; r++)
    {
      RvProbeResult res;
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      if (!rv_probe_run (cfg, data, &res, &error))
        g_error ("%s", error->message);
      v[r] = (g_get_monotonic_time () - start) / 1000.0;
      rv_probe_result_clear (&res);
    }
  return median (v, REPEATS);
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvDataset) data = NULL;
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    data = rv_dataset_load (dir, 42, &error);
  if (data == NULL)
    data = rv_dataset_new_synthetic (2048, 100, 42);

  RvProbeConfig cfg;
  rv_probe_config_init_default (&cfg);
  if (!rv_init_parse ("normal:0.05", &cfg.init, &error))
    g_error ("%s", error->message);

  printf ("{\"data\": \"%s\", \"network\": \"784-512-256-256-128-10\", \"init\": \"normal:0.05\",\n",
          data->synthetic ? "synthetic" : "fashion-mnist");
  const uint32_t batches[] = { 1024, 256, 128, 64 };
  printf (" \"parts_ms\": [");
  for (gsize b = 0; b < G_N_ELEMENTS (batches); b++)
    {
      double build[REPEATS], init[REPEATS], kept[REPEATS], pass[REPEATS], stats[REPEATS], kde[REPEATS];
      cfg.batch = batches[b];
      for (int r = 0; r < REPEATS; r++)
        {
          Parts p;
          time_parts (&cfg, data, &p);
          build[r] = 1e3 * p.build;
          init[r] = 1e3 * p.init;
          kept[r] = 1e3 * p.init_kept;
          pass[r] = 1e3 * p.pass;
          stats[r] = 1e3 * p.stats;
          kde[r] = 1e3 * p.kde;
        }
      printf ("%s\n  {\"batch\": %u, \"build\": %.2f, \"init\": %.2f, \"init_kept_normals\": %.2f, "
              "\"forward_backward\": %.2f, \"stats\": %.2f, \"kde\": %.2f}", b ? "," : "", batches[b],
              median (build, REPEATS), median (init, REPEATS), median (kept, REPEATS), median (pass, REPEATS),
              median (stats, REPEATS), median (kde, REPEATS));
    }
  printf ("],\n");

  cfg.batch = 1024;
  cfg.kde = TRUE;
  printf (" \"probe_ms\": {\"full_1024_kde\": %.2f", time_probe (&cfg, data));
  cfg.kde = FALSE;
  for (gsize b = 0; b < G_N_ELEMENTS (batches); b++)
    {
      cfg.batch = batches[b];
      printf (", \"preview_%u\": %.2f", batches[b], time_probe (&cfg, data));
    }
  printf ("}}\n");
  return 0;
}
