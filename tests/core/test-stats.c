/* test-stats.c: rv-stats against references computed here in long double
 * with the plain textbook formulas. */
#include <math.h>
#include <glib.h>

#include "rv-rng.h"
#include "rv-stats.h"

#define SEED 20240607u

static float *
normal_data (size_t n, uint64_t stream, float mean, float std)
{
  float *x = g_new (float, n);

  rv_rng_fill_normal (x, n, SEED, stream, mean, std);
  return x;
}

static long double
ref_mean (const float *x, size_t n)
{
  long double s = 0.0L;

  for (size_t i = 0; i < n; i++)
    s += x[i];
  return s / (long double) n;
}

static long double
ref_variance (const float *x, size_t n)
{
  long double mean = ref_mean (x, n), s = 0.0L;

  for (size_t i = 0; i < n; i++)
    s += ((long double) x[i] - mean) * ((long double) x[i] - mean);
  return s / (long double) n;
}

/* Bin by linear search over long double edges, last bin closed. */
static uint32_t
ref_bin (double v, double lo, double hi, uint32_t n_bins)
{
  for (uint32_t i = 0; i + 1 < n_bins; i++)
    {
      long double upper = lo + ((long double) hi - lo) * (i + 1) / n_bins;
      if ((long double) v < upper)
        return i;
    }
  return n_bins - 1;
}

static void
assert_rel (double got, long double want, double tol)
{
  double err = fabs ((double) ((long double) got - want));
  double scale = fabs ((double) want);

  if (!(err <= tol * MAX (scale, 1e-300)))
    g_error ("got %.17g, want %.17Lg (rel err %.3g > %.3g)", got, want,
             err / scale, tol);
}

static void
assert_counts_match (const RvStats *st, const float *x, size_t n)
{
  uint64_t *want = g_new0 (uint64_t, st->n_bins);
  uint64_t total = 0;

  for (size_t i = 0; i < n; i++)
    if (isfinite (x[i]))
      want[ref_bin (x[i], st->lo, st->hi, st->n_bins)]++;
  for (uint32_t b = 0; b < st->n_bins; b++)
    {
      g_assert_cmpuint (st->counts[b], ==, want[b]);
      total += st->counts[b];
    }
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      total++;
  g_assert_cmpuint (total, ==, n);
  g_free (want);
}

static void
test_moments_normal (void)
{
  const size_t n = 100000;
  float *x = normal_data (n, 1, 0.3f, 2.0f);
  RvStats st = { 0 };
  float mn = x[0], mx = x[0];

  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  for (size_t i = 1; i < n; i++)
    {
      mn = MIN (mn, x[i]);
      mx = MAX (mx, x[i]);
    }
  g_assert_cmpuint (st.n, ==, n);
  assert_rel (st.mean, ref_mean (x, n), 1e-12);
  assert_rel (st.variance, ref_variance (x, n), 1e-12);
  g_assert_cmpfloat (st.min, ==, mn);
  g_assert_cmpfloat (st.max, ==, mx);
  g_assert_cmpfloat (st.lo, ==, mn);
  g_assert_cmpfloat (st.hi, ==, mx);
  g_assert_cmpfloat_with_epsilon (sqrt (st.variance), 2.0, 0.02);
  rv_stats_clear (&st);
  g_free (x);
}

/* A one-pass E[x^2] - E[x]^2 cancels 1e8 against a variance near 1e-4 and
 * keeps almost no correct digits; the two-pass result must stay near 1e-10. */
static void
test_variance_offset (void)
{
  const size_t n = 50000;
  float *x = normal_data (n, 2, 1e4f, 0.01f);
  RvStats st = { 0 };
  long double want = ref_variance (x, n);
  double s = 0.0, s2 = 0.0, one_pass;

  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  assert_rel (st.mean, ref_mean (x, n), 1e-13);
  assert_rel (st.variance, want, 1e-10);

  for (size_t i = 0; i < n; i++)
    {
      s += x[i];
      s2 += (double) x[i] * x[i];
    }
  one_pass = s2 / n - (s / n) * (s / n);
  g_test_message ("variance %.10Lg; one-pass rel err %.2g, two-pass %.2g", want,
                  fabs ((double) (one_pass - want) / (double) want),
                  fabs ((double) (st.variance - want) / (double) want));
  rv_stats_clear (&st);
  g_free (x);
}

static void
test_histogram_bruteforce (void)
{
  const size_t n = 20000;
  const uint32_t bins[] = { 1, 2, 7, RV_DEFAULT_BINS, 1000 };
  float *x = normal_data (n, 3, -1.0f, 0.5f);

  for (size_t k = 0; k < G_N_ELEMENTS (bins); k++)
    {
      RvStats st = { 0 };

      rv_stats_compute (&st, x, n, bins[k]);
      g_assert_cmpuint (st.n_bins, ==, bins[k]);
      assert_counts_match (&st, x, n);
      /* The extremes land in the end bins: the max in the closed last one. */
      g_assert_cmpuint (st.counts[0], >=, 1);
      g_assert_cmpuint (st.counts[bins[k] - 1], >=, 1);
      g_assert_cmpuint (ref_bin (st.max, st.lo, st.hi, st.n_bins), ==, bins[k] - 1);
      rv_stats_clear (&st);
    }
  g_free (x);
}

/* Integers 0..100 in 50 bins put every value but the last exactly on an edge:
 * bin [2k, 2k+2) holds 2k and 2k+1, and the closed last bin adds 100. */
static void
test_histogram_edges (void)
{
  float x[101];
  RvStats st = { 0 };

  for (int i = 0; i <= 100; i++)
    x[i] = (float) i;
  rv_stats_compute (&st, x, G_N_ELEMENTS (x), 50);
  g_assert_cmpfloat (st.lo, ==, 0.0);
  g_assert_cmpfloat (st.hi, ==, 100.0);
  for (uint32_t b = 0; b < 49; b++)
    g_assert_cmpuint (st.counts[b], ==, 2);
  g_assert_cmpuint (st.counts[49], ==, 3);
  g_assert_cmpfloat (rv_stats_bin_width (&st), ==, 2.0);
  assert_counts_match (&st, x, G_N_ELEMENTS (x));
  rv_stats_clear (&st);
}

static void
test_constant (void)
{
  const float values[] = { 0.75f, -3.0f, 3e6f, 0.0f };

  for (size_t k = 0; k < G_N_ELEMENTS (values); k++)
    {
      float x[333];
      RvStats st = { 0 };
      double v = values[k];

      for (size_t i = 0; i < G_N_ELEMENTS (x); i++)
        x[i] = values[k];
      rv_stats_compute (&st, x, G_N_ELEMENTS (x), RV_DEFAULT_BINS);
      g_assert_cmpfloat (st.mean, ==, v);
      g_assert_cmpfloat (st.variance, ==, 0.0);
      g_assert_cmpfloat (st.min, ==, v);
      g_assert_cmpfloat (st.max, ==, v);
      g_assert_cmpfloat (st.lo, ==, v - 0.5);
      g_assert_cmpfloat (st.hi, ==, v + 0.5);
      /* The value sits at the centre: bin n_bins / 2 (edge 25 of 50). */
      for (uint32_t b = 0; b < st.n_bins; b++)
        g_assert_cmpuint (st.counts[b], ==, b == RV_DEFAULT_BINS / 2 ? G_N_ELEMENTS (x) : 0);
      assert_counts_match (&st, x, G_N_ELEMENTS (x));
      rv_stats_clear (&st);

      rv_stats_compute (&st, x, G_N_ELEMENTS (x), 1);
      g_assert_cmpuint (st.counts[0], ==, G_N_ELEMENTS (x));
      g_assert_cmpfloat (rv_stats_density (&st, 0), ==, 1.0);
      rv_stats_clear (&st);
    }
}

static void
test_single (void)
{
  const float x[] = { -2.5f };
  RvStats st = { 0 };

  rv_stats_compute (&st, x, 1, 4);
  g_assert_cmpuint (st.n, ==, 1);
  g_assert_cmpfloat (st.mean, ==, -2.5);
  g_assert_cmpfloat (st.variance, ==, 0.0);
  g_assert_cmpfloat (st.min, ==, -2.5);
  g_assert_cmpfloat (st.max, ==, -2.5);
  g_assert_cmpfloat (st.lo, ==, -3.0);
  g_assert_cmpfloat (st.hi, ==, -2.0);
  g_assert_cmpuint (st.counts[2], ==, 1);
  assert_counts_match (&st, x, 1);
  rv_stats_clear (&st);
}

static void
test_empty (void)
{
  RvStats st = { 0 };

  rv_stats_compute (&st, NULL, 0, RV_DEFAULT_BINS);
  g_assert_cmpuint (st.n, ==, 0);
  g_assert_cmpfloat (st.mean, ==, 0.0);
  g_assert_cmpfloat (st.variance, ==, 0.0);
  g_assert_cmpfloat (st.min, ==, 0.0);
  g_assert_cmpfloat (st.max, ==, 0.0);
  g_assert_cmpfloat (st.lo, ==, 0.0);
  g_assert_cmpfloat (st.hi, ==, 1.0);
  g_assert_nonnull (st.counts);
  for (uint32_t b = 0; b < st.n_bins; b++)
    {
      g_assert_cmpuint (st.counts[b], ==, 0);
      g_assert_cmpfloat (rv_stats_density (&st, b), ==, 0.0);
    }
  rv_stats_clear (&st);
}

static void
test_nonfinite (void)
{
  const size_t n = 1000;
  float *x = normal_data (n, 4, 0.0f, 1.0f);
  float bad[] = { NAN, INFINITY, -INFINITY };
  RvStats st = { 0 };
  float mn = INFINITY, mx = -INFINITY;
  double integral = 0.0;

  x[10] = NAN;
  x[500] = INFINITY;
  x[999] = -INFINITY;
  for (size_t i = 0; i < n; i++)
    if (isfinite (x[i]))
      {
        mn = MIN (mn, x[i]);
        mx = MAX (mx, x[i]);
      }
  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  g_assert_cmpuint (st.n, ==, n);
  g_assert_true (isnan (st.mean));
  g_assert_true (isnan (st.variance));
  g_assert_cmpfloat (st.min, ==, mn);
  g_assert_cmpfloat (st.max, ==, mx);
  assert_counts_match (&st, x, n); /* sums to n - 3 finite values */
  for (uint32_t b = 0; b < st.n_bins; b++)
    integral += rv_stats_density (&st, b) * rv_stats_bin_width (&st);
  g_assert_cmpfloat_with_epsilon (integral, 1.0, 1e-12);
  rv_stats_clear (&st);

  /* Nothing finite: NaN moments, zero counts, numpy's empty range. */
  rv_stats_compute (&st, bad, G_N_ELEMENTS (bad), 8);
  g_assert_cmpuint (st.n, ==, G_N_ELEMENTS (bad));
  g_assert_true (isnan (st.mean));
  g_assert_true (isnan (st.variance));
  g_assert_cmpfloat (st.min, ==, 0.0);
  g_assert_cmpfloat (st.max, ==, 0.0);
  g_assert_cmpfloat (st.lo, ==, 0.0);
  g_assert_cmpfloat (st.hi, ==, 1.0);
  for (uint32_t b = 0; b < st.n_bins; b++)
    g_assert_cmpuint (st.counts[b], ==, 0);
  rv_stats_clear (&st);
  g_free (x);
}

static void
test_density (void)
{
  const size_t n = 12345;
  float *x = normal_data (n, 5, 2.0f, 3.0f);
  RvStats st = { 0 };
  double integral = 0.0, width;

  rv_stats_compute (&st, x, n, 37);
  width = rv_stats_bin_width (&st);
  assert_rel (width, ((long double) st.hi - st.lo) / 37, 1e-15);
  for (uint32_t b = 0; b < st.n_bins; b++)
    {
      g_assert_cmpfloat (rv_stats_density (&st, b), ==,
                         (double) st.counts[b] / ((double) n * width));
      integral += rv_stats_density (&st, b) * width;
    }
  g_assert_cmpfloat_with_epsilon (integral, 1.0, 1e-12);
  rv_stats_clear (&st);
  g_free (x);
}

/* Recomputing into a used struct replaces (or reuses) its counts, and clear
 * twice is safe; under ASan a leak here fails the run. */
static void
test_reuse_clear (void)
{
  const size_t n = 500;
  float *x = normal_data (n, 6, 0.0f, 1.0f);
  RvStats st = { 0 };

  rv_stats_compute (&st, x, n, 10);
  rv_stats_compute (&st, x, n, 10);
  assert_counts_match (&st, x, n);
  rv_stats_compute (&st, x, n, 20);
  g_assert_cmpuint (st.n_bins, ==, 20);
  assert_counts_match (&st, x, n);
  rv_stats_clear (&st);
  g_assert_null (st.counts);
  g_assert_cmpuint (st.n, ==, 0);
  g_assert_cmpuint (st.n_bins, ==, 0);
  rv_stats_clear (&st);
  rv_stats_clear (NULL);
  g_free (x);
}

/* A copy owns its counts: changing or clearing the original leaves it be. */
static void
test_copy (void)
{
  const size_t n = 300;
  float *x = normal_data (n, 7, 0.5f, 2.0f);
  RvStats st = { 0 };
  RvStats copy;
  RvStats empty = { .n_bins = 0, .lo = 0.0, .hi = 1.0 };

  rv_stats_compute (&st, x, n, 12);
  rv_stats_copy (&copy, &st);
  g_assert_true (copy.counts != st.counts);
  g_assert_cmpuint (copy.n, ==, st.n);
  g_assert_cmpfloat (copy.mean, ==, st.mean);
  g_assert_cmpfloat (copy.variance, ==, st.variance);
  g_assert_cmpfloat (copy.min, ==, st.min);
  g_assert_cmpfloat (copy.max, ==, st.max);
  g_assert_cmpuint (copy.n_bins, ==, 12);
  g_assert_cmpfloat (copy.lo, ==, st.lo);
  g_assert_cmpfloat (copy.hi, ==, st.hi);
  g_assert_cmpmem (copy.counts, sizeof *copy.counts * copy.n_bins, st.counts, sizeof *st.counts * st.n_bins);

  st.counts[0] += 1000;
  rv_stats_clear (&st);
  assert_counts_match (&copy, x, n);
  rv_stats_clear (&copy);

  /* Without bins there is nothing to own. */
  rv_stats_copy (&copy, &empty);
  g_assert_null (copy.counts);
  g_assert_cmpuint (copy.n_bins, ==, 0);
  g_assert_cmpfloat (copy.hi, ==, 1.0);
  g_free (x);
}

static void
test_scott (void)
{
  g_assert_cmpfloat_with_epsilon (rv_kde_bandwidth (2.0, 32), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (rv_kde_bandwidth (1.0, 100000), 0.1, 1e-15);
  g_assert_cmpfloat (rv_kde_bandwidth (3.0, 1), ==, 3.0);
  g_assert_cmpfloat (rv_kde_bandwidth (3.0, 0), ==, 0.0);
}

/* The sample std (ddof = 1) that scipy's gaussian_kde uses. */
static double
sample_std (const float *x, size_t n)
{
  return sqrt ((double) (ref_variance (x, n) * n / (n - 1)));
}

/* Exact O(n * m) kernel sum in long double. */
static void
direct_kde (const float *x, size_t n, double h, const double *grid, uint32_t m,
            double *out)
{
  for (uint32_t k = 0; k < m; k++)
    {
      long double s = 0.0L;

      for (size_t i = 0; i < n; i++)
        {
          long double u = ((long double) grid[k] - x[i]) / h;
          s += expl (-0.5L * u * u);
        }
      out[k] = (double) (s / ((long double) n * h * sqrtl (2.0L * (long double) G_PI)));
    }
}

static double *
linear_grid (double lo, double hi, uint32_t m)
{
  double *g = g_new (double, m);

  for (uint32_t k = 0; k < m; k++)
    g[k] = lo + (hi - lo) * k / (m - 1);
  return g;
}

static double
max_abs_diff (const double *a, const double *b, uint32_t m, double *peak)
{
  double err = 0.0;

  *peak = 0.0;
  for (uint32_t k = 0; k < m; k++)
    {
      err = MAX (err, fabs (a[k] - b[k]));
      *peak = MAX (*peak, b[k]);
    }
  return err;
}

static void
test_kde_direct (void)
{
  const size_t n = 2000;
  const uint32_t m = 400;
  float *x = normal_data (n, 7, 0.2f, 1.5f);
  RvStats st = { 0 };
  double h, peak, err, *grid, *got, *want;

  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  h = rv_kde_bandwidth (sample_std (x, n), n);
  grid = linear_grid (st.min - 3 * h, st.max + 3 * h, m);
  got = g_new (double, m);
  want = g_new (double, m);
  direct_kde (x, n, h, grid, m, want);

  /* Scott's bandwidth picked inside. */
  rv_kde_evaluate (x, n, 0.0, grid, m, got);
  err = max_abs_diff (got, want, m, &peak);
  g_test_message ("KDE (Scott h = %.4g): max abs err %.3g, peak %.4g", h, err, peak);
  g_assert_cmpfloat (err, <, 1e-4 * peak);

  /* The same bandwidth given explicitly, and a much narrower one. */
  rv_kde_evaluate (x, n, h, grid, m, got);
  g_assert_cmpfloat (max_abs_diff (got, want, m, &peak), <, 1e-4 * peak);
  direct_kde (x, n, h / 10, grid, m, want);
  rv_kde_evaluate (x, n, h / 10, grid, m, got);
  err = max_abs_diff (got, want, m, &peak);
  g_test_message ("KDE (h = %.4g): max abs err %.3g, peak %.4g", h / 10, err, peak);
  g_assert_cmpfloat (err, <, 1e-4 * peak);

  rv_stats_clear (&st);
  g_free (grid);
  g_free (got);
  g_free (want);
  g_free (x);
}

/* A far outlier must not coarsen the curve where the grid looks. */
static void
test_kde_outlier (void)
{
  const size_t n = 2000;
  const uint32_t m = 200;
  float *x = normal_data (n, 8, 0.0f, 1.0f);
  double h = 0.2, peak, *grid, *got, *want;

  x[0] = 1e6f;
  grid = linear_grid (-4.0, 4.0, m);
  got = g_new (double, m);
  want = g_new (double, m);
  direct_kde (x, n, h, grid, m, want);
  rv_kde_evaluate (x, n, h, grid, m, got);
  g_assert_cmpfloat (max_abs_diff (got, want, m, &peak), <, 1e-4 * peak);
  g_free (grid);
  g_free (got);
  g_free (want);
  g_free (x);
}

static void
test_kde_integral (void)
{
  const size_t n = 3000;
  const uint32_t m = 4001;
  float *x = normal_data (n, 9, -0.5f, 0.7f);
  RvStats st = { 0 };
  double h, integral = 0.0, step, *grid, *dens;

  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  h = rv_kde_bandwidth (sample_std (x, n), n);
  grid = linear_grid (st.min - 8 * h, st.max + 8 * h, m);
  dens = g_new (double, m);
  rv_kde_evaluate (x, n, 0.0, grid, m, dens);
  step = grid[1] - grid[0];
  for (uint32_t k = 0; k < m; k++)
    {
      g_assert_cmpfloat (dens[k], >=, 0.0);
      integral += dens[k] * step * (k == 0 || k == m - 1 ? 0.5 : 1.0);
    }
  g_test_message ("KDE integral %.8f", integral);
  g_assert_cmpfloat_with_epsilon (integral, 1.0, 1e-3);
  rv_stats_clear (&st);
  g_free (grid);
  g_free (dens);
  g_free (x);
}

static void
assert_all_zero (const double *d, uint32_t m)
{
  for (uint32_t k = 0; k < m; k++)
    g_assert_cmpfloat (d[k], ==, 0.0);
}

static void
test_kde_degenerate (void)
{
  const uint32_t m = 64;
  float constant[100], one[] = { 1.0f }, nothing[] = { NAN, INFINITY };
  double *grid = linear_grid (-2.0, 2.0, m), dens[64], peak;

  for (size_t i = 0; i < G_N_ELEMENTS (constant); i++)
    constant[i] = 0.5f;

  /* Scott's rule has no bandwidth for these: zeros, as seaborn skips them. */
  for (uint32_t k = 0; k < m; k++)
    dens[k] = -1.0;
  rv_kde_evaluate (constant, G_N_ELEMENTS (constant), 0.0, grid, m, dens);
  assert_all_zero (dens, m);
  rv_kde_evaluate (one, 1, 0.0, grid, m, dens);
  assert_all_zero (dens, m);
  rv_kde_evaluate (NULL, 0, 0.0, grid, m, dens);
  assert_all_zero (dens, m);
  rv_kde_evaluate (nothing, G_N_ELEMENTS (nothing), 0.3, grid, m, dens);
  assert_all_zero (dens, m);
  rv_kde_evaluate (constant, G_N_ELEMENTS (constant), 0.0, NULL, 0, NULL);

  /* An explicit bandwidth makes a constant tensor a plain Gaussian bump. */
  {
    double want[64];

    rv_kde_evaluate (constant, G_N_ELEMENTS (constant), 0.25, grid, m, dens);
    direct_kde (constant, G_N_ELEMENTS (constant), 0.25, grid, m, want);
    g_assert_cmpfloat (max_abs_diff (dens, want, m, &peak), <, 1e-12 * peak);
  }
  g_free (grid);
}

static void
test_kde_nonfinite (void)
{
  const size_t n = 1000;
  const uint32_t m = 128;
  float *x = normal_data (n, 10, 0.0f, 1.0f);
  float *clean = g_new (float, n);
  double *grid = linear_grid (-4.0, 4.0, m), *got = g_new (double, m);
  double *want = g_new (double, m), peak;
  size_t n_clean = 0;

  x[3] = NAN;
  x[400] = -INFINITY;
  x[777] = INFINITY;
  for (size_t i = 0; i < n; i++)
    if (isfinite (x[i]))
      clean[n_clean++] = x[i];
  rv_kde_evaluate (x, n, 0.0, grid, m, got);
  rv_kde_evaluate (clean, n_clean, 0.0, grid, m, want);
  g_assert_cmpfloat (max_abs_diff (got, want, m, &peak), <=, 1e-12 * peak);
  g_assert_cmpfloat (peak, >, 0.3);
  g_free (grid);
  g_free (got);
  g_free (want);
  g_free (clean);
  g_free (x);
}

/* A layer-sized tensor: only checks that it runs and stays consistent. */
static void
test_large (void)
{
  const size_t n = 1000000;
  const uint32_t m = 512;
  float *x = normal_data (n, 11, 0.0f, 0.05f);
  RvStats st = { 0 };
  uint64_t total = 0;
  double *grid, *dens;
  gint64 t0, t1, t2, t3;

  t0 = g_get_monotonic_time ();
  rv_stats_compute (&st, x, n, RV_DEFAULT_BINS);
  t1 = g_get_monotonic_time ();
  for (uint32_t b = 0; b < st.n_bins; b++)
    total += st.counts[b];
  g_assert_cmpuint (total, ==, n);
  g_assert_cmpfloat (fabs (st.mean), <, 1e-3);
  assert_rel (st.variance, ref_variance (x, n), 1e-12);

  grid = linear_grid (st.lo, st.hi, m);
  dens = g_new (double, m);
  t2 = g_get_monotonic_time ();
  rv_kde_evaluate (x, n, 0.0, grid, m, dens);
  t3 = g_get_monotonic_time ();
  g_assert_cmpfloat (dens[m / 2], >, 5.0); /* peak of N(0, 0.05) ~ 7.98 */
  g_test_message ("1M values: stats %.1f ms, KDE on %u points %.1f ms",
                  (t1 - t0) / 1000.0, m, (t3 - t2) / 1000.0);
  rv_stats_clear (&st);
  g_free (grid);
  g_free (dens);
  g_free (x);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/moments-normal", test_moments_normal);
  g_test_add_func ("/stats/variance-offset", test_variance_offset);
  g_test_add_func ("/stats/histogram-bruteforce", test_histogram_bruteforce);
  g_test_add_func ("/stats/histogram-edges", test_histogram_edges);
  g_test_add_func ("/stats/constant", test_constant);
  g_test_add_func ("/stats/single", test_single);
  g_test_add_func ("/stats/empty", test_empty);
  g_test_add_func ("/stats/nonfinite", test_nonfinite);
  g_test_add_func ("/stats/density", test_density);
  g_test_add_func ("/stats/reuse-clear", test_reuse_clear);
  g_test_add_func ("/stats/copy", test_copy);
  g_test_add_func ("/stats/large", test_large);
  g_test_add_func ("/kde/scott", test_scott);
  g_test_add_func ("/kde/direct", test_kde_direct);
  g_test_add_func ("/kde/outlier", test_kde_outlier);
  g_test_add_func ("/kde/integral", test_kde_integral);
  g_test_add_func ("/kde/degenerate", test_kde_degenerate);
  g_test_add_func ("/kde/nonfinite", test_kde_nonfinite);

  return g_test_run ();
}
