/* rv-histogram-view.c: one histogram panel drawn with cairo.
 *
 * Layout, top to bottom: title, plot (y tick labels on its left, x tick
 * labels under it), the variance.  The same geometry function serves
 * drawing and hit-testing, so a hovered bin is always the one drawn under
 * the pointer. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-chart-accessible.h"
#include "rv-chart-hover.h"
#include "rv-chart-model.h"
#include "rv-histogram-view.h"
#include "rv-plot.h"

#define MIN_WIDTH 220
#define MIN_HEIGHT 170

struct _RvHistogramView
{
  GtkWidget parent_instance;

  RvHistogram *model;
  gulong changed_id;

  gboolean show_kde;
  RvHistogramYMode y_mode;
  gboolean log_y;
  gboolean x_range_set;
  double x_lo, x_hi;
  gboolean color_set;
  GdkRGBA color;

  RvChartHover hover;
  int hover_bin;     /* -1 when the pointer is over no bin */
};

G_DEFINE_FINAL_TYPE (RvHistogramView, rv_histogram_view, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (RvHistogramYMode, rv_histogram_y_mode,
                    G_DEFINE_ENUM_VALUE (RV_HISTOGRAM_Y_COUNT, "count"),
                    G_DEFINE_ENUM_VALUE (RV_HISTOGRAM_Y_DENSITY, "density"))

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_SHOW_KDE,
  PROP_Y_MODE,
  PROP_LOG_Y,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The model's signals the view follows. */
static const char *const model_signals[] = { "changed", NULL };

/* Everything the drawing and the hit-testing share. */
typedef struct
{
  double title_y;          /* top of the title */
  double footer_y;         /* top of the variance line */
  gboolean has_plot;       /* data, and room to draw it */
  double px, py, pw, ph;   /* the plot area */
  RvPlotAxis x, y;
} Geometry;

static gboolean
has_data (RvHistogramView *self)
{
  return self->model != NULL && rv_histogram_has_data (self->model);
}

/* The factor from a count to the bar height in the current mode. */
static double
count_scale (RvHistogramView *self)
{
  guint64 total;
  double width;

  if (self->y_mode == RV_HISTOGRAM_Y_COUNT)
    return 1.0;
  total = rv_histogram_get_total (self->model);
  width = rv_histogram_get_bin_width (self->model);
  return total > 0 && width > 0.0 ? 1.0 / ((double) total * width) : 0.0;
}

/* The factor from the KDE's density to the bar height. */
static double
kde_scale (RvHistogramView *self)
{
  if (self->y_mode == RV_HISTOGRAM_Y_DENSITY)
    return 1.0;
  return (double) rv_histogram_get_total (self->model) * rv_histogram_get_bin_width (self->model);
}

static void
get_shown_x_range (RvHistogramView *self, double *lo, double *hi)
{
  if (self->x_range_set)
    {
      *lo = self->x_lo;
      *hi = self->x_hi;
    }
  else if (self->model != NULL)
    rv_histogram_get_range (self->model, lo, hi);
  else
    {
      *lo = 0.0;
      *hi = 1.0;
    }
}

/* The y range: from 0 (linear) or a decade under the smallest bar (log) to
 * a round value above the tallest bar or KDE peak. */
static void
compute_y_range (RvHistogramView *self, double *lo, double *hi, guint max_ticks)
{
  const guint64 *counts = rv_histogram_get_counts (self->model);
  guint n_bins = rv_histogram_get_n_bins (self->model);
  double scale = count_scale (self);
  double top = 0.0;
  double smallest = INFINITY;

  for (guint i = 0; i < n_bins; i++)
    {
      double v = (double) counts[i] * scale;

      top = MAX (top, v);
      if (v > 0.0)
        smallest = MIN (smallest, v);
    }
  if (self->show_kde)
    {
      const double *ky;
      guint n = rv_histogram_get_kde (self->model, NULL, &ky);
      double ks = kde_scale (self);

      for (guint i = 0; i < n; i++)
        if (isfinite (ky[i]))
          top = MAX (top, ky[i] * ks);
    }

  if (self->log_y)
    {
      if (!isfinite (smallest) || !(top > 0.0))
        {
          *lo = 1.0;
          *hi = 10.0;
          return;
        }
      /* Half the smallest bar, rounded down to a decade: a bar of count 1
       * still rises a full decade above the axis, unlike an empty bin. */
      *lo = pow (10.0, floor (log10 (smallest * 0.5)));
      *hi = pow (10.0, ceil (log10 (top * 1.2)));
      return;
    }

  *lo = 0.0;
  *hi = top > 0.0 ? top * 1.05 : 1.0;
  rv_plot_nice_range (lo, hi, max_ticks, FALSE);
}

static void
compute_geometry (RvHistogramView *self, int width, int height, Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double title_h = rv_plot_text_height (widget, 1.0, TRUE);
  double footer_h = rv_plot_text_height (widget, 1.0, FALSE);
  double label_h = rv_plot_text_height (widget, PANGO_SCALE_SMALL, FALSE);
  double top, bottom, left, right, widest;
  guint y_target;

  memset (g, 0, sizeof *g);
  g->title_y = RV_PLOT_PAD;
  g->footer_y = height - RV_PLOT_PAD - footer_h;

  top = RV_PLOT_PAD + title_h + 6.0;
  bottom = g->footer_y - 6.0 - label_h - RV_PLOT_TICK - 2.0;
  if (!has_data (self) || bottom - top < 20.0)
    return;

  g->y.scale.log = self->log_y;
  y_target = MAX (2, (guint) ((bottom - top) / (label_h * 2.2)));
  compute_y_range (self, &g->y.scale.lo, &g->y.scale.hi, y_target);
  rv_plot_axis_set_ticks (&g->y, y_target);
  widest = rv_plot_axis_widest_label (&g->y, widget);

  /* Whole pixels, so the axis lines and bar edges stay crisp. */
  left = ceil (RV_PLOT_PAD + widest + RV_PLOT_GAP + RV_PLOT_TICK);
  right = floor (width - RV_PLOT_PAD - 8.0);
  top = ceil (top);
  bottom = floor (bottom);
  if (right - left < 20.0)
    return;

  g->has_plot = TRUE;
  g->px = left;
  g->py = top;
  g->pw = right - left;
  g->ph = bottom - top;
  g->y.scale.px_lo = bottom;
  g->y.scale.px_hi = top;
  get_shown_x_range (self, &g->x.scale.lo, &g->x.scale.hi);
  g->x.scale.px_lo = left;
  g->x.scale.px_hi = right;
  g->x.scale.log = FALSE;
  /* x ticks whose labels do not touch. */
  rv_plot_axis_fit_linear_ticks (&g->x, widget, MAX (2, (guint) (g->pw / 60.0)), 8.0);
}

static void
get_colors (RvHistogramView *self, RvPlotStyle *style, GdkRGBA *bar)
{
  rv_plot_style_init (style, GTK_WIDGET (self));
  rv_plot_accent_color (style, self->color_set ? &self->color : NULL, bar);
}

static void
draw_bars (RvHistogramView *self, cairo_t *cr, const Geometry *g, const GdkRGBA *bar, int hover)
{
  const guint64 *counts = rv_histogram_get_counts (self->model);
  guint n_bins = rv_histogram_get_n_bins (self->model);
  double scale = count_scale (self);
  double base = g->py + g->ph;

  for (int pass = 0; pass < 2; pass++)
    {
      /* All bars in one path, the hovered one after them at full strength. */
      for (guint i = 0; i < n_bins; i++)
        {
          double v = (double) counts[i] * scale;
          double left, right, x0, x1, y, gap;

          if ((pass == 1) != ((int) i == hover) || !(v > 0.0))
            continue;
          rv_histogram_get_bin_edges (self->model, i, &left, &right);
          x0 = rv_plot_scale_map (&g->x.scale, left);
          x1 = rv_plot_scale_map (&g->x.scale, right);
          /* A hairline between wide bars keeps them apart; narrow bars
           * would turn to stripes, so they touch. */
          gap = x1 - x0 > 4.0 ? 1.0 : 0.0;
          y = MAX (rv_plot_scale_map (&g->y.scale, v), g->py - 1.0);
          cairo_rectangle (cr, x0 + gap * 0.5, y, x1 - x0 - gap, base - y);
        }
      rv_plot_set_source (cr, bar, pass == 0 ? 0.85 : 1.0);
      cairo_fill (cr);
    }
}

static void
draw_kde (RvHistogramView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  const double *kx, *ky;
  guint n = rv_histogram_get_kde (self->model, &kx, &ky);
  double scale = kde_scale (self);
  gboolean pen_down = FALSE;

  for (guint i = 0; i < n; i++)
    {
      double v = ky[i] * scale;
      double x, y;

      if (!isfinite (kx[i]) || !rv_plot_scale_accepts (&g->y.scale, v))
        {
          pen_down = FALSE;
          continue;
        }
      x = rv_plot_scale_map (&g->x.scale, kx[i]);
      /* Tails far below a log axis: keep the path near the plot. */
      y = CLAMP (rv_plot_scale_map (&g->y.scale, v), g->py - 2.0, g->py + g->ph + 2.0);
      if (pen_down)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen_down = TRUE;
    }
  cairo_set_line_width (cr, rv_plot_line (1.5));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  rv_plot_set_source (cr, &style->fg, 0.75);
  cairo_stroke (cr);
}

static void
draw_panel (RvHistogramView *self, cairo_t *cr, int width, int height, gboolean for_export)
{
  GtkWidget *widget = GTK_WIDGET (self);
  RvPlotStyle style;
  GdkRGBA bar;
  Geometry g;
  const char *title = self->model != NULL ? rv_histogram_get_title (self->model) : "";

  get_colors (self, &style, &bar);
  compute_geometry (self, width, height, &g);

  cairo_save (cr);
  if (for_export)
    rv_plot_paint_background (cr, &style);
  rv_plot_show_title (cr, widget, &style, title, 1.0, RV_PLOT_PAD, g.title_y, width - 2 * RV_PLOT_PAD);

  if (!has_data (self))
    {
      rv_plot_show_placeholder (cr, widget, &style, _("No data"), 1.0, width / 2.0, height / 2.0);
      cairo_restore (cr);
      return;
    }

  if (g.has_plot)
    {
      int hover = for_export ? -1 : self->hover_bin;

      /* Faint horizontal grid under the bars. */
      cairo_set_line_width (cr, rv_plot_line (1.0));
      rv_plot_set_source (cr, &style.fg, 0.08);
      for (guint i = 0; i < g.y.n_ticks; i++)
        {
          double y = round (rv_plot_scale_map (&g.y.scale, g.y.ticks[i])) + 0.5;

          if (y < g.py + g.ph - 1.0)
            {
              cairo_move_to (cr, g.px, y);
              cairo_line_to (cr, g.px + g.pw, y);
            }
        }
      cairo_stroke (cr);

      cairo_save (cr);
      cairo_rectangle (cr, g.px, g.py, g.pw, g.ph);
      cairo_clip (cr);
      if (hover >= 0 && (guint) hover < rv_histogram_get_n_bins (self->model))
        {
          double left, right, x0, x1;

          rv_histogram_get_bin_edges (self->model, hover, &left, &right);
          x0 = rv_plot_scale_map (&g.x.scale, left);
          x1 = rv_plot_scale_map (&g.x.scale, right);
          rv_plot_set_source (cr, &style.fg, 0.1);
          cairo_rectangle (cr, x0, g.py, x1 - x0, g.ph);
          cairo_fill (cr);
        }
      draw_bars (self, cr, &g, &bar, hover);
      if (self->show_kde)
        draw_kde (self, cr, &g, &style);
      cairo_restore (cr);

      rv_plot_draw_axes (cr, widget, &style, g.px, g.py, g.pw, g.ph, &g.x, NULL, &g.y, width);
    }

  {
    g_autofree char *value = rv_plot_format_value (rv_histogram_get_variance (self->model));
    /* Translators: under a histogram; %s is a number such as 1.03 or 2e-4 */
    g_autofree char *text = g_strdup_printf (_("variance %s"), value);

    rv_plot_show_caption (cr, widget, &style, text, width / 2.0, g.footer_y);
  }

  cairo_restore (cr);
}

void
rv_histogram_view_draw (RvHistogramView *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  g_return_if_fail (cr != NULL);

  draw_panel (self, cr, width, height, TRUE);
}

gboolean
rv_histogram_view_get_plot_area (RvHistogramView *self, int width, int height,
                                 graphene_rect_t *area)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), FALSE);

  compute_geometry (self, width, height, &g);
  if (area != NULL)
    graphene_rect_init (area, g.px, g.py, g.pw, g.ph);
  return g.has_plot;
}

static int
bin_at_size (RvHistogramView *self, int width, int height, double x, double y)
{
  Geometry g;
  guint n_bins;
  double lo, hi, v, left, right;
  int bin;

  compute_geometry (self, width, height, &g);
  if (!g.has_plot || x < g.px || x > g.px + g.pw || y < g.py || y > g.py + g.ph)
    return -1;

  n_bins = rv_histogram_get_n_bins (self->model);
  rv_histogram_get_range (self->model, &lo, &hi);
  v = rv_plot_scale_unmap (&g.x.scale, x);
  /* With a shared or overridden range the data may not fill the axis. */
  if (v < lo || v > hi)
    return -1;

  bin = (int) CLAMP (floor ((v - lo) / (hi - lo) * n_bins), 0, n_bins - 1);
  /* The guess may be off by one at an edge; the edges themselves decide. */
  rv_histogram_get_bin_edges (self->model, bin, &left, &right);
  if (v < left && bin > 0)
    bin--;
  else if (v >= right && bin + 1 < (int) n_bins)
    bin++;
  return bin;
}

int
rv_histogram_view_bin_at (RvHistogramView *self, double x, double y)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), -1);

  return bin_at_size (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), x, y);
}

char *
rv_histogram_view_describe_bin (RvHistogramView *self, int bin)
{
  double left, right, resolution;
  g_autofree char *left_text = NULL;
  g_autofree char *right_text = NULL;
  g_autofree char *count_text = NULL;
  char *text;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  if (!has_data (self) || bin < 0 || (guint) bin >= rv_histogram_get_n_bins (self->model))
    return NULL;

  rv_histogram_get_bin_edges (self->model, bin, &left, &right);
  /* A tenth of a bin: enough digits to tell neighbouring edges apart. */
  resolution = rv_histogram_get_bin_width (self->model) / 10.0;
  left_text = rv_plot_format_at_resolution (left, resolution);
  right_text = rv_plot_format_at_resolution (right, resolution);
  count_text = rv_plot_format_count (rv_histogram_get_counts (self->model)[bin]);

  if ((guint) bin + 1 < rv_histogram_get_n_bins (self->model))
    /* Translators: a histogram bin [left edge, right edge): how many values */
    text = g_strdup_printf (_("[%s, %s): %s"), left_text, right_text, count_text);
  else
    /* Translators: the last histogram bin, which includes its right edge */
    text = g_strdup_printf (_("[%s, %s]: %s"), left_text, right_text, count_text);

  if (self->y_mode == RV_HISTOGRAM_Y_DENSITY)
    {
      g_autofree char *density = rv_plot_format_value (rv_histogram_get_density (self->model, bin));
      g_autofree char *with_density = g_strdup_printf (_("%s (density %s)"), text, density);

      g_free (text);
      text = g_steal_pointer (&with_density);
    }
  return text;
}

char *
rv_histogram_view_dup_summary (RvHistogramView *self)
{
  const char *title;
  g_autofree char *variance = NULL;
  g_autofree char *mean = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  title = self->model != NULL ? rv_histogram_get_title (self->model) : "";
  if (title[0] == '\0')
    title = _("Histogram");
  if (!has_data (self))
    return g_strdup_printf (_("%s: no data"), title);

  variance = rv_plot_format_value (rv_histogram_get_variance (self->model));
  mean = rv_plot_format_value (rv_histogram_get_mean (self->model));
  min = rv_plot_format_value (rv_histogram_get_min (self->model));
  max = rv_plot_format_value (rv_histogram_get_max (self->model));
  /* Translators: title: variance, mean, range min to max of a histogram */
  return g_strdup_printf (_("%s: variance %s, mean %s, range %s to %s"),
                          title, variance, mean, min, max);
}

static void
update_accessible (RvHistogramView *self)
{
  const char *title = self->model != NULL ? rv_histogram_get_title (self->model) : "";

  rv_chart_accessible_update (GTK_WIDGET (self), title[0] != '\0' ? title : _("Histogram"),
                              rv_histogram_view_dup_summary (self), NULL);
}

static void
on_model_changed (RvHistogramView *self)
{
  /* Bins may have come or gone under the pointer. */
  if (self->hover_bin >= 0 && (!has_data (self)
                               || (guint) self->hover_bin >= rv_histogram_get_n_bins (self->model)))
    self->hover_bin = -1;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_hover (RvHistogramView *self, int bin)
{
  if (self->hover_bin == bin)
    return;
  self->hover_bin = bin;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_hover_changed (GtkWidget *widget)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (widget);

  set_hover (self, self->hover.inside ? rv_histogram_view_bin_at (self, self->hover.x, self->hover.y) : -1);
}

static char *
dup_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard_mode)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (widget);

  if (keyboard_mode)
    return rv_histogram_view_dup_summary (self);
  return rv_histogram_view_describe_bin (self, rv_histogram_view_bin_at (self, x, y));
}

static void
rv_histogram_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width, height;
  cairo_t *cr = rv_plot_snapshot_cairo (widget, snapshot, &width, &height);

  if (cr == NULL)
    return;
  draw_panel (RV_HISTOGRAM_VIEW (widget), cr, width, height, FALSE);
  cairo_destroy (cr);
}

static void
rv_histogram_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = 280;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = 220;
    }
}

static void
rv_histogram_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rv_histogram_view_parent_class)->css_changed (widget, change);
  /* Colours come from the style: light/dark switches need a redraw. */
  gtk_widget_queue_draw (widget);
}

static void
rv_histogram_view_dispose (GObject *object)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (object);

  rv_chart_model_set (&self->model, &self->changed_id, model_signals, NULL, NULL, NULL);

  G_OBJECT_CLASS (rv_histogram_view_parent_class)->dispose (object);
}

static void
rv_histogram_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SHOW_KDE:
      g_value_set_boolean (value, self->show_kde);
      break;
    case PROP_Y_MODE:
      g_value_set_enum (value, self->y_mode);
      break;
    case PROP_LOG_Y:
      g_value_set_boolean (value, self->log_y);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, self->color_set ? &self->color : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      rv_histogram_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_SHOW_KDE:
      rv_histogram_view_set_show_kde (self, g_value_get_boolean (value));
      break;
    case PROP_Y_MODE:
      rv_histogram_view_set_y_mode (self, g_value_get_enum (value));
      break;
    case PROP_LOG_Y:
      rv_histogram_view_set_log_y (self, g_value_get_boolean (value));
      break;
    case PROP_COLOR:
      rv_histogram_view_set_color (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_view_class_init (RvHistogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rv_histogram_view_dispose;
  object_class->get_property = rv_histogram_view_get_property;
  object_class->set_property = rv_histogram_view_set_property;

  widget_class->snapshot = rv_histogram_view_snapshot;
  widget_class->measure = rv_histogram_view_measure;
  widget_class->css_changed = rv_histogram_view_css_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, RV_TYPE_HISTOGRAM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_KDE] =
    g_param_spec_boolean ("show-kde", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_Y_MODE] =
    g_param_spec_enum ("y-mode", NULL, NULL, RV_TYPE_HISTOGRAM_Y_MODE, RV_HISTOGRAM_Y_COUNT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_Y] =
    g_param_spec_boolean ("log-y", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "histogramview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rv_histogram_view_init (RvHistogramView *self)
{
  self->hover_bin = -1;
  self->y_mode = RV_HISTOGRAM_Y_COUNT;

  rv_chart_hover_track (GTK_WIDGET (self), &self->hover, FALSE, on_hover_changed);
  rv_chart_hover_set_tooltip (GTK_WIDGET (self), dup_tooltip);

  update_accessible (self);
}

GtkWidget *
rv_histogram_view_new (RvHistogram *model)
{
  return g_object_new (RV_TYPE_HISTOGRAM_VIEW, "model", model, NULL);
}

void
rv_histogram_view_set_model (RvHistogramView *self, RvHistogram *model)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  g_return_if_fail (model == NULL || RV_IS_HISTOGRAM (model));

  if (!rv_chart_model_set (&self->model, &self->changed_id, model_signals, model,
                           G_CALLBACK (on_model_changed), self))
    return;

  self->hover_bin = -1;
  on_model_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

RvHistogram *
rv_histogram_view_get_model (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);
  return self->model;
}

void
rv_histogram_view_set_show_kde (RvHistogramView *self, gboolean show_kde)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  show_kde = !!show_kde;
  if (self->show_kde == show_kde)
    return;
  self->show_kde = show_kde;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_KDE]);
}

gboolean
rv_histogram_view_get_show_kde (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), FALSE);
  return self->show_kde;
}

void
rv_histogram_view_set_y_mode (RvHistogramView *self, RvHistogramYMode mode)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  g_return_if_fail (mode == RV_HISTOGRAM_Y_COUNT || mode == RV_HISTOGRAM_Y_DENSITY);

  if (self->y_mode == mode)
    return;
  self->y_mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_MODE]);
}

RvHistogramYMode
rv_histogram_view_get_y_mode (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), RV_HISTOGRAM_Y_COUNT);
  return self->y_mode;
}

void
rv_histogram_view_set_log_y (RvHistogramView *self, gboolean log_y)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  log_y = !!log_y;
  if (self->log_y == log_y)
    return;
  self->log_y = log_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_Y]);
}

gboolean
rv_histogram_view_get_log_y (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), FALSE);
  return self->log_y;
}

void
rv_histogram_view_set_x_range (RvHistogramView *self, double lo, double hi)
{
  gboolean set;

  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  set = isfinite (lo) && isfinite (hi) && lo < hi;
  if (set == self->x_range_set && (!set || (lo == self->x_lo && hi == self->x_hi)))
    return;
  self->x_range_set = set;
  self->x_lo = set ? lo : 0.0;
  self->x_hi = set ? hi : 0.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
rv_histogram_view_get_x_range (RvHistogramView *self, double *lo, double *hi)
{
  double l, h;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), FALSE);

  get_shown_x_range (self, &l, &h);
  if (lo != NULL)
    *lo = l;
  if (hi != NULL)
    *hi = h;
  return self->x_range_set;
}

void
rv_histogram_view_set_color (RvHistogramView *self, const GdkRGBA *color)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  if (!rv_plot_optional_color_set (&self->color_set, &self->color, color))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

void
rv_histogram_view_get_bar_color (RvHistogramView *self, GdkRGBA *color)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  get_colors (self, &style, color);
}
