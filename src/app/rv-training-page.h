/* rv-training-page.h: the Training page, the tutorial's second half: train
 * and compare optimizers live, with each layer's distributions evolving as
 * the network learns. */
#pragma once

#include <adwaita.h>

#include "rv-curve-view.h"
#include "rv-histogram-grid.h"
#include "rv-reflow-box.h"
#include "rv-setup.h"
#include "rv-train-session.h"

G_BEGIN_DECLS

#define RV_TYPE_TRAINING_PAGE (rv_training_page_get_type ())
G_DECLARE_FINAL_TYPE (RvTrainingPage, rv_training_page, RV, TRAINING_PAGE, AdwBin)

/* The data to train on (owned by the caller, who keeps it until
 * rv_training_page_shutdown), and where runs are saved and reused.  Called
 * again with new data, runs added later use the new data. */
void rv_training_page_set_data (RvTrainingPage *self, const RvDataset *data, const char *save_dir);
/* Where runs added from now on train: "auto", "cpu" or "cuda".  Where the
 * GPU is asked for but cannot be used, the CPU is, and the page says why. */
void rv_training_page_set_device (RvTrainingPage *self, const char *device);

/* Cancels the runs and waits for their threads. */
void rv_training_page_shutdown (RvTrainingPage *self);

/* Adds a run (as the Add Run button does with the form's settings). */
guint rv_training_page_add_run (RvTrainingPage *self, const char *name, const RvTrainConfig *cfg, gboolean retrain);
/* The tutorial's three runs: SGD, momentum and Adam, 40 epochs each. */
void rv_training_page_add_tutorial_runs (RvTrainingPage *self);
/* The same three optimizers on 20,000 images for 25 epochs: a live demo of
 * about a minute on two cores. */
void rv_training_page_add_quick_runs (RvTrainingPage *self);
/* Shows a saved run's curves (path: its .config file, or its .safetensors).
 * A weights file that is no saved run (any MLP checkpoint, rv-mlp-weights.h)
 * becomes a finished row with no curves or history, its status naming the
 * network; a malformed one is an error naming the tensor. */
gboolean rv_training_page_open_run (RvTrainingPage *self, const char *path, GError **error);

/* Runs are named by their place in the list, from 0; removing one moves
 * those after it up.  Run i's curves are the series at its place: i of the
 * loss chart, 2i (training) and 2i + 1 (validation) of the accuracy chart.
 * The list itself: RvRun items, the model the runs list and the comparison
 * table show. */
guint rv_training_page_get_n_runs (RvTrainingPage *self);
GListModel *rv_training_page_get_runs (RvTrainingPage *self);
/* Whether a run of this name is on the page and has not failed or been cancelled. */
gboolean rv_training_page_has_run (RvTrainingPage *self, const char *name);
RvRunState rv_training_page_get_run_state (RvTrainingPage *self, guint run);
/* The run's status line ("epoch 3/40 · 12,000 images/s · 1 min left", "diverged at step 37"). */
const char *rv_training_page_get_run_status (RvTrainingPage *self, guint run);
double rv_training_page_get_test_acc (RvTrainingPage *self, guint run);
/* Picks the run whose layers are shown. */
void rv_training_page_watch (RvTrainingPage *self, guint run);
guint rv_training_page_get_n_snapshots (RvTrainingPage *self);
/* Snapshots of the watched run every k steps; 0 (the default) about twice a second. */
void rv_training_page_set_snapshot_every (RvTrainingPage *self, guint k);
void rv_training_page_set_paused (RvTrainingPage *self, guint run, gboolean paused);
void rv_training_page_cancel (RvTrainingPage *self, guint run);
/* Trains a cancelled, diverged or failed run again from its start. */
gboolean rv_training_page_restart (RvTrainingPage *self, guint run);
/* Leaves a run out of the charts (its data kept), or takes it off the page
 * (a live one is cancelled, its last events dropped): the runs after it
 * move up one place, their curves with them. */
void     rv_training_page_set_hidden (RvTrainingPage *self, guint run, gboolean hidden);
gboolean rv_training_page_get_hidden (RvTrainingPage *self, guint run);
void     rv_training_page_remove (RvTrainingPage *self, guint run);

/* Shows run's layers beside the watched run's, at the same step
 * (G_MAXUINT: none). */
void rv_training_page_compare (RvTrainingPage *self, guint run);
/* The run's recorded layer history (NULL when it has none) and, then, why. */
const RvHistory *rv_training_page_get_history (RvTrainingPage *self, guint run);
const char *rv_training_page_get_history_note (RvTrainingPage *self, guint run);
GtkLabel *rv_training_page_get_watched_label (RvTrainingPage *self);
/* The replay: the scrubber (its value is a step), its play button, the
 * "Compare with" list, the ridgelines and the norm chart. */
GtkRange *rv_training_page_get_scrubber (RvTrainingPage *self);
GtkButton *rv_training_page_get_play_button (RvTrainingPage *self);
gboolean rv_training_page_is_replaying (RvTrainingPage *self);
GtkDropDown *rv_training_page_get_compare_list (RvTrainingPage *self);
RvReflowBox *rv_training_page_get_ridges (RvTrainingPage *self);
RvCurveView *rv_training_page_get_norm_view (RvTrainingPage *self);
/* The sharpness chart (hidden while no listed run has sharpness): per run
 * its λ against step, and for SGD-type optimizers a dashed line at their
 * stability limit (rv_optim_stability_threshold). */
RvCurveView *rv_training_page_get_sharpness_view (RvTrainingPage *self);
/* "Track sharpness": runs added while it is on measure it (about 20 times
 * a run, RV_TRAIN_SESSION_SHARPNESS_AUTO). */
GtkCheckButton *rv_training_page_get_track_sharpness (RvTrainingPage *self);

RvCurveView *rv_training_page_get_loss_view (RvTrainingPage *self);
/* The loss chart's "Log scale" check button. */
GtkCheckButton *rv_training_page_get_loss_log (RvTrainingPage *self);
/* "Wall clock": the loss over seconds trained (pauses left out) instead of steps. */
GtkCheckButton *rv_training_page_get_loss_time (RvTrainingPage *self);
RvCurveView *rv_training_page_get_ratio_view (RvTrainingPage *self);
RvCurveView *rv_training_page_get_accuracy_view (RvTrainingPage *self);
RvHistogramGrid *rv_training_page_get_grid (RvTrainingPage *self);
/* The controls' flap: folded over the charts when the page is narrow. */
AdwFlap *rv_training_page_get_flap (RvTrainingPage *self);
/* The comparison table; its model's items are the runs (RvRun), its
 * cells rv_run_dup_cell's. */
GtkColumnView *rv_training_page_get_comparison (RvTrainingPage *self);
/* Replaces a run's status line until the run reports again (tests show
 * long ones with it). */
void rv_training_page_set_run_status (RvTrainingPage *self, guint run, const char *status);

/* Setups (rv-setup.h): the runs listed (not removed; a bare weights file
 * has no configuration and is left out), the watched one and the loss
 * chart's options.  Applying adds the runs the page lacks (a saved run
 * opens, the others train) and keeps the rest; FALSE before the data set
 * has loaded. */
void rv_training_page_get_setup (RvTrainingPage *self, RvSetupTraining *out);
gboolean rv_training_page_apply_setup (RvTrainingPage *self, const RvSetupTraining *setup, GError **error);

G_END_DECLS
