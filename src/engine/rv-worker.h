/* rv-worker.h: the worker thread that owns the experiment session.
 *
 * The UI thread never computes anything heavier than drawing: it pushes
 * commands, and drains events once per frame.  The worker never touches a
 * widget.  Only compact summaries cross over (bin counts, variances, KDE
 * curves), never raw tensors.  A burst of probe commands coalesces: the
 * worker computes only the latest, so a command that a newer one has
 * overtaken in the queue is dropped unrun. */
#pragma once

#include <glib.h>

#include "rv-probe.h"

G_BEGIN_DECLS

typedef enum {
  RV_EVENT_DATA_READY,    /* the data set is loaded: data_source, synthetic */
  RV_EVENT_PROBE_RESULT,  /* config, probe; weights for a loaded model */
  RV_EVENT_ERROR,         /* error, for the command with this serial */
} RvEventKind;

typedef struct {
  RvEventKind kind;
  guint64 serial;          /* the command this answers */
  /* RV_EVENT_DATA_READY */
  char *data_source;       /* the folder read, or NULL for the synthetic set */
  char *data_note;         /* why the synthetic set is used, if it is */
  gboolean synthetic;
  /* RV_EVENT_PROBE_RESULT: the stats and KDE curves of every layer */
  RvProbeConfig config;
  RvProbeResult probe;
  double seconds;          /* how long the probe took on the worker */
  gboolean preview;        /* from rv_worker_probe_preview(): a smaller batch, no KDE */
  /* RV_EVENT_PROBE_RESULT and RV_EVENT_ERROR of rv_worker_probe_weights():
   * the file, and the config its activation came from (or NULL) */
  char *weights;
  char *weights_config;
  /* RV_EVENT_ERROR */
  GError *error;
} RvEvent;

void rv_event_free (RvEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvEvent, rv_event_free)

typedef struct _RvWorker RvWorker;

/* Starts the thread; it loads the data from data_dir (NULL: the usual
 * places, falling back to the synthetic set) and then waits for commands. */
RvWorker *rv_worker_new (const char *data_dir);
/* Stops the thread (it finishes the command in hand) and frees everything. */
void rv_worker_free (RvWorker *worker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvWorker, rv_worker_free)

/* The data set, once the RV_EVENT_DATA_READY event has been taken; it lives
 * as long as the worker and is never changed, so any thread may read it. */
const RvDataset *rv_worker_get_dataset (RvWorker *worker);

/* Asks for a probe; returns the serial its result will carry. */
guint64 rv_worker_probe (RvWorker *worker, const RvProbeConfig *config);

/* A preview's batch: on the default network a preview of normal:σ takes
 * 16–30 ms on 2 cores against 100–150 ms for the full probe with KDE; the
 * weights' and gradients' figures, which do not shrink with the batch, are
 * most of it, so a smaller batch gains little (tests/core/bench-probe-preview.c). */
#define RV_WORKER_PREVIEW_BATCH 128

/* Asks for a preview of config while a control is dragged: the first
 * MIN (config->batch, RV_WORKER_PREVIEW_BATCH) images and no KDE; the
 * event's preview is TRUE and its config holds the batch probed. */
guint64 rv_worker_probe_preview (RvWorker *worker, const RvProbeConfig *config);
/* Asks for a probe of the model in a weights file (rv-mlp-weights.h), read
 * on the worker: config gives the batch, seed and bins, and the activation
 * when no config is beside the file; the result's config holds the file's
 * layers.  A file that does not load is an RV_EVENT_ERROR with weights set. */
guint64 rv_worker_probe_weights (RvWorker *worker, const RvProbeConfig *config, const char *path);

/* Called from the worker thread when an event arrives in an empty queue
 * (and at once, on the calling thread, if events wait already), so that the
 * UI drains the queue only when something is there; NULL stops it. */
typedef void (*RvWorkerNotify) (gpointer user_data);
void rv_worker_set_notify (RvWorker *worker, RvWorkerNotify notify, gpointer user_data);

/* The next event, or NULL when there is none (never blocks). */
RvEvent *rv_worker_pop_event (RvWorker *worker);

/* Blocks up to timeout_ms for the next event (for tests and tools). */
RvEvent *rv_worker_wait_event (RvWorker *worker, guint timeout_ms);

G_END_DECLS
