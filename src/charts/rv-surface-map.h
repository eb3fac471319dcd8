/* rv-surface-map.h: a loss surface seen from above, with optimizer paths.
 *
 * A viridis heat map of an RvSurfaceModel's grid with contour lines, a
 * colour bar ("loss") and w1/w2 axes, one scale on both; each run drawn as
 * a path with a dot per revealed step and a ring on its current point (a
 * cross where it diverged), the start as a white disc; a legend of the
 * runs.  The tooltip tells w1, w2, the loss and the gradient under the
 * pointer.  Dragging the start marker emits "start-dragged" (w1, w2) so the
 * page can restart its runs from there; dragging elsewhere pans the map,
 * the scroll wheel zooms it around the pointer.
 *
 * The view (what range of w is shown) is the map's own: fitted to every
 * point of every run (the whole race, whatever is revealed) or, with
 * "fit-runs" off, the model's range; it follows the runs until zoomed or
 * panned, and rv_surface_map_fit returns to it.  The surface is sampled
 * over the view at the model's grid size, and the colour scale spans the
 * loss seen there.
 *
 * Properties: "model", "log-color" (a logarithmic colour scale for
 * surfaces whose range spans decades, like Rosenbrock's), "show-contours"
 * (default on), "show-gradient-field" (arrows pointing downhill) and
 * "fit-runs" (default on).
 *
 * With "show-inspector" on, each run's optimizer state at its current point
 * (rv_surface_model_get_run_state) is drawn as arrows from that point: -g
 * (downhill), -m for the momentum kinds, -m-hat and sqrt(v-hat) for Adam
 * (sqrt(s) for RMSprop and Adagrad), and the step it takes.  The vectors in
 * gradient units share one scale per run, the longest a fifth of the
 * plot's shorter side; the steps are drawn in w, times one power of ten
 * (>= 1) for every run so the longest reads (rv_surface_map_get_step_factor).
 * "inspector-run" (-1: none) labels that run's arrows.
 *
 * The heat map, the contours and the arrows are kept in an image and
 * redrawn only when the view, the options or the size change: an animation
 * frame only draws the paths on top. */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"
#include "rv-surface-model.h"

G_BEGIN_DECLS

#define RV_TYPE_SURFACE_MAP (rv_surface_map_get_type ())
G_DECLARE_FINAL_TYPE (RvSurfaceMap, rv_surface_map, RV, SURFACE_MAP, RvChart)

GtkWidget *rv_surface_map_new (RvSurfaceModel *model);

void rv_surface_map_set_log_color (RvSurfaceMap *self, gboolean log_color);
void rv_surface_map_set_show_contours (RvSurfaceMap *self, gboolean show);
void rv_surface_map_set_show_gradient_field (RvSurfaceMap *self, gboolean show);

typedef enum {
  RV_SURFACE_MAP_ARROW_GRADIENT,  /* -g */
  RV_SURFACE_MAP_ARROW_VELOCITY,  /* -m (momentum), -v (heavy-ball, nesterov) */
  RV_SURFACE_MAP_ARROW_M_HAT,     /* -m-hat (adam) */
  RV_SURFACE_MAP_ARROW_SQRT_V,    /* sqrt(v-hat) (adam), sqrt(s) (rmsprop, adagrad) */
  RV_SURFACE_MAP_ARROW_STEP,      /* the update: to the next point */
  RV_SURFACE_MAP_N_ARROW_KINDS
} RvSurfaceMapArrowKind;

typedef struct {
  RvSurfaceMapArrowKind kind;
  double w1, w2;  /* the tail: the run's current point */
  double d1, d2;  /* the vector, in its own units (w for the step) */
  double scale;   /* its length on screen: pixels per unit of it */
} RvSurfaceMapArrow;

void rv_surface_map_set_show_inspector (RvSurfaceMap *self, gboolean show);
gboolean rv_surface_map_get_show_inspector (RvSurfaceMap *self);
void rv_surface_map_set_inspector_run (RvSurfaceMap *self, int run);
/* The arrows drawn for run now, at most RV_SURFACE_MAP_N_ARROW_KINDS into
 * arrows; 0 with the inspector off, before the run's first point is
 * revealed, after its divergence or without states (in the layout of
 * rv_surface_map_w_to_widget). */
guint rv_surface_map_get_inspector_arrows (RvSurfaceMap *self, guint run, RvSurfaceMapArrow *arrows);
/* The power of ten the steps are drawn magnified by (1 without arrows). */
double rv_surface_map_get_step_factor (RvSurfaceMap *self);

/* Property "fit-runs": the view fits the runs (TRUE) or shows the model's
 * range.  Setting it fits the view anew. */
void rv_surface_map_set_fit_runs (RvSurfaceMap *self, gboolean fit_runs);
gboolean rv_surface_map_get_fit_runs (RvSurfaceMap *self);
/* Undoes zooming and panning: the view fits again, and follows the runs. */
void rv_surface_map_fit (RvSurfaceMap *self);
/* Zooms by factor (> 1: closer) keeping the w under widget point (x, y)
 * there, as the scroll wheel does. */
void rv_surface_map_zoom_at (RvSurfaceMap *self, double x, double y, double factor);
/* Moves the map by (dx, dy) pixels, as dragging it does. */
void rv_surface_map_pan (RvSurfaceMap *self, double dx, double dy);
/* The view's range (the plot's corners). */
void rv_surface_map_get_view (RvSurfaceMap *self, double *w1_min, double *w1_max,
                              double *w2_min, double *w2_max);
/* Shows that range (a setup's view), as zooming and panning would: the view
 * stops following the runs.  With one scale on both axes the plot may show
 * more than asked along one axis, never less. */
void rv_surface_map_set_view (RvSurfaceMap *self, double w1_min, double w1_max, double w2_min, double w2_max);
/* TRUE while the view fits (not zoomed or panned since). */
gboolean rv_surface_map_get_view_fitted (RvSurfaceMap *self);

/* Draws the whole chart, background included, into cr at width x height
 * (for export: see rv-plot-export.h).  No hover box. */
void rv_surface_map_draw (RvSurfaceMap *self, cairo_t *cr, int width, int height);

/* Between widget coordinates and the parameters, in the layout of the
 * widget's size (or, before it has one, of the last rv_surface_map_draw).
 * FALSE when there is no surface or no room to draw it. */
gboolean rv_surface_map_widget_to_w (RvSurfaceMap *self, double x, double y,
                                     double *w1, double *w2);
gboolean rv_surface_map_w_to_widget (RvSurfaceMap *self, double w1, double w2,
                                     double *x, double *y);
/* The plot area (the heat map's rectangle) in the same layout. */
gboolean rv_surface_map_get_plot_area (RvSurfaceMap *self, graphene_rect_t *area);

G_END_DECLS
