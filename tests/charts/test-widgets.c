/* test-widgets.c: the chart widgets, checked on the pixels they draw.
 *
 * Each widget is filled with known data, drawn through its export function
 * into a PNG in a temporary folder, read back with cairo, and checked where
 * the data says something must (or must not) be drawn.  The images are kept
 * for people to look at when RAVINE_TEST_SHOTS names a folder. */
#include "rv-config.h"

#include <adwaita.h>
#include <errno.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-curve-set.h"
#include "rv-curve-view.h"
#include "rv-error.h"
#include "rv-histogram-grid.h"
#include "rv-histogram-view.h"
#include "rv-histogram.h"
#include "rv-plot-export.h"
#include "rv-plot.h"
#include "rv-rng.h"
#include "rv-stats.h"
#include "widget-test-util.h"

/* ---- helpers ---------------------------------------------------------- */

/* The test bar colour, (0.8, 0.1, 0.1), seen through any alpha from 0.6 up
 * over a white or dark background. */
static gboolean
is_red (WidgetTestPixel p)
{
  return p.r > 140 && p.g < 120 && p.b < 120 && p.r - p.g > 80;
}

static gboolean
is_near (WidgetTestPixel p, const GdkRGBA *c, int tolerance)
{
  return abs (p.r - (int) round (c->red * 255)) <= tolerance
      && abs (p.g - (int) round (c->green * 255)) <= tolerance
      && abs (p.b - (int) round (c->blue * 255)) <= tolerance;
}

/* Whether a pixel within radius of (x, y) has colour c. */
static gboolean
color_near (cairo_surface_t *surface, double x, double y, int radius, const GdkRGBA *c)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (is_near (widget_test_pixel_at (surface, x + dx, y + dy), c, 40))
        return TRUE;
  return FALSE;
}

/* Gives a widget a size without a window, as a parent would. */
static void
allocate (GtkWidget *widget, int width, int height)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  gtk_widget_size_allocate (widget, &(GtkAllocation) { 0, 0, width, height }, -1);
  g_assert_cmpint (gtk_widget_get_width (widget), ==, width);
}

static void
draw_histogram_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_histogram_view_draw (data, cr, width, height);
}

static void
draw_histogram_grid (gpointer data, cairo_t *cr, int width, int height)
{
  rv_histogram_grid_draw (data, cr, width, height);
}

static void
draw_curve_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_curve_view_draw (data, cr, width, height);
}

/* A histogram over [lo, hi] with the given counts and made-up moments. */
static RvHistogram *
histogram_with_counts (const char *title, double lo, double hi, const guint64 *counts, guint n_bins)
{
  RvHistogram *h = rv_histogram_new (title);
  RvStats stats = { 0 };
  g_autofree uint64_t *copy = g_new (uint64_t, n_bins);

  for (guint i = 0; i < n_bins; i++)
    {
      copy[i] = counts[i];
      stats.n += counts[i];
    }
  stats.n_bins = n_bins;
  stats.lo = stats.min = lo;
  stats.hi = stats.max = hi;
  stats.mean = (lo + hi) / 2.0;
  stats.variance = 1.03;
  stats.counts = copy;
  rv_histogram_set_stats (h, &stats);
  return h;
}

static const GdkRGBA red = { 0.8, 0.1, 0.1, 1.0 };

static RvHistogramView *
red_view (RvHistogram *model)
{
  RvHistogramView *view = RV_HISTOGRAM_VIEW (g_object_ref_sink (rv_histogram_view_new (model)));

  rv_histogram_view_set_color (view, &red);
  return view;
}

/* Height in pixels of the red bar in column x, measured from the plot's
 * bottom edge up. */
static double
bar_height (cairo_surface_t *surface, const graphene_rect_t *area, double x)
{
  double bottom = area->origin.y + area->size.height - 1;
  double y = bottom;

  while (y >= area->origin.y - 1 && is_red (widget_test_pixel_at (surface, x, y)))
    y--;
  return bottom - y;
}

static double
bin_center_x (const graphene_rect_t *area, guint bin, guint n_bins)
{
  return area->origin.x + (bin + 0.5) / n_bins * area->size.width;
}

static gboolean
dir_has_temporaries (void)
{
  g_autoptr (GDir) dir = g_dir_open (widget_test_tmp_dir (), 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".tmp"))
      return TRUE;
  return FALSE;
}

/* ---- rv-plot ---------------------------------------------------------- */

static void
check_format (char *got, const char *expected)
{
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

static void
test_plot_format (void)
{
  check_format (rv_plot_format_value (1.03), "1.03");
  check_format (rv_plot_format_value (1.0312), "1.03");
  check_format (rv_plot_format_value (0.25), "0.25");
  check_format (rv_plot_format_value (1.2e-4), "1.2e-4");
  check_format (rv_plot_format_value (1e-4), "1e-4");
  check_format (rv_plot_format_value (388.4), "388");
  check_format (rv_plot_format_value (2.5e5), "2.5e5");
  check_format (rv_plot_format_value (-4.2), "−4.2");
  check_format (rv_plot_format_value (0.0), "0");
  check_format (rv_plot_format_value (9.9996), "10");

  check_format (rv_plot_format_tick (0.5, 0.5), "0.5");
  check_format (rv_plot_format_tick (1.0, 0.5), "1.0");
  check_format (rv_plot_format_tick (-1.0, 0.5), "−1.0");
  check_format (rv_plot_format_tick (2e-4, 1e-4), "2e-4");
  check_format (rv_plot_format_tick (0.0, 1e-4), "0");
  check_format (rv_plot_format_tick (20000, 10000), "20,000");
  check_format (rv_plot_format_tick (1e-17, 0.2), "0");

  check_format (rv_plot_format_at_resolution (0.12, 0.003), "0.12");
  check_format (rv_plot_format_at_resolution (-4.032, 0.0168), "−4.03");

  check_format (rv_plot_format_count (0), "0");
  check_format (rv_plot_format_count (1234), "1,234");
  check_format (rv_plot_format_count (1234567), "1,234,567");
}

static void
test_plot_ticks (void)
{
  double ticks[RV_PLOT_MAX_TICKS];
  double step, lo, hi;
  guint n;

  n = rv_plot_ticks_linear (0.0, 1.0, 5, ticks, &step);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (step, ==, 0.2);
  g_assert_cmpfloat (ticks[3], ==, 3 * 0.2);

  n = rv_plot_ticks_linear (-4.23, 4.51, 6, ticks, &step);
  g_assert_cmpfloat (step, ==, 2.0);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (ticks[0], ==, -4.0);
  g_assert_cmpfloat (ticks[4], ==, 4.0);

  /* Never much more than asked for. */
  for (guint target = 2; target < 40; target++)
    g_assert_cmpuint (rv_plot_ticks_linear (0.0, 97.0, target, ticks, NULL), <=, target * 1.4 + 1);

  n = rv_plot_ticks_log_full (1e-4, 1.0, 8, ticks, &step);
  g_assert_cmpfloat (step, ==, 0.0);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat_with_epsilon (ticks[0], 1e-4, 1e-18);
  g_assert_cmpfloat (ticks[4], ==, 1.0);
  /* Thirteen powers of ten into four ticks: every fourth, 1 among them. */
  n = rv_plot_ticks_log (1e-6, 1e6, 4, ticks);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat_with_epsilon (ticks[0], 1e-4, 1e-18);
  g_assert_cmpfloat (ticks[1], ==, 1.0);
  /* Less than two decades: 1-2-5 steps. */
  n = rv_plot_ticks_log (1.0, 20.0, 8, ticks);
  g_assert_cmpuint (n, ==, 5);   /* 1, 2, 5, 10, 20 */
  g_assert_cmpfloat (ticks[1], ==, 2.0);

  /* Within a sliver of a decade: linear ticks, and their step. */
  n = rv_plot_ticks_log_full (2.651, 2.659, 5, ticks, &step);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpfloat (step, >, 0.0);
  g_assert_cmpfloat (step, <, 0.01);

  lo = 0.0;
  hi = 10.5;
  rv_plot_nice_range (&lo, &hi, 5, FALSE);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat (hi, ==, 12.0);
  lo = 3e-5;
  hi = 0.07;
  rv_plot_nice_range (&lo, &hi, 5, TRUE);
  g_assert_cmpfloat_with_epsilon (lo, 1e-5, 1e-18);
  g_assert_cmpfloat_with_epsilon (hi, 0.1, 1e-15);
}

/* ---- rv-plot-export --------------------------------------------------- */

static void
draw_red (gpointer data, cairo_t *cr, int width, int height)
{
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 10, 10, width - 20, height - 20);
  cairo_fill (cr);
}

static void
test_export_formats (void)
{
  static const struct { const char *name; RvPlotFormat format; const char *magic[2]; } cases[] = {
    { "plain.png", RV_PLOT_FORMAT_PNG, { "\x89PNG", NULL } },
    { "upper.PNG", RV_PLOT_FORMAT_PNG, { "\x89PNG", NULL } },
    { "vector.svg", RV_PLOT_FORMAT_SVG, { "<?xml", "<svg" } },
    { "mixed.SvG", RV_PLOT_FORMAT_SVG, { "<?xml", "<svg" } },
    { "page.pdf", RV_PLOT_FORMAT_PDF, { "%PDF", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = widget_test_tmp_path (cases[i].name);
      g_autofree char *contents = NULL;
      g_autoptr (GError) error = NULL;
      gsize len;

      g_assert_cmpint (rv_plot_export_format_from_path (path), ==, cases[i].format);
      g_assert_true (rv_plot_export (path, draw_red, NULL, 120, 80, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_str_has_prefix (contents, cases[i].magic[0])
                     || (cases[i].magic[1] != NULL && g_str_has_prefix (contents, cases[i].magic[1])));
      if (cases[i].format == RV_PLOT_FORMAT_SVG)
        g_assert_nonnull (strstr (contents, "<svg"));
      if (cases[i].format == RV_PLOT_FORMAT_PDF)
        /* The trailer is there: the file was finished, not cut short. */
        g_assert_nonnull (g_strstr_len (contents + len - MIN (len, 16), MIN (len, 16), "%%EOF"));
    }

  /* A 2× PNG has twice the pixels. */
  {
    g_autofree char *path = widget_test_tmp_path ("double.png");
    g_autoptr (GError) error = NULL;
    cairo_surface_t *surface;

    g_assert_true (rv_plot_export_scaled (path, draw_red, NULL, 120, 80, 2.0, &error));
    g_assert_no_error (error);
    surface = cairo_image_surface_create_from_png (path);
    g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 240);
    g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 160);
    cairo_surface_destroy (surface);
  }

  g_assert_false (dir_has_temporaries ());
}

static void
test_export_errors (void)
{
  g_autofree char *jpg = widget_test_tmp_path ("chart.jpg");
  g_autofree char *bare = widget_test_tmp_path ("chart");
  g_autofree char *missing = g_build_filename (widget_test_tmp_dir (), "no-such-folder", "chart.png", NULL);
  g_autofree char *keep = widget_test_tmp_path ("keep.png");
  g_autofree char *contents = NULL;
  GError *error = NULL;

  g_assert_cmpint (rv_plot_export_format_from_path (jpg), ==, RV_PLOT_FORMAT_UNKNOWN);
  g_assert_false (rv_plot_export (jpg, draw_red, NULL, 50, 50, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, ".jpg"));
  g_assert_nonnull (strstr (error->message, "chart.jpg"));
  g_clear_error (&error);
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));

  g_assert_false (rv_plot_export (bare, draw_red, NULL, 50, 50, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));

  g_assert_false (rv_plot_export (missing, draw_red, NULL, 50, 50, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "chart.png"));
  g_clear_error (&error);

  /* A write failing half-way (a full disk) leaves the old file as it was,
   * for each format, and no temporary file behind. */
  g_assert_true (g_file_set_contents (keep, "old contents", -1, NULL));
  g_setenv ("RAVINE_TEST_FAIL_WRITE_AFTER", "100", TRUE);
  {
    const char *names[] = { "keep.png", "keep.svg", "keep.pdf" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = widget_test_tmp_path (names[i]);

        g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
        g_assert_false (rv_plot_export (path, draw_red, NULL, 200, 200, &error));
        g_assert_error (error, RV_ERROR, RV_ERROR_IO);
        g_assert_nonnull (strstr (error->message, names[i]));
        g_clear_error (&error);
        g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
        g_assert_cmpstr (contents, ==, "old contents");
        g_clear_pointer (&contents, g_free);
      }
  }
  g_unsetenv ("RAVINE_TEST_FAIL_WRITE_AFTER");
  g_assert_false (dir_has_temporaries ());
}

/* ---- RvHistogram ------------------------------------------------------ */

static void
count_signal (gpointer instance, gpointer data)
{
  (*(int *) data)++;
}

static void
test_histogram_model (void)
{
  g_autoptr (RvHistogram) h = rv_histogram_new ("Layer 0");
  uint64_t counts[4] = { 2, 4, 2, 0 };
  RvStats stats = { .n = 8, .mean = 1.5, .variance = 0.5, .min = 0, .max = 4,
                    .n_bins = 4, .lo = 0.0, .hi = 4.0, .counts = counts };
  double kx[3] = { 0, 1, 2 }, ky[3] = { 0.1, 0.2, 0.1 };
  const double *got_x;
  double integral = 0.0, left, right;
  int changes = 0;

  g_signal_connect (h, "changed", G_CALLBACK (count_signal), &changes);
  g_assert_false (rv_histogram_has_data (h));

  rv_histogram_set_stats (h, &stats);
  rv_histogram_set_kde (h, kx, ky, 3);
  g_assert_cmpint (changes, ==, 2);
  /* A copy: changing the caller's counts changes nothing. */
  counts[0] = 1000;
  g_assert_cmpuint (rv_histogram_get_counts (h)[0], ==, 2);
  g_assert_cmpuint (rv_histogram_get_total (h), ==, 8);
  g_assert_cmpfloat (rv_histogram_get_variance (h), ==, 0.5);
  g_assert_cmpfloat (rv_histogram_get_bin_width (h), ==, 1.0);
  rv_histogram_get_bin_edges (h, 3, &left, &right);
  g_assert_cmpfloat (left, ==, 3.0);
  g_assert_cmpfloat (right, ==, 4.0);

  /* Density bars integrate to 1. */
  for (guint i = 0; i < 4; i++)
    integral += rv_histogram_get_density (h, i) * rv_histogram_get_bin_width (h);
  g_assert_cmpfloat_with_epsilon (integral, 1.0, 1e-12);
  g_assert_cmpfloat (rv_histogram_get_density (h, 1), ==, 0.5);

  g_assert_cmpuint (rv_histogram_get_kde (h, &got_x, NULL), ==, 3);
  g_assert_cmpfloat (got_x[1], ==, 1.0);
  /* New data makes the old KDE meaningless. */
  rv_histogram_set_stats (h, &stats);
  g_assert_cmpuint (rv_histogram_get_kde (h, NULL, NULL), ==, 0);

  rv_histogram_set_title (h, "Layer 2 (512 → 256)");
  rv_histogram_set_title (h, "Layer 2 (512 → 256)");
  g_assert_cmpint (changes, ==, 4);

  rv_histogram_set_stats (h, NULL);
  g_assert_false (rv_histogram_has_data (h));
  g_assert_null (rv_histogram_get_counts (h));
}

/* ---- RvHistogramView -------------------------------------------------- */

/* Whether rows [y0, y1) hold any ink: a pixel unlike the background in
 * the image's corner. */
static gboolean
rows_have_ink (cairo_surface_t *surface, int width, int y0, int y1)
{
  WidgetTestPixel bg = widget_test_pixel_at (surface, 0, 0);
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < width; x++)
      {
        WidgetTestPixel p = widget_test_pixel_at (surface, x, y);
        if (abs (p.r - bg.r) + abs (p.g - bg.g) + abs (p.b - bg.b) > 60)
          return TRUE;
      }
  return FALSE;
}

/* A note ("dead: 12 % of units") is a second caption line under the
 * variance: the plot gives it room, the bottom rows show it, the caption
 * and the summary say it; new data keeps it, "" removes it. */
static void
test_histogram_note (void)
{
  static const guint64 counts[4] = { 1, 5, 3, 1 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Layer 1: ReLU, 512 units", 0.0, 4.0, counts, 4);
  g_autoptr (RvHistogramView) view = red_view (model);
  graphene_rect_t plain, noted;
  int changes = 0;

  g_assert_null (rv_histogram_get_note (model));
  g_autofree char *caption = rv_histogram_view_dup_caption (view);
  g_assert_null (strchr (caption, '\n'));
  g_assert_true (g_str_has_prefix (caption, "variance "));
  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 220, &plain));

  g_signal_connect (model, "changed", G_CALLBACK (count_signal), &changes);
  rv_histogram_set_note (model, "dead: 12 % of units");
  rv_histogram_set_note (model, "dead: 12 % of units");
  g_assert_cmpint (changes, ==, 1);
  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 220, &noted));
  g_assert_cmpfloat (noted.size.height, <, plain.size.height - 8);
  cairo_surface_t *after = widget_test_render ("histogram-note.png", draw_histogram_view, view, 300, 220);
  /* the note's line, at the bottom, under the variance that moved up */
  double line_h = rv_plot_text_height (GTK_WIDGET (view), 1.0, FALSE);
  int note_top = (int) ceil (220 - RV_PLOT_PAD - line_h);
  g_assert_true (rows_have_ink (after, 300, note_top, 220));
  cairo_surface_destroy (after);

  g_autofree char *noted_caption = rv_histogram_view_dup_caption (view);
  g_autofree char *want = g_strdup_printf ("%s\n%s", caption, "dead: 12 % of units");
  g_assert_cmpstr (noted_caption, ==, want);
  g_autofree char *summary = rv_histogram_view_dup_summary (view);
  g_assert_true (g_str_has_suffix (summary, "; dead: 12 % of units"));

  RvStats stats = *rv_histogram_get_stats (model);
  rv_histogram_set_stats (model, &stats);
  g_assert_cmpstr (rv_histogram_get_note (model), ==, "dead: 12 % of units");
  rv_histogram_set_note (model, "");
  g_assert_null (rv_histogram_get_note (model));
  g_autofree char *cleared = rv_histogram_view_dup_caption (view);
  g_assert_cmpstr (cleared, ==, caption);
}

static void
test_histogram_bars (void)
{
  static const guint64 counts[4] = { 0, 0, 10, 0 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Bars", 0.0, 4.0, counts, 4);
  g_autoptr (RvHistogramView) view = red_view (model);
  graphene_rect_t area;
  cairo_surface_t *surface;
  double mid_y;

  surface = widget_test_render ("histogram-bars.png", draw_histogram_view, view, 300, 200);
  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 200, &area));
  g_assert_cmpfloat (area.size.width, >, 150);
  g_assert_cmpfloat (area.size.height, >, 80);

  /* Third bin: a bar from the axis to 10 on a 0..12 axis. */
  mid_y = area.origin.y + area.size.height * 0.6;
  g_assert_true (is_red (widget_test_pixel_at (surface, bin_center_x (&area, 2, 4), mid_y)));
  g_assert_true (is_red (widget_test_pixel_at (surface, bin_center_x (&area, 2, 4),
                                               area.origin.y + area.size.height - 2)));
  g_assert_cmpfloat_with_epsilon (bar_height (surface, &area, bin_center_x (&area, 2, 4)) / area.size.height,
                                  10.0 / 12.0, 0.03);
  /* The empty bins: nothing, at any height. */
  for (double y = area.origin.y; y < area.origin.y + area.size.height; y += 1.0)
    {
      g_assert_false (is_red (widget_test_pixel_at (surface, bin_center_x (&area, 0, 4), y)));
      g_assert_false (is_red (widget_test_pixel_at (surface, bin_center_x (&area, 3, 4), y)));
    }
  cairo_surface_destroy (surface);
}

static void
test_histogram_hit (void)
{
  guint64 counts[10] = { 5, 0, 0, 0, 1234, 0, 0, 0, 0, 7 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Hit", 0.0, 0.3, counts, 10);
  g_autoptr (RvHistogramView) view = red_view (model);
  graphene_rect_t area;
  double y;
  char *text;

  allocate (GTK_WIDGET (view), 400, 250);
  g_assert_true (rv_histogram_view_get_plot_area (view, 400, 250, &area));
  y = area.origin.y + area.size.height / 2;

  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (rv_histogram_view_bin_at (view, bin_center_x (&area, i, 10), y), ==, i);
  /* Both ends of the axis belong to the end bins. */
  g_assert_cmpint (rv_histogram_view_bin_at (view, area.origin.x + 0.5, y), ==, 0);
  g_assert_cmpint (rv_histogram_view_bin_at (view, area.origin.x + area.size.width - 0.5, y), ==, 9);
  g_assert_cmpint (rv_histogram_view_bin_at (view, area.origin.x - 3, y), ==, -1);
  g_assert_cmpint (rv_histogram_view_bin_at (view, area.origin.x + area.size.width + 3, y), ==, -1);
  g_assert_cmpint (rv_histogram_view_bin_at (view, bin_center_x (&area, 4, 10), area.origin.y - 3), ==, -1);

  text = rv_histogram_view_describe_bin (view, 4);
  g_assert_cmpstr (text, ==, "[0.12, 0.15): 1,234");
  g_free (text);
  text = rv_histogram_view_describe_bin (view, 9);
  g_assert_cmpstr (text, ==, "[0.27, 0.3]: 7");
  g_free (text);
  text = rv_histogram_view_describe_bin (view, 0);
  g_assert_cmpstr (text, ==, "[0, 0.03): 5");
  g_free (text);
  g_assert_null (rv_histogram_view_describe_bin (view, 10));
  g_assert_null (rv_histogram_view_describe_bin (view, -1));

  rv_histogram_view_set_y_mode (view, RV_HISTOGRAM_Y_DENSITY);
  text = rv_histogram_view_describe_bin (view, 0);
  g_assert_nonnull (strstr (text, "density"));
  g_free (text);

  /* No data, no bins. */
  rv_histogram_set_stats (model, NULL);
  g_assert_cmpint (rv_histogram_view_bin_at (view, bin_center_x (&area, 4, 10), y), ==, -1);
}

static void
test_histogram_log (void)
{
  static const guint64 counts[4] = { 1, 10, 100, 1000 };
  static const guint64 gaps[4] = { 0, 10, 0, 5 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Log", 0.0, 4.0, counts, 4);
  g_autoptr (RvHistogramView) view = red_view (model);
  graphene_rect_t area;
  cairo_surface_t *surface;
  double h[4];

  surface = widget_test_render ("histogram-linear.png", draw_histogram_view, view, 300, 220);
  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 220, &area));
  for (guint i = 0; i < 4; i++)
    h[i] = bar_height (surface, &area, bin_center_x (&area, i, 4));
  cairo_surface_destroy (surface);
  /* Linear: 1 and 10 are slivers beside 1000. */
  g_assert_cmpfloat (h[0], <=, 1.0);
  g_assert_cmpfloat (h[1], <=, 2.0);
  g_assert_cmpfloat (h[3], >, area.size.height * 0.6);

  rv_histogram_view_set_log_y (view, TRUE);
  surface = widget_test_render ("histogram-log.png", draw_histogram_view, view, 300, 220);
  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 220, &area));
  for (guint i = 0; i < 4; i++)
    h[i] = bar_height (surface, &area, bin_center_x (&area, i, 4));
  cairo_surface_destroy (surface);
  /* Log: each decade adds the same height, and a count of 1 still shows. */
  g_assert_cmpfloat (h[0], >, 10.0);
  g_assert_cmpfloat_with_epsilon (h[1] - h[0], h[2] - h[1], 2.0);
  g_assert_cmpfloat_with_epsilon (h[3] - h[2], h[2] - h[1], 2.0);
  g_assert_cmpfloat_with_epsilon (h[1] - h[0], h[0], 2.0);

  /* Empty bins stay empty on a log axis. */
  {
    g_autoptr (RvHistogram) sparse = histogram_with_counts ("Gaps", 0.0, 4.0, gaps, 4);

    rv_histogram_view_set_model (view, sparse);
    surface = widget_test_render ("histogram-log-gaps.png", draw_histogram_view, view, 300, 220);
    g_assert_true (rv_histogram_view_get_plot_area (view, 300, 220, &area));
    g_assert_cmpfloat (bar_height (surface, &area, bin_center_x (&area, 0, 4)), ==, 0.0);
    g_assert_cmpfloat (bar_height (surface, &area, bin_center_x (&area, 2, 4)), ==, 0.0);
    g_assert_cmpfloat (bar_height (surface, &area, bin_center_x (&area, 1, 4)), >, 10.0);
    g_assert_cmpfloat (bar_height (surface, &area, bin_center_x (&area, 3, 4)), >, 10.0);
    cairo_surface_destroy (surface);
  }
}

/* The KDE line in the light style: dark grey (the bars are red). */
static gboolean
is_line_grey (WidgetTestPixel p)
{
  return widget_test_luminance (p) < 0.6 && abs (p.r - p.g) < 25 && abs (p.g - p.b) < 25;
}

static guint
count_grey (cairo_surface_t *surface, const graphene_rect_t *area)
{
  guint n = 0;

  for (double y = area->origin.y + 2; y < area->origin.y + area->size.height - 2; y++)
    for (double x = area->origin.x + 2; x < area->origin.x + area->size.width - 2; x++)
      if (is_line_grey (widget_test_pixel_at (surface, x, y)))
        n++;
  return n;
}

static void
test_histogram_density_kde (void)
{
  guint64 counts[8] = { 1, 5, 20, 40, 40, 20, 5, 1 };
  guint64 doubled[8];
  g_autoptr (RvHistogram) model = histogram_with_counts ("Density", -4.0, 4.0, counts, 8);
  g_autoptr (RvHistogramView) view = red_view (model);
  double kx[81], ky[81];
  graphene_rect_t area;
  cairo_surface_t *surface;
  double h_once, h_twice;
  guint dark_without, dark_with;

  for (guint i = 0; i < 81; i++)
    {
      kx[i] = -4.0 + i * 0.1;
      ky[i] = exp (-kx[i] * kx[i] / 2.0) / sqrt (2 * G_PI);
    }

  /* In density mode the heights do not depend on how many values there are. */
  rv_histogram_view_set_y_mode (view, RV_HISTOGRAM_Y_DENSITY);
  surface = widget_test_render ("histogram-density.png", draw_histogram_view, view, 300, 220);
  rv_histogram_view_get_plot_area (view, 300, 220, &area);
  h_once = bar_height (surface, &area, bin_center_x (&area, 3, 8));
  cairo_surface_destroy (surface);
  for (guint i = 0; i < 8; i++)
    doubled[i] = 2 * counts[i];
  {
    g_autoptr (RvHistogram) twice = histogram_with_counts ("Density", -4.0, 4.0, doubled, 8);

    rv_histogram_view_set_model (view, twice);
    surface = widget_test_render ("histogram-density-2.png", draw_histogram_view, view, 300, 220);
    h_twice = bar_height (surface, &area, bin_center_x (&area, 3, 8));
    cairo_surface_destroy (surface);
    g_assert_cmpfloat_with_epsilon (h_once, h_twice, 1.0);
    rv_histogram_view_set_model (view, model);
  }

  /* The KDE curve adds a line; without show-kde it is not drawn. */
  rv_histogram_set_kde (model, kx, ky, 81);
  surface = widget_test_render ("histogram-kde-off.png", draw_histogram_view, view, 300, 220);
  dark_without = count_grey (surface, &area);
  cairo_surface_destroy (surface);
  rv_histogram_view_set_show_kde (view, TRUE);
  surface = widget_test_render ("histogram-kde.png", draw_histogram_view, view, 300, 220);
  dark_with = count_grey (surface, &area);
  g_assert_cmpuint (dark_with, >, dark_without + 100);
  /* The curve peaks at 0.399 over x = 0, the bars at 40 / 132 = 0.303:
   * in the same units, the line tops the bars by that ratio. */
  {
    double x = area.origin.x + area.size.width / 2 + 3;
    double bottom = area.origin.y + area.size.height - 1;
    double y = area.origin.y;

    while (y < bottom && !is_line_grey (widget_test_pixel_at (surface, x, y)))
      y++;
    g_assert_cmpfloat_with_epsilon ((bottom - y) / bar_height (surface, &area, x),
                                    0.399 / (40.0 / 132.0), 0.06);
  }
  cairo_surface_destroy (surface);
}

static void
test_histogram_accessible (void)
{
  static const guint64 counts[3] = { 1, 2, 1 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Layer 2 (512 → 256)", -4.2, 4.5, counts, 3);
  g_autoptr (RvHistogramView) view = red_view (model);
  g_autofree char *summary = rv_histogram_view_dup_summary (view);
  char *failure;

  g_assert_cmpstr (summary, ==, "Layer 2 (512 → 256): variance 1.03, mean 0.15, range −4.2 to 4.5");
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
  g_assert_null (failure);
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, "Layer 2 (512 → 256)");
  g_assert_null (failure);

  /* Kept in step with the model. */
  {
    RvStats stats;
    g_autofree char *updated = NULL;

    /* A copy: the model frees its own counts before taking new ones. */
    rv_stats_copy (&stats, rv_histogram_get_stats (model));
    stats.variance = 2.5e-5;
    rv_histogram_set_stats (model, &stats);
    rv_stats_clear (&stats);
    updated = rv_histogram_view_dup_summary (view);
    g_assert_nonnull (strstr (updated, "variance 2.5e-5"));
    failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, updated);
    g_assert_null (failure);
  }
}

static void
test_histogram_min_size (void)
{
  g_autoptr (RvHistogramView) view = red_view (NULL);
  int min_w, min_h, nat;

  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat, NULL, NULL);
  g_assert_cmpint (min_w, >=, 200);
  g_assert_cmpint (min_h, >=, 150);

  /* A view without a model draws a placeholder, not garbage. */
  cairo_surface_destroy (widget_test_render ("histogram-empty.png", draw_histogram_view, view, 220, 170));
  g_assert_cmpint (rv_histogram_view_bin_at (view, 100, 100), ==, -1);

  /* Labelled by the model's title, and without one as a histogram. */
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Histogram"));
  {
    g_autoptr (RvHistogram) model = rv_histogram_new ("Layer 0 (784 → 512)");

    rv_histogram_view_set_model (view, model);
    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       "Layer 0 (784 → 512)"));
    rv_histogram_set_title (model, "Layer 2 (512 → 256)");
    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       "Layer 2 (512 → 256)"));
    g_assert_cmpstr (rv_chart_get_title (RV_CHART (view)), ==, "Layer 2 (512 → 256)");
    rv_histogram_view_set_model (view, NULL);
    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       "Histogram"));
  }
}

/* Where the data lies, for legends and tests: the bars drawn, and the KDE. */
static void
test_histogram_geometry (void)
{
  static const guint64 counts[4] = { 0, 3, 10, 0 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Bars", 0.0, 4.0, counts, 4);
  g_autoptr (RvHistogramView) view = red_view (model);
  g_autoptr (RvChartGeometry) bars = NULL;
  g_autoptr (RvChartGeometry) with_kde = NULL;
  double kx[41], ky[41];
  graphene_rect_t area;

  g_assert_true (rv_histogram_view_get_plot_area (view, 300, 200, &area));
  bars = rv_chart_collect_geometry (RV_CHART (view), 300, 200);
  /* The two non-empty bins, left to right, standing on the axis. */
  g_assert_cmpuint (bars->rects->len, ==, 2);
  g_assert_cmpuint (bars->segments->len, ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      const graphene_rect_t *r = &g_array_index (bars->rects, graphene_rect_t, i);
      double centre = bin_center_x (&area, i + 1, 4);

      g_assert_cmpfloat (fabs (r->origin.x + r->size.width / 2.0 - centre), <, 1.0);
      g_assert_cmpfloat (fabs (r->origin.y + r->size.height - (area.origin.y + area.size.height)), <, 0.5);
    }
  g_assert_cmpfloat (g_array_index (bars->rects, graphene_rect_t, 0).size.height, <,
                     g_array_index (bars->rects, graphene_rect_t, 1).size.height);

  for (guint i = 0; i < 41; i++)
    {
      kx[i] = i * 0.1;
      ky[i] = 0.2;
    }
  rv_histogram_set_kde (model, kx, ky, 41);
  rv_histogram_view_set_show_kde (view, TRUE);
  with_kde = rv_chart_collect_geometry (RV_CHART (view), 300, 200);
  g_assert_cmpuint (with_kde->rects->len, ==, 2);
  /* 40 segments between 41 points, as pairs of points. */
  g_assert_cmpuint (with_kde->segments->len, ==, 80);
}

/* The end x labels, centred on their ticks, stay inside the panel. */
static void
check_x_labels_fit (RvHistogramView *view, int width, int height)
{
  double ticks[RV_PLOT_MAX_TICKS], step = 0.0, lo, hi;
  guint n = rv_histogram_view_get_x_ticks (view, width, height, ticks, &step);
  guint ends[2] = { 0, n - 1 };
  graphene_rect_t area;

  g_assert_cmpuint (n, >=, 2);
  g_assert_true (rv_histogram_view_get_plot_area (view, width, height, &area));
  rv_histogram_view_get_x_range (view, &lo, &hi);
  for (guint e = 0; e < 2; e++)
    {
      g_autofree char *label = rv_plot_format_tick (ticks[ends[e]], step);
      double half = rv_plot_text_width (GTK_WIDGET (view), label, PANGO_SCALE_SMALL, FALSE) / 2.0;
      double x = area.origin.x + (ticks[ends[e]] - lo) / (hi - lo) * area.size.width;

      g_test_message ("%d×%d: label %s over [%g, %g]", width, height, label, x - half, x + half);
      g_assert_cmpfloat (x - half, >=, RV_PLOT_PAD - 0.5);
      g_assert_cmpfloat (x + half, <=, width - RV_PLOT_PAD + 0.5);
    }
}

/* No tick label or title runs into the panel's edges, from its smallest
 * size up, whatever the labels' lengths. */
static void
test_histogram_labels_inside (void)
{
  static const guint64 counts[8] = { 1, 5, 20, 40, 40, 20, 5, 1 };
  g_autoptr (RvHistogram) wide = histogram_with_counts ("Layer 2 (512 → 256)", -100000.0, 100000.0, counts, 8);
  g_autoptr (RvHistogram) small = histogram_with_counts ("Layer 4 (256 → 128)", -0.000123, 0.000456, counts, 8);
  g_autoptr (RvHistogramView) view = red_view (wide);
  const int sizes[][2] = { { 220, 170 }, { 280, 220 }, { 400, 300 } };

  for (guint m = 0; m < 2; m++)
    {
      rv_histogram_view_set_model (view, m == 0 ? wide : small);
      for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
        {
          g_autofree char *name = g_strdup_printf ("histogram-labels-%u-%dx%d.png", m, sizes[k][0], sizes[k][1]);
          cairo_surface_t *surface = widget_test_render (name, draw_histogram_view, view, sizes[k][0], sizes[k][1]);

          g_assert_true (widget_test_border_is_clear (surface, 2));
          cairo_surface_destroy (surface);
          check_x_labels_fit (view, sizes[k][0], sizes[k][1]);
        }
    }
}

/* ---- RvHistogramGrid -------------------------------------------------- */

static const GdkRGBA outline_green = { 0.1, 0.6, 0.1, 1.0 };

static gboolean
is_green (WidgetTestPixel p)
{
  return p.g > 120 && p.r < 90 && p.b < 90;
}

/* Height in pixels of B's outline in column x above the plot's bottom:
 * the topmost green pixel; 0 when there is none. */
static double
outline_height (cairo_surface_t *surface, const graphene_rect_t *area, double x)
{
  double bottom = area->origin.y + area->size.height - 1;

  for (double y = area->origin.y - 2; y <= bottom; y += 1.0)
    if (is_green (widget_test_pixel_at (surface, x, y)))
      return bottom - y;
  return 0.0;
}

/* A/B: B's outline over A's bars on one x axis covering both; in count
 * mode at A's scale, so that B (half A's density, over bins twice as
 * wide) stands half as high as A whichever the mode, where raw counts
 * would put both at 100. */
static void
test_histogram_compare (void)
{
  static const guint64 flat[10] = { 100, 100, 100, 100, 100, 100, 100, 100, 100, 100 };
  g_autoptr (RvHistogram) a = histogram_with_counts ("A", 0.0, 1.0, flat, 10);
  g_autoptr (RvHistogram) b = histogram_with_counts ("B", 1.0, 3.0, flat, 10);
  g_autoptr (RvHistogramView) view = red_view (a);
  graphene_rect_t area;
  double lo, hi;

  rv_histogram_view_set_compare_color (view, &outline_green);
  rv_histogram_view_set_compare (view, b);
  g_assert_true (rv_histogram_view_get_compare (view) == b);
  rv_histogram_view_get_x_range (view, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat (hi, ==, 3.0);

  for (int mode = RV_HISTOGRAM_Y_COUNT; mode <= RV_HISTOGRAM_Y_DENSITY; mode++)
    {
      rv_histogram_view_set_y_mode (view, mode);
      cairo_surface_t *surface = widget_test_render (mode == RV_HISTOGRAM_Y_COUNT ? "compare-count.png"
                                                                                 : "compare-density.png",
                                                     draw_histogram_view, view, 400, 240);
      g_assert_true (rv_histogram_view_get_plot_area (view, 400, 240, &area));
      double x_a = area.origin.x + area.size.width * (0.45 / 3.0);
      double x_b = area.origin.x + area.size.width * (2.1 / 3.0);
      double h_a = bar_height (surface, &area, x_a);
      double h_b = outline_height (surface, &area, x_b);
      g_assert_cmpfloat (h_a, >, 40.0);
      g_assert_cmpfloat (fabs (h_b / h_a - 0.5), <, 0.05);
      /* no B where B has no values */
      g_assert_cmpfloat (outline_height (surface, &area, x_a), <, 1.0);
      cairo_surface_destroy (surface);
    }

  /* what a reader is told: B's variance under the plot, its bin under
   * the pointer, its moments in the summary */
  allocate (GTK_WIDGET (view), 400, 240);
  g_autofree char *caption = rv_histogram_view_dup_caption (view);
  g_assert_cmpstr (caption, ==, "variance 1.03 · B: 1.03");
  rv_histogram_view_get_plot_area (view, 400, 240, &area);
  double mid_y = area.origin.y + area.size.height / 2;
  g_autofree char *over_b = rv_histogram_view_describe_compare_at (view, area.origin.x + area.size.width * (2.1 / 3.0), mid_y);
  g_assert_cmpstr (over_b, ==, "[2, 2.2): 100");
  g_assert_null (rv_histogram_view_describe_compare_at (view, area.origin.x + area.size.width * (0.5 / 3.0), mid_y));
  g_autofree char *summary = rv_histogram_view_dup_summary (view);
  g_assert_nonnull (strstr (summary, "compared with B: variance 1.03, mean 2"));

  /* none: no outline, and the axis is A's again */
  rv_histogram_view_set_compare (view, NULL);
  cairo_surface_t *surface = widget_test_render ("compare-none.png", draw_histogram_view, view, 400, 240);
  rv_histogram_view_get_plot_area (view, 400, 240, &area);
  for (double x = area.origin.x; x < area.origin.x + area.size.width; x += 3.0)
    g_assert_cmpfloat (outline_height (surface, &area, x), <, 1.0);
  cairo_surface_destroy (surface);
  rv_histogram_view_get_x_range (view, &lo, &hi);
  g_assert_cmpfloat (hi, ==, 1.0);
  g_autofree char *plain = rv_histogram_view_dup_caption (view);
  g_assert_cmpstr (plain, ==, "variance 1.03");
}

/* A grid's shared x range covers the Bs too, and panels made later get
 * theirs. */
static void
test_histogram_grid_compare (void)
{
  static const guint64 flat[4] = { 5, 5, 5, 5 };
  g_autoptr (RvHistogram) a0 = histogram_with_counts ("A0", 0.0, 1.0, flat, 4);
  g_autoptr (RvHistogram) a1 = histogram_with_counts ("A1", 0.0, 2.0, flat, 4);
  g_autoptr (RvHistogram) b0 = histogram_with_counts ("B0", -1.0, 0.5, flat, 4);
  g_autoptr (GPtrArray) as = g_ptr_array_new ();
  g_autoptr (GPtrArray) bs = g_ptr_array_new ();
  RvHistogramGrid *grid = RV_HISTOGRAM_GRID (g_object_ref_sink (rv_histogram_grid_new ()));
  double lo, hi;

  g_ptr_array_add (bs, b0);
  rv_histogram_grid_set_compare (grid, bs);
  g_ptr_array_add (as, a0);
  g_ptr_array_add (as, a1);
  rv_histogram_grid_set_histograms (grid, as);
  g_assert_true (rv_histogram_view_get_compare (rv_histogram_grid_get_view (grid, 0)) == b0);
  g_assert_null (rv_histogram_view_get_compare (rv_histogram_grid_get_view (grid, 1)));
  rv_histogram_grid_set_shared_x (grid, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (rv_histogram_view_get_x_range (rv_histogram_grid_get_view (grid, i), &lo, &hi));
      g_assert_cmpfloat (lo, ==, -1.0);
      g_assert_cmpfloat (hi, ==, 2.0);
    }
  rv_histogram_grid_set_compare (grid, NULL);
  g_assert_null (rv_histogram_view_get_compare (rv_histogram_grid_get_view (grid, 0)));
  rv_histogram_view_get_x_range (rv_histogram_grid_get_view (grid, 0), &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_object_unref (grid);
}

static void
test_histogram_grid_shared_x (void)
{
  static const guint64 flat[8] = { 10, 10, 10, 10, 10, 10, 10, 10 };
  g_autoptr (RvHistogram) narrow = histogram_with_counts ("Narrow", 0.0, 1.0, flat, 8);
  g_autoptr (RvHistogram) wide = histogram_with_counts ("Wide", -4.0, 4.0, flat, 8);
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  GtkWidget *grid = g_object_ref_sink (rv_histogram_grid_new ());
  RvHistogramView *first, *second;
  graphene_rect_t area;
  cairo_surface_t *surface;
  double lo, hi, x_left;

  g_ptr_array_add (list, narrow);
  g_ptr_array_add (list, wide);
  rv_histogram_grid_set_color (RV_HISTOGRAM_GRID (grid), &red);
  rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), list);
  g_assert_cmpuint (rv_histogram_grid_get_n_views (RV_HISTOGRAM_GRID (grid)), ==, 2);
  first = rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 0);
  second = rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 1);
  g_assert_null (rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 2));
  g_assert_true (rv_histogram_view_get_model (first) == narrow);

  /* Own ranges: the narrow layer's bars fill its axis. */
  g_assert_false (rv_histogram_view_get_x_range (first, &lo, &hi));
  g_assert_cmpfloat (hi, ==, 1.0);
  surface = widget_test_render ("grid-own-x.png", draw_histogram_view, first, 300, 200);
  rv_histogram_view_get_plot_area (first, 300, 200, &area);
  x_left = area.origin.x + area.size.width * 0.3125;   /* a bin centre */
  g_assert_true (is_red (widget_test_pixel_at (surface, x_left, area.origin.y + area.size.height - 3)));
  cairo_surface_destroy (surface);

  /* Shared: both span [-4, 4]; the narrow bars move right of centre. */
  rv_histogram_grid_set_shared_x (RV_HISTOGRAM_GRID (grid), TRUE);
  g_assert_true (rv_histogram_view_get_x_range (first, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -4.0);
  g_assert_cmpfloat (hi, ==, 4.0);
  g_assert_true (rv_histogram_view_get_x_range (second, NULL, NULL));
  surface = widget_test_render ("grid-shared-x.png", draw_histogram_view, first, 300, 200);
  rv_histogram_view_get_plot_area (first, 300, 200, &area);
  g_assert_false (is_red (widget_test_pixel_at (surface, x_left, area.origin.y + area.size.height - 3)));
  g_assert_true (is_red (widget_test_pixel_at (surface, area.origin.x + area.size.width * (4.5625 / 8.0),
                                   area.origin.y + area.size.height - 3)));
  cairo_surface_destroy (surface);
  allocate (GTK_WIDGET (first), 300, 200);
  g_assert_cmpint (rv_histogram_view_bin_at (first, x_left, area.origin.y + area.size.height / 2), ==, -1);
  g_assert_cmpint (rv_histogram_view_bin_at (first, area.origin.x + area.size.width * (4.0625 / 8.0),
                                             area.origin.y + area.size.height / 2), ==, 0);

  /* The shared range follows the data. */
  {
    g_autoptr (RvHistogram) wider = histogram_with_counts ("Wider", -8.0, 8.0, flat, 8);

    rv_histogram_set_stats (wide, rv_histogram_get_stats (wider));
    rv_histogram_view_get_x_range (first, &lo, &hi);
    g_assert_cmpfloat (lo, ==, -8.0);
    g_assert_cmpfloat (hi, ==, 8.0);
  }

  /* Same count: the same panels, given the new models. */
  {
    g_autoptr (RvHistogram) a = histogram_with_counts ("A", 0.0, 1.0, flat, 8);
    g_autoptr (RvHistogram) b = histogram_with_counts ("B", 0.0, 2.0, flat, 8);
    g_autoptr (GPtrArray) again = g_ptr_array_new ();

    g_ptr_array_add (again, a);
    g_ptr_array_add (again, b);
    rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), again);
    g_assert_true (rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 0) == first);
    g_assert_true (rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 1) == second);
    g_assert_true (rv_histogram_view_get_model (first) == a);
    rv_histogram_view_get_x_range (first, &lo, &hi);
    g_assert_cmpfloat (hi, ==, 2.0);

    /* The old models no longer move the range. */
    rv_histogram_set_stats (wide, rv_histogram_get_stats (a));
    rv_histogram_view_get_x_range (first, &lo, &hi);
    g_assert_cmpfloat (hi, ==, 2.0);

    g_ptr_array_add (again, narrow);
    rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), again);
    g_assert_cmpuint (rv_histogram_grid_get_n_views (RV_HISTOGRAM_GRID (grid)), ==, 3);
  }

  /* Options reach every panel, new ones included. */
  rv_histogram_grid_set_log_y (RV_HISTOGRAM_GRID (grid), TRUE);
  rv_histogram_grid_set_y_mode (RV_HISTOGRAM_GRID (grid), RV_HISTOGRAM_Y_DENSITY);
  rv_histogram_grid_set_show_kde (RV_HISTOGRAM_GRID (grid), TRUE);
  for (guint i = 0; i < 3; i++)
    {
      RvHistogramView *view = rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), i);

      g_assert_true (rv_histogram_view_get_log_y (view));
      g_assert_true (rv_histogram_view_get_show_kde (view));
      g_assert_cmpint (rv_histogram_view_get_y_mode (view), ==, RV_HISTOGRAM_Y_DENSITY);
    }
  rv_histogram_grid_set_shared_x (RV_HISTOGRAM_GRID (grid), FALSE);
  g_assert_false (rv_histogram_view_get_x_range (rv_histogram_grid_get_view (RV_HISTOGRAM_GRID (grid), 0),
                                                 NULL, NULL));

  rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), NULL);
  g_assert_cmpuint (rv_histogram_grid_get_n_views (RV_HISTOGRAM_GRID (grid)), ==, 0);
  g_object_unref (grid);
}

/* ---- RvCurveView ------------------------------------------------------ */

static const GdkRGBA green = { 0.1, 0.6, 0.2, 1.0 };
static const GdkRGBA blue = { 0.1, 0.2, 0.9, 1.0 };

static void
test_curve_points (void)
{
  static const double ax[5] = { 0, 1, 2, 3, 4 }, ay[5] = { 1, 2, 4, 8, 16 };
  const double bx[5] = { 0, 1, 2, 3, 4 }, by[5] = { 3, 6, NAN, 12, -5 };
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  guint a, b, series, index;
  cairo_surface_t *surface;
  graphene_rect_t area;
  GdkRGBA color;
  double x, y, x3, y3, x4, y4, x1, y1;
  gboolean b_right_of_3;

  a = rv_curve_set_add_series (set, "A", &green, FALSE);
  b = rv_curve_set_add_series (set, "B", &blue, TRUE);
  rv_curve_set_set_points (set, a, ax, ay, 5);
  rv_curve_set_set_points (set, b, bx, by, 5);
  rv_curve_view_set_x_title (view, "Step");
  rv_curve_view_set_y_title (view, "Value");

  rv_curve_view_get_series_color (view, a, &color);
  g_assert_true (gdk_rgba_equal (&color, &green));

  /* Linear axes: every finite point is drawn, the NaN is not. */
  surface = widget_test_render ("curve-linear.png", draw_curve_view, view, 420, 300);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (rv_curve_view_point_position (view, 420, 300, a, i, &x, &y));
      g_assert_true (color_near (surface, x, y, 2, &green));
    }
  g_assert_false (rv_curve_view_point_position (view, 420, 300, b, 2, &x, &y));
  g_assert_true (rv_curve_view_point_position (view, 420, 300, b, 4, &x4, &y4));
  g_assert_true (rv_curve_view_point_position (view, 420, 300, b, 3, &x3, &y3));
  g_assert_true (rv_curve_view_point_position (view, 420, 300, b, 1, &x1, &y1));
  g_assert_true (color_near (surface, x4, y4, 2, &blue));
  /* No line across the NaN: halfway from point 1 to point 3, no blue. */
  {
    gboolean blue_in_gap = FALSE;

    rv_curve_view_get_plot_area (view, 420, 300, &area);
    for (double yy = area.origin.y; yy < area.origin.y + area.size.height; yy++)
      if (is_near (widget_test_pixel_at (surface, (x1 + x3) / 2, yy), &blue, 40))
        blue_in_gap = TRUE;
    g_assert_false (blue_in_gap);
  }
  cairo_surface_destroy (surface);

  /* Log y: the negative point is skipped, not drawn off the chart.  (No
   * legend, whose dashed blue sample would count as a line.) */
  rv_curve_view_set_log_y (view, TRUE);
  rv_curve_view_set_show_legend (view, FALSE);
  surface = widget_test_render ("curve-log.png", draw_curve_view, view, 420, 300);
  g_assert_false (rv_curve_view_point_position (view, 420, 300, b, 4, &x, &y));
  g_assert_true (rv_curve_view_point_position (view, 420, 300, b, 3, &x3, &y3));
  rv_curve_view_get_plot_area (view, 420, 300, &area);
  b_right_of_3 = FALSE;
  for (double xx = x3 + 6; xx < area.origin.x + area.size.width; xx++)
    for (double yy = 0; yy < 300; yy++)
      if (is_near (widget_test_pixel_at (surface, xx, yy), &blue, 30))
        b_right_of_3 = TRUE;
  g_assert_false (b_right_of_3);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (rv_curve_view_point_position (view, 420, 300, a, i, &x, &y));
      g_assert_true (color_near (surface, x, y, 2, &green));
    }
  /* Equal ratios, equal steps on a log axis. */
  {
    double y0, y2, yy1;

    rv_curve_view_point_position (view, 420, 300, a, 0, &x, &y0);
    rv_curve_view_point_position (view, 420, 300, a, 1, &x, &yy1);
    rv_curve_view_point_position (view, 420, 300, a, 2, &x, &y2);
    g_assert_cmpfloat_with_epsilon (y0 - yy1, yy1 - y2, 1e-6);
  }
  cairo_surface_destroy (surface);

  /* Nearest point, at the widget's size. */
  allocate (GTK_WIDGET (view), 420, 300);
  rv_curve_view_point_position (view, 420, 300, a, 2, &x, &y);
  g_assert_true (rv_curve_view_nearest (view, x + 3, y - 2, &series, &index));
  g_assert_cmpuint (series, ==, a);
  g_assert_cmpuint (index, ==, 2);
  rv_curve_view_point_position (view, 420, 300, b, 3, &x, &y);
  g_assert_true (rv_curve_view_nearest (view, x - 2, y + 1, &series, &index));
  g_assert_cmpuint (series, ==, b);
  g_assert_cmpuint (index, ==, 3);
  g_assert_false (rv_curve_view_nearest (view, 1, 1, &series, &index));

  g_object_unref (view);
}

static void
test_curve_labels_and_palette (void)
{
  static const char *const labels[] = { "Layer 0", "Layer 2", "Layer 4", "Layer 6", "Layer 8", NULL };
  static const double x[5] = { 0, 1, 2, 3, 4 };
  static const double y[5] = { 0.97, 0.91, 1.05, 1.03, 0.67 };
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  GdkRGBA c0, c1, expected;
  guint s0, s1;
  char *text;
  cairo_surface_t *surface;
  double px, py;

  s0 = rv_curve_set_add_series (set, "Kaiming", NULL, FALSE);
  s1 = rv_curve_set_add_series (set, "Kaiming (pinned)", NULL, TRUE);
  rv_curve_set_set_points (set, s0, x, y, 5);
  rv_curve_set_set_points (set, s1, x, y, 3);
  rv_curve_view_set_x_labels (view, labels);

  /* Automatic colours: palette entries by index, distinct. */
  rv_curve_view_get_series_color (view, s0, &c0);
  rv_curve_view_get_series_color (view, s1, &c1);
  rv_plot_palette_color (0, FALSE, &expected);
  g_assert_true (gdk_rgba_equal (&c0, &expected));
  g_assert_false (gdk_rgba_equal (&c0, &c1));

  text = rv_curve_view_describe_point (view, s0, 2);
  g_assert_cmpstr (text, ==, "Kaiming\nLayer 4: 1.05");
  g_free (text);

  surface = widget_test_render ("curve-categories.png", draw_curve_view, view, 420, 280);
  g_assert_true (rv_curve_view_point_position (view, 420, 280, s0, 4, &px, &py));
  g_assert_true (color_near (surface, px, py, 2, &c0));
  cairo_surface_destroy (surface);

  /* A numeric axis with a title reads "Step 1,200: 0.45". */
  rv_curve_view_set_x_labels (view, NULL);
  rv_curve_view_set_x_title (view, "Step");
  rv_curve_set_append (set, s0, 1200, 0.45);
  text = rv_curve_view_describe_point (view, s0, 5);
  g_assert_cmpstr (text, ==, "Kaiming\nStep 1,200: 0.45");
  g_free (text);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
  g_object_unref (view);
}

static void
test_curve_decimation (void)
{
  const guint n = 200000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  cairo_surface_t *surface;
  double px, py;
  gint64 start;
  guint s;

  for (guint i = 0; i < n; i++)
    {
      x[i] = i;
      y[i] = 1.0 + 0.1 * sin (i * 0.001);
    }
  /* One spike among 200,000 points must survive the decimation. */
  y[123457] = 3.0;
  s = rv_curve_set_add_series (set, "Loss", &green, FALSE);
  rv_curve_set_set_points (set, s, x, y, n);

  start = g_get_monotonic_time ();
  surface = widget_test_render ("curve-many-points.png", draw_curve_view, view, 500, 300);
  /* Generous: O(points) is milliseconds; O(points × width) would be seconds. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_true (rv_curve_view_point_position (view, 500, 300, s, 123457, &px, &py));
  g_assert_true (color_near (surface, px, py + 1, 2, &green));
  cairo_surface_destroy (surface);
  g_object_unref (view);
}

/* ---- light and dark --------------------------------------------------- */

static void
test_dark_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  static const guint64 counts[6] = { 3, 10, 25, 25, 10, 3 };
  g_autoptr (RvHistogram) model = histogram_with_counts ("Layer 4 (256 → 256)", -3.0, 3.0, counts, 6);
  GtkWidget *window = gtk_window_new ();
  RvHistogramView *view = RV_HISTOGRAM_VIEW (rv_histogram_view_new (model));
  RvPlotStyle style;
  cairo_surface_t *surface;
  double brightest = 0.0;
  GdkRGBA bar;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  widget_test_set_dark (GTK_WIDGET (view), TRUE);
  rv_plot_style_init (&style, GTK_WIDGET (view));
  g_assert_true (style.dark);
  g_assert_cmpfloat (widget_test_luminance ((WidgetTestPixel) { style.fg.red * 255, style.fg.green * 255,
                                                                style.fg.blue * 255 }), >, 0.7);
  /* A widget in no window gets the scheme's defaults. */
  {
    g_autoptr (RvHistogramView) loose = red_view (model);

    rv_plot_style_init (&style, GTK_WIDGET (loose));
    g_assert_true (style.dark);
    g_assert_cmpfloat (style.bg.red, <, 0.2);
  }
  rv_histogram_view_get_bar_color (view, &bar);
  surface = widget_test_render ("histogram-dark.png", draw_histogram_view, view, 300, 220);
  g_assert_cmpfloat (widget_test_luminance (widget_test_pixel_at (surface, 2, 2)), <, 0.2);
  /* The variance line along the bottom: light text. */
  for (int y = 190; y < 220; y++)
    for (int x = 0; x < 300; x++)
      brightest = MAX (brightest, widget_test_luminance (widget_test_pixel_at (surface, x, y)));
  g_assert_cmpfloat (brightest, >, 0.7);
  cairo_surface_destroy (surface);

  /* The curve view too, for people to look at. */
  {
    static const char *const labels[] = { "Layer 0", "Layer 2", "Layer 4", "Layer 6", "Layer 8", NULL };
    static const double x[5] = { 0, 1, 2, 3, 4 };
    static const double y1[5] = { 0.076, 0.0039, 2.0e-4, 1.2e-4, 6.7e-5 };
    static const double y2[5] = { 0.97, 0.91, 1.05, 1.03, 0.67 };
    g_autoptr (RvCurveSet) set = rv_curve_set_new ();
    GtkWidget *curve = rv_curve_view_new (set);
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    guint s;

    g_object_ref (view);
    gtk_window_set_child (GTK_WINDOW (window), box);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
    g_object_unref (view);
    gtk_box_append (GTK_BOX (box), curve);
    s = rv_curve_set_add_series (set, "normal:0.01", NULL, FALSE);
    rv_curve_set_set_points (set, s, x, y1, 5);
    s = rv_curve_set_add_series (set, "kaiming", NULL, FALSE);
    rv_curve_set_set_points (set, s, x, y2, 5);
    s = rv_curve_set_add_series (set, "equal-var (pinned)", NULL, TRUE);
    rv_curve_set_set_points (set, s, x, (const double[]) { 0.97, 0.94, 0.98, 0.92, 1.14 }, 5);
    rv_curve_view_set_x_labels (RV_CURVE_VIEW (curve), labels);
    rv_curve_view_set_log_y (RV_CURVE_VIEW (curve), TRUE);
    rv_curve_view_set_title (RV_CURVE_VIEW (curve), "Activation variance across depth");
    rv_curve_view_set_y_title (RV_CURVE_VIEW (curve), "Variance");
    cairo_surface_destroy (widget_test_render ("curve-dark.png", draw_curve_view, curve, 520, 320));
  }

  widget_test_set_dark (GTK_WIDGET (view), FALSE);
  rv_plot_style_init (&style, GTK_WIDGET (view));
  g_assert_false (style.dark);
  surface = widget_test_render ("histogram-light.png", draw_histogram_view, view, 300, 220);
  g_assert_cmpfloat (widget_test_luminance (widget_test_pixel_at (surface, 2, 2)), >, 0.8);
  cairo_surface_destroy (surface);
  /* The automatic bar colour follows: a lighter blue on dark. */
  {
    GdkRGBA light_bar;

    rv_histogram_view_get_bar_color (view, &light_bar);
    g_assert_false (gdk_rgba_equal (&bar, &light_bar));
  }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- a realistic case, for people to look at ------------------------- */

static RvHistogram *
layer_histogram (const char *title, guint layer, float std, gboolean relu)
{
  const size_t n = 20000;
  g_autofree float *values = g_new (float, n);
  RvHistogram *h = rv_histogram_new (title);
  RvStats stats = { 0 };
  double grid[200], density[200];

  rv_rng_fill_normal (values, n, 42, RV_STREAM_INIT + 2 * layer, 0.0f, std);
  if (relu)
    for (size_t i = 0; i < n; i++)
      values[i] = MAX (values[i], 0.0f) + 0.3f * values[i];
  rv_stats_compute (&stats, values, n, RV_DEFAULT_BINS);
  for (guint i = 0; i < 200; i++)
    grid[i] = stats.lo + (stats.hi - stats.lo) * i / 199.0;
  rv_kde_evaluate (values, n, 0.0, grid, 200, density);
  rv_histogram_set_stats (h, &stats);
  rv_histogram_set_kde (h, grid, density, 200);
  rv_stats_clear (&stats);
  return h;
}

static void
test_realistic (void)
{
  static const char *const titles[5] = {
    "Layer 0 (784 → 512)", "Layer 2 (512 → 256)", "Layer 4 (256 → 256)",
    "Layer 6 (256 → 128)", "Layer 8 (128 → 10)",
  };
  static const float stds[5] = { 0.28f, 0.062f, 0.014f, 0.011f, 0.0082f };
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *grid = g_object_ref_sink (rv_histogram_grid_new ());
  int width, height;

  for (guint l = 0; l < 5; l++)
    g_ptr_array_add (list, layer_histogram (titles[l], l, stds[l], l == 0));
  rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), list);
  rv_histogram_grid_set_heading (RV_HISTOGRAM_GRID (grid), "Activation distribution");
  rv_histogram_grid_set_show_kde (RV_HISTOGRAM_GRID (grid), TRUE);
  rv_histogram_grid_set_y_mode (RV_HISTOGRAM_GRID (grid), RV_HISTOGRAM_Y_DENSITY);
  rv_histogram_grid_get_export_size (RV_HISTOGRAM_GRID (grid), &width, &height);
  g_assert_cmpint (width, ==, 5 * 280);
  cairo_surface_destroy (widget_test_render ("realistic-grid.png", draw_histogram_grid, grid, width, height));

  rv_histogram_grid_set_shared_x (RV_HISTOGRAM_GRID (grid), TRUE);
  rv_histogram_grid_set_y_mode (RV_HISTOGRAM_GRID (grid), RV_HISTOGRAM_Y_COUNT);
  rv_histogram_grid_set_log_y (RV_HISTOGRAM_GRID (grid), TRUE);
  cairo_surface_destroy (widget_test_render ("realistic-grid-shared-log.png", draw_histogram_grid, grid,
                                             width, height));
  /* Narrow: the panels wrap onto rows. */
  cairo_surface_destroy (widget_test_render ("realistic-grid-narrow.png", draw_histogram_grid, grid,
                                             640, 560));
  {
    g_autofree char *svg = widget_test_tmp_path ("realistic-grid.svg");
    g_autofree char *pdf = widget_test_tmp_path ("realistic-grid.pdf");
    g_autoptr (GError) error = NULL;

    g_assert_true (rv_plot_export (svg, draw_histogram_grid, grid, width, height, &error));
    g_assert_no_error (error);
    g_assert_true (rv_plot_export (pdf, draw_histogram_grid, grid, width, height, &error));
    g_assert_no_error (error);
    widget_test_keep_shot (svg);
    widget_test_keep_shot (pdf);
  }

  /* A loss curve: many noisy points, a pinned run dashed, log y. */
  {
    const guint n = 20000;
    g_autofree double *x = g_new (double, n);
    g_autofree double *y1 = g_new (double, n);
    g_autofree double *y2 = g_new (double, n);
    g_autoptr (RvCurveSet) set = rv_curve_set_new ();
    RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
    guint s;

    for (guint i = 0; i < n; i++)
      {
        x[i] = i;
        y1[i] = 2.3 * exp (-(double) i / 3000.0) + 0.3 + 0.08 * rv_rng_normal (7, 1, i);
        y2[i] = 2.3 * exp (-(double) i / 8000.0) + 0.35 + 0.05 * rv_rng_normal (7, 2, i);
      }
    y1[9000] = NAN;
    s = rv_curve_set_add_series (set, "Adam", NULL, FALSE);
    rv_curve_set_set_points (set, s, x, y1, n);
    s = rv_curve_set_add_series (set, "SGD + momentum (pinned)", NULL, TRUE);
    rv_curve_set_set_points (set, s, x, y2, n);
    rv_curve_view_set_title (view, "Training loss");
    rv_curve_view_set_x_title (view, "Step");
    rv_curve_view_set_y_title (view, "Loss");
    rv_curve_view_set_log_y (view, TRUE);
    cairo_surface_destroy (widget_test_render ("realistic-loss.png", draw_curve_view, view, 640, 360));
    g_object_unref (view);
  }

  g_object_unref (grid);
}

/* The grid as GTK itself draws it, inside a window: the flow box layout. */
static void
test_grid_in_window (void)
{
  static const char *const titles[5] = {
    "Layer 0 (784 → 512)", "Layer 2 (512 → 256)", "Layer 4 (256 → 256)",
    "Layer 6 (256 → 128)", "Layer 8 (128 → 10)",
  };
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *grid = rv_histogram_grid_new ();
  GtkWidget *window;
  int width, height;

  for (guint l = 0; l < 5; l++)
    g_ptr_array_add (list, layer_histogram (titles[l], l, 1.0f, FALSE));
  rv_histogram_grid_set_histograms (RV_HISTOGRAM_GRID (grid), list);
  window = widget_test_show (grid, 900, 560);

  width = gtk_widget_get_width (grid);
  height = gtk_widget_get_height (grid);
  g_assert_cmpint (width, >, 0);
  /* Five panels of at least 220 px do not fit in 900 px: two rows. */
  g_assert_cmpint (height, >=, 2 * 170);

  widget_test_shoot_window (window, "grid-in-window.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;

  widget_test_init (&argc, &argv, "ravine-widgets-XXXXXX");

  g_test_add_func ("/plot/format", test_plot_format);
  g_test_add_func ("/plot/ticks", test_plot_ticks);
  g_test_add_func ("/plot-export/formats", test_export_formats);
  g_test_add_func ("/plot-export/errors", test_export_errors);
  g_test_add_func ("/histogram/model", test_histogram_model);
  g_test_add_func ("/histogram-view/bars", test_histogram_bars);
  g_test_add_func ("/histogram-view/note", test_histogram_note);
  g_test_add_func ("/histogram-view/hit", test_histogram_hit);
  g_test_add_func ("/histogram-view/log", test_histogram_log);
  g_test_add_func ("/histogram-view/density-kde", test_histogram_density_kde);
  g_test_add_func ("/histogram-view/accessible", test_histogram_accessible);
  g_test_add_func ("/histogram-view/min-size", test_histogram_min_size);
  g_test_add_func ("/histogram-view/labels-inside", test_histogram_labels_inside);
  g_test_add_func ("/histogram-view/geometry", test_histogram_geometry);
  g_test_add_func ("/histogram-view/compare", test_histogram_compare);
  g_test_add_func ("/histogram-grid/shared-x", test_histogram_grid_shared_x);
  g_test_add_func ("/histogram-grid/compare", test_histogram_grid_compare);
  g_test_add_func ("/histogram-grid/in-window", test_grid_in_window);
  g_test_add_func ("/curve-view/points", test_curve_points);
  g_test_add_func ("/curve-view/labels-palette", test_curve_labels_and_palette);
  g_test_add_func ("/curve-view/decimation", test_curve_decimation);
  g_test_add_func ("/style/dark", test_dark_style);
  g_test_add_func ("/realistic", test_realistic);

  status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
