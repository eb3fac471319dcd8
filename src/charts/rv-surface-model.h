/* rv-surface-model.h: what the loss-surface views show.
 *
 * A passive model: a two-parameter surface sampled on an n x n grid over a
 * view range, and a list of runs (optimizer trajectories) drawn over it,
 * each revealed up to a common step count so the page can animate them.
 * Whoever computes the runs (the page's worker) stores them here; both the
 * heat map and the 3-D view draw from one model and redraw on its signals:
 *
 *   "changed"       the surface, its range or its grid changed
 *   "runs-changed"  runs were added, removed or changed, or the revealed
 *                   step count moved */
#pragma once

#include <gtk/gtk.h>

#include "rv-surface.h"
#include "rv-trajectory.h"

G_BEGIN_DECLS

#define RV_SURFACE_MODEL_DEFAULT_GRID 100

#define RV_TYPE_SURFACE_MODEL (rv_surface_model_get_type ())
G_DECLARE_FINAL_TYPE (RvSurfaceModel, rv_surface_model, RV, SURFACE_MODEL, GObject)

RvSurfaceModel *rv_surface_model_new (void);

/* Samples surface (a static RvSurface from rv_surface_lookup/list, one
 * from rv_surface_new_from_expr that its owner keeps until another is set,
 * or NULL for none) on a grid_n x grid_n grid (0 for the default, at least
 * 2) over the surface's own range.  The runs are kept. */
void rv_surface_model_set_surface (RvSurfaceModel *self, const RvSurface *surface, guint grid_n);
const RvSurface *rv_surface_model_get_surface (RvSurfaceModel *self);

/* The view range: the surface's own until set; setting it resamples the
 * grid over it.  An empty or non-finite range is refused. */
void rv_surface_model_set_range (RvSurfaceModel *self, double w1_min, double w1_max,
                                 double w2_min, double w2_max);
void rv_surface_model_get_range (RvSurfaceModel *self, double *w1_min, double *w1_max,
                                 double *w2_min, double *w2_max);
/* Back to the surface's own range. */
void rv_surface_model_reset_range (RvSurfaceModel *self);
/* The surface's own range widened to take in every point of every run (the
 * tutorial plots a run's whole path), plus margin (a fraction of the size)
 * on the sides that grew.  Points more than 20 ranges from the centre (a
 * run on its way to overflow) are left out. */
void rv_surface_model_fit_range_to_runs (RvSurfaceModel *self, double margin);

/* The grid (NULL and 0 without a surface): loss[j * n + i] at (w1[i], w2[j]),
 * as rv_surface_sample_grid lays it out. */
guint rv_surface_model_get_grid_n (RvSurfaceModel *self);
const double *rv_surface_model_get_grid (RvSurfaceModel *self);
const double *rv_surface_model_get_grid_w1 (RvSurfaceModel *self);
const double *rv_surface_model_get_grid_w2 (RvSurfaceModel *self);
/* The smallest and largest finite loss on the grid (0, 1 without one). */
void rv_surface_model_get_loss_range (RvSurfaceModel *self, double *min, double *max);
/* Grows by one with every "changed": views key their caches on it. */
guint rv_surface_model_get_serial (RvSurfaceModel *self);

/* The colour scale both views share: loss to [0, 1] across the grid's loss
 * range, linearly or, with log_scale, as log(1 + 1000 u) / log(1001) of
 * the linear u, which spreads three decades (Rosenbrock's valley) over the
 * map.  Clamped; NaN stays NaN.  denormalize is the inverse. */
double rv_surface_model_normalize (RvSurfaceModel *self, double loss, gboolean log_scale);
double rv_surface_model_denormalize (RvSurfaceModel *self, double t, gboolean log_scale);
/* The same scale over any loss range [lo, hi] (lo < hi): for a view that
 * samples the surface over a range of its own. */
double rv_surface_normalize_loss (double loss, double lo, double hi, gboolean log_scale);
double rv_surface_denormalize_loss (double t, double lo, double hi, gboolean log_scale);

/* Runs.  add_run returns the new run's index; color NULL picks the next
 * colour of a palette chosen to stand out on viridis. */
guint rv_surface_model_add_run (RvSurfaceModel *self, const char *name, const GdkRGBA *color);
void rv_surface_model_clear_runs (RvSurfaceModel *self);
guint rv_surface_model_get_n_runs (RvSurfaceModel *self);
void rv_surface_model_set_run_points (RvSurfaceModel *self, guint run,
                                      const RvTrajectoryPoint *points, guint n_points);
/* The points with the optimizer's state at each (rv_trajectory_run_with_state);
 * set_run_points and append_run_point leave a run without states. */
void rv_surface_model_set_run_trajectory (RvSurfaceModel *self, guint run,
                                          const RvTrajectoryPoint *points,
                                          const RvTrajectoryState *states, guint n_points);
/* The state at point index, or NULL when the run has none there. */
const RvTrajectoryState *rv_surface_model_get_run_state (RvSurfaceModel *self, guint run, guint index);
void rv_surface_model_append_run_point (RvSurfaceModel *self, guint run,
                                        const RvTrajectoryPoint *point);
/* message NULL clears the flag; otherwise the run is marked diverged after
 * its last point, with the message (e.g. the RV_ERROR_DIVERGED text). */
void rv_surface_model_set_run_diverged (RvSurfaceModel *self, guint run, const char *message);

void rv_surface_model_set_run_name (RvSurfaceModel *self, guint run, const char *name);
const char *rv_surface_model_get_run_name (RvSurfaceModel *self, guint run);
void rv_surface_model_get_run_color (RvSurfaceModel *self, guint run, GdkRGBA *color);
const RvTrajectoryPoint *rv_surface_model_get_run_points (RvSurfaceModel *self, guint run,
                                                          guint *n_points);
/* How many of the run's points are revealed: MIN (points, revealed). */
guint rv_surface_model_get_run_n_revealed (RvSurfaceModel *self, guint run);
/* Whether the run diverged; *message (may be NULL) gets its message. */
gboolean rv_surface_model_get_run_diverged (RvSurfaceModel *self, guint run,
                                            const char **message);

/* The number of points shown of every run (G_MAXUINT, the default: all).
 * The page steps it to animate the runs. */
void rv_surface_model_set_revealed (RvSurfaceModel *self, guint n_steps);
guint rv_surface_model_get_revealed (RvSurfaceModel *self);
/* Whether the run's diverged mark is due: it diverged and every one of its
 * points is revealed (the animation has reached the divergence). */
gboolean rv_surface_model_get_run_diverged_shown (RvSurfaceModel *self, guint run);

/* How the views name parameter axis (0: w1, 1: w2) of surface (may be
 * NULL): Pango markup ("w<sub>1</sub>") and plain text ("w₁"), or the
 * surface's own axis_names. */
char *rv_surface_axis_markup (const RvSurface *surface, int axis);
const char *rv_surface_axis_text (const RvSurface *surface, int axis);

/* The palette add_run draws from; index wraps. */
void rv_surface_model_palette_color (guint index, GdkRGBA *color);

G_END_DECLS
