/* rv-stats.h: the summary of one tensor that crosses to the UI or to JSON:
 * moments, a histogram over the data's range, and a Gaussian KDE. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RV_DEFAULT_BINS 50

typedef struct {
  uint64_t n;          /* number of values */
  double mean;
  double variance;     /* population variance (divides by n, as numpy.var) */
  double min, max;
  uint32_t n_bins;
  double lo, hi;       /* histogram range: [min, max], widened when min == max */
  uint64_t *counts;    /* [n_bins]; the last bin includes hi */
} RvStats;

/* Computes everything in two passes over x[0..n) (double accumulation).
 * n_bins >= 1.  Non-finite values make mean/variance NaN and are not binned. */
void rv_stats_compute (RvStats *stats, const float *x, size_t n, uint32_t n_bins);
void rv_stats_clear (RvStats *stats);
/* Makes dest a deep copy of src, with counts of its own (NULL when src has
 * no bins).  dest's old contents are overwritten, not freed: clear it first
 * if it holds counts.  Free the copy with rv_stats_clear. */
void rv_stats_copy (RvStats *dest, const RvStats *src);

/* Bin i's height as a density: count / (n * bin width), so the bars integrate to 1. */
double rv_stats_density (const RvStats *stats, uint32_t bin);
double rv_stats_bin_width (const RvStats *stats);

/* Scott's rule bandwidth, as scipy's gaussian_kde uses it: std * n^(-1/5). */
double rv_kde_bandwidth (double std, uint64_t n);

/* Gaussian KDE of x[0..n) evaluated at grid[0..n_grid) (a density), with
 * bandwidth h (<= 0 picks Scott's).  Values are binned on a fine grid first,
 * so the cost is O(n + n_grid * fine_bins), not O(n * n_grid). */
void rv_kde_evaluate (const float *x, size_t n, double h,
                      const double *grid, uint32_t n_grid, double *density_out);

G_END_DECLS
