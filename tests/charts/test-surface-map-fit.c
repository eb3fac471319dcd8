/* test-surface-map-fit.c: the heat map's view: fitted to the tutorial's
 * ravine race (which runs far off the surface's own range), or the range;
 * one scale on both axes; zoom around the pointer and pan by pixels; the
 * heat map sampled over what is shown; a legend that hides no run. */
#include "rv-config.h"

#include <adwaita.h>
#include <math.h>

#include "rv-colormap.h"
#include "rv-surface-map.h"
#include "rv-surface-model.h"
#include "rv-trajectory.h"
#include "widget-test-util.h"

static void
draw_map (gpointer data, cairo_t *cr, int width, int height)
{
  rv_surface_map_draw (data, cr, width, height);
}

/* Runs the core's trajectory from (w1, w2) into a new run of model. */
static void
add_run (RvSurfaceModel *model, const char *name, RvOptimKind kind, double lr, double w1, double w2)
{
  RvOptimConfig config;
  rv_optim_config_init (&config, kind);
  config.lr = lr;
  g_autofree RvTrajectoryPoint *points = g_new0 (RvTrajectoryPoint, 100);
  guint n = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = rv_trajectory_run (rv_surface_model_get_surface (model), &config, w1, w2, 100, points, &n, &error);
  guint run = rv_surface_model_add_run (model, name, NULL);
  rv_surface_model_set_run_points (model, run, points, n);
  if (!ok)
    rv_surface_model_set_run_diverged (model, run, error->message);
}

/* The ravine preset as the page runs it: from (5, 5), 100 steps. */
static RvSurfaceModel *
ravine_model (gboolean five)
{
  RvSurfaceModel *model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("pathological"), 100);
  add_run (model, "SGD, lr 10", RV_OPTIM_SGD, 10, 5, 5);
  add_run (model, "Momentum, lr 10, β 0.9", RV_OPTIM_MOMENTUM, 10, 5, 5);
  add_run (model, "Adam, lr 1", RV_OPTIM_ADAM, 1, 5, 5);
  if (five)
    {
      add_run (model, "RMSprop, lr 0.3", RV_OPTIM_RMSPROP, 0.3, 5, 5);
      add_run (model, "Nesterov, lr 2, β 0.9", RV_OPTIM_NESTEROV, 2, 5, 5);
    }
  return model;
}

static void
render (RvSurfaceMap *map, const char *name, int width, int height)
{
  cairo_surface_t *image = widget_test_render (name, draw_map, map, width, height);
  cairo_surface_destroy (image);
}

/* How many of the model's points the map puts outside its plot area. */
static guint
points_outside (RvSurfaceMap *map, RvSurfaceModel *model)
{
  graphene_rect_t area;
  guint outside = 0;

  g_assert_true (rv_surface_map_get_plot_area (map, &area));
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n);
      for (guint i = 0; i < n; i++)
        {
          double x, y;
          g_assert_true (rv_surface_map_w_to_widget (map, p[i].w1, p[i].w2, &x, &y));
          outside += !(x >= area.origin.x && x <= area.origin.x + area.size.width
                       && y >= area.origin.y && y <= area.origin.y + area.size.height);
        }
    }
  return outside;
}

static void
assert_equal_scale (RvSurfaceMap *map)
{
  double x0, y0, x1, y1, x2, y2;

  g_assert_true (rv_surface_map_w_to_widget (map, 0, 0, &x0, &y0));
  g_assert_true (rv_surface_map_w_to_widget (map, 1, 0, &x1, &y1));
  g_assert_true (rv_surface_map_w_to_widget (map, 0, 1, &x2, &y2));
  g_assert_cmpfloat (x1 - x0, >, 1.0);
  g_assert_cmpfloat_with_epsilon (y1, y0, 1e-9);
  g_assert_cmpfloat_with_epsilon (x2, x0, 1e-9);
  /* w2 grows upwards, at the same pixels per unit */
  g_assert_cmpfloat_with_epsilon (y0 - y2, x1 - x0, 1e-9 * (x1 - x0));
}

static void
test_fit (void)
{
  g_autoptr (RvSurfaceModel) model = ravine_model (FALSE);
  GtkWidget *widget = rv_surface_map_new (model);
  RvSurfaceMap *map = RV_SURFACE_MAP (widget);
  g_object_ref_sink (widget);

  /* the race leaves [-5, 5]^2: momentum and Adam down the ravine to
   * w2 = -13, SGD swinging out to |w1| = 6.7 */
  double lowest = INFINITY, widest = 0;
  for (guint r = 0; r < 3; r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n);
      g_assert_cmpuint (n, ==, 100);
      for (guint i = 0; i < n; i++)
        {
          lowest = MIN (lowest, p[i].w2);
          widest = MAX (widest, fabs (p[i].w1));
        }
    }
  g_test_message ("the ravine race reaches w2 = %.2f and |w1| = %.2f", lowest, widest);
  g_assert_cmpfloat (lowest, <, -12);
  g_assert_cmpfloat (widest, >, 6);

  /* fitted (the default): every point on the plot, at one scale */
  g_assert_true (rv_surface_map_get_fit_runs (map));
  render (map, "map-fit-ravine.png", 700, 500);
  g_assert_cmpuint (points_outside (map, model), ==, 0);
  assert_equal_scale (map);
  double v[4];
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  g_assert_cmpfloat (v[2], <, lowest);
  g_assert_cmpfloat (v[3], >, 5);
  /* and not much more than that: the padding is a small share */
  g_assert_cmpfloat (v[3] - v[2], <, 1.25 * (5 - lowest));

  /* the plot's corners are the view's (up to the area's floats) */
  graphene_rect_t area;
  double w1, w2;
  g_assert_true (rv_surface_map_get_plot_area (map, &area));
  g_assert_true (rv_surface_map_widget_to_w (map, area.origin.x, area.origin.y + area.size.height, &w1, &w2));
  g_assert_cmpfloat_with_epsilon (w1, v[0], 1e-4);
  g_assert_cmpfloat_with_epsilon (w2, v[2], 1e-4);
  g_assert_true (rv_surface_map_widget_to_w (map, area.origin.x + area.size.width, area.origin.y, &w1, &w2));
  g_assert_cmpfloat_with_epsilon (w1, v[1], 1e-4);
  g_assert_cmpfloat_with_epsilon (w2, v[3], 1e-4);
  /* the largest such plot: it fills the height (the view is tall) */
  g_assert_cmpfloat (area.size.height, >, 500 * 0.75);

  /* the surface's range: that is the view, and the race leaves it */
  rv_surface_map_set_fit_runs (map, FALSE);
  render (map, "map-fit-ravine-surface-range.png", 700, 500);
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  const RvSurface *s = rv_surface_lookup ("pathological");
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      g_assert_cmpfloat_with_epsilon (v[2 * a + b], s->range[a][b], 1e-9);
  g_assert_cmpuint (points_outside (map, model), >, 0);
  assert_equal_scale (map);
  /* square: the range is */
  g_assert_true (rv_surface_map_get_plot_area (map, &area));
  g_assert_cmpfloat_with_epsilon (area.size.width, area.size.height, 1e-3);

  /* back to the runs, at another size too */
  rv_surface_map_set_fit_runs (map, TRUE);
  render (map, "map-fit-ravine-480.png", 480, 360);
  g_assert_cmpuint (points_outside (map, model), ==, 0);
  assert_equal_scale (map);

  g_object_unref (widget);
}

static void
test_zoom_pan (void)
{
  g_autoptr (RvSurfaceModel) model = ravine_model (FALSE);
  GtkWidget *widget = rv_surface_map_new (model);
  RvSurfaceMap *map = RV_SURFACE_MAP (widget);
  g_object_ref_sink (widget);
  render (map, "map-zoom-before.png", 700, 500);

  graphene_rect_t area;
  g_assert_true (rv_surface_map_get_plot_area (map, &area));
  const double at[][2] = { { 0.3, 0.7 }, { 0.95, 0.05 }, { 0.5, 0.5 }, { 0.1, 0.9 } };
  const double factors[] = { 2.0, 1.2, 0.5, 3.0 };
  for (guint k = 0; k < G_N_ELEMENTS (at); k++)
    {
      double x = area.origin.x + at[k][0] * area.size.width, y = area.origin.y + at[k][1] * area.size.height;
      double w1, w2, a1, a2, x0, x1, after_x0, after_x1;
      g_assert_true (rv_surface_map_widget_to_w (map, x, y, &w1, &w2));
      rv_surface_map_w_to_widget (map, 0, 0, &x0, NULL);
      rv_surface_map_w_to_widget (map, 1, 0, &x1, NULL);
      rv_surface_map_zoom_at (map, x, y, factors[k]);
      /* the w under the pointer stays under it */
      g_assert_true (rv_surface_map_widget_to_w (map, x, y, &a1, &a2));
      g_assert_cmpfloat (fabs (a1 - w1), <, 1e-9 * MAX (1, fabs (w1)));
      g_assert_cmpfloat (fabs (a2 - w2), <, 1e-9 * MAX (1, fabs (w2)));
      /* and everything else moves by the factor */
      rv_surface_map_w_to_widget (map, 0, 0, &after_x0, NULL);
      rv_surface_map_w_to_widget (map, 1, 0, &after_x1, NULL);
      g_assert_cmpfloat_with_epsilon ((after_x1 - after_x0) / (x1 - x0), factors[k], 1e-9);
      assert_equal_scale (map);
      g_assert_true (rv_surface_map_get_plot_area (map, &area));
    }

  /* panning moves every point by the pixels dragged */
  double x, y, px, py;
  rv_surface_map_w_to_widget (map, 0.5, -3, &x, &y);
  rv_surface_map_pan (map, 37, -21);
  rv_surface_map_w_to_widget (map, 0.5, -3, &px, &py);
  g_assert_cmpfloat_with_epsilon (px - x, 37, 1e-6);
  g_assert_cmpfloat_with_epsilon (py - y, -21, 1e-6);

  /* a zoomed view stays put as the runs change; fitting returns */
  double v[4], fit[4];
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  rv_surface_model_set_revealed (model, 10);
  rv_surface_map_get_view (map, &fit[0], &fit[1], &fit[2], &fit[3]);
  g_assert_cmpmem (v, sizeof v, fit, sizeof fit);
  rv_surface_map_fit (map);
  render (map, "map-zoom-fitted.png", 700, 500);
  g_assert_cmpuint (points_outside (map, model), ==, 0);

  /* the heat map is the surface over what is shown, far off its range
   * too: zoomed into the ravine's floor at w2 = -12, the colours span the
   * little loss there */
  rv_surface_map_set_show_contours (map, FALSE);
  rv_surface_map_w_to_widget (map, 0, -12, &x, &y);
  rv_surface_map_zoom_at (map, x, y, 6);
  cairo_surface_t *image = widget_test_render ("map-zoom-floor.png", draw_map, map, 700, 500);
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  g_assert_cmpfloat (v[3], <, -5);
  RvSurface view = *rv_surface_lookup ("pathological");
  double range[2][2] = { { v[0], v[1] }, { v[2], v[3] } };
  memcpy (view.range, range, sizeof range);
  g_autofree double *g1 = g_new (double, 100);
  g_autofree double *g2 = g_new (double, 100);
  g_autofree double *loss = g_new (double, 100 * 100);
  rv_surface_sample_grid (&view, 100, g1, g2, loss);
  double lo = INFINITY, hi = -INFINITY;
  for (guint k = 0; k < 100 * 100; k++)
    {
      lo = MIN (lo, loss[k]);
      hi = MAX (hi, loss[k]);
    }
  const double probes[][2] = { { 0.02, -11 }, { 0.4, -10.5 }, { -0.7, -12 } };
  for (guint k = 0; k < G_N_ELEMENTS (probes); k++)
    {
      double want[3];
      rv_surface_map_w_to_widget (map, probes[k][0], probes[k][1], &x, &y);
      WidgetTestPixel p = widget_test_pixel_at (image, x, y);
      rv_viridis (rv_surface_normalize_loss (rv_surface_eval (&view, probes[k][0], probes[k][1], NULL, NULL),
                                             lo, hi, FALSE), want);
      g_test_message ("(%g, %g): #%02x%02x%02x, want %.2f %.2f %.2f", probes[k][0], probes[k][1],
                      p.r, p.g, p.b, want[0], want[1], want[2]);
      g_assert_cmpfloat (fabs (p.r / 255.0 - want[0]), <, 0.04);
      g_assert_cmpfloat (fabs (p.g / 255.0 - want[1]), <, 0.04);
      g_assert_cmpfloat (fabs (p.b / 255.0 - want[2]), <, 0.04);
    }
  cairo_surface_destroy (image);

  /* what one zoom step costs: sampling, colouring and painting anew */
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, 500);
  cairo_t *cr = cairo_create (target);
  gint64 start = g_get_monotonic_time ();
  for (int k = 0; k < 20; k++)
    {
      rv_surface_map_zoom_at (map, x, y, k % 2 ? 1.25 : 0.8);
      rv_surface_map_draw (map, cr, 700, 500);
    }
  double ms = (g_get_monotonic_time () - start) / 1000.0 / 20;
  cairo_destroy (cr);
  cairo_surface_destroy (target);
  g_test_message ("a zoom step with a new 100 x 100 grid, drawn at 700 x 500: %.2f ms", ms);
  g_print ("# heat map zoom step: %.2f ms (new 100 x 100 grid, 700 x 500)\n", ms);
  /* of which the sampling alone, the costliest surface of all */
  RvSurface rastrigin = *rv_surface_lookup ("rastrigin");
  start = g_get_monotonic_time ();
  for (int k = 0; k < 20; k++)
    {
      rastrigin.range[0][1] += 0.01;
      rv_surface_sample_grid (&rastrigin, 100, g1, g2, loss);
    }
  ms = (g_get_monotonic_time () - start) / 1000.0 / 20;
  g_print ("# sampling a 100 x 100 grid (rastrigin): %.3f ms\n", ms);

  g_object_unref (widget);
}

static void
test_legend (void)
{
  g_autoptr (RvSurfaceModel) model = ravine_model (TRUE);
  GtkWidget *widget = rv_surface_map_new (model);
  RvSurfaceMap *map = RV_SURFACE_MAP (widget);
  g_object_ref_sink (widget);
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 5);

  const int sizes[][2] = { { 700, 500 }, { 480, 360 } };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (int revealed = 0; revealed < 2; revealed++)
      {
        int width = sizes[k][0], height = sizes[k][1];
        rv_surface_model_set_revealed (model, revealed ? G_MAXUINT : 40);
        g_autofree char *name = g_strdup_printf ("map-legend-%dx%d-%s.png", width, height,
                                                 revealed ? "all" : "40");
        render (map, name, width, height);
        graphene_rect_t legend;
        g_assert_true (rv_chart_get_legend_rect (RV_CHART (map), &legend));
        g_autoptr (RvChartGeometry) geometry = rv_chart_collect_geometry (RV_CHART (map), width, height);
        /* the colour bar is there, and so are the runs */
        g_assert_cmpuint (geometry->rects->len, ==, 1);
        g_assert_cmpuint (geometry->segments->len, >, 100);
        g_test_message ("%d x %d: legend at %g, %g, %g x %g", width, height, legend.origin.x,
                        legend.origin.y, legend.size.width, legend.size.height);
        g_assert_cmpuint (rv_chart_geometry_count_in (geometry, &legend), ==, 0);
        /* whole, inside the chart */
        g_assert_cmpfloat (legend.origin.x, >=, 0);
        g_assert_cmpfloat (legend.origin.y, >=, 0);
        g_assert_cmpfloat (legend.origin.x + legend.size.width, <=, width);
        g_assert_cmpfloat (legend.origin.y + legend.size.height, <=, height);
        g_assert_cmpuint (points_outside (map, model), ==, 0);
      }

  g_object_unref (widget);
}

int
main (int argc, char **argv)
{
  widget_test_init (&argc, &argv, "ravine-map-fit-XXXXXX");

  g_test_add_func ("/surface-map/fit", test_fit);
  g_test_add_func ("/surface-map/zoom-pan", test_zoom_pan);
  g_test_add_func ("/surface-map/legend", test_legend);
  int status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
