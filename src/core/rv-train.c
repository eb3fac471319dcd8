/* rv-train.c: epochs, batches, evaluation and control of a training run. */
#include "rv-train.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

#define EVAL_BATCH 1024

/* An array the trainer reads from backend memory: on a host backend the
 * data set's own array, elsewhere a copy made once (and owned). */
typedef struct {
  const void *data;
  void *owned;
} Resident;

struct _RvTrainer
{
  RvTrainConfig cfg;
  const RvDataset *data;
  const RvBackend *be;
  RvNet *net;          /* host memory: initialization, results, checkpoints */
  RvNet *train_net;    /* the network that trains: `net` on a host backend, else its twin */
  RvOptimizer *optim;  /* state in backend memory */
  uint32_t n_train;
  uint32_t steps;      /* per epoch */

  /* Backend memory. */
  Resident train_pixels, train_labels, test_pixels, test_labels, val_index;
  uint32_t *order;     /* [n_train] this epoch's order */
  float *x;            /* [max(batch, EVAL_BATCH), 784] gathered batch */
  uint8_t *labels;
  double *step_loss;   /* [steps] each step's mean loss, this epoch */
  int32_t *step_hits;  /* [steps] each step's correct predictions */
  double *eval_loss;   /* [1] an evaluation batch's loss (unused) */
  int32_t *eval_hits;  /* [eval_cap] correct predictions per evaluation batch */
  uint32_t eval_cap;
  float *best_params;  /* [n_params] the best-validation parameters */

  /* Host memory. */
  uint32_t *host_order;     /* [n_train] */
  double *host_loss;        /* [steps] read back from step_loss */
  int32_t *host_hits;       /* [steps] */
  int32_t *host_eval_hits;  /* [eval_cap] */

  RvTrainResults results;

  /* Training thread only: layer snapshots. */
  uint64_t step;            /* steps done so far in the run */
  RvNet *snap_net;          /* on a device: a host copy read back for snapshots */
  float *kept_params;       /* [n_params] host copy from rv_trainer_keep_params */
  uint64_t kept_step;       /* the step at which they were kept */

  /* Control from other threads. */
  GMutex lock;
  GCond resumed;
  gboolean paused;
  gint cancelled;      /* atomic */
};

static void
resident_init (const RvBackend *be, Resident *r, const void *host, size_t bytes)
{
  if (be->host_memory)
    {
      r->data = host;
      r->owned = NULL;
      return;
    }
  r->owned = be->alloc (bytes);
  if (r->owned)
    be->upload (r->owned, host, bytes);
  r->data = r->owned;
}

static void
resident_clear (const RvBackend *be, Resident *r)
{
  if (r->owned)
    be->free (r->owned);
  r->data = r->owned = NULL;
}

/* Frees a backend buffer that may be NULL. */
static void
be_free (const RvBackend *be, void *p)
{
  if (p)
    be->free (p);
}

/* Makes room for the correct counts of `batches` evaluation batches. */
static gboolean
reserve_eval (RvTrainer *t, uint32_t batches)
{
  if (batches <= t->eval_cap)
    return TRUE;
  be_free (t->be, t->eval_hits);
  t->eval_hits = t->be->alloc ((size_t) batches * sizeof (int32_t));
  t->host_eval_hits = g_renew (int32_t, t->host_eval_hits, batches);
  t->eval_cap = t->eval_hits ? batches : 0;
  return t->eval_hits != NULL;
}

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
  cfg->history_every = RV_HISTORY_AUTO;
}

RvTrainer *
rv_trainer_new (const RvTrainConfig *cfg, const RvDataset *data, GError **error)
{
  return rv_trainer_new_for_backend (cfg, data, rv_backend_cpu (), error);
}

RvTrainer *
rv_trainer_new_for_backend (const RvTrainConfig *cfg, const RvDataset *data, const RvBackend *backend,
                            GError **error)
{
  g_return_val_if_fail (backend != NULL, NULL);
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
  const RvBackend *be = backend;
  g_mutex_init (&t->lock);
  g_cond_init (&t->resumed);
  t->cfg = *cfg;
  if (t->cfg.report_every < 1)
    t->cfg.report_every = 1;
  t->data = data;
  t->be = be;
  t->n_train = n_train;
  t->steps = rv_batch_count (n_train, cfg->batch_size, cfg->drop_last);
  t->results.val_scores = g_array_new (FALSE, FALSE, sizeof (double));
  t->results.train_scores = g_array_new (FALSE, FALSE, sizeof (double));
  t->results.train_losses = g_array_new (FALSE, FALSE, sizeof (float));

  /* Initialization runs on the host, whatever the backend, so the weights
   * are the same everywhere; LSUV calibrates on the first training batch. */
  t->net = rv_net_new (&cfg->net, rv_backend_cpu ());
  uint32_t rows = MAX (cfg->batch_size, EVAL_BATCH);
  if (be->host_memory)
    rv_net_reserve (t->net, rows);
  {
    uint32_t probe = MIN (cfg->batch_size, n_train);
    g_autofree float *probe_x = g_new (float, (size_t) probe * RV_IMAGE_PIXELS);
    g_autofree uint8_t *probe_labels = g_new (uint8_t, probe);
    rv_dataset_gather (data->train_full, data->train_index, probe, probe_x, probe_labels);
    if (!rv_init_apply (t->net, &cfg->init, cfg->seed, probe_x, probe, error))
      return NULL;
  }
  if (be->host_memory)
    t->train_net = t->net;
  else
    {
      t->train_net = rv_net_new (&cfg->net, be);
      if (t->train_net->params)
        be->upload (t->train_net->params, t->net->params, t->net->n_params * sizeof (float));
      rv_net_reserve (t->train_net, rows);
    }

  const RvImageSet *train = data->train_full, *test = data->test;
  resident_init (be, &t->train_pixels, train->pixels, (size_t) train->n * RV_IMAGE_PIXELS);
  resident_init (be, &t->train_labels, train->labels, train->n);
  resident_init (be, &t->test_pixels, test->pixels, (size_t) test->n * RV_IMAGE_PIXELS);
  resident_init (be, &t->test_labels, test->labels, test->n);
  resident_init (be, &t->val_index, data->val_index, (size_t) data->n_val * sizeof (uint32_t));
  t->order = be->alloc ((size_t) n_train * sizeof (uint32_t));
  t->x = be->alloc ((size_t) rows * RV_IMAGE_PIXELS * sizeof (float));
  t->labels = be->alloc (rows);
  t->step_loss = be->alloc ((size_t) t->steps * sizeof (double));
  t->step_hits = be->alloc ((size_t) t->steps * sizeof (int32_t));
  t->eval_loss = be->alloc (sizeof (double));
  t->best_params = be->alloc (t->net->n_params * sizeof (float));
  reserve_eval (t, (MAX (data->n_val, test->n) + EVAL_BATCH - 1) / EVAL_BATCH);
  t->host_order = g_new (uint32_t, n_train);
  t->host_loss = g_new (double, t->steps);
  t->host_hits = g_new (int32_t, t->steps);

  t->optim = rv_optimizer_new_for_backend (&cfg->optim, t->net->n_params, be, error);
  if (t->optim == NULL)
    return NULL;
  /* Any allocation or copy that failed on a device shows here. */
  if (!be->check (error))
    return NULL;
  return g_steal_pointer (&t);
}

void
rv_trainer_free (RvTrainer *t)
{
  if (t == NULL)
    return;
  const RvBackend *be = t->be;
  if (t->train_net != t->net)
    rv_net_free (t->train_net);
  rv_net_free (t->net);
  rv_net_free (t->snap_net);
  g_free (t->kept_params);
  rv_optimizer_free (t->optim);
  if (be)
    {
      resident_clear (be, &t->train_pixels);
      resident_clear (be, &t->train_labels);
      resident_clear (be, &t->test_pixels);
      resident_clear (be, &t->test_labels);
      resident_clear (be, &t->val_index);
      be_free (be, t->order);
      be_free (be, t->x);
      be_free (be, t->labels);
      be_free (be, t->step_loss);
      be_free (be, t->step_hits);
      be_free (be, t->eval_loss);
      be_free (be, t->eval_hits);
      be_free (be, t->best_params);
    }
  g_free (t->host_order);
  g_free (t->host_loss);
  g_free (t->host_hits);
  g_free (t->host_eval_hits);
  if (t->results.val_scores)
    {
      g_array_unref (t->results.val_scores);
      g_array_unref (t->results.train_scores);
      g_array_unref (t->results.train_losses);
    }
  rv_history_free (t->results.history);
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

gboolean
rv_trainer_get_paused (RvTrainer *t)
{
  g_mutex_lock (&t->lock);
  gboolean paused = t->paused;
  g_mutex_unlock (&t->lock);
  return paused;
}

gboolean
rv_trainer_wait_while_paused (RvTrainer *t)
{
  g_mutex_lock (&t->lock);
  while (t->paused && !g_atomic_int_get (&t->cancelled))
    g_cond_wait (&t->resumed, &t->lock);
  g_mutex_unlock (&t->lock);
  return !g_atomic_int_get (&t->cancelled);
}

uint64_t
rv_trainer_get_total_steps (RvTrainer *t)
{
  return (uint64_t) t->steps * t->cfg.epochs;
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
  const RvBackend *be = t->be;
  const RvDataset *ds = t->data;
  Resident pixels = { 0 }, labels = { 0 }, index = { 0 };
  gboolean own_set = FALSE, own_index = FALSE;
  uint64_t correct = 0;

  /* The data set's own arrays are resident already; anything else is copied
   * for the while. */
  if (set == ds->train_full)
    {
      pixels = t->train_pixels;
      labels = t->train_labels;
    }
  else if (set == ds->test)
    {
      pixels = t->test_pixels;
      labels = t->test_labels;
    }
  else
    {
      resident_init (be, &pixels, set->pixels, (size_t) set->n * RV_IMAGE_PIXELS);
      resident_init (be, &labels, set->labels, set->n);
      own_set = TRUE;
    }
  if (indices == ds->val_index && count <= ds->n_val)
    index = t->val_index;
  else if (indices)
    {
      resident_init (be, &index, indices, (size_t) count * sizeof (uint32_t));
      own_index = TRUE;
    }

  uint32_t batches = (count + EVAL_BATCH - 1) / EVAL_BATCH;
  if (count > 0 && pixels.data && labels.data && (indices == NULL || index.data) && reserve_eval (t, batches))
    {
      const uint32_t *rows = index.data;
      for (uint32_t b = 0; b < batches; b++)
        {
          uint32_t start = b * EVAL_BATCH;
          uint32_t n = MIN (EVAL_BATCH, count - start);
          be->gather (pixels.data, labels.data, set->n, rows ? rows + start : NULL, start, n, t->x, t->labels);
          rv_net_loss_store (t->train_net, t->x, t->labels, n, FALSE, t->eval_loss, t->eval_hits + b);
        }
      /* The one wait of an evaluation. */
      be->download (t->host_eval_hits, t->eval_hits, (size_t) batches * sizeof (int32_t));
      for (uint32_t b = 0; b < batches; b++)
        correct += (uint64_t) t->host_eval_hits[b];
    }

  if (own_set)
    {
      resident_clear (be, &pixels);
      resident_clear (be, &labels);
    }
  if (own_index)
    resident_clear (be, &index);
  return count ? (double) correct / count : 0.0;
}

/* Reads back the losses and correct counts of steps [from, to) of the epoch,
 * appends the losses to the results and adds the hits to *correct; fails on
 * a device error or at the first loss that is not finite. */
static gboolean
read_back (RvTrainer *t, uint32_t epoch, uint32_t from, uint32_t to, uint64_t *correct, GError **error)
{
  const RvBackend *be = t->be;
  if (to <= from)
    return TRUE;
  be->download (t->host_loss + from, t->step_loss + from, (size_t) (to - from) * sizeof (double));
  be->download (t->host_hits + from, t->step_hits + from, (size_t) (to - from) * sizeof (int32_t));
  if (!be->check (error))
    return FALSE;
  for (uint32_t s = from; s < to; s++)
    {
      double loss = t->host_loss[s];
      if (!isfinite (loss))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DIVERGED,
                       "the loss became %s at epoch %u, step %u: lower the learning rate",
                       isnan (loss) ? "NaN" : "infinite", epoch + 1, s + 1);
          return FALSE;
        }
      float loss_f = (float) loss;
      g_array_append_val (t->results.train_losses, loss_f);
      *correct += (uint64_t) t->host_hits[s];
    }
  return TRUE;
}

gboolean
rv_trainer_run (RvTrainer *t, RvTrainCallback callback, gpointer user_data, GError **error)
{
  const RvTrainConfig *cfg = &t->cfg;
  const RvDataset *ds = t->data;
  const RvBackend *be = t->be;
  RvNet *net = t->train_net;
  const uint32_t steps = t->steps;
  const size_t param_bytes = net->n_params * sizeof (float);
  /* On the CPU each step's loss is read at once, before the optimizer step,
   * so that it is exact; a device is waited for once per report interval. */
  const gboolean each_step = be->host_memory;
  g_autoptr (GTimer) clock = g_timer_new ();
  RvTrainEvent ev = { .epochs = cfg->epochs, .total_steps = (uint64_t) steps * cfg->epochs };
  double best_val = -1.0;

  g_array_set_size (t->results.val_scores, 0);
  g_array_set_size (t->results.train_scores, 0);
  g_array_set_size (t->results.train_losses, 0);
  g_clear_pointer (&t->results.history, rv_history_free);
  t->step = 0;
  const uint32_t history_every = rv_history_resolve_every (cfg->history_every, ev.total_steps);
  if (history_every > 0)
    t->results.history = rv_history_new (&cfg->net, history_every, steps, RV_HISTORY_BINS);

  for (uint32_t epoch = 0; epoch < cfg->epochs; epoch++)
    {
      uint64_t correct = 0, seen = 0;
      uint32_t read = 0; /* steps of this epoch read back */
      rv_epoch_order (t->host_order, ds->train_index, t->n_train, cfg->seed, epoch);
      be->upload (t->order, t->host_order, (size_t) t->n_train * sizeof (uint32_t));
      ev.epoch = epoch;
      for (uint32_t s = 0; s < steps; s++)
        {
          if (!wait_if_paused (t, clock))
            {
              g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "training was cancelled at epoch %u, step %u",
                           epoch + 1, s + 1);
              return FALSE;
            }
          /* the parameters before a recorded step measure its update */
          const gboolean record = rv_history_records_step (history_every, ev.step + 1, ev.total_steps);
          if (record)
            rv_trainer_keep_params (t);
          uint32_t start = s * cfg->batch_size;
          uint32_t n = MIN (cfg->batch_size, t->n_train - start);
          be->gather (t->train_pixels.data, t->train_labels.data, ds->train_full->n, t->order + start, 0, n,
                      t->x, t->labels);
          rv_net_zero_grad (net);
          rv_net_loss_store (net, t->x, t->labels, n, TRUE, t->step_loss + s, t->step_hits + s);
          if (each_step)
            {
              if (!read_back (t, epoch, s, s + 1, &correct, error))
                return FALSE;
              read = s + 1;
            }
          rv_optimizer_step (t->optim, net->params, net->grads);
          seen += n;
          ev.step++;
          t->step = ev.step;
          gboolean report = ev.step % cfg->report_every == 0 || s + 1 == steps;
          if (report && !read_back (t, epoch, read, s + 1, &correct, error))
            return FALSE;
          if (report)
            read = s + 1;
          if (record)
            {
              RvSnapshot snap;
              rv_trainer_snapshot_layers (t, RV_HISTORY_BINS, &snap);
              rv_history_take (t->results.history, &snap);
            }
          if (callback && report)
            {
              ev.kind = RV_TRAIN_EVENT_STEP;
              ev.loss = t->host_loss[s];
              ev.elapsed_seconds = g_timer_elapsed (clock, NULL);
              callback (&ev, user_data);
            }
        }

      ev.train_acc = seen ? (double) correct / seen : 0.0;
      ev.val_acc = rv_trainer_evaluate (t, ds->train_full, ds->val_index, ds->n_val);
      if (!be->check (error))
        return FALSE;
      g_array_append_val (t->results.train_scores, ev.train_acc);
      g_array_append_val (t->results.val_scores, ev.val_acc);
      ev.new_best = ev.val_acc > best_val;
      if (ev.new_best)
        {
          best_val = ev.val_acc;
          t->results.best_epoch = epoch;
          be->copy (t->best_params, net->params, param_bytes);
        }
      if (callback)
        {
          ev.kind = RV_TRAIN_EVENT_EPOCH;
          ev.elapsed_seconds = g_timer_elapsed (clock, NULL);
          callback (&ev, user_data);
        }
    }

  be->copy (net->params, t->best_params, param_bytes);
  t->results.test_acc = rv_trainer_evaluate (t, ds->test, NULL, ds->test->n);
  if (net != t->net)
    be->download (t->net->params, net->params, param_bytes);
  return be->check (error);
}

RvNet *
rv_trainer_get_best_net (RvTrainer *t)
{
  return t->net;
}

const RvBackend *
rv_trainer_get_backend (RvTrainer *t)
{
  return t->be;
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

void
rv_trainer_layer_stats (RvTrainer *t, RvNetTensor tensor, uint32_t l, uint32_t n_bins, RvStats *out)
{
  rv_net_tensor_stats (t->train_net, tensor, l, n_bins, out);
}

float *
rv_trainer_dup_params (RvTrainer *t, size_t *n_params)
{
  const RvNet *net = t->train_net;
  float *out = g_new (float, net->n_params);
  t->be->download (out, net->params, net->n_params * sizeof (float));
  if (n_params)
    *n_params = net->n_params;
  return out;
}

void
rv_trainer_keep_params (RvTrainer *t)
{
  const RvNet *net = t->train_net;
  if (t->kept_params == NULL)
    t->kept_params = g_new (float, net->n_params);
  t->be->download (t->kept_params, net->params, net->n_params * sizeof (float));
  t->kept_step = t->step;
}

/* The training network as host memory: itself on a host backend; on a
 * device, a host copy of its parameters, gradients and last Linear outputs,
 * read back now (snapshots come a few times a second, not every step). */
static const RvNet *
host_view (RvTrainer *t)
{
  const RvNet *net = t->train_net;
  const RvBackend *be = t->be;
  if (be->host_memory)
    return net;
  if (t->snap_net == NULL)
    t->snap_net = rv_net_new (&net->cfg, rv_backend_cpu ());
  RvNet *m = t->snap_net;
  rv_net_reserve (m, net->batch);
  m->batch = net->batch;
  be->download (m->params, net->params, net->n_params * sizeof (float));
  be->download (m->grads, net->grads, net->n_params * sizeof (float));
  for (uint32_t l = 0; l < net->cfg.n_linear && net->batch > 0; l++)
    be->download (m->z[l], net->z[l], (size_t) net->batch * rv_net_fan_out (net, l) * sizeof (float));
  return m;
}

void
rv_trainer_snapshot_layers (RvTrainer *t, uint32_t n_bins, RvSnapshot *out)
{
  /* kept parameters measure one step's update only */
  gboolean have_before = t->kept_params != NULL && t->kept_step + 1 == t->step;
  rv_snapshot_take (out, host_view (t), have_before ? t->kept_params : NULL, t->step, n_bins);
}
