/* rv-train-session.c: one thread per active run, a queue of events out. */
#include "rv-train-session.h"

#include <string.h>

#include "rv-error.h"
#include "rv-train-geometry.h"

#define SNAPSHOT_BINS 40
#define AUTO_SNAPSHOT_SECONDS 0.45  /* "something new at least twice a second" */
#define LOSS_FLUSH_SECONDS 0.5

typedef struct {
  RvTrainSession *session;
  guint index;
  char *name;
  RvTrainConfig cfg;
  const RvDataset *data;
  const RvBackend *backend;
  gboolean retrain;
  RvRunState state;        /* guarded by the session lock */
  RvTrainer *trainer;      /* while training; guarded by the session lock */
  GThread *thread;
  gboolean holds_core;     /* counted in active; guarded by the session lock */
  guint sharpness_every;   /* 0, N or RV_TRAIN_SESSION_SHARPNESS_AUTO */
  GCancellable *measure_cancel; /* stops a measurement on pause and cancel */

  /* training thread only */
  GArray *pending_losses;
  double last_flush;
  double last_snapshot;    /* seconds into the run */
  gboolean snapshot_next;  /* automatic cadence: the next step is snapshotted */
  guint history_sent;      /* history snapshots sent to the UI */
  RvTrainGeometry *geometry;
  double off_clock;        /* seconds spent measuring, kept off the run's clock */
} Run;

struct _RvTrainSession
{
  const RvDataset *data;
  const RvBackend *backend;
  char *save_dir;
  GMutex lock;
  GPtrArray *runs;          /* Run * */
  guint active, max_active;
  GAsyncQueue *events;      /* RvRunEvent * */
  gint watched;             /* atomic: the watched run, or -1 */
  gint watch_every;         /* atomic */
  gboolean closing;
  guint sharpness_every;    /* for runs added from now on; guarded by lock */
  RvTrainSessionNotify notify;  /* guarded by lock */
  gpointer notify_data;
};

void
rv_run_event_free (RvRunEvent *ev)
{
  if (ev == NULL)
    return;
  if (ev->losses)
    g_array_unref (ev->losses);
  rv_snapshot_clear (&ev->snapshot);
  rv_train_results_clear (&ev->results);
  g_clear_error (&ev->error);
  g_clear_error (&ev->history_error);
  g_clear_error (&ev->trajectory_error);
  g_free (ev);
}

static RvRunEvent *
new_event (Run *run, RvRunEventKind kind)
{
  RvRunEvent *ev = g_new0 (RvRunEvent, 1);
  ev->kind = kind;
  ev->run = run->index;
  return ev;
}

static void
push (Run *run, RvRunEvent *ev)
{
  RvTrainSession *s = run->session;
  /* read before the push: from then on the UI may take and free ev */
  const gboolean urgent = ev->kind == RV_RUN_EVENT_STARTED || ev->kind == RV_RUN_EVENT_FINISHED
                          || ev->kind == RV_RUN_EVENT_FAILED;
  g_async_queue_lock (s->events);
  g_async_queue_push_unlocked (s->events, ev);
  gboolean was_empty = g_async_queue_length_unlocked (s->events) == 1;
  g_async_queue_unlock (s->events);
  /* the UI drains until the queue is empty, so waking it on the first
   * event of a batch is enough, but for a change of state */
  if (!was_empty && !urgent)
    return;
  g_mutex_lock (&s->lock);
  RvTrainSessionNotify notify = s->notify;
  gpointer data = s->notify_data;
  g_mutex_unlock (&s->lock);
  if (notify)
    notify (data, urgent);
}

static void
copy_results (RvTrainResults *dst, const RvTrainResults *src)
{
  dst->test_acc = src->test_acc;
  dst->best_epoch = src->best_epoch;
  dst->val_scores = g_array_copy (src->val_scores);
  dst->train_scores = g_array_copy (src->train_scores);
  dst->train_losses = g_array_copy (src->train_losses);
  dst->history = src->history ? rv_history_copy (src->history) : NULL;
  dst->sharpness = src->sharpness ? g_array_copy (src->sharpness) : NULL;
}

/* Sends the snapshots the run's history recorded since the last call. */
static void
send_history (Run *run)
{
  const RvHistory *h = rv_trainer_get_results (run->trainer)->history;
  for (; h && run->history_sent < rv_history_get_n (h); run->history_sent++)
    {
      RvRunEvent *out = new_event (run, RV_RUN_EVENT_HISTORY);
      rv_snapshot_copy (&out->snapshot, rv_history_get (h, run->history_sent));
      out->step = out->snapshot.step;
      push (run, out);
    }
}

static void
flush_losses (Run *run, const RvTrainEvent *ev)
{
  if (run->pending_losses->len == 0)
    return;
  RvRunEvent *out = new_event (run, RV_RUN_EVENT_LOSSES);
  out->step = ev->step;
  out->total_steps = ev->total_steps;
  out->epoch = ev->epoch;
  out->epochs = ev->epochs;
  out->elapsed_seconds = ev->elapsed_seconds;
  out->images_per_second = ev->elapsed_seconds > 0 ? ev->step * run->cfg.batch_size / ev->elapsed_seconds : 0;
  out->losses = run->pending_losses;
  run->pending_losses = g_array_new (FALSE, FALSE, sizeof (float));
  run->last_flush = ev->elapsed_seconds;
  push (run, out);
}

/* Measures the sharpness at the trainer's current step, on the training
 * thread, and sends the point.  A pause stops the measurement between two
 * products and takes it again once the run resumes (so a paused run holds
 * no core); a cancel drops it.  Its time, waits included, is kept off the
 * run's clock. */
static void
measure_sharpness (Run *run, RvTrainer *trainer, uint64_t step, uint64_t total_steps)
{
  RvTrainSession *s = run->session;
  gint64 start = g_get_monotonic_time ();
  RvTrainSharpness point;
  gboolean measured = FALSE;
  for (;;)
    {
      /* a pause or cancel from now on stops the measurement; one before
       * is seen below */
      g_mutex_lock (&s->lock);
      g_cancellable_reset (run->measure_cancel);
      g_mutex_unlock (&s->lock);
      if (!rv_trainer_wait_while_paused (trainer))
        break;
      if (rv_trainer_get_paused (trainer))
        continue;
      g_autoptr (GError) error = NULL;
      /* a diverged measurement is a point too (NaN) */
      if (rv_train_geometry_measure (run->geometry, trainer, step, run->measure_cancel, &point, &error)
          || !g_error_matches (error, RV_ERROR, RV_ERROR_CANCELLED))
        {
          measured = TRUE;
          break;
        }
    }
  run->off_clock += (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (!measured)
    return;
  RvRunEvent *out = new_event (run, RV_RUN_EVENT_SHARPNESS);
  out->step = point.step;
  out->total_steps = total_steps;
  out->top_eigenvalue = point.top_eigenvalue;
  push (run, out);
}

/* On the training thread, after every step. */
static void
on_train_event (const RvTrainEvent *train_ev, gpointer user_data)
{
  Run *run = user_data;
  RvTrainSession *s = run->session;
  /* the run's clock without the measurements */
  RvTrainEvent adjusted = *train_ev;
  adjusted.elapsed_seconds -= run->off_clock;
  const RvTrainEvent *ev = &adjusted;

  rv_train_geometry_on_event (run->geometry, run->trainer, ev);
  if (ev->kind == RV_TRAIN_EVENT_EPOCH)
    {
      flush_losses (run, ev);
      RvRunEvent *out = new_event (run, RV_RUN_EVENT_EPOCH);
      out->epoch = ev->epoch;
      out->epochs = ev->epochs;
      out->step = ev->step;
      out->total_steps = ev->total_steps;
      out->train_acc = ev->train_acc;
      out->val_acc = ev->val_acc;
      out->elapsed_seconds = ev->elapsed_seconds;
      push (run, out);
      return;
    }

  float loss = (float) ev->loss;
  g_array_append_val (run->pending_losses, loss);
  send_history (run);
  if (rv_train_geometry_measures_step (run->geometry, ev->step))
    {
      /* the losses up to this step go out before the wait */
      flush_losses (run, ev);
      measure_sharpness (run, run->trainer, ev->step, ev->total_steps);
    }

  gboolean watched = g_atomic_int_get (&s->watched) == (gint) run->index;
  guint every = (guint) g_atomic_int_get (&s->watch_every);
  /* Which steps are snapshotted: every `every` steps, or with every == 0
   * about twice a second, whatever the speed.  The step before one keeps
   * its parameters, so the trainer can measure that step's update. */
  gboolean before_snapshot, snapshot;
  if (every > 0)
    {
      before_snapshot = (ev->step + 1) % every == 0;
      snapshot = ev->step % every == 0;
    }
  else
    {
      snapshot = run->snapshot_next;
      before_snapshot = !snapshot && ev->elapsed_seconds - run->last_snapshot >= AUTO_SNAPSHOT_SECONDS;
      run->snapshot_next = before_snapshot;
    }

  /* Each message to the UI costs a redraw: losses go out with a snapshot,
   * or on their own a few times a second. */
  if ((watched && snapshot) || ev->elapsed_seconds - run->last_flush > LOSS_FLUSH_SECONDS
      || ev->step == ev->total_steps)
    flush_losses (run, ev);
  if (!watched)
    return;
  /* the snapshot first: with every == 1 it uses the parameters kept one
   * step ago, before this step's are kept */
  if (snapshot)
    {
      RvRunEvent *out = new_event (run, RV_RUN_EVENT_SNAPSHOT);
      rv_trainer_snapshot_layers (run->trainer, SNAPSHOT_BINS, &out->snapshot);
      run->last_snapshot = ev->elapsed_seconds;
      push (run, out);
    }
  if (before_snapshot)
    rv_trainer_keep_params (run->trainer);
}

static void start_queued (RvTrainSession *s);

/* Runs training side by side share the cores: each GEMM gets cores / active
 * threads (OpenBLAS's pool is the process's), so two runs on two cores do
 * not run four spinning threads.  Call it holding the lock. */
static void
balance_threads (RvTrainSession *s)
{
  if (s->backend->host_memory)
    rv_backend_cpu_set_threads ((int) MAX (1u, (guint) g_get_num_processors () / MAX (1u, s->active)));
}

static void
set_state (Run *run, RvRunState state)
{
  g_mutex_lock (&run->session->lock);
  run->state = state;
  g_mutex_unlock (&run->session->lock);
}

static gboolean
try_reuse (Run *run)
{
  RvTrainSession *s = run->session;
  if (run->retrain || !rv_run_exists (s->save_dir, run->name))
    return FALSE;
  RvTrainConfig saved;
  RvRunEvent *out = new_event (run, RV_RUN_EVENT_FINISHED);
  if (!rv_run_load (s->save_dir, run->name, &saved, &out->results, NULL, &out->error))
    {
      /* an unreadable saved run is retrained, and the reason shown */
      rv_run_event_free (out);
      return FALSE;
    }
  out->reused = TRUE;
  /* a broken history file costs the history, not the run */
  (void) rv_run_load_history (s->save_dir, run->name, &out->results.history, &out->history_error);
  set_state (run, RV_RUN_DONE);
  push (run, out);
  return TRUE;
}

/* The trajectory from the start, and with sharpness on its first point. */
static gboolean
start_geometry (Run *run, RvTrainer *trainer, GError **error)
{
  run->off_clock = 0.0;
  (void) rv_train_geometry_keep_trajectory (run->geometry, trainer, NULL);
  if (run->sharpness_every == 0)
    return TRUE;
  uint64_t total = rv_trainer_get_total_steps (trainer);
  uint32_t every = run->sharpness_every == RV_TRAIN_SESSION_SHARPNESS_AUTO
                     ? rv_train_geometry_sharpness_every_for (total, RV_TRAIN_SESSION_SHARPNESS_POINTS)
                     : run->sharpness_every;
  uint32_t images = MIN (RV_TRAIN_SESSION_SHARPNESS_IMAGES, run->data->train_full->n);
  if (!rv_train_geometry_track_sharpness (run->geometry, &run->cfg, run->data, every, images, error))
    return FALSE;
  measure_sharpness (run, trainer, 0, total);
  return TRUE;
}

static gpointer
run_thread (gpointer data)
{
  Run *run = data;
  RvTrainSession *s = run->session;
  g_autoptr (GError) error = NULL;

  if (!try_reuse (run))
    {
      run->cfg.report_every = 1;
      RvTrainer *trainer = rv_trainer_new_for_backend (&run->cfg, run->data, run->backend, &error);
      run->geometry = rv_train_geometry_new ();
      if (trainer)
        {
          g_mutex_lock (&s->lock);
          run->trainer = trainer;
          if (run->state == RV_RUN_CANCELLED)
            rv_trainer_cancel (trainer);
          else if (!run->holds_core)
            rv_trainer_set_paused (trainer, TRUE); /* paused, or resumed and waiting for a core */
          else
            run->state = RV_RUN_TRAINING;
          g_mutex_unlock (&s->lock);
          push (run, new_event (run, RV_RUN_EVENT_STARTED));

          if (start_geometry (run, trainer, &error) && rv_trainer_run (trainer, on_train_event, run, &error))
            {
              RvRunEvent *out = new_event (run, RV_RUN_EVENT_FINISHED);
              copy_results (&out->results, rv_trainer_get_results (trainer));
              out->results.sharpness = rv_train_geometry_steal_sharpness (run->geometry);
              RvTrainResults saved = *rv_trainer_get_results (trainer);
              saved.sharpness = out->results.sharpness;
              /* a failed save keeps the previous files (they are written
               * atomically) and is reported with the results */
              RvNet *best = rv_trainer_get_best_net (trainer);
              if (rv_run_save (s->save_dir, run->name, &run->cfg, &saved, best, &out->error))
                (void) rv_train_geometry_save_trajectory (run->geometry, s->save_dir, run->name, best,
                                                          &out->trajectory_error);
              set_state (run, out->error ? RV_RUN_FAILED : RV_RUN_DONE);
              push (run, out);
            }
        }
      if (error)
        {
          RvRunEvent *out = new_event (run, RV_RUN_EVENT_FAILED);
          out->state = g_error_matches (error, RV_ERROR, RV_ERROR_DIVERGED) ? RV_RUN_DIVERGED
                       : g_error_matches (error, RV_ERROR, RV_ERROR_CANCELLED) ? RV_RUN_CANCELLED : RV_RUN_FAILED;
          out->error = g_steal_pointer (&error);
          set_state (run, out->state);
          push (run, out);
        }
      g_mutex_lock (&s->lock);
      run->trainer = NULL;
      g_mutex_unlock (&s->lock);
      rv_trainer_free (trainer);
      g_clear_pointer (&run->geometry, rv_train_geometry_free);
    }

  g_mutex_lock (&s->lock);
  if (run->holds_core)
    s->active--;
  run->holds_core = FALSE;
  balance_threads (s);
  g_mutex_unlock (&s->lock);
  start_queued (s);
  return NULL;
}

/* Gives free cores to waiting runs, in the order they were added: a
 * resumed run goes on where it paused, a queued one starts. */
static void
start_queued (RvTrainSession *s)
{
  g_mutex_lock (&s->lock);
  for (guint i = 0; i < s->runs->len && s->active < s->max_active && !s->closing; i++)
    {
      Run *run = g_ptr_array_index (s->runs, i);
      if (run->state != RV_RUN_QUEUED || run->holds_core)
        continue;
      s->active++;
      run->holds_core = TRUE;
      if (run->thread == NULL)
        run->thread = g_thread_new ("ravine-train", run_thread, run);
      else if (run->trainer)
        {
          rv_trainer_set_paused (run->trainer, FALSE);
          run->state = RV_RUN_TRAINING;
        }
    }
  balance_threads (s);
  g_mutex_unlock (&s->lock);
}

RvTrainSession *
rv_train_session_new (const RvDataset *data, const char *save_dir)
{
  RvTrainSession *s = g_new0 (RvTrainSession, 1);
  s->data = data;
  s->backend = rv_backend_cpu ();
  s->save_dir = g_strdup (save_dir);
  g_mutex_init (&s->lock);
  s->runs = g_ptr_array_new ();
  s->events = g_async_queue_new_full ((GDestroyNotify) rv_run_event_free);
  s->max_active = MAX (1, g_get_num_processors ());
  s->watched = -1;
  s->watch_every = 0;
  return s;
}

void
rv_train_session_free (RvTrainSession *s)
{
  if (s == NULL)
    return;
  g_mutex_lock (&s->lock);
  s->closing = TRUE;
  for (guint i = 0; i < s->runs->len; i++)
    {
      Run *run = g_ptr_array_index (s->runs, i);
      if (run->trainer)
        rv_trainer_cancel (run->trainer);
      g_cancellable_cancel (run->measure_cancel);
      if (run->state == RV_RUN_QUEUED || run->state == RV_RUN_PAUSED)
        run->state = RV_RUN_CANCELLED;
    }
  g_mutex_unlock (&s->lock);
  /* threads end quickly once cancelled; join them all (start_queued starts
   * nothing more while closing) */
  for (guint i = 0; i < s->runs->len; i++)
    {
      Run *run = g_ptr_array_index (s->runs, i);
      if (run->thread)
        g_thread_join (run->thread);
      g_free (run->name);
      g_array_unref (run->pending_losses);
      g_object_unref (run->measure_cancel);
      g_free (run);
    }
  g_ptr_array_unref (s->runs);
  g_async_queue_unref (s->events);
  g_mutex_clear (&s->lock);
  g_free (s->save_dir);
  g_free (s);
}

void
rv_train_session_set_backend (RvTrainSession *s, const RvBackend *backend)
{
  g_mutex_lock (&s->lock);
  s->backend = backend;
  g_mutex_unlock (&s->lock);
}

void
rv_train_session_set_sharpness_every (RvTrainSession *s, guint every)
{
  g_mutex_lock (&s->lock);
  s->sharpness_every = every;
  g_mutex_unlock (&s->lock);
}

void
rv_train_session_set_data (RvTrainSession *s, const RvDataset *data)
{
  g_mutex_lock (&s->lock);
  s->data = data;
  g_mutex_unlock (&s->lock);
}

guint
rv_train_session_add (RvTrainSession *s, const char *name, const RvTrainConfig *cfg, gboolean retrain)
{
  Run *run = g_new0 (Run, 1);
  run->session = s;
  run->name = g_strdup (name);
  run->cfg = *cfg;
  run->retrain = retrain;
  run->state = RV_RUN_QUEUED;
  run->data = s->data;
  run->backend = s->backend;
  run->pending_losses = g_array_new (FALSE, FALSE, sizeof (float));
  run->measure_cancel = g_cancellable_new ();
  g_mutex_lock (&s->lock);
  run->sharpness_every = s->sharpness_every;
  run->index = s->runs->len;
  g_ptr_array_add (s->runs, run);
  g_mutex_unlock (&s->lock);
  start_queued (s);
  return run->index;
}

guint
rv_train_session_get_n_runs (RvTrainSession *s)
{
  return s->runs->len;
}

RvRunState
rv_train_session_get_state (RvTrainSession *s, guint index)
{
  g_mutex_lock (&s->lock);
  Run *run = g_ptr_array_index (s->runs, index);
  RvRunState state = run->state;
  g_mutex_unlock (&s->lock);
  return state;
}

void
rv_train_session_set_max_active (RvTrainSession *s, guint max_active)
{
  g_mutex_lock (&s->lock);
  s->max_active = MAX (max_active, 1);
  g_mutex_unlock (&s->lock);
  start_queued (s);
}

void
rv_train_session_set_paused (RvTrainSession *s, guint index, gboolean paused)
{
  g_mutex_lock (&s->lock);
  Run *run = g_ptr_array_index (s->runs, index);
  if (paused && (run->state == RV_RUN_TRAINING || run->state == RV_RUN_QUEUED))
    {
      if (run->trainer)
        rv_trainer_set_paused (run->trainer, TRUE);
      /* a measurement under way stops, and is taken again on resuming */
      g_cancellable_cancel (run->measure_cancel);
      run->state = RV_RUN_PAUSED;
      /* the core goes to whoever waits for one */
      if (run->holds_core)
        s->active--;
      run->holds_core = FALSE;
      balance_threads (s);
    }
  else if (!paused && run->state == RV_RUN_PAUSED)
    run->state = RV_RUN_QUEUED; /* start_queued gives it a core when one is free */
  g_mutex_unlock (&s->lock);
  start_queued (s);
}

gboolean
rv_train_session_restart (RvTrainSession *s, guint index)
{
  g_mutex_lock (&s->lock);
  Run *run = g_ptr_array_index (s->runs, index);
  gboolean ended = run->state == RV_RUN_CANCELLED || run->state == RV_RUN_DIVERGED || run->state == RV_RUN_FAILED;
  GThread *old = ended && !s->closing ? g_steal_pointer (&run->thread) : NULL;
  g_mutex_unlock (&s->lock);
  if (!ended || s->closing)
    return FALSE;
  /* the old thread has pushed its last event; it may still be letting go
   * of its core */
  if (old)
    g_thread_join (old);
  g_mutex_lock (&s->lock);
  run->retrain = TRUE;
  run->state = RV_RUN_QUEUED;
  run->history_sent = 0;
  run->last_flush = run->last_snapshot = 0.0;
  run->snapshot_next = FALSE;
  g_array_set_size (run->pending_losses, 0);
  g_mutex_unlock (&s->lock);
  start_queued (s);
  return TRUE;
}

void
rv_train_session_cancel (RvTrainSession *s, guint index)
{
  g_mutex_lock (&s->lock);
  Run *run = g_ptr_array_index (s->runs, index);
  gboolean never_started = run->thread == NULL && (run->state == RV_RUN_QUEUED || run->state == RV_RUN_PAUSED);
  if (run->trainer)
    rv_trainer_cancel (run->trainer);
  g_cancellable_cancel (run->measure_cancel);
  if (run->trainer == NULL && (run->state == RV_RUN_QUEUED || run->state == RV_RUN_PAUSED))
    run->state = RV_RUN_CANCELLED;
  g_mutex_unlock (&s->lock);
  /* a run with no thread yet has nobody else to say it ended */
  if (never_started)
    {
      RvRunEvent *out = new_event (run, RV_RUN_EVENT_FAILED);
      out->state = RV_RUN_CANCELLED;
      out->error = g_error_new (RV_ERROR, RV_ERROR_CANCELLED, "cancelled before it started");
      push (run, out);
    }
}

void
rv_train_session_set_notify (RvTrainSession *s, RvTrainSessionNotify notify, gpointer user_data)
{
  g_mutex_lock (&s->lock);
  s->notify = notify;
  s->notify_data = user_data;
  g_mutex_unlock (&s->lock);
}

void
rv_train_session_watch (RvTrainSession *s, guint run, guint every)
{
  g_atomic_int_set (&s->watch_every, (gint) every);
  g_atomic_int_set (&s->watched, run == G_MAXUINT ? -1 : (gint) run);
}

RvRunEvent *
rv_train_session_pop_event (RvTrainSession *s)
{
  return g_async_queue_try_pop (s->events);
}

RvRunEvent *
rv_train_session_wait_event (RvTrainSession *s, guint timeout_ms)
{
  return g_async_queue_timeout_pop (s->events, (guint64) timeout_ms * 1000);
}
