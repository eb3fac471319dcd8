/* rv-histogram-history.h: one tensor's distribution over training time: a
 * sequence of snapshots, each a training step and a copy of the tensor's
 * summary (RvStats: moments and bin counts over [lo, hi]), oldest first.
 * The ridgeline view (rv-ridgeline-view.h) draws it.
 *
 * Memory stays bounded over any run: at most "capacity" snapshots are kept.
 * An append to a full history first drops every other snapshot of its older
 * half (indices 1, 3, 5, … below n / 2), so the recent past stays dense, the
 * distant past thins out geometrically, and the very first snapshot (the
 * distribution at initialization) and the newest are always kept.
 *
 * Steps strictly increase along the history.  Appending a step at or below
 * the newest one (a run resumed from an earlier checkpoint) first drops the
 * snapshots from that step on, so the history tells one consistent story.
 *
 * Snapshots of one history may have different bin counts and ranges.
 * Indices shift when snapshots are dropped: hold on to steps, not indices,
 * across "changed" (rv_histogram_history_find_step maps back). */
#pragma once

#include <glib-object.h>

#include "rv-stats.h"

G_BEGIN_DECLS

#define RV_HISTOGRAM_HISTORY_DEFAULT_CAPACITY 256
/* Below four, dropping every other snapshot of the older half drops none. */
#define RV_HISTOGRAM_HISTORY_MIN_CAPACITY 4

#define RV_TYPE_HISTOGRAM_HISTORY (rv_histogram_history_get_type ())
G_DECLARE_FINAL_TYPE (RvHistogramHistory, rv_histogram_history, RV, HISTOGRAM_HISTORY, GObject)

RvHistogramHistory *rv_histogram_history_new (const char *title);

/* Property "title": what the tensor is, e.g. "Layer 2 (512 → 256)". */
const char *rv_histogram_history_get_title (RvHistogramHistory *self);

/* Property "capacity" (default 256, at least 4): the most snapshots kept.
 * Lowering it below the number held thins the history at once. */
void  rv_histogram_history_set_capacity (RvHistogramHistory *self, guint capacity);
guint rv_histogram_history_get_capacity (RvHistogramHistory *self);

/* Copies stats (counts included) as the snapshot at step.  A range with
 * hi <= lo is widened to [lo, lo + 1], as RvHistogram does.  Emits
 * "changed". */
void rv_histogram_history_append (RvHistogramHistory *self, guint64 step, const RvStats *stats);

/* Drops every snapshot (a new run); emits "changed". */
void rv_histogram_history_clear (RvHistogramHistory *self);

guint rv_histogram_history_get_n (RvHistogramHistory *self);

/* Snapshot index (< n): its step, and the copy held, valid until the next
 * append, clear or set_capacity. */
guint64        rv_histogram_history_get_step  (RvHistogramHistory *self, guint index);
const RvStats *rv_histogram_history_get_stats (RvHistogramHistory *self, guint index);
/* Its largest bin count (0 for an empty histogram): what per-slice height
 * normalization divides by. */
guint64        rv_histogram_history_get_peak  (RvHistogramHistory *self, guint index);

/* The index of the newest snapshot at or before step, or -1 if every
 * snapshot is later (or there are none). */
int rv_histogram_history_find_step (RvHistogramHistory *self, guint64 step);

/* The union of the histogram ranges [lo, hi] of snapshots first ..
 * first + count − 1 (clipped to the history).  FALSE, and lo = 0, hi = 1,
 * when that covers no snapshot. */
gboolean rv_histogram_history_get_range (RvHistogramHistory *self, guint first, guint count,
                                         double *lo, double *hi);
/* The same over all snapshots, and over the newest count of them. */
gboolean rv_histogram_history_get_full_range   (RvHistogramHistory *self, double *lo, double *hi);
gboolean rv_histogram_history_get_recent_range (RvHistogramHistory *self, guint count,
                                                double *lo, double *hi);

G_END_DECLS
