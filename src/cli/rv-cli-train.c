/* rv-cli-train.c: `ravine-cli train`, the tutorial's train_model: train,
 * keep the best-validation model, report its test accuracy, and reuse a
 * saved run unless told to overwrite it. */
#include "rv-cli.h"

#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "rv-device.h"
#include "rv-error.h"
#include "rv-run-files.h"
#include "rv-train.h"
#include "rv-train-geometry.h"

#define COMMAND "train"

static volatile sig_atomic_t interrupted;

static void
on_interrupt (int signum)
{
  interrupted = 1;
}

/* Asked by the save just before its commit point. */
static gboolean
save_interrupted (gpointer user_data)
{
  return interrupted != 0;
}

/* A sharpness measurement on the training thread between steps; a failed
 * one is recorded as NaN and said on stderr. */
static void
measure_sharpness (RvTrainGeometry *g, RvTrainer *trainer, uint64_t step)
{
  g_autoptr (GError) error = NULL;
  if (!rv_train_geometry_measure (g, trainer, step, NULL, NULL, &error))
    fprintf (stderr, "ravine-cli train: sharpness at step %" G_GUINT64_FORMAT ": %s\n", step, error->message);
}

typedef struct {
  RvTrainer *trainer;
  gboolean tty;
  double last_val;
  RvTrainGeometry *geometry;
} Progress;

static void
on_event (const RvTrainEvent *ev, gpointer user_data)
{
  Progress *p = user_data;
  if (interrupted)
    rv_trainer_cancel (p->trainer);

  double done = (double) ev->step / ev->total_steps;
  double left = done > 0 ? ev->elapsed_seconds * (1.0 - done) / done : 0.0;
  if (ev->kind == RV_TRAIN_EVENT_EPOCH)
    p->last_val = ev->val_acc;
  rv_train_geometry_on_event (p->geometry, p->trainer, ev);
  if (ev->kind == RV_TRAIN_EVENT_STEP && rv_train_geometry_measures_step (p->geometry, ev->step))
    measure_sharpness (p->geometry, p->trainer, ev->step);

  if (p->tty)
    {
      char bar[31];
      int filled = (int) (done * 30);
      for (int i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
      bar[30] = '\0';
      fprintf (stderr, "\r\033[Kepoch %u/%u [%s] %3.0f%%  loss %.4f  val acc %5.2f%%  %.0f s left",
               ev->epoch + 1, ev->epochs, bar, 100 * done, ev->loss, 100 * p->last_val, left);
      if (ev->kind == RV_TRAIN_EVENT_EPOCH && ev->epoch + 1 == ev->epochs)
        fputc ('\n', stderr);
    }
  else if (ev->kind == RV_TRAIN_EVENT_EPOCH)
    fprintf (stderr, "epoch %u/%u: train acc %.4f, val acc %.4f%s, loss %.4f, %.1f s, %.0f s left\n",
             ev->epoch + 1, ev->epochs, ev->train_acc, ev->val_acc, ev->new_best ? " (new best)" : "",
             ev->loss, ev->elapsed_seconds, left);
  fflush (stderr);
}

static gboolean
parse_double_option (const char *option, const char *text, double min, double max, double *out, int *status)
{
  g_autoptr (GError) error = NULL;
  if (text == NULL)
    return TRUE;
  if (rv_cli_parse_double (option, text, min, max, out, &error))
    return TRUE;
  *status = rv_cli_usage_error (COMMAND, "%s", error->message);
  return FALSE;
}

static gboolean
parse_uint_option (const char *option, const char *text, guint64 min, guint64 max, guint64 *out, int *status)
{
  g_autoptr (GError) error = NULL;
  if (text == NULL)
    return TRUE;
  if (rv_cli_parse_uint (option, text, min, max, out, &error))
    return TRUE;
  *status = rv_cli_usage_error (COMMAND, "%s", error->message);
  return FALSE;
}

static void
print_results_text (const char *name, const RvTrainResults *res, const char *note)
{
  printf ("%s: test accuracy %.2f%% (best validation %.2f%% at epoch %u)%s\n", name, 100 * res->test_acc,
          100 * g_array_index (res->val_scores, double, res->best_epoch), res->best_epoch + 1, note);
}

static void
print_results_json (const char *name, const char *out, gboolean trained, const RvTrainConfig *cfg,
                    const RvTrainResults *res)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "out");
  json_builder_add_string_value (b, out);
  json_builder_set_member_name (b, "trained");
  json_builder_add_boolean_value (b, trained);
  json_builder_set_member_name (b, "config");
  json_builder_add_value (b, rv_train_config_to_json (cfg));
  json_builder_set_member_name (b, "results");
  json_builder_add_value (b, rv_train_results_to_json (res));
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  rv_cli_print_json (root);
}

int
rv_cli_train (int argc, char **argv)
{
  g_autofree char *optimizer = NULL, *lr = NULL, *momentum = NULL, *beta1 = NULL, *beta2 = NULL;
  g_autofree char *eps = NULL, *weight_decay = NULL, *clip = NULL, *epochs = NULL, *batch_size = NULL;
  g_autofree char *act = NULL, *init = NULL, *hidden = NULL, *seed = NULL, *data = NULL;
  g_autofree char *train_limit = NULL, *out = NULL, *name = NULL, *device_name = NULL, *history_every = NULL;
  g_autofree char *sharpness_every = NULL, *sharpness_images = NULL;
  gboolean synthetic = FALSE, overwrite = FALSE, json = FALSE, no_trajectory = FALSE;
  GOptionEntry entries[] = {
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &optimizer, "sgd, momentum, heavy-ball, nesterov, rmsprop, adagrad, adam, adamw (adam)", "NAME" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &lr, "Learning rate", "X" },
    { "momentum", 0, 0, G_OPTION_ARG_STRING, &momentum, "Momentum β (momentum, heavy-ball, nesterov)", "B" },
    { "beta1", 0, 0, G_OPTION_ARG_STRING, &beta1, "Adam's β1", "B1" },
    { "beta2", 0, 0, G_OPTION_ARG_STRING, &beta2, "Adam's β2", "B2" },
    { "eps", 0, 0, G_OPTION_ARG_STRING, &eps, "Adam's, RMSProp's and Adagrad's ε", "E" },
    { "weight-decay", 0, 0, G_OPTION_ARG_STRING, &weight_decay, "AdamW's decoupled weight decay", "WD" },
    { "clip", 0, 0, G_OPTION_ARG_STRING, &clip, "Clip gradients to this global norm (off)", "C" },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &epochs, "Epochs (40)", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_STRING, &batch_size, "Batch size (256, last partial batch dropped)", "N" },
    { "act", 0, 0, G_OPTION_ARG_STRING, &act, "Activation (relu)", "NAME" },
    { "init", 0, 0, G_OPTION_ARG_STRING, &init, "Initializer (kaiming)", "SPEC" },
    { "hidden", 0, 0, G_OPTION_ARG_STRING, &hidden, "Hidden layer sizes (512,256,256,128)", "N,N,..." },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed for weights, split and batch order (42)", "N" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set", NULL },
    { "train-limit", 0, 0, G_OPTION_ARG_STRING, &train_limit, "Train on the first N training images only", "N" },
    { "history-every", 0, 0, G_OPTION_ARG_STRING, &history_every, "Record the layers' histograms every N steps, "
      "0 for none (about 100 snapshots per run)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder for the saved run (required)", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the run's files (required)", "NAME" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Retrain even if the run is saved already", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the results as one JSON object", NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Train on auto (the GPU when one works, else the CPU), "
      "cpu or cuda (auto)", "DEVICE" },
    { "no-trajectory", 0, 0, G_OPTION_ARG_NONE, &no_trajectory, "Do not save the parameter snapshots "
      "(NAME_trajectory.safetensors) that landscape --directions pca needs", NULL },
    { "sharpness-every", 0, 0, G_OPTION_ARG_STRING, &sharpness_every, "Record the Hessian's top eigenvalue at the "
      "start and every N steps (off)", "N" },
    { "sharpness-images", 0, 0, G_OPTION_ARG_STRING, &sharpness_images, "Measure the sharpness on the first K "
      "training images (1024)", "K" },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Trains the network and saves NAME.config, NAME.safetensors, NAME_results.json "
                     "and NAME_history.json.",
                     entries, &argc, &argv))
    return RV_EXIT_USAGE;

  int status = RV_EXIT_OK;
  g_autoptr (GError) error = NULL;
  RvTrainConfig cfg;
  guint64 v = 0;
  rv_train_config_init_default (&cfg);

  if (out == NULL || name == NULL)
    return rv_cli_usage_error (COMMAND, "--out DIR and --name NAME are required");
  RvDevice device = RV_DEVICE_AUTO;
  if (device_name && !rv_device_from_name (device_name, &device))
    return rv_cli_usage_error (COMMAND, "unknown device \"%s\" (known: auto, cpu, cuda)", device_name);
  if (*name == '\0' || *name == '.' || strchr (name, '/') != NULL)
    return rv_cli_usage_error (COMMAND, "--name \"%s\" must be a plain file name", name);
  if (optimizer)
    {
      RvOptimKind kind;
      if (!rv_optim_kind_from_name (optimizer, &kind))
        return rv_cli_usage_error (COMMAND, "unknown optimizer \"%s\" (known: sgd, momentum, heavy-ball, "
                                   "nesterov, rmsprop, adagrad, adam, adamw)", optimizer);
      rv_optim_config_init (&cfg.optim, kind);
    }
  struct {
    const char *option, *text, *param;
    double *field;
  } hyper[] = {
    { "--lr", lr, "lr", &cfg.optim.lr },
    { "--momentum", momentum, "momentum", &cfg.optim.momentum },
    { "--beta1", beta1, "beta1", &cfg.optim.beta1 },
    { "--beta2", beta2, "beta2", &cfg.optim.beta2 },
    { "--eps", eps, "eps", &cfg.optim.eps },
    { "--weight-decay", weight_decay, "weight_decay", &cfg.optim.weight_decay },
    { "--clip", clip, "clip_norm", &cfg.optim.clip_norm },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (hyper); i++)
    {
      if (hyper[i].text && !rv_optim_kind_uses (cfg.optim.kind, hyper[i].param))
        return rv_cli_usage_error (COMMAND, "%s does not apply to the %s optimizer", hyper[i].option,
                                   rv_optim_kind_name (cfg.optim.kind));
      if (!parse_double_option (hyper[i].option, hyper[i].text, -G_MAXDOUBLE, G_MAXDOUBLE, hyper[i].field, &status))
        return status;
    }
  if (!rv_optim_config_validate (&cfg.optim, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (act && !rv_activation_from_name (act, &cfg.net.act))
    return rv_cli_usage_error (COMMAND, "unknown activation \"%s\"", act);
  if (hidden && !rv_net_config_parse_hidden (&cfg.net, hidden, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (init && !rv_init_parse (init, &cfg.init, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (!parse_uint_option ("--epochs", epochs, 1, 100000, &v, &status))
    return status;
  if (epochs)
    cfg.epochs = (uint32_t) v;
  if (!parse_uint_option ("--batch-size", batch_size, 1, 50000, &v, &status))
    return status;
  if (batch_size)
    cfg.batch_size = (uint32_t) v;
  if (!parse_uint_option ("--train-limit", train_limit, 1, 60000, &v, &status))
    return status;
  if (train_limit)
    cfg.train_limit = (uint32_t) v;
  if (!parse_uint_option ("--seed", seed, 0, G_MAXINT64, &v, &status))
    return status;
  if (seed)
    cfg.seed = v;
  if (!parse_uint_option ("--history-every", history_every, 0, G_MAXUINT32 - 1, &v, &status))
    return status;
  if (history_every)
    cfg.history_every = (uint32_t) v;
  uint32_t every_sharpness = 0;
  guint64 sharp_images = 1024;
  if (!parse_uint_option ("--sharpness-every", sharpness_every, 1, G_MAXUINT32, &v, &status))
    return status;
  if (sharpness_every)
    every_sharpness = (uint32_t) v;
  if (!parse_uint_option ("--sharpness-images", sharpness_images, 1, 60000, &sharp_images, &status))
    return status;
  if (sharpness_images && !sharpness_every)
    return rv_cli_usage_error (COMMAND, "--sharpness-images needs --sharpness-every");
  /* Step events must fall on every measurement's step. */
  if (every_sharpness)
    cfg.report_every = rv_train_geometry_report_every (cfg.report_every, every_sharpness);
  /* Before any data is read or memory taken: widths multiply. */
  if (!rv_net_config_check_size (&cfg.net, cfg.batch_size, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  RvTrainResults res = { 0 };
  if (rv_run_exists (out, name) && !overwrite)
    {
      fprintf (stderr, "ravine-cli train: %s is saved in %s already: loading it, not retraining "
               "(--overwrite retrains)\n", name, out);
      RvTrainConfig saved;
      g_autoptr (RvNet) net = NULL;
      if (!rv_run_load (out, name, &saved, &res, &net, &error))
        return rv_cli_failure (COMMAND, error);
      if (json)
        print_results_json (name, out, FALSE, &saved, &res);
      else
        print_results_text (name, &res, "");
      rv_train_results_clear (&res);
      return rv_cli_finish_output (COMMAND);
    }

  /* Where the run will go, before the work that ends in saving it. */
  if (!rv_run_check_target (out, name, &error))
    return g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT)
             ? rv_cli_usage_error (COMMAND, "--out %s --name %s: %s", out, name, error->message)
             : rv_cli_failure (COMMAND, error);

  g_autofree char *device_note = NULL;
  const RvBackend *backend = rv_device_backend (device, &device_note, &error);
  if (backend == NULL)
    return rv_cli_failure (COMMAND, error);
  if (device_note)
    fprintf (stderr, "ravine-cli %s: %s\n", COMMAND, device_note);
  else if (!backend->host_memory)
    {
      g_autofree char *what = rv_device_describe (backend);
      fprintf (stderr, "ravine-cli %s: training on %s\n", COMMAND, what);
    }

  g_autoptr (RvDataset) ds = rv_cli_open_dataset (COMMAND, data, synthetic, cfg.seed, &error);
  if (ds == NULL)
    return rv_cli_failure (COMMAND, error);
  g_autoptr (RvTrainer) trainer = rv_trainer_new_for_backend (&cfg, ds, backend, &error);
  if (trainer == NULL)
    return g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT) ? rv_cli_usage_error (COMMAND, "%s", error->message)
                                                                : rv_cli_failure (COMMAND, error);

  g_autoptr (RvTrainGeometry) geometry = rv_train_geometry_new ();
  if (every_sharpness)
    {
      if (sharp_images > ds->train_full->n)
        return rv_cli_usage_error (COMMAND, "--sharpness-images %" G_GUINT64_FORMAT ": the training file holds %u images",
                                   sharp_images, ds->train_full->n);
      if (!rv_train_geometry_track_sharpness (geometry, &cfg, ds, every_sharpness, (uint32_t) sharp_images, &error))
        return rv_cli_failure (COMMAND, error);
      measure_sharpness (geometry, trainer, 0);
    }
  /* The widest networks would need gigabytes of snapshots: go without. */
  g_autofree char *why = NULL;
  if (!no_trajectory && !rv_train_geometry_keep_trajectory (geometry, trainer, &why))
    fprintf (stderr, "ravine-cli train: not keeping the parameter snapshots: %s, so landscape --directions pca "
             "will not work for this run\n", why);
  Progress progress = { .trainer = trainer, .tty = isatty (STDERR_FILENO), .geometry = geometry };
  struct sigaction sa = { .sa_handler = on_interrupt }, old_int, old_term;
  sigaction (SIGINT, &sa, &old_int);
  sigaction (SIGTERM, &sa, &old_term);
  gboolean trained = rv_trainer_run (trainer, on_event, &progress, &error);
  /* The trainer's results and the sharpness measured beside them. */
  RvTrainResults with_geometry = *rv_trainer_get_results (trainer);
  g_autoptr (GArray) sharpness = rv_train_geometry_steal_sharpness (geometry);
  with_geometry.sharpness = sharpness;
  const RvTrainResults *results = &with_geometry;
  /* The handlers stay through the save: a signal there abandons it before
   * its commit point (nothing new is written) or, once the new files are
   * decided, lets it finish, so the run is never left half saved. */
  gboolean saved = trained && rv_run_save_full (out, name, &cfg, results, rv_trainer_get_best_net (trainer),
                                                save_interrupted, NULL, &error);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  /* The snapshots go beside the saved run; without them a stale file of an
   * earlier training would only be refused later, so it goes. */
  if (saved && !rv_train_geometry_save_trajectory (geometry, out, name, rv_trainer_get_best_net (trainer), &error))
    return rv_cli_failure (COMMAND, error);
  if (!saved)
    {
      if (progress.tty && !trained)
        fputc ('\n', stderr);
      gboolean cancelled = g_error_matches (error, RV_ERROR, RV_ERROR_CANCELLED);
      if (!trained || cancelled)
        {
          fprintf (stderr, "ravine-cli train: %s; nothing was saved\n", error->message);
          return cancelled ? 130 : RV_EXIT_FAILURE;
        }
      return rv_cli_failure (COMMAND, error);
    }
  if (interrupted)
    {
      fprintf (stderr, "ravine-cli train: interrupted while saving, after the point of no return: "
               "%s is saved whole in %s\n", name, out);
      return 130;
    }

  if (json)
    print_results_json (name, out, TRUE, &cfg, results);
  else
    print_results_text (name, results, ds->synthetic ? " on the synthetic data set" : "");
  return rv_cli_finish_output (COMMAND);
}
