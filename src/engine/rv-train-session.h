/* rv-train-session.h: the training runs of the Training page, each on its
 * own worker thread (at most one per core; the rest wait their turn).
 *
 * Like the probe worker, runs talk to the UI only through events, drained
 * as they arrive, and only summaries cross over: losses, accuracies, every
 * run's layer history as it is recorded, and for the one run being watched,
 * per-layer snapshots every k steps.
 *
 * Every run keeps its parameter trajectory and saves it beside the run
 * (NAME_trajectory.safetensors, as `ravine-cli train` does), and a run
 * added with sharpness on measures the Hessian's top eigenvalue
 * (rv-train-geometry.h) at the start and every N steps, on the training
 * thread between steps; the points stream out as they are measured and
 * are saved in NAME_results.json.  A measurement takes seconds: it is kept
 * off the run's clock, a pause interrupts it (it is taken again once the
 * run resumes), a cancel drops it.
 *
 * A paused run gives its core to a waiting one; resumed, it waits for a free
 * core in turn.  A run that ended cancelled, diverged or failed can be
 * restarted. */
#pragma once

#include <glib.h>

#include "rv-run-files.h"
#include "rv-snapshot.h"
#include "rv-train.h"

G_BEGIN_DECLS

typedef enum {
  RV_RUN_QUEUED,
  RV_RUN_TRAINING,
  RV_RUN_PAUSED,
  RV_RUN_DONE,       /* trained and saved, or reused from disk */
  RV_RUN_DIVERGED,
  RV_RUN_CANCELLED,
  RV_RUN_FAILED,     /* e.g. the save failed */
} RvRunState;

typedef enum {
  RV_RUN_EVENT_STARTED,
  RV_RUN_EVENT_LOSSES,    /* losses[]: the step losses since the last event */
  RV_RUN_EVENT_EPOCH,     /* train_acc, val_acc */
  RV_RUN_EVENT_SNAPSHOT,  /* snapshot (only for the watched run) */
  RV_RUN_EVENT_HISTORY,   /* snapshot: the one the run's history just recorded (every run) */
  RV_RUN_EVENT_SHARPNESS, /* step, top_eigenvalue (NaN: diverged), total_steps */
  RV_RUN_EVENT_FINISHED,  /* results (test_acc, ...), reused or trained */
  RV_RUN_EVENT_FAILED,    /* state and error */
} RvRunEventKind;

typedef struct {
  RvRunEventKind kind;
  guint run;              /* index of the run in the session */
  uint64_t step, total_steps;
  uint32_t epoch, epochs;
  double elapsed_seconds;
  double images_per_second;
  GArray *losses;         /* float */
  double train_acc, val_acc;
  RvSnapshot snapshot;
  double top_eigenvalue;  /* SHARPNESS */
  RvTrainResults results; /* FINISHED: owned copies, with the history (NULL when there is none) */
  GError *history_error;  /* FINISHED: why a reused run's history could not be read */
  GError *trajectory_error; /* FINISHED: why a trained run's trajectory was not saved */
  gboolean reused;        /* FINISHED: loaded from disk, not trained */
  RvRunState state;       /* FAILED */
  GError *error;          /* FAILED, or FINISHED with a save error */
} RvRunEvent;

void rv_run_event_free (RvRunEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvRunEvent, rv_run_event_free)

typedef struct _RvTrainSession RvTrainSession;

/* Runs are saved in (and reused from) save_dir, as `ravine-cli train` does. */
RvTrainSession *rv_train_session_new (const RvDataset *data, const char *save_dir);
/* Runs added from now on train on backend (the CPU until this is called). */
void rv_train_session_set_backend (RvTrainSession *session, const RvBackend *backend);

/* Runs added from now on train on data; those added before keep theirs,
 * which must stay alive until the session is freed. */
void rv_train_session_set_data (RvTrainSession *session, const RvDataset *data);

/* Cancels every run, waits for the threads, frees everything. */
void rv_train_session_free (RvTrainSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvTrainSession, rv_train_session_free)

/* Runs added from now on measure their sharpness every `every` steps (0:
 * not at all, the default; RV_TRAIN_SESSION_SHARPNESS_AUTO: about
 * RV_TRAIN_SESSION_SHARPNESS_POINTS times a run) on the first
 * RV_TRAIN_SESSION_SHARPNESS_IMAGES images of the training file (all of a
 * smaller one).  About 20 points draw the curve's rise towards 2/η while
 * costing about 20 × 0.4 s on 512 images for the tutorial's network (2
 * cores), a small part of a run. */
#define RV_TRAIN_SESSION_SHARPNESS_AUTO G_MAXUINT
#define RV_TRAIN_SESSION_SHARPNESS_POINTS 20
#define RV_TRAIN_SESSION_SHARPNESS_IMAGES 512
void rv_train_session_set_sharpness_every (RvTrainSession *session, guint every);

/* Adds a run and starts it when a core is free; retrain ignores a saved run
 * of the same name.  Returns its index. */
guint rv_train_session_add (RvTrainSession *session, const char *name, const RvTrainConfig *cfg, gboolean retrain);
guint rv_train_session_get_n_runs (RvTrainSession *session);
RvRunState rv_train_session_get_state (RvTrainSession *session, guint run);

/* How many runs train at once (default: one per core); at least 1. */
void rv_train_session_set_max_active (RvTrainSession *session, guint max_active);

void rv_train_session_set_paused (RvTrainSession *session, guint run, gboolean paused);
void rv_train_session_cancel (RvTrainSession *session, guint run);
/* Trains a run that ended cancelled, diverged or failed again from its
 * start (ignoring any saved copy); FALSE for a run in any other state. */
gboolean rv_train_session_restart (RvTrainSession *session, guint run);

/* The run whose layers are snapshotted (G_MAXUINT: none): every `every`
 * steps, or with every == 0 about twice a second. */
void rv_train_session_watch (RvTrainSession *session, guint run, guint every);

/* Called from any thread when an event arrives in an empty queue, so that
 * the UI wakes only when there is something to show (e.g. it schedules an
 * idle that drains the queue); NULL stops it.  Also called, with urgent
 * TRUE, for every event that changes a run's state (started, finished,
 * failed) even when others wait in the queue: a UI that drains at a
 * measured pace shows those at once, not at its next turn. */
typedef void (*RvTrainSessionNotify) (gpointer user_data, gboolean urgent);
void rv_train_session_set_notify (RvTrainSession *session, RvTrainSessionNotify notify, gpointer user_data);

/* The next event, or NULL (never blocks); one that blocks up to timeout_ms. */
RvRunEvent *rv_train_session_pop_event (RvTrainSession *session);
RvRunEvent *rv_train_session_wait_event (RvTrainSession *session, guint timeout_ms);

G_END_DECLS
