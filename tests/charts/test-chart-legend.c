/* test-chart-legend.c: a line chart's legend never covers its data,
 * never cuts a name short, and wraps a run's name between its parts.
 *
 * Two charts as the app shows them: the tutorial comparison's accuracy
 * (three runs, training and validation per epoch) and the variance across
 * depth with a pinned configuration; each drawn at the sizes a 1280 × 820
 * window gives them, and smaller. */
#include "rv-config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "rv-chart.h"
#include "rv-curve-set.h"
#include "rv-curve-view.h"
#include "rv-plot.h"
#include "widget-test-util.h"

/* The base's legend spacing: inner padding, the swatch, the row gap. */
#define INNER 6.0
#define SAMPLE 22.0
#define ROW_GAP 2.0

static const int sizes[][2] = { { 560, 300 }, { 900, 400 }, { 360, 240 }, { 300, 200 } };

/* The tutorial comparison: accuracy rising from about 0.80 to 0.98 on the
 * training set and 0.90 on validation over 40 epochs, a little noisy. */
static RvCurveView *
accuracy_chart (void)
{
  static const char *const runs[] = { "FashionMNIST_SGD", "FashionMNIST_SGDMom", "FashionMNIST_Adam" };
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autofree char *train = g_strdup_printf ("%s, train", runs[r]);
      g_autofree char *val = g_strdup_printf ("%s, validation", runs[r]);
      GdkRGBA color;
      guint t, v;

      rv_plot_palette_color (r, FALSE, &color);
      t = rv_curve_set_add_series (set, train, &color, FALSE);
      v = rv_curve_set_add_series (set, val, &color, TRUE);
      for (int e = 1; e <= 40; e++)
        {
          double rate = 6.0 + 2.0 * r;

          rv_curve_set_append (set, t, e, 0.80 + (0.18 - 0.01 * r) * (1.0 - exp (-e / rate))
                                          + 0.002 * sin (e * 1.7 + r));
          rv_curve_set_append (set, v, e, 0.80 + (0.10 - 0.005 * r) * (1.0 - exp (-e / (rate - 1.0)))
                                          + 0.004 * sin (e * 2.3 + r));
        }
    }
  rv_curve_view_set_title (view, "Accuracy");
  rv_curve_view_set_x_title (view, "epoch");
  rv_curve_view_set_y_title (view, "accuracy");
  return view;
}

/* Variance across depth, Kaiming live and Xavier pinned (dashed, in the
 * colours of the live curves), on a log axis over category labels. */
static RvCurveView *
depth_chart (void)
{
  static const char *const labels[] = { "Layer 0", "Layer 1", "Layer 2", "Layer 3", "Layer 4", NULL };
  static const double act[] = { 1.19, 1.05, 0.98, 1.02, 0.95 };
  static const double grad[] = { 9e-6, 1.4e-5, 2.1e-5, 3.6e-5, 1.1e-4 };
  static const double pin_act[] = { 0.98, 0.51, 0.26, 0.12, 0.06 };
  static const double pin_grad[] = { 4.5e-6, 8.2e-6, 9.4e-6, 1.2e-5, 1.2e-4 };
  const double x[] = { 0, 1, 2, 3, 4 };
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  RvCurveView *view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  GdkRGBA act_color, grad_color;
  guint a, g, pa, pg;

  rv_curve_view_set_x_labels (view, labels);
  rv_curve_view_set_log_y (view, TRUE);
  rv_curve_view_set_y_title (view, "variance");
  a = rv_curve_set_add_series (set, "Activation variance", NULL, FALSE);
  rv_curve_set_set_points (set, a, x, act, 5);
  g = rv_curve_set_add_series (set, "Weight-gradient variance", NULL, FALSE);
  rv_curve_set_set_points (set, g, x, grad, 5);
  rv_curve_view_get_series_color (view, a, &act_color);
  rv_curve_view_get_series_color (view, g, &grad_color);
  pa = rv_curve_set_add_series (set, "Activation variance, Tanh, Xavier (uniform)", &act_color, TRUE);
  rv_curve_set_set_points (set, pa, x, pin_act, 5);
  pg = rv_curve_set_add_series (set, "Weight-gradient variance, Tanh, Xavier (uniform)", &grad_color, TRUE);
  rv_curve_set_set_points (set, pg, x, pin_grad, 5);
  return view;
}

static void
draw_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_chart_draw (RV_CHART (data), cr, width, height);
}

/* Every name, wrapped at the width the box leaves for text, fits the box
 * whole: nothing ellipsized, and the rows' heights add up within it. */
static void
assert_labels_whole (RvCurveView *view, const graphene_rect_t *legend)
{
  RvCurveSet *set = rv_curve_view_get_model (view);
  double text_w = legend->size.width - 3 * INNER - SAMPLE, total = 2 * INNER - ROW_GAP;

  g_assert_cmpfloat (text_w, >, 20.0);
  for (guint s = 0; s < rv_curve_set_get_n_series (set); s++)
    {
      g_autoptr (PangoLayout) layout = rv_plot_wrapped_layout_new (GTK_WIDGET (view), rv_curve_set_get_name (set, s),
                                                                   PANGO_SCALE_SMALL, ceil (text_w));
      PangoRectangle ink, logical;
      double w, h;

      g_assert_false (pango_layout_is_ellipsized (layout));
      pango_layout_get_pixel_extents (layout, &ink, &logical);
      rv_plot_layout_size (layout, &w, &h);
      g_assert_cmpfloat (w, <=, text_w + 1.0);
      total += h + ROW_GAP;
    }
  g_assert_cmpfloat (total, <=, legend->size.height + 1.0);
}

static void
check_chart (RvCurveView *view, const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int width = sizes[i][0], height = sizes[i][1];
      g_autofree char *file = g_strdup_printf ("legend-%s-%dx%d.png", name, width, height);
      g_autoptr (RvChartGeometry) geometry = NULL;
      graphene_rect_t legend, chart = GRAPHENE_RECT_INIT (0, 0, width, height);
      cairo_surface_t *surface;
      gboolean drawn;

      surface = widget_test_render (file, draw_view, view, width, height);
      cairo_surface_destroy (surface);
      drawn = rv_chart_get_legend_rect (RV_CHART (view), &legend);
      /* From half a 1280-pixel window up there is room for it; below, the
       * base leaves out a legend with no room rather than cover the data. */
      if (width >= 560)
        g_assert_true (drawn);
      if (!drawn)
        continue;

      geometry = rv_chart_collect_geometry (RV_CHART (view), width, height);
      g_assert_cmpuint (geometry->segments->len, >, 0);
      g_assert_cmpuint (rv_chart_geometry_count_in (geometry, &legend), ==, 0);
      g_assert_true (graphene_rect_contains_rect (&chart, &legend));
      assert_labels_whole (view, &legend);
    }
}

static void
test_accuracy_legend (void)
{
  g_autoptr (RvCurveView) view = accuracy_chart ();

  check_chart (view, "accuracy");
}

static void
test_depth_legend (void)
{
  g_autoptr (RvCurveView) view = depth_chart ();

  check_chart (view, "depth");
}

/* A chart whose legend goes inside and whose lines cross every spot
 * it could take: the y range makes room above the data. */
static void
test_legend_room (void)
{
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  g_autoptr (RvChartGeometry) geometry = NULL;
  guint up = rv_curve_set_add_series (set, "rising", NULL, FALSE);
  guint down = rv_curve_set_add_series (set, "falling", NULL, FALSE);
  guint flat = rv_curve_set_add_series (set, "flat in the middle", NULL, FALSE);
  graphene_rect_t legend;

  for (guint i = 0; i <= 100; i++)
    {
      rv_curve_set_append (set, up, i, i);
      rv_curve_set_append (set, down, i, 100 - i);
      rv_curve_set_append (set, flat, i, 50);
    }
  cairo_surface_destroy (widget_test_render ("legend-crossing.png", draw_view, view, 320, 220));
  g_assert_true (rv_chart_get_legend_rect (RV_CHART (view), &legend));
  geometry = rv_chart_collect_geometry (RV_CHART (view), 320, 220);
  g_assert_cmpuint (rv_chart_geometry_count_in (geometry, &legend), ==, 0);

  /* Without a legend, the data has the whole plot again. */
  rv_curve_view_set_show_legend (view, FALSE);
  cairo_surface_destroy (widget_test_render ("legend-none.png", draw_view, view, 320, 220));
  g_assert_false (rv_chart_get_legend_rect (RV_CHART (view), NULL));
}

/* The text of a layout's line as it shows, without the zero-width spaces
 * that mark where it may break. */
static char *
shown_line (PangoLayout *layout, guint i)
{
  const char *text = pango_layout_get_text (layout);
  PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
  GString *shown = g_string_new (NULL);

  for (const char *p = text + line->start_index; p < text + line->start_index + line->length;
       p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) != 0x200b)
      g_string_append_unichar (shown, g_utf8_get_char (p));
  return g_string_free (shown, FALSE);
}

/* Run names as the Training page makes them, wrapped narrower than
 * themselves: read back line by line they give the name, character for
 * character; where the line holds the name's widest part, every line but
 * the last ends at one of the name's own separators (an underscore, a
 * space, a hyphen of the name), never inside a part; and Pango is told to
 * add no hyphen where a narrower line must break a part. */
static void
test_name_breaks (void)
{
  static const char *const names[] = { "relu_512x256x256x128_kaiming_adam_lr0.001_e40_b256_s42, training",
                                       "tanh_512x256x256x128_xavier-uniform_momentum_lr0.01_e40_b256_s7" };
  g_autoptr (RvCurveSet) set = rv_curve_set_new ();
  g_autoptr (RvCurveView) view = RV_CURVE_VIEW (g_object_ref_sink (rv_curve_view_new (set)));
  double widest_part = rv_plot_text_width (GTK_WIDGET (view), "512x256x256x128_", PANGO_SCALE_SMALL, FALSE);

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    for (double width = 60.0; width <= 260.0; width += 40.0)
      {
        g_autoptr (PangoLayout) layout = rv_plot_wrapped_layout_new (GTK_WIDGET (view), names[n], PANGO_SCALE_SMALL,
                                                                     width);
        g_autoptr (GString) read = g_string_new (NULL);
        guint n_lines = pango_layout_get_line_count (layout);
        double w;

        rv_plot_layout_size (layout, &w, NULL);
        g_assert_cmpfloat (w, <=, width + 1.0);
        g_assert_cmpuint (n_lines, >=, 2);
        for (guint i = 0; i < n_lines; i++)
          {
            g_autofree char *shown = shown_line (layout, i);
            gsize len = strlen (shown);

            g_test_message ("%.0f px, line %u: \"%s\"", width, i, shown);
            if (i + 1 < n_lines && width >= widest_part + 8.0)
              g_assert_nonnull (strchr ("_ -", shown[len - 1]));
            g_string_append (read, shown);
          }
        g_assert_cmpstr (read->str, ==, names[n]);

        GSList *attrs = pango_attr_list_get_attributes (pango_layout_get_attributes (layout));
        gboolean no_hyphens = FALSE;
        for (GSList *l = attrs; l; l = l->next)
          {
            PangoAttribute *attr = l->data;
            if (attr->klass->type == PANGO_ATTR_INSERT_HYPHENS && !((PangoAttrInt *) attr)->value)
              no_hyphens = TRUE;
          }
        g_slist_free_full (attrs, (GDestroyNotify) pango_attribute_destroy);
        g_assert_true (no_hyphens);
      }
}

int
main (int argc, char **argv)
{
  int status;

  widget_test_init (&argc, &argv, "ravine-legend-XXXXXX");

  g_test_add_func ("/chart-legend/accuracy", test_accuracy_legend);
  g_test_add_func ("/chart-legend/depth", test_depth_legend);
  g_test_add_func ("/chart-legend/room", test_legend_room);
  g_test_add_func ("/chart-legend/name-breaks", test_name_breaks);

  status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
