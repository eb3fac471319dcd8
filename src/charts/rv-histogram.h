/* rv-histogram.h: the model behind one histogram panel: a title, a copy of a
 * tensor's summary (RvStats: moments and bin counts) and an optional KDE
 * curve.  Views listen to "changed", emitted after every setter that changed
 * something; the model itself never draws.
 *
 * Bin i covers [lo + (hi − lo)·i/n_bins, lo + (hi − lo)·(i+1)/n_bins), the
 * last bin closed, as rv-stats.c bins (numpy.histogram's convention). */
#pragma once

#include <glib-object.h>

#include "rv-stats.h"

G_BEGIN_DECLS

#define RV_TYPE_HISTOGRAM (rv_histogram_get_type ())
G_DECLARE_FINAL_TYPE (RvHistogram, rv_histogram, RV, HISTOGRAM, GObject)

RvHistogram *rv_histogram_new (const char *title);

/* Property "title", e.g. "Layer 2 (512 → 256)". */
void        rv_histogram_set_title (RvHistogram *self, const char *title);
const char *rv_histogram_get_title (RvHistogram *self);

/* A line of text the panel shows under the variance, such as "dead: 12 %
 * of units"; NULL or "" for none (the default).  Kept across set_stats. */
void        rv_histogram_set_note (RvHistogram *self, const char *note);
const char *rv_histogram_get_note (RvHistogram *self);

/* Copies stats (counts included).  NULL clears the data.  The KDE is
 * dropped too, since it described the old data: set it again afterwards. */
void rv_histogram_set_stats (RvHistogram *self, const RvStats *stats);

/* Copies a KDE curve: density y[i] at x[i] (x increasing), n points;
 * n == 0 removes it. */
void rv_histogram_set_kde (RvHistogram *self, const double *x, const double *y, guint n);

/* Whether there is data to draw: stats were set with at least one bin. */
gboolean rv_histogram_has_data (RvHistogram *self);

/* The copy held; never NULL (all zero without data).  Valid until the next
 * set_stats. */
const RvStats *rv_histogram_get_stats (RvHistogram *self);

double   rv_histogram_get_mean     (RvHistogram *self);
double   rv_histogram_get_variance (RvHistogram *self);
double   rv_histogram_get_min      (RvHistogram *self);
double   rv_histogram_get_max      (RvHistogram *self);
/* The histogram's range; FALSE (and 0, 1) without data. */
gboolean rv_histogram_get_range    (RvHistogram *self, double *lo, double *hi);
guint    rv_histogram_get_n_bins   (RvHistogram *self);
/* counts[n_bins], or NULL without data. */
const guint64 *rv_histogram_get_counts (RvHistogram *self);
/* The sum of the counts: the values that were binned (finite ones). */
guint64  rv_histogram_get_total    (RvHistogram *self);
double   rv_histogram_get_bin_width (RvHistogram *self);
/* Bin bin's edges; its right edge is included only for the last bin. */
void     rv_histogram_get_bin_edges (RvHistogram *self, guint bin, double *left, double *right);
/* Bin bin's height as a density: count / (total × bin width); the bars
 * integrate to 1.  0 when nothing was binned. */
double   rv_histogram_get_density  (RvHistogram *self, guint bin);

/* Bin bin of stats (< n_bins) in words: "[0.12, 0.15): 1,234", the last
 * bin closed, "[0.27, 0.3]: 7"; edges to a tenth of a bin. */
char *rv_histogram_describe_stats_bin (const RvStats *stats, guint bin);

/* Whether the values are all equal, or too close to tell apart as floats
 * (max − min at most 64 float epsilons of their magnitude): a histogram
 * of them has no shape to show.  *value (may be NULL) is then their
 * midpoint.  FALSE without data. */
gboolean rv_histogram_is_degenerate (RvHistogram *self, double *value);
/* The same test on two values: whether [min, max] is too narrow for
 * floats to tell apart what lies in it. */
gboolean rv_histogram_range_is_degenerate (double min, double max);
/* The axis values that are all about value are drawn on: symmetric about
 * it, at its own scale (value ± a quarter of it), so that its ticks read
 * as distinct numbers. */
void rv_histogram_degenerate_axis (double value, double *lo, double *hi);

/* The KDE curve held (NULL and 0 when none); valid until the next setter. */
guint    rv_histogram_get_kde      (RvHistogram *self, const double **x, const double **y);

G_END_DECLS
