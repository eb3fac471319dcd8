/* rv-ridgeline-view.c: a histogram history drawn as a ridgeline with cairo.
 *
 * Layout: title on top; the slices, each on a baseline placed by its step
 * (the whole history's steps span the height less one slice's height, the
 * first step at the top); step labels in a column on the right; value
 * ticks underneath; the current snapshot's step and variance at the bottom.
 * One geometry function serves drawing, hit-testing and the tests, so what
 * is read out under the pointer is what is drawn there. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-histogram.h"
#include "rv-plot.h"
#include "rv-ridgeline-view.h"

#define MIN_SLICE_GAP 5.0 /* least distance between drawn baselines, in px */
#define X_MARGIN 0.03     /* of the value range, on either side */
#define MIN_SLICE_PX 6.0  /* the narrowest a slice is drawn */

struct _RvRidgelineView
{
  RvChart parent_instance;

  guint current;
  /* The step chosen by set_current: after decimation current is the
   * snapshot at or before it, so repeated thinning never drifts it. */
  guint64 anchor_step;
  gboolean follow;
  RvRidgelineRangeMode range_mode;
  guint recent_count;
  gboolean stepped;
  gboolean color_set;
  GdkRGBA color;

  /* Indices of the slices drawn, front (current) to back; grown with the
   * model, never per frame. */
  guint *shown;
  guint shown_allocated;
};

G_DEFINE_FINAL_TYPE (RvRidgelineView, rv_ridgeline_view, RV_TYPE_CHART)

G_DEFINE_ENUM_TYPE (RvRidgelineRangeMode, rv_ridgeline_range_mode,
                    G_DEFINE_ENUM_VALUE (RV_RIDGELINE_RANGE_RECENT, "recent"),
                    G_DEFINE_ENUM_VALUE (RV_RIDGELINE_RANGE_WHOLE, "whole"))

enum
{
  PROP_0,
  PROP_CURRENT,
  PROP_FOLLOW,
  PROP_RANGE_MODE,
  PROP_RECENT_COUNT,
  PROP_STEPPED,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  double title_y;          /* top of the title */
  double footer_y;         /* top of the step and variance line */
  double label_h;          /* height of a tick label */
  gboolean has_plot;       /* data, and room to draw it */
  double px, py, pw, ph;   /* the plot area: slices and their peaks */
  double amp;              /* a slice's height: its tallest bin */
  RvPlotAxis x;            /* value -> x */
  RvPlotAxis s;            /* step -> baseline y: whole steps only */
  guint n_shown;           /* self->shown[0 .. n_shown) */
} Geometry;

static RvHistogramHistory *
model_of (RvRidgelineView *self)
{
  return rv_chart_get_model (RV_CHART (self));
}

static guint
n_snapshots (RvRidgelineView *self)
{
  return model_of (self) != NULL ? rv_histogram_history_get_n (model_of (self)) : 0;
}

static gboolean
has_data (RvRidgelineView *self)
{
  return n_snapshots (self) > 0;
}

/* The step of the snapshot shown as now (needs data). */
static guint64
current_step (RvRidgelineView *self)
{
  return rv_histogram_history_get_step (model_of (self), self->current);
}

static const char *
title_of (RvRidgelineView *self)
{
  const char *title = rv_chart_get_title (RV_CHART (self));

  return title != NULL ? title : "";
}

static double
baseline_of (const Geometry *g, RvHistogramHistory *model, guint index)
{
  return rv_plot_scale_map (&g->s.scale, (double) rv_histogram_history_get_step (model, index));
}

/* The slice's height at value as a fraction of its tallest bin: the
 * stepped outline, or the straight line between bin centres that the
 * smooth curve follows closely. */
static double
height_at (RvRidgelineView *self, guint index, double value)
{
  const RvStats *s = rv_histogram_history_get_stats (model_of (self), index);
  guint64 peak = rv_histogram_history_get_peak (model_of (self), index);
  double width, t, left_h, right_h;
  int k;

  if (peak == 0 || s->n_bins == 0 || !(value >= s->lo && value <= s->hi))
    return 0.0;
  width = (s->hi - s->lo) / s->n_bins;
  if (self->stepped)
    {
      k = (int) CLAMP (floor ((value - s->lo) / width), 0, (double) s->n_bins - 1);
      return (double) s->counts[k] / peak;
    }

  /* Between centre k and centre k + 1; the range's ends are at zero. */
  t = (value - s->lo) / width - 0.5;
  k = (int) floor (t);
  left_h = k >= 0 ? (double) s->counts[k] / peak : 0.0;
  right_h = k + 1 < (int) s->n_bins ? (double) s->counts[k + 1] / peak : 0.0;
  t -= k;
  /* The half bins at either end reach down to the range's edges. */
  if (k < 0)
    t = t * 2.0 - 1.0;
  else if (k + 1 >= (int) s->n_bins)
    t = t * 2.0;
  t = CLAMP (t, 0.0, 1.0);
  return left_h + (right_h - left_h) * t;
}

static void
range_indices (RvRidgelineView *self, guint *first, guint *count)
{
  guint end = self->current + 1;

  *first = 0;
  if (self->range_mode == RV_RIDGELINE_RANGE_RECENT && end > self->recent_count)
    *first = end - self->recent_count;
  *count = end - *first;
}

gboolean
rv_ridgeline_view_get_x_range (RvRidgelineView *self, double *lo, double *hi)
{
  double l = 0.0, h = 1.0;
  guint first, count;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), FALSE);

  if (has_data (self))
    {
      range_indices (self, &first, &count);
      l = INFINITY;
      h = -INFINITY;
      /* A snapshot of values all alike spans its values, not the range its
       * histogram was widened to. */
      for (guint i = first; i < first + count; i++)
        {
          const RvStats *st = rv_histogram_history_get_stats (model_of (self), i);
          gboolean spike = st->n > 0 && rv_histogram_range_is_degenerate (st->min, st->max);

          l = MIN (l, spike ? st->min : st->lo);
          h = MAX (h, spike ? st->max : st->hi);
        }
    }
  if (lo != NULL)
    *lo = l;
  if (hi != NULL)
    *hi = h;
  return has_data (self);
}

/* Step ticks: whole steps only. */
static void
compute_step_ticks (Geometry *g, double lo, double hi)
{
  guint target = MAX (2, (guint) ((g->s.scale.px_hi - g->s.scale.px_lo) / (g->label_h * 2.5)));
  double ticks[RV_PLOT_MAX_TICKS];
  guint n;

  g->s.n_ticks = 0;
  if (!(hi > lo))
    return;
  /* No more ticks than steps: the step is then at least 1, so whole. */
  target = (guint) MIN ((double) target, MAX (1.0, hi - lo));
  n = rv_plot_ticks_linear (lo, hi, target, ticks, NULL);
  for (guint i = 0; i < n; i++)
    if (ticks[i] == floor (ticks[i]))
      g->s.ticks[g->s.n_ticks++] = ticks[i];
}

/* Picks the slices to draw, front to back: the current one, then each
 * earlier one at least MIN_SLICE_GAP above the last one picked, so dense
 * recent history thins out on screen instead of turning into a smear. */
static void
choose_slices (RvRidgelineView *self, Geometry *g)
{
  guint n = n_snapshots (self);
  double last_y = G_MAXDOUBLE;

  if (self->shown_allocated < n)
    {
      self->shown_allocated = MAX (n, self->shown_allocated * 2);
      self->shown = g_renew (guint, self->shown, self->shown_allocated);
    }

  g->n_shown = 0;
  for (guint i = self->current + 1; i-- > 0;)
    {
      double y = baseline_of (g, model_of (self), i);

      if (g->n_shown == 0 || y <= last_y - MIN_SLICE_GAP)
        {
          self->shown[g->n_shown++] = i;
          last_y = y;
        }
    }
}

static void
compute_geometry (RvRidgelineView *self, int width, int height, Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double title_h = rv_plot_text_height (widget, 1.0, TRUE);
  double footer_h = rv_plot_text_height (widget, 1.0, FALSE);
  double top, bottom, left, right, column, lo, hi, margin;
  guint n = n_snapshots (self);
  guint64 first_step, last_step;

  memset (g, 0, sizeof *g);
  g->label_h = rv_plot_text_height (widget, PANGO_SCALE_SMALL, FALSE);
  g->title_y = RV_PLOT_PAD;
  g->footer_y = height - RV_PLOT_PAD - footer_h;

  top = ceil (RV_PLOT_PAD + title_h + 8.0);
  bottom = floor (g->footer_y - 6.0 - g->label_h - RV_PLOT_TICK - 2.0);
  if (n == 0 || bottom - top < 40.0)
    return;

  first_step = rv_histogram_history_get_step (model_of (self), 0);
  last_step = rv_histogram_history_get_step (model_of (self), n - 1);

  /* The step column fits the longest step label, bold (the current one),
   * and the axis caption. */
  {
    g_autofree char *longest = rv_plot_format_count (last_step);

    column = MAX (rv_plot_text_width (widget, longest, PANGO_SCALE_SMALL, TRUE),
                  rv_plot_text_width (widget, _("step"), PANGO_SCALE_SMALL, FALSE));
  }
  left = ceil (RV_PLOT_PAD + 2.0);
  right = floor (width - RV_PLOT_PAD - column - RV_PLOT_GAP - RV_PLOT_TICK);
  if (right - left < 40.0)
    return;

  g->has_plot = TRUE;
  g->px = left;
  g->py = top;
  g->pw = right - left;
  g->ph = bottom - top;

  /* One slice alone gets most of the height; in a stack each rises over
   * several of those behind it, which is what makes a ridgeline. */
  g->amp = n == 1 || first_step == last_step ? g->ph * 0.85 : MAX (24.0, g->ph * 0.3);
  g->amp = MIN (g->amp, g->ph);
  /* A single step sits on the bottom baseline. */
  g->s.scale.hi = (double) last_step;
  g->s.scale.lo = first_step < last_step ? (double) first_step : g->s.scale.hi - 1.0;
  g->s.scale.px_lo = top + g->amp;
  g->s.scale.px_hi = bottom;
  g->s.scale.log = FALSE;
  compute_step_ticks (g, (double) first_step, (double) last_step);

  rv_ridgeline_view_get_x_range (self, &lo, &hi);
  /* Values all alike (to float resolution) get an axis around their
   * value at its own scale, not ticks apart in the fifth digit. */
  if (rv_histogram_range_is_degenerate (lo, hi))
    rv_histogram_degenerate_axis (lo + (hi - lo) / 2.0, &lo, &hi);
  margin = (hi - lo) * X_MARGIN;
  g->x.scale.lo = lo - margin;
  g->x.scale.hi = hi + margin;
  g->x.scale.px_lo = left;
  g->x.scale.px_hi = right;
  g->x.scale.log = FALSE;
  /* x ticks whose labels do not touch, nor reach past the chart's left
   * edge or under the step labels: the values give way where one would
   * (the axes stay). */
  rv_plot_axis_fit_linear_ticks_inside (&g->x, widget, MAX (2, (guint) (g->pw / 70.0)), 10.0,
                                        RV_PLOT_PAD, right + RV_PLOT_TICK + RV_PLOT_GAP);

  choose_slices (self, g);
}

static void
get_colors (RvRidgelineView *self, RvPlotStyle *style, GdkRGBA *color)
{
  rv_plot_style_init (style, GTK_WIDGET (self));
  rv_plot_accent_color (style, self->color_set ? &self->color : NULL, color);
}

/* A quadratic Bézier from (x0, y0) through control (cx, cy) to (x1, y1),
 * as the cubic cairo draws. */
static void
quad_to (cairo_t *cr, double x0, double y0, double cx, double cy, double x1, double y1)
{
  cairo_curve_to (cr,
                  x0 + 2.0 / 3.0 * (cx - x0), y0 + 2.0 / 3.0 * (cy - y0),
                  x1 + 2.0 / 3.0 * (cx - x1), y1 + 2.0 / 3.0 * (cy - y1),
                  x1, y1);
}

/* The slice's outline over [lo, hi] as a closed path, or with ground_line
 * flat along its baseline across the whole plot too (only the front slice
 * gets one: a line per slice would hatch the chart).  The smooth curve is
 * the quadratic B-spline of the bin tops: it never dips below the baseline
 * or rises over the peak. */
static void
slice_path (RvRidgelineView *self, cairo_t *cr, const Geometry *g, guint index, double base,
            gboolean ground_line)
{
  const RvStats *s = rv_histogram_history_get_stats (model_of (self), index);
  guint64 peak = rv_histogram_history_get_peak (model_of (self), index);
  double scale = peak > 0 ? g->amp / (double) peak : 0.0;
  double x_lo = rv_plot_scale_map (&g->x.scale, s->lo);
  double x_hi = rv_plot_scale_map (&g->x.scale, s->hi);
  double bin_w;
  gboolean spike = s->n > 0 && rv_histogram_range_is_degenerate (s->min, s->max);

  /* Too narrow to see (a spike on a wide axis): widened about its
   * middle; values all alike are one block, all of its height. */
  if (spike || x_hi - x_lo < MIN_SLICE_PX)
    {
      double middle = spike ? rv_plot_scale_map (&g->x.scale, s->min + (s->max - s->min) / 2.0)
                            : (x_lo + x_hi) / 2.0;

      x_lo = MIN (x_lo, middle - MIN_SLICE_PX / 2.0);
      x_hi = MAX (x_hi, middle + MIN_SLICE_PX / 2.0);
      if (spike)
        {
          x_lo = middle - MIN_SLICE_PX / 2.0;
          x_hi = middle + MIN_SLICE_PX / 2.0;
        }
    }
  bin_w = (x_hi - x_lo) / MAX (s->n_bins, 1u);

  cairo_move_to (cr, ground_line ? g->px - 2.0 : x_lo, base);
  if (spike && peak > 0)
    {
      cairo_line_to (cr, x_lo, base);
      cairo_line_to (cr, x_lo, base - g->amp);
      cairo_line_to (cr, x_hi, base - g->amp);
      cairo_line_to (cr, x_hi, base);
    }
  else if (peak > 0 && s->n_bins > 0)
    {
      cairo_line_to (cr, x_lo, base);
      if (self->stepped)
        {
          for (guint32 k = 0; k < s->n_bins; k++)
            {
              double y = base - (double) s->counts[k] * scale;

              cairo_line_to (cr, x_lo + k * bin_w, y);
              cairo_line_to (cr, x_lo + (k + 1) * bin_w, y);
            }
          cairo_line_to (cr, x_hi, base);
        }
      else
        {
          double cur_x = x_lo, cur_y = base;

          for (guint32 k = 0; k < s->n_bins; k++)
            {
              double cx = x_lo + (k + 0.5) * bin_w;
              double cy = base - (double) s->counts[k] * scale;
              double nx, ny;

              if (k + 1 < s->n_bins)
                {
                  nx = cx + 0.5 * bin_w;
                  ny = (cy + base - (double) s->counts[k + 1] * scale) * 0.5;
                }
              else
                {
                  nx = x_hi;
                  ny = base;
                }
              quad_to (cr, cur_x, cur_y, cx, cy, nx, ny);
              cur_x = nx;
              cur_y = ny;
            }
        }
    }
  cairo_line_to (cr, ground_line ? g->px + g->pw + 2.0 : x_hi, base);
  cairo_close_path (cr);
}

/* How far along from the first snapshot to current index is: 0 at the
 * back, 1 in front; the fading follows it. */
static double
age_fraction (RvRidgelineView *self, guint index)
{
  double first = (double) rv_histogram_history_get_step (model_of (self), 0);
  double now = (double) current_step (self);
  double step = (double) rv_histogram_history_get_step (model_of (self), index);

  return now > first ? CLAMP ((step - first) / (now - first), 0.0, 1.0) : 1.0;
}

static void
draw_slices (RvRidgelineView *self, cairo_t *cr, const Geometry *g,
             const RvPlotStyle *style, const GdkRGBA *color)
{
  /* Back to front, each fill opaque so it hides what is behind it. */
  for (guint j = g->n_shown; j-- > 0;)
    {
      guint i = self->shown[j];
      double t = age_fraction (self, i);
      gboolean front = j == 0;
      GdkRGBA fill, line;

      if (front)
        {
          /* Over the background, which is opaque, each fill is opaque too. */
          rv_plot_mix (&style->bg, color, 0.6, &fill);
          line = *color;
          cairo_set_line_width (cr, rv_plot_line (1.75));
        }
      else
        {
          rv_plot_mix (&style->bg, color, 0.08 + 0.32 * t, &fill);
          rv_plot_mix (&style->bg, color, 0.3 + 0.6 * t, &line);
          cairo_set_line_width (cr, rv_plot_line (1.0));
        }
      slice_path (self, cr, g, i, baseline_of (g, model_of (self), i), front);
      rv_plot_set_source (cr, &fill, 1.0);
      cairo_fill_preserve (cr);
      rv_plot_set_source (cr, &line, 1.0);
      cairo_stroke (cr);
    }
}

static void
draw_axes (RvRidgelineView *self, cairo_t *cr, int width, const Geometry *g,
           const RvPlotStyle *style, const GdkRGBA *color)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double base = g->py + g->ph;
  double axis_x = g->px + g->pw + 0.5;
  double current_y = round (rv_plot_scale_map (&g->s.scale, (double) current_step (self)));
  g_autofree char *current_text = rv_plot_format_count (current_step (self));

  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.5);
  /* The value axis under the front slice, ticks down. */
  cairo_move_to (cr, g->px, base + 0.5);
  cairo_line_to (cr, g->px + g->pw, base + 0.5);
  rv_plot_path_x_ticks (cr, &g->x, base);
  /* The step axis along the baselines, ticks out to the right. */
  cairo_move_to (cr, axis_x, g->s.scale.px_lo);
  cairo_line_to (cr, axis_x, base + 0.5);
  for (guint i = 0; i < g->s.n_ticks; i++)
    {
      double y = round (rv_plot_scale_map (&g->s.scale, g->s.ticks[i])) + 0.5;

      cairo_move_to (cr, axis_x, y);
      cairo_line_to (cr, axis_x + RV_PLOT_TICK, y);
    }
  cairo_stroke (cr);

  rv_plot_set_source (cr, &style->fg, 0.8);
  rv_plot_show_x_labels (cr, widget, &g->x, NULL, base, width);

  for (guint i = 0; i < g->s.n_ticks; i++)
    {
      g_autofree char *text = rv_plot_format_count ((guint64) g->s.ticks[i]);
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, PANGO_SCALE_SMALL, FALSE);
      double y = rv_plot_scale_map (&g->s.scale, g->s.ticks[i]);

      /* The current step's own label takes precedence. */
      if (fabs (y - current_y) < g->label_h)
        continue;
      /* Steps after current are hidden: their labels fade too. */
      rv_plot_set_source (cr, &style->fg, g->s.ticks[i] > (double) current_step (self) ? 0.35 : 0.8);
      rv_plot_show_layout (cr, layout, axis_x + RV_PLOT_TICK + RV_PLOT_GAP, y, 0.0, 0.5);
    }

  {
    g_autoptr (PangoLayout) caption = rv_plot_layout_new (widget, _("step"), PANGO_SCALE_SMALL, FALSE);

    rv_plot_set_source (cr, &style->fg, 0.6);
    rv_plot_show_layout (cr, caption, axis_x + RV_PLOT_TICK + RV_PLOT_GAP, g->py, 0.0, 0.0);
  }

  /* The current step: a marker on the axis pointing at its slice. */
  {
    g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, current_text, PANGO_SCALE_SMALL, TRUE);

    cairo_move_to (cr, axis_x - 1.0, current_y + 0.5);
    cairo_line_to (cr, axis_x + RV_PLOT_TICK + 1.0, current_y + 0.5 - 4.0);
    cairo_line_to (cr, axis_x + RV_PLOT_TICK + 1.0, current_y + 0.5 + 4.0);
    cairo_close_path (cr);
    rv_plot_set_source (cr, color, 1.0);
    cairo_fill (cr);
    rv_plot_set_source (cr, &style->fg, 1.0);
    rv_plot_show_layout (cr, layout, axis_x + RV_PLOT_TICK + RV_PLOT_GAP, current_y + 0.5, 0.0, 0.5);
  }
}

/* The drawn slices' outlines as line segments: the paths draw_slices
 * fills, flattened. */
static void
rv_ridgeline_view_collect_geometry (RvChart *chart, int width, int height, RvChartGeometry *geometry)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (chart);
  cairo_t *cr;
  Geometry g;

  compute_geometry (self, width, height, &g);
  if (!g.has_plot)
    return;
  cr = rv_plot_scratch_cairo ();
  for (guint j = 0; j < g.n_shown; j++)
    {
      guint i = self->shown[j];

      cairo_new_path (cr);
      slice_path (self, cr, &g, i, baseline_of (&g, model_of (self), i), FALSE);
      rv_chart_geometry_add_path (geometry, cr);
    }
  cairo_destroy (cr);
}

static gboolean
pick_in (RvRidgelineView *self, const Geometry *g, double x, double y, guint *index, double *value)
{
  double v;
  int below = -1;

  if (!g->has_plot || g->n_shown == 0
      || x < g->px || x > g->px + g->pw || y < g->py || y > g->py + g->ph)
    return FALSE;

  v = rv_plot_scale_unmap (&g->x.scale, x);
  /* Front to back: the first slice whose area holds the point is the one
   * seen there. */
  for (guint j = 0; j < g->n_shown; j++)
    {
      guint i = self->shown[j];
      double base = baseline_of (g, model_of (self), i);
      double top = base - height_at (self, i, v) * g->amp;

      if (y <= base + 1.0 && y >= top - 1.0)
        {
          *index = i;
          *value = v;
          return TRUE;
        }
      if (base >= y)
        below = (int) j;
    }
  /* Over empty space: the row of the baseline next below. */
  *index = self->shown[below >= 0 ? (guint) below : 0];
  *value = v;
  return TRUE;
}

static void
draw_hover (RvRidgelineView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  g_autofree char *text = NULL;
  double base, x, y, pointer_x, pointer_y;
  guint index;
  double value;

  if (!rv_chart_get_pointer (RV_CHART (self), &pointer_x, &pointer_y)
      || !pick_in (self, g, pointer_x, pointer_y, &index, &value))
    return;

  /* The hovered slice's whole outline, over whatever hides part of it. */
  base = baseline_of (g, model_of (self), index);
  cairo_save (cr);
  cairo_rectangle (cr, g->px, g->py - 2.0, g->pw, g->ph + 4.0);
  cairo_clip (cr);
  slice_path (self, cr, g, index, base, FALSE);
  cairo_set_line_width (cr, rv_plot_line (1.5));
  rv_plot_set_source (cr, &style->fg, 0.85);
  cairo_stroke (cr);
  cairo_restore (cr);

  x = rv_plot_scale_map (&g->x.scale, value);
  y = base - height_at (self, index, value) * g->amp;
  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.45);
  cairo_move_to (cr, round (x) + 0.5, base);
  cairo_line_to (cr, round (x) + 0.5, y);
  cairo_stroke (cr);
  cairo_arc (cr, x, y, 3.0, 0.0, 2.0 * G_PI);
  rv_plot_set_source (cr, &style->fg, 1.0);
  cairo_fill (cr);

  text = rv_ridgeline_view_describe_at (self, index, value);
  rv_plot_show_readout (cr, GTK_WIDGET (self), style, text, pointer_x, pointer_y, 12.0,
                        g->px, g->py, g->px + g->pw);
}

static void
draw_chart (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (chart);
  GtkWidget *widget = GTK_WIDGET (self);
  RvPlotStyle style;
  GdkRGBA color;
  Geometry g;

  get_colors (self, &style, &color);
  compute_geometry (self, width, height, &g);

  cairo_save (cr);
  rv_plot_show_title (cr, widget, &style, title_of (self), 1.0,
                      RV_PLOT_PAD, g.title_y, width - 2 * RV_PLOT_PAD);

  if (!has_data (self))
    {
      rv_plot_show_placeholder (cr, widget, &style, _("No snapshots yet"), 1.0, width / 2.0, height / 2.0);
      cairo_restore (cr);
      return;
    }

  if (g.has_plot)
    {
      /* Faint value grid, seen between the slices. */
      cairo_set_line_width (cr, rv_plot_line (1.0));
      rv_plot_set_source (cr, &style.fg, 0.07);
      for (guint i = 0; i < g.x.n_ticks; i++)
        {
          double x = round (rv_plot_scale_map (&g.x.scale, g.x.ticks[i])) + 0.5;

          cairo_move_to (cr, x, g.py);
          cairo_line_to (cr, x, g.py + g.ph);
        }
      cairo_stroke (cr);

      /* Older, wider slices run off the sides in the recent range. */
      cairo_save (cr);
      cairo_rectangle (cr, g.px, g.py - 2.0, g.pw, g.ph + 4.0);
      cairo_clip (cr);
      draw_slices (self, cr, &g, &style, &color);
      cairo_restore (cr);

      draw_axes (self, cr, width, &g, &style, &color);
      if (!for_export)
        draw_hover (self, cr, &g, &style);
    }

  {
    const RvStats *s = rv_histogram_history_get_stats (model_of (self), self->current);
    g_autofree char *step = rv_plot_format_count (current_step (self));
    g_autofree char *variance = rv_plot_format_value (s->variance);
    /* Translators: under the ridgeline chart: the step shown in front and
     * its distribution's variance, e.g. "Step 8,000 · variance 0.43" */
    g_autofree char *text = g_strdup_printf (_("Step %s · variance %s"), step, variance);

    rv_plot_show_caption (cr, widget, &style, text, width / 2.0, g.footer_y);
  }

  cairo_restore (cr);
}

void
rv_ridgeline_view_draw (RvRidgelineView *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));
  g_return_if_fail (cr != NULL);

  rv_chart_draw (RV_CHART (self), cr, width, height);
}

gboolean
rv_ridgeline_view_get_plot_area (RvRidgelineView *self, int width, int height,
                                 graphene_rect_t *area)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), FALSE);

  compute_geometry (self, width, height, &g);
  if (area != NULL)
    graphene_rect_init (area, g.px, g.py, g.pw, g.ph);
  return g.has_plot;
}

guint
rv_ridgeline_view_get_x_ticks (RvRidgelineView *self, int width, int height, double *ticks, double *step)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), 0);

  compute_geometry (self, width, height, &g);
  return g.has_plot ? rv_plot_axis_copy_ticks (&g.x, ticks, step) : 0;
}

guint
rv_ridgeline_view_get_step_ticks (RvRidgelineView *self, int width, int height, double *ticks)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), 0);

  compute_geometry (self, width, height, &g);
  return g.has_plot ? rv_plot_axis_copy_ticks (&g.s, ticks, NULL) : 0;
}

gboolean
rv_ridgeline_view_map (RvRidgelineView *self, int width, int height, guint index,
                       double value, double fraction, double *x, double *y)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), FALSE);

  if (!has_data (self) || index > self->current)
    return FALSE;
  compute_geometry (self, width, height, &g);
  if (!g.has_plot)
    return FALSE;
  if (x != NULL)
    *x = rv_plot_scale_map (&g.x.scale, value);
  if (y != NULL)
    *y = baseline_of (&g, model_of (self), index) - fraction * g.amp;
  return TRUE;
}

gboolean
rv_ridgeline_view_pick (RvRidgelineView *self, int width, int height,
                        double x, double y, guint *index, double *value)
{
  Geometry g;
  guint i = 0;
  double v = 0.0;
  gboolean found;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), FALSE);

  compute_geometry (self, width, height, &g);
  found = pick_in (self, &g, x, y, &i, &v);
  if (index != NULL)
    *index = i;
  if (value != NULL)
    *value = v;
  return found;
}

char *
rv_ridgeline_view_describe_at (RvRidgelineView *self, guint index, double value)
{
  const RvStats *s;
  double width;
  g_autofree char *step = NULL;
  g_autofree char *value_text = NULL;
  char *text;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), NULL);

  if (index >= n_snapshots (self))
    return NULL;

  s = rv_histogram_history_get_stats (model_of (self), index);
  width = s->n_bins > 0 ? (s->hi - s->lo) / s->n_bins : s->hi - s->lo;
  step = rv_plot_format_count (rv_histogram_history_get_step (model_of (self), index));
  /* A tenth of a bin: enough digits to place the value in its bin. */
  value_text = rv_plot_format_at_resolution (value, width / 10.0);
  /* Translators: the ridgeline chart's hover read-out, first line:
   * "Step 1,200 · value 0.352" */
  text = g_strdup_printf (_("Step %s · value %s"), step, value_text);

  if (s->n_bins > 0 && value >= s->lo && value <= s->hi)
    {
      guint k = (guint) CLAMP (floor ((value - s->lo) / width), 0, (double) s->n_bins - 1);
      g_autofree char *bin = rv_histogram_describe_stats_bin (s, k);
      char *both;

      both = g_strconcat (text, "\n", bin, NULL);
      g_free (text);
      text = both;
    }
  return text;
}

char *
rv_ridgeline_view_dup_summary (RvRidgelineView *self)
{
  const char *title;
  const RvStats *s;
  guint n;
  g_autofree char *step = NULL;
  g_autofree char *last = NULL;
  g_autofree char *variance = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), NULL);

  title = title_of (self);
  if (title[0] == '\0')
    title = _("Distribution over training");
  n = n_snapshots (self);
  if (n == 0)
    /* Translators: %s is what the chart shows, e.g. "Layer 2 (512 → 256)" */
    return g_strdup_printf (_("%s: no snapshots yet"), title);

  s = rv_histogram_history_get_stats (model_of (self), self->current);
  step = rv_plot_format_count (current_step (self));
  last = rv_plot_format_count (rv_histogram_history_get_step (model_of (self), n - 1));
  variance = rv_plot_format_value (s->variance);
  min = rv_plot_format_value (s->min);
  max = rv_plot_format_value (s->max);
  /* Translators: the ridgeline chart described for screen readers:
   * "Layer 2 (512 → 256) at step 1,200 of 8,000: variance 0.43, range
   * −2.1 to 3.4; 192 snapshots" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s at step %s of %s: variance %s, range %s to %s; %u snapshot",
                                       "%s at step %s of %s: variance %s, range %s to %s; %u snapshots",
                                       n),
                          title, step, last, variance, min, max, n);
}

/* Puts current where it belongs after the model or "follow" changed: the
 * newest when following, else the snapshot at the step shown before. */
static void
sync_current (RvRidgelineView *self)
{
  guint n = n_snapshots (self);
  guint old = self->current;

  if (n == 0)
    self->current = 0;
  else if (self->follow)
    self->current = n - 1;
  else
    {
      int found = rv_histogram_history_find_step (model_of (self), self->anchor_step);

      self->current = found >= 0 ? (guint) found : 0;
    }
  if (n > 0 && self->follow)
    self->anchor_step = current_step (self);

  if (old != self->current)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

static void
rv_ridgeline_view_data_changed (RvChart *chart)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (chart);
  RvHistogramHistory *model = model_of (self);

  sync_current (self);
  /* Titled by its model; the base falls back to "Distribution over training". */
  rv_chart_set_title (chart, model != NULL ? rv_histogram_history_get_title (model) : NULL);
  RV_CHART_CLASS (rv_ridgeline_view_parent_class)->data_changed (chart);
}

static void
rv_ridgeline_view_pointer_changed (RvChart *chart)
{
  /* The read-out is drawn, so it moves with every draw. */
  gtk_widget_queue_draw (GTK_WIDGET (chart));
}

static char *
rv_ridgeline_view_dup_chart_summary (RvChart *chart)
{
  return rv_ridgeline_view_dup_summary (RV_RIDGELINE_VIEW (chart));
}

static void
rv_ridgeline_view_finalize (GObject *object)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (object);

  g_free (self->shown);

  G_OBJECT_CLASS (rv_ridgeline_view_parent_class)->finalize (object);
}

static void
rv_ridgeline_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_uint (value, self->current);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_RANGE_MODE:
      g_value_set_enum (value, self->range_mode);
      break;
    case PROP_RECENT_COUNT:
      g_value_set_uint (value, self->recent_count);
      break;
    case PROP_STEPPED:
      g_value_set_boolean (value, self->stepped);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, self->color_set ? &self->color : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_ridgeline_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvRidgelineView *self = RV_RIDGELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      rv_ridgeline_view_set_current (self, g_value_get_uint (value));
      break;
    case PROP_FOLLOW:
      rv_ridgeline_view_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_RANGE_MODE:
      rv_ridgeline_view_set_range_mode (self, g_value_get_enum (value));
      break;
    case PROP_RECENT_COUNT:
      rv_ridgeline_view_set_recent_count (self, g_value_get_uint (value));
      break;
    case PROP_STEPPED:
      rv_ridgeline_view_set_stepped (self, g_value_get_boolean (value));
      break;
    case PROP_COLOR:
      rv_ridgeline_view_set_color (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_ridgeline_view_class_init (RvRidgelineViewClass *klass)
{
  static const char *const model_signals[] = { "changed", NULL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rv_ridgeline_view_finalize;
  object_class->get_property = rv_ridgeline_view_get_property;
  object_class->set_property = rv_ridgeline_view_set_property;

  chart_class->model_type = RV_TYPE_HISTOGRAM_HISTORY;
  chart_class->model_signals = model_signals;
  chart_class->fallback_label = _("Distribution over training");
  chart_class->min_width = 260;
  chart_class->min_height = 200;
  chart_class->natural_width = 480;
  chart_class->natural_height = 320;
  chart_class->draw = draw_chart;
  chart_class->dup_summary = rv_ridgeline_view_dup_chart_summary;
  chart_class->pointer_changed = rv_ridgeline_view_pointer_changed;
  chart_class->data_changed = rv_ridgeline_view_data_changed;
  chart_class->collect_geometry = rv_ridgeline_view_collect_geometry;

  properties[PROP_CURRENT] = g_param_spec_uint ("current", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FOLLOW] = g_param_spec_boolean ("follow", NULL, NULL, TRUE, flags);
  properties[PROP_RANGE_MODE] = g_param_spec_enum ("range-mode", NULL, NULL, RV_TYPE_RIDGELINE_RANGE_MODE,
                                                   RV_RIDGELINE_RANGE_RECENT, flags);
  properties[PROP_RECENT_COUNT] = g_param_spec_uint ("recent-count", NULL, NULL, 1, G_MAXUINT,
                                                     RV_RIDGELINE_DEFAULT_RECENT_COUNT, flags);
  properties[PROP_STEPPED] = g_param_spec_boolean ("stepped", NULL, NULL, FALSE, flags);
  properties[PROP_COLOR] = g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "ridgelineview");
}

static void
rv_ridgeline_view_init (RvRidgelineView *self)
{
  self->follow = TRUE;
  self->range_mode = RV_RIDGELINE_RANGE_RECENT;
  self->recent_count = RV_RIDGELINE_DEFAULT_RECENT_COUNT;
  /* The accessible label and description before any model. */
  rv_chart_data_changed (RV_CHART (self));
}

GtkWidget *
rv_ridgeline_view_new (RvHistogramHistory *model)
{
  return g_object_new (RV_TYPE_RIDGELINE_VIEW, "model", model, NULL);
}

void
rv_ridgeline_view_set_model (RvRidgelineView *self, RvHistogramHistory *model)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));
  g_return_if_fail (model == NULL || RV_IS_HISTOGRAM_HISTORY (model));

  rv_chart_set_model (RV_CHART (self), model);
}

void
rv_ridgeline_view_set_current (RvRidgelineView *self, guint index)
{
  guint n;

  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));

  n = n_snapshots (self);
  index = n > 0 ? MIN (index, n - 1) : 0;
  /* Looking back in time stops following the run. */
  if (n > 0 && index < n - 1 && self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
  if (n > 0)
    self->anchor_step = rv_histogram_history_get_step (model_of (self), index);
  if (self->current == index)
    return;
  self->current = index;
  rv_chart_data_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

guint
rv_ridgeline_view_get_current (RvRidgelineView *self)
{
  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), 0);
  return self->current;
}

void
rv_ridgeline_view_set_follow (RvRidgelineView *self, gboolean follow)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
  if (follow)
    rv_chart_data_changed (RV_CHART (self));
}

gboolean
rv_ridgeline_view_get_follow (RvRidgelineView *self)
{
  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), FALSE);
  return self->follow;
}

void
rv_ridgeline_view_set_range_mode (RvRidgelineView *self, RvRidgelineRangeMode mode)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));
  g_return_if_fail (mode == RV_RIDGELINE_RANGE_RECENT || mode == RV_RIDGELINE_RANGE_WHOLE);

  if (self->range_mode == mode)
    return;
  self->range_mode = mode;
  rv_chart_layout_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE_MODE]);
}

RvRidgelineRangeMode
rv_ridgeline_view_get_range_mode (RvRidgelineView *self)
{
  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), RV_RIDGELINE_RANGE_RECENT);
  return self->range_mode;
}

void
rv_ridgeline_view_set_recent_count (RvRidgelineView *self, guint count)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));

  count = MAX (count, 1u);
  if (self->recent_count == count)
    return;
  self->recent_count = count;
  rv_chart_layout_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_COUNT]);
}

guint
rv_ridgeline_view_get_recent_count (RvRidgelineView *self)
{
  g_return_val_if_fail (RV_IS_RIDGELINE_VIEW (self), RV_RIDGELINE_DEFAULT_RECENT_COUNT);
  return self->recent_count;
}

void
rv_ridgeline_view_set_stepped (RvRidgelineView *self, gboolean stepped)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->stepped, stepped, properties[PROP_STEPPED]);
}

void
rv_ridgeline_view_set_color (RvRidgelineView *self, const GdkRGBA *color)
{
  g_return_if_fail (RV_IS_RIDGELINE_VIEW (self));

  if (!rv_plot_optional_color_set (&self->color_set, &self->color, color))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

