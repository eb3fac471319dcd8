/* rv-cli-bench.c: `ravine-cli bench`: how close a training epoch comes to
 * the time its GEMMs alone need at the sgemm rate measured just before it,
 * in rounds (each the rate, then a fresh epoch) whose median is reported, so
 * that a moment of other work on the machine moves one round, not the
 * figure; with a GPU (--device cuda, or auto when one works), the same
 * epoch on the CUDA backend too, and the speed-up, in the same run. */
#include "rv-cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "rv-backend.h"
#include "rv-device.h"
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

/* Epochs the GPU trains: the first warms up (kernel loading, cuBLAS's
 * choices); the best of the others is reported. */
#define DEVICE_EPOCHS 3

typedef struct {
  double train_seconds;  /* the last epoch's training steps, without validation */
  double epoch_start;    /* when the current epoch began */
  double step_seconds[DEVICE_EPOCHS];   /* per epoch: its training steps */
  double total_seconds[DEVICE_EPOCHS];  /* per epoch: steps and validation */
} EpochClock;

static void
on_event (const RvTrainEvent *ev, gpointer user_data)
{
  EpochClock *clock = user_data;
  const uint64_t steps_per_epoch = ev->total_steps / ev->epochs;
  const uint32_t e = MIN (ev->epoch, DEVICE_EPOCHS - 1);
  if (ev->kind == RV_TRAIN_EVENT_STEP && ev->step == (uint64_t) (ev->epoch + 1) * steps_per_epoch)
    {
      clock->train_seconds = ev->elapsed_seconds - clock->epoch_start;
      clock->step_seconds[e] = clock->train_seconds;
    }
  else if (ev->kind == RV_TRAIN_EVENT_EPOCH)
    {
      clock->total_seconds[e] = ev->elapsed_seconds - clock->epoch_start;
      clock->epoch_start = ev->elapsed_seconds;
    }
}

/* The same epoch on a device backend: setup (network and data copied to the
 * device), then DEVICE_EPOCHS epochs with the usual report interval. */
typedef struct {
  double setup_seconds;
  double first_epoch_seconds;
  double epoch_seconds;                  /* best warm epoch, training steps only */
  double epoch_with_validation_seconds;  /* best warm epoch, with validation */
} DeviceTimes;

static gboolean
bench_device (const RvTrainConfig *cpu_cfg, const RvDataset *ds, const RvBackend *backend, DeviceTimes *out,
              GError **error)
{
  RvTrainConfig cfg = *cpu_cfg;
  RvTrainConfig defaults;
  rv_train_config_init_default (&defaults);
  cfg.epochs = DEVICE_EPOCHS;
  cfg.report_every = defaults.report_every;

  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (RvTrainer) trainer = rv_trainer_new_for_backend (&cfg, ds, backend, error);
  if (trainer == NULL)
    return FALSE;
  out->setup_seconds = g_timer_elapsed (timer, NULL);
  EpochClock clock = { 0 };
  if (!rv_trainer_run (trainer, on_event, &clock, error))
    return FALSE;
  out->first_epoch_seconds = clock.step_seconds[0];
  out->epoch_seconds = clock.step_seconds[1];
  out->epoch_with_validation_seconds = clock.total_seconds[1];
  for (int e = 2; e < DEVICE_EPOCHS; e++)
    {
      out->epoch_seconds = MIN (out->epoch_seconds, clock.step_seconds[e]);
      out->epoch_with_validation_seconds = MIN (out->epoch_with_validation_seconds, clock.total_seconds[e]);
    }
  return TRUE;
}

/* One round: the sgemm rate, then one epoch trained from the start. */
typedef struct {
  double gflops;
  double epoch_seconds;  /* training steps only, without validation */
  double ratio;          /* epoch over its GEMM-bound time at this round's rate */
} BenchRound;

static int
compare_ratio (gconstpointer a, gconstpointer b)
{
  double x = ((const BenchRound *) a)->ratio, y = ((const BenchRound *) b)->ratio;
  return (x > y) - (x < y);
}

#define MAX_ROUNDS 20

int
rv_cli_bench (int argc, char **argv)
{
  g_autofree char *data = NULL, *device_name = NULL, *rounds_text = NULL;
  gboolean synthetic = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text, "Rounds of the sgemm rate and an epoch; the round "
      "with the median ratio is reported (3)", "N" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "auto, cpu or cuda: with a GPU (cuda, or auto when "
      "one works) also time the epoch on it and compare (auto)", "DEVICE" },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Measures sgemm throughput on the network's shapes and one training epoch "
                     "(50,000 images, batch 256, ReLU, Adam), in one run; with a GPU, the same epoch on it and the "
                     "speed-up.", entries, &argc, &argv))
    return RV_EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  guint64 n_rounds = 3;
  if (rounds_text && !rv_cli_parse_uint ("--rounds", rounds_text, 1, MAX_ROUNDS, &n_rounds, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  RvDevice device = RV_DEVICE_AUTO;
  if (device_name && !rv_device_from_name (device_name, &device))
    return rv_cli_usage_error (COMMAND, "unknown device \"%s\" (known: auto, cpu, cuda)", device_name);
  g_autofree char *device_note = NULL;
  const RvBackend *backend = rv_device_backend (device, &device_note, &error);
  if (backend == NULL)
    return rv_cli_failure (COMMAND, error);
  if (device_note)
    fprintf (stderr, "ravine-cli %s: %s\n", COMMAND, device_note);
  const gboolean on_device = !backend->host_memory;

  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  cfg.epochs = 1;
  cfg.report_every = 1;
  /* The layer history at the cadence of the tutorial's 40-epoch run, so the
   * epoch timed is one of that run's epochs: left at its default, a one-epoch
   * run would take its 100 snapshots within this epoch, every other step. */
  const uint32_t tutorial_steps = 40 * rv_batch_count (50000, cfg.batch_size, cfg.drop_last);
  cfg.history_every = rv_history_resolve_every (RV_HISTORY_AUTO, tutorial_steps);

  g_autoptr (RvDataset) ds = rv_cli_open_dataset (COMMAND, data, synthetic, cfg.seed, &error);
  if (ds == NULL)
    return rv_cli_failure (COMMAND, error);

  const uint32_t steps = rv_batch_count (ds->n_train, cfg.batch_size, cfg.drop_last);
  const double images = (double) steps * cfg.batch_size;
  const double epoch_flops = step_gemm_flops (&cfg.net, cfg.batch_size) * steps;
  BenchRound rounds[MAX_ROUNDS];
  for (guint r = 0; r < n_rounds; r++)
    {
      rounds[r].gflops = measure_gemm_gflops (&cfg.net, cfg.batch_size, 20);
      g_autoptr (RvTrainer) trainer = rv_trainer_new (&cfg, ds, &error);
      if (trainer == NULL)
        return rv_cli_failure (COMMAND, error);
      EpochClock clock = { 0 };
      if (!rv_trainer_run (trainer, on_event, &clock, &error))
        return rv_cli_failure (COMMAND, error);
      rounds[r].epoch_seconds = clock.train_seconds;
      rounds[r].ratio = clock.train_seconds / (epoch_flops / (rounds[r].gflops * 1e9));
    }
  BenchRound sorted[MAX_ROUNDS];
  memcpy (sorted, rounds, n_rounds * sizeof *rounds);
  qsort (sorted, n_rounds, sizeof *sorted, compare_ratio);
  const BenchRound median = sorted[(n_rounds - 1) / 2];
  const double gflops = median.gflops;
  const double bound = epoch_flops / (gflops * 1e9);
  const double epoch_seconds = median.epoch_seconds;
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  const double peak_mb = usage.ru_maxrss / 1024.0;

  DeviceTimes dev = { 0 };
  g_autofree char *device_what = NULL;
  if (on_device)
    {
      device_what = rv_device_describe (backend);
      if (!bench_device (&cfg, ds, backend, &dev, &error))
        return rv_cli_failure (COMMAND, error);
    }

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      struct {
        const char *key;
        double value;
      } figures[] = {
        { "epoch_seconds", epoch_seconds },
        { "images_per_second", images / epoch_seconds },
        { "gemm_gflops", gflops },
        { "epoch_gemm_gflop", epoch_flops / 1e9 },
        { "gemm_bound_seconds", bound },
        { "ratio_to_gemm_bound", epoch_seconds / bound },
        { "peak_rss_mb", peak_mb },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
        {
          json_builder_set_member_name (b, figures[i].key);
          json_builder_add_double_value (b, figures[i].value);
        }
      json_builder_set_member_name (b, "rounds");
      json_builder_begin_array (b);
      for (guint r = 0; r < n_rounds; r++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "gemm_gflops");
          json_builder_add_double_value (b, rounds[r].gflops);
          json_builder_set_member_name (b, "epoch_seconds");
          json_builder_add_double_value (b, rounds[r].epoch_seconds);
          json_builder_set_member_name (b, "ratio_to_gemm_bound");
          json_builder_add_double_value (b, rounds[r].ratio);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data");
      json_builder_add_string_value (b, ds->synthetic ? "synthetic" : "fashion-mnist");
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, g_get_num_processors ());
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, backend->name);
      if (on_device)
        {
          json_builder_set_member_name (b, backend->name);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "device");
          json_builder_add_string_value (b, device_what);
          struct {
            const char *key;
            double value;
          } device_figures[] = {
            { "epoch_seconds", dev.epoch_seconds },
            { "images_per_second", images / dev.epoch_seconds },
            { "epoch_with_validation_seconds", dev.epoch_with_validation_seconds },
            { "first_epoch_seconds", dev.first_epoch_seconds },
            { "setup_seconds", dev.setup_seconds },
            { "speedup_over_cpu", epoch_seconds / dev.epoch_seconds },
          };
          for (gsize i = 0; i < G_N_ELEMENTS (device_figures); i++)
            {
              json_builder_set_member_name (b, device_figures[i].key);
              json_builder_add_double_value (b, device_figures[i].value);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      rv_cli_print_json (root);
    }
  else
    {
      printf ("sgemm on the network's shapes: %.1f GFLOP/s\n", gflops);
      printf ("one epoch (%u steps of %u, ReLU, Adam, %s): %.3f s, %.0f images/s\n", steps, cfg.batch_size,
              ds->synthetic ? "synthetic data" : "FashionMNIST", epoch_seconds, images / epoch_seconds);
      printf ("GEMM-bound time: %.3f s (%.1f GFLOP); epoch / bound = %.2f\n", bound, epoch_flops / 1e9,
              epoch_seconds / bound);
      if (n_rounds > 1)
        {
          printf ("  the round with the median ratio of %u; every round's:", (guint) n_rounds);
          for (guint r = 0; r < n_rounds; r++)
            printf ("%s %.2f (%.0f GFLOP/s)", r ? "," : "", rounds[r].ratio, rounds[r].gflops);
          printf ("\n");
        }
      printf ("peak memory: %.0f MB\n", peak_mb);
      if (on_device)
        {
          printf ("on %s: one epoch %.4f s, %.0f images/s (best of %d warm epochs; the first took %.3f s)\n",
                  device_what, dev.epoch_seconds, images / dev.epoch_seconds, DEVICE_EPOCHS - 1,
                  dev.first_epoch_seconds);
          printf ("  with validation %.4f s; setup (network and data to the device) %.3f s\n",
                  dev.epoch_with_validation_seconds, dev.setup_seconds);
          printf ("  speed-up over the CPU epoch: %.1f×\n", epoch_seconds / dev.epoch_seconds);
        }
    }
  return RV_EXIT_OK;
}
