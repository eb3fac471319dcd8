/* test-histogram-degenerate.c: histograms whose values are all equal, or
 * too close to tell apart as floats, and spikes in a shared x range: each
 * must show a visible bar where its values are, a degenerate one with its
 * label and ticks a person can tell apart. */
#include "rv-config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "rv-histogram-grid.h"
#include "rv-histogram-view.h"
#include "rv-probe.h"
#include "rv-stats.h"
#include "widget-test-util.h"

#define N_VALUES 784
#define CONSTANT (-8.14e-12)

static const GdkRGBA red = { 0.8, 0.1, 0.1, 1.0 };

static gboolean
is_red (WidgetTestPixel p)
{
  return p.r > 140 && p.g < 120 && p.b < 120 && p.r - p.g > 80;
}

static void
draw_view (gpointer data, cairo_t *cr, int width, int height)
{
  rv_histogram_view_draw (data, cr, width, height);
}

static void
draw_grid (gpointer data, cairo_t *cr, int width, int height)
{
  rv_histogram_grid_draw (data, cr, width, height);
}

/* A histogram of the values, as the probe summarizes a tensor. */
static RvHistogram *
histogram_of (const char *title, const float *values, size_t n)
{
  RvHistogram *h = rv_histogram_new (title);
  RvStats stats = { 0 };

  rv_stats_compute (&stats, values, n, RV_DEFAULT_BINS);
  rv_histogram_set_stats (h, &stats);
  rv_stats_clear (&stats);
  return h;
}

/* N_VALUES values: CONSTANT, each moved by (i mod 3 − 1) × jitter. */
static RvHistogram *
constant_histogram (double jitter)
{
  g_autofree float *values = g_new (float, N_VALUES);

  for (guint i = 0; i < N_VALUES; i++)
    values[i] = (float) (CONSTANT + ((int) (i % 3) - 1) * jitter);
  return histogram_of ("Constant", values, N_VALUES);
}

static RvHistogramView *
red_view (RvHistogram *model)
{
  RvHistogramView *view = RV_HISTOGRAM_VIEW (g_object_ref_sink (rv_histogram_view_new (model)));

  rv_histogram_view_set_color (view, &red);
  return view;
}

/* The runs of red columns along row y of the plot area: how many, and
 * where the red begins and ends (the first run's start, the last one's
 * end).  A narrow histogram may split into runs a pixel apart, as its bins
 * round; what must show is the span of its bars. */
static guint
red_runs (cairo_surface_t *surface, const graphene_rect_t *area, double y, double *x0, double *x1)
{
  guint runs = 0;
  gboolean in_run = FALSE;
  double right = area->origin.x + area->size.width;

  for (double x = area->origin.x; x < right; x++)
    {
      gboolean red_here = is_red (widget_test_pixel_at (surface, x, y));

      if (red_here && !in_run)
        {
          if (runs == 0)
            *x0 = x;
          runs++;
        }
      if (!red_here && in_run)
        *x1 = x;
      in_run = red_here;
    }
  if (in_run)
    *x1 = right;
  return runs;
}

/* A label read back as a number: the true minus sign and the thousands
 * separators undone (the tests run in the C locale). */
static double
parse_label (const char *label)
{
  g_autoptr (GString) plain = g_string_new (label);
  char *end = NULL;
  double value;

  g_string_replace (plain, "−", "-", 0);
  g_string_replace (plain, ",", "", 0);
  value = g_ascii_strtod (plain->str, &end);
  g_assert_true (end != plain->str && *end == '\0');
  return value;
}

/* The x ticks tell the reader distinct numbers: their labels differ, each
 * reads back at least half a step from its neighbours, and the step is not
 * a sliver of the values (no ticks apart only in the 5th digit). */
static void
check_readable_ticks (RvHistogramView *view, int width, int height, double value)
{
  double ticks[RV_PLOT_MAX_TICKS], step = 0.0;
  guint n = rv_histogram_view_get_x_ticks (view, width, height, ticks, &step);
  g_auto (GStrv) labels = g_new0 (char *, n + 1);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpfloat (step, >, 0.0);
  g_assert_cmpfloat (step, >=, 1e-3 * fabs (value));
  g_assert_cmpfloat (ticks[0], <=, value);
  g_assert_cmpfloat (ticks[n - 1], >=, value);
  for (guint i = 0; i < n; i++)
    {
      labels[i] = rv_plot_format_tick (ticks[i], step);
      g_test_message ("tick %u: %s", i, labels[i]);
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      g_assert_cmpstr (labels[i], !=, labels[j]);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmpfloat (parse_label (labels[i + 1]) - parse_label (labels[i]), >=, step / 2.0);
}

static void
check_degenerate (RvHistogram *model, const char *shot)
{
  g_autoptr (RvHistogramView) view = red_view (model);
  g_autofree char *label = NULL;
  g_autofree char *summary = NULL;
  const int sizes[][2] = { { 300, 200 }, { 220, 170 } };

  g_assert_true (rv_histogram_is_degenerate (model, NULL));
  g_assert_true (rv_histogram_view_is_degenerate (view));
  label = rv_histogram_view_dup_degenerate_label (view);
  g_assert_cmpstr (label, ==, "all ≈ −8.14e-12");
  summary = rv_histogram_view_dup_summary (view);
  g_assert_nonnull (strstr (summary, label));
  g_assert_nonnull (strstr (summary, "variance"));

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int width = sizes[k][0], height = sizes[k][1];
      g_autofree char *name = g_strdup_printf ("%s-%dx%d.png", shot, width, height);
      cairo_surface_t *surface = widget_test_render (name, draw_view, view, width, height);
      graphene_rect_t area;
      double x0 = 0.0, x1 = 0.0, mid;

      g_assert_true (rv_histogram_view_get_plot_area (view, width, height, &area));
      /* One bar, a few pixels wide at least, in the middle of its axis. */
      g_assert_cmpuint (red_runs (surface, &area, area.origin.y + area.size.height - 3, &x0, &x1), ==, 1);
      g_assert_cmpfloat (x1 - x0, >=, 4.0);
      mid = area.origin.x + area.size.width / 2.0;
      g_assert_cmpfloat (fabs ((x0 + x1) / 2.0 - mid), <, 3.0);
      /* Tall: all the values are in it. */
      g_assert_true (is_red (widget_test_pixel_at (surface, (x0 + x1) / 2.0,
                                                   area.origin.y + area.size.height * 0.5)));
      cairo_surface_destroy (surface);
      check_readable_ticks (view, width, height, CONSTANT);
    }

  /* The pointer over the bar reads out all of it. */
  {
    graphene_rect_t area;
    g_autofree char *text = NULL;
    int bin;

    gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
    gtk_widget_size_allocate (GTK_WIDGET (view), &(GtkAllocation) { 0, 0, 300, 200 }, -1);
    rv_histogram_view_get_plot_area (view, 300, 200, &area);
    bin = rv_histogram_view_bin_at (view, area.origin.x + area.size.width / 2.0,
                                    area.origin.y + area.size.height - 3);
    g_assert_cmpint (bin, >=, 0);
    text = rv_histogram_view_describe_bin (view, bin);
    g_assert_cmpstr (text, ==, "all ≈ −8.14e-12: 784");
    g_assert_cmpint (rv_histogram_view_bin_at (view, area.origin.x + 3, area.origin.y + area.size.height - 3),
                     ==, -1);
  }
}

static void
test_all_equal (void)
{
  g_autoptr (RvHistogram) model = constant_histogram (0.0);

  g_assert_cmpfloat (rv_histogram_get_min (model), ==, rv_histogram_get_max (model));
  check_degenerate (model, "degenerate-equal");
}

static void
test_within_rounding (void)
{
  g_autoptr (RvHistogram) model = constant_histogram (1e-17);

  /* The values really differ, by a few float steps. */
  g_assert_cmpfloat (rv_histogram_get_min (model), <, rv_histogram_get_max (model));
  check_degenerate (model, "degenerate-rounding");
}

/* A spread that floats do resolve is a real histogram. */
static void
test_not_degenerate (void)
{
  g_autoptr (RvHistogram) model = constant_histogram (1e-14);
  g_autoptr (RvHistogramView) view = red_view (model);

  g_assert_false (rv_histogram_is_degenerate (model, NULL));
  g_assert_false (rv_histogram_view_is_degenerate (view));
  g_assert_null (rv_histogram_view_dup_degenerate_label (view));
}

/* Every panel of a grid with one range shows a bar where its values are. */
static void
check_grid_bars (RvHistogramGrid *grid, const char *shot)
{
  for (guint i = 0; i < rv_histogram_grid_get_n_views (grid); i++)
    {
      RvHistogramView *view = rv_histogram_grid_get_view (grid, i);
      RvHistogram *model = rv_histogram_view_get_model (view);
      g_autofree char *name = g_strdup_printf ("%s-%u.png", shot, i);
      cairo_surface_t *surface = widget_test_render (name, draw_view, view, 280, 220);
      graphene_rect_t area;
      double lo, hi, x0 = 0.0, x1 = 0.0, where, centre;
      guint runs;

      g_assert_true (rv_histogram_view_get_plot_area (view, 280, 220, &area));
      rv_histogram_view_get_x_range (view, &lo, &hi);
      runs = red_runs (surface, &area, area.origin.y + area.size.height - 2, &x0, &x1);
      g_test_message ("panel %u (%s): %u red runs over [%g, %g)", i, rv_histogram_get_title (model), runs, x0, x1);
      g_assert_cmpuint (runs, >=, 1);
      g_assert_cmpfloat (x1 - x0, >=, 3.0);
      /* At the right place: around the values' middle on the shared axis. */
      where = (rv_histogram_get_min (model) + rv_histogram_get_max (model)) / 2.0;
      centre = area.origin.x + (where - lo) / (hi - lo) * area.size.width;
      if (runs == 1)
        g_assert_cmpfloat (fabs ((x0 + x1) / 2.0 - centre), <, 4.0);
      if (rv_histogram_view_is_degenerate (view))
        g_assert_cmpuint (runs, ==, 1);
      cairo_surface_destroy (surface);
    }
}

static void
test_shared_x (void)
{
  g_autofree float *wide_values = g_new (float, N_VALUES);
  g_autofree float *spike_values = g_new (float, N_VALUES);
  g_autoptr (RvHistogram) degenerate = constant_histogram (1e-17);
  g_autoptr (RvHistogram) wide = NULL;
  g_autoptr (RvHistogram) spike = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  RvHistogramGrid *grid = RV_HISTOGRAM_GRID (g_object_ref_sink (rv_histogram_grid_new ()));
  double lo, hi;

  for (guint i = 0; i < N_VALUES; i++)
    {
      wide_values[i] = (float) (-0.1 + 0.2 * i / (N_VALUES - 1));
      spike_values[i] = (float) (0.05 + 1e-7 * ((int) (i % 5) - 2));
    }
  wide = histogram_of ("Wide", wide_values, N_VALUES);
  spike = histogram_of ("Spike", spike_values, N_VALUES);
  g_assert_false (rv_histogram_is_degenerate (spike, NULL));

  g_ptr_array_add (list, degenerate);
  g_ptr_array_add (list, wide);
  g_ptr_array_add (list, spike);
  rv_histogram_grid_set_color (grid, &red);
  rv_histogram_grid_set_histograms (grid, list);
  rv_histogram_grid_set_shared_x (grid, TRUE);

  /* The union of the values, not of the degenerate one's widened range. */
  g_assert_true (rv_histogram_view_get_x_range (rv_histogram_grid_get_view (grid, 0), &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, -0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (hi, 0.1, 1e-6);
  g_assert_true (rv_histogram_view_is_degenerate (rv_histogram_grid_get_view (grid, 0)));
  check_grid_bars (grid, "degenerate-shared");

  /* The whole grid exported, for people to look at. */
  {
    cairo_surface_t *surface = widget_test_render ("degenerate-shared-grid.png", draw_grid, grid, 840, 230);

    cairo_surface_destroy (surface);
  }

  /* Every layer degenerate at one value: no range to share, each its own. */
  {
    g_autoptr (RvHistogram) again = constant_histogram (0.0);
    g_autoptr (GPtrArray) alike = g_ptr_array_new ();

    g_ptr_array_add (alike, degenerate);
    g_ptr_array_add (alike, again);
    rv_histogram_grid_set_histograms (grid, alike);
    g_assert_false (rv_histogram_view_get_x_range (rv_histogram_grid_get_view (grid, 0), NULL, NULL));
    check_grid_bars (grid, "degenerate-alike");
  }
  g_object_unref (grid);
}

/* The constant-init probe, as the Initialization page runs it: its hidden
 * layers' gradients are rounding noise about one value.  Whether floats
 * can tell that noise apart depends on the machine's GEMM kernel, so the
 * check is what must hold either way: every panel, shared range or not,
 * shows its bar, a degenerate one labelled. */
static void
test_constant_probe (void)
{
  g_autoptr (RvDataset) data = rv_dataset_new_synthetic (2000, 200, 42);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  RvHistogramGrid *grid = RV_HISTOGRAM_GRID (g_object_ref_sink (rv_histogram_grid_new ()));
  RvProbeConfig cfg;
  RvProbeResult res;

  rv_probe_config_init_default (&cfg);
  cfg.batch = 256;
  g_assert_true (rv_init_parse ("const:0.005", &cfg.init, &error));
  g_assert_true (rv_probe_run (&cfg, data, &res, &error));
  g_assert_no_error (error);
  for (guint l = 0; l < res.n_linear; l++)
    {
      g_autofree char *title = g_strdup_printf ("Layer %u", l);
      RvHistogram *h = rv_histogram_new (title);

      rv_histogram_set_stats (h, &res.gradient[l]);
      g_ptr_array_add (list, h);
    }
  rv_probe_result_clear (&res);

  rv_histogram_grid_set_color (grid, &red);
  rv_histogram_grid_set_histograms (grid, list);
  for (guint l = 0; l < list->len; l++)
    {
      RvHistogramView *view = rv_histogram_grid_get_view (grid, l);
      g_autofree char *summary = rv_histogram_view_dup_summary (view);

      g_test_message ("%s", summary);
      if (rv_histogram_view_is_degenerate (view))
        {
          g_autofree char *label = rv_histogram_view_dup_degenerate_label (view);

          g_assert_nonnull (strstr (summary, label));
        }
    }
  check_grid_bars (grid, "constant-probe-own");
  rv_histogram_grid_set_shared_x (grid, TRUE);
  check_grid_bars (grid, "constant-probe-shared");
  g_object_unref (grid);
}

int
main (int argc, char **argv)
{
  int status;

  widget_test_init (&argc, &argv, "ravine-degenerate-XXXXXX");

  g_test_add_func ("/histogram-degenerate/all-equal", test_all_equal);
  g_test_add_func ("/histogram-degenerate/within-rounding", test_within_rounding);
  g_test_add_func ("/histogram-degenerate/not-degenerate", test_not_degenerate);
  g_test_add_func ("/histogram-degenerate/shared-x", test_shared_x);
  g_test_add_func ("/histogram-degenerate/constant-probe", test_constant_probe);

  status = g_test_run ();
  widget_test_cleanup ();
  return status;
}
