/* rv-stability-view.h: a grid of runs coloured by where they ended.
 *
 * One cell per (learning rate, β) run of rv-stability.h: the learning rate
 * across on a logarithmic axis, β up (no β axis, one row, for a kind
 * without one).  A cell is the viridis colour of its loss after the run,
 * on a logarithmic scale from the lowest loss to the loss at the start
 * (ending worse than it started: the top colour); a diverged cell is dark
 * with a red cross.  Clicking a cell emits "cell-activated" (guint i,
 * guint j): column i, row j. */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"

G_BEGIN_DECLS

#define RV_TYPE_STABILITY_VIEW (rv_stability_view_get_type ())
G_DECLARE_FINAL_TYPE (RvStabilityView, rv_stability_view, RV, STABILITY_VIEW, RvChart)

GtkWidget *rv_stability_view_new (void);

/* Shows loss[j * n_lr + i] (NAN: diverged) for lrs 10^lr_log_min ...
 * 10^lr_log_max and βs beta_min ... beta_max (beta_label NULL and n_beta
 * 1: no β axis); start_loss tops the colour scale.  n_lr 0 clears it. */
void rv_stability_view_set_grid (RvStabilityView *self, const double *loss, guint n_lr, guint n_beta,
                                 double lr_log_min, double lr_log_max, double beta_min, double beta_max,
                                 double start_loss, const char *beta_label);
/* The cell under widget point (x, y), in the layout of the widget's size
 * (or of the last draw before it has one); FALSE outside the cells. */
gboolean rv_stability_view_cell_at (RvStabilityView *self, double x, double y, guint *i, guint *j);
/* The centre of cell (i, j) in the same layout; FALSE without it. */
gboolean rv_stability_view_get_cell_center (RvStabilityView *self, guint i, guint j, double *x, double *y);

G_END_DECLS
