/* rv-stats-private.h: the steps of rv_stats_compute, for a backend that does
 * the two passes over the data elsewhere (the CUDA backend does them on the
 * GPU) but must follow rv-stats.c's conventions to the letter. */
#pragma once

#include "rv-stats.h"

G_BEGIN_DECLS

/* What pass 1 gathers over x[0..n). */
typedef struct {
  uint64_t n;         /* values, finite or not */
  uint64_t n_finite;
  double vmin, vmax;  /* over the finite values; +inf and -inf when there are none */
  double sum;         /* of the finite values */
} RvStatsRange;

/* What pass 2 needs, and the range the result reports. */
typedef struct {
  gboolean all_finite;
  gboolean moments;   /* pass 2 sums squared deviations (all finite, n > 0, not constant) */
  double mean;
  double min, max;    /* reported: 0 and 0 when nothing is finite */
  double lo, hi;      /* histogram range */
  double scale;       /* n_bins / (hi - lo) */
} RvStatsPlan;

void rv_stats_plan (const RvStatsRange *range, uint32_t n_bins, RvStatsPlan *plan);

/* The zeroed counts for n_bins, reusing stats->counts when n_bins matches. */
uint64_t *rv_stats_take_counts (RvStats *stats, uint32_t n_bins);

/* Fills stats from pass 2's counts and sums: ss = Σ (v - mean)^2 and
 * dev = Σ (v - mean) over the values (only read when plan->moments). */
void rv_stats_finish (RvStats *stats, const RvStatsRange *range, const RvStatsPlan *plan,
                      uint32_t n_bins, uint64_t *counts, double ss, double dev);

G_END_DECLS
