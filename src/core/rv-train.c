/* rv-train.c: epochs, batches, evaluation and control of a training run. */
#include "rv-train.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

#define EVAL_BATCH 1024

struct _RvTrainer
{
  RvTrainConfig cfg;
  const RvDataset *data;
  RvNet *net;
  RvOptimizer *optim;
  uint32_t n_train;

  float *x;            /* [max(batch, EVAL_BATCH), 784] gathered batch */
  uint8_t *labels;
  uint32_t *order;     /* [n_train] this epoch's order */
  uint32_t *eval_index;
  float *best_params;  /* [n_params] the best-validation parameters */

  RvTrainResults results;

  /* Control from other threads. */
  GMutex lock;
  GCond resumed;
  gboolean paused;
  gint cancelled;      /* atomic */
};

void
rv_train_config_init_default (RvTrainConfig *cfg)
{
  static const uint32_t hidden[] = { 512, 256, 256, 128 };
  memset (cfg, 0, sizeof *cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
  cfg->init.kind = RV_INIT_KAIMING;
  rv_optim_config_init (&cfg->optim, RV_OPTIM_ADAM);
  cfg->epochs = 40;
  cfg->batch_size = 256;
  cfg->drop_last = TRUE;
  cfg->seed = 42;
  cfg->report_every = 10;
}

RvTrainer *
rv_trainer_new (const RvTrainConfig *cfg, const RvDataset *data, GError **error)
{
  uint32_t n_train = cfg->train_limit ? MIN (cfg->train_limit, data->n_train) : data->n_train;
  if (cfg->epochs < 1 || cfg->batch_size < 1 || cfg->batch_size > n_train)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "training needs at least one epoch and a batch size from 1 to %u (the training images)", n_train);
      return NULL;
    }
  if (!rv_optim_config_validate (&cfg->optim, error))
    return NULL;

  g_autoptr (RvTrainer) t = g_new0 (RvTrainer, 1);
  g_mutex_init (&t->lock);
  g_cond_init (&t->resumed);
  t->cfg = *cfg;
  if (t->cfg.report_every < 1)
    t->cfg.report_every = 1;
  t->data = data;
  t->n_train = n_train;
  t->net = rv_net_new (&cfg->net, rv_backend_cpu ());
  uint32_t rows = MAX (cfg->batch_size, EVAL_BATCH);
  rv_net_reserve (t->net, rows);
  t->x = g_new (float, (size_t) rows * RV_IMAGE_PIXELS);
  t->labels = g_new (uint8_t, rows);
  t->order = g_new (uint32_t, n_train);
  t->eval_index = g_new (uint32_t, EVAL_BATCH);
  t->best_params = g_new (float, t->net->n_params);
  t->results.val_scores = g_array_new (FALSE, FALSE, sizeof (double));
  t->results.train_scores = g_array_new (FALSE, FALSE, sizeof (double));
  t->results.train_losses = g_array_new (FALSE, FALSE, sizeof (float));

  /* LSUV calibrates on the first training batch. */
  uint32_t probe = MIN (cfg->batch_size, n_train);
  rv_dataset_gather (data->train_full, data->train_index, probe, t->x, t->labels);
  if (!rv_init_apply (t->net, &cfg->init, cfg->seed, t->x, probe, error))
    return NULL;
  t->optim = rv_optimizer_new (&cfg->optim, t->net->n_params, error);
  if (t->optim == NULL)
    return NULL;
  return g_steal_pointer (&t);
}

void
rv_trainer_free (RvTrainer *t)
{
  if (t == NULL)
    return;
  rv_net_free (t->net);
  rv_optimizer_free (t->optim);
  g_free (t->x);
  g_free (t->labels);
  g_free (t->order);
  g_free (t->eval_index);
  g_free (t->best_params);
  g_array_unref (t->results.val_scores);
  g_array_unref (t->results.train_scores);
  g_array_unref (t->results.train_losses);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->resumed);
  g_free (t);
}

void
rv_trainer_cancel (RvTrainer *t)
{
  g_atomic_int_set (&t->cancelled, 1);
  g_mutex_lock (&t->lock);
  g_cond_broadcast (&t->resumed);
  g_mutex_unlock (&t->lock);
}

void
rv_trainer_set_paused (RvTrainer *t, gboolean paused)
{
  g_mutex_lock (&t->lock);
  t->paused = paused;
  g_cond_broadcast (&t->resumed);
  g_mutex_unlock (&t->lock);
}

/* Blocks while paused; returns FALSE once cancelled.  The paused time is
 * taken off the run's clock. */
static gboolean
wait_if_paused (RvTrainer *t, GTimer *clock)
{
  g_mutex_lock (&t->lock);
  if (t->paused && !g_atomic_int_get (&t->cancelled))
    {
      g_timer_stop (clock);
      while (t->paused && !g_atomic_int_get (&t->cancelled))
        g_cond_wait (&t->resumed, &t->lock);
      g_timer_continue (clock);
    }
  g_mutex_unlock (&t->lock);
  return !g_atomic_int_get (&t->cancelled);
}

double
rv_trainer_evaluate (RvTrainer *t, const RvImageSet *set, const uint32_t *indices, uint32_t count)
{
  uint64_t correct = 0;
  for (uint32_t start = 0; start < count; start += EVAL_BATCH)
    {
      uint32_t n = MIN (EVAL_BATCH, count - start);
      for (uint32_t i = 0; i < n; i++)
        t->eval_index[i] = indices ? indices[start + i] : start + i;
      rv_dataset_gather (set, t->eval_index, n, t->x, t->labels);
      int hits = 0;
      rv_net_loss (t->net, t->x, t->labels, n, FALSE, &hits);
      correct += (uint64_t) hits;
    }
  return count ? (double) correct / count : 0.0;
}

gboolean
rv_trainer_run (RvTrainer *t, RvTrainCallback callback, gpointer user_data, GError **error)
{
  const RvTrainConfig *cfg = &t->cfg;
  const RvDataset *ds = t->data;
  const uint32_t steps = rv_batch_count (t->n_train, cfg->batch_size, cfg->drop_last);
  g_autoptr (GTimer) clock = g_timer_new ();
  RvTrainEvent ev = { .epochs = cfg->epochs, .total_steps = (uint64_t) steps * cfg->epochs };
  double best_val = -1.0;

  g_array_set_size (t->results.val_scores, 0);
  g_array_set_size (t->results.train_scores, 0);
  g_array_set_size (t->results.train_losses, 0);

  for (uint32_t epoch = 0; epoch < cfg->epochs; epoch++)
    {
      uint64_t correct = 0, seen = 0;
      rv_epoch_order (t->order, ds->train_index, t->n_train, cfg->seed, epoch);
      ev.epoch = epoch;
      for (uint32_t s = 0; s < steps; s++)
        {
          if (!wait_if_paused (t, clock))
            {
              g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "training was cancelled at epoch %u, step %u",
                           epoch + 1, s + 1);
              return FALSE;
            }
          uint32_t start = s * cfg->batch_size;
          uint32_t n = MIN (cfg->batch_size, t->n_train - start);
          rv_dataset_gather (ds->train_full, t->order + start, n, t->x, t->labels);
          rv_net_zero_grad (t->net);
          int hits = 0;
          double loss = rv_net_loss (t->net, t->x, t->labels, n, TRUE, &hits);
          if (!isfinite (loss))
            {
              g_set_error (error, RV_ERROR, RV_ERROR_DIVERGED,
                           "the loss became %s at epoch %u, step %u: lower the learning rate",
                           isnan (loss) ? "NaN" : "infinite", epoch + 1, s + 1);
              return FALSE;
            }
          rv_optimizer_step (t->optim, t->net->params, t->net->grads);
          float loss_f = (float) loss;
          g_array_append_val (t->results.train_losses, loss_f);
          correct += (uint64_t) hits;
          seen += n;
          ev.step++;
          if (callback && (ev.step % cfg->report_every == 0 || s + 1 == steps))
            {
              ev.kind = RV_TRAIN_EVENT_STEP;
              ev.loss = loss;
              ev.elapsed_seconds = g_timer_elapsed (clock, NULL);
              callback (&ev, user_data);
            }
        }

      ev.train_acc = seen ? (double) correct / seen : 0.0;
      ev.val_acc = rv_trainer_evaluate (t, ds->train_full, ds->val_index, ds->n_val);
      g_array_append_val (t->results.train_scores, ev.train_acc);
      g_array_append_val (t->results.val_scores, ev.val_acc);
      ev.new_best = ev.val_acc > best_val;
      if (ev.new_best)
        {
          best_val = ev.val_acc;
          t->results.best_epoch = epoch;
          memcpy (t->best_params, t->net->params, t->net->n_params * sizeof (float));
        }
      if (callback)
        {
          ev.kind = RV_TRAIN_EVENT_EPOCH;
          ev.elapsed_seconds = g_timer_elapsed (clock, NULL);
          callback (&ev, user_data);
        }
    }

  memcpy (t->net->params, t->best_params, t->net->n_params * sizeof (float));
  t->results.test_acc = rv_trainer_evaluate (t, ds->test, NULL, ds->test->n);
  return TRUE;
}

RvNet *
rv_trainer_get_net (RvTrainer *t)
{
  return t->net;
}

const RvTrainConfig *
rv_trainer_get_config (RvTrainer *t)
{
  return &t->cfg;
}

const RvTrainResults *
rv_trainer_get_results (RvTrainer *t)
{
  return &t->results;
}
