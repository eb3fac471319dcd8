/* rv-histogram-view.c: one histogram panel drawn with cairo.
 *
 * Layout, top to bottom: title, plot (y tick labels on its left, x tick
 * labels under it), the variance, the model's note if it has one.  The same geometry function serves
 * drawing, hit-testing and collect_geometry, so a hovered bin is always
 * the one drawn under the pointer. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-histogram-view.h"
#include "rv-plot.h"

struct _RvHistogramView
{
  RvChart parent_instance;

  gboolean show_kde;
  RvHistogramYMode y_mode;
  gboolean log_y;
  gboolean x_range_set;
  double x_lo, x_hi;
  gboolean color_set;
  GdkRGBA color;
  RvHistogram *compare;    /* B, drawn as an outline over the bars, or NULL */
  gboolean compare_color_set;
  GdkRGBA compare_color;

  int hover_bin;     /* -1 when the pointer is over no bin */
};

G_DEFINE_FINAL_TYPE (RvHistogramView, rv_histogram_view, RV_TYPE_CHART)

G_DEFINE_ENUM_TYPE (RvHistogramYMode, rv_histogram_y_mode,
                    G_DEFINE_ENUM_VALUE (RV_HISTOGRAM_Y_COUNT, "count"),
                    G_DEFINE_ENUM_VALUE (RV_HISTOGRAM_Y_DENSITY, "density"))

enum
{
  PROP_0,
  PROP_SHOW_KDE,
  PROP_Y_MODE,
  PROP_LOG_Y,
  PROP_COLOR,
  PROP_COMPARE,
  PROP_COMPARE_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A histogram narrower than this on its axis (a spike in a shared range)
 * is widened about its centre, so that it still shows; a degenerate one is
 * one bar at least this wide. */
#define MIN_SPIKE_PX 4.0
#define DEGENERATE_MIN_PX 6.0
/* Its bar, in data units, is this share of its own axis. */
#define DEGENERATE_BAR_SHARE (1.0 / 12.0)

/* Everything the drawing and the hit-testing share. */
typedef struct
{
  double title_y;          /* top of the title */
  double footer_y;         /* top of the variance line */
  double note_y;           /* top of the note's line under it */
  gboolean has_plot;       /* data, and room to draw it */
  double px, py, pw, ph;   /* the plot area */
  RvPlotAxis x, y;
  /* Degenerate data: one bar over [bar_x0, bar_x1) for all the values. */
  gboolean degenerate;
  double value;            /* what they all are (about) */
  guint fullest;           /* the bin that stands for them all */
  double bar_x0, bar_x1;
  /* Bar x = spike_to + (axis x − spike_from) × spike_k: a narrow
   * histogram widened about its centre (1, 0, 0 when not). */
  double spike_k, spike_from, spike_to;
  /* B's outline, placed as A's bars are (has_compare: B has data). */
  gboolean has_compare, compare_degenerate;
  double compare_value, compare_x0, compare_x1;
  double compare_k, compare_from, compare_to;
} Geometry;

static RvHistogram *
model_of (RvHistogramView *self)
{
  return rv_chart_get_model (RV_CHART (self));
}

static gboolean
has_data (RvHistogramView *self)
{
  return model_of (self) != NULL && rv_histogram_has_data (model_of (self));
}

static gboolean
is_degenerate (RvHistogramView *self, double *value)
{
  return has_data (self) && rv_histogram_is_degenerate (model_of (self), value);
}

/* The width in data units a degenerate histogram's bar stands for: what
 * its density is measured over. */
static double
degenerate_bar_width (double value)
{
  double lo, hi;

  rv_histogram_degenerate_axis (value, &lo, &hi);
  return (hi - lo) * DEGENERATE_BAR_SHARE;
}

/* The width in data units one of h's bars stands for: its bins', or a
 * degenerate histogram's one bar's. */
static double
unit_width (RvHistogram *h)
{
  double value;

  return rv_histogram_is_degenerate (h, &value) ? degenerate_bar_width (value) : rv_histogram_get_bin_width (h);
}

/* The factor from one of h's counts to its density. */
static double
density_scale (RvHistogram *h)
{
  guint64 total = rv_histogram_get_total (h);
  double width = unit_width (h);

  return total > 0 && width > 0.0 ? 1.0 / ((double) total * width) : 0.0;
}

/* The factor from a count to the bar height in the current mode. */
static double
count_scale (RvHistogramView *self)
{
  if (self->y_mode == RV_HISTOGRAM_Y_COUNT)
    return 1.0;
  return density_scale (model_of (self));
}

static gboolean
compare_has_data (RvHistogramView *self)
{
  return self->compare != NULL && rv_histogram_has_data (self->compare);
}

/* The factor from one of B's counts to its height.  B's bins need not be
 * A's, so its counts are not comparable as they are: in density mode it
 * is B's density; in count mode B's density at A's scale (A's total × A's
 * bin width), so that a share of B's values covers the area the same
 * share of A's does, as A's KDE is scaled. */
static double
compare_scale (RvHistogramView *self)
{
  double density = density_scale (self->compare);

  if (self->y_mode == RV_HISTOGRAM_Y_DENSITY)
    return density;
  return density * (double) rv_histogram_get_total (model_of (self)) * unit_width (model_of (self));
}

/* The factor from the KDE's density to the bar height. */
static double
kde_scale (RvHistogramView *self)
{
  if (self->y_mode == RV_HISTOGRAM_Y_DENSITY)
    return 1.0;
  return (double) rv_histogram_get_total (model_of (self)) * rv_histogram_get_bin_width (model_of (self));
}

/* Whether the KDE is drawn: asked for, and there is a spread to estimate. */
static gboolean
shows_kde (RvHistogramView *self)
{
  return self->show_kde && !is_degenerate (self, NULL);
}

/* The axis h alone is drawn on: its range, or about its value. */
static void
own_x_range (RvHistogram *h, double *lo, double *hi)
{
  double value;

  if (rv_histogram_is_degenerate (h, &value))
    rv_histogram_degenerate_axis (value, lo, hi);
  else
    rv_histogram_get_range (h, lo, hi);
}

static void
get_shown_x_range (RvHistogramView *self, double *lo, double *hi)
{
  if (self->x_range_set)
    {
      *lo = self->x_lo;
      *hi = self->x_hi;
    }
  else if (model_of (self) != NULL)
    {
      own_x_range (model_of (self), lo, hi);
      /* A and B on one axis; a degenerate A's axis is its own scale, so
       * B's range widens it. */
      if (has_data (self) && compare_has_data (self))
        {
          double l, h;

          own_x_range (self->compare, &l, &h);
          *lo = MIN (*lo, l);
          *hi = MAX (*hi, h);
        }
    }
  else
    {
      *lo = 0.0;
      *hi = 1.0;
    }
}

/* The bin that stands for all of a degenerate histogram: its fullest. */
static guint
fullest_bin (RvHistogramView *self)
{
  const guint64 *counts = rv_histogram_get_counts (model_of (self));
  guint n_bins = rv_histogram_get_n_bins (model_of (self));
  guint best = 0;

  for (guint i = 1; i < n_bins; i++)
    if (counts[i] > counts[best])
      best = i;
  return best;
}

/* Bar bin's height in the current mode: a degenerate histogram's values
 * all count in its one bar. */
static double
bar_value (RvHistogramView *self, const Geometry *g, guint bin)
{
  if (g->degenerate)
    return bin == g->fullest ? (double) rv_histogram_get_total (model_of (self)) * count_scale (self) : 0.0;
  return (double) rv_histogram_get_counts (model_of (self))[bin] * count_scale (self);
}

/* The y range: from 0 (linear) or a decade under the smallest bar (log) to
 * a round value above the tallest bar or KDE peak. */
static void
compute_y_range (RvHistogramView *self, const Geometry *g, double *lo, double *hi, guint max_ticks)
{
  guint n_bins = rv_histogram_get_n_bins (model_of (self));
  double top = 0.0;
  double smallest = INFINITY;

  for (guint i = 0; i < n_bins; i++)
    {
      double v = bar_value (self, g, i);

      top = MAX (top, v);
      if (v > 0.0)
        smallest = MIN (smallest, v);
    }
  if (shows_kde (self))
    {
      const double *ky;
      guint n = rv_histogram_get_kde (model_of (self), NULL, &ky);
      double ks = kde_scale (self);

      for (guint i = 0; i < n; i++)
        if (isfinite (ky[i]))
          top = MAX (top, ky[i] * ks);
    }
  if (compare_has_data (self))
    {
      const guint64 *counts = rv_histogram_get_counts (self->compare);
      guint n = rv_histogram_get_n_bins (self->compare);
      double scale = compare_scale (self);
      double value;

      /* a degenerate B is one bar of all its values */
      if (rv_histogram_is_degenerate (self->compare, &value))
        {
          double v = (double) rv_histogram_get_total (self->compare) * scale;

          top = MAX (top, v);
          smallest = MIN (smallest, v);
        }
      else
        for (guint i = 0; i < n; i++)
          {
            double v = (double) counts[i] * scale;

            top = MAX (top, v);
            if (v > 0.0)
              smallest = MIN (smallest, v);
          }
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

/* A degenerate histogram's one bar about value: at least
 * DEGENERATE_MIN_PX wide, and inside the plot. */
static void
place_degenerate (const Geometry *g, double value, double *x0, double *x1)
{
  double right = g->px + g->pw;
  double half = degenerate_bar_width (value) / 2.0;
  double a = rv_plot_scale_map (&g->x.scale, value - half);
  double b = rv_plot_scale_map (&g->x.scale, value + half);
  double w = round (CLAMP (b - a, DEGENERATE_MIN_PX, g->pw));
  double centre = rv_plot_scale_map (&g->x.scale, value);

  *x0 = round (CLAMP (centre - w / 2.0, g->px, right - w));
  *x1 = *x0 + w;
}

/* The stretch (x = to + (axis x − from) × k) that keeps [lo, hi] at least
 * MIN_SPIKE_PX wide: none (1, 0, 0) when it is wide enough. */
static void
place_stretch (const Geometry *g, double lo, double hi, double *k, double *from, double *to)
{
  double right = g->px + g->pw;
  double x0 = rv_plot_scale_map (&g->x.scale, lo);
  double x1 = rv_plot_scale_map (&g->x.scale, hi);

  *k = 1.0;
  *from = *to = 0.0;
  if (x1 - x0 >= MIN_SPIKE_PX)
    return;
  *from = (x0 + x1) / 2.0;
  *to = CLAMP (*from, g->px + MIN_SPIKE_PX / 2.0, right - MIN_SPIKE_PX / 2.0);
  *k = MIN_SPIKE_PX / MAX (x1 - x0, 1e-9);
}

/* Where the bars go across: a degenerate histogram's one bar, else the
 * stretch that keeps a histogram visible; the same for B's outline. */
static void
place_bars (RvHistogramView *self, Geometry *g)
{
  double lo, hi;

  g->spike_k = 1.0;
  g->spike_from = g->spike_to = 0.0;
  if (g->degenerate)
    place_degenerate (g, g->value, &g->bar_x0, &g->bar_x1);
  else
    {
      rv_histogram_get_range (model_of (self), &lo, &hi);
      place_stretch (g, lo, hi, &g->spike_k, &g->spike_from, &g->spike_to);
    }

  g->compare_k = 1.0;
  g->compare_from = g->compare_to = 0.0;
  g->has_compare = compare_has_data (self);
  if (!g->has_compare)
    return;
  g->compare_degenerate = rv_histogram_is_degenerate (self->compare, &g->compare_value);
  if (g->compare_degenerate)
    place_degenerate (g, g->compare_value, &g->compare_x0, &g->compare_x1);
  else
    {
      rv_histogram_get_range (self->compare, &lo, &hi);
      place_stretch (g, lo, hi, &g->compare_k, &g->compare_from, &g->compare_to);
    }
}

/* Where B's value goes across. */
static double
compare_x (const Geometry *g, double value)
{
  return g->compare_to + (rv_plot_scale_map (&g->x.scale, value) - g->compare_from) * g->compare_k;
}

/* The value under x on B's stretch: compare_x undone. */
static double
compare_unmap (const Geometry *g, double x)
{
  return rv_plot_scale_unmap (&g->x.scale, g->compare_from + (x - g->compare_to) / g->compare_k);
}

typedef void (*ColumnFunc) (double x0, double x1, double v, gpointer data);

/* Calls func for each of B's columns, left to right, with its height in
 * the current mode: every bin (empty ones too, so that the outline comes
 * down between them), or a degenerate B's one bar. */
static void
for_each_compare_column (RvHistogramView *self, const Geometry *g, ColumnFunc func, gpointer data)
{
  double scale = compare_scale (self);
  guint n_bins = rv_histogram_get_n_bins (self->compare);
  const guint64 *counts = rv_histogram_get_counts (self->compare);

  if (g->compare_degenerate)
    {
      func (g->compare_x0, g->compare_x1, (double) rv_histogram_get_total (self->compare) * scale, data);
      return;
    }
  for (guint i = 0; i < n_bins; i++)
    {
      double left, right;

      rv_histogram_get_bin_edges (self->compare, i, &left, &right);
      func (compare_x (g, left), compare_x (g, right), (double) counts[i] * scale, data);
    }
}

static double
bar_x (const Geometry *g, double value)
{
  return g->spike_to + (rv_plot_scale_map (&g->x.scale, value) - g->spike_from) * g->spike_k;
}

/* The value under the plot's x: bar_x undone. */
static double
bar_unmap (const Geometry *g, double x)
{
  return rv_plot_scale_unmap (&g->x.scale, g->spike_from + (x - g->spike_to) / g->spike_k);
}

/* Bin bin's column, [*x0, *x1): in a degenerate histogram every bin's is
 * the one bar's. */
static void
bar_span (RvHistogramView *self, const Geometry *g, guint bin, double *x0, double *x1)
{
  double left, right;

  if (g->degenerate)
    {
      *x0 = g->bar_x0;
      *x1 = g->bar_x1;
      return;
    }
  rv_histogram_get_bin_edges (model_of (self), bin, &left, &right);
  *x0 = bar_x (g, left);
  *x1 = bar_x (g, right);
}

typedef void (*BarFunc) (const graphene_rect_t *bar, guint bin, gpointer data);

/* Calls func for every bar drawn (non-empty), left to right. */
static void
for_each_bar (RvHistogramView *self, const Geometry *g, BarFunc func, gpointer data)
{
  guint n_bins = rv_histogram_get_n_bins (model_of (self));
  double base = g->py + g->ph;

  for (guint i = 0; i < n_bins; i++)
    {
      double v = bar_value (self, g, i);
      double x0, x1, y, gap;
      graphene_rect_t bar;

      if (!(v > 0.0))
        continue;
      bar_span (self, g, i, &x0, &x1);
      /* A hairline between wide bars keeps them apart; narrow bars
       * would turn to stripes, so they touch. */
      gap = x1 - x0 > 4.0 && !g->degenerate ? 1.0 : 0.0;
      /* A widened spike's bins are slivers: whole pixels, or they fade. */
      if (g->spike_k > 1.0)
        {
          x0 = floor (x0);
          x1 = MAX (ceil (x1), x0 + 1.0);
        }
      y = MAX (rv_plot_scale_map (&g->y.scale, v), g->py - 1.0);
      graphene_rect_init (&bar, x0 + gap * 0.5, y, x1 - x0 - gap, base - y);
      func (&bar, i, data);
    }
}

static char *
variance_caption (RvHistogramView *self)
{
  g_autofree char *value = rv_plot_format_value (rv_histogram_get_variance (model_of (self)));
  if (compare_has_data (self))
    {
      g_autofree char *b = rv_plot_format_value (rv_histogram_get_variance (self->compare));
      /* Translators: under a histogram compared with another one, B: the
       * variances of both, such as "variance 1.03 · B: 0.52" */
      return g_strdup_printf (_("variance %s · B: %s"), value, b);
    }
  /* Translators: under a histogram; %s is a number such as 1.03 or 2e-4 */
  return g_strdup_printf (_("variance %s"), value);
}

static void
compute_geometry (RvHistogramView *self, int width, int height, Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double title_h = rv_plot_text_height (widget, 1.0, TRUE);
  double line_h = rv_plot_text_height (widget, 1.0, FALSE);
  gboolean has_note = model_of (self) != NULL && rv_histogram_get_note (model_of (self)) != NULL;
  double footer_h = has_note ? 2.0 * line_h : line_h;
  double label_h = rv_plot_text_height (widget, PANGO_SCALE_SMALL, FALSE);
  double top, bottom, left, right, widest;
  guint y_target;

  memset (g, 0, sizeof *g);
  g->title_y = RV_PLOT_PAD;
  g->footer_y = height - RV_PLOT_PAD - footer_h;
  g->note_y = g->footer_y + line_h;
  g->spike_k = 1.0;

  top = RV_PLOT_PAD + title_h + 6.0;
  bottom = g->footer_y - 6.0 - label_h - RV_PLOT_TICK - 2.0;
  if (!has_data (self) || bottom - top < 20.0)
    return;
  g->degenerate = is_degenerate (self, &g->value);
  g->fullest = g->degenerate ? fullest_bin (self) : 0;

  g->y.scale.log = self->log_y;
  y_target = MAX (2, (guint) ((bottom - top) / (label_h * 2.2)));
  compute_y_range (self, g, &g->y.scale.lo, &g->y.scale.hi, y_target);
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
  /* A degenerate histogram's label goes above its bar. */
  g->y.scale.px_hi = g->degenerate ? top + MIN (label_h + 6.0, g->ph / 3.0) : top;
  get_shown_x_range (self, &g->x.scale.lo, &g->x.scale.hi);
  g->x.scale.px_lo = left;
  g->x.scale.px_hi = right;
  g->x.scale.log = FALSE;
  /* x ticks whose labels do not touch, nor reach past the panel's edges:
   * the plot gives way where an end label would. */
  rv_plot_axis_fit_linear_ticks_inside (&g->x, widget, MAX (2, (guint) (g->pw / 60.0)), 8.0,
                                        RV_PLOT_PAD, width - RV_PLOT_PAD);
  g->px = g->x.scale.px_lo;
  g->pw = g->x.scale.px_hi - g->x.scale.px_lo;
  place_bars (self, g);
}

static void
get_colors (RvHistogramView *self, RvPlotStyle *style, GdkRGBA *bar)
{
  rv_plot_style_init (style, GTK_WIDGET (self));
  rv_plot_accent_color (style, self->color_set ? &self->color : NULL, bar);
}

/* B's colour: the one chosen, else the palette's second. */
static void
get_compare_color (RvHistogramView *self, const RvPlotStyle *style, GdkRGBA *color)
{
  if (self->compare_color_set)
    *color = self->compare_color;
  else
    rv_plot_palette_color (1, style->dark, color);
}

typedef struct
{
  cairo_t *cr;
  int hover;
  gboolean hovered;   /* draw the hovered bar, or all the others */
} BarPaint;

static void
path_bar (const graphene_rect_t *bar, guint bin, gpointer data)
{
  BarPaint *paint = data;

  if (((int) bin == paint->hover) == paint->hovered)
    cairo_rectangle (paint->cr, bar->origin.x, bar->origin.y, bar->size.width, bar->size.height);
}

static void
draw_bars (RvHistogramView *self, cairo_t *cr, const Geometry *g, const GdkRGBA *bar, int hover)
{
  /* All bars in one path, the hovered one after them at full strength. */
  for (int pass = 0; pass < 2; pass++)
    {
      BarPaint paint = { cr, hover, pass == 1 };

      for_each_bar (self, g, path_bar, &paint);
      rv_plot_set_source (cr, bar, pass == 0 ? 0.85 : 1.0);
      cairo_fill (cr);
    }
}

/* Where the KDE's point (x, density v) goes; FALSE where it has no place. */
static gboolean
kde_point (RvHistogramView *self, const Geometry *g, double x, double v, double *px, double *py)
{
  if (!isfinite (x) || !rv_plot_scale_accepts (&g->y.scale, v))
    return FALSE;
  *px = bar_x (g, x);
  /* Tails far below a log axis: keep the path near the plot. */
  *py = CLAMP (rv_plot_scale_map (&g->y.scale, v), g->py - 2.0, g->py + g->ph + 2.0);
  return TRUE;
}

static void
draw_kde (RvHistogramView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  const double *kx, *ky;
  guint n = rv_histogram_get_kde (model_of (self), &kx, &ky);
  double scale = kde_scale (self);
  gboolean pen_down = FALSE;

  for (guint i = 0; i < n; i++)
    {
      double x, y;

      if (!kde_point (self, g, kx[i], ky[i] * scale, &x, &y))
        {
          pen_down = FALSE;
          continue;
        }
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

typedef struct
{
  cairo_t *cr;
  const Geometry *g;
  gboolean started;
  double last_x;
} OutlinePath;

static void
outline_column (double x0, double x1, double v, gpointer data)
{
  OutlinePath *o = data;
  double base = o->g->py + o->g->ph;
  double y = v > 0.0 && rv_plot_scale_accepts (&o->g->y.scale, v)
               ? MAX (rv_plot_scale_map (&o->g->y.scale, v), o->g->py - 1.0) : base;

  if (!o->started)
    cairo_move_to (o->cr, x0, base);
  o->started = TRUE;
  cairo_line_to (o->cr, x0, y);
  cairo_line_to (o->cr, x1, y);
  o->last_x = x1;
}

/* B over A's bars: a step outline, faintly filled, so both stay seen. */
static void
draw_compare (RvHistogramView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  OutlinePath o = { cr, g, FALSE, 0.0 };
  GdkRGBA color;

  get_compare_color (self, style, &color);
  for_each_compare_column (self, g, outline_column, &o);
  if (!o.started)
    return;
  cairo_line_to (cr, o.last_x, g->py + g->ph);
  cairo_close_path (cr);
  rv_plot_set_source (cr, &color, 0.18);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, rv_plot_line (2.0));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  rv_plot_set_source (cr, &color, 1.0);
  cairo_stroke (cr);
}

/* "all ≈ −8.14e-12" over a degenerate histogram's bar, inside the plot. */
static void
draw_degenerate_label (RvHistogramView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  g_autofree char *text = rv_histogram_view_dup_degenerate_label (self);
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (GTK_WIDGET (self), text, PANGO_SCALE_SMALL, FALSE);
  double w, h, x;

  rv_plot_layout_size (layout, &w, &h);
  x = CLAMP ((g->bar_x0 + g->bar_x1) / 2.0 - w / 2.0, g->px + 2.0, MAX (g->px + g->pw - w - 2.0, g->px));
  rv_plot_set_source (cr, &style->fg, 0.9);
  rv_plot_show_layout (cr, layout, x, g->py + 2.0, 0.0, 0.0);
}

static void
draw_panel (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (chart);
  GtkWidget *widget = GTK_WIDGET (self);
  RvPlotStyle style;
  GdkRGBA bar;
  Geometry g;
  const char *title = rv_chart_get_title (chart);

  get_colors (self, &style, &bar);
  compute_geometry (self, width, height, &g);

  cairo_save (cr);
  rv_plot_show_title (cr, widget, &style, title != NULL ? title : "", 1.0,
                      RV_PLOT_PAD, g.title_y, width - 2 * RV_PLOT_PAD);

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
      if (hover >= 0 && (guint) hover < rv_histogram_get_n_bins (model_of (self)))
        {
          double x0, x1;

          bar_span (self, &g, hover, &x0, &x1);
          rv_plot_set_source (cr, &style.fg, 0.1);
          cairo_rectangle (cr, x0, g.py, x1 - x0, g.ph);
          cairo_fill (cr);
        }
      draw_bars (self, cr, &g, &bar, hover);
      if (shows_kde (self))
        draw_kde (self, cr, &g, &style);
      if (g.has_compare)
        draw_compare (self, cr, &g, &style);
      cairo_restore (cr);

      rv_plot_draw_axes (cr, widget, &style, g.px, g.py, g.pw, g.ph, &g.x, NULL, &g.y, width);
      if (g.degenerate)
        draw_degenerate_label (self, cr, &g, &style);
    }

  {
    g_autofree char *text = variance_caption (self);
    const char *note = model_of (self) != NULL ? rv_histogram_get_note (model_of (self)) : NULL;

    rv_plot_show_caption (cr, widget, &style, text, width / 2.0, g.footer_y);
    if (note != NULL)
      rv_plot_show_caption (cr, widget, &style, note, width / 2.0, g.note_y);
  }

  cairo_restore (cr);
}

void
rv_histogram_view_draw (RvHistogramView *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  g_return_if_fail (cr != NULL);

  rv_chart_draw (RV_CHART (self), cr, width, height);
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

static void
add_bar_rect (const graphene_rect_t *bar, guint bin, gpointer data)
{
  rv_chart_geometry_add_rect (data, bar->origin.x, bar->origin.y, bar->size.width, bar->size.height);
}

typedef struct
{
  RvChartGeometry *geometry;
  const Geometry *g;
} CompareRects;

static void
add_compare_rect (double x0, double x1, double v, gpointer data)
{
  CompareRects *c = data;
  double base = c->g->py + c->g->ph;

  if (v > 0.0 && rv_plot_scale_accepts (&c->g->y.scale, v))
    {
      double y = MAX (rv_plot_scale_map (&c->g->y.scale, v), c->g->py - 1.0);
      rv_chart_geometry_add_rect (c->geometry, x0, y, x1 - x0, base - y);
    }
}

static void
rv_histogram_view_collect_geometry (RvChart *chart, int width, int height, RvChartGeometry *geometry)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (chart);
  Geometry g;

  compute_geometry (self, width, height, &g);
  if (!g.has_plot)
    return;
  for_each_bar (self, &g, add_bar_rect, geometry);
  if (g.has_compare)
    {
      CompareRects c = { geometry, &g };
      for_each_compare_column (self, &g, add_compare_rect, &c);
    }
  if (shows_kde (self))
    {
      const double *kx, *ky;
      guint n = rv_histogram_get_kde (model_of (self), &kx, &ky);
      double scale = kde_scale (self);
      gboolean have_last = FALSE;
      double last_x = 0.0, last_y = 0.0;

      for (guint i = 0; i < n; i++)
        {
          double x, y;

          if (!kde_point (self, &g, kx[i], ky[i] * scale, &x, &y))
            {
              have_last = FALSE;
              continue;
            }
          if (have_last)
            rv_chart_geometry_add_segment (geometry, last_x, last_y, x, y);
          last_x = x;
          last_y = y;
          have_last = TRUE;
        }
    }
}

/* h's bin holding value v, or -1 outside its range (with a shared or
 * overridden axis the data may not fill it). */
static int
bin_of_value (RvHistogram *h, double v)
{
  guint n_bins = rv_histogram_get_n_bins (h);
  double lo, hi, left, right;
  int bin;

  rv_histogram_get_range (h, &lo, &hi);
  if (v < lo || v > hi)
    return -1;
  bin = (int) CLAMP (floor ((v - lo) / (hi - lo) * n_bins), 0, n_bins - 1);
  /* The guess may be off by one at an edge; the edges themselves decide. */
  rv_histogram_get_bin_edges (h, bin, &left, &right);
  if (v < left && bin > 0)
    bin--;
  else if (v >= right && bin + 1 < (int) n_bins)
    bin++;
  return bin;
}

static int
bin_at_size (RvHistogramView *self, int width, int height, double x, double y)
{
  Geometry g;

  compute_geometry (self, width, height, &g);
  if (!g.has_plot || x < g.px || x > g.px + g.pw || y < g.py || y > g.py + g.ph)
    return -1;

  if (g.degenerate)
    return x >= g.bar_x0 && x < g.bar_x1 ? (int) g.fullest : -1;

  return bin_of_value (model_of (self), bar_unmap (&g, x));
}

int
rv_histogram_view_bin_at (RvHistogramView *self, double x, double y)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), -1);

  return bin_at_size (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), x, y);
}

char *
rv_histogram_view_describe_compare_at (RvHistogramView *self, double x, double y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Geometry g;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  compute_geometry (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), &g);
  if (!g.has_plot || !g.has_compare || x < g.px || x > g.px + g.pw || y < g.py || y > g.py + g.ph)
    return NULL;
  if (g.compare_degenerate)
    {
      g_autofree char *value = NULL;
      g_autofree char *count = NULL;

      if (x < g.compare_x0 || x >= g.compare_x1)
        return NULL;
      value = rv_plot_format_value (g.compare_value);
      count = rv_plot_format_count (rv_histogram_get_total (self->compare));
      /* Translators: the one bar of values all about equal, as over a histogram: "all ≈ 0.5: 784" */
      return g_strdup_printf (_("all ≈ %s: %s"), value, count);
    }

  int bin = bin_of_value (self->compare, compare_unmap (&g, x));
  return bin >= 0 ? rv_histogram_describe_stats_bin (rv_histogram_get_stats (self->compare), bin) : NULL;
}

char *
rv_histogram_view_describe_bin (RvHistogramView *self, int bin)
{
  char *text;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  if (!has_data (self) || bin < 0 || (guint) bin >= rv_histogram_get_n_bins (model_of (self)))
    return NULL;
  if (is_degenerate (self, NULL))
    {
      g_autofree char *label = rv_histogram_view_dup_degenerate_label (self);
      g_autofree char *count_text = NULL;

      if ((guint) bin != fullest_bin (self))
        return NULL;
      count_text = rv_plot_format_count (rv_histogram_get_total (model_of (self)));
      /* Translators: the one bar of a histogram whose values are all
       * (about) equal: "all ≈ 0.5" and how many values, "all ≈ 0.5: 784" */
      return g_strdup_printf (_("%s: %s"), label, count_text);
    }

  text = rv_histogram_describe_stats_bin (rv_histogram_get_stats (model_of (self)), bin);

  if (self->y_mode == RV_HISTOGRAM_Y_DENSITY)
    {
      g_autofree char *density = rv_plot_format_value (rv_histogram_get_density (model_of (self), bin));
      g_autofree char *with_density = g_strdup_printf (_("%s (density %s)"), text, density);

      g_free (text);
      text = g_steal_pointer (&with_density);
    }
  return text;
}

/* The summary of the moments, without the note. */
static char *
moments_summary (RvHistogramView *self)
{
  const char *title;
  g_autofree char *variance = NULL;
  g_autofree char *mean = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  title = model_of (self) != NULL ? rv_histogram_get_title (model_of (self)) : "";
  if (title[0] == '\0')
    title = _("Histogram");
  if (!has_data (self))
    return g_strdup_printf (_("%s: no data"), title);
  if (is_degenerate (self, NULL))
    {
      g_autofree char *label = rv_histogram_view_dup_degenerate_label (self);

      variance = rv_plot_format_value (rv_histogram_get_variance (model_of (self)));
      /* Translators: title: a histogram whose values are all about the same
       * ("all ≈ −8.14e-12"), and their variance */
      return g_strdup_printf (_("%s: %s, variance %s"), title, label, variance);
    }

  variance = rv_plot_format_value (rv_histogram_get_variance (model_of (self)));
  mean = rv_plot_format_value (rv_histogram_get_mean (model_of (self)));
  min = rv_plot_format_value (rv_histogram_get_min (model_of (self)));
  max = rv_plot_format_value (rv_histogram_get_max (model_of (self)));
  /* Translators: title: variance, mean, range min to max of a histogram */
  return g_strdup_printf (_("%s: variance %s, mean %s, range %s to %s"),
                          title, variance, mean, min, max);
}

char *
rv_histogram_view_dup_summary (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  char *summary = moments_summary (self);
  if (compare_has_data (self))
    {
      g_autofree char *variance = rv_plot_format_value (rv_histogram_get_variance (self->compare));
      g_autofree char *mean = rv_plot_format_value (rv_histogram_get_mean (self->compare));
      /* Translators: a histogram's summary, then that of the one drawn over it, B */
      char *with_b = g_strdup_printf (_("%s; compared with B: variance %s, mean %s"), summary, variance, mean);
      g_free (summary);
      summary = with_b;
    }
  const char *note = model_of (self) != NULL ? rv_histogram_get_note (model_of (self)) : NULL;
  if (note == NULL)
    return summary;
  /* Translators: a histogram's summary, then its note ("dead: 12 % of units") */
  char *with_note = g_strdup_printf (_("%s; %s"), summary, note);
  g_free (summary);
  return with_note;
}

char *
rv_histogram_view_dup_caption (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  if (model_of (self) == NULL)
    return g_strdup ("");
  g_autofree char *variance = variance_caption (self);
  const char *note = rv_histogram_get_note (model_of (self));
  return note != NULL ? g_strdup_printf ("%s\n%s", variance, note) : g_steal_pointer (&variance);
}

gboolean
rv_histogram_view_is_degenerate (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), FALSE);
  return is_degenerate (self, NULL);
}

char *
rv_histogram_view_dup_degenerate_label (RvHistogramView *self)
{
  double value;
  g_autofree char *text = NULL;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);

  if (!is_degenerate (self, &value))
    return NULL;
  text = rv_plot_format_value (value);
  /* Translators: over the one bar of a histogram whose values are all
   * equal, or too close to tell apart: "all ≈ −8.14e-12" */
  return g_strdup_printf (_("all ≈ %s"), text);
}

guint
rv_histogram_view_get_x_ticks (RvHistogramView *self, int width, int height, double *ticks, double *step)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), 0);

  compute_geometry (self, width, height, &g);
  return g.has_plot ? rv_plot_axis_copy_ticks (&g.x, ticks, step) : 0;
}

static void
rv_histogram_view_data_changed (RvChart *chart)
{
  RvHistogram *model = model_of (RV_HISTOGRAM_VIEW (chart));

  /* The panel is titled by its model; the base falls back to "Histogram". */
  rv_chart_set_title (chart, model != NULL ? rv_histogram_get_title (model) : NULL);
  RV_CHART_CLASS (rv_histogram_view_parent_class)->data_changed (chart);
}

static void
rv_histogram_view_pointer_changed (RvChart *chart)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (chart);
  double x, y;
  int bin = rv_chart_get_pointer (chart, &x, &y) ? rv_histogram_view_bin_at (self, x, y) : -1;

  if (self->hover_bin == bin)
    return;
  self->hover_bin = bin;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static char *
rv_histogram_view_dup_tooltip (RvChart *chart, double x, double y)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (chart);
  g_autofree char *a = rv_histogram_view_describe_bin (self, rv_histogram_view_bin_at (self, x, y));
  g_autofree char *b = rv_histogram_view_describe_compare_at (self, x, y);

  if (b == NULL)
    return g_steal_pointer (&a);
  /* Translators: a tooltip over two histograms, A's bin then B's: "B: [0.1, 0.2): 1,234" */
  g_autofree char *b_line = g_strdup_printf (_("B: %s"), b);
  return a != NULL ? g_strdup_printf ("%s\n%s", a, b_line) : g_steal_pointer (&b_line);
}

static char *
rv_histogram_view_dup_chart_summary (RvChart *chart)
{
  return rv_histogram_view_dup_summary (RV_HISTOGRAM_VIEW (chart));
}

static void
rv_histogram_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (object);

  switch (prop_id)
    {
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
    case PROP_COMPARE:
      g_value_set_object (value, self->compare);
      break;
    case PROP_COMPARE_COLOR:
      g_value_set_boxed (value, self->compare_color_set ? &self->compare_color : NULL);
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
    case PROP_COMPARE:
      rv_histogram_view_set_compare (self, g_value_get_object (value));
      break;
    case PROP_COMPARE_COLOR:
      rv_histogram_view_set_compare_color (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
compare_changed (RvHistogramView *self)
{
  rv_chart_data_changed (RV_CHART (self));
}

static void
rv_histogram_view_dispose (GObject *object)
{
  RvHistogramView *self = RV_HISTOGRAM_VIEW (object);

  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_func (self->compare, compare_changed, self);
  g_clear_object (&self->compare);
  G_OBJECT_CLASS (rv_histogram_view_parent_class)->dispose (object);
}

static void
rv_histogram_view_class_init (RvHistogramViewClass *klass)
{
  static const char *const model_signals[] = { "changed", NULL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rv_histogram_view_dispose;
  object_class->get_property = rv_histogram_view_get_property;
  object_class->set_property = rv_histogram_view_set_property;

  chart_class->model_type = RV_TYPE_HISTOGRAM;
  chart_class->model_signals = model_signals;
  chart_class->fallback_label = _("Histogram");
  chart_class->min_width = 220;
  chart_class->min_height = 170;
  chart_class->natural_width = 280;
  chart_class->natural_height = 220;
  chart_class->draw = draw_panel;
  chart_class->dup_summary = rv_histogram_view_dup_chart_summary;
  chart_class->dup_tooltip = rv_histogram_view_dup_tooltip;
  chart_class->pointer_changed = rv_histogram_view_pointer_changed;
  chart_class->data_changed = rv_histogram_view_data_changed;
  chart_class->collect_geometry = rv_histogram_view_collect_geometry;

  properties[PROP_SHOW_KDE] = g_param_spec_boolean ("show-kde", NULL, NULL, FALSE, flags);
  properties[PROP_Y_MODE] = g_param_spec_enum ("y-mode", NULL, NULL, RV_TYPE_HISTOGRAM_Y_MODE,
                                               RV_HISTOGRAM_Y_COUNT, flags);
  properties[PROP_LOG_Y] = g_param_spec_boolean ("log-y", NULL, NULL, FALSE, flags);
  properties[PROP_COLOR] = g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA, flags);
  properties[PROP_COMPARE] = g_param_spec_object ("compare", NULL, NULL, RV_TYPE_HISTOGRAM, flags);
  properties[PROP_COMPARE_COLOR] = g_param_spec_boxed ("compare-color", NULL, NULL, GDK_TYPE_RGBA, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "histogramview");
}

static void
rv_histogram_view_init (RvHistogramView *self)
{
  self->hover_bin = -1;
  self->y_mode = RV_HISTOGRAM_Y_COUNT;
  /* The accessible label and description before any model. */
  rv_chart_data_changed (RV_CHART (self));
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

  rv_chart_set_model (RV_CHART (self), model);
}

RvHistogram *
rv_histogram_view_get_model (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);
  return model_of (self);
}

void
rv_histogram_view_set_show_kde (RvHistogramView *self, gboolean show_kde)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->show_kde, show_kde, properties[PROP_SHOW_KDE]);
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
  rv_chart_layout_changed (RV_CHART (self));
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

  rv_chart_set_boolean (RV_CHART (self), &self->log_y, log_y, properties[PROP_LOG_Y]);
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
  rv_chart_layout_changed (RV_CHART (self));
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

void
rv_histogram_view_set_compare (RvHistogramView *self, RvHistogram *compare)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  g_return_if_fail (compare == NULL || RV_IS_HISTOGRAM (compare));

  if (self->compare == compare)
    return;
  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_func (self->compare, compare_changed, self);
  g_set_object (&self->compare, compare);
  if (compare != NULL)
    g_signal_connect_swapped (compare, "changed", G_CALLBACK (compare_changed), self);
  rv_chart_data_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
}

RvHistogram *
rv_histogram_view_get_compare (RvHistogramView *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_VIEW (self), NULL);
  return self->compare;
}

void
rv_histogram_view_set_compare_color (RvHistogramView *self, const GdkRGBA *color)
{
  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));

  if (!rv_plot_optional_color_set (&self->compare_color_set, &self->compare_color, color))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE_COLOR]);
}

void
rv_histogram_view_get_compare_outline_color (RvHistogramView *self, GdkRGBA *color)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_HISTOGRAM_VIEW (self));
  rv_plot_style_init (&style, GTK_WIDGET (self));
  get_compare_color (self, &style, color);
}
