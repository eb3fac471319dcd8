/* rv-surface-map.c: the heat map, its axes and colour bar, the runs drawn
 * over it, the legend and the hover box, all with cairo.
 *
 * Two caches keep animation cheap: the grid as an n x n image (rebuilt when
 * the grid or the colour scale changes), and the plot's static layer (the
 * scaled heat map, contours and arrows) at the plot's size in device
 * pixels (rebuilt when that size or an option changes).  A frame paints the
 * layer and draws axes, paths and text on top. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-chart-hover.h"
#include "rv-chart-model.h"
#include "rv-colormap.h"
#include "rv-contour.h"
#include "rv-plot.h"
#include "rv-surface-map.h"

#define N_LEVELS   12     /* contour levels, evenly spaced in colour */
#define TICK_LEN   4.0
#define BAR_WIDTH  14.0
#define BAR_GAP    14.0   /* between the plot and the colour bar */
#define FAR        1e5    /* paths are cut this many pixels outside the plot */

/* Where everything goes at one size. */
typedef struct
{
  double x, y, w, h;  /* the plot area, on whole pixels */
  double bar_x;       /* the colour bar's left edge; it spans the plot's height */
  double r[2][2];     /* the range: {{w1_min, w1_max}, {w2_min, w2_max}} */
  double lh;          /* the height of a small (tick) label */
} Geometry;

struct _RvSurfaceMap
{
  GtkWidget parent_instance;

  RvSurfaceModel *model;
  gulong model_handlers[2];   /* one per model_signals */
  gboolean log_color;
  gboolean show_contours;
  gboolean show_field;

  /* the grid, one pixel per sample, row 0 at the top (w2 max) */
  cairo_surface_t *grid_image;
  guint grid_serial;
  gboolean grid_log;

  /* heat map + contours + arrows over the plot area, in device pixels */
  cairo_surface_t *layer;
  guint layer_serial;
  gboolean layer_log, layer_contours, layer_field;
  double layer_w, layer_h, layer_sx, layer_sy;

  int last_width, last_height;  /* of the last draw, for before allocation */

  RvChartHover hover;
  double drag_x, drag_y;        /* where the drag started */
};

G_DEFINE_FINAL_TYPE (RvSurfaceMap, rv_surface_map, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_LOG_COLOR,
  PROP_SHOW_CONTOURS,
  PROP_SHOW_GRADIENT_FIELD,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* The model's signals the view redraws on. */
static const char *const model_signals[] = { "changed", "runs-changed", NULL };

enum { START_DRAGGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Text */

static PangoLayout *
small_text (RvSurfaceMap *self, const char *text)
{
  return rv_plot_layout_new (GTK_WIDGET (self), text, PANGO_SCALE_SMALL, FALSE);
}

static PangoLayout *
markup_text (RvSurfaceMap *self, const char *markup, double scale)
{
  PangoLayout *layout = rv_plot_layout_new (GTK_WIDGET (self), NULL, scale, FALSE);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static double
text_width (RvSurfaceMap *self, const char *text)
{
  return rv_plot_text_width (GTK_WIDGET (self), text, PANGO_SCALE_SMALL, FALSE);
}

/* Ticks */

/* Axis ticks about every 3 label heights (rows) or 80 px (columns). */
static guint
axis_ticks (double lo, double hi, double pixels, double spacing, double *ticks, double *step)
{
  guint max_ticks = (guint) CLAMP (pixels / spacing, 2, 10);
  return rv_plot_ticks_linear (lo, hi, max_ticks, ticks, step);
}

/* The colour bar's ticks over bar_h pixels: nice steps on the linear scale;
 * on the log scale the loss minimum and powers of ten above it.  Ticks
 * closer than a label's height to the one below are dropped.  labels[k]
 * (freed by the caller) get the text. */
static guint
bar_ticks (RvSurfaceMap *self, double bar_h, double lh, double *values, char **labels)
{
  double lo, hi, raw[RV_PLOT_MAX_TICKS], step = 0.0;
  guint n_raw = 0, n = 0;

  rv_surface_model_get_loss_range (self->model, &lo, &hi);
  if (self->log_color)
    {
      double span = hi - lo;
      raw[n_raw++] = lo;
      double decades[RV_PLOT_MAX_TICKS];
      guint n_dec = rv_plot_ticks_log (span * 1e-3, span, 5, decades);
      for (guint k = 0; k < n_dec && n_raw < RV_PLOT_MAX_TICKS; k++)
        raw[n_raw++] = lo + decades[k];
    }
  else
    n_raw = axis_ticks (lo, hi, bar_h, 2.2 * lh, raw, &step);

  double last_px = -INFINITY;
  for (guint k = 0; k < n_raw; k++)
    {
      double px = rv_surface_model_normalize (self->model, raw[k], self->log_color) * bar_h;
      if (px - last_px < 1.2 * lh)
        continue;
      last_px = px;
      values[n] = raw[k];
      if (!self->log_color)
        labels[n] = rv_plot_format_tick (raw[k], step);
      else if (k == 0 && n_raw > 1)
        /* the minimum to the precision of the first decade: "0", not
         * "1.03e-4", where the grid's lowest sample is nearly 0 */
        labels[n] = rv_plot_format_at_resolution (raw[k], (raw[1] - raw[0]) / 10);
      else
        labels[n] = rv_plot_format_value (raw[k]);
      n++;
    }
  return n;
}

/* Layout */

static gboolean
compute_geometry (RvSurfaceMap *self, int width, int height, Geometry *g)
{
  memset (g, 0, sizeof *g);
  if (self->model == NULL || rv_surface_model_get_grid_n (self->model) == 0)
    return FALSE;

  rv_surface_model_get_range (self->model, &g->r[0][0], &g->r[0][1], &g->r[1][0], &g->r[1][1]);

  g_autoptr (PangoLayout) big = markup_text (self, "w<sub>2</sub>", 1.0);
  double lh = rv_plot_text_height (GTK_WIDGET (self), PANGO_SCALE_SMALL, FALSE), big_h, big_w;
  rv_plot_layout_size (big, &big_w, &big_h);
  g->lh = lh;

  double top = ceil (MAX (lh * 0.5 + 4, big_h + 8));
  double bottom = ceil (TICK_LEN + 2 + lh + 4 + big_h + 4);
  double plot_h = floor (height - top - bottom);
  if (plot_h < 40)
    return FALSE;

  /* the widest labels decide the side margins */
  double ticks[RV_PLOT_MAX_TICKS], step, w2_label_w = 0, bar_label_w = 0;
  guint n = axis_ticks (g->r[1][0], g->r[1][1], plot_h, 3 * lh, ticks, &step);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *s = rv_plot_format_tick (ticks[k], step);
      w2_label_w = MAX (w2_label_w, text_width (self, s));
    }
  char *labels[RV_PLOT_MAX_TICKS];
  n = bar_ticks (self, plot_h, lh, ticks, labels);
  for (guint k = 0; k < n; k++)
    {
      bar_label_w = MAX (bar_label_w, text_width (self, labels[k]));
      g_free (labels[k]);
    }

  double left = ceil (4 + big_h + 6 + w2_label_w + 3 + TICK_LEN);
  double right = ceil (BAR_GAP + BAR_WIDTH + TICK_LEN + 3 + MAX (bar_label_w, big_w) + 6);
  double plot_w = floor (width - left - right);
  if (plot_w < 40)
    return FALSE;

  g->x = left;
  g->y = top;
  g->w = plot_w;
  g->h = plot_h;
  g->bar_x = left + plot_w + BAR_GAP;
  return TRUE;
}

static inline void
to_screen (const Geometry *g, double w1, double w2, double *x, double *y)
{
  *x = g->x + (w1 - g->r[0][0]) / (g->r[0][1] - g->r[0][0]) * g->w;
  *y = g->y + g->h - (w2 - g->r[1][0]) / (g->r[1][1] - g->r[1][0]) * g->h;
}

static inline void
from_screen (const Geometry *g, double x, double y, double *w1, double *w2)
{
  *w1 = g->r[0][0] + (x - g->x) / g->w * (g->r[0][1] - g->r[0][0]);
  *w2 = g->r[1][0] + (g->y + g->h - y) / g->h * (g->r[1][1] - g->r[1][0]);
}

static gboolean
current_geometry (RvSurfaceMap *self, Geometry *g)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    {
      width = self->last_width;
      height = self->last_height;
    }
  return compute_geometry (self, width, height, g);
}

static gboolean
in_plot (const Geometry *g, double x, double y)
{
  return x >= g->x && x <= g->x + g->w && y >= g->y && y <= g->y + g->h;
}

/* The static layer */

static void
update_grid_image (RvSurfaceMap *self)
{
  guint serial = rv_surface_model_get_serial (self->model);
  guint n = rv_surface_model_get_grid_n (self->model);
  if (self->grid_image != NULL && self->grid_serial == serial && self->grid_log == self->log_color)
    return;

  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  self->grid_image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) n, (int) n);
  self->grid_serial = serial;
  self->grid_log = self->log_color;

  const double *loss = rv_surface_model_get_grid (self->model);
  guint8 *data = cairo_image_surface_get_data (self->grid_image);
  int stride = cairo_image_surface_get_stride (self->grid_image);
  cairo_surface_flush (self->grid_image);
  for (guint j = 0; j < n; j++)
    {
      /* w2 grows upwards: grid row j is image row n - 1 - j */
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) (n - 1 - j) * stride);
      for (guint i = 0; i < n; i++)
        {
          double t = rv_surface_model_normalize (self->model, loss[(gsize) j * n + i], self->log_color);
          double rgb[3];
          if (isnan (t))
            {
              row[i] = 0;  /* transparent where the surface is undefined */
              continue;
            }
          rv_viridis (t, rgb);
          row[i] = 0xff000000u
                   | (guint32) lround (rgb[0] * 255) << 16
                   | (guint32) lround (rgb[1] * 255) << 8
                   | (guint32) lround (rgb[2] * 255);
        }
    }
  cairo_surface_mark_dirty (self->grid_image);
}

static void
paint_heat_map (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  guint n = rv_surface_model_get_grid_n (self->model);
  update_grid_image (self);

  /* Pixel i's centre lies on sample w1[i], the first and last on the
   * plot's edges; bilinear filtering blends between samples. */
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (self->grid_image);
  cairo_matrix_t m;
  double a = (n - 1) / g->w, b = (n - 1) / g->h;
  cairo_matrix_init (&m, a, 0, 0, b, 0.5 - a * g->x, 0.5 - b * g->y);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
}

typedef struct
{
  cairo_t *cr;
  const Geometry *g;
  double cell_x, cell_y;  /* pixels per grid step */
} ContourPath;

static void
add_contour_segment (double x0, double y0, double x1, double y1, gpointer user_data)
{
  ContourPath *p = user_data;
  const Geometry *g = p->g;
  cairo_move_to (p->cr, g->x + x0 * p->cell_x, g->y + g->h - y0 * p->cell_y);
  cairo_line_to (p->cr, g->x + x1 * p->cell_x, g->y + g->h - y1 * p->cell_y);
}

static void
paint_contours (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  guint n = rv_surface_model_get_grid_n (self->model);
  const double *loss = rv_surface_model_get_grid (self->model);
  ContourPath path = { cr, g, g->w / (n - 1), g->h / (n - 1) };

  cairo_save (cr);
  cairo_set_line_width (cr, rv_plot_line (0.8));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int k = 0; k < N_LEVELS; k++)
    {
      double t = (k + 0.5) / N_LEVELS;
      double level = rv_surface_model_denormalize (self->model, t, self->log_color);
      rv_contour_march (loss, n, n, level, add_contour_segment, &path);
      /* light lines on the dark end of the map, dark ones on the bright end */
      if (t < 0.6)
        cairo_set_source_rgba (cr, 1, 1, 1, 0.38);
      else
        cairo_set_source_rgba (cr, 0, 0, 0, 0.32);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* Arrows along -gradient on a sparse grid, their length growing with the
 * square root of the slope so gentle regions still show a direction. */
static void
paint_gradient_field (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  const RvSurface *surface = rv_surface_model_get_surface (self->model);
  int nx = (int) CLAMP (g->w / 42, 4, 30), ny = (int) CLAMP (g->h / 42, 4, 30);
  double cw = g->w / nx, ch = g->h / ny;
  double px_per_w1 = g->w / (g->r[0][1] - g->r[0][0]);
  double px_per_w2 = g->h / (g->r[1][1] - g->r[1][0]);
  double dx[30][30], dy[30][30], mag[30][30], max_mag = 0;

  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        double w1, w2, g1 = 0, g2 = 0;
        from_screen (g, g->x + (i + 0.5) * cw, g->y + (j + 0.5) * ch, &w1, &w2);
        rv_surface_eval (surface, w1, w2, &g1, &g2);
        /* downhill, in pixels: screen y grows downwards */
        dx[j][i] = -g1 * px_per_w1;
        dy[j][i] = g2 * px_per_w2;
        mag[j][i] = hypot (dx[j][i], dy[j][i]);
        if (isfinite (mag[j][i]))
          max_mag = MAX (max_mag, mag[j][i]);
        else
          mag[j][i] = 0;
      }
  if (!(max_mag > 0))
    return;

  cairo_save (cr);
  cairo_set_line_width (cr, rv_plot_line (1.1));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  double full = 0.42 * MIN (cw, ch);
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        if (mag[j][i] <= max_mag * 1e-9)
          continue;
        double len = full * MAX (0.25, sqrt (mag[j][i] / max_mag));
        double ux = dx[j][i] / mag[j][i], uy = dy[j][i] / mag[j][i];
        double cx = g->x + (i + 0.5) * cw, cy = g->y + (j + 0.5) * ch;
        double tx = cx + ux * len, ty = cy + uy * len;
        double head = MIN (4.0, len * 0.6);
        cairo_move_to (cr, cx - ux * len, cy - uy * len);
        cairo_line_to (cr, tx, ty);
        cairo_move_to (cr, tx - head * (ux + 0.55 * uy), ty - head * (uy - 0.55 * ux));
        cairo_line_to (cr, tx, ty);
        cairo_line_to (cr, tx - head * (ux - 0.55 * uy), ty - head * (uy + 0.55 * ux));
      }
  rv_plot_stroke_cased (cr, &(GdkRGBA) { 1, 1, 1, 0.8 }, 0.35, 2.6, 1.1);
  cairo_restore (cr);
}

static void
paint_static (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  cairo_save (cr);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_clip (cr);
  paint_heat_map (self, cr, g);
  if (self->show_contours)
    paint_contours (self, cr, g);
  if (self->show_field)
    paint_gradient_field (self, cr, g);
  cairo_restore (cr);
}

/* Paints the static layer from the cache when drawing to an image (the
 * screen); vector targets (SVG, PDF) get it drawn afresh, as vectors. */
static void
draw_static_layer (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    {
      paint_static (self, cr, g);
      return;
    }

  double sx = 1, sy = 1;
  cairo_user_to_device_distance (cr, &sx, &sy);
  sx = fabs (sx);
  sy = fabs (sy);
  guint serial = rv_surface_model_get_serial (self->model);
  if (self->layer == NULL || self->layer_serial != serial || self->layer_log != self->log_color
      || self->layer_contours != self->show_contours || self->layer_field != self->show_field
      || self->layer_w != g->w || self->layer_h != g->h
      || self->layer_sx != sx || self->layer_sy != sy)
    {
      g_clear_pointer (&self->layer, cairo_surface_destroy);
      self->layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                (int) ceil (g->w * sx), (int) ceil (g->h * sy));
      cairo_surface_set_device_scale (self->layer, sx, sy);
      cairo_t *lc = cairo_create (self->layer);
      cairo_translate (lc, -g->x, -g->y);
      paint_static (self, lc, g);
      cairo_destroy (lc);
      self->layer_serial = serial;
      self->layer_log = self->log_color;
      self->layer_contours = self->show_contours;
      self->layer_field = self->show_field;
      self->layer_w = g->w;
      self->layer_h = g->h;
      self->layer_sx = sx;
      self->layer_sy = sy;
    }

  cairo_save (cr);
  cairo_set_source_surface (cr, self->layer, g->x, g->y);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Axes and colour bar */

static void
draw_axes (RvSurfaceMap *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  double ticks[RV_PLOT_MAX_TICKS], step;

  cairo_save (cr);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.55);
  cairo_rectangle (cr, g->x - 0.5, g->y - 0.5, g->w + 1, g->h + 1);
  cairo_stroke (cr);

  /* w1 along the bottom */
  guint n = axis_ticks (g->r[0][0], g->r[0][1], g->w, 80, ticks, &step);
  for (guint k = 0; k < n; k++)
    {
      double x, y;
      to_screen (g, ticks[k], g->r[1][0], &x, &y);
      x = round (x) + 0.5;
      rv_plot_set_source (cr, &style->fg, 0.55);
      cairo_move_to (cr, x, g->y + g->h + 0.5);
      cairo_line_to (cr, x, g->y + g->h + 0.5 + TICK_LEN);
      cairo_stroke (cr);
      g_autofree char *s = rv_plot_format_tick (ticks[k], step);
      g_autoptr (PangoLayout) l = small_text (self, s);
      rv_plot_set_source (cr, &style->fg, 0.8);
      rv_plot_show_layout (cr, l, x, g->y + g->h + TICK_LEN + 2, 0.5, 0.0);
    }

  /* w2 up the left side */
  n = axis_ticks (g->r[1][0], g->r[1][1], g->h, 3 * g->lh, ticks, &step);
  double label_left = g->x;
  for (guint k = 0; k < n; k++)
    {
      double x, y;
      to_screen (g, g->r[0][0], ticks[k], &x, &y);
      y = round (y) + 0.5;
      rv_plot_set_source (cr, &style->fg, 0.55);
      cairo_move_to (cr, g->x - 0.5, y);
      cairo_line_to (cr, g->x - 0.5 - TICK_LEN, y);
      cairo_stroke (cr);
      g_autofree char *s = rv_plot_format_tick (ticks[k], step);
      g_autoptr (PangoLayout) l = small_text (self, s);
      double lw;
      rv_plot_layout_size (l, &lw, NULL);
      label_left = MIN (label_left, g->x - TICK_LEN - 3 - lw);
      rv_plot_set_source (cr, &style->fg, 0.8);
      rv_plot_show_layout (cr, l, g->x - TICK_LEN - 3, y, 1.0, 0.5);
    }

  /* the axis names */
  rv_plot_set_source (cr, &style->fg, 1.0);
  g_autoptr (PangoLayout) w1 = markup_text (self, "w<sub>1</sub>", 1.0);
  rv_plot_show_layout (cr, w1, g->x + g->w / 2, g->y + g->h + TICK_LEN + 2 + g->lh + 4, 0.5, 0.0);
  g_autoptr (PangoLayout) w2 = markup_text (self, "w<sub>2</sub>", 1.0);
  double w2_w, w2_h;
  rv_plot_layout_size (w2, &w2_w, &w2_h);
  cairo_save (cr);
  cairo_translate (cr, label_left - 6 - w2_h / 2, g->y + g->h / 2);
  cairo_rotate (cr, -G_PI / 2);
  rv_plot_show_layout (cr, w2, 0, 0, 0.5, 0.5);
  cairo_restore (cr);
  cairo_restore (cr);
}

static void
draw_colorbar (RvSurfaceMap *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  double x = g->bar_x, top = g->y, h = g->h;

  cairo_save (cr);
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, top + h, 0, top);
  for (int k = 0; k <= 32; k++)
    {
      double rgb[3];
      rv_viridis (k / 32.0, rgb);
      cairo_pattern_add_color_stop_rgb (gradient, k / 32.0, rgb[0], rgb[1], rgb[2]);
    }
  cairo_set_source (cr, gradient);
  cairo_rectangle (cr, x, top, BAR_WIDTH, h);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.55);
  cairo_rectangle (cr, x - 0.5, top - 0.5, BAR_WIDTH + 1, h + 1);
  cairo_stroke (cr);

  double values[RV_PLOT_MAX_TICKS];
  char *labels[RV_PLOT_MAX_TICKS];
  guint n = bar_ticks (self, h, g->lh, values, labels);
  for (guint k = 0; k < n; k++)
    {
      double y = top + h - rv_surface_model_normalize (self->model, values[k], self->log_color) * h;
      y = round (y) + 0.5;
      rv_plot_set_source (cr, &style->fg, 0.55);
      cairo_move_to (cr, x + BAR_WIDTH + 0.5, y);
      cairo_line_to (cr, x + BAR_WIDTH + 0.5 + TICK_LEN, y);
      cairo_stroke (cr);
      g_autoptr (PangoLayout) l = small_text (self, labels[k]);
      rv_plot_set_source (cr, &style->fg, 0.8);
      rv_plot_show_layout (cr, l, x + BAR_WIDTH + TICK_LEN + 3, y, 0.0, 0.5);
      g_free (labels[k]);
    }

  g_autoptr (PangoLayout) title = rv_plot_layout_new (GTK_WIDGET (self), _("loss"), 1.0, FALSE);
  rv_plot_set_source (cr, &style->fg, 1.0);
  rv_plot_show_layout (cr, title, x, top - 6, 0.0, 1.0);
  cairo_restore (cr);
}

/* Runs */

/* Cuts segment a-b to the box (Liang-Barsky); FALSE when none of it is
 * inside.  Keeps cairo's fixed-point coordinates in range for paths that
 * fly far off the plot. */
static gboolean
clip_segment (const double box[4], double *ax, double *ay, double *bx, double *by)
{
  double dx = *bx - *ax, dy = *by - *ay, t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *ax - box[0], box[2] - *ax, *ay - box[1], box[3] - *ay };

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      double r = q[k] / p[k];
      if (p[k] < 0)
        {
          if (r > t1)
            return FALSE;
          t0 = MAX (t0, r);
        }
      else
        {
          if (r < t0)
            return FALSE;
          t1 = MIN (t1, r);
        }
    }
  double x0 = *ax, y0 = *ay;
  *ax = x0 + t0 * dx;
  *ay = y0 + t0 * dy;
  *bx = x0 + t1 * dx;
  *by = y0 + t1 * dy;
  return TRUE;
}

static void
path_run (cairo_t *cr, const Geometry *g, const RvTrajectoryPoint *p, guint n)
{
  const double box[4] = { g->x - FAR, g->y - FAR, g->x + g->w + FAR, g->y + g->h + FAR };
  double end_x = NAN, end_y = NAN;

  for (guint i = 1; i < n; i++)
    {
      double ax, ay, bx, by;
      to_screen (g, p[i - 1].w1, p[i - 1].w2, &ax, &ay);
      to_screen (g, p[i].w1, p[i].w2, &bx, &by);
      if (!isfinite (ax) || !isfinite (ay) || !isfinite (bx) || !isfinite (by))
        continue;
      if (!clip_segment (box, &ax, &ay, &bx, &by))
        continue;
      if (ax != end_x || ay != end_y)
        cairo_move_to (cr, ax, ay);
      cairo_line_to (cr, bx, by);
      end_x = bx;
      end_y = by;
    }
}

static void
draw_dots (cairo_t *cr, const Geometry *g, const RvTrajectoryPoint *p, guint n,
           const GdkRGBA *color)
{
  double radius = n > 200 ? 1.7 : 2.6;
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      double x, y;
      to_screen (g, p[i].w1, p[i].w2, &x, &y);
      if (!(x > g->x - 8 && x < g->x + g->w + 8 && y > g->y - 8 && y < g->y + g->h + 8))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
    }
  rv_plot_fill_outlined (cr, color, 0.6, 0.8);
}

/* The current point: a ring (or a cross where the run diverged); off the
 * plot, a wedge on the plot's edge pointing at it. */
static void
draw_current (cairo_t *cr, const Geometry *g, double x, double y, const GdkRGBA *color,
              gboolean diverged)
{
  if (!isfinite (x) || !isfinite (y))
    return;
  cairo_new_path (cr);

  if (!in_plot (g, x, y))
    {
      double cx = CLAMP (x, g->x + 9, g->x + g->w - 9);
      double cy = CLAMP (y, g->y + 9, g->y + g->h - 9);
      double ux = x - cx, uy = y - cy, len = hypot (ux, uy);
      ux /= len;
      uy /= len;
      /* slender, so that its direction reads at a glance */
      cairo_move_to (cr, cx + 7 * ux, cy + 7 * uy);
      cairo_line_to (cr, cx - 5 * ux + 3.5 * uy, cy - 5 * uy - 3.5 * ux);
      cairo_line_to (cr, cx - 5 * ux - 3.5 * uy, cy - 5 * uy + 3.5 * ux);
      cairo_close_path (cr);
      rv_plot_fill_outlined (cr, color, 0.7, 1.0);
      return;
    }

  if (diverged)
    {
      double s = 6;
      cairo_move_to (cr, x - s, y - s);
      cairo_line_to (cr, x + s, y + s);
      cairo_move_to (cr, x - s, y + s);
      cairo_line_to (cr, x + s, y - s);
    }
  else
    cairo_arc (cr, x, y, 6.5, 0, 2 * G_PI);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  rv_plot_stroke_cased (cr, color, 0.65, 4.5, 2.2);
}

static void
draw_runs (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  guint n_runs = rv_surface_model_get_n_runs (self->model);

  cairo_save (cr);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint r = 0; r < n_runs; r++)
    {
      guint n_points;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (self->model, r, &n_points);
      guint n = rv_surface_model_get_run_n_revealed (self->model, r);
      GdkRGBA color;
      rv_surface_model_get_run_color (self->model, r, &color);
      if (n == 0)
        continue;

      /* a dark casing under the coloured line reads on both ends of viridis */
      path_run (cr, g, p, n);
      rv_plot_stroke_cased (cr, &color, 0.55, 3.8, 1.8);
      draw_dots (cr, g, p, n, &color);
    }
  cairo_restore (cr);

  /* current points last, so no other path hides them */
  for (guint r = 0; r < n_runs; r++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (self->model, r, NULL);
      guint n = rv_surface_model_get_run_n_revealed (self->model, r);
      GdkRGBA color;
      double x, y;
      if (n == 0)
        continue;
      rv_surface_model_get_run_color (self->model, r, &color);
      to_screen (g, p[n - 1].w1, p[n - 1].w2, &x, &y);
      cairo_save (cr);
      draw_current (cr, g, x, y, &color, rv_surface_model_get_run_diverged_shown (self->model, r));
      cairo_restore (cr);
    }
}

/* A translucent box in the style's background colour. */
static void
draw_box (cairo_t *cr, const RvPlotStyle *style, double x, double y, double w, double h)
{
  cairo_new_path (cr);
  rv_plot_rounded_rectangle (cr, x, y, w, h, 5);
  rv_plot_set_source (cr, &style->bg, 0.85);
  cairo_fill_preserve (cr);
  rv_plot_set_source (cr, &style->fg, 0.25);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  cairo_stroke (cr);
}

/* The legend goes into whichever corner of the plot covers the fewest of
 * the revealed points. */
static void
draw_legend (RvSurfaceMap *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  guint n_runs = MIN (rv_surface_model_get_n_runs (self->model), 16);
  if (n_runs == 0)
    return;

  PangoLayout *labels[16];
  double text_w = 0, row_h = 0;
  for (guint r = 0; r < n_runs; r++)
    {
      const char *name = rv_surface_model_get_run_name (self->model, r);
      g_autofree char *text = rv_surface_model_get_run_diverged (self->model, r, NULL)
                              ? g_strdup_printf (_("%s — diverged"), name)
                              : g_strdup (name);
      labels[r] = small_text (self, text);
      double w, h;
      rv_plot_layout_size (labels[r], &w, &h);
      text_w = MAX (text_w, w);
      row_h = MAX (row_h, h + 3);
    }
  const double pad = 7, swatch = 22;
  double box_w = pad + swatch + 6 + text_w + pad, box_h = pad + n_runs * row_h + pad - 3;
  double margin = 8;
  double corners[4][2] = {
    { g->x + margin, g->y + margin },
    { g->x + g->w - margin - box_w, g->y + margin },
    { g->x + margin, g->y + g->h - margin - box_h },
    { g->x + g->w - margin - box_w, g->y + g->h - margin - box_h },
  };
  guint best = 0, best_count = G_MAXUINT;
  for (guint c = 0; c < 4; c++)
    {
      guint count = 0;
      for (guint r = 0; r < n_runs; r++)
        {
          const RvTrajectoryPoint *p = rv_surface_model_get_run_points (self->model, r, NULL);
          guint n = rv_surface_model_get_run_n_revealed (self->model, r);
          for (guint i = 0; i < n; i++)
            {
              double x, y;
              to_screen (g, p[i].w1, p[i].w2, &x, &y);
              count += x >= corners[c][0] - 6 && x <= corners[c][0] + box_w + 6
                       && y >= corners[c][1] - 6 && y <= corners[c][1] + box_h + 6;
            }
        }
      if (count < best_count)
        {
          best = c;
          best_count = count;
        }
    }

  double bx = corners[best][0], by = corners[best][1];
  cairo_save (cr);
  draw_box (cr, style, bx, by, box_w, box_h);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint r = 0; r < n_runs; r++)
    {
      GdkRGBA color;
      rv_surface_model_get_run_color (self->model, r, &color);
      double y = by + pad + r * row_h + (row_h - 3) / 2;
      double x0 = bx + pad;
      cairo_move_to (cr, x0 + 2, y);
      cairo_line_to (cr, x0 + swatch - 2, y);
      rv_plot_stroke_cased (cr, &color, 0.55, 4.2, 2.2);
      cairo_arc (cr, x0 + swatch / 2, y, 3.2, 0, 2 * G_PI);
      rv_plot_fill_outlined (cr, &color, 0.6, 0.8);
      rv_plot_set_source (cr, &style->fg, 1.0);
      rv_plot_show_layout (cr, labels[r], x0 + swatch + 6, y, 0.0, 0.5);
      g_object_unref (labels[r]);
    }
  cairo_restore (cr);
}

/* The hover box: where the pointer is, the loss and the gradient there. */
static void
draw_hover (RvSurfaceMap *self, cairo_t *cr, const Geometry *g, const RvPlotStyle *style)
{
  if (!self->hover.inside || !in_plot (g, self->hover.x, self->hover.y))
    return;

  double w1, w2, g1 = 0, g2 = 0;
  from_screen (g, self->hover.x, self->hover.y, &w1, &w2);
  double loss = rv_surface_eval (rv_surface_model_get_surface (self->model), w1, w2, &g1, &g2);
  double res1 = (g->r[0][1] - g->r[0][0]) / g->w, res2 = (g->r[1][1] - g->r[1][0]) / g->h;
  g_autofree char *s1 = rv_plot_format_at_resolution (w1, res1);
  g_autofree char *s2 = rv_plot_format_at_resolution (w2, res2);
  g_autofree char *sl = rv_plot_format_value (loss);
  g_autofree char *sg1 = rv_plot_format_value (g1);
  g_autofree char *sg2 = rv_plot_format_value (g2);
  /* Translators: Pango markup; the values are numbers */
  g_autofree char *markup = g_strdup_printf (_("w<sub>1</sub> = %s   w<sub>2</sub> = %s\n"
                                               "loss = %s\n"
                                               "gradient = (%s, %s)"),
                                             s1, s2, sl, sg1, sg2);
  g_autoptr (PangoLayout) layout = markup_text (self, markup, PANGO_SCALE_SMALL);
  double tw, th;
  rv_plot_layout_size (layout, &tw, &th);
  double pad = 6, bw = tw + 2 * pad, bh = th + 2 * pad;
  double bx = self->hover.x + 14, by = self->hover.y + 14;
  if (bx + bw > g->x + g->w)
    bx = self->hover.x - 14 - bw;
  if (by + bh > g->y + g->h)
    by = self->hover.y - 14 - bh;

  cairo_save (cr);
  /* text drawing leaves a current point behind: start afresh */
  cairo_new_path (cr);
  cairo_arc (cr, self->hover.x, self->hover.y, 4, 0, 2 * G_PI);
  rv_plot_stroke_cased (cr, &(GdkRGBA) { 1, 1, 1, 1 }, 0.6, 3, 1.4);
  draw_box (cr, style, bx, by, bw, bh);
  rv_plot_set_source (cr, &style->fg, 1.0);
  rv_plot_show_layout (cr, layout, bx + pad, by + pad, 0.0, 0.0);
  cairo_restore (cr);
}

static void
draw_chart (RvSurfaceMap *self, cairo_t *cr, int width, int height, gboolean interactive)
{
  RvPlotStyle style;
  Geometry g;

  rv_plot_style_init (&style, GTK_WIDGET (self));
  if (!compute_geometry (self, width, height, &g))
    {
      if (self->model == NULL || rv_surface_model_get_grid_n (self->model) == 0)
        {
          rv_plot_show_placeholder (cr, GTK_WIDGET (self), &style, _("No surface"), PANGO_SCALE_SMALL,
                                    width / 2.0, height / 2.0);
        }
      return;
    }

  draw_static_layer (self, cr, &g);
  draw_axes (self, cr, &g, &style);
  draw_colorbar (self, cr, &g, &style);
  draw_runs (self, cr, &g);
  draw_legend (self, cr, &g, &style);
  if (interactive)
    draw_hover (self, cr, &g, &style);
}

void
rv_surface_map_draw (RvSurfaceMap *self, cairo_t *cr, int width, int height)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  g_return_if_fail (cr != NULL);

  self->last_width = width;
  self->last_height = height;
  rv_plot_style_init (&style, GTK_WIDGET (self));
  cairo_save (cr);
  rv_plot_paint_background (cr, &style);
  draw_chart (self, cr, width, height, FALSE);
  cairo_restore (cr);
}

/* Coordinates */

gboolean
rv_surface_map_widget_to_w (RvSurfaceMap *self, double x, double y, double *w1, double *w2)
{
  Geometry g;
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  if (!current_geometry (self, &g))
    return FALSE;
  double a, b;
  from_screen (&g, x, y, &a, &b);
  if (w1 != NULL)
    *w1 = a;
  if (w2 != NULL)
    *w2 = b;
  return TRUE;
}

gboolean
rv_surface_map_w_to_widget (RvSurfaceMap *self, double w1, double w2, double *x, double *y)
{
  Geometry g;
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  if (!current_geometry (self, &g))
    return FALSE;
  double a, b;
  to_screen (&g, w1, w2, &a, &b);
  if (x != NULL)
    *x = a;
  if (y != NULL)
    *y = b;
  return TRUE;
}

gboolean
rv_surface_map_get_plot_area (RvSurfaceMap *self, graphene_rect_t *area)
{
  Geometry g;
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  if (!current_geometry (self, &g))
    return FALSE;
  if (area != NULL)
    graphene_rect_init (area, g.x, g.y, g.w, g.h);
  return TRUE;
}

/* Input */

static void
emit_start (RvSurfaceMap *self, const Geometry *g, double x, double y)
{
  double w1, w2;
  x = CLAMP (x, g->x, g->x + g->w);
  y = CLAMP (y, g->y, g->y + g->h);
  from_screen (g, x, y, &w1, &w2);
  g_signal_emit (self, signals[START_DRAGGED], 0, w1, w2);
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, RvSurfaceMap *self)
{
  Geometry g;
  if (!current_geometry (self, &g) || !in_plot (&g, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = x;
  self->drag_y = y;
  emit_start (self, &g, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, RvSurfaceMap *self)
{
  Geometry g;
  if (current_geometry (self, &g))
    emit_start (self, &g, self->drag_x + dx, self->drag_y + dy);
}

/* GObject and GtkWidget */

void
rv_surface_map_set_model (RvSurfaceMap *self, RvSurfaceModel *model)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  g_return_if_fail (model == NULL || RV_IS_SURFACE_MODEL (model));

  if (!rv_chart_model_set (&self->model, self->model_handlers, model_signals, model,
                           G_CALLBACK (gtk_widget_queue_draw), self))
    return;
  /* a new model's serial may repeat the old one's */
  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  g_clear_pointer (&self->layer, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEL]);
}

RvSurfaceModel *
rv_surface_map_get_model (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), NULL);
  return self->model;
}

static void
set_flag (RvSurfaceMap *self, gboolean *flag, gboolean value, int prop)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

void
rv_surface_map_set_log_color (RvSurfaceMap *self, gboolean log_color)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->log_color, log_color, PROP_LOG_COLOR);
}

gboolean
rv_surface_map_get_log_color (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  return self->log_color;
}

void
rv_surface_map_set_show_contours (RvSurfaceMap *self, gboolean show)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->show_contours, show, PROP_SHOW_CONTOURS);
}

gboolean
rv_surface_map_get_show_contours (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  return self->show_contours;
}

void
rv_surface_map_set_show_gradient_field (RvSurfaceMap *self, gboolean show)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->show_field, show, PROP_SHOW_GRADIENT_FIELD);
}

gboolean
rv_surface_map_get_show_gradient_field (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  return self->show_field;
}

static void
rv_surface_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (widget);
  int width, height;
  cairo_t *cr = rv_plot_snapshot_cairo (widget, snapshot, &width, &height);
  if (cr == NULL)
    return;

  self->last_width = width;
  self->last_height = height;
  draw_chart (self, cr, width, height, TRUE);
  cairo_destroy (cr);
}

static void
rv_surface_map_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 520;
    }
  else
    {
      *minimum = 200;
      *natural = 440;
    }
}

static void
rv_surface_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (object);
  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_LOG_COLOR:
      g_value_set_boolean (value, self->log_color);
      break;
    case PROP_SHOW_CONTOURS:
      g_value_set_boolean (value, self->show_contours);
      break;
    case PROP_SHOW_GRADIENT_FIELD:
      g_value_set_boolean (value, self->show_field);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_surface_map_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (object);
  switch (prop_id)
    {
    case PROP_MODEL:
      rv_surface_map_set_model (self, g_value_get_object (value));
      break;
    case PROP_LOG_COLOR:
      rv_surface_map_set_log_color (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_CONTOURS:
      rv_surface_map_set_show_contours (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_GRADIENT_FIELD:
      rv_surface_map_set_show_gradient_field (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_surface_map_dispose (GObject *object)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (object);
  rv_surface_map_set_model (self, NULL);
  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  g_clear_pointer (&self->layer, cairo_surface_destroy);
  G_OBJECT_CLASS (rv_surface_map_parent_class)->dispose (object);
}

static void
rv_surface_map_class_init (RvSurfaceMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rv_surface_map_dispose;
  object_class->get_property = rv_surface_map_get_property;
  object_class->set_property = rv_surface_map_set_property;
  widget_class->snapshot = rv_surface_map_snapshot;
  widget_class->measure = rv_surface_map_measure;

  props[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, RV_TYPE_SURFACE_MODEL,
                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                           | G_PARAM_STATIC_STRINGS);
  props[PROP_LOG_COLOR] = g_param_spec_boolean ("log-color", NULL, NULL, FALSE,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  props[PROP_SHOW_CONTOURS] = g_param_spec_boolean ("show-contours", NULL, NULL, TRUE,
                                                    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                    | G_PARAM_STATIC_STRINGS);
  props[PROP_SHOW_GRADIENT_FIELD] = g_param_spec_boolean ("show-gradient-field", NULL, NULL,
                                                          FALSE,
                                                          G_PARAM_READWRITE
                                                          | G_PARAM_EXPLICIT_NOTIFY
                                                          | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Pressed or dragged with the primary button to (w1, w2), within the
   * plot's range. */
  signals[START_DRAGGED] = g_signal_new ("start-dragged", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "surface-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rv_surface_map_init (RvSurfaceMap *self)
{
  self->show_contours = TRUE;

  rv_chart_hover_track (GTK_WIDGET (self), &self->hover, TRUE, gtk_widget_queue_draw);

  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loss surface seen from above, with optimizer paths"), -1);
}

GtkWidget *
rv_surface_map_new (RvSurfaceModel *model)
{
  return g_object_new (RV_TYPE_SURFACE_MAP, "model", model, NULL);
}
