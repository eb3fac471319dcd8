/* rv-histogram-grid.h: one RvHistogramView per layer, side by side, wrapping
 * onto more rows when the window is narrow (a GtkFlowBox inside).
 *
 * The grid owns the display options and applies them to every panel:
 * show-kde, y-mode, log-y, color, and shared-x, which gives every panel the
 * same x range, [min lo, max hi] over all layers with data, kept up to date
 * as the histograms change, so that spreads compare at a glance.
 *
 * "heading" titles the exported image only (the page around the grid shows
 * its own title on screen). */
#pragma once

#include <gtk/gtk.h>

#include "rv-histogram-view.h"

G_BEGIN_DECLS

#define RV_TYPE_HISTOGRAM_GRID (rv_histogram_grid_get_type ())
G_DECLARE_FINAL_TYPE (RvHistogramGrid, rv_histogram_grid, RV, HISTOGRAM_GRID, GtkWidget)

GtkWidget *rv_histogram_grid_new (void);

/* Shows histograms (a GPtrArray of RvHistogram, in layer order; NULL or
 * empty clears).  The grid keeps references, not the array.  With as many
 * histograms as before, the existing panels are kept and given the new
 * models, so a live update does not flicker. */
void rv_histogram_grid_set_histograms (RvHistogramGrid *self, GPtrArray *histograms);

/* Draws histograms[i] (a GPtrArray of RvHistogram, or NULL: none) over
 * panel i as its B (rv_histogram_view_set_compare), for the panels there
 * are; kept for the panels set_histograms makes from now on.  A shared x
 * range covers B's values too.  The grid keeps references. */
void rv_histogram_grid_set_compare       (RvHistogramGrid *self, GPtrArray *histograms);
/* B's colour on every panel (nullable: the view's default). */
void rv_histogram_grid_set_compare_color (RvHistogramGrid *self, const GdkRGBA *color);

guint            rv_histogram_grid_get_n_views (RvHistogramGrid *self);
/* Panel i (owned by the grid), or NULL past the end. */
RvHistogramView *rv_histogram_grid_get_view    (RvHistogramGrid *self, guint i);

/* Properties, applied to every panel: "show-kde", "y-mode", "log-y",
 * "shared-x", "color" (nullable GdkRGBA) and "heading" (nullable). */
void             rv_histogram_grid_set_show_kde (RvHistogramGrid *self, gboolean show_kde);
gboolean         rv_histogram_grid_get_show_kde (RvHistogramGrid *self);
void             rv_histogram_grid_set_y_mode   (RvHistogramGrid *self, RvHistogramYMode mode);
RvHistogramYMode rv_histogram_grid_get_y_mode   (RvHistogramGrid *self);
void             rv_histogram_grid_set_log_y    (RvHistogramGrid *self, gboolean log_y);
gboolean         rv_histogram_grid_get_log_y    (RvHistogramGrid *self);
void             rv_histogram_grid_set_shared_x (RvHistogramGrid *self, gboolean shared_x);
gboolean         rv_histogram_grid_get_shared_x (RvHistogramGrid *self);
void             rv_histogram_grid_set_color    (RvHistogramGrid *self, const GdkRGBA *color);
void             rv_histogram_grid_set_heading  (RvHistogramGrid *self, const char *heading);
const char      *rv_histogram_grid_get_heading  (RvHistogramGrid *self);

/* Draws every panel into one width × height image: the heading on top,
 * then the panels in one row, or in as few rows as keep each panel at
 * least 200 px wide.  Opaque background; fits RvPlotDrawFunc. */
void rv_histogram_grid_draw (RvHistogramGrid *self, cairo_t *cr, int width, int height);

/* A good size for rv_histogram_grid_draw: all panels in one row. */
void rv_histogram_grid_get_export_size (RvHistogramGrid *self, int *width, int *height);

G_END_DECLS
