/* rv-run.h: one run as the Training page's views see it: its name, colour
 * and optimizer, and what changes as it trains (state, status line,
 * progress, accuracies, hidden).  The page keeps them in a GListStore; the
 * runs list and the comparison table bind to it and follow the notify
 * signals, which fire only when a value really changes
 * (G_PARAM_EXPLICIT_NOTIFY).  The curves, history and configuration stay
 * with the page. */
#pragma once

#include <gdk/gdk.h>

#include "rv-train-session.h"

G_BEGIN_DECLS

/* The comparison table's columns, and the property each one shows. */
typedef enum {
  RV_RUN_COLUMN_NAME,             /* "name" */
  RV_RUN_COLUMN_OPTIMIZER,        /* "optimizer" */
  RV_RUN_COLUMN_BEST_VALIDATION,  /* "best-validation" */
  RV_RUN_COLUMN_TEST_ACCURACY,    /* "test-accuracy" */
  RV_RUN_COLUMN_STATUS,           /* "status" */
  RV_RUN_N_COLUMNS
} RvRunColumn;

#define RV_TYPE_RUN (rv_run_get_type ())
G_DECLARE_FINAL_TYPE (RvRun, rv_run, RV, RUN, GObject)

/* optimizer: "Adam, lr 0.001", or NULL for none (a bare weights file).
 * A new run is queued, with no status, progress or accuracies (NaN). */
RvRun *rv_run_new (const char *name, const char *optimizer, const GdkRGBA *color);

const char *rv_run_get_name (RvRun *self);
const char *rv_run_get_optimizer (RvRun *self);
const GdkRGBA *rv_run_get_color (RvRun *self);

RvRunState rv_run_get_state (RvRun *self);
void rv_run_set_state (RvRun *self, RvRunState state);
const char *rv_run_get_status (RvRun *self);
void rv_run_set_status (RvRun *self, const char *status);
/* The fraction of its steps trained, in [0, 1]. */
double rv_run_get_progress (RvRun *self);
void rv_run_set_progress (RvRun *self, double fraction);
/* The best validation accuracy of its epochs, NaN before the first. */
double rv_run_get_best_validation (RvRun *self);
void rv_run_set_best_validation (RvRun *self, double accuracy);
/* NaN until known. */
double rv_run_get_test_accuracy (RvRun *self);
void rv_run_set_test_accuracy (RvRun *self, double accuracy);
/* Left out of the charts (its data kept). */
gboolean rv_run_get_hidden (RvRun *self);
void rv_run_set_hidden (RvRun *self, gboolean hidden);
/* A bare weights file: no optimizer, curves or history. */
gboolean rv_run_get_weights_only (RvRun *self);
void rv_run_set_weights_only (RvRun *self, gboolean weights_only);
/* Its index in the training session, G_MAXUINT when it is not in one
 * (opened from disk).  The session's events name runs by it. */
guint rv_run_get_session_index (RvRun *self);
void rv_run_set_session_index (RvRun *self, guint index);

/* The text the comparison table shows in column ("–" where there is
 * nothing yet), and the name of the property it follows. */
char *rv_run_dup_cell (RvRun *self, RvRunColumn column);
const char *rv_run_column_property (RvRunColumn column);
/* An accuracy in [0, 1] as the page writes it: "89.05 %". */
char *rv_run_format_accuracy (double fraction);

G_END_DECLS
