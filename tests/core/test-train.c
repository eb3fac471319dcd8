/* test-train.c: the training loop on the synthetic set: it learns, it is
 * reproducible, it keeps the best-validation model, it stops on divergence,
 * and it can be paused, resumed and cancelled. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-run-files.h"
#include "rv-snapshot.h"
#include "rv-train.h"

static RvDataset *data;

static void
small_config (RvTrainConfig *cfg, RvOptimKind kind, double lr)
{
  static const uint32_t hidden[] = { 64, 32 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
  rv_optim_config_init (&cfg->optim, kind);
  cfg->optim.lr = lr;
  cfg->epochs = 3;
  cfg->batch_size = 64;
  cfg->report_every = 5;
}

typedef struct {
  int steps, epochs;
  uint64_t last_step;
  gboolean monotone;
  RvTrainer *trainer;
  int cancel_after;
} Events;

static void
count_events (const RvTrainEvent *ev, gpointer user_data)
{
  Events *e = user_data;
  if (ev->step < e->last_step)
    e->monotone = FALSE;
  e->last_step = ev->step;
  if (ev->kind == RV_TRAIN_EVENT_STEP)
    e->steps++;
  else
    e->epochs++;
  if (e->cancel_after && e->steps == e->cancel_after)
    rv_trainer_cancel (e->trainer);
}

static void
test_learns (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_ADAM, 1e-3);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) t = rv_trainer_new (&cfg, data, &error);
  g_assert_no_error (error);
  Events e = { .monotone = TRUE };
  g_assert_true (rv_trainer_run (t, count_events, &e, &error));
  g_assert_no_error (error);

  const RvTrainResults *r = rv_trainer_get_results (t);
  const uint32_t steps = rv_batch_count (data->n_train, cfg.batch_size, TRUE);
  g_assert_cmpuint (r->train_losses->len, ==, steps * cfg.epochs);
  g_assert_cmpuint (r->val_scores->len, ==, cfg.epochs);
  g_assert_cmpint (e.epochs, ==, (int) cfg.epochs);
  g_assert_true (e.monotone);

  /* it learns: the loss falls from ln 10 and accuracy is far above chance */
  float first = g_array_index (r->train_losses, float, 0);
  float last = g_array_index (r->train_losses, float, r->train_losses->len - 1);
  g_test_message ("loss %.3f -> %.3f, val %.3f, test %.3f", first, last,
                  g_array_index (r->val_scores, double, cfg.epochs - 1), r->test_acc);
  g_assert_cmpfloat (last, <, 0.5 * first);
  g_assert_cmpfloat (r->test_acc, >, 0.5);

  /* the best epoch is the one with the highest validation accuracy */
  for (guint i = 0; i < r->val_scores->len; i++)
    g_assert_cmpfloat (g_array_index (r->val_scores, double, i), <=,
                       g_array_index (r->val_scores, double, r->best_epoch));
  /* and the test accuracy was measured on the restored best parameters */
  g_assert_cmpfloat (rv_trainer_evaluate (t, data->test, NULL, data->test->n), ==, r->test_acc);
  g_assert_cmpfloat (rv_trainer_evaluate (t, data->train_full, data->val_index, data->n_val), ==,
                     g_array_index (r->val_scores, double, r->best_epoch));
}

static void
test_reproducible (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_MOMENTUM, 0.1);
  cfg.epochs = 1;
  g_autoptr (RvTrainer) a = rv_trainer_new (&cfg, data, NULL);
  g_autoptr (RvTrainer) b = rv_trainer_new (&cfg, data, NULL);
  g_assert_true (rv_trainer_run (a, NULL, NULL, NULL));
  g_assert_true (rv_trainer_run (b, NULL, NULL, NULL));
  GArray *la = rv_trainer_get_results (a)->train_losses, *lb = rv_trainer_get_results (b)->train_losses;
  g_assert_cmpmem (la->data, la->len * sizeof (float), lb->data, lb->len * sizeof (float));

  cfg.seed = 43;
  g_autoptr (RvTrainer) c = rv_trainer_new (&cfg, data, NULL);
  g_assert_true (rv_trainer_run (c, NULL, NULL, NULL));
  GArray *lc = rv_trainer_get_results (c)->train_losses;
  g_assert_true (memcmp (la->data, lc->data, la->len * sizeof (float)) != 0);
}

static void
test_diverges (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 1e6);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) t = rv_trainer_new (&cfg, data, &error);
  g_assert_false (rv_trainer_run (t, NULL, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "step"));
  g_test_message ("%s", error->message);
}

static void
test_cancel (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 0.05);
  cfg.report_every = 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) t = rv_trainer_new (&cfg, data, &error);
  Events e = { .trainer = t, .cancel_after = 7, .monotone = TRUE };
  g_assert_false (rv_trainer_run (t, count_events, &e, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CANCELLED);
  /* cancelled between steps 7 and 8 */
  g_assert_cmpuint (rv_trainer_get_results (t)->train_losses->len, ==, 7);
}

typedef struct {
  RvTrainer *trainer;
  gboolean ok;
  GError *error;
} RunArgs;

static gpointer
run_thread (gpointer user_data)
{
  RunArgs *args = user_data;
  args->ok = rv_trainer_run (args->trainer, NULL, NULL, &args->error);
  return NULL;
}

static void
test_pause_resume (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 0.05);
  cfg.epochs = 2;
  g_autoptr (RvTrainer) t = rv_trainer_new (&cfg, data, NULL);
  RunArgs args = { .trainer = t };

  rv_trainer_set_paused (t, TRUE);
  GThread *thread = g_thread_new ("train", run_thread, &args);
  g_usleep (200000);
  /* paused before the first step: nothing has happened */
  g_assert_cmpuint (rv_trainer_get_results (t)->train_losses->len, ==, 0);
  rv_trainer_set_paused (t, FALSE);
  g_thread_join (thread);
  g_assert_no_error (args.error);
  g_assert_true (args.ok);
  g_assert_cmpuint (rv_trainer_get_results (t)->val_scores->len, ==, 2);

  /* cancelling a paused run wakes it and stops it */
  g_autoptr (RvTrainer) u = rv_trainer_new (&cfg, data, NULL);
  RunArgs args2 = { .trainer = u };
  rv_trainer_set_paused (u, TRUE);
  thread = g_thread_new ("train", run_thread, &args2);
  g_usleep (100000);
  rv_trainer_cancel (u);
  g_thread_join (thread);
  g_assert_false (args2.ok);
  g_assert_error (args2.error, RV_ERROR, RV_ERROR_CANCELLED);
  g_clear_error (&args2.error);
}

static void
test_bad_config (void)
{
  RvTrainConfig cfg;
  g_autoptr (GError) error = NULL;
  small_config (&cfg, RV_OPTIM_ADAM, -1.0);
  g_assert_null (rv_trainer_new (&cfg, data, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);
  small_config (&cfg, RV_OPTIM_ADAM, 1e-3);
  cfg.batch_size = data->n_train + 1;
  g_assert_null (rv_trainer_new (&cfg, data, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
}

static void
test_run_files (void)
{
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_ADAM, 1e-3);
  cfg.epochs = 2;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) t = rv_trainer_new (&cfg, data, &error);
  g_assert_true (rv_trainer_run (t, NULL, NULL, &error));

  g_autofree char *dir = g_dir_make_tmp ("ravine-run-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "models", NULL);
  g_assert_false (rv_run_exists (sub, "Adam"));
  g_assert_true (rv_run_save (sub, "Adam", &cfg, rv_trainer_get_results (t), rv_trainer_get_best_net (t), &error));
  g_assert_no_error (error);
  g_assert_true (rv_run_exists (sub, "Adam"));

  RvTrainConfig back;
  RvTrainResults res;
  RvNet *net = NULL;
  rv_run_load (sub, "Adam", &back, &res, &net, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back.net.n_linear, ==, cfg.net.n_linear);
  g_assert_cmpmem (back.net.sizes, sizeof back.net.sizes, cfg.net.sizes, sizeof cfg.net.sizes);
  g_assert_cmpint (back.optim.kind, ==, RV_OPTIM_ADAM);
  g_assert_cmpfloat (back.optim.lr, ==, 1e-3);
  g_assert_cmpuint (back.seed, ==, cfg.seed);
  g_assert_cmpfloat (res.test_acc, ==, rv_trainer_get_results (t)->test_acc);
  g_assert_cmpuint (res.train_losses->len, ==, rv_trainer_get_results (t)->train_losses->len);
  g_assert_cmpmem (net->params, net->n_params * 4, rv_trainer_get_best_net (t)->params, net->n_params * 4);
  rv_train_results_clear (&res);
  rv_net_free (net);

  /* a config that no longer matches the weights is refused, naming the tensor */
  g_autofree char *config_path = rv_run_path (sub, "Adam", ".config");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (config_path, &text, NULL, NULL));
  g_auto (GStrv) pieces = g_strsplit (text, "64", -1);
  g_autofree char *edited = g_strjoinv ("48", pieces);
  g_assert_true (g_file_set_contents (config_path, edited, -1, NULL));
  net = NULL;
  g_assert_false (rv_run_load (sub, "Adam", &back, &res, &net, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "layers.0.weight"));
  g_assert_null (net);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* a broken config is named too */
  g_assert_true (g_file_set_contents (config_path, "{\"format_version\": 1", -1, NULL));
  g_assert_false (rv_run_load (sub, "Adam", &back, &res, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "Adam.config"));

  const char *suffixes[] = { ".config", ".safetensors", "_results.json" };
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *p = rv_run_path (sub, "Adam", suffixes[i]);
      g_remove (p);
    }
  g_rmdir (sub);
  g_rmdir (dir);
}

/* A snapshot's norms against direct sums, and its update ratio against the
 * one SGD step it saw: ||lr g|| / ||w||. */
static void
test_snapshot (void)
{
  static const uint32_t hidden[] = { 16 };
  RvNetConfig cfg;
  rv_net_config_init (&cfg, RV_ACT_TANH, hidden, 1);
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  RvInit init = { .kind = RV_INIT_XAVIER };
  g_assert_true (rv_init_apply (net, &init, 3, NULL, 0, NULL));
  g_autofree float *x = g_new (float, 32 * RV_INPUT_SIZE);
  g_autofree uint8_t *labels = g_new (uint8_t, 32);
  rv_dataset_gather (data->train_full, data->train_index, 32, x, labels);
  rv_net_zero_grad (net);
  rv_net_loss (net, x, labels, 32, TRUE, NULL);

  g_autofree float *before = g_memdup2 (net->params, net->n_params * sizeof (float));
  const float lr = 0.1f;
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] -= lr * net->grads[i];

  RvSnapshot snap;
  rv_snapshot_take (&snap, net, before, 5, 30);
  g_assert_cmpuint (snap.step, ==, 5);
  g_assert_cmpuint (snap.n_linear, ==, 2);
  for (uint32_t l = 0; l < 2; l++)
    {
      double g2 = 0, w2 = 0;
      for (size_t i = 0; i < rv_net_weight_count (net, l); i++)
        {
          g2 += (double) net->grads[net->w_off[l] + i] * net->grads[net->w_off[l] + i];
          w2 += (double) before[net->w_off[l] + i] * before[net->w_off[l] + i];
        }
      g_assert_cmpfloat_with_epsilon (snap.grad_norm[l], sqrt (g2), 1e-9 * sqrt (g2) + 1e-12);
      g_assert_cmpfloat_with_epsilon (snap.update_ratio[l], lr * sqrt (g2) / sqrt (w2), 1e-4 * snap.update_ratio[l]);
      g_assert_cmpuint (snap.activation[l].n, ==, 32 * rv_net_fan_out (net, l));
      g_assert_cmpuint (snap.weight[l].n_bins, ==, 30);
    }
  rv_snapshot_clear (&snap);
  rv_snapshot_take (&snap, net, NULL, 6, 30);
  g_assert_true (isnan (snap.update_ratio[0]));
  rv_snapshot_clear (&snap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (6000, 1000, 42);
  g_test_add_func ("/train/learns", test_learns);
  g_test_add_func ("/train/reproducible", test_reproducible);
  g_test_add_func ("/train/diverges", test_diverges);
  g_test_add_func ("/train/cancel", test_cancel);
  g_test_add_func ("/train/pause-resume", test_pause_resume);
  g_test_add_func ("/train/bad-config", test_bad_config);
  g_test_add_func ("/train/run-files", test_run_files);
  g_test_add_func ("/train/snapshot", test_snapshot);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
