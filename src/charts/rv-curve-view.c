/* rv-curve-view.c: a line chart drawn with cairo.
 *
 * One geometry function (margins from the measured labels, scales, ticks,
 * the legend's place) serves drawing, hit-testing, the legend's placement
 * and the tests, so what is hovered is what is drawn. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-chart.h"
#include "rv-curve-view.h"
#include "rv-plot.h"

#define LINE_WIDTH 2.0
#define MARKER_RADIUS 3.0
#define MAX_MARKED_POINTS 40     /* a series with more gets no markers */
/* Pixels kept around the plot so that points on its edge can be drawn. */
#define CLIP_MARGIN 4.0
/* Room above an inside legend's box and below it, for a line's width and
 * the base's margin, when the y range makes room for it. */
#define LEGEND_CLEARANCE 18.0

struct _RvCurveView
{
  RvChart parent_instance;

  char *x_title;
  char *y_title;
  gboolean log_x;
  gboolean log_y;
  gboolean show_legend;
  gboolean x_integer;
  GStrv x_labels;          /* NULL for a numeric x axis */
  gboolean x_range_set, y_range_set;
  double x_lo, x_hi, y_lo, y_hi;

  /* A reference band across the plot, y from band_lo to band_hi. */
  char *band_label;        /* NULL: no band */
  double band_lo, band_hi;
  double marker_x;         /* a vertical "now" line at this x; NaN: none */

  /* The hover read-out follows the pointer, and the data under it. */
  gboolean hover_valid;
  guint hover_series, hover_index;
};

G_DEFINE_FINAL_TYPE (RvCurveView, rv_curve_view, RV_TYPE_CHART)

enum
{
  PROP_0,
  PROP_X_TITLE,
  PROP_Y_TITLE,
  PROP_LOG_X,
  PROP_LOG_Y,
  PROP_SHOW_LEGEND,
  PROP_X_INTEGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The model's signals the view follows. */
static const char *const model_signals[] = { "changed", NULL };

typedef struct
{
  double title_y;
  gboolean has_plot;
  double px, py, pw, ph;
  RvPlotAxis x, y;         /* x.step is 1 for categories */
  gboolean categorical;
  RvChartLegendPlace legend;
} Geometry;

static RvCurveSet *
model_of (RvCurveView *self)
{
  return rv_chart_get_model (RV_CHART (self));
}

static const char *
title_of (RvCurveView *self)
{
  return rv_chart_get_title (RV_CHART (self));
}

static guint
n_series (RvCurveView *self)
{
  return model_of (self) != NULL ? rv_curve_set_get_n_series (model_of (self)) : 0;
}

static guint
n_labels (RvCurveView *self)
{
  return self->x_labels != NULL ? g_strv_length (self->x_labels) : 0;
}

static gboolean
is_categorical (RvCurveView *self)
{
  return n_labels (self) > 0;
}

static gboolean
x_is_log (RvCurveView *self)
{
  return self->log_x && !is_categorical (self);
}

static gboolean
point_ok (double x, double y, gboolean log_x, gboolean log_y)
{
  return isfinite (x) && isfinite (y) && (!log_x || x > 0.0) && (!log_y || y > 0.0);
}

/* Widens a range by a fraction of its span (in log space on a log axis),
 * and opens up a single value into a range. */
static void
pad_range (double *lo, double *hi, double fraction, gboolean log)
{
  if (log)
    {
      double a = log10 (*lo), b = log10 (*hi);
      double m = b > a ? (b - a) * fraction : 0.3;

      *lo = pow (10.0, a - m);
      *hi = pow (10.0, b + m);
      return;
    }
  if (*hi > *lo)
    {
      double m = (*hi - *lo) * fraction;

      *lo -= m;
      *hi += m;
    }
  else
    {
      double m = *lo != 0.0 ? fabs (*lo) * 0.1 : 0.5;

      *lo -= m;
      *hi += m;
    }
}

/* Whether there is a band that the y axis can show. */
static gboolean
band_shown (RvCurveView *self)
{
  return self->band_label != NULL && (!self->log_y || self->band_lo > 0.0);
}

/* Whether the y range is fixed rather than fitted to the data. */
static gboolean
y_is_fixed (RvCurveView *self)
{
  return self->y_range_set && (!self->log_y || self->y_lo > 0.0);
}

/* The axes' ranges; headroom is the share of the plot's height kept free
 * of data at its top (room for a legend). */
static void
compute_ranges (RvCurveView *self, Geometry *g, double headroom)
{
  gboolean log_x = x_is_log (self);
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;

  for (guint s = 0; s < n_series (self); s++)
    {
      const double *x = rv_curve_set_get_x (model_of (self), s);
      const double *y = rv_curve_set_get_y (model_of (self), s);
      guint n = rv_curve_set_get_n_points (model_of (self), s);

      for (guint i = 0; i < n; i++)
        if (point_ok (x[i], y[i], log_x, self->log_y))
          {
            x0 = MIN (x0, x[i]);
            x1 = MAX (x1, x[i]);
            y0 = MIN (y0, y[i]);
            y1 = MAX (y1, y[i]);
          }
    }

  /* The band is always in view. */
  if (band_shown (self))
    {
      y0 = MIN (y0, self->band_lo);
      y1 = MAX (y1, self->band_hi);
    }

  g->x.scale.log = log_x;
  g->y.scale.log = self->log_y;

  if (is_categorical (self))
    {
      /* Half a slot around the first and last label keeps markers inside. */
      g->x.scale.lo = -0.4;
      g->x.scale.hi = n_labels (self) - 1 + 0.4;
    }
  else if (self->x_range_set && (!log_x || self->x_lo > 0.0))
    {
      g->x.scale.lo = self->x_lo;
      g->x.scale.hi = self->x_hi;
    }
  else if (x0 <= x1)
    {
      g->x.scale.lo = x0;
      g->x.scale.hi = x1;
      pad_range (&g->x.scale.lo, &g->x.scale.hi, 0.02, log_x);
    }
  else
    {
      g->x.scale.lo = log_x ? 1.0 : 0.0;
      g->x.scale.hi = log_x ? 10.0 : 1.0;
    }

  if (y_is_fixed (self))
    {
      g->y.scale.lo = self->y_lo;
      g->y.scale.hi = self->y_hi;
    }
  else if (y0 <= y1)
    {
      g->y.scale.lo = y0;
      g->y.scale.hi = y1;
      pad_range (&g->y.scale.lo, &g->y.scale.hi, 0.05, self->log_y);
    }
  else
    {
      g->y.scale.lo = self->log_y ? 1.0 : 0.0;
      g->y.scale.hi = self->log_y ? 10.0 : 1.0;
    }

  if (headroom > 0.0 && !y_is_fixed (self))
    {
      if (self->log_y)
        {
          double a = log10 (g->y.scale.lo), b = log10 (g->y.scale.hi);

          g->y.scale.hi = pow (10.0, a + (b - a) / (1.0 - headroom));
        }
      else
        g->y.scale.hi = g->y.scale.lo + (g->y.scale.hi - g->y.scale.lo) / (1.0 - headroom);
    }
}

/* Ticks on every whole number of the axis: steps and epochs come whole,
 * and a tick at 0.5 epochs would name none. */
static void
integer_ticks (RvPlotAxis *axis)
{
  axis->n_ticks = 0;
  axis->step = 1.0;
  for (double v = ceil (axis->scale.lo); v <= axis->scale.hi && axis->n_ticks < RV_PLOT_MAX_TICKS; v++)
    axis->ticks[axis->n_ticks++] = v;
}

static void
compute_x_ticks (RvCurveView *self, Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (g->categorical)
    {
      guint n = MIN (n_labels (self), RV_PLOT_MAX_TICKS);
      double widest = 0.0, slot;
      guint every;

      for (guint i = 0; i < n; i++)
        widest = MAX (widest, rv_plot_text_width (widget, self->x_labels[i], PANGO_SCALE_SMALL, FALSE));
      slot = fabs (rv_plot_scale_map (&g->x.scale, 1.0) - rv_plot_scale_map (&g->x.scale, 0.0));
      /* Every k-th label when they would touch. */
      every = (guint) MAX (1.0, ceil ((widest + 8.0) / MAX (slot, 1.0)));
      g->x.n_ticks = 0;
      for (guint i = 0; i < n; i += every)
        g->x.ticks[g->x.n_ticks++] = i;
      g->x.step = 1.0;
      return;
    }

  for (guint target = MAX (2, (guint) (g->pw / 70.0));; target--)
    {
      double widest, spacing = G_MAXDOUBLE;

      rv_plot_axis_set_ticks (&g->x, target);
      if (self->x_integer && !g->x.scale.log && g->x.step < 1.0)
        integer_ticks (&g->x);
      widest = rv_plot_axis_widest_label (&g->x, widget);
      /* The closest pair: log ticks are not evenly spaced. */
      for (guint i = 1; i < g->x.n_ticks; i++)
        spacing = MIN (spacing, fabs (rv_plot_scale_map (&g->x.scale, g->x.ticks[i])
                                      - rv_plot_scale_map (&g->x.scale, g->x.ticks[i - 1])));
      if (spacing >= widest + 10.0 || target <= 2)
        break;
    }
}

static gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
}

/* The layout at width × height with the given headroom (compute_ranges). */
static void
layout_at (RvCurveView *self, int width, int height, double headroom, Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double title_h = has_text (title_of (self)) ? rv_plot_text_height (widget, 1.0, TRUE) : 0.0;
  double axis_title_h = rv_plot_text_height (widget, 1.0, FALSE);
  double label_h = rv_plot_text_height (widget, PANGO_SCALE_SMALL, FALSE);
  double top, bottom, left, right, widest;
  graphene_rect_t plot;
  guint y_target;

  memset (g, 0, sizeof *g);
  g->categorical = is_categorical (self);
  g->title_y = RV_PLOT_PAD;
  compute_ranges (self, g, headroom);

  top = RV_PLOT_PAD + (title_h > 0.0 ? title_h + 8.0 : 4.0);
  bottom = height - RV_PLOT_PAD - label_h - RV_PLOT_TICK - 2.0;
  if (has_text (self->x_title))
    bottom -= axis_title_h + 4.0;
  if (bottom - top < 30.0)
    return;

  y_target = MAX (2, (guint) ((bottom - top) / (label_h * 2.5)));
  rv_plot_axis_set_ticks (&g->y, y_target);
  widest = rv_plot_axis_widest_label (&g->y, widget);

  left = RV_PLOT_PAD + widest + RV_PLOT_GAP + RV_PLOT_TICK;
  if (has_text (self->y_title))
    left += axis_title_h + 6.0;
  right = width - RV_PLOT_PAD - 10.0;

  left = ceil (left);
  right = floor (right);
  top = ceil (top);
  bottom = floor (bottom);
  if (right - left < 30.0)
    return;

  /* The legend beside the plot narrows it; inside, it is placed later. */
  plot = GRAPHENE_RECT_INIT (left, top, right - left, bottom - top);
  rv_chart_legend_reserve (RV_CHART (self), width, &plot, &g->legend);
  right = left + plot.size.width;

  g->has_plot = TRUE;
  g->px = left;
  g->py = top;
  g->pw = right - left;
  g->ph = bottom - top;
  g->x.scale.px_lo = left;
  g->x.scale.px_hi = right;
  g->y.scale.px_lo = bottom;
  g->y.scale.px_hi = top;
  compute_x_ticks (self, g);
}

/* The pixel position of a point, kept within reach of the plot: cairo
 * handles huge coordinates poorly, and clipping hides the rest anyway. */
static void
map_point (const Geometry *g, double x, double y, double *px, double *py)
{
  *px = CLAMP (rv_plot_scale_map (&g->x.scale, x), g->px - 1e4, g->px + g->pw + 1e4);
  *py = CLAMP (rv_plot_scale_map (&g->y.scale, y), g->py - 1e4, g->py + g->ph + 1e4);
}

static void
series_color (RvCurveView *self, guint series, gboolean dark, GdkRGBA *color)
{
  if (!rv_curve_set_get_color (model_of (self), series, color))
    rv_plot_palette_color (series, dark, color);
}

/* How many of the series' points can be drawn; *sorted (may be NULL):
 * whether their x never decreases. */
static guint
n_drawable (RvCurveView *self, guint series, gboolean *sorted)
{
  const double *x = rv_curve_set_get_x (model_of (self), series);
  const double *y = rv_curve_set_get_y (model_of (self), series);
  guint n = rv_curve_set_get_n_points (model_of (self), series), drawable = 0;
  double last_x = -INFINITY;

  if (sorted != NULL)
    *sorted = TRUE;
  for (guint i = 0; i < n; i++)
    if (point_ok (x[i], y[i], x_is_log (self), self->log_y))
      {
        drawable++;
        if (sorted != NULL && x[i] < last_x)
          *sorted = FALSE;
        last_x = x[i];
      }
  return drawable;
}

/* One pixel column's share of a decimated series. */
typedef struct
{
  gboolean valid;
  long column;
  double x;
  double first_y, last_y, min_y, max_y;
  gboolean min_first;   /* the lowest point came before the highest */
} Column;

static void
flush_column (cairo_t *cr, Column *c, gboolean *pen_down)
{
  if (!c->valid)
    return;
  if (*pen_down)
    cairo_line_to (cr, c->x, c->first_y);
  else
    cairo_move_to (cr, c->x, c->first_y);
  /* In the order they came, so a spike reads as a spike. */
  cairo_line_to (cr, c->x, c->min_first ? c->min_y : c->max_y);
  cairo_line_to (cr, c->x, c->min_first ? c->max_y : c->min_y);
  cairo_line_to (cr, c->x, c->last_y);
  *pen_down = TRUE;
  c->valid = FALSE;
}

/* Adds the series' line to the current path; returns how many points are
 * drawable. */
static guint
path_series (RvCurveView *self, cairo_t *cr, const Geometry *g, guint series)
{
  const double *x = rv_curve_set_get_x (model_of (self), series);
  const double *y = rv_curve_set_get_y (model_of (self), series);
  guint n = rv_curve_set_get_n_points (model_of (self), series);
  gboolean sorted;
  guint drawable = n_drawable (self, series, &sorted);
  /* Columns only make sense when x runs one way. */
  gboolean decimate = sorted && drawable > 4 * g->pw;
  gboolean pen_down = FALSE;
  Column column = { FALSE, 0, 0, 0, 0, 0, 0, FALSE };

  for (guint i = 0; i < n; i++)
    {
      double px, py;

      if (!point_ok (x[i], y[i], g->x.scale.log, g->y.scale.log))
        {
          flush_column (cr, &column, &pen_down);
          pen_down = FALSE;
          continue;
        }
      map_point (g, x[i], y[i], &px, &py);
      if (!decimate)
        {
          if (pen_down)
            cairo_line_to (cr, px, py);
          else
            cairo_move_to (cr, px, py);
          pen_down = TRUE;
          continue;
        }

      if (column.valid && (long) floor (px) == column.column)
        {
          if (py < column.min_y)
            {
              column.min_y = py;
              column.min_first = FALSE;
            }
          if (py > column.max_y)
            {
              column.max_y = py;
              column.min_first = TRUE;
            }
          column.last_y = py;
          continue;
        }
      flush_column (cr, &column, &pen_down);
      column.valid = TRUE;
      column.column = (long) floor (px);
      column.x = column.column + 0.5;
      column.first_y = column.last_y = column.min_y = column.max_y = py;
      column.min_first = TRUE;
    }
  flush_column (cr, &column, &pen_down);
  return drawable;
}

/* Adds the drawn lines of every series at g to geometry: the path each
 * is stroked along, read back as segments, and lone points. */
static void
add_series_geometry (RvCurveView *self, const Geometry *g, RvChartGeometry *geometry)
{
  cairo_t *cr = rv_plot_scratch_cairo ();

  for (guint s = 0; s < n_series (self); s++)
    {
      cairo_new_path (cr);
      path_series (self, cr, g, s);
      rv_chart_geometry_add_path (geometry, cr);
    }
  cairo_destroy (cr);
}

static gboolean band_place (RvCurveView *self, const Geometry *g, graphene_rect_t *band, graphene_rect_t *label);

/* What a legend must not cover at g: the lines, and the band's label (the
 * band itself may lie under it). */
static void
add_data_geometry (RvCurveView *self, const Geometry *g, RvChartGeometry *geometry)
{
  graphene_rect_t band, label;

  if (!g->has_plot)
    return;
  add_series_geometry (self, g, geometry);
  if (band_place (self, g, &band, &label) && self->band_label[0] != '\0')
    rv_chart_geometry_add_rect (geometry, label.origin.x, label.origin.y, label.size.width, label.size.height);
}

/* The layout at width × height.  A legend that goes inside the plot and
 * would hide data wherever it went gets room made for it above the data,
 * when the y range is the data's to choose; where that room would crowd
 * the data out, the chart goes without a legend (the hover read-out and
 * the summary still name the series). */
static void
compute_geometry (RvCurveView *self, int width, int height, Geometry *g)
{
  g_autoptr (RvChartGeometry) data = NULL;
  graphene_rect_t plot;
  double need;

  layout_at (self, width, height, 0.0, g);
  if (!g->has_plot || g->legend.n_items == 0 || g->legend.outside)
    return;
  data = rv_chart_geometry_new ();
  add_data_geometry (self, g, data);
  plot = GRAPHENE_RECT_INIT (g->px, g->py, g->pw, g->ph);
  if (rv_chart_legend_least_hidden (RV_CHART (self), &g->legend, &plot, data) == 0)
    return;
  need = g->legend.height + LEGEND_CLEARANCE;
  if (need > 0.6 * g->ph || y_is_fixed (self))
    {
      g->legend.n_items = 0;
      return;
    }
  layout_at (self, width, height, need / g->ph, g);
}

static void
rv_curve_view_collect_legend (RvChart *chart, const RvPlotStyle *style, GArray *items)
{
  RvCurveView *self = RV_CURVE_VIEW (chart);

  if (!self->show_legend)
    return;
  for (guint s = 0; s < n_series (self); s++)
    {
      const char *name = rv_curve_set_get_name (model_of (self), s);
      RvChartLegendItem item = { 0 };
      guint drawable;

      if (!has_text (name))
        continue;
      drawable = n_drawable (self, s, NULL);
      item.label = g_strdup (name);
      series_color (self, s, style->dark, &item.color);
      item.dashed = rv_curve_set_get_dashed (model_of (self), s);
      item.swatch = drawable > 0 && drawable <= MAX_MARKED_POINTS ? RV_CHART_SWATCH_LINE_MARKER
                                                                 : RV_CHART_SWATCH_LINE;
      g_array_append_val (items, item);
    }
}

static void
rv_curve_view_collect_geometry (RvChart *chart, int width, int height, RvChartGeometry *geometry)
{
  RvCurveView *self = RV_CURVE_VIEW (chart);
  Geometry g;

  compute_geometry (self, width, height, &g);
  add_data_geometry (self, &g, geometry);
}

static void
draw_markers (RvCurveView *self, cairo_t *cr, const Geometry *g, guint series)
{
  const double *x = rv_curve_set_get_x (model_of (self), series);
  const double *y = rv_curve_set_get_y (model_of (self), series);
  guint n = rv_curve_set_get_n_points (model_of (self), series);

  for (guint i = 0; i < n; i++)
    if (point_ok (x[i], y[i], g->x.scale.log, g->y.scale.log))
      {
        double px, py;

        map_point (g, x[i], y[i], &px, &py);
        cairo_new_sub_path (cr);
        cairo_arc (cr, px, py, MARKER_RADIUS, 0, 2 * G_PI);
      }
  cairo_fill (cr);
}

static void
set_line_style (cairo_t *cr, gboolean dashed)
{
  static const double dashes[] = { 6.0, 4.0 };

  cairo_set_line_width (cr, rv_plot_line (LINE_WIDTH));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed)
    {
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
    }
  else
    {
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    }
}

/* The series' label just above its last drawn point (below it at the top
 * of the plot), ending there, kept inside the plot. */
static void
draw_series_label (RvCurveView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style, guint series)
{
  const char *label = rv_curve_set_get_label (model_of (self), series);
  const double *x = rv_curve_set_get_x (model_of (self), series);
  const double *y = rv_curve_set_get_y (model_of (self), series);
  guint i = rv_curve_set_get_n_points (model_of (self), series);

  if (label == NULL)
    return;
  while (i > 0 && !point_ok (x[i - 1], y[i - 1], g->x.scale.log, g->y.scale.log))
    i--;
  if (i == 0)
    return;

  g_autoptr (PangoLayout) layout = rv_plot_layout_new (GTK_WIDGET (self), label, PANGO_SCALE_SMALL, FALSE);
  int w, h;
  GdkRGBA color;
  double px, py;

  pango_layout_get_pixel_size (layout, &w, &h);
  map_point (g, x[i - 1], y[i - 1], &px, &py);
  px = CLAMP (px - MARKER_RADIUS - 2.0, g->px + w, g->px + g->pw);
  /* above the point, or below it where the plot's top leaves no room */
  gboolean below = py - MARKER_RADIUS - h < g->py;
  py = below ? MIN (py + MARKER_RADIUS, g->py + g->ph - h) : py - MARKER_RADIUS;
  /* a veil of the background keeps it readable over the data */
  rv_plot_set_source (cr, &style->bg, 0.75);
  cairo_rectangle (cr, px - w - 2.0, below ? py : py - h, w + 4.0, h);
  cairo_fill (cr);
  series_color (self, series, style->dark, &color);
  rv_plot_set_source (cr, &color, 1.0);
  rv_plot_show_layout (cr, layout, px, py, 1.0, below ? 0.0 : 1.0);
}

static void
draw_series (RvCurveView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  cairo_save (cr);
  cairo_rectangle (cr, g->px - CLIP_MARGIN, g->py - CLIP_MARGIN,
                   g->pw + 2 * CLIP_MARGIN, g->ph + 2 * CLIP_MARGIN);
  cairo_clip (cr);

  for (guint s = 0; s < n_series (self); s++)
    {
      GdkRGBA color;
      guint drawable;

      series_color (self, s, style->dark, &color);
      drawable = path_series (self, cr, g, s);
      set_line_style (cr, rv_curve_set_get_dashed (model_of (self), s));
      rv_plot_set_source (cr, &color, 1.0);
      cairo_stroke (cr);
      if (drawable > 0 && drawable <= MAX_MARKED_POINTS)
        draw_markers (self, cr, g, s);
    }
  cairo_restore (cr);
  for (guint s = 0; s < n_series (self); s++)
    draw_series_label (self, cr, g, style, s);
}

/* The band's colour: the palette's green, as in "healthy". */
static void
band_color (const RvPlotStyle *style, GdkRGBA *color)
{
  rv_plot_palette_color (2, style->dark, color);
}

/* Where the band and its label go at g: the band across the plot on whole
 * pixels, the label at its top left, inside it when it is tall enough and
 * else just above it.  FALSE when there is no band. */
static gboolean
band_place (RvCurveView *self, const Geometry *g, graphene_rect_t *band, graphene_rect_t *label)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double top, bottom, label_h, label_w;

  if (!g->has_plot || !band_shown (self))
    return FALSE;
  top = round (CLAMP (rv_plot_scale_map (&g->y.scale, self->band_hi), g->py, g->py + g->ph));
  bottom = round (CLAMP (rv_plot_scale_map (&g->y.scale, self->band_lo), g->py, g->py + g->ph));
  *band = GRAPHENE_RECT_INIT (g->px, top, g->pw, MAX (bottom - top, 1.0));
  label_h = rv_plot_text_height (widget, PANGO_SCALE_SMALL, FALSE);
  label_w = rv_plot_text_width (widget, self->band_label, PANGO_SCALE_SMALL, FALSE);
  if (bottom - top >= label_h + 4.0 || top - label_h - 1.0 < g->py)
    *label = GRAPHENE_RECT_INIT (g->px + 6.0, top + 2.0, label_w, label_h);
  else
    *label = GRAPHENE_RECT_INIT (g->px + 6.0, top - label_h - 1.0, label_w, label_h);
  return TRUE;
}

/* A faint band under everything, and its label. */
static void
draw_band (RvCurveView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  g_autoptr (PangoLayout) layout = NULL;
  graphene_rect_t band, label;
  GdkRGBA color;

  if (!band_place (self, g, &band, &label))
    return;
  band_color (style, &color);
  rv_plot_set_source (cr, &color, style->dark ? 0.18 : 0.14);
  cairo_rectangle (cr, band.origin.x, band.origin.y, band.size.width, band.size.height);
  cairo_fill (cr);
  if (self->band_label[0] == '\0')
    return;
  layout = rv_plot_layout_new (GTK_WIDGET (self), self->band_label, PANGO_SCALE_SMALL, FALSE);
  rv_plot_set_source (cr, &color, 1.0);
  rv_plot_show_layout (cr, layout, label.origin.x, label.origin.y, 0.0, 0.0);
}

/* The replay's "now": a line across the plot where x is marker_x, when it
 * lies in the x range. */
static void
draw_marker (RvCurveView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  if (!g->has_plot || !isfinite (self->marker_x) || (self->log_x && self->marker_x <= 0.0))
    return;
  double x = rv_plot_scale_map (&g->x.scale, self->marker_x);
  if (x < g->px - 0.5 || x > g->px + g->pw + 0.5)
    return;
  x = round (x) + 0.5;
  cairo_set_line_width (cr, rv_plot_line (2.0));
  rv_plot_set_source (cr, &style->fg, 0.45);
  cairo_move_to (cr, x, g->py);
  cairo_line_to (cr, x, g->py + g->ph);
  cairo_stroke (cr);
}

static void
draw_axes (RvCurveView *self, cairo_t *cr, int width, int height,
           const Geometry *g, const RvPlotStyle *style)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double base = g->py + g->ph;

  draw_band (self, cr, g, style);
  draw_marker (self, cr, g, style);

  /* Grid first, faint, then the axis lines over it. */
  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.08);
  for (guint i = 0; i < g->y.n_ticks; i++)
    {
      double y = round (rv_plot_scale_map (&g->y.scale, g->y.ticks[i])) + 0.5;

      cairo_move_to (cr, g->px, y);
      cairo_line_to (cr, g->px + g->pw, y);
    }
  for (guint i = 0; i < g->x.n_ticks; i++)
    {
      double x = round (rv_plot_scale_map (&g->x.scale, g->x.ticks[i])) + 0.5;

      cairo_move_to (cr, x, g->py);
      cairo_line_to (cr, x, base);
    }
  cairo_stroke (cr);

  rv_plot_draw_axes (cr, widget, style, g->px, g->py, g->pw, g->ph,
                     &g->x, g->categorical ? (const char *const *) self->x_labels : NULL, &g->y, width);

  if (has_text (self->x_title))
    {
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, self->x_title, 1.0, FALSE);

      rv_plot_set_source (cr, &style->fg, 0.9);
      rv_plot_show_layout (cr, layout, g->px + g->pw / 2.0, height - RV_PLOT_PAD, 0.5, 1.0);
    }
  if (has_text (self->y_title))
    {
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, self->y_title, 1.0, FALSE);

      pango_layout_set_width (layout, (int) g->ph * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      cairo_save (cr);
      cairo_translate (cr, RV_PLOT_PAD, g->py + g->ph / 2.0);
      cairo_rotate (cr, -G_PI / 2.0);
      rv_plot_set_source (cr, &style->fg, 0.9);
      /* After the rotation, x runs up the axis and y runs right. */
      rv_plot_show_layout (cr, layout, 0.0, 0.0, 0.5, 0.0);
      cairo_restore (cr);
    }
}

static void
draw_hover (RvCurveView *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  g_autofree char *text = NULL;
  double px, py;
  GdkRGBA color;

  if (!self->hover_valid || self->hover_series >= n_series (self)
      || self->hover_index >= rv_curve_set_get_n_points (model_of (self), self->hover_series))
    return;

  map_point (g, rv_curve_set_get_x (model_of (self), self->hover_series)[self->hover_index],
             rv_curve_set_get_y (model_of (self), self->hover_series)[self->hover_index], &px, &py);

  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.35);
  cairo_move_to (cr, round (px) + 0.5, g->py);
  cairo_line_to (cr, round (px) + 0.5, g->py + g->ph);
  cairo_stroke (cr);

  series_color (self, self->hover_series, style->dark, &color);
  cairo_arc (cr, px, py, MARKER_RADIUS + 2.0, 0, 2 * G_PI);
  rv_plot_set_source (cr, &color, 1.0);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, rv_plot_line (2.0));
  rv_plot_set_source (cr, &style->bg, 1.0);
  cairo_stroke (cr);

  text = rv_curve_view_describe_point (self, self->hover_series, self->hover_index);
  rv_plot_show_readout (cr, GTK_WIDGET (self), style, text, px, py, 10.0, g->px, g->py, g->px + g->pw);
}

static void
draw_chart (RvCurveView *self, cairo_t *cr, int width, int height, gboolean for_export)
{
  GtkWidget *widget = GTK_WIDGET (self);
  RvPlotStyle style;
  Geometry g;

  rv_plot_style_init (&style, widget);
  compute_geometry (self, width, height, &g);

  cairo_save (cr);
  if (has_text (title_of (self)))
    rv_plot_show_title (cr, widget, &style, title_of (self), 1.0,
                        RV_PLOT_PAD, g.title_y, width - 2 * RV_PLOT_PAD);

  if (g.has_plot)
    {
      draw_axes (self, cr, width, height, &g, &style);
      if (model_of (self) != NULL)
        draw_series (self, cr, &g, &style);
    }
  /* Also when there is no plot: the base then forgets the last one. */
  rv_chart_legend_draw (RV_CHART (self), cr, &style, &g.legend,
                        &GRAPHENE_RECT_INIT (g.px, g.py, g.pw, g.ph), width, height);
  if (g.has_plot && model_of (self) != NULL && !for_export)
    draw_hover (self, cr, &g, &style);
  cairo_restore (cr);
}

void
rv_curve_view_draw (RvCurveView *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_draw (RV_CHART (self), cr, width, height);
}

gboolean
rv_curve_view_get_plot_area (RvCurveView *self, int width, int height, graphene_rect_t *area)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);

  compute_geometry (self, width, height, &g);
  if (area != NULL)
    graphene_rect_init (area, g.px, g.py, g.pw, g.ph);
  return g.has_plot;
}

gboolean
rv_curve_view_point_position (RvCurveView *self, int width, int height,
                              guint series, guint index, double *x, double *y)
{
  Geometry g;
  double vx, vy;

  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);

  if (series >= n_series (self) || index >= rv_curve_set_get_n_points (model_of (self), series))
    return FALSE;
  compute_geometry (self, width, height, &g);
  vx = rv_curve_set_get_x (model_of (self), series)[index];
  vy = rv_curve_set_get_y (model_of (self), series)[index];
  if (!g.has_plot || !point_ok (vx, vy, g.x.scale.log, g.y.scale.log))
    return FALSE;
  map_point (&g, vx, vy, x, y);
  return TRUE;
}

static gboolean
nearest_at_size (RvCurveView *self, int width, int height, double x, double y,
                 guint *series, guint *index)
{
  Geometry g;
  double best = INFINITY;

  compute_geometry (self, width, height, &g);
  if (!g.has_plot || x < g.px || x > g.px + g.pw || y < g.py || y > g.py + g.ph)
    return FALSE;

  for (guint s = 0; s < n_series (self); s++)
    {
      const double *vx = rv_curve_set_get_x (model_of (self), s);
      const double *vy = rv_curve_set_get_y (model_of (self), s);
      guint n = rv_curve_set_get_n_points (model_of (self), s);

      for (guint i = 0; i < n; i++)
        {
          double px, py, d;

          if (!point_ok (vx[i], vy[i], g.x.scale.log, g.y.scale.log))
            continue;
          map_point (&g, vx[i], vy[i], &px, &py);
          d = (px - x) * (px - x) + (py - y) * (py - y);
          if (d < best)
            {
              best = d;
              *series = s;
              *index = i;
            }
        }
    }
  return isfinite (best);
}

gboolean
rv_curve_view_nearest (RvCurveView *self, double x, double y, guint *series, guint *index)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint s = 0, i = 0;
  gboolean found;

  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);

  found = nearest_at_size (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                           x, y, &s, &i);
  if (series != NULL)
    *series = s;
  if (index != NULL)
    *index = i;
  return found;
}

char *
rv_curve_view_describe_point (RvCurveView *self, guint series, guint index)
{
  const char *name;
  double x, y;
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), NULL);

  if (series >= n_series (self) || index >= rv_curve_set_get_n_points (model_of (self), series))
    return NULL;

  name = rv_curve_set_get_name (model_of (self), series);
  x = rv_curve_set_get_x (model_of (self), series)[index];
  y = rv_curve_set_get_y (model_of (self), series)[index];
  y_text = rv_plot_format_value (y);

  if (is_categorical (self) && x == round (x) && x >= 0 && x < n_labels (self))
    x_text = g_strdup (self->x_labels[(guint) x]);
  else if (x == round (x) && fabs (x) < 1e15)
    {
      /* Steps and epochs: whole numbers, grouped. */
      g_autofree char *digits = rv_plot_format_count ((guint64) fabs (x));

      x_text = g_strconcat (x < 0 ? "−" : "", digits, NULL);
    }
  else
    x_text = rv_plot_format_value (x);

  if (is_categorical (self) || !has_text (self->x_title))
    /* Translators: the hover read-out of a chart: "Layer 4: 1.02" */
    where = g_strdup_printf (_("%s: %s"), x_text, y_text);
  else
    /* Translators: the hover read-out of a chart: "Step 1,200: 0.45" */
    where = g_strdup_printf (_("%s %s: %s"), self->x_title, x_text, y_text);

  if (!has_text (name))
    return g_steal_pointer (&where);
  return g_strdup_printf ("%s\n%s", name, where);
}

static char *
rv_curve_view_dup_summary (RvChart *chart)
{
  RvCurveView *self = RV_CURVE_VIEW (chart);
  g_autoptr (GString) names = g_string_new (NULL);
  guint n = n_series (self);

  for (guint s = 0; s < n; s++)
    {
      const char *name = rv_curve_set_get_name (model_of (self), s);

      if (!has_text (name))
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }

  if (n == 0)
    return g_strdup (_("No data"));
  if (names->len > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u series: %s", "%u series: %s", n),
                            n, names->str);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u series", "%u series", n), n);
}

static void
rv_curve_view_pointer_changed (RvChart *chart)
{
  RvCurveView *self = RV_CURVE_VIEW (chart);
  GtkWidget *widget = GTK_WIDGET (self);
  double x = 0.0, y = 0.0;
  guint s = 0, i = 0;
  gboolean valid = rv_chart_get_pointer (chart, &x, &y)
    && nearest_at_size (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), x, y, &s, &i);

  if (valid == self->hover_valid && (!valid || (s == self->hover_series && i == self->hover_index)))
    return;
  self->hover_valid = valid;
  self->hover_series = s;
  self->hover_index = i;
  gtk_widget_queue_draw (widget);
}

static void
rv_curve_view_draw_vfunc (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  draw_chart (RV_CURVE_VIEW (chart), cr, width, height, for_export);
}

static void
rv_curve_view_finalize (GObject *object)
{
  RvCurveView *self = RV_CURVE_VIEW (object);

  g_free (self->x_title);
  g_free (self->y_title);
  g_strfreev (self->x_labels);
  g_free (self->band_label);

  G_OBJECT_CLASS (rv_curve_view_parent_class)->finalize (object);
}

static void
rv_curve_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvCurveView *self = RV_CURVE_VIEW (object);

  switch (prop_id)
    {
    case PROP_X_TITLE:
      g_value_set_string (value, self->x_title);
      break;
    case PROP_Y_TITLE:
      g_value_set_string (value, self->y_title);
      break;
    case PROP_LOG_X:
      g_value_set_boolean (value, self->log_x);
      break;
    case PROP_LOG_Y:
      g_value_set_boolean (value, self->log_y);
      break;
    case PROP_SHOW_LEGEND:
      g_value_set_boolean (value, self->show_legend);
      break;
    case PROP_X_INTEGER:
      g_value_set_boolean (value, self->x_integer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_curve_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvCurveView *self = RV_CURVE_VIEW (object);

  switch (prop_id)
    {
    case PROP_X_TITLE:
      rv_curve_view_set_x_title (self, g_value_get_string (value));
      break;
    case PROP_Y_TITLE:
      rv_curve_view_set_y_title (self, g_value_get_string (value));
      break;
    case PROP_LOG_X:
      rv_curve_view_set_log_x (self, g_value_get_boolean (value));
      break;
    case PROP_LOG_Y:
      rv_curve_view_set_log_y (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_LEGEND:
      rv_curve_view_set_show_legend (self, g_value_get_boolean (value));
      break;
    case PROP_X_INTEGER:
      rv_curve_view_set_x_integer (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_curve_view_class_init (RvCurveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rv_curve_view_finalize;
  object_class->get_property = rv_curve_view_get_property;
  object_class->set_property = rv_curve_view_set_property;

  chart_class->model_type = RV_TYPE_CURVE_SET;
  chart_class->model_signals = model_signals;
  chart_class->fallback_label = _("Chart");
  chart_class->min_width = 300;
  chart_class->min_height = 200;
  chart_class->natural_width = 480;
  chart_class->natural_height = 300;
  chart_class->draw = rv_curve_view_draw_vfunc;
  chart_class->dup_summary = rv_curve_view_dup_summary;
  chart_class->pointer_changed = rv_curve_view_pointer_changed;
  chart_class->collect_geometry = rv_curve_view_collect_geometry;
  chart_class->collect_legend = rv_curve_view_collect_legend;

  properties[PROP_X_TITLE] = g_param_spec_string ("x-title", NULL, NULL, NULL, flags);
  properties[PROP_Y_TITLE] = g_param_spec_string ("y-title", NULL, NULL, NULL, flags);
  properties[PROP_LOG_X] = g_param_spec_boolean ("log-x", NULL, NULL, FALSE, flags);
  properties[PROP_LOG_Y] = g_param_spec_boolean ("log-y", NULL, NULL, FALSE, flags);
  properties[PROP_SHOW_LEGEND] = g_param_spec_boolean ("show-legend", NULL, NULL, TRUE, flags);
  properties[PROP_X_INTEGER] = g_param_spec_boolean ("x-integer", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "curveview");
}

static void
rv_curve_view_init (RvCurveView *self)
{
  self->show_legend = TRUE;
  self->marker_x = NAN;
}

GtkWidget *
rv_curve_view_new (RvCurveSet *model)
{
  return g_object_new (RV_TYPE_CURVE_VIEW, "model", model, NULL);
}

RvCurveSet *
rv_curve_view_get_model (RvCurveView *self)
{
  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), NULL);
  return model_of (self);
}

/* Sets one of the title strings; TRUE if it changed. */
static gboolean
set_string (char **field, const char *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
rv_curve_view_set_title (RvCurveView *self, const char *title)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_set_title (RV_CHART (self), title);
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_curve_view_set_x_title (RvCurveView *self, const char *title)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  if (!set_string (&self->x_title, title))
    return;
  rv_chart_layout_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X_TITLE]);
}

void
rv_curve_view_set_y_title (RvCurveView *self, const char *title)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  if (!set_string (&self->y_title, title))
    return;
  rv_chart_layout_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_TITLE]);
}

void
rv_curve_view_set_log_x (RvCurveView *self, gboolean log_x)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->log_x, log_x, properties[PROP_LOG_X]);
}

void
rv_curve_view_set_log_y (RvCurveView *self, gboolean log_y)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->log_y, log_y, properties[PROP_LOG_Y]);
}

gboolean
rv_curve_view_get_log_y (RvCurveView *self)
{
  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);
  return self->log_y;
}

void
rv_curve_view_set_show_legend (RvCurveView *self, gboolean show_legend)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->show_legend, show_legend, properties[PROP_SHOW_LEGEND]);
}

void
rv_curve_view_set_x_labels (RvCurveView *self, const char *const *labels)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  g_strfreev (self->x_labels);
  self->x_labels = labels != NULL && labels[0] != NULL ? g_strdupv ((char **) labels) : NULL;
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_curve_view_set_x_range (RvCurveView *self, double lo, double hi)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  self->x_range_set = isfinite (lo) && isfinite (hi) && lo < hi;
  self->x_lo = lo;
  self->x_hi = hi;
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_curve_view_set_y_range (RvCurveView *self, double lo, double hi)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  self->y_range_set = isfinite (lo) && isfinite (hi) && lo < hi;
  self->y_lo = lo;
  self->y_hi = hi;
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_curve_view_get_series_color (RvCurveView *self, guint series, GdkRGBA *color)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_CURVE_VIEW (self));
  g_return_if_fail (series < n_series (self));

  rv_plot_style_init (&style, GTK_WIDGET (self));
  series_color (self, series, style.dark, color);
}

void
rv_curve_view_set_x_integer (RvCurveView *self, gboolean x_integer)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  rv_chart_set_boolean (RV_CHART (self), &self->x_integer, x_integer, properties[PROP_X_INTEGER]);
}

gboolean
rv_curve_view_get_x_integer (RvCurveView *self)
{
  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);
  return self->x_integer;
}

void
rv_curve_view_set_band (RvCurveView *self, double lo, double hi, const char *label)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));
  g_return_if_fail (label == NULL || (isfinite (lo) && isfinite (hi) && lo < hi));

  g_free (self->band_label);
  self->band_label = g_strdup (label);
  self->band_lo = lo;
  self->band_hi = hi;
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_curve_view_set_marker (RvCurveView *self, double x)
{
  g_return_if_fail (RV_IS_CURVE_VIEW (self));

  if (self->marker_x == x || (isnan (self->marker_x) && isnan (x)))
    return;
  self->marker_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
rv_curve_view_get_marker (RvCurveView *self)
{
  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), NAN);

  return self->marker_x;
}

gboolean
rv_curve_view_get_axis (RvCurveView *self, int width, int height, gboolean y_axis, RvPlotAxis *axis)
{
  Geometry g;

  g_return_val_if_fail (RV_IS_CURVE_VIEW (self), FALSE);
  g_return_val_if_fail (axis != NULL, FALSE);

  compute_geometry (self, width, height, &g);
  *axis = y_axis ? g.y : g.x;
  return g.has_plot;
}
