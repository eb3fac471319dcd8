/* rv-stability.h: which (learning rate, β) pairs converge on a surface.
 *
 * A grid of runs of one optimizer from one start, as Distill's "Why
 * Momentum Really Works" draws it: n_lr learning rates evenly spaced in
 * log10 from lr_log_min to lr_log_max, times n_beta values of one decay
 * hyper-parameter (param: "momentum", "beta1" or "beta2") evenly from
 * beta_min to beta_max.  A kind without such a parameter gets param NULL
 * and n_beta 1: a single row over the learning rate.  Each cell is
 * rv_trajectory_run of n_steps points with the cell's lr and β and the
 * rest of base, and holds the loss at its last point, or NAN where the run
 * diverged. */
#pragma once

#include <glib.h>

#include "rv-optim.h"
#include "rv-surface.h"

G_BEGIN_DECLS

typedef struct {
  const char *param;          /* NULL: no β axis */
  double lr_log_min, lr_log_max;
  guint n_lr;                 /* >= 2 */
  double beta_min, beta_max;  /* in [0, 1) */
  guint n_beta;               /* >= 2, or 1 without param */
  guint n_steps;              /* >= 1 */
} RvStabilityGrid;

/* The cell's lr (column i: 10^(lr_log_min + i step), to three significant
 * digits) and β (row j, base's value without param). */
double rv_stability_lr (const RvStabilityGrid *grid, guint i);
double rv_stability_beta (const RvStabilityGrid *grid, const RvOptimConfig *base, guint j);
/* base with cell (i, j)'s lr and β. */
void rv_stability_config (const RvStabilityGrid *grid, const RvOptimConfig *base, guint i, guint j,
                          RvOptimConfig *out);

/* Fills loss[j * n_lr + i] for every cell.  FALSE with RV_ERROR_ARGUMENT
 * when the grid is malformed (sizes, a param base's kind does not read, a
 * range outside the parameter's), base does not validate or the start is
 * not finite; loss is left as it was then. */
gboolean rv_stability_map (const RvSurface *surface, const RvOptimConfig *base, const RvStabilityGrid *grid,
                           double start_w1, double start_w2, double *loss, GError **error);

G_END_DECLS
