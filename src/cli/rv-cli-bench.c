/* rv-cli-bench.c: `ravine-cli bench`: how close a training epoch comes to
 * the time its GEMMs alone need at the sgemm rate measured in the same run. */
#include "rv-cli.h"

#include <stdio.h>
#include <sys/resource.h>

#include "rv-backend.h"
#include "rv-rng.h"
#include "rv-train.h"

#define COMMAND "bench"

/* The GEMM flops of one training step of batch B: forward z = x W^T,
 * backward dW = dz^T x for every layer and dx = dz W for all but the first. */
static double
step_gemm_flops (const RvNetConfig *net, uint32_t batch)
{
  double flops = 0.0;
  for (uint32_t l = 0; l < net->n_linear; l++)
    {
      double mnk = 2.0 * batch * net->sizes[l] * net->sizes[l + 1];
      flops += (l == 0 ? 2.0 : 3.0) * mnk;
    }
  return flops;
}

/* Runs the GEMMs of `reps` training steps, and nothing else, on a network's
 * own buffers (so they meet the same caches as in training), and returns
 * their rate. */
static double
measure_gemm_gflops (const RvNetConfig *cfg, uint32_t batch, int reps)
{
  g_autoptr (RvNet) net = rv_net_new (cfg, rv_backend_cpu ());
  const RvBackend *be = net->backend;
  const int B = (int) batch;
  rv_net_reserve (net, batch);
  g_autofree float *x = g_new (float, (size_t) batch * RV_INPUT_SIZE);
  rv_rng_fill_normal (x, (size_t) batch * RV_INPUT_SIZE, 1, 0, 0.0f, 1.0f);
  rv_rng_fill_normal (net->params, net->n_params, 1, 1, 0.0f, 0.05f);

  g_autoptr (GTimer) timer = NULL;
  for (int rep = -2; rep < reps; rep++) /* two warm-up rounds */
    {
      if (rep == 0)
        timer = g_timer_new ();
      for (uint32_t l = 0; l < cfg->n_linear; l++)
        {
          int in = (int) cfg->sizes[l], out = (int) cfg->sizes[l + 1];
          const float *input = l == 0 ? x : net->h[l - 1];
          be->gemm (FALSE, TRUE, B, out, in, 1.0f, input, in, net->params + net->w_off[l], in, 0.0f, net->z[l], out);
        }
      for (uint32_t l = cfg->n_linear; l-- > 0;)
        {
          int in = (int) cfg->sizes[l], out = (int) cfg->sizes[l + 1];
          const float *input = l == 0 ? x : net->h[l - 1];
          be->gemm (TRUE, FALSE, out, in, B, 1.0f, net->z[l], out, input, in, 1.0f, net->grads + net->w_off[l], in);
          if (l > 0)
            be->gemm (FALSE, FALSE, B, in, out, 1.0f, net->z[l], out, net->params + net->w_off[l], in, 0.0f,
                      net->dbuf[0], in);
        }
    }
  double seconds = g_timer_elapsed (timer, NULL);
  return step_gemm_flops (cfg, batch) * reps / seconds / 1e9;
}

typedef struct {
  double train_seconds; /* the training steps of the epoch, without validation */
} EpochClock;

static void
on_event (const RvTrainEvent *ev, gpointer user_data)
{
  EpochClock *clock = user_data;
  if (ev->kind == RV_TRAIN_EVENT_STEP && ev->step == ev->total_steps)
    clock->train_seconds = ev->elapsed_seconds;
}

int
rv_cli_bench (int argc, char **argv)
{
  g_autofree char *data = NULL;
  gboolean synthetic = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Measures sgemm throughput on the network's shapes and one training epoch "
                     "(50,000 images, batch 256, ReLU, Adam), in one run.", entries, &argc, &argv))
    return RV_EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  cfg.epochs = 1;
  cfg.report_every = 1;

  g_autoptr (RvDataset) ds = rv_cli_open_dataset (COMMAND, data, synthetic, cfg.seed, &error);
  if (ds == NULL)
    return rv_cli_failure (COMMAND, error);

  double gflops = measure_gemm_gflops (&cfg.net, cfg.batch_size, 20);

  g_autoptr (RvTrainer) trainer = rv_trainer_new (&cfg, ds, &error);
  if (trainer == NULL)
    return rv_cli_failure (COMMAND, error);
  EpochClock clock = { 0 };
  if (!rv_trainer_run (trainer, on_event, &clock, &error))
    return rv_cli_failure (COMMAND, error);

  const uint32_t steps = rv_batch_count (ds->n_train, cfg.batch_size, cfg.drop_last);
  const double images = (double) steps * cfg.batch_size;
  const double epoch_flops = step_gemm_flops (&cfg.net, cfg.batch_size) * steps;
  const double bound = epoch_flops / (gflops * 1e9);
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  const double peak_mb = usage.ru_maxrss / 1024.0;

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      struct {
        const char *key;
        double value;
      } figures[] = {
        { "epoch_seconds", clock.train_seconds },
        { "images_per_second", images / clock.train_seconds },
        { "gemm_gflops", gflops },
        { "epoch_gemm_gflop", epoch_flops / 1e9 },
        { "gemm_bound_seconds", bound },
        { "ratio_to_gemm_bound", clock.train_seconds / bound },
        { "peak_rss_mb", peak_mb },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
        {
          json_builder_set_member_name (b, figures[i].key);
          json_builder_add_double_value (b, figures[i].value);
        }
      json_builder_set_member_name (b, "data");
      json_builder_add_string_value (b, ds->synthetic ? "synthetic" : "fashion-mnist");
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, g_get_num_processors ());
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      rv_cli_print_json (root);
    }
  else
    {
      printf ("sgemm on the network's shapes: %.1f GFLOP/s\n", gflops);
      printf ("one epoch (%u steps of %u, ReLU, Adam, %s): %.3f s, %.0f images/s\n", steps, cfg.batch_size,
              ds->synthetic ? "synthetic data" : "FashionMNIST", clock.train_seconds, images / clock.train_seconds);
      printf ("GEMM-bound time: %.3f s (%.1f GFLOP); epoch / bound = %.2f\n", bound, epoch_flops / 1e9,
              clock.train_seconds / bound);
      printf ("peak memory: %.0f MB\n", peak_mb);
    }
  return RV_EXIT_OK;
}
