/* rv-stats.c: moments, histogram and Gaussian KDE of one tensor.
 *
 * Conventions (the header is terse; these are the details callers rely on):
 *
 * - stats->n counts every value, finite or not.  mean and variance cover all
 *   values, so one NaN or Inf makes both NaN.  min, max and the histogram
 *   cover only the finite values, so a bad tensor still draws.
 * - The histogram matches numpy.histogram (x, n_bins): n_bins equal bins over
 *   [min, max], bin i is [edge i, edge i+1) except the last, which is closed.
 *   A constant tensor (min == max) gets the range [v - 0.5, v + 0.5], as numpy
 *   widens it, so its one value falls in the middle bin; its variance is 0.
 * - n == 0: mean = variance = min = max = 0, range [0, 1] (numpy's range for
 *   empty input), all counts 0.  If no value is finite, min = max = 0 and the
 *   range is [0, 1] too, while mean and variance are NaN.
 * - rv_stats_density divides by the number of binned (finite) values, so the
 *   bars integrate to 1 even when some values were skipped.
 * - rv_kde_evaluate skips non-finite values.  With Scott's bandwidth (h <= 0)
 *   it needs at least two distinct finite values, else it returns all zeros,
 *   as seaborn then skips the curve; an explicit h > 0 works for any data
 *   with at least one finite value. */
#include "rv-stats.h"
#include "rv-stats-math.h"
#include "rv-stats-private.h"

#include <math.h>
#include <string.h>

/* Summing in blocks keeps the rounding error near (block + n / block) ulps
 * instead of n ulps, at no cost; a million values stay well under 1e-12. */
#define SUM_BLOCK 1024

/* KDE kernels are cut at this many bandwidths: exp (-6^2 / 2) ~ 1.5e-8. */
#define KDE_CUTOFF 6.0
/* Fine-grid nodes per bandwidth.  Linear binning's error is about
 * (spacing / h)^2 / 12 of the curvature term, ~1e-4 here at worst. */
#define KDE_NODES_PER_H 32.0
#define KDE_MIN_NODES 256
/* Caps the scratch at 512 KiB; past it (a range over 2000 bandwidths inside
 * the evaluated window) the spacing grows and accuracy degrades smoothly. */
#define KDE_MAX_NODES (1u << 16)

uint64_t *
rv_stats_take_counts (RvStats *stats, uint32_t n_bins)
{
  if (stats->counts != NULL && stats->n_bins == n_bins)
    {
      memset (stats->counts, 0, sizeof *stats->counts * n_bins);
      return stats->counts;
    }
  g_free (stats->counts);
  stats->counts = NULL;
  return g_new0 (uint64_t, n_bins);
}

void
rv_stats_plan (const RvStatsRange *range, uint32_t n_bins, RvStatsPlan *plan)
{
  const uint64_t n = range->n;
  double vmin = range->vmin, vmax = range->vmax;

  plan->all_finite = range->n_finite == n;
  if (n == 0)
    plan->mean = 0.0;
  else if (!plan->all_finite)
    plan->mean = NAN;
  else if (vmin == vmax)
    plan->mean = vmin; /* exact, whatever the sum's rounding */
  else
    plan->mean = range->sum / (double) n;

  if (range->n_finite == 0)
    {
      vmin = vmax = 0.0;
      plan->lo = 0.0;
      plan->hi = 1.0;
    }
  else if (vmin == vmax)
    {
      plan->lo = vmin - 0.5;
      plan->hi = vmax + 0.5;
    }
  else
    {
      plan->lo = vmin;
      plan->hi = vmax;
    }
  plan->min = vmin;
  plan->max = vmax;
  plan->scale = (double) n_bins / (plan->hi - plan->lo);
  plan->moments = plan->all_finite && n > 0 && vmin != vmax;
}

void
rv_stats_finish (RvStats *stats, const RvStatsRange *range, const RvStatsPlan *plan,
                 uint32_t n_bins, uint64_t *counts, double ss, double dev)
{
  const uint64_t n = range->n;
  double variance;

  if (n == 0)
    variance = 0.0;
  else if (!plan->all_finite)
    variance = NAN;
  else if (!plan->moments)
    variance = 0.0;
  else
    variance = MAX ((ss - dev * dev / (double) n) / (double) n, 0.0);

  stats->n = n;
  stats->mean = plan->mean;
  stats->variance = variance;
  stats->min = plan->min;
  stats->max = plan->max;
  stats->n_bins = n_bins;
  stats->lo = plan->lo;
  stats->hi = plan->hi;
  stats->counts = counts;
}

/* stats must be zero-initialised (RvStats s = { 0 };) or hold an earlier
 * result, which is replaced (its counts reused when n_bins matches). */
void
rv_stats_compute (RvStats *stats, const float *x, size_t n, uint32_t n_bins)
{
  RvStatsRange range = { .n = n, .vmin = INFINITY, .vmax = -INFINITY };
  RvStatsPlan plan;
  uint64_t *counts;
  double block = 0.0;
  unsigned in_block = 0;

  g_return_if_fail (stats != NULL);
  g_return_if_fail (n == 0 || x != NULL);
  g_return_if_fail (n_bins >= 1);

  counts = rv_stats_take_counts (stats, n_bins);

  /* Pass 1: range and sum. */
  for (size_t i = 0; i < n; i++)
    {
      double v = x[i];

      if (!isfinite (v))
        continue;
      range.n_finite++;
      if (v < range.vmin)
        range.vmin = v;
      if (v > range.vmax)
        range.vmax = v;
      block += v;
      if (++in_block == SUM_BLOCK)
        {
          range.sum += block;
          block = 0.0;
          in_block = 0;
        }
    }
  range.sum += block;
  rv_stats_plan (&range, n_bins, &plan);

  /* Pass 2: squared deviations and bins.  The sum of plain deviations,
   * zero in exact arithmetic, corrects the mean's rounding (Chan, Golub and
   * LeVeque's corrected two-pass algorithm). */
  double ss = 0.0, ss_block = 0.0, dev = 0.0, dev_block = 0.0;
  in_block = 0;
  for (size_t i = 0; i < n; i++)
    {
      double v = x[i];

      if (!isfinite (v))
        continue;
      counts[rv_stats_bin_index (v, plan.lo, plan.hi, plan.scale, n_bins)]++;
      if (plan.moments)
        {
          double d = v - plan.mean;

          ss_block += d * d;
          dev_block += d;
          if (++in_block == SUM_BLOCK)
            {
              ss += ss_block;
              dev += dev_block;
              ss_block = dev_block = 0.0;
              in_block = 0;
            }
        }
    }
  ss += ss_block;
  dev += dev_block;
  rv_stats_finish (stats, &range, &plan, n_bins, counts, ss, dev);
}

/* Frees the counts and zeroes the struct, so clearing twice is harmless. */
void
rv_stats_clear (RvStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->counts);
  memset (stats, 0, sizeof *stats);
}

void
rv_stats_copy (RvStats *dest, const RvStats *src)
{
  g_return_if_fail (dest != NULL && src != NULL);
  g_return_if_fail (src->n_bins == 0 || src->counts != NULL);

  *dest = *src;
  dest->counts = src->n_bins > 0 ? g_memdup2 (src->counts, sizeof *src->counts * src->n_bins) : NULL;
}

double
rv_stats_bin_width (const RvStats *stats)
{
  g_return_val_if_fail (stats != NULL, 0.0);

  if (stats->n_bins == 0)
    return 0.0;
  return (stats->hi - stats->lo) / (double) stats->n_bins;
}

double
rv_stats_density (const RvStats *stats, uint32_t bin)
{
  uint64_t total = 0;
  double width;

  g_return_val_if_fail (stats != NULL, 0.0);
  g_return_val_if_fail (bin < stats->n_bins && stats->counts != NULL, 0.0);

  /* Only finite values were binned, so normalise by what the bins hold. */
  for (uint32_t i = 0; i < stats->n_bins; i++)
    total += stats->counts[i];
  width = rv_stats_bin_width (stats);
  if (total == 0 || !(width > 0.0))
    return 0.0;
  return (double) stats->counts[bin] / ((double) total * width);
}

/* scipy's gaussian_kde scales its data covariance (ddof = 1) by factor^2 with
 * factor = n^(-1/5), so std here should be the sample std (n - 1), which is
 * what rv_kde_evaluate passes. */
double
rv_kde_bandwidth (double std, uint64_t n)
{
  if (n == 0)
    return 0.0;
  return std * pow ((double) n, -0.2);
}

void
rv_kde_evaluate (const float *x, size_t n, double h,
                 const double *grid, uint32_t n_grid, double *density_out)
{
  uint64_t m = 0;
  double dmin = INFINITY, dmax = -INFINITY;
  double gmin = INFINITY, gmax = -INFINITY;
  double reach, a, b, span, delta, norm;
  size_t n_nodes;
  double *w;

  g_return_if_fail (n == 0 || x != NULL);
  g_return_if_fail (n_grid == 0 || (grid != NULL && density_out != NULL));

  for (uint32_t k = 0; k < n_grid; k++)
    density_out[k] = 0.0;

  for (size_t i = 0; i < n; i++)
    {
      double v = x[i];

      if (!isfinite (v))
        continue;
      m++;
      if (v < dmin)
        dmin = v;
      if (v > dmax)
        dmax = v;
    }
  if (m == 0)
    return;

  if (!(h > 0.0))
    {
      double sum = 0.0, ss = 0.0, mean;

      if (m < 2 || dmin == dmax)
        return;
      for (size_t i = 0; i < n; i++)
        if (isfinite (x[i]))
          sum += x[i];
      mean = sum / (double) m;
      for (size_t i = 0; i < n; i++)
        if (isfinite (x[i]))
          {
            double d = x[i] - mean;
            ss += d * d;
          }
      h = rv_kde_bandwidth (sqrt (ss / (double) (m - 1)), m);
    }
  if (!(h > 0.0) || !isfinite (h))
    return;

  for (uint32_t k = 0; k < n_grid; k++)
    if (isfinite (grid[k]))
      {
        gmin = MIN (gmin, grid[k]);
        gmax = MAX (gmax, grid[k]);
      }
  if (gmin > gmax)
    return;

  /* Only data within reach of some grid point matter, so the fine grid spans
   * just that part of the data; far outliers then cost no resolution. */
  reach = KDE_CUTOFF * h;
  a = MAX (dmin, gmin - reach);
  b = MIN (dmax, gmax + reach);
  if (a > b)
    return;
  span = b - a;
  if (span > 0.0)
    {
      double want = ceil (span * KDE_NODES_PER_H / h) + 1.0;

      n_nodes = (size_t) CLAMP (want, (double) KDE_MIN_NODES, (double) KDE_MAX_NODES);
      delta = span / (double) (n_nodes - 1);
    }
  else
    {
      n_nodes = 1;
      delta = 0.0;
    }

  /* Linear binning: each value splits its weight between its two nodes, so
   * the binned sum stays exact for the mean and errs only to second order. */
  w = g_new0 (double, n_nodes);
  for (size_t i = 0; i < n; i++)
    {
      double v = x[i], pos, frac;
      size_t j;

      if (!isfinite (v) || v < a || v > b)
        continue;
      if (n_nodes == 1)
        {
          w[0] += 1.0;
          continue;
        }
      pos = (v - a) / delta;
      j = pos >= (double) (n_nodes - 2) ? n_nodes - 2 : (size_t) pos;
      frac = CLAMP (pos - (double) j, 0.0, 1.0);
      w[j] += 1.0 - frac;
      w[j + 1] += frac;
    }

  /* Normalise by every finite value, including the ones out of reach. */
  norm = 1.0 / ((double) m * h * sqrt (2.0 * G_PI));
  for (uint32_t k = 0; k < n_grid; k++)
    {
      double g = grid[k], s = 0.0;
      size_t jlo, jhi;

      if (!isfinite (g))
        continue;
      if (n_nodes == 1)
        {
          jlo = jhi = 0;
        }
      else
        {
          double flo = ceil ((g - reach - a) / delta);
          double fhi = floor ((g + reach - a) / delta);

          if (fhi < 0.0 || flo > (double) (n_nodes - 1))
            continue;
          jlo = flo > 0.0 ? (size_t) flo : 0;
          jhi = fhi < (double) (n_nodes - 1) ? (size_t) fhi : n_nodes - 1;
        }
      for (size_t j = jlo; j <= jhi; j++)
        {
          double u;

          if (w[j] == 0.0)
            continue;
          u = (g - (a + (double) j * delta)) / h;
          s += w[j] * exp (-0.5 * u * u);
        }
      density_out[k] = s * norm;
    }
  g_free (w);
}
