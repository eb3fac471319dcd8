/* rv-stability-view.c: the stability grid drawn with cairo on the RvChart
 * base: cells, a log lr axis and a β axis, a tooltip per cell. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rv-colormap.h"
#include "rv-plot.h"
#include "rv-stability-view.h"
#include "rv-surface-model.h"

struct _RvStabilityView
{
  RvChart parent_instance;

  double *loss;       /* n_beta rows of n_lr */
  guint n_lr, n_beta;
  double lr_log[2], beta[2];
  double start_loss;
  char *beta_label;   /* NULL: no β axis */
  int last_width, last_height;
};

G_DEFINE_FINAL_TYPE (RvStabilityView, rv_stability_view, RV_TYPE_CHART)

enum { CELL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define BAR_GAP 12.0  /* between the cells and the colour key */
#define BAR_W   12.0

/* The plot area, its axes and the colour key beside it at one size. */
typedef struct
{
  double px, py, pw, ph;
  RvPlotAxis x, y;
  double lh;
  double bar_x;      /* the key's left edge; it spans the cells' height */
  double lo, hi;     /* the losses its ends stand for */
} Layout;

static void loss_range (RvStabilityView *self, double *lo, double *hi);
static gboolean has_diverged (RvStabilityView *self);

/* The key's end labels, and the width of the widest, or of "diverged". */
static double
key_width (RvStabilityView *self, GtkWidget *w, double lo, double hi)
{
  g_autofree char *lo_text = rv_plot_format_value (lo);
  g_autofree char *mid_text = rv_plot_format_value (rv_surface_denormalize_loss (0.5, lo, hi, TRUE));
  g_autofree char *hi_text = rv_plot_format_value (hi);
  /* the title alone stands over the bar; the rest beside it */
  const char *texts[] = { _("loss"), lo_text, mid_text, hi_text, has_diverged (self) ? _("diverged") : NULL };
  double widest = 0.0;
  for (gsize k = 0; k < G_N_ELEMENTS (texts) && texts[k] != NULL; k++)
    {
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (w, texts[k], PANGO_SCALE_SMALL, FALSE);
      double tw, th;
      rv_plot_layout_size (layout, &tw, &th);
      widest = MAX (widest, k > 0 ? BAR_W + RV_PLOT_GAP + tw : tw);
    }
  return widest;
}

/* Half a cell beyond the first and last values on each axis. */
static void
axis_ends (double lo, double hi, guint n, double out[2])
{
  double half = n > 1 ? (hi - lo) / (n - 1) / 2 : 0.5;
  out[0] = lo - half;
  out[1] = hi + half;
}

static gboolean
compute_layout (RvStabilityView *self, int width, int height, Layout *l)
{
  if (self->n_lr < 2)
    return FALSE;
  GtkWidget *w = GTK_WIDGET (self);
  l->lh = rv_plot_text_height (w, PANGO_SCALE_SMALL, FALSE);
  double lr_ends[2], beta_ends[2];
  axis_ends (self->lr_log[0], self->lr_log[1], self->n_lr, lr_ends);
  axis_ends (self->beta[0], self->beta[1], self->n_beta, beta_ends);

  l->y = (RvPlotAxis) { .scale = { beta_ends[0], beta_ends[1], 0, 1, FALSE } };
  double left = RV_PLOT_PAD;
  if (self->beta_label != NULL)
    {
      l->y.n_ticks = rv_plot_ticks_linear (self->beta[0], self->beta[1], 5, l->y.ticks, &l->y.step);
      left += l->lh + RV_PLOT_GAP + rv_plot_axis_widest_label (&l->y, w) + RV_PLOT_GAP + RV_PLOT_TICK;
    }
  double bottom = RV_PLOT_PAD + 2 * l->lh + RV_PLOT_GAP * 2 + RV_PLOT_TICK;
  loss_range (self, &l->lo, &l->hi);
  /* a line on top for the key's title, "loss" */
  l->px = ceil (left);
  l->py = ceil (RV_PLOT_PAD + l->lh + RV_PLOT_GAP);
  l->pw = floor (width - l->px - RV_PLOT_PAD - BAR_GAP - key_width (self, w, l->lo, l->hi));
  l->bar_x = l->px + l->pw + BAR_GAP;
  l->ph = floor (height - l->py - bottom);
  if (l->pw < 40 || l->ph < 16)
    return FALSE;
  l->y.scale.px_lo = l->py + l->ph;
  l->y.scale.px_hi = l->py;
  l->x = (RvPlotAxis) { .scale = { pow (10, lr_ends[0]), pow (10, lr_ends[1]), l->px, l->px + l->pw, TRUE } };
  l->x.n_ticks = rv_plot_ticks_log_full (pow (10, self->lr_log[0]), pow (10, self->lr_log[1]), 6, l->x.ticks,
                                         &l->x.step);
  return TRUE;
}

static gboolean
current_layout (RvStabilityView *self, Layout *l)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    {
      width = self->last_width;
      height = self->last_height;
    }
  return compute_layout (self, width, height, l);
}

/* Cell (i, j)'s rectangle. */
static void
cell_rect (RvStabilityView *self, const Layout *l, guint i, guint j, double r[4])
{
  double d = (self->lr_log[1] - self->lr_log[0]) / (self->n_lr - 1);
  double x0 = rv_plot_scale_map (&l->x.scale, pow (10, self->lr_log[0] + (i - 0.5) * d));
  double x1 = rv_plot_scale_map (&l->x.scale, pow (10, self->lr_log[0] + (i + 0.5) * d));
  double y0 = l->py + l->ph, y1 = l->py;
  if (self->n_beta > 1)
    {
      double db = (self->beta[1] - self->beta[0]) / (self->n_beta - 1);
      y0 = rv_plot_scale_map (&l->y.scale, self->beta[0] + (j - 0.5) * db);
      y1 = rv_plot_scale_map (&l->y.scale, self->beta[0] + (j + 0.5) * db);
    }
  r[0] = x0;
  r[1] = y1;
  r[2] = x1 - x0;
  r[3] = y0 - y1;
}

static gboolean
has_diverged (RvStabilityView *self)
{
  for (guint k = 0; k < self->n_lr * self->n_beta; k++)
    if (!isfinite (self->loss[k]))
      return TRUE;
  return FALSE;
}

/* A diverged cell's look: dark, with a red cross over the middle 60 %. */
static void
draw_diverged (cairo_t *cr, const double r[4])
{
  cairo_rectangle (cr, r[0], r[1], r[2], r[3]);
  cairo_set_source_rgb (cr, 0.16, 0.16, 0.18);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  double s = MIN (r[2], r[3]) * 0.3;
  cairo_move_to (cr, r[0] + r[2] / 2 - s, r[1] + r[3] / 2 - s);
  cairo_line_to (cr, r[0] + r[2] / 2 + s, r[1] + r[3] / 2 + s);
  cairo_move_to (cr, r[0] + r[2] / 2 - s, r[1] + r[3] / 2 + s);
  cairo_line_to (cr, r[0] + r[2] / 2 + s, r[1] + r[3] / 2 - s);
  cairo_set_line_width (cr, 1.4);
  cairo_set_source_rgb (cr, 0.95, 0.35, 0.3);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The colour key: the cells' scale from the lowest loss (bottom) to the
 * start's (top), labelled at both ends and halfway up (the scale is
 * logarithmic-like, rv_surface_normalize_loss), titled "loss"; under it, when
 * some run diverged, a diverged cell's look and the word. */
static void
draw_key (RvStabilityView *self, cairo_t *cr, const Layout *l, const RvPlotStyle *style)
{
  GtkWidget *w = GTK_WIDGET (self);
  double x = l->bar_x, top = l->py, h = l->ph;
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int py = 0; py < (int) h; py++)
    {
      double rgb[3];
      rv_viridis (1.0 - (py + 0.5) / h, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, x, top + py, BAR_W, 1);
      cairo_fill (cr);
    }
  cairo_restore (cr);
  gdk_cairo_set_source_rgba (cr, &style->fg);
  g_autofree char *hi_text = rv_plot_format_value (l->hi);
  g_autofree char *lo_text = rv_plot_format_value (l->lo);
  g_autoptr (PangoLayout) hi_layout = rv_plot_layout_new (w, hi_text, PANGO_SCALE_SMALL, FALSE);
  g_autoptr (PangoLayout) lo_layout = rv_plot_layout_new (w, lo_text, PANGO_SCALE_SMALL, FALSE);
  /* Translators: the title of a colour key: what the colours of a map stand for */
  g_autoptr (PangoLayout) title = rv_plot_layout_new (w, _("loss"), PANGO_SCALE_SMALL, FALSE);
  rv_plot_show_layout (cr, hi_layout, x + BAR_W + RV_PLOT_GAP, top, 0.0, 0.0);
  rv_plot_show_layout (cr, lo_layout, x + BAR_W + RV_PLOT_GAP, top + h, 0.0, 1.0);
  if (h > 4 * l->lh)
    {
      g_autofree char *mid_text = rv_plot_format_value (rv_surface_denormalize_loss (0.5, l->lo, l->hi, TRUE));
      g_autoptr (PangoLayout) mid = rv_plot_layout_new (w, mid_text, PANGO_SCALE_SMALL, FALSE);
      rv_plot_show_layout (cr, mid, x + BAR_W + RV_PLOT_GAP, top + h / 2, 0.0, 0.5);
    }
  rv_plot_show_layout (cr, title, x, top - RV_PLOT_GAP, 0.0, 1.0);
  if (has_diverged (self))
    {
      double cell[4] = { x, top + h + RV_PLOT_GAP + RV_PLOT_TICK, BAR_W, BAR_W };
      draw_diverged (cr, cell);
      gdk_cairo_set_source_rgba (cr, &style->fg);
      /* Translators: beside a dark cell with a red cross in a colour key */
      g_autoptr (PangoLayout) word = rv_plot_layout_new (w, _("diverged"), PANGO_SCALE_SMALL, FALSE);
      rv_plot_show_layout (cr, word, x + BAR_W + RV_PLOT_GAP, cell[1] + BAR_W / 2, 0.0, 0.5);
    }
}

/* The colour scale: the lowest finite loss to the start's. */
static void
loss_range (RvStabilityView *self, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint k = 0; k < self->n_lr * self->n_beta; k++)
    if (isfinite (self->loss[k]))
      {
        *lo = MIN (*lo, self->loss[k]);
        *hi = MAX (*hi, self->loss[k]);
      }
  if (isfinite (self->start_loss) && self->start_loss > *lo)
    *hi = self->start_loss;
  if (!(*hi > *lo))
    *hi = *lo + 1;
}

static void
stability_draw (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  RvStabilityView *self = RV_STABILITY_VIEW (chart);
  GtkWidget *w = GTK_WIDGET (self);
  RvPlotStyle style;
  Layout l;

  self->last_width = width;
  self->last_height = height;
  rv_plot_style_init (&style, w);
  if (!compute_layout (self, width, height, &l))
    {
      rv_plot_show_placeholder (cr, w, &style, _("No stability map"), PANGO_SCALE_SMALL, width / 2.0, height / 2.0);
      return;
    }
  /* cells edge to edge, without antialiased seams between them */
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (guint j = 0; j < self->n_beta; j++)
    for (guint i = 0; i < self->n_lr; i++)
      {
        double r[4], loss = self->loss[j * self->n_lr + i];
        cell_rect (self, &l, i, j, r);
        if (!isfinite (loss))
          {
            draw_diverged (cr, r);
            continue;
          }
        double rgb[3];
        rv_viridis (rv_surface_normalize_loss (loss, l.lo, l.hi, TRUE), rgb);
        cairo_rectangle (cr, r[0], r[1], r[2], r[3]);
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
        cairo_fill (cr);
      }
  cairo_restore (cr);
  rv_plot_draw_axes (cr, w, &style, l.px, l.py, l.pw, l.ph, &l.x, NULL, &l.y, width);
  draw_key (self, cr, &l, &style);

  /* the axes' names */
  gdk_cairo_set_source_rgba (cr, &style.fg);
  g_autoptr (PangoLayout) xt = rv_plot_layout_new (w, _("learning rate η (log scale)"), PANGO_SCALE_SMALL, FALSE);
  rv_plot_show_layout (cr, xt, l.px + l.pw / 2, height - RV_PLOT_PAD, 0.5, 1.0);
  if (self->beta_label)
    {
      g_autoptr (PangoLayout) yt = rv_plot_layout_new (w, self->beta_label, PANGO_SCALE_SMALL, FALSE);
      rv_plot_show_layout (cr, yt, RV_PLOT_PAD, l.py + l.ph / 2, 0.0, 0.5);
    }
}

static char *
stability_summary (RvChart *chart)
{
  RvStabilityView *self = RV_STABILITY_VIEW (chart);
  guint diverged = 0;
  for (guint k = 0; k < self->n_lr * self->n_beta; k++)
    diverged += !isfinite (self->loss[k]);
  return g_strdup_printf (_("Stability map: %u × %u runs, %u diverged"), self->n_lr, self->n_beta, diverged);
}

static char *
stability_tooltip (RvChart *chart, double x, double y)
{
  RvStabilityView *self = RV_STABILITY_VIEW (chart);
  guint i, j;
  if (!rv_stability_view_cell_at (self, x, y, &i, &j))
    return NULL;
  double d = (self->lr_log[1] - self->lr_log[0]) / (self->n_lr - 1);
  g_autofree char *lr = rv_plot_format_value (pow (10, self->lr_log[0] + i * d));
  double loss = self->loss[j * self->n_lr + i];
  g_autofree char *value = isfinite (loss) ? rv_plot_format_value (loss) : NULL;
  g_autofree char *what = value ? g_strdup_printf (_("loss %s"), value) : g_strdup (_("diverged"));
  if (self->beta_label == NULL)
    return g_strdup_printf (_("η %s: %s; click to add this run"), lr, what);
  double db = (self->beta[1] - self->beta[0]) / (self->n_beta - 1);
  g_autofree char *beta = rv_plot_format_value (self->beta[0] + j * db);
  return g_strdup_printf (_("η %s, %s %s: %s; click to add this run"), lr, self->beta_label, beta, what);
}

static void
stability_collect_geometry (RvChart *chart, int width, int height, RvChartGeometry *geometry)
{
  RvStabilityView *self = RV_STABILITY_VIEW (chart);
  Layout l;
  if (compute_layout (self, width, height, &l))
    rv_chart_geometry_add_rect (geometry, l.px, l.py, l.pw, l.ph);
}

static void
clicked (GtkGestureClick *gesture, int n_press, double x, double y, RvStabilityView *self)
{
  guint i, j;
  if (rv_stability_view_cell_at (self, x, y, &i, &j))
    g_signal_emit (self, signals[CELL_ACTIVATED], 0, i, j);
}

gboolean
rv_stability_view_cell_at (RvStabilityView *self, double x, double y, guint *i, guint *j)
{
  g_return_val_if_fail (RV_IS_STABILITY_VIEW (self), FALSE);
  Layout l;
  if (!current_layout (self, &l))
    return FALSE;
  for (guint b = 0; b < self->n_beta; b++)
    for (guint a = 0; a < self->n_lr; a++)
      {
        double r[4];
        cell_rect (self, &l, a, b, r);
        if (x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3])
          {
            *i = a;
            *j = b;
            return TRUE;
          }
      }
  return FALSE;
}

gboolean
rv_stability_view_get_cell_center (RvStabilityView *self, guint i, guint j, double *x, double *y)
{
  g_return_val_if_fail (RV_IS_STABILITY_VIEW (self), FALSE);
  Layout l;
  if (i >= self->n_lr || j >= self->n_beta || !current_layout (self, &l))
    return FALSE;
  double r[4];
  cell_rect (self, &l, i, j, r);
  *x = r[0] + r[2] / 2;
  *y = r[1] + r[3] / 2;
  return TRUE;
}

void
rv_stability_view_set_grid (RvStabilityView *self, const double *loss, guint n_lr, guint n_beta,
                            double lr_log_min, double lr_log_max, double beta_min, double beta_max,
                            double start_loss, const char *beta_label)
{
  g_return_if_fail (RV_IS_STABILITY_VIEW (self));
  g_return_if_fail (n_lr == 0 || (loss != NULL && n_lr >= 2 && n_beta >= 1 && lr_log_min < lr_log_max));
  g_clear_pointer (&self->loss, g_free);
  g_clear_pointer (&self->beta_label, g_free);
  self->n_lr = n_lr;
  self->n_beta = n_lr > 0 ? n_beta : 0;
  if (n_lr > 0)
    self->loss = g_memdup2 (loss, (gsize) n_lr * n_beta * sizeof *loss);
  self->lr_log[0] = lr_log_min;
  self->lr_log[1] = lr_log_max;
  self->beta[0] = beta_min;
  self->beta[1] = n_beta > 1 ? beta_max : beta_min + 1;
  self->start_loss = start_loss;
  if (n_beta > 1)
    self->beta_label = g_strdup (beta_label);
  rv_chart_data_changed (RV_CHART (self));
}

GtkWidget *
rv_stability_view_new (void)
{
  return g_object_new (RV_TYPE_STABILITY_VIEW, NULL);
}

static void
rv_stability_view_finalize (GObject *object)
{
  RvStabilityView *self = RV_STABILITY_VIEW (object);
  g_free (self->loss);
  g_free (self->beta_label);
  G_OBJECT_CLASS (rv_stability_view_parent_class)->finalize (object);
}

static void
rv_stability_view_class_init (RvStabilityViewClass *klass)
{
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = rv_stability_view_finalize;
  chart_class->model_type = G_TYPE_NONE;
  chart_class->fallback_label = _("Stability map");
  chart_class->min_width = 200;
  chart_class->min_height = 120;
  chart_class->natural_width = 320;
  chart_class->natural_height = 200;
  chart_class->draw = stability_draw;
  chart_class->dup_summary = stability_summary;
  chart_class->dup_tooltip = stability_tooltip;
  chart_class->collect_geometry = stability_collect_geometry;

  /* A cell was clicked: its column (lr) and row (β). */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
rv_stability_view_init (RvStabilityView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (clicked), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
