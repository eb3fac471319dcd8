/* rv-ridgeline-view.h: one tensor's distribution over training time as a
 * ridgeline (TensorBoard's histogram "offset" mode): every snapshot of an
 * RvHistogramHistory is a filled curve over its value range, resting on a
 * baseline placed by its step, the oldest at the top and faintest, the
 * snapshot taken as "now" at the bottom, in front.  The step axis is on
 * the right, the value axis with ticks underneath, the title above and
 * "Step 8,000 · variance 0.43" (of the current snapshot) below.
 *
 * Heights are normalized per slice (each slice's largest bin reaches the
 * same height), so shapes compare even as the counts or bin widths change.
 * Slices closer than a few pixels to the one in front of them are skipped,
 * so a long history stays readable; the current one is always drawn.
 *
 * Scrubbing: "current" is the index of the snapshot shown as now; later
 * snapshots are hidden and leave their place on the step axis empty (the
 * axis always spans the whole history, so nothing jumps while scrubbing).
 * With "follow" on, current moves to the newest snapshot as they arrive.
 * Across decimation the view keeps the step it showed, not the index.
 *
 * Value range ("range-mode"): RECENT spans the last "recent-count"
 * snapshots up to current, so the axis follows a distribution that shrinks
 * or grows (older, wider slices run off the sides); WHOLE spans every
 * snapshot up to current.  The plot adds a small margin on either side.
 *
 * A chart (RvChart): the base holds the model, whose title it takes as its
 * own, the pointer, the keyboard tooltip, export (rv_chart_draw,
 * rv_chart_export) and where the slices' outlines lie
 * (rv_chart_collect_geometry).  Step ticks are whole steps; value labels
 * stay inside the chart and clear of the step column.
 *
 * Hovering reads out the step and value under the pointer, with that
 * bin's count.  For assistive technologies the view is an image labelled
 * with the model's title and described by the current snapshot.
 *
 * Colour: the first palette colour (rv-plot.h) in the light or dark variant
 * by default; "color" overrides it.  Text and axes take the CSS colour.
 * Drawing costs O(slices × bins) and allocates nothing per slice. */
#pragma once

#include <gtk/gtk.h>

#include "rv-chart.h"
#include "rv-histogram-history.h"

G_BEGIN_DECLS

typedef enum
{
  RV_RIDGELINE_RANGE_RECENT,  /* the last recent-count snapshots up to current */
  RV_RIDGELINE_RANGE_WHOLE,   /* every snapshot up to current */
} RvRidgelineRangeMode;

#define RV_TYPE_RIDGELINE_RANGE_MODE (rv_ridgeline_range_mode_get_type ())
GType rv_ridgeline_range_mode_get_type (void);

#define RV_RIDGELINE_DEFAULT_RECENT_COUNT 20

#define RV_TYPE_RIDGELINE_VIEW (rv_ridgeline_view_get_type ())
G_DECLARE_FINAL_TYPE (RvRidgelineView, rv_ridgeline_view, RV, RIDGELINE_VIEW, RvChart)

GtkWidget *rv_ridgeline_view_new (RvHistogramHistory *model);

/* Property "model" (RvChart's, nullable): the view redraws on its
 * "changed", and takes its title (RvChart's "title"). */
void rv_ridgeline_view_set_model (RvRidgelineView *self, RvHistogramHistory *model);

/* Property "current": the index of the snapshot shown as now (0 without
 * snapshots; clamped to the newest).  Setting an index before the newest
 * turns "follow" off. */
void  rv_ridgeline_view_set_current (RvRidgelineView *self, guint index);
guint rv_ridgeline_view_get_current (RvRidgelineView *self);

/* Property "follow" (default TRUE): current tracks the newest snapshot;
 * turning it on jumps there. */
void     rv_ridgeline_view_set_follow (RvRidgelineView *self, gboolean follow);
gboolean rv_ridgeline_view_get_follow (RvRidgelineView *self);

/* Property "range-mode" (default RECENT). */
void                 rv_ridgeline_view_set_range_mode (RvRidgelineView *self, RvRidgelineRangeMode mode);
RvRidgelineRangeMode rv_ridgeline_view_get_range_mode (RvRidgelineView *self);

/* Property "recent-count" (default 20, at least 1): how many snapshots up
 * to current the RECENT range spans. */
void  rv_ridgeline_view_set_recent_count (RvRidgelineView *self, guint count);
guint rv_ridgeline_view_get_recent_count (RvRidgelineView *self);

/* Property "stepped" (default FALSE): draw each slice as the histogram's
 * steps instead of a smooth curve through the bin centres. */
void rv_ridgeline_view_set_stepped (RvRidgelineView *self, gboolean stepped);

/* Property "color" (nullable GdkRGBA): the slices' colour; NULL = automatic. */
void rv_ridgeline_view_set_color (RvRidgelineView *self, const GdkRGBA *color);

/* The value range the mode picks from the data (without the plot's
 * margin; a snapshot of values all alike, to float resolution, spans just
 * them, and a range floats cannot resolve is drawn around its value);
 * FALSE, and 0, 1, without snapshots. */
gboolean rv_ridgeline_view_get_x_range (RvRidgelineView *self, double *lo, double *hi);

/* Draws the chart into cr at width × height, on an opaque background in
 * the style's view colour and without the hover read-out.  Fits
 * rv_plot_export's RvPlotDrawFunc (pass the view as data). */
void rv_ridgeline_view_draw (RvRidgelineView *self, cairo_t *cr, int width, int height);

/* Where the slices go in a width × height drawing; FALSE if no room. */
gboolean rv_ridgeline_view_get_plot_area (RvRidgelineView *self, int width, int height,
                                          graphene_rect_t *area);

/* The value ticks of a width × height drawing (ticks: RV_PLOT_MAX_TICKS)
 * and their step, labelled rv_plot_format_tick (tick, step); placed by
 * rv_ridgeline_view_map.  0 without a plot. */
guint rv_ridgeline_view_get_x_ticks (RvRidgelineView *self, int width, int height,
                                     double *ticks, double *step);

/* The steps labelled on the step axis of a width × height drawing (ticks:
 * RV_PLOT_MAX_TICKS), whole steps only; 0 without a plot. */
guint rv_ridgeline_view_get_step_ticks (RvRidgelineView *self, int width, int height, double *ticks);

/* Where value lies on snapshot index's slice, fraction (0 = its baseline,
 * 1 = the height of its tallest bin) up from the baseline, in a width ×
 * height drawing.  FALSE for a hidden snapshot (after current) or no plot. */
gboolean rv_ridgeline_view_map (RvRidgelineView *self, int width, int height, guint index,
                                double value, double fraction, double *x, double *y);

/* The slice and value under (x, y) of a width × height drawing: the
 * front-most slice whose filled area holds the point, else the slice whose
 * baseline is next below it.  FALSE outside the plot or without data. */
gboolean rv_ridgeline_view_pick (RvRidgelineView *self, int width, int height,
                                 double x, double y, guint *index, double *value);

/* The hover read-out for value on snapshot index: "Step 1,200 · value
 * 0.35" and, inside the snapshot's range, a second line with the bin and
 * its count, "[0.3, 0.4): 1,234"; NULL for an index that does not exist. */
char *rv_ridgeline_view_describe_at (RvRidgelineView *self, guint index, double value);

/* The accessible description: "Layer 2 (512 → 256) at step 8,000 of
 * 8,000: variance 0.43, range −2.1 to 3.4; 192 snapshots". */
char *rv_ridgeline_view_dup_summary (RvRidgelineView *self);

G_END_DECLS
