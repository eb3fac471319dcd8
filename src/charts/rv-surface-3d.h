/* rv-surface-3d.h: a loss surface as a shaded 3-D mesh, with optimizer
 * paths lying on it.
 *
 * The RvSurfaceModel's grid as a viridis mesh (the colour follows the
 * height, and Lambert shading from a fixed light gives the slopes their
 * shape), inside a box with w1, w2 and loss axes, seen in mild perspective
 * from an azimuth and an elevation.  Dragging rotates it, scrolling zooms.
 * Runs are drawn as paths over the mesh (z = their loss), each revealed
 * point dotted and the current one ringed.
 *
 * Properties: "model", "log-color" (the height and colour on the shared
 * logarithmic scale), "azimuth" and "elevation" (degrees; the elevation in
 * [0, 90]) and "zoom" (1 fits the box and its labels; [0.4, 4]).  The
 * camera goes back to its default when the model's surface changes (a
 * new range, or new runs, keep it).
 *
 * Speed: the mesh's vertices, colours and shading are computed when the
 * grid changes; a frame projects the vertices, re-sorts the quads back to
 * front (a counting sort) only when the angles changed, and fills them as
 * plain 4-point paths without antialiasing (so neighbours meet with no
 * seams), and allocates nothing.  At rest the mesh is drawn once at twice
 * the resolution and filtered down (smooth outlines) into an image that
 * later frames reuse while only the runs change.
 */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"
#include "rv-surface-model.h"

G_BEGIN_DECLS

#define RV_TYPE_SURFACE_3D (rv_surface_3d_get_type ())
G_DECLARE_FINAL_TYPE (RvSurface3d, rv_surface_3d, RV, SURFACE_3D, RvChart)

GtkWidget *rv_surface_3d_new (RvSurfaceModel *model);

void rv_surface_3d_set_model (RvSurface3d *self, RvSurfaceModel *model);
void rv_surface_3d_set_log_color (RvSurface3d *self, gboolean log_color);
void rv_surface_3d_set_azimuth (RvSurface3d *self, double degrees);
double rv_surface_3d_get_azimuth (RvSurface3d *self);
void rv_surface_3d_set_elevation (RvSurface3d *self, double degrees);
double rv_surface_3d_get_elevation (RvSurface3d *self);
void rv_surface_3d_set_zoom (RvSurface3d *self, double zoom);
double rv_surface_3d_get_zoom (RvSurface3d *self);
/* Back to the default azimuth, elevation and zoom. */
void rv_surface_3d_reset_camera (RvSurface3d *self);

/* The boxes of the text (tick labels, axis names, the loss title) the last
 * drawing placed, in its coordinates: graphene_rect_t.  For tests. */
GArray *rv_surface_3d_get_label_rects (RvSurface3d *self);

/* Draws the whole view, background included, into cr at width x height
 * (rv_chart_draw). */
void rv_surface_3d_draw (RvSurface3d *self, cairo_t *cr, int width, int height);

/* Draws frames frames into a width x height image as during a drag,
 * turning the azimuth a full circle over them (so every frame re-sorts the
 * mesh), and returns the mean milliseconds per frame.  The view's angles
 * are left as they were.  For benchmarks: never assert on the result. */
double rv_surface_3d_benchmark (RvSurface3d *self, int width, int height, int frames);

G_END_DECLS
