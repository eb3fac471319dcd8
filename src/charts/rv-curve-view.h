/* rv-curve-view.h: a line chart of an RvCurveSet (an RvChart): several
 * series, axes with ticks and titles, a legend (RvChart's: beside the plot
 * when there is room, else in the spot inside that hides no data, the y
 * range making room above the data when no spot is free), and a hover
 * read-out (a vertical guide at the nearest point and a label with its
 * series, x and y).
 *
 * Axes are linear or log10, each covering the data that can be drawn (y
 * with a 5% margin).  With
 * category labels (set_x_labels), x = i is labelled labels[i] and the x
 * axis spans the labels, e.g. "Layer 0", "Layer 2", … for variance across
 * depth; log-x is then ignored.
 *
 * Points that cannot be drawn — NaN, infinities, and values <= 0 on a log
 * axis — are skipped and leave a gap in the line.  Drawing is O(points):
 * a series with many more points than the plot has pixel columns is drawn
 * through each column's first, lowest, highest and last point.  Series
 * with few points get a marker at each point.
 *
 * Colours: a series' own colour, or palette colour number <series index>
 * in the light or dark variant (rv-plot.h); text and axes take the
 * widget's CSS colour. */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"
#include "rv-curve-set.h"

G_BEGIN_DECLS

#define RV_TYPE_CURVE_VIEW (rv_curve_view_get_type ())
G_DECLARE_FINAL_TYPE (RvCurveView, rv_curve_view, RV, CURVE_VIEW, RvChart)

GtkWidget *rv_curve_view_new (RvCurveSet *model);

/* The base's property "model" (an RvCurveSet, nullable; set it with
 * rv_chart_set_model). */
RvCurveSet *rv_curve_view_get_model (RvCurveView *self);

/* The title above the plot (the base's property "title", also the
 * accessible label); properties "x-title" and "y-title" (axis titles);
 * NULL or "" for none. */
void        rv_curve_view_set_title   (RvCurveView *self, const char *title);
void        rv_curve_view_set_x_title (RvCurveView *self, const char *title);
void        rv_curve_view_set_y_title (RvCurveView *self, const char *title);

/* Properties "log-x" and "log-y" (default FALSE). */
void     rv_curve_view_set_log_x (RvCurveView *self, gboolean log_x);
void     rv_curve_view_set_log_y (RvCurveView *self, gboolean log_y);
gboolean rv_curve_view_get_log_y (RvCurveView *self);

/* Property "show-legend" (default TRUE); series with an empty name are
 * left out of the legend. */
void     rv_curve_view_set_show_legend (RvCurveView *self, gboolean show_legend);

/* Property "x-integer" (default FALSE): x ticks only on whole numbers
 * (steps, epochs): a step of at least 1, the 1-2-5 multiples above. */
void     rv_curve_view_set_x_integer (RvCurveView *self, gboolean x_integer);
gboolean rv_curve_view_get_x_integer (RvCurveView *self);

/* A reference band: a faint stripe across the plot from y = lo to hi,
 * under the series, in the palette's green, with label in small text at
 * its top left (a healthy range: "healthy ≈ 1e-3"); the y axis always
 * shows it.  label NULL removes it ("" keeps the band without a label). */
void rv_curve_view_set_band (RvCurveView *self, double lo, double hi, const char *label);
/* A vertical line at x (a replay's current step), or none for NaN; the x
 * range is not widened for it. */
void   rv_curve_view_set_marker (RvCurveView *self, double x);
double rv_curve_view_get_marker (RvCurveView *self);

/* Category labels for x = 0, 1, 2, … (NULL-terminated, copied); NULL
 * goes back to a numeric x axis. */
void rv_curve_view_set_x_labels (RvCurveView *self, const char *const *labels);

/* Fixed axis ranges: a finite lo < hi (both > 0 on a log axis) fixes it,
 * anything else (NAN, NAN) goes back to fitting the data. */
void rv_curve_view_set_x_range (RvCurveView *self, double lo, double hi);
void rv_curve_view_set_y_range (RvCurveView *self, double lo, double hi);

/* The colour series is drawn with in the current style. */
void rv_curve_view_get_series_color (RvCurveView *self, guint series, GdkRGBA *color);

/* rv_chart_draw: the chart into cr at width × height, on an opaque
 * background in the style's view colour and without the hover read-out.
 * Fits rv_plot_export's RvPlotDrawFunc (pass the view as data). */
void rv_curve_view_draw (RvCurveView *self, cairo_t *cr, int width, int height);

/* Where the plot goes in a width × height drawing; FALSE if no room. */
gboolean rv_curve_view_get_plot_area (RvCurveView *self, int width, int height,
                                      graphene_rect_t *area);

/* The x or y axis (its scale, in pixels too, and its ticks) at a
 * width × height drawing; FALSE when there is no room for a plot. */
gboolean rv_curve_view_get_axis (RvCurveView *self, int width, int height, gboolean y_axis,
                                 RvPlotAxis *axis);

/* Widget coordinates of point index of series at a width × height drawing;
 * FALSE when that point is not drawn (skipped, or no plot). */
gboolean rv_curve_view_point_position (RvCurveView *self, int width, int height,
                                       guint series, guint index, double *x, double *y);

/* The drawn point nearest to widget coordinates (x, y) at the widget's
 * current size (distance in pixels); FALSE when (x, y) is outside the plot
 * or no point is drawn. */
gboolean rv_curve_view_nearest (RvCurveView *self, double x, double y,
                                guint *series, guint *index);

/* The hover read-out's text for a point: "Kaiming\nLayer 4: 1.02". */
char *rv_curve_view_describe_point (RvCurveView *self, guint series, guint index);

G_END_DECLS
