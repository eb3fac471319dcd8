/* rv-surface-map.c: the heat map, its axes and colour bar, the runs drawn
 * over it and their legend, all with cairo, on the RvChart base.
 *
 * The map has a view of its own (a centre and a span in w, fitted to the
 * runs or to the model's range, then zoomed and panned), drawn at one
 * scale on both axes, and samples the surface over it itself.  Caches keep
 * animation cheap: that grid and its n x n image (rebuilt when the view,
 * the surface or the colour scale changes), and the plot's static layer
 * (the scaled heat map, contours and arrows) at the plot's size in device
 * pixels.  A frame paints the layer and draws axes, paths and text on top. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-chart.h"
#include "rv-colormap.h"
#include "rv-contour.h"
#include "rv-plot.h"
#include "rv-surface-map.h"

#define N_LEVELS   12     /* contour levels, evenly spaced in colour */
#define TICK_LEN   4.0
#define BAR_WIDTH  14.0
#define BAR_GAP    14.0   /* between the plot and the colour bar */
#define LEGEND_GAP 12.0   /* between the colour bar's labels and a legend beside them */
#define FAR        1e5    /* paths are cut this many pixels outside the plot */
#define FIT_PAD    0.08   /* the fitted view's margin, a share of its size */
#define FIT_REACH  20.0   /* points further than this many ranges off are left to the edge wedges */
#define START_GRAB 10.0   /* pixels around the start marker that drag it */
#define MIN_PLOT_SHARE 0.62  /* of its width the plot may give to a legend beside it */

/* Where everything goes at one size. */
typedef struct
{
  double x, y, w, h;  /* the plot area; x and y on whole pixels */
  double c[2];        /* the view's centre, at the plot's centre */
  double s;           /* pixels per unit of w, on both axes */
  double r[2][2];     /* the visible range: {{w1_min, w1_max}, {w2_min, w2_max}} */
  double bar_x;       /* the colour bar's left edge; it spans the plot's height */
  double bar_extent;  /* from bar_x to the right end of its labels */
  double lh;          /* the height of a small (tick) label */
  RvChartLegendPlace legend;
} Geometry;

typedef enum { DRAG_NONE, DRAG_START, DRAG_PAN } DragMode;

struct _RvSurfaceMap
{
  RvChart parent_instance;

  gboolean log_color;
  gboolean show_contours;
  gboolean show_field;
  gboolean fit_runs;
  gboolean show_inspector;
  int inspector_run;               /* whose arrows are labelled, -1: none */

  /* The view: fitted (view_auto: refitted as the runs change) until zoomed
   * or panned; centre and half spans in w. */
  gboolean view_auto;
  double view_c[2], view_half[2];
  gpointer seen_model;            /* not a reference: to notice a new one */
  const RvSurface *seen_surface;  /* a new surface is fitted afresh */

  /* the surface sampled over the visible range */
  double *grid;
  guint grid_n, grid_model_serial, grid_version;
  double grid_r[2][2];
  double loss_min, loss_max;

  /* the grid, one pixel per sample, row 0 at the top (w2 max) */
  cairo_surface_t *grid_image;
  guint image_version;
  gboolean image_log;

  /* heat map + contours + arrows over the plot area, in device pixels */
  cairo_surface_t *layer;
  guint layer_version;
  gboolean layer_log, layer_contours, layer_field;
  double layer_w, layer_h, layer_sx, layer_sy;

  int last_width, last_height;  /* of the last draw, for before allocation */

  DragMode drag;
  double drag_x, drag_y;        /* where the drag started */
  double drag_w[2];             /* the w there (pan), or the start marker's (start) */
  const char *cursor;
};

G_DEFINE_FINAL_TYPE (RvSurfaceMap, rv_surface_map, RV_TYPE_CHART)

enum
{
  PROP_0,
  PROP_LOG_COLOR,
  PROP_SHOW_CONTOURS,
  PROP_SHOW_GRADIENT_FIELD,
  PROP_FIT_RUNS,
  PROP_SHOW_INSPECTOR,
  PROP_INSPECTOR_RUN,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* The model's signals the view redraws on. */
static const char *const model_signals[] = { "changed", "runs-changed", NULL };

enum { START_DRAGGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static RvSurfaceModel *
get_model (RvSurfaceMap *self)
{
  return rv_chart_get_model (RV_CHART (self));
}

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

/* The view */

/* The range fitted now: every run's points (the start among them) padded
 * by FIT_PAD, or the model's range without runs or with fit-runs off. */
static void
fitted_range (RvSurfaceMap *self, double r[2][2])
{
  RvSurfaceModel *model = get_model (self);
  double own[2][2], lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };

  rv_surface_model_get_range (model, &own[0][0], &own[0][1], &own[1][0], &own[1][1]);
  memcpy (r, own, sizeof own);
  if (!self->fit_runs)
    return;

  for (guint k = 0; k < rv_surface_model_get_n_runs (model); k++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, k, &n);
      for (guint i = 0; i < n; i++)
        {
          double w[2] = { p[i].w1, p[i].w2 };
          gboolean near = TRUE;
          for (int a = 0; a < 2; a++)
            near = near && isfinite (w[a])
                   && fabs (w[a] - (own[a][0] + own[a][1]) / 2) < FIT_REACH * (own[a][1] - own[a][0]);
          if (!near)
            continue;
          for (int a = 0; a < 2; a++)
            {
              lo[a] = MIN (lo[a], w[a]);
              hi[a] = MAX (hi[a], w[a]);
            }
        }
    }
  if (!(lo[0] <= hi[0]))
    return;
  /* a path along one line still gets a plot of some height */
  double size[2] = { hi[0] - lo[0], hi[1] - lo[1] };
  double least = 0.05 * MAX (MAX (size[0], size[1]), MIN (own[0][1] - own[0][0], own[1][1] - own[1][0]));
  for (int a = 0; a < 2; a++)
    {
      double half = MAX (size[a], least) * (0.5 + FIT_PAD), mid = (lo[a] + hi[a]) / 2;
      r[a][0] = mid - half;
      r[a][1] = mid + half;
    }
}

static void
set_view_range (RvSurfaceMap *self, double r[2][2])
{
  for (int a = 0; a < 2; a++)
    {
      self->view_c[a] = (r[a][0] + r[a][1]) / 2;
      self->view_half[a] = (r[a][1] - r[a][0]) / 2;
    }
}

/* Refits a view that follows the runs, but never under a dragged start:
 * the map would slide away from the pointer. */
static void
refit (RvSurfaceMap *self)
{
  if (!self->view_auto || self->drag == DRAG_START || get_model (self) == NULL)
    return;
  double r[2][2];
  fitted_range (self, r);
  set_view_range (self, r);
}

/* The grid */

static double
normalize (RvSurfaceMap *self, double loss)
{
  return rv_surface_normalize_loss (loss, self->loss_min, self->loss_max, self->log_color);
}

/* Samples the surface over r, as the model samples its own range, unless
 * that is done already. */
static void
ensure_grid (RvSurfaceMap *self, const double r[2][2])
{
  RvSurfaceModel *model = get_model (self);
  guint serial = rv_surface_model_get_serial (model);
  guint n = MAX (rv_surface_model_get_grid_n (model), 2);

  if (self->grid != NULL && self->grid_model_serial == serial && self->grid_n == n
      && memcmp (self->grid_r, r, sizeof self->grid_r) == 0)
    return;

  RvSurface view = *rv_surface_model_get_surface (model);
  g_autofree double *w1 = g_new (double, n);
  g_autofree double *w2 = g_new (double, n);

  memcpy (view.range, r, sizeof view.range);
  g_free (self->grid);
  self->grid = g_new (double, (gsize) n * n);
  rv_surface_sample_grid (&view, n, w1, w2, self->grid);
  self->grid_n = n;
  self->grid_model_serial = serial;
  memcpy (self->grid_r, r, sizeof self->grid_r);
  self->grid_version++;

  double lo = INFINITY, hi = -INFINITY;
  for (gsize k = 0; k < (gsize) n * n; k++)
    if (isfinite (self->grid[k]))
      {
        lo = MIN (lo, self->grid[k]);
        hi = MAX (hi, self->grid[k]);
      }
  self->loss_min = lo <= hi ? lo : 0.0;
  /* a flat surface still needs a scale */
  self->loss_max = lo < hi ? hi : self->loss_min + 1.0;
}

static void
drop_caches (RvSurfaceMap *self)
{
  g_clear_pointer (&self->grid, g_free);
  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  g_clear_pointer (&self->layer, cairo_surface_destroy);
}

/* Ticks */

/* Axis ticks about every 3 label heights (rows) or 40 px (columns). */
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
  double lo = self->loss_min, hi = self->loss_max, raw[RV_PLOT_MAX_TICKS], step = 0.0;
  guint n_raw = 0, n = 0;

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
      double px = normalize (self, raw[k]) * bar_h;
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

static double
widest_w2_label (RvSurfaceMap *self, const double r[2][2], double plot_h, double lh)
{
  double ticks[RV_PLOT_MAX_TICKS], step, widest = 0;
  guint n = axis_ticks (r[1][0], r[1][1], plot_h, 3 * lh, ticks, &step);

  for (guint k = 0; k < n; k++)
    {
      g_autofree char *s = rv_plot_format_tick (ticks[k], step);
      widest = MAX (widest, text_width (self, s));
    }
  return widest;
}

static double
widest_bar_label (RvSurfaceMap *self, double plot_h, double lh)
{
  double values[RV_PLOT_MAX_TICKS], widest = 0;
  char *labels[RV_PLOT_MAX_TICKS];
  guint n = bar_ticks (self, plot_h, lh, values, labels);

  for (guint k = 0; k < n; k++)
    {
      widest = MAX (widest, text_width (self, labels[k]));
      g_free (labels[k]);
    }
  return widest;
}

/* Layout */

/* The plot is the largest rectangle of the view's shape (one scale on both
 * axes) that leaves room for the axes, the colour bar and, where it keeps
 * most of its size, a legend beside them; all of it centred. */
static gboolean
compute_geometry (RvSurfaceMap *self, int width, int height, Geometry *g)
{
  RvSurfaceModel *model = get_model (self);

  memset (g, 0, sizeof *g);
  if (model == NULL || rv_surface_model_get_surface (model) == NULL)
    return FALSE;

  double half[2] = { self->view_half[0], self->view_half[1] };
  double r[2][2] = { { self->view_c[0] - half[0], self->view_c[0] + half[0] },
                     { self->view_c[1] - half[1], self->view_c[1] + half[1] } };
  if (!(half[0] > 0 && half[1] > 0) || !isfinite (half[0] + half[1] + self->view_c[0] + self->view_c[1]))
    return FALSE;
  ensure_grid (self, (const double (*)[2]) r);

  g_autofree char *w2_markup = rv_surface_axis_markup (rv_surface_model_get_surface (model), 1);
  g_autoptr (PangoLayout) big = markup_text (self, w2_markup, 1.0);
  double lh = rv_plot_text_height (GTK_WIDGET (self), PANGO_SCALE_SMALL, FALSE), big_h, big_w;
  rv_plot_layout_size (big, &big_w, &big_h);
  g_autoptr (PangoLayout) loss = rv_plot_layout_new (GTK_WIDGET (self), _("loss"), 1.0, FALSE);
  double loss_w, loss_h;
  rv_plot_layout_size (loss, &loss_w, &loss_h);
  g->lh = lh;

  /* room above for the colour bar's title over its top label */
  double top = ceil (MAX (lh * 0.5 + 4, lh * 0.5 + 2 + loss_h + 4));
  double bottom = ceil (TICK_LEN + 2 + lh + 4 + big_h + 4);
  double avail_h = floor (height - top - bottom);
  if (avail_h < 40)
    return FALSE;

  /* The legend beside the plot, measured as drawn there: the base puts
   * it there in a frame wide enough. */
  rv_chart_legend_reserve (RV_CHART (self), width, &GRAPHENE_RECT_INIT (0, 0, 1e5, avail_h), &g->legend);
  gboolean beside = g->legend.n_items > 0 && g->legend.outside;
  double legend_w = beside ? LEGEND_GAP + g->legend.width : 0.0;

  /* Tick labels depend on the plot's height and the plot's width on
   * theirs: measure at a guess, then again at the size it gave. */
  double w2_label_w = 0, bar_label_w = 0, plot_h = avail_h, left = 0, right = 0, fw = 0;
  for (int pass = 0; pass < 3; pass++)
    {
      double wl = widest_w2_label (self, (const double (*)[2]) r, plot_h, lh);
      double wb = MAX (widest_bar_label (self, plot_h, lh), MAX (big_w, loss_w - BAR_WIDTH - TICK_LEN - 3));
      if (pass > 0 && wl <= w2_label_w && wb <= bar_label_w)
        break;
      w2_label_w = MAX (w2_label_w, wl);
      bar_label_w = MAX (bar_label_w, wb);
      left = ceil (4 + big_h + 6 + w2_label_w + 3 + TICK_LEN);
      right = ceil (BAR_GAP + BAR_WIDTH + TICK_LEN + 3 + bar_label_w + 6);
      fw = width - left - right;
      double full_s = MIN (fw / (2 * half[0]), avail_h / (2 * half[1]));
      /* a legend beside the group takes from the plot only what it can spare */
      double s = MIN (full_s, (fw - legend_w) / (2 * half[0]));
      if (beside && s < MIN_PLOT_SHARE * full_s)
        {
          beside = FALSE;
          legend_w = 0;
          s = full_s;
        }
      g->s = s;
      plot_h = 2 * half[1] * s;
    }
  /* No room beside: no legend rather than one over the race; the runs
   * list and the loss chart name the same colours. */
  if (!beside)
    g->legend.n_items = 0;
  if (fw < 40 || g->s <= 0 || !isfinite (g->s))
    return FALSE;

  g->w = 2 * half[0] * g->s;
  g->h = 2 * half[1] * g->s;
  double group_w = left + g->w + right + legend_w;
  g->x = floor ((width - group_w) / 2 + left);
  g->y = floor (top + (avail_h - g->h) / 2);
  g->c[0] = self->view_c[0];
  g->c[1] = self->view_c[1];
  memcpy (g->r, r, sizeof r);
  g->bar_x = g->x + g->w + BAR_GAP;
  g->bar_extent = BAR_WIDTH + TICK_LEN + 3 + bar_label_w;
  if (beside)
    {
      g->legend.x = round (g->bar_x + g->bar_extent + LEGEND_GAP);
      g->legend.y = g->y;
    }
  return TRUE;
}

static inline void
to_screen (const Geometry *g, double w1, double w2, double *x, double *y)
{
  *x = g->x + g->w / 2 + (w1 - g->c[0]) * g->s;
  *y = g->y + g->h / 2 - (w2 - g->c[1]) * g->s;
}

static inline void
from_screen (const Geometry *g, double x, double y, double *w1, double *w2)
{
  *w1 = g->c[0] + (x - g->x - g->w / 2) / g->s;
  *w2 = g->c[1] - (y - g->y - g->h / 2) / g->s;
}

static void
widget_size (RvSurfaceMap *self, int *width, int *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self));
  *height = gtk_widget_get_height (GTK_WIDGET (self));
  if (*width <= 0 || *height <= 0)
    {
      *width = self->last_width;
      *height = self->last_height;
    }
}

static gboolean
current_geometry (RvSurfaceMap *self, Geometry *g)
{
  int width, height;

  widget_size (self, &width, &height);
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
  guint n = self->grid_n;
  if (self->grid_image != NULL && self->image_version == self->grid_version && self->image_log == self->log_color)
    return;

  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  self->grid_image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) n, (int) n);
  self->image_version = self->grid_version;
  self->image_log = self->log_color;

  guint8 *data = cairo_image_surface_get_data (self->grid_image);
  int stride = cairo_image_surface_get_stride (self->grid_image);
  cairo_surface_flush (self->grid_image);
  for (guint j = 0; j < n; j++)
    {
      /* w2 grows upwards: grid row j is image row n - 1 - j */
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) (n - 1 - j) * stride);
      for (guint i = 0; i < n; i++)
        {
          double t = normalize (self, self->grid[(gsize) j * n + i]);
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
  guint n = self->grid_n;
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
  guint n = self->grid_n;
  const double *loss = self->grid;
  ContourPath path = { cr, g, g->w / (n - 1), g->h / (n - 1) };

  cairo_save (cr);
  cairo_set_line_width (cr, rv_plot_line (0.8));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int k = 0; k < N_LEVELS; k++)
    {
      double t = (k + 0.5) / N_LEVELS;
      double level = rv_surface_denormalize_loss (t, self->loss_min, self->loss_max, self->log_color);
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
  const RvSurface *surface = rv_surface_model_get_surface (get_model (self));
  int nx = (int) CLAMP (g->w / 42, 4, 30), ny = (int) CLAMP (g->h / 42, 4, 30);
  double cw = g->w / nx, ch = g->h / ny;
  double dx[30][30], dy[30][30], mag[30][30], max_mag = 0;

  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        double w1, w2, g1 = 0, g2 = 0;
        from_screen (g, g->x + (i + 0.5) * cw, g->y + (j + 0.5) * ch, &w1, &w2);
        rv_surface_eval (surface, w1, w2, &g1, &g2);
        /* downhill, in pixels: screen y grows downwards */
        dx[j][i] = -g1 * g->s;
        dy[j][i] = g2 * g->s;
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
  if (self->layer == NULL || self->layer_version != self->grid_version || self->layer_log != self->log_color
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
      self->layer_version = self->grid_version;
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
  cairo_rectangle (cr, g->x - 0.5, g->y - 0.5, round (g->w) + 1, round (g->h) + 1);
  cairo_stroke (cr);

  /* w1 along the bottom */
  guint n = axis_ticks (g->r[0][0], g->r[0][1], g->w, 40, ticks, &step);
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
  const RvSurface *surface = rv_surface_model_get_surface (get_model (self));
  g_autofree char *w1_markup = rv_surface_axis_markup (surface, 0);
  g_autofree char *w2_markup = rv_surface_axis_markup (surface, 1);
  g_autoptr (PangoLayout) w1 = markup_text (self, w1_markup, 1.0);
  rv_plot_show_layout (cr, w1, g->x + g->w / 2, g->y + g->h + TICK_LEN + 2 + g->lh + 4, 0.5, 0.0);
  g_autoptr (PangoLayout) w2 = markup_text (self, w2_markup, 1.0);
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
      double y = top + h - normalize (self, values[k]) * h;
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
  rv_plot_show_layout (cr, title, x, top - g->lh * 0.5 - 2, 0.0, 1.0);
  cairo_restore (cr);
}

/* Segments are cut to a box around the plot: cairo's fixed-point
 * coordinates stay in range for paths that fly far off it. */
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
      if (!rv_plot_clip_segment (box, &ax, &ay, &bx, &by))
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

/* The step inspector */

#define ARROW_SHARE 0.2  /* of the plot's shorter side: the longest arrow */

/* The vectors of a state for its kind, without scales; returns how many. */
static guint
state_arrows (const RvTrajectoryState *st, const RvTrajectoryPoint *p, RvSurfaceMapArrow *out)
{
  guint n = 0;
#define ADD(k, a, b) out[n++] = (RvSurfaceMapArrow) { (k), p->w1, p->w2, (a), (b), 0 }
  ADD (RV_SURFACE_MAP_ARROW_GRADIENT, -st->grad[0], -st->grad[1]);
  switch (st->kind)
    {
    case RV_OPTIM_MOMENTUM:
    case RV_OPTIM_HEAVY_BALL:
    case RV_OPTIM_NESTEROV:
      ADD (RV_SURFACE_MAP_ARROW_VELOCITY, -st->velocity[0], -st->velocity[1]);
      break;
    case RV_OPTIM_RMSPROP:
    case RV_OPTIM_ADAGRAD:
      ADD (RV_SURFACE_MAP_ARROW_SQRT_V, st->sqrt_v_hat[0], st->sqrt_v_hat[1]);
      break;
    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
      ADD (RV_SURFACE_MAP_ARROW_M_HAT, -st->m_hat[0], -st->m_hat[1]);
      ADD (RV_SURFACE_MAP_ARROW_SQRT_V, st->sqrt_v_hat[0], st->sqrt_v_hat[1]);
      break;
    case RV_OPTIM_SGD:
    case RV_OPTIM_COUNT:
    default:
      break;
    }
  ADD (RV_SURFACE_MAP_ARROW_STEP, st->step[0], st->step[1]);
#undef ADD
  return n;
}

/* The state at run's current point, or NULL when none is drawn. */
static const RvTrajectoryState *
current_state (RvSurfaceMap *self, guint run, const RvTrajectoryPoint **point)
{
  RvSurfaceModel *model = get_model (self);
  if (!self->show_inspector || model == NULL || run >= rv_surface_model_get_n_runs (model))
    return NULL;
  guint n = rv_surface_model_get_run_n_revealed (model, run);
  if (n == 0 || rv_surface_model_get_run_diverged_shown (model, run))
    return NULL;
  *point = &rv_surface_model_get_run_points (model, run, NULL)[n - 1];
  return rv_surface_model_get_run_state (model, run, n - 1);
}

static double
longest_step (RvSurfaceMap *self)
{
  RvSurfaceModel *model = get_model (self);
  double longest = 0;
  guint n_runs = model != NULL ? rv_surface_model_get_n_runs (model) : 0;
  for (guint r = 0; r < n_runs; r++)
    {
      const RvTrajectoryPoint *p;
      const RvTrajectoryState *st = current_state (self, r, &p);
      if (st != NULL && isfinite (hypot (st->step[0], st->step[1])))
        longest = MAX (longest, hypot (st->step[0], st->step[1]));
    }
  return longest;
}

/* 10^k >= 1 so that the longest step, magnified, is at most the longest
 * arrow and at least a tenth of it. */
static double
step_factor (RvSurfaceMap *self, const Geometry *g)
{
  double longest_px = longest_step (self) * g->s, want = ARROW_SHARE * MIN (g->w, g->h);
  if (!(longest_px > 0) || longest_px >= want / 10)
    return 1.0;
  return pow (10, floor (log10 (want / longest_px)));
}

/* run's arrows with their scales in layout g. */
static guint
layout_arrows (RvSurfaceMap *self, const Geometry *g, guint run, RvSurfaceMapArrow *arrows)
{
  const RvTrajectoryPoint *p;
  const RvTrajectoryState *st = current_state (self, run, &p);
  if (st == NULL)
    return 0;
  guint n = state_arrows (st, p, arrows);
  double longest = 0;
  for (guint i = 0; i < n; i++)
    if (arrows[i].kind != RV_SURFACE_MAP_ARROW_STEP && isfinite (hypot (arrows[i].d1, arrows[i].d2)))
      longest = MAX (longest, hypot (arrows[i].d1, arrows[i].d2));
  double per_unit = longest > 0 ? ARROW_SHARE * MIN (g->w, g->h) / longest : 0;
  double factor = step_factor (self, g);
  for (guint i = 0; i < n; i++)
    arrows[i].scale = arrows[i].kind == RV_SURFACE_MAP_ARROW_STEP ? g->s * factor : per_unit;
  return n;
}

static char *
arrow_label (RvSurfaceMapArrowKind kind, double factor)
{
  switch (kind)
    {
    case RV_SURFACE_MAP_ARROW_GRADIENT:
      return g_strdup ("−g");
    case RV_SURFACE_MAP_ARROW_VELOCITY:
      return g_strdup ("−m");
    case RV_SURFACE_MAP_ARROW_M_HAT:
      return g_strdup ("−m̂");
    case RV_SURFACE_MAP_ARROW_SQRT_V:
      return g_strdup ("√v̂");
    case RV_SURFACE_MAP_ARROW_STEP:
    case RV_SURFACE_MAP_N_ARROW_KINDS:
    default:
      if (factor > 1)
        {
          g_autofree char *times = rv_plot_format_count ((guint64) factor);
          return g_strdup_printf ("Δw ×%s", times);
        }
      return g_strdup ("Δw");
    }
}

static void
draw_arrow (cairo_t *cr, double x, double y, double tx, double ty)
{
  double len = hypot (tx - x, ty - y);
  if (!(len >= 1) || !isfinite (len))
    return;
  double ux = (tx - x) / len, uy = (ty - y) / len, head = MIN (7.0, len * 0.5);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, tx, ty);
  cairo_move_to (cr, tx - head * (ux + 0.5 * uy), ty - head * (uy - 0.5 * ux));
  cairo_line_to (cr, tx, ty);
  cairo_line_to (cr, tx - head * (ux - 0.5 * uy), ty - head * (uy + 0.5 * ux));
}

static void
draw_inspector (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  RvSurfaceModel *model = get_model (self);
  guint n_runs = rv_surface_model_get_n_runs (model);
  double factor = step_factor (self, g);
  graphene_rect_t placed[RV_SURFACE_MAP_N_ARROW_KINDS];  /* the labels so far */
  guint n_placed = 0;

  cairo_save (cr);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint k = 0; k < n_runs; k++)
    {
      /* the labelled run last, on top of the others */
      guint r = self->inspector_run >= 0 && (guint) self->inspector_run < n_runs
                ? (k + self->inspector_run + 1) % n_runs : k;
      RvSurfaceMapArrow arrows[RV_SURFACE_MAP_N_ARROW_KINDS];
      guint n = layout_arrows (self, g, r, arrows);
      GdkRGBA color;
      rv_surface_model_get_run_color (model, r, &color);
      for (guint i = 0; i < n; i++)
        {
          const RvSurfaceMapArrow *a = &arrows[i];
          double x, y;
          to_screen (g, a->w1, a->w2, &x, &y);
          double tx = x + a->d1 * a->scale, ty = y - a->d2 * a->scale;
          static const double dash[] = { 5, 3 }, dots[] = { 1.5, 3 };
          cairo_set_dash (cr, NULL, 0, 0);
          if (a->kind == RV_SURFACE_MAP_ARROW_VELOCITY || a->kind == RV_SURFACE_MAP_ARROW_M_HAT)
            cairo_set_dash (cr, dash, 2, 0);
          else if (a->kind == RV_SURFACE_MAP_ARROW_SQRT_V)
            cairo_set_dash (cr, dots, 2, 0);
          draw_arrow (cr, x, y, tx, ty);
          /* one colour per run; the kind shows in the line: thin -g,
           * dashed -m and -m-hat, dotted sqrt(v-hat), a thick step */
          rv_plot_stroke_cased (cr, &color, 0.7, a->kind == RV_SURFACE_MAP_ARROW_STEP ? 5.4 : 3.4,
                                a->kind == RV_SURFACE_MAP_ARROW_STEP ? 3.0 : 1.5);
          if ((int) r == self->inspector_run && isfinite (tx) && isfinite (ty) && hypot (tx - x, ty - y) >= 1)
            {
              g_autofree char *label = arrow_label (a->kind, factor);
              g_autoptr (PangoLayout) l = small_text (self, label);
              double len = hypot (tx - x, ty - y);
              double ax = tx + 7 * (tx - x) / len, ay = ty + 7 * (ty - y) / len;
              int lw, lh;
              pango_layout_get_pixel_size (l, &lw, &lh);
              /* white on a dark halo reads on either end of viridis */
              cairo_set_dash (cr, NULL, 0, 0);
              /* arrows that point alike would stack their labels: move
               * a label down past those already placed */
              graphene_rect_t box = GRAPHENE_RECT_INIT (tx >= x ? ax : ax - lw, ay - lh / 2.0, lw, lh);
              for (guint j = 0; j < n_placed; j++)
                if (graphene_rect_intersection (&box, &placed[j], NULL))
                  {
                    box.origin.y = placed[j].origin.y + placed[j].size.height + 1;
                    j = (guint) -1;  /* check them all again */
                  }
              placed[n_placed++] = box;
              cairo_move_to (cr, box.origin.x, box.origin.y);
              pango_cairo_layout_path (cr, l);
              cairo_set_source_rgba (cr, 0, 0, 0, 0.75);
              cairo_set_line_width (cr, 3);
              cairo_stroke_preserve (cr);
              cairo_set_source_rgba (cr, 1, 1, 1, 1);
              cairo_fill (cr);
            }
        }
    }
  cairo_restore (cr);
}

static void
draw_runs (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  RvSurfaceModel *model = get_model (self);
  guint n_runs = rv_surface_model_get_n_runs (model);

  cairo_save (cr);
  cairo_rectangle (cr, g->x, g->y, g->w, g->h);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint r = 0; r < n_runs; r++)
    {
      guint n_points;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n_points);
      guint n = rv_surface_model_get_run_n_revealed (model, r);
      GdkRGBA color;
      rv_surface_model_get_run_color (model, r, &color);
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
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, NULL);
      guint n = rv_surface_model_get_run_n_revealed (model, r);
      GdkRGBA color;
      double x, y;
      if (n == 0)
        continue;
      rv_surface_model_get_run_color (model, r, &color);
      to_screen (g, p[n - 1].w1, p[n - 1].w2, &x, &y);
      cairo_save (cr);
      draw_current (cr, g, x, y, &color, rv_surface_model_get_run_diverged_shown (model, r));
      cairo_restore (cr);
    }
  if (self->show_inspector)
    draw_inspector (self, cr, g);
}

/* The start: the first point of the first run that has one. */
static gboolean
get_start (RvSurfaceMap *self, double *w1, double *w2)
{
  RvSurfaceModel *model = get_model (self);

  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n);
      if (n > 0 && isfinite (p[0].w1) && isfinite (p[0].w2))
        {
          *w1 = p[0].w1;
          *w2 = p[0].w2;
          return TRUE;
        }
    }
  return FALSE;
}

/* A white disc under the paths, there before the race starts, to drag. */
static void
draw_start (RvSurfaceMap *self, cairo_t *cr, const Geometry *g)
{
  double w1, w2, x, y;

  if (!get_start (self, &w1, &w2))
    return;
  to_screen (g, w1, w2, &x, &y);
  if (!in_plot (g, x, y))
    return;
  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, 5.5, 0, 2 * G_PI);
  rv_plot_fill_outlined (cr, &(GdkRGBA) { 1, 1, 1, 1 }, 0.7, 1.2);
  cairo_restore (cr);
}

/* The legend and where the data lies */

static void
surface_map_collect_legend (RvChart *chart, const RvPlotStyle *style, GArray *items)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  RvSurfaceModel *model = get_model (self);
  guint n_runs = model != NULL ? rv_surface_model_get_n_runs (model) : 0;

  for (guint r = 0; r < n_runs; r++)
    {
      const char *name = rv_surface_model_get_run_name (model, r);
      RvChartLegendItem item = { 0 };

      item.label = rv_surface_model_get_run_diverged (model, r, NULL)
                   ? g_strdup_printf (_("%s — diverged"), name)
                   : g_strdup (name);
      rv_surface_model_get_run_color (model, r, &item.color);
      /* The runs' colours are chosen to stand out on viridis; the white
       * one would vanish from a legend on a light background: it greys. */
      if (fabs (rv_plot_luminance (&item.color) - rv_plot_luminance (&style->bg)) < 0.12)
        rv_plot_mix (&item.color, &style->fg, 0.5, &item.color);
      item.swatch = RV_CHART_SWATCH_LINE_MARKER;
      g_array_append_val (items, item);
    }
}

static void
surface_map_collect_geometry (RvChart *chart, int width, int height, RvChartGeometry *geometry)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  RvSurfaceModel *model = get_model (self);
  Geometry g;

  if (!compute_geometry (self, width, height, &g))
    return;
  const double box[4] = { g.x, g.y, g.x + g.w, g.y + g.h };

  /* the colour bar with its labels and title */
  rv_chart_geometry_add_rect (geometry, g.bar_x, g.y - g.lh / 2, g.bar_extent, g.h + g.lh);
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, NULL);
      guint n = rv_surface_model_get_run_n_revealed (model, r);
      for (guint i = 0; i < n; i++)
        {
          double ax, ay, bx, by;
          to_screen (&g, p[i].w1, p[i].w2, &bx, &by);
          if (in_plot (&g, bx, by))
            rv_chart_geometry_add_point (geometry, bx, by);
          if (i == 0)
            continue;
          to_screen (&g, p[i - 1].w1, p[i - 1].w2, &ax, &ay);
          if (isfinite (ax + ay + bx + by) && rv_plot_clip_segment (box, &ax, &ay, &bx, &by))
            rv_chart_geometry_add_segment (geometry, ax, ay, bx, by);
        }
    }
  double w1, w2, x, y;
  if (get_start (self, &w1, &w2))
    {
      to_screen (&g, w1, w2, &x, &y);
      if (in_plot (&g, x, y))
        rv_chart_geometry_add_point (geometry, x, y);
    }
  /* the inspector's arrows are data too: the legend keeps off them */
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      RvSurfaceMapArrow arrows[RV_SURFACE_MAP_N_ARROW_KINDS];
      guint n = layout_arrows (self, &g, r, arrows);
      for (guint i = 0; i < n; i++)
        {
          double ax, ay;
          to_screen (&g, arrows[i].w1, arrows[i].w2, &ax, &ay);
          double bx = ax + arrows[i].d1 * arrows[i].scale, by = ay - arrows[i].d2 * arrows[i].scale;
          if (isfinite (ax + ay + bx + by) && rv_plot_clip_segment (box, &ax, &ay, &bx, &by))
            rv_chart_geometry_add_segment (geometry, ax, ay, bx, by);
        }
    }
}

/* Drawing */

static void
surface_map_draw (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  RvPlotStyle style;
  Geometry g;

  self->last_width = width;
  self->last_height = height;
  rv_plot_style_init (&style, GTK_WIDGET (self));
  if (!compute_geometry (self, width, height, &g))
    {
      RvSurfaceModel *model = get_model (self);
      if (model == NULL || rv_surface_model_get_surface (model) == NULL)
        rv_plot_show_placeholder (cr, GTK_WIDGET (self), &style, _("No surface"), PANGO_SCALE_SMALL,
                                  width / 2.0, height / 2.0);
      return;
    }

  graphene_rect_t plot = GRAPHENE_RECT_INIT (g.x, g.y, g.w, g.h);
  draw_static_layer (self, cr, &g);
  draw_axes (self, cr, &g, &style);
  draw_colorbar (self, cr, &g, &style);
  draw_start (self, cr, &g);
  draw_runs (self, cr, &g);
  rv_chart_legend_draw (chart, cr, &style, &g.legend, &plot, width, height);
}

void
rv_surface_map_draw (RvSurfaceMap *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  rv_chart_draw (RV_CHART (self), cr, width, height);
}

/* Words */

static char *
surface_map_dup_summary (RvChart *chart)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  RvSurfaceModel *model = get_model (self);
  Geometry g;

  if (!current_geometry (self, &g))
    return g_strdup (_("No surface"));
  double res = 1.0 / g.s;
  g_autofree char *a = rv_plot_format_at_resolution (g.r[0][0], res);
  g_autofree char *b = rv_plot_format_at_resolution (g.r[0][1], res);
  g_autofree char *c = rv_plot_format_at_resolution (g.r[1][0], res);
  g_autofree char *d = rv_plot_format_at_resolution (g.r[1][1], res);
  GString *text = g_string_new (NULL);
  /* Translators: the surface's name, then the shown range of each parameter */
  const RvSurface *surface = rv_surface_model_get_surface (model);
  if (surface->axis_names[0])
    /* Translators: the surface's name, then each parameter's name and its shown range */
    g_string_printf (text, _("%s from above, %s from %s to %s, %s from %s to %s"), surface->display_name,
                     rv_surface_axis_text (surface, 0), a, b, rv_surface_axis_text (surface, 1), c, d);
  else
    g_string_printf (text, _("%s from above, w₁ from %s to %s, w₂ from %s to %s"), surface->display_name, a, b, c, d);
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, NULL);
      guint n = rv_surface_model_get_run_n_revealed (model, r);
      if (n == 0)
        continue;
      g_autofree char *w1 = rv_plot_format_at_resolution (p[n - 1].w1, res);
      g_autofree char *w2 = rv_plot_format_at_resolution (p[n - 1].w2, res);
      g_autofree char *loss = rv_plot_format_value (p[n - 1].loss);
      /* Translators: a run's name, where it is and its loss there */
      g_string_append_printf (text, _("; %s at (%s, %s), loss %s"), rv_surface_model_get_run_name (model, r),
                              w1, w2, loss);
    }
  return g_string_free (text, FALSE);
}

static gboolean
near_start (RvSurfaceMap *self, const Geometry *g, double x, double y, double *sx, double *sy)
{
  double w1, w2;

  if (!get_start (self, &w1, &w2))
    return FALSE;
  to_screen (g, w1, w2, sx, sy);
  return in_plot (g, *sx, *sy) && hypot (x - *sx, y - *sy) <= START_GRAB;
}

/* Where the pointer is, the loss and the gradient there. */
static char *
surface_map_dup_tooltip (RvChart *chart, double x, double y)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  Geometry g;
  double w1, w2, g1 = 0, g2 = 0, sx, sy;

  if (!current_geometry (self, &g) || !in_plot (&g, x, y))
    return NULL;
  from_screen (&g, x, y, &w1, &w2);
  double loss = rv_surface_eval (rv_surface_model_get_surface (get_model (self)), w1, w2, &g1, &g2);
  g_autofree char *s1 = rv_plot_format_at_resolution (w1, 1.0 / g.s);
  g_autofree char *s2 = rv_plot_format_at_resolution (w2, 1.0 / g.s);
  g_autofree char *sl = rv_plot_format_value (loss);
  g_autofree char *sg1 = rv_plot_format_value (g1);
  g_autofree char *sg2 = rv_plot_format_value (g2);
  /* Translators: the values are numbers */
  const RvSurface *surface = rv_surface_model_get_surface (get_model (self));
  g_autofree char *text = surface->axis_names[0]
    /* Translators: two parameters' names with their values, then numbers */
    ? g_strdup_printf (_("%s = %s   %s = %s\nloss = %s\ngradient = (%s, %s)"), rv_surface_axis_text (surface, 0), s1,
                       rv_surface_axis_text (surface, 1), s2, sl, sg1, sg2)
    : g_strdup_printf (_("w₁ = %s   w₂ = %s\nloss = %s\ngradient = (%s, %s)"), s1, s2, sl, sg1, sg2);
  if (near_start (self, &g, x, y, &sx, &sy))
    return g_strconcat (text, "\n", _("Drag to move the start"), NULL);
  return g_steal_pointer (&text);
}

static void
set_cursor (RvSurfaceMap *self, const char *name)
{
  if (g_strcmp0 (self->cursor, name) == 0)
    return;
  self->cursor = name;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* A hand over the map to pan it, arrows over the start to move it. */
static void
surface_map_pointer_changed (RvChart *chart)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  Geometry g;
  double x, y, sx, sy;

  if (self->drag != DRAG_NONE)
    return;
  if (!rv_chart_get_pointer (chart, &x, &y) || !current_geometry (self, &g) || !in_plot (&g, x, y))
    set_cursor (self, NULL);
  else
    set_cursor (self, near_start (self, &g, x, y, &sx, &sy) ? "move" : "grab");
}

static void
surface_map_data_changed (RvChart *chart)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (chart);
  RvSurfaceModel *model = get_model (self);
  const RvSurface *surface = model != NULL ? rv_surface_model_get_surface (model) : NULL;

  /* a new model's serial may repeat the old one's; a new surface is
   * another place altogether */
  if ((gpointer) model != self->seen_model)
    drop_caches (self);
  if ((gpointer) model != self->seen_model || surface != self->seen_surface)
    self->view_auto = TRUE;
  self->seen_model = model;
  self->seen_surface = surface;
  refit (self);

  RV_CHART_CLASS (rv_surface_map_parent_class)->data_changed (chart);
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

void
rv_surface_map_get_view (RvSurfaceMap *self, double *w1_min, double *w1_max, double *w2_min, double *w2_max)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  if (w1_min != NULL)
    *w1_min = self->view_c[0] - self->view_half[0];
  if (w1_max != NULL)
    *w1_max = self->view_c[0] + self->view_half[0];
  if (w2_min != NULL)
    *w2_min = self->view_c[1] - self->view_half[1];
  if (w2_max != NULL)
    *w2_max = self->view_c[1] + self->view_half[1];
}

void
rv_surface_map_set_view (RvSurfaceMap *self, double w1_min, double w1_max, double w2_min, double w2_max)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  g_return_if_fail (w1_min < w1_max && w2_min < w2_max);
  self->view_auto = FALSE;
  self->view_c[0] = 0.5 * (w1_min + w1_max);
  self->view_c[1] = 0.5 * (w2_min + w2_max);
  self->view_half[0] = 0.5 * (w1_max - w1_min);
  self->view_half[1] = 0.5 * (w2_max - w2_min);
  rv_chart_layout_changed (RV_CHART (self));
}

gboolean
rv_surface_map_get_view_fitted (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), TRUE);
  return self->view_auto;
}

/* Zoom and pan */

/* Moves the view's centre until (w1, w2) lies at (x, y).  The margins
 * follow the tick labels, which follow the view: a few rounds settle it. */
static void
place_w_at (RvSurfaceMap *self, double w1, double w2, double x, double y)
{
  for (int round = 0; round < 4; round++)
    {
      Geometry g;
      double px, py;
      if (!current_geometry (self, &g))
        return;
      to_screen (&g, w1, w2, &px, &py);
      if (fabs (px - x) < 1e-6 && fabs (py - y) < 1e-6)
        return;
      self->view_c[0] -= (x - px) / g.s;
      self->view_c[1] += (y - py) / g.s;
    }
}

void
rv_surface_map_zoom_at (RvSurfaceMap *self, double x, double y, double factor)
{
  double w1, w2, r[2][2];

  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  g_return_if_fail (factor > 0);
  if (!rv_surface_map_widget_to_w (self, x, y, &w1, &w2))
    return;
  /* no closer than floats tell apart, no wider than a thousand ranges */
  rv_surface_model_get_range (get_model (self), &r[0][0], &r[0][1], &r[1][0], &r[1][1]);
  double largest = 1e3 * MAX (r[0][1] - r[0][0], r[1][1] - r[1][0]);
  double smallest = 1e-5 * MAX (fabs (w1) + fabs (w2), 1e-3 * MIN (r[0][1] - r[0][0], r[1][1] - r[1][0]));
  double longer = MAX (self->view_half[0], self->view_half[1]) / factor;
  double shorter = MIN (self->view_half[0], self->view_half[1]) / factor;
  if (longer > largest)
    factor *= longer / largest;
  else if (shorter < smallest)
    factor *= shorter / smallest;
  self->view_auto = FALSE;  /* the view shown now stops following the runs */
  self->view_half[0] /= factor;
  self->view_half[1] /= factor;
  place_w_at (self, w1, w2, x, y);
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_surface_map_pan (RvSurfaceMap *self, double dx, double dy)
{
  Geometry g;
  double w1, w2;

  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  if (!current_geometry (self, &g))
    return;
  double cx = g.x + g.w / 2, cy = g.y + g.h / 2;
  from_screen (&g, cx, cy, &w1, &w2);
  self->view_auto = FALSE;
  place_w_at (self, w1, w2, cx + dx, cy + dy);
  rv_chart_layout_changed (RV_CHART (self));
}

void
rv_surface_map_fit (RvSurfaceMap *self)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  self->view_auto = TRUE;
  refit (self);
  rv_chart_layout_changed (RV_CHART (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, RvSurfaceMap *self)
{
  double x, y;

  if (!rv_chart_get_pointer (RV_CHART (self), &x, &y) || dy == 0)
    return FALSE;
  /* a wheel's notch zooms by a fifth; a touchpad by its distance */
  double notches = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;
  rv_surface_map_zoom_at (self, x, y, pow (1.2, -notches));
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

/* On the start marker a drag moves the start; anywhere else on the plot
 * it pans the map. */
static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, RvSurfaceMap *self)
{
  Geometry g;
  double sx, sy;

  if (!current_geometry (self, &g) || !in_plot (&g, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (near_start (self, &g, x, y, &sx, &sy))
    {
      self->drag = DRAG_START;
      self->drag_x = sx;
      self->drag_y = sy;
      return;
    }
  self->drag = DRAG_PAN;
  self->drag_x = x;
  self->drag_y = y;
  from_screen (&g, x, y, &self->drag_w[0], &self->drag_w[1]);
  set_cursor (self, "grabbing");
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, RvSurfaceMap *self)
{
  Geometry g;

  if (self->drag == DRAG_START && current_geometry (self, &g))
    emit_start (self, &g, self->drag_x + dx, self->drag_y + dy);
  else if (self->drag == DRAG_PAN && (dx != 0 || dy != 0))
    {
      self->view_auto = FALSE;
      place_w_at (self, self->drag_w[0], self->drag_w[1], self->drag_x + dx, self->drag_y + dy);
      rv_chart_layout_changed (RV_CHART (self));
    }
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, RvSurfaceMap *self)
{
  gboolean was_start = self->drag == DRAG_START;

  self->drag = DRAG_NONE;
  /* the runs from the new start, fitted now that the pointer let go */
  if (was_start && self->view_auto)
    rv_surface_map_fit (self);
  surface_map_pointer_changed (RV_CHART (self));
}

/* GObject and GtkWidget */

static void
set_flag (RvSurfaceMap *self, gboolean *flag, gboolean value, int prop)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;
  rv_chart_data_changed (RV_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

void
rv_surface_map_set_log_color (RvSurfaceMap *self, gboolean log_color)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->log_color, log_color, PROP_LOG_COLOR);
}

void
rv_surface_map_set_show_contours (RvSurfaceMap *self, gboolean show)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->show_contours, show, PROP_SHOW_CONTOURS);
}

void
rv_surface_map_set_show_gradient_field (RvSurfaceMap *self, gboolean show)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->show_field, show, PROP_SHOW_GRADIENT_FIELD);
}

void
rv_surface_map_set_fit_runs (RvSurfaceMap *self, gboolean fit_runs)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  fit_runs = !!fit_runs;
  if (self->fit_runs != fit_runs)
    {
      self->fit_runs = fit_runs;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIT_RUNS]);
    }
  rv_surface_map_fit (self);
  rv_chart_data_changed (RV_CHART (self));
}

void
rv_surface_map_set_show_inspector (RvSurfaceMap *self, gboolean show)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  set_flag (self, &self->show_inspector, show, PROP_SHOW_INSPECTOR);
}

gboolean
rv_surface_map_get_show_inspector (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  return self->show_inspector;
}

void
rv_surface_map_set_inspector_run (RvSurfaceMap *self, int run)
{
  g_return_if_fail (RV_IS_SURFACE_MAP (self));
  run = MAX (run, -1);
  if (self->inspector_run == run)
    return;
  self->inspector_run = run;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INSPECTOR_RUN]);
}

guint
rv_surface_map_get_inspector_arrows (RvSurfaceMap *self, guint run, RvSurfaceMapArrow *arrows)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self) && arrows != NULL, 0);
  Geometry g;
  if (!current_geometry (self, &g))
    return 0;
  return layout_arrows (self, &g, run, arrows);
}

double
rv_surface_map_get_step_factor (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), 1.0);
  Geometry g;
  if (!self->show_inspector || !current_geometry (self, &g))
    return 1.0;
  return step_factor (self, &g);
}

gboolean
rv_surface_map_get_fit_runs (RvSurfaceMap *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MAP (self), FALSE);
  return self->fit_runs;
}

static void
rv_surface_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvSurfaceMap *self = RV_SURFACE_MAP (object);
  switch (prop_id)
    {
    case PROP_LOG_COLOR:
      g_value_set_boolean (value, self->log_color);
      break;
    case PROP_SHOW_CONTOURS:
      g_value_set_boolean (value, self->show_contours);
      break;
    case PROP_SHOW_GRADIENT_FIELD:
      g_value_set_boolean (value, self->show_field);
      break;
    case PROP_SHOW_INSPECTOR:
      g_value_set_boolean (value, self->show_inspector);
      break;
    case PROP_INSPECTOR_RUN:
      g_value_set_int (value, self->inspector_run);
      break;
    case PROP_FIT_RUNS:
      g_value_set_boolean (value, self->fit_runs);
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
    case PROP_LOG_COLOR:
      rv_surface_map_set_log_color (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_CONTOURS:
      rv_surface_map_set_show_contours (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_GRADIENT_FIELD:
      rv_surface_map_set_show_gradient_field (self, g_value_get_boolean (value));
      break;
    case PROP_FIT_RUNS:
      rv_surface_map_set_fit_runs (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_INSPECTOR:
      rv_surface_map_set_show_inspector (self, g_value_get_boolean (value));
      break;
    case PROP_INSPECTOR_RUN:
      rv_surface_map_set_inspector_run (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_surface_map_finalize (GObject *object)
{
  drop_caches (RV_SURFACE_MAP (object));
  G_OBJECT_CLASS (rv_surface_map_parent_class)->finalize (object);
}

static void
rv_surface_map_class_init (RvSurfaceMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rv_surface_map_finalize;
  object_class->get_property = rv_surface_map_get_property;
  object_class->set_property = rv_surface_map_set_property;

  chart_class->model_type = RV_TYPE_SURFACE_MODEL;
  chart_class->model_signals = model_signals;
  chart_class->fallback_label = _("Loss surface seen from above, with optimizer paths");
  chart_class->min_width = 240;
  chart_class->min_height = 200;
  chart_class->natural_width = 520;
  chart_class->natural_height = 440;
  chart_class->draw = surface_map_draw;
  chart_class->dup_summary = surface_map_dup_summary;
  chart_class->dup_tooltip = surface_map_dup_tooltip;
  chart_class->pointer_changed = surface_map_pointer_changed;
  chart_class->data_changed = surface_map_data_changed;
  chart_class->collect_geometry = surface_map_collect_geometry;
  chart_class->collect_legend = surface_map_collect_legend;

  props[PROP_LOG_COLOR] = g_param_spec_boolean ("log-color", NULL, NULL, FALSE, flags);
  props[PROP_SHOW_CONTOURS] = g_param_spec_boolean ("show-contours", NULL, NULL, TRUE, flags);
  props[PROP_SHOW_GRADIENT_FIELD] = g_param_spec_boolean ("show-gradient-field", NULL, NULL, FALSE, flags);
  props[PROP_FIT_RUNS] = g_param_spec_boolean ("fit-runs", NULL, NULL, TRUE, flags);
  props[PROP_SHOW_INSPECTOR] = g_param_spec_boolean ("show-inspector", NULL, NULL, FALSE, flags);
  props[PROP_INSPECTOR_RUN] = g_param_spec_int ("inspector-run", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Dragged with the primary button from the start marker to (w1, w2),
   * within the plot's range. */
  signals[START_DRAGGED] = g_signal_new ("start-dragged", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "surface-map");
}

static void
rv_surface_map_init (RvSurfaceMap *self)
{
  self->show_contours = TRUE;
  self->fit_runs = TRUE;
  self->view_auto = TRUE;
  self->inspector_run = -1;

  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
rv_surface_map_new (RvSurfaceModel *model)
{
  return g_object_new (RV_TYPE_SURFACE_MAP, "model", model, NULL);
}
