/* test-ridgeline.c: the histogram history (bounded, thinning storage of
 * snapshots) and the ridgeline view drawn from it.
 *
 * The model is checked on its bookkeeping: decimation, rewinds, ranges.
 * The view is checked on the numbers it derives (value ranges, current and
 * follow, picking) and on the pixels of PNG exports, which are kept for
 * people to look at when RAVINE_TEST_SHOTS names a folder. */
#include "rv-config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "rv-histogram-history.h"
#include "rv-plot-export.h"
#include "rv-plot.h"
#include "rv-ridgeline-view.h"
#include "rv-rng.h"
#include "rv-stats.h"
#include "widget-test-util.h"

/* ---- helpers ---------------------------------------------------------- */

static void
draw_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_ridgeline_view_draw (data, cr, width, height);
}

/* Exports the view to a PNG in the temporary folder and reads it back. */
static cairo_surface_t *
render (RvRidgelineView *view, const char *name, int width, int height)
{
  return widget_test_render (name, draw_view, view, width, height);
}

static gboolean
same_color (WidgetTestPixel a, WidgetTestPixel b, int tolerance)
{
  return abs (a.r - b.r) <= tolerance && abs (a.g - b.g) <= tolerance && abs (a.b - b.b) <= tolerance;
}

/* The test colour (0.8, 0.1, 0.1), mixed into white as the front slice is. */
static gboolean
is_reddish (WidgetTestPixel p)
{
  return p.r > 150 && p.r - p.g > 60 && p.r - p.b > 60;
}

static const GdkRGBA red = { 0.8, 0.1, 0.1, 1.0 };

/* A hand-made snapshot over [lo, hi]: counts shaped like a bump around
 * centre (in [0, 1] of the range), and a given variance. */
static void
append_bump (RvHistogramHistory *history, guint64 step, double lo, double hi,
             double centre, guint n_bins, double variance)
{
  g_autofree uint64_t *counts = g_new0 (uint64_t, n_bins);
  RvStats stats = { 0 };

  for (guint i = 0; i < n_bins; i++)
    {
      double x = (i + 0.5) / n_bins - centre;

      counts[i] = (uint64_t) round (1000.0 * exp (-x * x / (2 * 0.08 * 0.08)));
      stats.n += counts[i];
    }
  stats.n_bins = n_bins;
  stats.lo = stats.min = lo;
  stats.hi = stats.max = hi;
  stats.mean = lo + (hi - lo) * centre;
  stats.variance = variance;
  stats.counts = counts;
  rv_histogram_history_append (history, step, &stats);
}

/* A snapshot of n normal values with the given mean and std, as the
 * trainer's probe makes them. */
static void
append_normal (RvHistogramHistory *history, guint64 step, float mean, float std, gboolean relu_like)
{
  const size_t n = 8192;
  g_autofree float *values = g_new (float, n);
  RvStats stats = { 0 };

  rv_rng_fill_normal (values, n, 7, RV_STREAM_INIT + step, mean, std);
  if (relu_like)
    for (size_t i = 0; i < n; i++)
      values[i] = values[i] > 0.0f ? values[i] : 0.1f * values[i];
  rv_stats_compute (&stats, values, n, RV_DEFAULT_BINS);
  rv_histogram_history_append (history, step, &stats);
  rv_stats_clear (&stats);
}

static void
count_signal (gpointer instance, gpointer data)
{
  (*(guint *) data)++;
}

/* ---- the model -------------------------------------------------------- */

static void
test_history_basics (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 2 (512 → 256)");
  uint64_t counts[3] = { 1, 5, 2 };
  RvStats stats = { .n = 8, .variance = 0.5, .min = -1, .max = 2, .n_bins = 3,
                    .lo = -1, .hi = 2, .counts = counts };
  guint changed = 0;
  double lo, hi;

  g_signal_connect (history, "changed", G_CALLBACK (count_signal), &changed);
  g_assert_cmpstr (rv_histogram_history_get_title (history), ==, "Layer 2 (512 → 256)");
  g_assert_cmpuint (rv_histogram_history_get_capacity (history), ==, RV_HISTOGRAM_HISTORY_DEFAULT_CAPACITY);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, 0);
  g_assert_false (rv_histogram_history_get_full_range (history, &lo, &hi));
  g_assert_cmpint (rv_histogram_history_find_step (history, 100), ==, -1);

  rv_histogram_history_append (history, 10, &stats);
  g_assert_cmpuint (changed, ==, 1);
  /* A copy: the caller's counts may change afterwards. */
  counts[1] = 99;
  g_assert_cmpuint (rv_histogram_history_get_stats (history, 0)->counts[1], ==, 5);
  g_assert_cmpuint (rv_histogram_history_get_peak (history, 0), ==, 5);
  g_assert_cmpuint (rv_histogram_history_get_step (history, 0), ==, 10);
  g_assert_cmpfloat (rv_histogram_history_get_stats (history, 0)->variance, ==, 0.5);

  /* A degenerate range is widened; an empty histogram is held too. */
  stats.lo = stats.hi = 3.0;
  rv_histogram_history_append (history, 20, &stats);
  g_assert_cmpfloat (rv_histogram_history_get_stats (history, 1)->hi, ==, 4.0);
  stats.n_bins = 0;
  stats.counts = NULL;
  rv_histogram_history_append (history, 30, &stats);
  g_assert_cmpuint (rv_histogram_history_get_peak (history, 2), ==, 0);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, 3);

  g_assert_cmpint (rv_histogram_history_find_step (history, 9), ==, -1);
  g_assert_cmpint (rv_histogram_history_find_step (history, 10), ==, 0);
  g_assert_cmpint (rv_histogram_history_find_step (history, 25), ==, 1);
  g_assert_cmpint (rv_histogram_history_find_step (history, 1000), ==, 2);

  g_assert_true (rv_histogram_history_get_full_range (history, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -1.0);
  g_assert_cmpfloat (hi, ==, 4.0);
  g_assert_true (rv_histogram_history_get_recent_range (history, 2, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 3.0);
  g_assert_cmpfloat (hi, ==, 4.0);
  g_assert_true (rv_histogram_history_get_range (history, 0, 1, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -1.0);
  g_assert_cmpfloat (hi, ==, 2.0);
  g_assert_false (rv_histogram_history_get_range (history, 5, 2, &lo, &hi));

  /* A rewound run (resumed from a checkpoint) replaces the future. */
  stats.n_bins = 3;
  stats.counts = counts;
  stats.lo = -1;
  stats.hi = 2;
  rv_histogram_history_append (history, 20, &stats);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, 2);
  g_assert_cmpuint (rv_histogram_history_get_step (history, 1), ==, 20);
  g_assert_cmpuint (rv_histogram_history_get_peak (history, 1), ==, 99);

  changed = 0;
  rv_histogram_history_clear (history);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, 0);
}

static void
test_history_decimation_exact (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("t");
  static const guint64 expected[] = { 0, 20, 40, 50, 60, 70, 80 };

  rv_histogram_history_set_capacity (history, 8);
  for (guint i = 0; i < 8; i++)
    append_bump (history, i * 10, -1, 1, 0.5, 8, 1.0);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, 8);

  /* Full: indices 1 and 3 of the older half (steps 10, 30) go. */
  append_bump (history, 80, -1, 1, 0.5, 8, 1.0);
  g_assert_cmpuint (rv_histogram_history_get_n (history), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (rv_histogram_history_get_step (history, i), ==, expected[i]);

  /* Lowering the capacity thins at once; never below the minimum. */
  rv_histogram_history_set_capacity (history, 5);
  g_assert_cmpuint (rv_histogram_history_get_n (history), <=, 5);
  g_assert_cmpuint (rv_histogram_history_get_step (history, 0), ==, 0);
  g_assert_cmpuint (rv_histogram_history_get_step (history, rv_histogram_history_get_n (history) - 1), ==, 80);
  rv_histogram_history_set_capacity (history, 1);
  g_assert_cmpuint (rv_histogram_history_get_capacity (history), ==, RV_HISTOGRAM_HISTORY_MIN_CAPACITY);
  for (guint i = 9; i < 100; i++)
    {
      append_bump (history, i * 10, -1, 1, 0.5, 8, 1.0);
      g_assert_cmpuint (rv_histogram_history_get_n (history), <=, RV_HISTOGRAM_HISTORY_MIN_CAPACITY);
      g_assert_cmpuint (rv_histogram_history_get_step (history, rv_histogram_history_get_n (history) - 1), ==, i * 10);
    }
}

/* A 40-epoch run: ~8,000 steps, a snapshot every 10, default capacity. */
static void
test_history_decimation_long (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 4 (256 → 256)");
  guint capacity = rv_histogram_history_get_capacity (history);
  guint n;
  double old_gaps = 0.0, new_gaps = 0.0;

  for (guint64 step = 0; step <= 8000; step += 10)
    {
      /* Bin counts may differ between snapshots. */
      append_bump (history, step, -1.0 - step * 1e-4, 1.0, 0.5, 20 + (guint) (step / 10) % 40, 1.0);
      n = rv_histogram_history_get_n (history);
      g_assert_cmpuint (n, <=, capacity);
      g_assert_cmpuint (rv_histogram_history_get_step (history, n - 1), ==, step);
      g_assert_cmpuint (rv_histogram_history_get_step (history, 0), ==, 0);
    }

  n = rv_histogram_history_get_n (history);
  /* Thinning starts only when full, and leaves room for what comes. */
  g_assert_cmpuint (n, >, capacity / 2);
  for (guint i = 1; i < n; i++)
    g_assert_cmpuint (rv_histogram_history_get_step (history, i), >,
                      rv_histogram_history_get_step (history, i - 1));

  /* Recent history at full density, old history thinned. */
  g_assert_cmpuint (rv_histogram_history_get_step (history, n - 1)
                    - rv_histogram_history_get_step (history, n - 2), ==, 10);
  g_assert_cmpuint (rv_histogram_history_get_step (history, 1)
                    - rv_histogram_history_get_step (history, 0), >, 100);
  for (guint i = 1; i < n / 2; i++)
    old_gaps += rv_histogram_history_get_step (history, i) - rv_histogram_history_get_step (history, i - 1);
  for (guint i = n / 2 + 1; i < n; i++)
    new_gaps += rv_histogram_history_get_step (history, i) - rv_histogram_history_get_step (history, i - 1);
  old_gaps /= n / 2 - 1;
  new_gaps /= n - n / 2 - 1;
  g_test_message ("%u snapshots kept; mean step gap %.0f (older half), %.0f (newer half)",
                  n, old_gaps, new_gaps);
  g_assert_cmpfloat (old_gaps, >, 2.0 * new_gaps);

  /* Each snapshot still has its own bins. */
  g_assert_cmpuint (rv_histogram_history_get_stats (history, n - 1)->n_bins, ==, 20 + 800 % 40);
}

/* ---- the view: numbers ------------------------------------------------ */

static RvRidgelineView *
new_view (RvHistogramHistory *history)
{
  RvRidgelineView *view = RV_RIDGELINE_VIEW (g_object_ref_sink (rv_ridgeline_view_new (history)));

  rv_ridgeline_view_set_color (view, &red);
  return view;
}

static void
check_range (RvRidgelineView *view, double want_lo, double want_hi)
{
  double lo, hi;

  g_assert_true (rv_ridgeline_view_get_x_range (view, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, want_lo, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, want_hi, 1e-9);
}

static void
test_view_range_modes (void)
{
  g_autoptr (RvHistogramHistory) drifting = rv_histogram_history_new ("drifting");
  g_autoptr (RvHistogramHistory) widening = rv_histogram_history_new ("widening");
  g_autoptr (RvHistogramHistory) shrinking = rv_histogram_history_new ("shrinking");
  g_autoptr (RvRidgelineView) view = new_view (drifting);

  for (guint i = 0; i < 50; i++)
    {
      append_bump (drifting, i * 10, i * 0.1 - 1.0, i * 0.1 + 1.0, 0.5, 30, 0.3);
      double w = (i + 1) * 0.1, s = (50 - i) * 0.1;

      append_bump (widening, i * 10, -w, w, 0.5, 30, 0.3);
      append_bump (shrinking, i * 10, -s, s, 0.5, 30, 0.3);
    }

  g_assert_cmpint (rv_ridgeline_view_get_range_mode (view), ==, RV_RIDGELINE_RANGE_RECENT);
  g_assert_cmpuint (rv_ridgeline_view_get_recent_count (view), ==, 20);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 49);

  /* Drifting right: the recent range leaves the start behind. */
  check_range (view, 3.0 - 1.0, 4.9 + 1.0);
  rv_ridgeline_view_set_recent_count (view, 5);
  check_range (view, 4.5 - 1.0, 4.9 + 1.0);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);
  check_range (view, -1.0, 5.9);
  /* Up to current only. */
  rv_ridgeline_view_set_current (view, 10);
  check_range (view, -1.0, 2.0);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_RECENT);
  check_range (view, 0.6 - 1.0, 2.0);
  rv_ridgeline_view_set_recent_count (view, 20);
  check_range (view, -1.0, 2.0);

  /* Widening: both modes span the newest, widest slice. */
  rv_ridgeline_view_set_model (view, widening);
  rv_ridgeline_view_set_follow (view, TRUE);
  check_range (view, -5.0, 5.0);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);
  check_range (view, -5.0, 5.0);
  rv_ridgeline_view_set_current (view, 9);
  check_range (view, -1.0, 1.0);

  /* Shrinking: only the recent range zooms in on where values are now. */
  rv_ridgeline_view_set_model (view, shrinking);
  rv_ridgeline_view_set_follow (view, TRUE);
  check_range (view, -5.0, 5.0);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_RECENT);
  check_range (view, -2.0, 2.0);

  /* For people to look at: old, wide slices run off the sides. */
  cairo_surface_destroy (render (view, "ridgeline-shrinking-recent.png", 520, 340));
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_view_follow (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("follow");
  g_autoptr (RvRidgelineView) view = new_view (history);
  guint current_notes = 0, follow_notes = 0;

  g_signal_connect (view, "notify::current", G_CALLBACK (count_notify), &current_notes);
  g_signal_connect (view, "notify::follow", G_CALLBACK (count_notify), &follow_notes);

  g_assert_true (rv_ridgeline_view_get_follow (view));
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 0);
  rv_histogram_history_set_capacity (history, 16);
  for (guint i = 0; i < 10; i++)
    {
      append_bump (history, i * 10, -1, 1, 0.5, 10, 1.0);
      g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, i);
    }
  g_assert_cmpuint (current_notes, ==, 9);

  /* Looking back stops following; new snapshots leave the view alone. */
  rv_ridgeline_view_set_current (view, 4);
  g_assert_false (rv_ridgeline_view_get_follow (view));
  g_assert_cmpuint (follow_notes, ==, 1);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 4);
  append_bump (history, 100, -1, 1, 0.5, 10, 1.0);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 4);

  /* Decimation moves indices; the view keeps the step it shows. */
  for (guint i = 11; i < 30; i++)
    append_bump (history, i * 10, -1, 1, 0.5, 10, 1.0);
  {
    guint current = rv_ridgeline_view_get_current (view);

    /* Step 40 itself may have been thinned away: the newest before it. */
    g_assert_cmpuint (rv_histogram_history_get_step (history, current), <=, 40);
    g_assert_cmpuint (rv_histogram_history_get_step (history, current + 1), >, 40);
    g_assert_false (rv_ridgeline_view_get_follow (view));
  }

  /* Following again jumps to the newest and tracks it. */
  rv_ridgeline_view_set_follow (view, TRUE);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, rv_histogram_history_get_n (history) - 1);
  append_bump (history, 300, -1, 1, 0.5, 10, 1.0);
  g_assert_cmpuint (rv_histogram_history_get_step (history, rv_ridgeline_view_get_current (view)), ==, 300);

  /* Setting the newest keeps following; indices clamp. */
  rv_ridgeline_view_set_current (view, 1000);
  g_assert_true (rv_ridgeline_view_get_follow (view));
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, rv_histogram_history_get_n (history) - 1);

  /* Through properties, as a GtkScale binding would. */
  g_object_set (view, "current", 2u, NULL);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 2);
  g_assert_false (rv_ridgeline_view_get_follow (view));

  rv_histogram_history_clear (history);
  g_assert_cmpuint (rv_ridgeline_view_get_current (view), ==, 0);
}

/* ---- the view: pixels ------------------------------------------------- */

/* Nine slices bunched on the left, the newest on the right, all over
 * [-3, 3]: right above the newest baseline on the right, only the newest
 * slice draws. */
static void
test_view_scrub (void)
{
  const int width = 480, height = 320;
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 2 (512 → 256)");
  g_autoptr (RvRidgelineView) view = new_view (history);
  cairo_surface_t *surface;
  graphene_rect_t area;
  WidgetTestPixel bg;
  double x, y, prev_base, base;
  guint index;
  double value;

  for (guint i = 0; i < 9; i++)
    append_bump (history, i * 100, -3, 3, 0.2, 24, 0.5);
  append_bump (history, 900, -3, 3, 0.8, 24, 0.5);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);

  g_assert_true (rv_ridgeline_view_get_plot_area (view, width, height, &area));
  g_assert_true (rv_ridgeline_view_map (view, width, height, 9, 1.8, 0.0, &x, &base));
  g_assert_true (rv_ridgeline_view_map (view, width, height, 8, 1.8, 0.0, NULL, &prev_base));
  /* The newest in front at the bottom, the older ones above it. */
  g_assert_cmpfloat_with_epsilon (base, area.origin.y + area.size.height, 0.5);
  g_assert_cmpfloat (prev_base, <, base - 10.0);
  g_assert_true (rv_ridgeline_view_map (view, width, height, 0, 1.8, 0.0, NULL, &y));
  g_assert_cmpfloat (y, <, prev_base);
  g_assert_cmpfloat (y, >, area.origin.y);

  /* Picking finds the newest slice under its peak. */
  g_assert_true (rv_ridgeline_view_map (view, width, height, 9, 1.8, 0.5, &x, &y));
  g_assert_true (rv_ridgeline_view_pick (view, width, height, x, y, &index, &value));
  g_assert_cmpuint (index, ==, 9);
  g_assert_cmpfloat_with_epsilon (value, 1.8, 0.05);
  g_assert_false (rv_ridgeline_view_pick (view, width, height, 1, 1, &index, &value));
  {
    g_autofree char *text = rv_ridgeline_view_describe_at (view, 9, 1.8);

    g_assert_nonnull (strstr (text, "Step 900"));
    g_assert_nonnull (strstr (text, "value 1.8"));
    g_assert_nonnull (strstr (text, "\n[1.75, 2): 988"));
  }

  surface = render (view, "ridgeline-scrub-newest.png", width, height);
  bg = widget_test_pixel_at (surface, 2, 2);
  y = base - 4.0;
  for (int dy = 0; dy < 6; dy++)
    for (int dx = -3; dx <= 3; dx++)
      g_assert_true (is_reddish (widget_test_pixel_at (surface, (int) x + dx, (int) y - dy)));
  /* Above, the older slices are fainter than the front one. */
  {
    double old_x, old_y;
    WidgetTestPixel front, back;

    g_assert_true (rv_ridgeline_view_map (view, width, height, 0, -1.8, 0.8, &old_x, &old_y));
    back = widget_test_pixel_at (surface, (int) old_x, (int) old_y);
    front = widget_test_pixel_at (surface, (int) x, (int) base - 6);
    g_assert_false (same_color (back, bg, 4));
    g_assert_cmpint (bg.g - back.g, <, bg.g - front.g);
  }
  cairo_surface_destroy (surface);

  /* Back one snapshot: the newest is gone, its place left empty. */
  rv_ridgeline_view_set_current (view, 8);
  g_assert_false (rv_ridgeline_view_map (view, width, height, 9, 1.8, 0.0, NULL, NULL));
  surface = render (view, "ridgeline-scrub-back.png", width, height);
  for (int dy = 0; dy < 6; dy++)
    for (int dx = -3; dx <= 3; dx++)
      g_assert_true (same_color (widget_test_pixel_at (surface, (int) x + dx, (int) y - dy), bg, 24));
  cairo_surface_destroy (surface);

  /* And forward again. */
  rv_ridgeline_view_set_follow (view, TRUE);
  surface = render (view, "ridgeline-scrub-forward.png", width, height);
  g_assert_true (is_reddish (widget_test_pixel_at (surface, (int) x, (int) y)));
  cairo_surface_destroy (surface);
}

static void
test_view_accessible (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 2 (512 → 256)");
  g_autoptr (RvRidgelineView) view = new_view (history);
  uint64_t counts[3] = { 1, 2, 1 };
  RvStats stats = { .n = 4, .variance = 0.43, .min = -2.1, .max = 3.4, .n_bins = 3,
                    .lo = -2.1, .hi = 3.4, .counts = counts };
  g_autofree char *empty = rv_ridgeline_view_dup_summary (view);
  g_autofree char *summary = NULL;
  char *failure;

  g_assert_cmpstr (empty, ==, "Layer 2 (512 → 256): no snapshots yet");
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, "Layer 2 (512 → 256)");
  g_assert_null (failure);

  rv_histogram_history_append (history, 7990, &stats);
  stats.variance = 1.5;
  rv_histogram_history_append (history, 8000, &stats);
  summary = rv_ridgeline_view_dup_summary (view);
  g_assert_cmpstr (summary, ==,
                   "Layer 2 (512 → 256) at step 8,000 of 8,000: variance 1.5, range −2.1 to 3.4; 2 snapshots");
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
  g_assert_null (failure);

  /* Scrubbing describes the snapshot shown. */
  rv_ridgeline_view_set_current (view, 0);
  g_free (summary);
  summary = rv_ridgeline_view_dup_summary (view);
  g_assert_nonnull (strstr (summary, "at step 7,990 of 8,000: variance 0.43"));
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
  g_assert_null (failure);
}

static void
test_view_edge_cases (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 8 (128 → 10)");
  g_autoptr (RvRidgelineView) view = new_view (NULL);
  cairo_surface_t *surface;
  int min_w, min_h, nat;

  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat, NULL, NULL);
  g_assert_cmpint (min_w, >=, 200);
  g_assert_cmpint (min_h, >=, 150);

  /* No model, an empty model, one snapshot, a tiny size: all draw. */
  cairo_surface_destroy (render (view, "ridgeline-no-model.png", 300, 200));
  rv_ridgeline_view_set_model (view, history);
  cairo_surface_destroy (render (view, "ridgeline-empty.png", 300, 200));
  append_normal (history, 0, 0.0f, 1.0f, FALSE);
  surface = render (view, "ridgeline-single.png", 300, 200);
  {
    graphene_rect_t area;
    double x, y;

    g_assert_true (rv_ridgeline_view_get_plot_area (view, 300, 200, &area));
    g_assert_true (rv_ridgeline_view_map (view, 300, 200, 0, 0.0, 0.5, &x, &y));
    g_assert_true (is_reddish (widget_test_pixel_at (surface, (int) x, (int) y)));
  }
  cairo_surface_destroy (surface);
  cairo_surface_destroy (render (view, "ridgeline-tiny.png", 40, 30));

  /* A snapshot without bins, and the stepped outline. */
  {
    RvStats stats = { .n_bins = 0, .lo = 0, .hi = 1 };

    rv_histogram_history_append (history, 10, &stats);
  }
  append_normal (history, 20, 0.5f, 0.5f, TRUE);
  rv_ridgeline_view_set_stepped (view, TRUE);
  cairo_surface_destroy (render (view, "ridgeline-stepped.png", 400, 260));
  {
    g_autofree char *text = rv_ridgeline_view_describe_at (view, 1, 0.5);

    g_assert_cmpstr (text, ==, "Step 10 · value 0.5");
  }
  g_assert_null (rv_ridgeline_view_describe_at (view, 3, 0.0));
}

/* Steps are whole numbers: so is every step tick, at every size, even for
 * a history of a few steps stretched over a tall chart. */
static void
test_view_step_ticks (void)
{
  const guint64 runs[][2] = { { 0, 3 }, { 0, 1 }, { 5, 12 }, { 0, 7990 } };
  const int sizes[][2] = { { 260, 200 }, { 300, 900 }, { 1024, 600 } };

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Steps");
      g_autoptr (RvRidgelineView) view = new_view (history);
      guint64 every = MAX ((runs[r][1] - runs[r][0]) / 10, 1u);

      for (guint64 step = runs[r][0]; step <= runs[r][1]; step += every)
        append_normal (history, step, 0.0f, 1.0f, FALSE);
      for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
        {
          double ticks[RV_PLOT_MAX_TICKS];
          guint n = rv_ridgeline_view_get_step_ticks (view, sizes[k][0], sizes[k][1], ticks);

          g_assert_cmpuint (n, >=, 2);
          for (guint i = 0; i < n; i++)
            {
              g_assert_cmpfloat (ticks[i], ==, floor (ticks[i]));
              g_assert_cmpfloat (ticks[i], >=, (double) runs[r][0]);
              g_assert_cmpfloat (ticks[i], <=, (double) runs[r][1]);
              if (i > 0)
                g_assert_cmpfloat (ticks[i], >, ticks[i - 1]);
            }
        }
    }
}

/* The end value labels, centred on their ticks, stay inside the chart on
 * the left and short of the step labels on the right. */
static void
check_x_labels_fit (RvRidgelineView *view, int width, int height)
{
  double ticks[RV_PLOT_MAX_TICKS], step = 0.0;
  guint n = rv_ridgeline_view_get_x_ticks (view, width, height, ticks, &step);
  guint ends[2] = { 0, n - 1 };
  graphene_rect_t area;

  g_assert_cmpuint (n, >=, 2);
  g_assert_true (rv_ridgeline_view_get_plot_area (view, width, height, &area));
  for (guint e = 0; e < 2; e++)
    {
      g_autofree char *label = rv_plot_format_tick (ticks[ends[e]], step);
      double half = rv_plot_text_width (GTK_WIDGET (view), label, PANGO_SCALE_SMALL, FALSE) / 2.0;
      double x;

      g_assert_true (rv_ridgeline_view_map (view, width, height, rv_ridgeline_view_get_current (view),
                                            ticks[ends[e]], 0.0, &x, NULL));
      g_test_message ("%d×%d: label %s over [%g, %g]", width, height, label, x - half, x + half);
      g_assert_cmpfloat (x - half, >=, RV_PLOT_PAD - 0.5);
      g_assert_cmpfloat (x + half, <=, area.origin.x + area.size.width + RV_PLOT_TICK + RV_PLOT_GAP + 0.5);
    }
}

/* Values all alike, as gradients under constant init are: each slice one
 * visible block at the value, on an axis whose ticks read as distinct
 * numbers (not apart in the fifth digit). */
static void
test_view_degenerate (void)
{
  const double jitters[] = { 0.0, 1e-17 };
  const double value = -8.14e-12;

  for (guint j = 0; j < G_N_ELEMENTS (jitters); j++)
    {
      g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Alike");
      g_autoptr (RvRidgelineView) view = new_view (history);
      g_autofree char *name = g_strdup_printf ("ridgeline-degenerate-%u.png", j);
      cairo_surface_t *surface;
      double ticks[RV_PLOT_MAX_TICKS], step = 0.0, x, y;
      guint n;

      for (guint64 step_i = 0; step_i < 6; step_i++)
        {
          float values[300];
          RvStats stats = { 0 };

          for (guint i = 0; i < G_N_ELEMENTS (values); i++)
            values[i] = (float) (value + ((int) (i % 3) - 1) * jitters[j]);
          rv_stats_compute (&stats, values, G_N_ELEMENTS (values), RV_DEFAULT_BINS);
          rv_histogram_history_append (history, step_i * 100, &stats);
          rv_stats_clear (&stats);
        }

      surface = render (view, name, 300, 220);
      g_assert_true (rv_ridgeline_view_map (view, 300, 220, rv_ridgeline_view_get_current (view), value, 0.5,
                                            &x, &y));
      g_assert_true (is_reddish (widget_test_pixel_at (surface, x, y)));
      g_assert_true (is_reddish (widget_test_pixel_at (surface, x - 2, y)));
      g_assert_true (is_reddish (widget_test_pixel_at (surface, x + 2, y)));
      cairo_surface_destroy (surface);

      n = rv_ridgeline_view_get_x_ticks (view, 300, 220, ticks, &step);
      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpfloat (step, >=, 1e-3 * fabs (value));
      for (guint i = 0; i + 1 < n; i++)
        {
          g_autofree char *a = rv_plot_format_tick (ticks[i], step);
          g_autofree char *b = rv_plot_format_tick (ticks[i + 1], step);

          g_assert_cmpstr (a, !=, b);
        }
    }
}

/* Where the data lies: the outlines of the slices drawn, inside the plot. */
static void
test_view_geometry (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Geometry");
  g_autoptr (RvRidgelineView) view = new_view (history);
  g_autoptr (RvChartGeometry) empty = rv_chart_collect_geometry (RV_CHART (view), 400, 300);
  g_autoptr (RvChartGeometry) geometry = NULL;
  graphene_rect_t area, around;
  double x, y;

  g_assert_cmpuint (empty->segments->len, ==, 0);
  for (guint64 step = 0; step <= 100; step += 10)
    append_normal (history, step, 0.0f, 1.0f, FALSE);
  geometry = rv_chart_collect_geometry (RV_CHART (view), 400, 300);
  g_assert_cmpuint (geometry->segments->len, >, 100);
  g_assert_true (rv_ridgeline_view_get_plot_area (view, 400, 300, &area));
  /* Every outline point within the plot (the recent range clips old
   * slices at the sides, as drawing does). */
  around = GRAPHENE_RECT_INIT (area.origin.x - 200, area.origin.y - 3, area.size.width + 400, area.size.height + 6);
  for (guint i = 0; i < geometry->segments->len; i++)
    g_assert_true (graphene_rect_contains_point (&around, &g_array_index (geometry->segments, graphene_point_t, i)));
  /* The front slice's peak is on an outline. */
  g_assert_true (rv_ridgeline_view_map (view, 400, 300, rv_ridgeline_view_get_current (view), 0.0, 0.9, &x, &y));
  g_assert_cmpuint (rv_chart_geometry_count_in (geometry, &GRAPHENE_RECT_INIT (x - 6, y - 6, 12, 12)), >, 0);
}

/* No label or title runs into the chart's edges, from the smallest size
 * the chart asks for to a page's. */
static void
test_view_labels_inside (void)
{
  g_autoptr (RvHistogramHistory) history = rv_histogram_history_new ("Layer 6 (256 → 128) activations");
  g_autoptr (RvRidgelineView) view = new_view (history);
  const int sizes[][2] = { { 260, 200 }, { 320, 240 }, { 480, 320 }, { 1024, 600 } };

  /* Ticks at both ends of the values, with long labels. */
  for (guint64 step = 0; step <= 12000; step += 400)
    append_bump (history, step, -10000.0, 10000.0, 0.3 + step / 30000.0, 40, 1.5e7);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree char *name = g_strdup_printf ("ridgeline-labels-%dx%d.png", sizes[k][0], sizes[k][1]);
      cairo_surface_t *surface = render (view, name, sizes[k][0], sizes[k][1]);

      g_assert_true (widget_test_border_is_clear (surface, 2));
      cairo_surface_destroy (surface);
      check_x_labels_fit (view, sizes[k][0], sizes[k][1]);
    }
}

/* ---- realistic histories, for people to look at ---------------------- */

/* A Gaussian whose std grows from 0.1 to 1 over 100 snapshots. */
static RvHistogramHistory *
growing_history (void)
{
  RvHistogramHistory *history = rv_histogram_history_new ("Layer 2 (512 → 256) activations");

  for (guint i = 0; i < 100; i++)
    append_normal (history, i * 80, 0.0f, 0.1f + 0.9f * i / 99.0f, FALSE);
  return history;
}

static void
test_realistic (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr (RvHistogramHistory) history = growing_history ();
  GtkWidget *window = gtk_window_new ();
  RvRidgelineView *view = RV_RIDGELINE_VIEW (rv_ridgeline_view_new (history));
  RvPlotStyle style;
  cairo_surface_t *surface;
  graphene_rect_t area;
  double x, y;

  /* In a shown window: an unmapped one never sees the style change. */
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 200 && !gtk_widget_get_mapped (GTK_WIDGET (view)); i++)
    g_main_context_iteration (NULL, TRUE);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);

  surface = render (view, "ridgeline-light.png", 560, 380);
  g_assert_cmpfloat (widget_test_luminance (widget_test_pixel_at (surface, 2, 2)), >, 0.8);
  /* The front slice's peak, drawn in the palette colour. */
  g_assert_true (rv_ridgeline_view_get_plot_area (view, 560, 380, &area));
  g_assert_true (rv_ridgeline_view_map (view, 560, 380, 99, 0.0, 0.5, &x, &y));
  g_assert_false (same_color (widget_test_pixel_at (surface, (int) x, (int) y),
                              widget_test_pixel_at (surface, 2, 2), 40));
  cairo_surface_destroy (surface);

  /* Scrubbed to the middle, the recent range zooms in. */
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_RECENT);
  rv_ridgeline_view_set_current (view, 40);
  cairo_surface_destroy (render (view, "ridgeline-light-scrubbed.png", 560, 380));
  rv_ridgeline_view_set_follow (view, TRUE);
  rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);

  widget_test_set_dark (GTK_WIDGET (view), TRUE);
  rv_plot_style_init (&style, GTK_WIDGET (view));
  g_assert_true (style.dark);
  surface = render (view, "ridgeline-dark.png", 560, 380);
  g_assert_cmpfloat (widget_test_luminance (widget_test_pixel_at (surface, 2, 2)), <, 0.2);
  g_assert_cmpfloat (widget_test_luminance (widget_test_pixel_at (surface, (int) x, (int) y)), >, 0.3);
  cairo_surface_destroy (surface);

  /* A long run, thinned by the history: ReLU-like activations whose
   * spread collapses early and recovers, 800 snapshots into 256. */
  {
    g_autoptr (RvHistogramHistory) long_run = rv_histogram_history_new ("Layer 6 (256 → 128) activations");

    for (guint i = 0; i <= 800; i++)
      {
        double t = i / 800.0;
        float std = (float) (0.6 * exp (-t * 12.0) + 0.15 + 0.5 * t);

        append_normal (long_run, i * 10, (float) (0.2 * t), std, TRUE);
      }
    g_assert_cmpuint (rv_histogram_history_get_n (long_run), <=, 256);
    rv_ridgeline_view_set_model (view, long_run);
    rv_ridgeline_view_set_range_mode (view, RV_RIDGELINE_RANGE_WHOLE);
    cairo_surface_destroy (render (view, "ridgeline-dark-long.png", 560, 380));

    widget_test_set_dark (GTK_WIDGET (view), FALSE);
    rv_ridgeline_view_set_color (view, NULL);
    cairo_surface_destroy (render (view, "ridgeline-light-long.png", 560, 380));
    {
      g_autofree char *svg = widget_test_tmp_path ("ridgeline-light-long.svg");
      g_autoptr (GError) error = NULL;

      g_assert_true (rv_plot_export (svg, draw_view, view, 560, 380, &error));
      g_assert_no_error (error);
      widget_test_keep_shot (svg);
    }
  }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until widget's frame clock has ticked n times. */
static void
wait_frames (GtkWidget *widget, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  while (frames < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  g_assert_cmpuint (frames, >=, n);
}

/* The view inside a window, drawn by GTK with a hover read-out. */
static void
test_in_window (void)
{
  g_autoptr (RvHistogramHistory) history = growing_history ();
  GtkWidget *view = rv_ridgeline_view_new (history);
  GtkWidget *window = widget_test_show (view, 560, 380);
  GtkEventController *motion = NULL;
  g_autoptr (GListModel) controllers = NULL;
  double x, y;

  g_assert_cmpint (gtk_widget_get_width (view), >, 0);

  /* A pointer over the front slice, as the motion controller reports it. */
  controllers = gtk_widget_observe_controllers (view);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
        motion = c;
    }
  g_assert_nonnull (motion);
  g_assert_true (rv_ridgeline_view_map (RV_RIDGELINE_VIEW (view), gtk_widget_get_width (view),
                                        gtk_widget_get_height (view), 99, 0.6, 0.3, &x, &y));
  g_signal_emit_by_name (motion, "motion", x, y);
  /* The widget paintable draws nothing while a redraw is pending. */
  wait_frames (view, 3);

  widget_test_shoot_window (window, "ridgeline-in-window.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;

  widget_test_init (&argc, &argv, "ravine-ridgeline-XXXXXX");

  g_test_add_func ("/histogram-history/basics", test_history_basics);
  g_test_add_func ("/histogram-history/decimation-exact", test_history_decimation_exact);
  g_test_add_func ("/histogram-history/decimation-long", test_history_decimation_long);
  g_test_add_func ("/ridgeline-view/range-modes", test_view_range_modes);
  g_test_add_func ("/ridgeline-view/follow", test_view_follow);
  g_test_add_func ("/ridgeline-view/scrub", test_view_scrub);
  g_test_add_func ("/ridgeline-view/accessible", test_view_accessible);
  g_test_add_func ("/ridgeline-view/edge-cases", test_view_edge_cases);
  g_test_add_func ("/ridgeline-view/step-ticks", test_view_step_ticks);
  g_test_add_func ("/ridgeline-view/labels-inside", test_view_labels_inside);
  g_test_add_func ("/ridgeline-view/geometry", test_view_geometry);
  g_test_add_func ("/ridgeline-view/degenerate", test_view_degenerate);
  g_test_add_func ("/ridgeline-view/realistic", test_realistic);
  g_test_add_func ("/ridgeline-view/in-window", test_in_window);

  status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
