/* test-curve-view.c: the line chart's axis options and reference band:
 * whole-number x ticks for steps and epochs, decades on a log y axis, and
 * a band that is drawn under the data and always in view; a series' label
 * drawn in its colour just above its last point. */
#include "rv-config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "rv-chart.h"
#include "rv-curve-set.h"
#include "rv-curve-view.h"
#include "rv-plot.h"
#include "widget-test-util.h"

static void
draw_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_chart_draw (RV_CHART (data), cr, width, height);
}

static gboolean
is_power_of_ten (double v)
{
  double e = log10 (v);

  return v > 0.0 && fabs (e - round (e)) < 1e-9;
}

/* Four epochs, x over [0, 3]: every x tick a whole number, at every size. */
static void
test_integer_ticks (void)
{
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  guint s = rv_curve_set_add_series (set, "accuracy", NULL, FALSE);
  const int widths[] = { 300, 480, 900, 1400 };
  gboolean fractional = FALSE;
  RvPlotAxis axis;

  for (guint e = 0; e < 4; e++)
    rv_curve_set_append (set, s, e, 0.8 + 0.05 * e);

  /* Without the option, a wide chart ticks every half epoch or finer. */
  g_assert_false (rv_curve_view_get_x_integer (view));
  g_assert_true (rv_curve_view_get_axis (view, 1400, 300, FALSE, &axis));
  for (guint i = 0; i < axis.n_ticks; i++)
    fractional |= axis.ticks[i] != round (axis.ticks[i]);
  g_assert_true (fractional);

  g_object_set (view, "x-integer", TRUE, NULL);
  g_assert_true (rv_curve_view_get_x_integer (view));
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_assert_true (rv_curve_view_get_axis (view, widths[w], 300, FALSE, &axis));
      g_assert_cmpuint (axis.n_ticks, >=, 2);
      g_assert_cmpfloat (axis.step, >=, 1.0);
      for (guint i = 0; i < axis.n_ticks; i++)
        g_assert_cmpfloat (axis.ticks[i], ==, round (axis.ticks[i]));
    }
  cairo_surface_destroy (widget_test_render ("curve-integer-x.png", draw_view, view, 1400, 300));

  /* Long runs keep their 1-2-5 steps. */
  for (guint e = 4; e <= 5000; e++)
    rv_curve_set_append (set, s, e, 0.9);
  g_assert_true (rv_curve_view_get_axis (view, 600, 300, FALSE, &axis));
  g_assert_cmpfloat (axis.step, >=, 500.0);
}

/* Log y: ticks on powers of ten once the data spans decades. */
static void
test_log_y_ticks (void)
{
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  guint s = rv_curve_set_add_series (set, "loss", NULL, FALSE);
  gboolean all_decades = TRUE;
  RvPlotAxis axis;

  for (int i = 0; i < 500; i++)
    rv_curve_set_append (set, s, i, 2.3 * exp (-i / 40.0) + 1e-3);
  g_assert_true (rv_curve_view_get_axis (view, 480, 300, TRUE, &axis));
  for (guint i = 0; i < axis.n_ticks; i++)
    all_decades &= is_power_of_ten (axis.ticks[i]);
  g_assert_false (all_decades);

  rv_curve_view_set_log_y (view, TRUE);
  g_assert_true (rv_curve_view_get_log_y (view));
  g_assert_true (rv_curve_view_get_axis (view, 480, 300, TRUE, &axis));
  g_assert_cmpuint (axis.n_ticks, >=, 2);
  for (guint i = 0; i < axis.n_ticks; i++)
    {

      g_assert_true (is_power_of_ten (axis.ticks[i]));
    }
}

/* A band of healthy update ratios on a log axis: drawn in its colour
 * between lo and hi, not outside, and in view though the data is far
 * below it. */
static void
test_band (void)
{
  const double lo = 3e-4, hi = 3e-3;
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  guint s = rv_curve_set_add_series (set, "layers.0.weight", NULL, FALSE);
  graphene_rect_t area;
  RvPlotAxis axis;
  cairo_surface_t *surface;
  WidgetTestPixel inside, above, below;
  GdkRGBA green;
  double x, y_mid, y_above, y_below;

  for (guint i = 0; i < 200; i++)
    rv_curve_set_append (set, s, i * 10, 1e-6 * (1.0 + 0.2 * sin (i / 7.0)));
  rv_curve_view_set_log_y (view, TRUE);
  rv_curve_view_set_title (view, "Update-to-weight ratio per layer");

  /* Without the band the axis stays near the data. */
  g_assert_true (rv_curve_view_get_axis (view, 560, 300, TRUE, &axis));
  g_assert_cmpfloat (axis.scale.hi, <, lo);

  rv_curve_view_set_band (view, lo, hi, "healthy ≈ 1e-3");
  g_assert_true (rv_curve_view_get_axis (view, 560, 300, TRUE, &axis));
  g_assert_cmpfloat (axis.scale.lo, <=, lo);
  g_assert_cmpfloat (axis.scale.hi, >=, hi);

  surface = widget_test_render ("curve-band.png", draw_view, view, 560, 300);
  g_assert_true (rv_curve_view_get_plot_area (view, 560, 300, &area));
  /* Right of the label, between grid lines. */
  x = area.origin.x + 0.75 * area.size.width + 7.0;
  y_mid = rv_plot_scale_map (&axis.scale, sqrt (lo * hi) * 1.3);
  y_above = rv_plot_scale_map (&axis.scale, hi * 2.0);
  y_below = rv_plot_scale_map (&axis.scale, lo / 2.0);
  inside = widget_test_pixel_at (surface, x, y_mid);
  above = widget_test_pixel_at (surface, x, y_above);
  below = widget_test_pixel_at (surface, x, y_below);
  rv_plot_palette_color (2, FALSE, &green);
  /* A faint wash of green: greener than the background, still light. */
  g_assert_cmpint (inside.g - inside.r, >, 10);
  g_assert_cmpint (inside.g - inside.b, >, 5);
  g_assert_cmpfloat (widget_test_luminance (inside), >, 0.6);
  g_assert_cmpint (abs (above.g - above.r), <, 5);
  g_assert_cmpint (abs (below.g - below.r), <, 5);
  cairo_surface_destroy (surface);

  /* The band is not data: the accessible summary still counts one series,
   * and NULL takes it away again. */
  rv_curve_view_set_band (view, lo, hi, NULL);
  g_assert_true (rv_curve_view_get_axis (view, 560, 300, TRUE, &axis));
  g_assert_cmpfloat (axis.scale.hi, <, lo);
}

/* Pixels of about colour c in the box left of and above (x, y). */
static guint
count_colored (cairo_surface_t *surface, double x, double y, const GdkRGBA *c)
{
  guint n = 0;
  for (int dx = 4; dx < 90; dx++)
    for (int dy = 6; dy < 22; dy++)
      {
        WidgetTestPixel p = widget_test_pixel_at (surface, x - dx, y - dy);
        if (abs (p.r - (int) (255 * c->red)) < 60 && abs (p.g - (int) (255 * c->green)) < 60
            && abs (p.b - (int) (255 * c->blue)) < 60)
          n++;
      }
  return n;
}

/* A dashed reference line labelled "2/η = 20": the text sits above its
 * right end in the line's colour; without the label nothing is there. */
static void
test_series_label (void)
{
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  GdkRGBA red = { 0.8, 0.1, 0.1, 1.0 };
  guint data = rv_curve_set_add_series (set, "λ", NULL, FALSE);
  for (guint i = 0; i <= 20; i++)
    rv_curve_set_append (set, data, i * 5, 5.0 + 1.5 * i);
  guint line = rv_curve_set_add_series (set, "", &red, TRUE);
  const double x[] = { 0, 100 }, y[] = { 20, 20 };
  rv_curve_set_set_points (set, line, x, y, 2);
  rv_curve_view_set_show_legend (view, FALSE);
  g_assert_null (rv_curve_set_get_label (set, line));

  double px, py;
  cairo_surface_t *plain = widget_test_render ("curve-unlabelled.png", draw_view, view, 560, 300);
  g_assert_true (rv_curve_view_point_position (view, 560, 300, line, 1, &px, &py));
  guint before = count_colored (plain, px, py, &red);
  cairo_surface_destroy (plain);

  rv_curve_set_set_label (set, line, "2/η = 20");
  g_assert_cmpstr (rv_curve_set_get_label (set, line), ==, "2/η = 20");
  cairo_surface_t *labelled = widget_test_render ("curve-labelled.png", draw_view, view, 560, 300);
  guint after = count_colored (labelled, px, py, &red);
  cairo_surface_destroy (labelled);
  g_test_message ("label pixels: %u without, %u with", before, after);
  g_assert_cmpuint (before, ==, 0);
  g_assert_cmpuint (after, >, 8);

  rv_curve_set_set_label (set, line, "");
  g_assert_null (rv_curve_set_get_label (set, line));
}

int
main (int argc, char **argv)
{
  int status;

  widget_test_init (&argc, &argv, "ravine-curve-XXXXXX");

  g_test_add_func ("/curve-view/integer-ticks", test_integer_ticks);
  g_test_add_func ("/curve-view/log-y-ticks", test_log_y_ticks);
  g_test_add_func ("/curve-view/band", test_band);
  g_test_add_func ("/curve-view/series-label", test_series_label);

  status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
