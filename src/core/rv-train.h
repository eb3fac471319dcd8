/* rv-train.h: the tutorial's training loop.
 *
 * Epochs of shuffled batches with cross-entropy; per epoch the training
 * accuracy (from the training batches themselves, as the tutorial counts it)
 * and the validation accuracy; the best-validation parameters are kept and
 * the test accuracy is measured on them.  Progress goes out as events through
 * a callback, on the training thread.  A run can be cancelled, paused and
 * resumed between any two steps from any thread.
 *
 * The loop runs on any backend (rv-backend.h).  The network is initialized
 * in host memory, so a seed gives bit-identical initial weights on every
 * backend, then copied to the backend; the data set is copied to backend
 * memory once, and batches are gathered and normalized there.  On a device
 * the host waits for the device only once per report interval (reading back
 * the losses and correct counts of the steps since the last time) and once
 * per evaluation; on the CPU every step's result is read at once, as it
 * always was. */
#pragma once

#include <glib.h>

#include "rv-dataset.h"
#include "rv-history.h"
#include "rv-init.h"
#include "rv-net.h"
#include "rv-optim.h"
#include "rv-snapshot.h"

G_BEGIN_DECLS

typedef struct {
  RvNetConfig net;
  RvInit init;
  RvOptimConfig optim;
  uint32_t epochs;        /* default 40 */
  uint32_t batch_size;    /* default 256 */
  gboolean drop_last;     /* default TRUE, as the tutorial's training loader */
  uint64_t seed;          /* weights and batch order; default 42 */
  uint32_t report_every;  /* steps between step events; default 10 */
  uint32_t train_limit;   /* use only the first N training images (0 = all) */
  /* Steps between the layer snapshots kept in the results' history
   * (rv-history.h): 0 records none, RV_HISTORY_AUTO (the default) about
   * RV_HISTORY_TARGET whatever the run's length.  Not saved in the config:
   * the history file says how it was recorded. */
  uint32_t history_every;
} RvTrainConfig;

void rv_train_config_init_default (RvTrainConfig *cfg);

typedef enum {
  RV_TRAIN_EVENT_STEP,   /* every report_every steps: loss of the last step */
  RV_TRAIN_EVENT_EPOCH,  /* after each epoch: its accuracies */
} RvTrainEventKind;

typedef struct {
  RvTrainEventKind kind;
  uint32_t epoch;            /* 0-based */
  uint32_t epochs;
  uint64_t step;             /* steps done so far in the whole run */
  uint64_t total_steps;
  double loss;               /* the last step's mean batch loss */
  double train_acc, val_acc; /* EPOCH only */
  gboolean new_best;         /* EPOCH only: validation improved */
  double elapsed_seconds;    /* since the run started, not counting pauses */
} RvTrainEvent;

typedef void (*RvTrainCallback) (const RvTrainEvent *event, gpointer user_data);

typedef struct _RvTrainer RvTrainer;

/* Builds and initializes the network; the dataset must outlive the trainer.
 * Trains on the CPU backend. */
RvTrainer *rv_trainer_new (const RvTrainConfig *cfg, const RvDataset *data, GError **error);
/* The same on `backend` (rv-device.h chooses one); fails with
 * RV_ERROR_DEVICE when the backend cannot hold the network or the data. */
RvTrainer *rv_trainer_new_for_backend (const RvTrainConfig *cfg, const RvDataset *data,
                                       const RvBackend *backend, GError **error);
void rv_trainer_free (RvTrainer *trainer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvTrainer, rv_trainer_free)

/* Trains every epoch, then restores the best-validation parameters and
 * measures the test accuracy.  Fails with RV_ERROR_DIVERGED naming the epoch
 * and step where the loss became NaN or infinite, or with RV_ERROR_CANCELLED. */
gboolean rv_trainer_run (RvTrainer *trainer, RvTrainCallback callback, gpointer user_data, GError **error);

void rv_trainer_cancel (RvTrainer *trainer);
void rv_trainer_set_paused (RvTrainer *trainer, gboolean paused);
gboolean rv_trainer_get_paused (RvTrainer *trainer);
/* For a callback's own long work between steps (a sharpness measurement):
 * blocks while the trainer is paused; FALSE once it is cancelled.  The
 * time waited counts on the run's clock (the callback's does too). */
gboolean rv_trainer_wait_while_paused (RvTrainer *trainer);
/* Steps the run takes in all: steps per epoch × epochs. */
uint64_t rv_trainer_get_total_steps (RvTrainer *trainer);

/* Accuracy of the trainer's network on `count` images of `set` (all when indices is NULL). */
double rv_trainer_evaluate (RvTrainer *trainer, const RvImageSet *set, const uint32_t *indices, uint32_t count);

/* The best-validation network in host memory, for checkpoints and results
 * (what rv_run_save takes): valid once rv_trainer_run has succeeded.  The
 * network that trains is not handed out: it may live on a device, where its
 * host twin is stale; snapshots and parameters come through the functions
 * below, which download what they must. */
RvNet *rv_trainer_get_best_net (RvTrainer *trainer);
const RvBackend *rv_trainer_get_backend (RvTrainer *trainer);
const RvTrainConfig *rv_trainer_get_config (RvTrainer *trainer);

/* Moments and histogram of one tensor of Linear layer l of the training
 * network, computed where it lives (on the GPU: min and max, then binning,
 * there; only the counts come back).  Call it on the training thread between
 * steps, e.g. from the callback. */
void rv_trainer_layer_stats (RvTrainer *trainer, RvNetTensor tensor, uint32_t l, uint32_t n_bins,
                             RvStats *out);

/* The training network's current parameters, copied to host memory (a
 * download on a device); *n_params receives their count.  Free with g_free. */
float *rv_trainer_dup_params (RvTrainer *trainer, size_t *n_params);

/* Summarizes every layer of the training network as it is now
 * (rv-snapshot.h): its weights, the gradients and Linear outputs of the last
 * step, at the trainer's current step.  On a device it reads them back to
 * the host first.  The update ratios measure the last step when
 * rv_trainer_keep_params was called one step before, else they are NaN.
 * Call it on the training thread between steps, e.g. from the callback. */
void rv_trainer_snapshot_layers (RvTrainer *trainer, uint32_t n_bins, RvSnapshot *out);
/* Remembers the current parameters, so that a snapshot after the next step
 * can measure that step's update.  Training thread only, as above. */
void rv_trainer_keep_params (RvTrainer *trainer);

/* One sharpness measurement during training (`train --sharpness-every`). */
typedef struct {
  uint64_t step;          /* steps done when it was measured (0: the start) */
  double top_eigenvalue;  /* NaN when it could not be measured (diverged) */
} RvTrainSharpness;

/* What the tutorial's results file holds. */
typedef struct {
  double test_acc;
  GArray *val_scores;    /* double, one per epoch */
  GArray *train_scores;  /* double, one per epoch */
  GArray *train_losses;  /* float, one per step */
  uint32_t best_epoch;
  /* The layer history, or NULL when none was recorded or loaded.  It is
   * saved beside the results, as NAME_history.json (rv-run-files.h), and
   * freed by rv_train_results_clear. */
  RvHistory *history;
  /* RvTrainSharpness, or NULL when not measured (the trainer never fills
   * it; `ravine-cli train --sharpness-every` does). */
  GArray *sharpness;
} RvTrainResults;

/* Valid after rv_trainer_run succeeded; owned by the trainer. */
const RvTrainResults *rv_trainer_get_results (RvTrainer *trainer);

G_END_DECLS
