/* rv-histogram-view.h: one histogram panel: the model's title above, the
 * bars with x and y axes, "variance 1.03" below (and the model's note, such
 * as "dead: 12 % of units", on a line under it), an optional KDE overlay.
 *
 * A chart (RvChart): the base holds the model, whose title it takes as its
 * own, the pointer, tooltips, export (rv_chart_draw, rv_chart_export) and
 * where the bars and the KDE lie (rv_chart_collect_geometry).
 *
 * Values all equal, or too close for floats to tell apart, are drawn as
 * one bar on an axis around their value, labelled "all ≈ −8.14e-12"; a
 * histogram too narrow to see in a shared x range is widened to a few
 * pixels about its centre, so that every panel of a grid shows its data.
 *
 * Hovering a bar highlights it and shows its range and count in a tooltip
 * ("[0.12, 0.15): 1,234").  For assistive technologies the panel is an image
 * (GTK_ACCESSIBLE_ROLE_IMG) labelled with the title and described by a
 * one-line summary of the moments and range, kept in step with the model.
 *
 * A second histogram, B ("compare"), may be drawn over the bars as a step
 * outline, faintly filled, on the same axes: the x range covers both, and
 * B's heights are its density (density mode) or its density at A's scale
 * (count mode: × A's total × A's bin width, as the KDE is), since its bins
 * need not be A's.  The caption, summary and tooltip then give B's figures
 * too ("variance 1.03 · B: 0.52").
 *
 * Colour: by default the first palette colour (rv-plot.h) in the light or
 * dark variant that matches the style; "color" overrides it.  Text and axes
 * take the widget's CSS colour, so they follow light and dark. */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"
#include "rv-histogram.h"

G_BEGIN_DECLS

typedef enum
{
  RV_HISTOGRAM_Y_COUNT,    /* bar height = count */
  RV_HISTOGRAM_Y_DENSITY,  /* count / (total × bin width): bars integrate to 1 */
} RvHistogramYMode;

#define RV_TYPE_HISTOGRAM_Y_MODE (rv_histogram_y_mode_get_type ())
GType rv_histogram_y_mode_get_type (void);

#define RV_TYPE_HISTOGRAM_VIEW (rv_histogram_view_get_type ())
G_DECLARE_FINAL_TYPE (RvHistogramView, rv_histogram_view, RV, HISTOGRAM_VIEW, RvChart)

GtkWidget *rv_histogram_view_new (RvHistogram *model);

/* Property "model" (RvChart's, nullable): the view redraws on its
 * "changed", and takes its title (RvChart's "title"). */
void         rv_histogram_view_set_model (RvHistogramView *self, RvHistogram *model);
RvHistogram *rv_histogram_view_get_model (RvHistogramView *self);

/* Property "show-kde" (default FALSE): overlay the model's KDE curve, scaled
 * to the y mode (× total × bin width in count mode). */
void     rv_histogram_view_set_show_kde (RvHistogramView *self, gboolean show_kde);
gboolean rv_histogram_view_get_show_kde (RvHistogramView *self);

/* Property "y-mode" (default COUNT). */
void             rv_histogram_view_set_y_mode (RvHistogramView *self, RvHistogramYMode mode);
RvHistogramYMode rv_histogram_view_get_y_mode (RvHistogramView *self);

/* Property "log-y" (default FALSE): log10 y axis; bins with no count are
 * left empty, and the axis starts a decade below the smallest bar. */
void     rv_histogram_view_set_log_y (RvHistogramView *self, gboolean log_y);
gboolean rv_histogram_view_get_log_y (RvHistogramView *self);

/* The x axis range.  By default the data's own [lo, hi]; a finite lo < hi
 * overrides it (a grid shares one range across layers this way), anything
 * else (NAN, NAN) goes back to the default.  get returns whether an
 * override is set and the range shown now. */
void     rv_histogram_view_set_x_range (RvHistogramView *self, double lo, double hi);
gboolean rv_histogram_view_get_x_range (RvHistogramView *self, double *lo, double *hi);

/* Property "color" (nullable GdkRGBA): the bars' colour; NULL = automatic. */
void rv_histogram_view_set_color (RvHistogramView *self, const GdkRGBA *color);
/* The colour bars are drawn with now (the automatic one resolved). */
void rv_histogram_view_get_bar_color (RvHistogramView *self, GdkRGBA *color);

/* Property "compare" (nullable RvHistogram): B, drawn over the bars; the
 * view redraws on its "changed".  Its own title and note are not shown. */
void         rv_histogram_view_set_compare (RvHistogramView *self, RvHistogram *compare);
RvHistogram *rv_histogram_view_get_compare (RvHistogramView *self);

/* Property "compare-color" (nullable GdkRGBA): B's outline; NULL = the
 * palette's second colour.  get gives the colour drawn now. */
void rv_histogram_view_set_compare_color         (RvHistogramView *self, const GdkRGBA *color);
void rv_histogram_view_get_compare_outline_color (RvHistogramView *self, GdkRGBA *color);

/* B's bin under the widget coordinates (x, y), described as
 * rv_histogram_view_describe_bin does A's; NULL where B has none. */
char *rv_histogram_view_describe_compare_at (RvHistogramView *self, double x, double y);

/* Draws the panel into cr at width × height, on an opaque background in
 * the style's view colour and without hover effects: what exports need.
 * Fits rv_plot_export's RvPlotDrawFunc (pass the view as data). */
void rv_histogram_view_draw (RvHistogramView *self, cairo_t *cr, int width, int height);

/* Where the bars go in a width × height drawing (the same layout draw uses);
 * FALSE if there is no room for a plot. */
gboolean rv_histogram_view_get_plot_area (RvHistogramView *self, int width, int height,
                                          graphene_rect_t *area);

/* The bin under the widget coordinates (x, y) at the widget's current size,
 * or -1 outside the plot area or without data. */
int rv_histogram_view_bin_at (RvHistogramView *self, double x, double y);

/* "[0.12, 0.15): 1,234" (the last bin closed: "[4.2, 4.5]"), plus the
 * density in density mode; NULL for a bin that does not exist. */
char *rv_histogram_view_describe_bin (RvHistogramView *self, int bin);

/* Whether the data is degenerate: every value the same, or so close to
 * the others that floats cannot tell them apart (a spread of at most 64
 * float epsilons of their magnitude).  Such a histogram is drawn as one
 * bar on an axis around the value, labelled "all ≈ −8.14e-12"; that label,
 * or NULL for other data. */
gboolean rv_histogram_view_is_degenerate        (RvHistogramView *self);
char    *rv_histogram_view_dup_degenerate_label (RvHistogramView *self);

/* The x ticks of a width × height drawing (ticks: RV_PLOT_MAX_TICKS) and
 * their step, labelled rv_plot_format_tick (tick, step); 0 without a plot. */
guint rv_histogram_view_get_x_ticks (RvHistogramView *self, int width, int height,
                                     double *ticks, double *step);

/* The accessible description: "Layer 2 (512 → 256): variance 1.03, mean
 * 0.01, range −4.2 to 4.5", and "; " and the note when there is one. */
char *rv_histogram_view_dup_summary (RvHistogramView *self);

/* The text under the plot, as drawn: "variance 1.03", then "\n" and the
 * note when there is one. */
char *rv_histogram_view_dup_caption (RvHistogramView *self);

G_END_DECLS
