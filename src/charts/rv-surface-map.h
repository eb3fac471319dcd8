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
