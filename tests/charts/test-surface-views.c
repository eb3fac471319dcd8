/* test-surface-views.c: the viridis map, marching squares, the surface
 * model, and the two surface views drawn into images whose pixels are
 * checked where the answer is known.  The images are written as PNGs to a
 * temporary folder, and to $RAVINE_TEST_SHOTS when it is set. */
#include "rv-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rv-colormap.h"
#include "rv-contour.h"
#include "rv-error.h"
#include "rv-chart.h"
#include "rv-surface-3d.h"
#include "rv-surface-map.h"
#include "rv-stability-view.h"
#include "rv-surface-model.h"

#define SHOT_W 800
#define SHOT_H 600

static char *shot_dir;

/* Images */

static void
save_shot (cairo_surface_t *surface, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (shot_dir, file, NULL);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  const char *extra = g_getenv ("RAVINE_TEST_SHOTS");
  if (extra != NULL && *extra != '\0')
    {
      g_autofree char *copy = g_build_filename (extra, file, NULL);
      g_mkdir_with_parents (extra, 0755);
      g_assert_cmpint (cairo_surface_write_to_png (surface, copy), ==, CAIRO_STATUS_SUCCESS);
    }
  g_test_message ("wrote %s", path);
}

/* The colour of the pixel holding (x, y), un-premultiplied, in [0, 1]. */
static void
pixel_at (cairo_surface_t *surface, double x, double y, double rgb[3])
{
  int ix = (int) floor (x), iy = (int) floor (y);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (surface));
  cairo_surface_flush (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 p = ((const guint32 *) (gconstpointer) (data + (gsize) iy * cairo_image_surface_get_stride (surface)))[ix];
  double a = (p >> 24) / 255.0;
  for (int c = 0; c < 3; c++)
    rgb[c] = a > 0 ? ((p >> (16 - 8 * c)) & 0xff) / 255.0 / a : 0.0;
}

static double
color_distance (const double a[3], const double b[3])
{
  return MAX (fabs (a[0] - b[0]), MAX (fabs (a[1] - b[1]), fabs (a[2] - b[2])));
}

static double
luminance (const double rgb[3])
{
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

/* The share of pixels that differ between two images of one size. */
static double
fraction_differing (cairo_surface_t *a, cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int sa = cairo_image_surface_get_stride (a), sb = cairo_image_surface_get_stride (b);
  const guint8 *da = cairo_image_surface_get_data (a), *db = cairo_image_surface_get_data (b);
  gsize differing = 0;
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (gconstpointer) (da + (gsize) y * sa);
      const guint32 *rb = (const guint32 *) (gconstpointer) (db + (gsize) y * sb);
      for (int x = 0; x < w; x++)
        differing += ra[x] != rb[x];
    }
  return (double) differing / ((double) w * h);
}

/* Either view drawn as exported, into an image of its own. */
static cairo_surface_t *
render_chart (gpointer chart, int width, int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  rv_chart_draw (RV_CHART (chart), cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The views are put in a window, so that they take the window's style. */
static GtkWidget *
in_window (GtkWidget *widget)
{
  GtkWidget *window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), widget);
  return window;
}

static void
run_tutorial (RvSurfaceModel *model, const char *name, RvOptimKind kind, double lr,
              double momentum, double w1, double w2, guint steps)
{
  const RvSurface *surface = rv_surface_model_get_surface (model);
  RvOptimConfig config;
  rv_optim_config_init (&config, kind);
  config.lr = lr;
  if (momentum > 0)
    config.momentum = momentum;
  g_autofree RvTrajectoryPoint *points = g_new0 (RvTrajectoryPoint, steps);
  guint n = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = rv_trajectory_run (surface, &config, w1, w2, steps, points, &n, &error);
  guint run = rv_surface_model_add_run (model, name, NULL);
  rv_surface_model_set_run_points (model, run, points, n);
  if (!ok)
    {
      g_assert_error (error, RV_ERROR, RV_ERROR_DIVERGED);
      rv_surface_model_set_run_diverged (model, run, error->message);
    }
}

/* Viridis */

static void
check_hex (double t, const char *hex)
{
  GdkRGBA want;
  double rgb[3];
  g_assert_true (gdk_rgba_parse (&want, hex));
  rv_viridis (t, rgb);
  const double expect[3] = { want.red, want.green, want.blue };
  g_test_message ("viridis(%g) = #%02x%02x%02x, published %s", t, (int) lround (rgb[0] * 255),
                  (int) lround (rgb[1] * 255), (int) lround (rgb[2] * 255), hex);
  g_assert_cmpfloat (color_distance (rgb, expect), <=, 1.5 / 255);
}

static void
test_viridis (void)
{
  check_hex (0.0, "#440154");
  check_hex (0.5, "#21918c");
  check_hex (1.0, "#fde725");
  /* the 11-step viridis everyone quotes */
  check_hex (0.1, "#482475");
  check_hex (0.3, "#355f8d");
  check_hex (0.4, "#2a788e");
  check_hex (0.7, "#44bf70");
  check_hex (0.9, "#bddf26");

  /* clamped, and NaN at the bottom */
  double a[3], b[3];
  rv_viridis (-3, a);
  rv_viridis (0, b);
  g_assert_cmpfloat (color_distance (a, b), ==, 0);
  rv_viridis (NAN, a);
  g_assert_cmpfloat (color_distance (a, b), ==, 0);
  rv_viridis (7, a);
  rv_viridis (1, b);
  g_assert_cmpfloat (color_distance (a, b), ==, 0);

  /* its defining property: lightness grows steadily along the map */
  double last = -1;
  for (int k = 0; k <= 200; k++)
    {
      rv_viridis (k / 200.0, a);
      double l = luminance (a);
      g_assert_cmpfloat (l, >, last);
      last = l;
    }
}

/* Marching squares */

typedef struct
{
  double h;        /* grid step */
  double level;
  guint n_segments;
  double length;
  double worst;    /* the largest |f - level| at an end */
  guint angles;    /* a bit per 1/32 turn touched */
} Circle;

static double
paraboloid (double x, double y)
{
  return x * x + y * y;
}

static void
check_circle_segment (double x0, double y0, double x1, double y1, gpointer user_data)
{
  Circle *c = user_data;
  double ends[2][2] = { { -1 + x0 * c->h, -1 + y0 * c->h }, { -1 + x1 * c->h, -1 + y1 * c->h } };
  for (int e = 0; e < 2; e++)
    {
      double f = paraboloid (ends[e][0], ends[e][1]);
      c->worst = MAX (c->worst, fabs (f - c->level));
      double angle = atan2 (ends[e][1], ends[e][0]) + G_PI;
      c->angles |= 1u << MIN ((int) (angle / (2 * G_PI) * 32), 31);
    }
  c->length += hypot (ends[1][0] - ends[0][0], ends[1][1] - ends[0][1]);
  c->n_segments++;
}

static void
count_segment (double x0, double y0, double x1, double y1, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_contour_paraboloid (void)
{
  const guint n = 81;
  double h = 2.0 / (n - 1);
  g_autofree double *f = g_new (double, n * n);
  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      f[j * n + i] = paraboloid (-1 + i * h, -1 + j * h);

  const double levels[] = { 0.05, 0.25, 0.6 };
  for (guint k = 0; k < G_N_ELEMENTS (levels); k++)
    {
      Circle c = { h, levels[k], 0, 0, 0, 0 };
      rv_contour_march (f, n, n, levels[k], check_circle_segment, &c);
      double r = sqrt (levels[k]);
      g_test_message ("level %g: %u segments, length %.5f (circle %.5f), worst |f - level| %.2e",
                      levels[k], c.n_segments, c.length, 2 * G_PI * r, c.worst);
      /* the ends lie on the level set, up to the linear interpolation */
      g_assert_cmpfloat (c.worst, <, h * h);
      /* and the pieces close a circle all the way round */
      g_assert_cmpuint (c.angles, ==, 0xffffffffu);
      g_assert_cmpfloat (fabs (c.length - 2 * G_PI * r) / (2 * G_PI * r), <, 0.01);
    }

  /* nothing outside the field's range */
  guint none = 0;
  rv_contour_march (f, n, n, 5.0, count_segment, &none);
  rv_contour_march (f, n, n, -1.0, count_segment, &none);
  g_assert_cmpuint (none, ==, 0);

  /* a saddle cell splits in two; a NaN cell is skipped */
  const double saddle[4] = { 1, 0, 0, 1 };
  guint two = 0;
  rv_contour_march (saddle, 2, 2, 0.5, count_segment, &two);
  g_assert_cmpuint (two, ==, 2);
  const double hole[4] = { 1, NAN, 0, 1 };
  guint zero = 0;
  rv_contour_march (hole, 2, 2, 0.5, count_segment, &zero);
  g_assert_cmpuint (zero, ==, 0);
}

/* The model */

static void
count_signal (gpointer instance, guint *count)
{
  (*count)++;
}

static void
test_model (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  guint changed = 0, runs_changed = 0;
  g_signal_connect (model, "changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect (model, "runs-changed", G_CALLBACK (count_signal), &runs_changed);

  g_assert_cmpuint (rv_surface_model_get_grid_n (model), ==, 0);
  g_assert_null (rv_surface_model_get_grid (model));

  const RvSurface *saddle = rv_surface_lookup ("saddle");
  rv_surface_model_set_surface (model, saddle, 0);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (rv_surface_model_get_surface (model) == saddle);
  guint n = rv_surface_model_get_grid_n (model);
  g_assert_cmpuint (n, ==, RV_SURFACE_MODEL_DEFAULT_GRID);

  /* the grid is the core's sampling, and its range spans it */
  g_autofree double *w1 = g_new (double, n);
  g_autofree double *w2 = g_new (double, n);
  g_autofree double *loss = g_new (double, n * n);
  rv_surface_sample_grid (saddle, n, w1, w2, loss);
  g_assert_cmpmem (rv_surface_model_get_grid (model), n * n * sizeof (double), loss, n * n * sizeof (double));
  double lo, hi;
  double grid_lo = INFINITY, grid_hi = -INFINITY;
  for (guint k = 0; k < n * n; k++)
    {
      grid_lo = MIN (grid_lo, loss[k]);
      grid_hi = MAX (grid_hi, loss[k]);
    }
  rv_surface_model_get_loss_range (model, &lo, &hi);
  g_assert_cmpfloat (lo, ==, grid_lo);
  g_assert_cmpfloat (hi, ==, grid_hi);
  g_assert_cmpfloat_with_epsilon (lo, -4.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (hi, 4.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (rv_surface_model_normalize (model, 0.0, FALSE), 0.5, 1e-12);
  for (int log_scale = 0; log_scale < 2; log_scale++)
    for (double t = 0; t <= 1.0; t += 0.125)
      g_assert_cmpfloat_with_epsilon (rv_surface_model_normalize (model, rv_surface_model_denormalize (model, t, log_scale), log_scale),
                                      t, 1e-12);

  /* a view range resamples over it */
  guint serial = rv_surface_model_get_serial (model);
  rv_surface_model_set_range (model, 0, 1, 0, 1);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (rv_surface_model_get_serial (model), !=, serial);
  g_assert_cmpfloat (rv_surface_model_get_grid_w1 (model)[n - 1], ==, 1.0);
  rv_surface_model_get_loss_range (model, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (lo, -1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 1.0, 1e-12);

  /* runs */
  const RvTrajectoryPoint pts[4] = { { 0, 0, 0 }, { 1, 1, 0 }, { 2, -3, 13 }, { 3, 0, 9 } };
  guint a = rv_surface_model_add_run (model, "A", NULL);
  guint b = rv_surface_model_add_run (model, "B", NULL);
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 1);
  GdkRGBA ca, cb;
  rv_surface_model_get_run_color (model, a, &ca);
  rv_surface_model_get_run_color (model, b, &cb);
  g_assert_false (gdk_rgba_equal (&ca, &cb));
  rv_surface_model_set_run_points (model, b, pts, 4);
  g_assert_cmpuint (runs_changed, ==, 3);
  guint n_points;
  g_assert_nonnull (rv_surface_model_get_run_points (model, b, &n_points));
  g_assert_cmpuint (n_points, ==, 4);
  g_assert_null (rv_surface_model_get_run_points (model, a, &n_points));
  g_assert_cmpuint (n_points, ==, 0);
  g_assert_cmpuint (rv_surface_model_get_run_n_revealed (model, b), ==, 4);
  rv_surface_model_set_revealed (model, 2);
  g_assert_cmpuint (runs_changed, ==, 4);
  rv_surface_model_set_revealed (model, 2);
  g_assert_cmpuint (runs_changed, ==, 4);
  g_assert_cmpuint (rv_surface_model_get_run_n_revealed (model, b), ==, 2);
  g_assert_cmpuint (rv_surface_model_get_run_n_revealed (model, a), ==, 0);

  rv_surface_model_set_run_diverged (model, b, "diverged at step 4: loss is inf");
  const char *message = NULL;
  g_assert_true (rv_surface_model_get_run_diverged (model, b, &message));
  g_assert_cmpstr (message, ==, "diverged at step 4: loss is inf");
  /* the mark waits until the animation reaches it */
  g_assert_false (rv_surface_model_get_run_diverged_shown (model, b));
  rv_surface_model_set_revealed (model, G_MAXUINT);
  g_assert_true (rv_surface_model_get_run_diverged_shown (model, b));
  g_assert_false (rv_surface_model_get_run_diverged (model, a, NULL));

  /* fitting takes in every point, and never shrinks the surface's range */
  rv_surface_model_fit_range_to_runs (model, 0.05);
  double r[4];
  rv_surface_model_get_range (model, &r[0], &r[1], &r[2], &r[3]);
  g_assert_cmpfloat (r[0], ==, saddle->range[0][0]);
  g_assert_cmpfloat (r[1], >, 3.0);
  g_assert_cmpfloat (r[2], <, -3.0);
  g_assert_cmpfloat (r[3], ==, saddle->range[1][1]);
  rv_surface_model_reset_range (model);
  rv_surface_model_get_range (model, &r[0], &r[1], &r[2], &r[3]);
  g_assert_cmpmem (r, sizeof r, saddle->range, sizeof r);

  /* a run on its way to overflow does not shrink the surface to a dot */
  const RvTrajectoryPoint far[2] = { { 1, 1, 0 }, { 1e30, -1e30, 0 } };
  rv_surface_model_set_run_points (model, a, far, 2);
  rv_surface_model_fit_range_to_runs (model, 0.05);
  rv_surface_model_get_range (model, &r[0], &r[1], &r[2], &r[3]);
  g_assert_cmpfloat (r[1] - r[0], <, 20);
  g_assert_cmpfloat (r[3] - r[2], <, 20);

  rv_surface_model_clear_runs (model);
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 0);
}

/* The heat map */

static void
test_map_coordinates (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("rosenbrock"), 0);
  GtkWidget *map = rv_surface_map_new (model);
  GtkWidget *window = in_window (map);
  cairo_surface_t *image = render_chart (RV_SURFACE_MAP (map), 640, 480);

  graphene_rect_t area;
  g_assert_true (rv_surface_map_get_plot_area (RV_SURFACE_MAP (map), &area));
  g_assert_cmpfloat (area.size.width, >, 640 * 0.6);
  g_assert_cmpfloat (area.size.height, >, 480 * 0.6);

  /* the plot's corners are the range's */
  double w1, w2, x, y;
  const RvSurface *s = rv_surface_lookup ("rosenbrock");
  g_assert_true (rv_surface_map_widget_to_w (RV_SURFACE_MAP (map), area.origin.x,
                                             area.origin.y + area.size.height, &w1, &w2));
  g_assert_cmpfloat_with_epsilon (w1, s->range[0][0], 1e-9);
  g_assert_cmpfloat_with_epsilon (w2, s->range[1][0], 1e-9);
  g_assert_true (rv_surface_map_widget_to_w (RV_SURFACE_MAP (map), area.origin.x + area.size.width,
                                             area.origin.y, &w1, &w2));
  g_assert_cmpfloat_with_epsilon (w1, s->range[0][1], 1e-9);
  g_assert_cmpfloat_with_epsilon (w2, s->range[1][1], 1e-9);

  /* and the two maps are inverse */
  for (int k = 0; k < 50; k++)
    {
      double a = -2 + 4 * k / 49.0, b = 3 - 4 * ((k * 7) % 50) / 49.0;
      g_assert_true (rv_surface_map_w_to_widget (RV_SURFACE_MAP (map), a, b, &x, &y));
      g_assert_true (rv_surface_map_widget_to_w (RV_SURFACE_MAP (map), x, y, &w1, &w2));
      g_assert_cmpfloat_with_epsilon (w1, a, 1e-9);
      g_assert_cmpfloat_with_epsilon (w2, b, 1e-9);
    }
  /* w2 grows upwards */
  double y_low, y_high;
  rv_surface_map_w_to_widget (RV_SURFACE_MAP (map), 0, -1, NULL, &y_low);
  rv_surface_map_w_to_widget (RV_SURFACE_MAP (map), 0, 3, NULL, &y_high);
  g_assert_cmpfloat (y_high, <, y_low);

  cairo_surface_destroy (image);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_map_heat (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("saddle"), 0);
  GtkWidget *map = rv_surface_map_new (model);
  GtkWidget *window = in_window (map);
  RvSurfaceMap *m = RV_SURFACE_MAP (map);
  rv_surface_map_set_show_contours (m, FALSE);
  cairo_surface_t *image = render_chart (m, 640, 480);

  /* saddle w1^2 - w2^2 on [-2, 2]^2: lowest at (0, +-2), highest at (+-2, 0) */
  const double low[][2] = { { 0, 1.9 }, { 0, -1.9 } }, high[][2] = { { 1.9, 0 }, { -1.9, 0 } };
  for (int k = 0; k < 2; k++)
    {
      double x, y, rgb[3], want[3];
      rv_surface_map_w_to_widget (m, low[k][0], low[k][1], &x, &y);
      pixel_at (image, x, y, rgb);
      g_assert_cmpfloat (luminance (rgb), <, 0.18);
      g_assert_cmpfloat (rgb[2], >, rgb[1]);  /* purple, not grey */
      rv_viridis (rv_surface_model_normalize (model, -1.9 * 1.9, FALSE), want);
      g_assert_cmpfloat (color_distance (rgb, want), <, 0.03);

      rv_surface_map_w_to_widget (m, high[k][0], high[k][1], &x, &y);
      pixel_at (image, x, y, rgb);
      g_assert_cmpfloat (rgb[0], >, 0.75);
      g_assert_cmpfloat (rgb[1], >, 0.8);
      g_assert_cmpfloat (rgb[2], <, 0.3);
      rv_viridis (rv_surface_model_normalize (model, 1.9 * 1.9, FALSE), want);
      g_assert_cmpfloat (color_distance (rgb, want), <, 0.03);
    }
  save_shot (image, "map-saddle-no-contours");
  cairo_surface_destroy (image);

  /* the contours change the picture, and stay thin */
  rv_surface_map_set_show_contours (m, TRUE);
  cairo_surface_t *contoured = render_chart (m, 640, 480);
  rv_surface_map_set_show_contours (m, FALSE);
  cairo_surface_t *plain = render_chart (m, 640, 480);
  double diff = fraction_differing (contoured, plain);
  g_test_message ("contours change %.1f%% of the pixels", 100 * diff);
  g_assert_cmpfloat (diff, >, 0.01);
  g_assert_cmpfloat (diff, <, 0.25);
  cairo_surface_destroy (contoured);
  cairo_surface_destroy (plain);

  /* Rosenbrock: dark at its minimum (1, 1); on the log scale its valley,
   * linearly all one dark colour, spreads into the middle of the map */
  rv_surface_model_set_surface (model, rv_surface_lookup ("rosenbrock"), 0);
  double x, y, lin[3], lg[3];
  cairo_surface_t *linear = render_chart (m, 640, 480);
  rv_surface_map_set_log_color (m, TRUE);
  cairo_surface_t *logc = render_chart (m, 640, 480);
  rv_surface_map_w_to_widget (m, 1, 1, &x, &y);
  pixel_at (linear, x, y, lin);
  pixel_at (logc, x, y, lg);
  g_assert_cmpfloat (luminance (lin), <, 0.18);
  g_assert_cmpfloat (luminance (lg), <, 0.18);
  rv_surface_map_w_to_widget (m, 0, 1, &x, &y);  /* loss 101 of ~2500 */
  pixel_at (linear, x, y, lin);
  pixel_at (logc, x, y, lg);
  g_assert_cmpfloat (luminance (lin), <, 0.18);
  g_assert_cmpfloat (luminance (lg), >, 0.3);
  save_shot (logc, "map-rosenbrock-log");
  cairo_surface_destroy (linear);
  cairo_surface_destroy (logc);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Six points of a zigzag that never crosses itself, well apart. */
static const RvTrajectoryPoint zigzag[6] = {
  { -1.5, 1.5, 0 }, { -0.9, 0.6, 0 }, { -0.3, 1.5, 0 },
  { 0.3, 0.6, 0 }, { 0.9, 1.5, 0 }, { 1.5, 0.6, 0 },
};

static void
test_map_runs (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("saddle"), 0);
  GtkWidget *map = rv_surface_map_new (model);
  GtkWidget *window = in_window (map);
  RvSurfaceMap *m = RV_SURFACE_MAP (map);
  GdkRGBA color = { 1.0, 0.25, 0.5, 1.0 };
  guint run = rv_surface_model_add_run (model, "zigzag", &color);
  rv_surface_model_set_run_points (model, run, zigzag, 6);
  const double want[3] = { color.red, color.green, color.blue };

  /* revealed 3: the first three points carry the run's colour, the others
   * the map's */
  rv_surface_model_set_revealed (model, 3);
  cairo_surface_t *image = render_chart (m, 640, 480);
  for (int i = 0; i < 6; i++)
    {
      double x, y, rgb[3];
      g_assert_true (rv_surface_map_w_to_widget (m, zigzag[i].w1, zigzag[i].w2, &x, &y));
      pixel_at (image, x, y, rgb);
      if (i < 3)
        g_assert_cmpfloat (color_distance (rgb, want), <, 2.5 / 255);
      else
        g_assert_cmpfloat (color_distance (rgb, want), >, 0.2);
    }
  /* the current point wears a ring, 6.5 px out */
  double x, y, rgb[3];
  rv_surface_map_w_to_widget (m, zigzag[2].w1, zigzag[2].w2, &x, &y);
  pixel_at (image, x + 6.5, y, rgb);
  g_assert_cmpfloat (color_distance (rgb, want), <, 0.1);
  save_shot (image, "map-runs-revealed-3");
  cairo_surface_destroy (image);

  /* all revealed */
  rv_surface_model_set_revealed (model, G_MAXUINT);
  image = render_chart (m, 640, 480);
  for (int i = 0; i < 6; i++)
    {
      rv_surface_map_w_to_widget (m, zigzag[i].w1, zigzag[i].w2, &x, &y);
      pixel_at (image, x, y, rgb);
      g_assert_cmpfloat (color_distance (rgb, want), <, 2.5 / 255);
    }
  /* halfway along a segment lies the line */
  rv_surface_map_w_to_widget (m, (zigzag[3].w1 + zigzag[4].w1) / 2, (zigzag[3].w2 + zigzag[4].w2) / 2, &x, &y);
  pixel_at (image, x, y, rgb);
  g_assert_cmpfloat (color_distance (rgb, want), <, 0.15);
  cairo_surface_destroy (image);

  /* nothing revealed: no trace of the run at all */
  rv_surface_model_set_revealed (model, 0);
  image = render_chart (m, 640, 480);
  for (int i = 0; i < 6; i++)
    {
      rv_surface_map_w_to_widget (m, zigzag[i].w1, zigzag[i].w2, &x, &y);
      pixel_at (image, x, y, rgb);
      g_assert_cmpfloat (color_distance (rgb, want), >, 0.2);
    }
  cairo_surface_destroy (image);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_map_diverged (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("saddle"), 0);
  GtkWidget *map = rv_surface_map_new (model);
  GtkWidget *window = in_window (map);
  RvSurfaceMap *m = RV_SURFACE_MAP (map);
  GdkRGBA color = { 1.0, 0.25, 0.5, 1.0 };
  const double want[3] = { color.red, color.green, color.blue };
  guint run = rv_surface_model_add_run (model, "zigzag", &color);
  rv_surface_model_set_run_points (model, run, zigzag, 6);

  cairo_surface_t *ringed = render_chart (m, 640, 480);
  rv_surface_model_set_run_diverged (model, run, "diverged at step 6: loss is inf");
  cairo_surface_t *crossed = render_chart (m, 640, 480);

  /* a cross instead of the ring: its arms run along the diagonals (the
   * path comes in from the upper left, so look upper right) */
  double x, y, rgb[3];
  rv_surface_map_w_to_widget (m, zigzag[5].w1, zigzag[5].w2, &x, &y);
  pixel_at (crossed, x + 3.5, y - 3.5, rgb);
  g_assert_cmpfloat (color_distance (rgb, want), <, 0.1);
  pixel_at (ringed, x + 3.5, y - 3.5, rgb);
  g_assert_cmpfloat (color_distance (rgb, want), >, 0.2);
  /* and the legend says so: its box grew */
  g_assert_cmpfloat (fraction_differing (ringed, crossed), >, 0.0005);
  save_shot (crossed, "map-diverged-marked");
  cairo_surface_destroy (ringed);
  cairo_surface_destroy (crossed);

  /* real divergences: Rosenbrock under SGD with lr 1e6 flies off within a
   * few steps, and the saddle's plain runs off to float overflow */
  rv_surface_model_clear_runs (model);
  rv_surface_model_set_surface (model, rv_surface_lookup ("rosenbrock"), 0);
  run_tutorial (model, "SGD lr 1e6", RV_OPTIM_SGD, 1e6, 0, -1.5, 2, 100);
  run_tutorial (model, "Adam lr 0.1", RV_OPTIM_ADAM, 0.1, 0, -1.5, 2, 100);
  g_assert_true (rv_surface_model_get_run_diverged (model, 0, NULL));
  rv_surface_map_set_log_color (m, TRUE);
  cairo_surface_t *image = render_chart (m, 640, 480);
  save_shot (image, "map-rosenbrock-diverged");
  cairo_surface_destroy (image);

  /* hand-made garbage: NaN, infinities, 1e300 */
  const RvTrajectoryPoint bad[5] = { { 0, 0, 0 }, { NAN, 1, NAN }, { 1e300, -1e300, 1e300 },
                                     { INFINITY, 0, INFINITY }, { 0.5, 0.5, 0 } };
  guint b = rv_surface_model_add_run (model, "garbage", NULL);
  rv_surface_model_set_run_points (model, b, bad, 5);
  rv_surface_model_set_run_diverged (model, b, "diverged");
  image = render_chart (m, 640, 480);
  cairo_surface_destroy (image);
  rv_surface_model_set_revealed (model, 3);  /* current point far away */
  image = render_chart (m, 640, 480);
  cairo_surface_destroy (image);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The 3-D view */

/* Pixels that differ clearly from the background's colour. */
static double
fraction_drawn (cairo_surface_t *image, const double bg[3])
{
  int w = cairo_image_surface_get_width (image), h = cairo_image_surface_get_height (image);
  gsize drawn = 0;
  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 2)
      {
        double rgb[3];
        pixel_at (image, x, y, rgb);
        drawn += color_distance (rgb, bg) > 0.1;
      }
  return drawn / ((w / 2.0) * (h / 2.0));
}

static void
test_3d (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("pathological"), 100);
  GtkWidget *view = rv_surface_3d_new (model);
  GtkWidget *window = in_window (view);
  RvSurface3d *v = RV_SURFACE_3D (view);

  cairo_surface_t *front = render_chart (v, SHOT_W, SHOT_H);
  double bg[3];
  pixel_at (front, 2, 2, bg);
  double drawn = fraction_drawn (front, bg);
  g_test_message ("the mesh covers %.0f%% of the image", 100 * drawn);
  g_assert_cmpfloat (drawn, >, 0.25);

  /* the mesh is in viridis: its middle is neither grey nor background */
  double rgb[3];
  pixel_at (front, SHOT_W / 2, SHOT_H / 2, rgb);
  g_assert_cmpfloat (color_distance (rgb, bg), >, 0.1);
  g_assert_cmpfloat (MAX (rgb[0], MAX (rgb[1], rgb[2])) - MIN (rgb[0], MIN (rgb[1], rgb[2])), >, 0.1);

  rv_surface_3d_set_azimuth (v, rv_surface_3d_get_azimuth (v) + 60);
  cairo_surface_t *turned = render_chart (v, SHOT_W, SHOT_H);
  double diff = fraction_differing (front, turned);
  g_test_message ("turning by 60 degrees changes %.0f%% of the pixels", 100 * diff);
  g_assert_cmpfloat (diff, >, 0.1);

  /* the angles are kept in range */
  rv_surface_3d_set_elevation (v, 120);
  g_assert_cmpfloat (rv_surface_3d_get_elevation (v), ==, 90);
  rv_surface_3d_set_azimuth (v, 540 + 10);
  g_assert_cmpfloat_with_epsilon (rv_surface_3d_get_azimuth (v), -170, 1e-9);
  rv_surface_3d_set_zoom (v, 100);
  g_assert_cmpfloat (rv_surface_3d_get_zoom (v), ==, 4);

  /* a top view at zoom 1 looks like the heat map: low in the valley
   * (dark), high in the corner (bright) */
  rv_surface_3d_set_zoom (v, 1);
  rv_surface_3d_set_azimuth (v, 0);
  rv_surface_3d_set_elevation (v, 90);
  cairo_surface_t *top = render_chart (v, SHOT_W, SHOT_H);
  pixel_at (top, SHOT_W / 2, SHOT_H / 2 + SHOT_H * 0.25, rgb);   /* w1 = 0, w2 < 0 */
  g_assert_cmpfloat (luminance (rgb), <, 0.2);
  save_shot (top, "3d-pathological-top");

  cairo_surface_destroy (front);
  cairo_surface_destroy (turned);
  cairo_surface_destroy (top);

  /* the frame time while dragging a 100 x 100 mesh */
  rv_surface_3d_set_elevation (v, 30);
  double ms = rv_surface_3d_benchmark (v, SHOT_W, SHOT_H, 60);
  g_test_message ("3-D view, 100 x 100 mesh at %d x %d: %.2f ms a frame (%.0f fps)",
                  SHOT_W, SHOT_H, ms, 1000.0 / ms);
  g_print ("# 3-D view frame time: %.2f ms (%d x %d, 100 x 100 mesh)\n", ms, SHOT_W, SHOT_H);
  g_assert_cmpfloat (ms, >, 0);

  /* at rest: the smooth mesh once per view, then frames that only redraw
   * the runs over it */
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, SHOT_W, SHOT_H);
  cairo_t *cr = cairo_create (image);
  gint64 start = g_get_monotonic_time ();
  for (int f = 0; f < 10; f++)
    {
      rv_surface_3d_set_azimuth (v, 10.0 * f);
      rv_surface_3d_draw (v, cr, SHOT_W, SHOT_H);
    }
  double smooth_ms = (g_get_monotonic_time () - start) / 1000.0 / 10;
  start = g_get_monotonic_time ();
  for (int f = 0; f < 10; f++)
    {
      rv_surface_model_set_revealed (model, f);
      rv_surface_3d_draw (v, cr, SHOT_W, SHOT_H);
    }
  double rest_ms = (g_get_monotonic_time () - start) / 1000.0 / 10;
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  g_test_message ("3-D view at rest: %.2f ms for a new angle (smooth mesh), %.2f ms an animation frame",
                  smooth_ms, rest_ms);
  g_print ("# 3-D view at rest: %.2f ms a new angle, %.2f ms an animation frame\n", smooth_ms, rest_ms);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
assert_default_camera (RvSurface3d *v)
{
  g_assert_cmpfloat (rv_surface_3d_get_azimuth (v), ==, -35);
  g_assert_cmpfloat (rv_surface_3d_get_elevation (v), ==, 30);
  g_assert_cmpfloat (rv_surface_3d_get_zoom (v), ==, 1);
}

static void
turn (RvSurface3d *v)
{
  rv_surface_3d_set_azimuth (v, 120);
  rv_surface_3d_set_elevation (v, 75);
  rv_surface_3d_set_zoom (v, 2);
}

static void
test_3d_camera (void)
{
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("pathological"), 40);
  GtkWidget *view = rv_surface_3d_new (model);
  GtkWidget *window = in_window (view);
  RvSurface3d *v = RV_SURFACE_3D (view);
  assert_default_camera (v);

  /* reset: the defaults, each change notified */
  turn (v);
  guint az = 0, el = 0, zoom = 0;
  g_signal_connect (v, "notify::azimuth", G_CALLBACK (count_notify), &az);
  g_signal_connect (v, "notify::elevation", G_CALLBACK (count_notify), &el);
  g_signal_connect (v, "notify::zoom", G_CALLBACK (count_notify), &zoom);
  rv_surface_3d_reset_camera (v);
  assert_default_camera (v);
  g_assert_cmpuint (az, ==, 1);
  g_assert_cmpuint (el, ==, 1);
  g_assert_cmpuint (zoom, ==, 1);

  /* runs growing, a new range or colour scale keep the camera */
  turn (v);
  guint run = rv_surface_model_add_run (model, "SGD", NULL);
  for (int i = 0; i < 5; i++)
    {
      RvTrajectoryPoint p = { .w1 = i, .w2 = i, .loss = 1.0 };
      rv_surface_model_append_run_point (model, run, &p);
      rv_surface_model_set_revealed (model, i);
    }
  rv_surface_model_set_range (model, -2, 2, -3, 3);
  rv_surface_3d_set_log_color (v, TRUE);
  g_assert_cmpfloat (rv_surface_3d_get_azimuth (v), ==, 120);
  g_assert_cmpfloat (rv_surface_3d_get_elevation (v), ==, 75);
  g_assert_cmpfloat (rv_surface_3d_get_zoom (v), ==, 2);

  /* another surface starts from the default camera */
  rv_surface_model_set_surface (model, rv_surface_lookup ("steep"), 40);
  assert_default_camera (v);

  /* a new model keeps it */
  turn (v);
  g_autoptr (RvSurfaceModel) other = rv_surface_model_new ();
  rv_surface_model_set_surface (other, rv_surface_lookup ("rosenbrock"), 40);
  rv_surface_3d_set_model (v, other);
  g_assert_cmpfloat (rv_surface_3d_get_azimuth (v), ==, 120);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every piece of text the view draws lies inside it, whatever the angle,
 * the zoom and the size. */
static void
test_3d_labels_inside (void)
{
  static const int sizes[][2] = { { 200, 200 }, { 300, 220 }, { 640, 480 }, { 1200, 800 } };
  static const double azimuths[] = { -35, 0, 30, 60, 90, 150, -150, -100 };
  static const double elevations[] = { 0, 15, 30, 60, 90 };
  static const double zooms[] = { 0.4, 1, 2.5 };
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("rosenbrock"), 30);
  GtkWidget *view = rv_surface_3d_new (model);
  GtkWidget *window = in_window (view);
  RvSurface3d *v = RV_SURFACE_3D (view);

  for (int log = 0; log < 2; log++)
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        int w = sizes[s][0], h = sizes[s][1];
        cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create (image);
        rv_surface_3d_set_log_color (v, log);
        for (gsize a = 0; a < G_N_ELEMENTS (azimuths); a++)
          for (gsize e = 0; e < G_N_ELEMENTS (elevations); e++)
            for (gsize z = 0; z < G_N_ELEMENTS (zooms); z++)
              {
                rv_surface_3d_set_azimuth (v, azimuths[a]);
                rv_surface_3d_set_elevation (v, elevations[e]);
                rv_surface_3d_set_zoom (v, zooms[z]);
                rv_surface_3d_draw (v, cr, w, h);
                GArray *rects = rv_surface_3d_get_label_rects (v);
                /* fitted: ticks on both floor axes and the loss axis, the names, the title */
                if (zooms[z] <= 1)
                  g_assert_cmpuint (rects->len, >=, 8);
                for (guint i = 0; i < rects->len; i++)
                  {
                    const graphene_rect_t *r = &g_array_index (rects, graphene_rect_t, i);
                    if (r->origin.x < 0 || r->origin.y < 0 || r->origin.x + r->size.width > w
                        || r->origin.y + r->size.height > h)
                      g_error ("%d x %d, azimuth %g, elevation %g, zoom %g: a label at %g, %g (%g x %g)",
                               w, h, azimuths[a], elevations[e], zooms[z], r->origin.x, r->origin.y,
                               r->size.width, r->size.height);
                  }
              }
        cairo_destroy (cr);
        cairo_surface_destroy (image);
      }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The tutorial's figures, in both styles, to look at */

static void
shoot_pair (RvSurfaceModel *model, const char *name, gboolean log_color, const char *style)
{
  GtkWidget *map = rv_surface_map_new (model);
  GtkWidget *view = rv_surface_3d_new (model);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (box), map);
  gtk_box_append (GTK_BOX (box), view);
  GtkWidget *window = in_window (box);
  rv_surface_map_set_log_color (RV_SURFACE_MAP (map), log_color);
  rv_surface_3d_set_log_color (RV_SURFACE_3D (view), log_color);

  g_autofree char *map_name = g_strdup_printf ("map-%s-%s", name, style);
  g_autofree char *view_name = g_strdup_printf ("3d-%s-%s", name, style);
  cairo_surface_t *image = render_chart (RV_SURFACE_MAP (map), SHOT_W, SHOT_H);
  save_shot (image, map_name);
  cairo_surface_destroy (image);
  image = render_chart (RV_SURFACE_3D (view), SHOT_W, SHOT_H);
  save_shot (image, view_name);
  cairo_surface_destroy (image);

  rv_surface_map_set_show_gradient_field (RV_SURFACE_MAP (map), TRUE);
  g_autofree char *field_name = g_strdup_printf ("map-%s-field-%s", name, style);
  image = render_chart (RV_SURFACE_MAP (map), SHOT_W, SHOT_H);
  save_shot (image, field_name);
  cairo_surface_destroy (image);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_tutorial_shots (void)
{
  /* Pathological curvature from (5, 5), 100 steps: SGD lr 10, momentum
   * lr 10 b 0.9, Adam lr 1; the range fitted to the paths as the tutorial
   * plots them */
  g_autoptr (RvSurfaceModel) patho = rv_surface_model_new ();
  rv_surface_model_set_surface (patho, rv_surface_lookup ("pathological"), 0);
  run_tutorial (patho, "SGD lr 10", RV_OPTIM_SGD, 10, 0, 5, 5, 100);
  run_tutorial (patho, "Momentum lr 10, β 0.9", RV_OPTIM_MOMENTUM, 10, 0.9, 5, 5, 100);
  run_tutorial (patho, "Adam lr 1", RV_OPTIM_ADAM, 1, 0, 5, 5, 100);
  rv_surface_model_fit_range_to_runs (patho, 0.03);

  /* Steep optima from (0, 0): SGD lr 0.5, momentum lr 1 b 0.9, Adam lr 0.2,
   * on [-2, 2]^2 as the tutorial plots it: SGD and momentum leave it */
  g_autoptr (RvSurfaceModel) steep = rv_surface_model_new ();
  rv_surface_model_set_surface (steep, rv_surface_lookup ("steep"), 0);
  run_tutorial (steep, "SGD lr 0.5", RV_OPTIM_SGD, 0.5, 0, 0, 0, 100);
  run_tutorial (steep, "Momentum lr 1, β 0.9", RV_OPTIM_MOMENTUM, 1, 0.9, 0, 0, 100);
  run_tutorial (steep, "Adam lr 0.2", RV_OPTIM_ADAM, 0.2, 0, 0, 0, 100);

  /* Rosenbrock, on the log scale, halfway through the animation */
  g_autoptr (RvSurfaceModel) rosen = rv_surface_model_new ();
  rv_surface_model_set_surface (rosen, rv_surface_lookup ("rosenbrock"), 0);
  run_tutorial (rosen, "SGD lr 0.001", RV_OPTIM_SGD, 0.001, 0, -1.5, 2, 300);
  run_tutorial (rosen, "Momentum lr 0.001", RV_OPTIM_HEAVY_BALL, 0.001, 0.9, -1.5, 2, 300);
  run_tutorial (rosen, "Adam lr 0.05", RV_OPTIM_ADAM, 0.05, 0, -1.5, 2, 300);
  rv_surface_model_set_revealed (rosen, 150);

  for (int dark = 0; dark < 2; dark++)
    {
      const char *style = dark ? "dark" : "light";
      set_dark (dark);
      shoot_pair (patho, "pathological", FALSE, style);
      shoot_pair (steep, "steep", FALSE, style);
      shoot_pair (rosen, "rosenbrock", TRUE, style);
    }
  set_dark (FALSE);
}

/* The stability map's colour key: right of the cells, one column runs from
 * the top colour of the scale (yellow, the start's loss) down to the bottom
 * one (purple, the lowest loss), colours no cell has (their losses lie
 * strictly between); a diverged run gets the dark crossed cell in the key
 * too, which a grid without one lacks. */
static gboolean
key_column (cairo_surface_t *image, int *column)
{
  double top[3], bottom[3], rgb[3];
  rv_viridis (1.0, top);
  rv_viridis (0.0, bottom);
  int w = cairo_image_surface_get_width (image), h = cairo_image_surface_get_height (image);
  for (int x = w - 1; x >= w / 2; x--)
    {
      int y_top = -1, y_bottom = -1;
      for (int y = 0; y < h; y++)
        {
          pixel_at (image, x, y, rgb);
          if (y_top < 0 && color_distance (rgb, top) < 0.02)
            y_top = y;
          if (color_distance (rgb, bottom) < 0.02)
            y_bottom = y;
        }
      if (y_top >= 0 && y_bottom > y_top + 40)
        {
          *column = x;
          return TRUE;
        }
    }
  return FALSE;
}

static guint
count_red_cross (cairo_surface_t *image, int x0)
{
  guint n = 0;
  double rgb[3];
  for (int x = x0; x < cairo_image_surface_get_width (image); x++)
    for (int y = 0; y < cairo_image_surface_get_height (image); y++)
      {
        pixel_at (image, x, y, rgb);
        n += rgb[0] > 0.8 && rgb[1] < 0.5 && rgb[2] < 0.5;
      }
  return n;
}

static void
test_stability_key (void)
{
  GtkWidget *view = rv_stability_view_new ();
  GtkWidget *window = in_window (view);
  const double loss[6] = { 0.5, 0.8, 1.1, 0.6, 0.9, 1.2 };
  rv_stability_view_set_grid (RV_STABILITY_VIEW (view), loss, 3, 2, -3, 0, 0.1, 0.9, 2.0, "β");
  cairo_surface_t *image = render_chart (view, 420, 240);
  int column;
  g_assert_true (key_column (image, &column));
  g_assert_cmpint (column, >, 300);
  g_assert_cmpuint (count_red_cross (image, column - 11), ==, 0);
  save_shot (image, "stability-key");
  cairo_surface_destroy (image);

  const double diverged[6] = { 0.5, 0.8, NAN, 0.6, 0.9, 1.2 };
  rv_stability_view_set_grid (RV_STABILITY_VIEW (view), diverged, 3, 2, -3, 0, 0.1, 0.9, 2.0, "β");
  image = render_chart (view, 420, 240);
  g_assert_true (key_column (image, &column));
  g_assert_cmpuint (count_red_cross (image, column - 11), >, 3);
  cairo_surface_destroy (image);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* drawing needs no accessibility bus, and a bare xvfb-run has none */
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under Xvfb)\n");
      return 77;
    }
  adw_init ();

  shot_dir = g_dir_make_tmp ("ravine-surface-views-XXXXXX", NULL);
  g_assert_nonnull (shot_dir);

  g_test_add_func ("/surface-views/viridis", test_viridis);
  g_test_add_func ("/surface-views/contour/paraboloid", test_contour_paraboloid);
  g_test_add_func ("/surface-views/model", test_model);
  g_test_add_func ("/surface-views/map/coordinates", test_map_coordinates);
  g_test_add_func ("/surface-views/map/heat", test_map_heat);
  g_test_add_func ("/surface-views/map/runs", test_map_runs);
  g_test_add_func ("/surface-views/map/diverged", test_map_diverged);
  g_test_add_func ("/surface-views/stability-key", test_stability_key);
  g_test_add_func ("/surface-views/3d", test_3d);
  g_test_add_func ("/surface-views/3d/camera", test_3d_camera);
  g_test_add_func ("/surface-views/3d/labels-inside", test_3d_labels_inside);
  g_test_add_func ("/surface-views/tutorial-shots", test_tutorial_shots);
  int status = g_test_run ();

  /* the PNGs stay only where RAVINE_TEST_SHOTS asks for them */
  g_autoptr (GDir) dir = g_dir_open (shot_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (shot_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (shot_dir);
  g_free (shot_dir);
  return status;
}
