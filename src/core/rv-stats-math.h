/* rv-stats-math.h: which histogram bin a value falls in, shared by
 * rv-stats.c and the CUDA histogram kernel (kernels/rv-cuda-stats.cu), so
 * both count every value in the same bin.  Plain C, no GLib.
 *
 * The bins are numpy.histogram's: n_bins equal bins over [lo, hi], bin i is
 * [edge i, edge i+1) except the last, which is closed. */
#pragma once

#include <stdint.h>

#include "rv-hostdevice.h"

/* Histogram edge i of n_bins over [lo, hi]; both ends exact, monotone in i. */
static inline RV_HOST_DEVICE double
rv_stats_bin_edge (double lo, double hi, uint32_t n_bins, uint32_t i)
{
  if (i == 0)
    return lo;
  if (i >= n_bins)
    return hi;
  /* Multiplying first keeps edges exact for integer-ish ranges (0..100 in
   * 50 bins gives 2, 4, 6, ...), where i / n_bins would round. */
  return lo + (hi - lo) * (double) i / (double) n_bins;
}

/* Bin of a finite v in [lo, hi], scale = n_bins / (hi - lo): a scaled guess,
 * then corrected against the edges themselves so rounding in the guess never
 * disagrees with them. */
static inline RV_HOST_DEVICE uint32_t
rv_stats_bin_index (double v, double lo, double hi, double scale, uint32_t n_bins)
{
  double guess = (v - lo) * scale;
  uint32_t b;

  if (!(guess > 0.0))
    b = 0;
  else if (guess >= (double) (n_bins - 1))
    b = n_bins - 1;
  else
    b = (uint32_t) guess;

  while (b > 0 && v < rv_stats_bin_edge (lo, hi, n_bins, b))
    b--;
  while (b + 1 < n_bins && v >= rv_stats_bin_edge (lo, hi, n_bins, b + 1))
    b++;
  return b;
}
