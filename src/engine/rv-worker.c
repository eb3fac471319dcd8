/* rv-worker.c: a thread, a command queue in and an event queue out. */
#include "rv-worker.h"

#include <string.h>

#include "rv-error.h"
#include "rv-mlp-weights.h"

typedef enum {
  COMMAND_PROBE,
  COMMAND_QUIT,
} CommandKind;

typedef struct {
  CommandKind kind;
  guint64 serial;
  RvProbeConfig probe;
  char *weights;          /* a file to probe instead of an initialized network */
  gboolean preview;       /* no KDE: the batch is already cut */
} Command;

static void
command_free (Command *cmd)
{
  g_free (cmd->weights);
  g_free (cmd);
}

struct _RvWorker
{
  GThread *thread;
  GAsyncQueue *commands;  /* Command *, UI → worker */
  GAsyncQueue *events;    /* RvEvent *, worker → UI */
  guint64 next_serial;    /* UI thread only */
  char *data_dir;
  RvDataset *data;        /* worker thread only */
  RvNet *unit_normals;    /* worker thread only: normal:1's parameters for unit_seed */
  uint64_t unit_seed;
  GMutex notify_lock;
  RvWorkerNotify notify;  /* guarded by notify_lock */
  gpointer notify_data;
};

/* Queues ev for the UI and wakes it when the queue was empty (the UI drains
 * it whole, so one wake-up per batch is enough). */
static void
push_event (RvWorker *self, RvEvent *ev)
{
  g_async_queue_lock (self->events);
  g_async_queue_push_unlocked (self->events, ev);
  gboolean was_empty = g_async_queue_length_unlocked (self->events) == 1;
  g_async_queue_unlock (self->events);
  g_mutex_lock (&self->notify_lock);
  if (was_empty && self->notify)
    self->notify (self->notify_data);
  g_mutex_unlock (&self->notify_lock);
}

void
rv_event_free (RvEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->data_source);
  g_free (event->data_note);
  rv_probe_result_clear (&event->probe);
  g_free (event->weights);
  g_free (event->weights_config);
  g_clear_error (&event->error);
  g_free (event);
}

static void
load_data (RvWorker *self)
{
  RvEvent *ev = g_new0 (RvEvent, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = rv_dataset_find_dir (self->data_dir);

  ev->kind = RV_EVENT_DATA_READY;
  self->data = rv_dataset_load (dir, 42, &error);
  if (self->data)
    ev->data_source = g_strdup (dir);
  else
    {
      self->data = rv_dataset_new_synthetic (60000, 10000, 42);
      ev->synthetic = TRUE;
      ev->data_note = g_strdup (error->message);
    }
  push_event (self, ev);
}

static gboolean
same_layers (const RvNetConfig *a, const RvNetConfig *b)
{
  return a->n_linear == b->n_linear && memcmp (a->sizes, b->sizes, sizeof a->sizes) == 0;
}

/* normal:σ is σ times the same standard normals for a seed and network
 * (rv_rng_fill_normal writes 0 + σ·z in float, which is what this
 * computes from z): they are drawn once and kept, so that dragging σ
 * draws no random numbers, the costliest part of a preview. */
static gboolean
probe_normal (RvWorker *self, const RvProbeConfig *cfg, RvProbeResult *out, GError **error)
{
  if (self->unit_normals == NULL || self->unit_seed != cfg->seed || !same_layers (&self->unit_normals->cfg, &cfg->net))
    {
      const RvInit unit = { .kind = RV_INIT_NORMAL, .value = 1.0f };
      g_clear_pointer (&self->unit_normals, rv_net_free);
      g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
      if (!rv_init_apply (net, &unit, cfg->seed, NULL, 0, error))
        return FALSE;
      self->unit_normals = g_steal_pointer (&net);
      self->unit_seed = cfg->seed;
    }
  g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
  const float sigma = cfg->init.value, *z = self->unit_normals->params;
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] = 0.0f + sigma * z[i];
  return rv_probe_run_net (net, cfg, self->data, out, error);
}

static void
run_probe (RvWorker *self, const Command *cmd)
{
  g_autoptr (RvEvent) ev = g_new0 (RvEvent, 1);
  g_autoptr (GTimer) timer = g_timer_new ();
  ev->serial = cmd->serial;
  ev->config = cmd->probe;
  ev->config.kde = !cmd->preview;
  ev->preview = cmd->preview;
  gboolean ok;
  if (cmd->weights)
    {
      g_auto (RvMlpWeightsInfo) info = { 0 };
      g_autoptr (RvNet) net = rv_mlp_weights_load (cmd->weights, cmd->probe.net.act, &info, &ev->error);
      ev->weights = g_strdup (cmd->weights);
      ok = net != NULL;
      if (ok)
        {
          ev->weights_config = g_steal_pointer (&info.config_path);
          ev->config.net = net->cfg;
          ok = rv_probe_run_net (net, &ev->config, self->data, &ev->probe, &ev->error);
        }
    }
  else if (cmd->probe.init.kind == RV_INIT_NORMAL)
    ok = probe_normal (self, &ev->config, &ev->probe, &ev->error);
  else
    ok = rv_probe_run (&ev->config, self->data, &ev->probe, &ev->error);
  ev->kind = ok ? RV_EVENT_PROBE_RESULT : RV_EVENT_ERROR;
  ev->seconds = g_timer_elapsed (timer, NULL);
  push_event (self, g_steal_pointer (&ev));
}

static gpointer
worker_main (gpointer data)
{
  RvWorker *self = data;
  load_data (self);

  for (;;)
    {
      Command *cmd = g_async_queue_pop (self->commands);
      /* Coalesce: a newer command in the queue supersedes this one. */
      Command *newer;
      while (cmd->kind != COMMAND_QUIT && (newer = g_async_queue_try_pop (self->commands)))
        {
          command_free (cmd);
          cmd = newer;
        }
      if (cmd->kind == COMMAND_QUIT)
        {
          command_free (cmd);
          break;
        }
      run_probe (self, cmd);
      command_free (cmd);
    }
  return NULL;
}

RvWorker *
rv_worker_new (const char *data_dir)
{
  RvWorker *self = g_new0 (RvWorker, 1);
  self->commands = g_async_queue_new ();
  self->events = g_async_queue_new_full ((GDestroyNotify) rv_event_free);
  self->data_dir = g_strdup (data_dir);
  self->next_serial = 1;
  g_mutex_init (&self->notify_lock);
  self->thread = g_thread_new ("ravine-worker", worker_main, self);
  return self;
}

void
rv_worker_free (RvWorker *self)
{
  if (self == NULL)
    return;
  Command *quit = g_new0 (Command, 1);
  quit->kind = COMMAND_QUIT;
  g_async_queue_push (self->commands, quit);
  g_thread_join (self->thread);
  Command *left;
  while ((left = g_async_queue_try_pop (self->commands)))
    command_free (left);
  g_async_queue_unref (self->commands);
  g_async_queue_unref (self->events);
  rv_dataset_free (self->data);
  rv_net_free (self->unit_normals);
  g_free (self->data_dir);
  g_mutex_clear (&self->notify_lock);
  g_free (self);
}

static guint64
queue_probe (RvWorker *self, const RvProbeConfig *config, const char *weights, gboolean preview)
{
  Command *cmd = g_new0 (Command, 1);
  cmd->kind = COMMAND_PROBE;
  cmd->serial = self->next_serial++;
  cmd->probe = *config;
  if (preview)
    cmd->probe.batch = MIN (config->batch, RV_WORKER_PREVIEW_BATCH);
  cmd->preview = preview;
  cmd->weights = g_strdup (weights);
  g_async_queue_push (self->commands, cmd);
  return cmd->serial;
}

guint64
rv_worker_probe (RvWorker *self, const RvProbeConfig *config)
{
  return queue_probe (self, config, NULL, FALSE);
}

guint64
rv_worker_probe_preview (RvWorker *self, const RvProbeConfig *config)
{
  return queue_probe (self, config, NULL, TRUE);
}

guint64
rv_worker_probe_weights (RvWorker *self, const RvProbeConfig *config, const char *path)
{
  return queue_probe (self, config, path, FALSE);
}

const RvDataset *
rv_worker_get_dataset (RvWorker *self)
{
  return self->data;
}

void
rv_worker_set_notify (RvWorker *self, RvWorkerNotify notify, gpointer user_data)
{
  g_mutex_lock (&self->notify_lock);
  self->notify = notify;
  self->notify_data = user_data;
  if (notify && g_async_queue_length (self->events) > 0)
    notify (user_data);
  g_mutex_unlock (&self->notify_lock);
}

RvEvent *
rv_worker_pop_event (RvWorker *self)
{
  return g_async_queue_try_pop (self->events);
}

RvEvent *
rv_worker_wait_event (RvWorker *self, guint timeout_ms)
{
  return g_async_queue_timeout_pop (self->events, (guint64) timeout_ms * 1000);
}
