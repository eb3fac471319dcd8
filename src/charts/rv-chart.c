/* rv-chart.c: the chart base: model, title, pointer, tooltip, accessible
 * description, export and legend, once for every chart. */
#include "rv-config.h"

#include <math.h>
#include <string.h>

#include "rv-chart.h"
#include "rv-plot-export.h"

/* Legend spacing, in pixels. */
#define LEGEND_SAMPLE 22.0   /* the swatch's width */
#define LEGEND_INNER   6.0   /* inside the box, and swatch to text */
#define LEGEND_ROW_GAP 2.0
#define LEGEND_GAP    10.0   /* from the plot, when beside it */
#define LEGEND_MARGIN  8.0   /* from the plot's edge, when inside */

typedef struct
{
  GObject *model;
  GArray *handler_ids;        /* gulong, one per model signal */
  char *title;
  gboolean pointer_inside;
  double pointer_x, pointer_y;
  char *last_description;     /* the accessible description last set */
  gboolean legend_drawn;
  graphene_rect_t legend_rect;
} RvChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RvChart, rv_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- geometry ---------------------------------------------------------- */

RvChartGeometry *
rv_chart_geometry_new (void)
{
  RvChartGeometry *geometry = g_new (RvChartGeometry, 1);

  geometry->points = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  geometry->segments = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  geometry->rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  return geometry;
}

void
rv_chart_geometry_free (RvChartGeometry *geometry)
{
  if (geometry == NULL)
    return;
  g_array_unref (geometry->points);
  g_array_unref (geometry->segments);
  g_array_unref (geometry->rects);
  g_free (geometry);
}

void
rv_chart_geometry_add_point (RvChartGeometry *geometry, double x, double y)
{
  graphene_point_t p = GRAPHENE_POINT_INIT (x, y);

  g_array_append_val (geometry->points, p);
}

void
rv_chart_geometry_add_segment (RvChartGeometry *geometry, double x0, double y0, double x1, double y1)
{
  graphene_point_t p[2] = { GRAPHENE_POINT_INIT (x0, y0), GRAPHENE_POINT_INIT (x1, y1) };

  g_array_append_vals (geometry->segments, p, 2);
}

void
rv_chart_geometry_add_rect (RvChartGeometry *geometry, double x, double y, double w, double h)
{
  graphene_rect_t r = GRAPHENE_RECT_INIT (x, y, w, h);

  g_array_append_val (geometry->rects, r);
}

void
rv_chart_geometry_add_path (RvChartGeometry *geometry, cairo_t *cr)
{
  cairo_path_t *path = cairo_copy_path_flat (cr);
  double x = 0.0, y = 0.0, start_x = 0.0, start_y = 0.0;
  gboolean lone = FALSE, closed = FALSE;

  for (int i = 0; i < path->num_data; i += path->data[i].header.length)
    {
      const cairo_path_data_t *d = &path->data[i];

      switch (d->header.type)
        {
        case CAIRO_PATH_MOVE_TO:
          if (lone)
            rv_chart_geometry_add_point (geometry, x, y);
          x = d[1].point.x;
          y = d[1].point.y;
          /* cairo follows a closed sub-path with a move back to its start */
          lone = !closed || x != start_x || y != start_y;
          start_x = x;
          start_y = y;
          break;
        case CAIRO_PATH_LINE_TO:
          rv_chart_geometry_add_segment (geometry, x, y, d[1].point.x, d[1].point.y);
          x = d[1].point.x;
          y = d[1].point.y;
          lone = FALSE;
          break;
        case CAIRO_PATH_CLOSE_PATH:
          rv_chart_geometry_add_segment (geometry, x, y, start_x, start_y);
          x = start_x;
          y = start_y;
          lone = FALSE;
          break;
        case CAIRO_PATH_CURVE_TO:
        default:
          break;
        }
      closed = d->header.type == CAIRO_PATH_CLOSE_PATH;
    }
  if (lone)
    rv_chart_geometry_add_point (geometry, x, y);
  cairo_path_destroy (path);
}

static gboolean
segment_meets_rect (const graphene_point_t *a, const graphene_point_t *b, const graphene_rect_t *r)
{
  const double box[4] = { r->origin.x, r->origin.y, r->origin.x + r->size.width, r->origin.y + r->size.height };
  double ax = a->x, ay = a->y, bx = b->x, by = b->y;

  return rv_plot_clip_segment (box, &ax, &ay, &bx, &by);
}

guint
rv_chart_geometry_count_in (const RvChartGeometry *geometry, const graphene_rect_t *rect)
{
  guint count = 0;

  for (guint i = 0; i < geometry->points->len; i++)
    {
      const graphene_point_t *p = &g_array_index (geometry->points, graphene_point_t, i);

      if (segment_meets_rect (p, p, rect))
        count++;
    }
  for (guint i = 0; i + 1 < geometry->segments->len; i += 2)
    if (segment_meets_rect (&g_array_index (geometry->segments, graphene_point_t, i),
                            &g_array_index (geometry->segments, graphene_point_t, i + 1), rect))
      count++;
  for (guint i = 0; i < geometry->rects->len; i++)
    {
      graphene_rect_t r = g_array_index (geometry->rects, graphene_rect_t, i);

      /* A bar of no width or height still covers its line. */
      r.size.width = MAX (r.size.width, 1e-3f);
      r.size.height = MAX (r.size.height, 1e-3f);
      if (graphene_rect_intersection (&r, rect, NULL))
        count++;
    }
  return count;
}

/* ---- model, title, accessible ----------------------------------------- */

static void
update_accessible (RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);
  RvChartClass *klass = RV_CHART_GET_CLASS (self);
  const char *label = priv->title != NULL && priv->title[0] != '\0' ? priv->title : klass->fallback_label;
  char *description = klass->dup_summary != NULL ? klass->dup_summary (self) : NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : "", -1);
  /* A live chart's data changes many times a second: assistive
   * technologies hear only of changes to what they are told. */
  if (description == NULL || g_strcmp0 (description, priv->last_description) == 0)
    {
      g_free (description);
      return;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  g_free (priv->last_description);
  priv->last_description = description;
}

static void
update_pointer (RvChart *self)
{
  RvChartClass *klass = RV_CHART_GET_CLASS (self);

  if (klass->pointer_changed != NULL)
    klass->pointer_changed (self);
}

static void
rv_chart_real_data_changed (RvChart *self)
{
  update_pointer (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rv_chart_data_changed (RvChart *self)
{
  g_return_if_fail (RV_IS_CHART (self));

  RV_CHART_GET_CLASS (self)->data_changed (self);
}

void
rv_chart_layout_changed (RvChart *self)
{
  g_return_if_fail (RV_IS_CHART (self));

  update_pointer (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
option_changed (RvChart *self, GParamSpec *pspec)
{
  rv_chart_layout_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

gboolean
rv_chart_set_boolean (RvChart *self, gboolean *field, gboolean value, GParamSpec *pspec)
{
  g_return_val_if_fail (RV_IS_CHART (self), FALSE);

  if (*field == !!value)
    return FALSE;
  *field = !!value;
  option_changed (self, pspec);
  return TRUE;
}

gboolean
rv_chart_set_double (RvChart *self, double *field, double value, GParamSpec *pspec)
{
  g_return_val_if_fail (RV_IS_CHART (self), FALSE);

  if (*field == value)
    return FALSE;
  *field = value;
  option_changed (self, pspec);
  return TRUE;
}

gpointer
rv_chart_get_model (RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  g_return_val_if_fail (RV_IS_CHART (self), NULL);
  return priv->model;
}

static void
unwatch_model (RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  if (priv->model == NULL)
    return;
  for (guint i = 0; i < priv->handler_ids->len; i++)
    g_signal_handler_disconnect (priv->model, g_array_index (priv->handler_ids, gulong, i));
  g_array_set_size (priv->handler_ids, 0);
  g_clear_object (&priv->model);
}

gboolean
rv_chart_set_model (RvChart *self, gpointer model)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);
  RvChartClass *klass;

  g_return_val_if_fail (RV_IS_CHART (self), FALSE);
  klass = RV_CHART_GET_CLASS (self);
  g_return_val_if_fail (model == NULL || G_TYPE_CHECK_INSTANCE_TYPE (model, klass->model_type), FALSE);

  if (priv->model == model)
    return FALSE;
  unwatch_model (self);
  if (model != NULL)
    {
      priv->model = g_object_ref (model);
      for (const char *const *s = klass->model_signals; s != NULL && *s != NULL; s++)
        {
          gulong id = g_signal_connect_swapped (model, *s, G_CALLBACK (rv_chart_data_changed), self);

          g_array_append_val (priv->handler_ids, id);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  rv_chart_data_changed (self);
  return TRUE;
}

const char *
rv_chart_get_title (RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  g_return_val_if_fail (RV_IS_CHART (self), NULL);
  return priv->title;
}

void
rv_chart_set_title (RvChart *self, const char *title)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  g_return_if_fail (RV_IS_CHART (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* ---- pointer and tooltip ---------------------------------------------- */

gboolean
rv_chart_get_pointer (RvChart *self, double *x, double *y)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  g_return_val_if_fail (RV_IS_CHART (self), FALSE);
  if (x != NULL)
    *x = priv->pointer_x;
  if (y != NULL)
    *y = priv->pointer_y;
  return priv->pointer_inside;
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  priv->pointer_inside = TRUE;
  priv->pointer_x = x;
  priv->pointer_y = y;
  update_pointer (self);
}

static void
on_leave (GtkEventControllerMotion *controller, RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  priv->pointer_inside = FALSE;
  update_pointer (self);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard_mode, GtkTooltip *tooltip)
{
  RvChart *self = RV_CHART (widget);
  RvChartClass *klass = RV_CHART_GET_CLASS (self);
  g_autofree char *text = NULL;

  if (keyboard_mode)
    text = klass->dup_summary != NULL ? klass->dup_summary (self) : NULL;
  else
    text = klass->dup_tooltip != NULL ? klass->dup_tooltip (self, x, y) : NULL;
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- drawing and export ----------------------------------------------- */

void
rv_chart_draw (RvChart *self, cairo_t *cr, int width, int height)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  rv_plot_style_init (&style, GTK_WIDGET (self));
  cairo_save (cr);
  rv_plot_paint_background (cr, &style);
  RV_CHART_GET_CLASS (self)->draw (self, cr, width, height, TRUE);
  cairo_restore (cr);
}

static void
draw_for_export (gpointer data, cairo_t *cr, int width, int height)
{
  rv_chart_draw (RV_CHART (data), cr, width, height);
}

gboolean
rv_chart_export (RvChart *self, const char *path, int width, int height, double scale, GError **error)
{
  g_return_val_if_fail (RV_IS_CHART (self), FALSE);

  return rv_plot_export_scaled (path, draw_for_export, self, width, height, scale, error);
}

RvChartGeometry *
rv_chart_collect_geometry (RvChart *self, int width, int height)
{
  RvChartGeometry *geometry = rv_chart_geometry_new ();
  RvChartClass *klass;

  g_return_val_if_fail (RV_IS_CHART (self), geometry);
  klass = RV_CHART_GET_CLASS (self);
  if (klass->collect_geometry != NULL)
    klass->collect_geometry (self, width, height, geometry);
  return geometry;
}

/* ---- legend ------------------------------------------------------------- */

static void
clear_legend_item (gpointer data)
{
  g_free (((RvChartLegendItem *) data)->label);
}

static GArray *
collect_legend (RvChart *self, const RvPlotStyle *style)
{
  RvChartClass *klass = RV_CHART_GET_CLASS (self);
  GArray *items = g_array_new (FALSE, TRUE, sizeof (RvChartLegendItem));

  g_array_set_clear_func (items, clear_legend_item);
  if (klass->collect_legend != NULL)
    klass->collect_legend (self, style, items);
  return items;
}

/* One layout per entry, wrapped (never ellipsized) at text_width. */
static GPtrArray *
legend_layouts (RvChart *self, GArray *items, double text_width, double *box_w, double *box_h,
                double *row_h)
{
  GPtrArray *layouts = g_ptr_array_new_with_free_func (g_object_unref);
  double widest = 0.0, total = 0.0;

  for (guint i = 0; i < items->len; i++)
    {
      const RvChartLegendItem *item = &g_array_index (items, RvChartLegendItem, i);
      PangoLayout *layout = rv_plot_wrapped_layout_new (GTK_WIDGET (self), item->label, PANGO_SCALE_SMALL,
                                                        text_width);
      double w, h;

      rv_plot_layout_size (layout, &w, &h);
      widest = MAX (widest, w);
      total += h;
      g_ptr_array_add (layouts, layout);
    }
  *row_h = rv_plot_text_height (GTK_WIDGET (self), PANGO_SCALE_SMALL, FALSE);
  *box_w = ceil (LEGEND_INNER + LEGEND_SAMPLE + LEGEND_INNER + widest + LEGEND_INNER);
  *box_h = ceil (LEGEND_INNER + total + (items->len > 0 ? (items->len - 1) * LEGEND_ROW_GAP : 0) + LEGEND_INNER);
  return layouts;
}

/* The widest a label may be before it wraps: beside the plot, a share of
 * the chart; inside, a share of the plot. */
static double
legend_text_width (RvChart *self, gboolean outside, int width, const graphene_rect_t *plot)
{
  double sample = 3 * LEGEND_INNER + LEGEND_SAMPLE;

  if (outside)
    return CLAMP (0.3 * width - sample, 100.0, 280.0);
  return CLAMP (0.5 * plot->size.width - sample, 60.0, 260.0);
}

void
rv_chart_legend_reserve (RvChart *self, int width, graphene_rect_t *plot, RvChartLegendPlace *place)
{
  g_autoptr (GArray) items = NULL;
  g_autoptr (GPtrArray) layouts = NULL;
  RvPlotStyle style;
  double box_w, box_h, row_h;

  g_return_if_fail (RV_IS_CHART (self));

  memset (place, 0, sizeof *place);
  rv_plot_style_init (&style, GTK_WIDGET (self));
  items = collect_legend (self, &style);
  if (items->len == 0)
    return;
  place->n_items = items->len;

  /* Beside the plot when the plot keeps most of its width and the legend
   * its full height. */
  layouts = legend_layouts (self, items, legend_text_width (self, TRUE, width, plot), &box_w, &box_h, &row_h);
  if (plot->size.width - box_w - LEGEND_GAP >= MAX (0.62 * plot->size.width, 160.0)
      && box_h <= plot->size.height)
    {
      place->outside = TRUE;
      plot->size.width -= box_w + LEGEND_GAP;
      place->x = plot->origin.x + plot->size.width + LEGEND_GAP;
      place->y = plot->origin.y;
      place->width = box_w;
      place->height = box_h;
      return;
    }
  g_clear_pointer (&layouts, g_ptr_array_unref);
  layouts = legend_layouts (self, items, legend_text_width (self, FALSE, width, plot), &box_w, &box_h, &row_h);
  place->width = box_w;
  place->height = box_h;
}

static void
draw_swatch (cairo_t *cr, const RvChartLegendItem *item, double x, double y)
{
  rv_plot_set_source (cr, &item->color, 1.0);
  switch (item->swatch)
    {
    case RV_CHART_SWATCH_BOX:
      cairo_rectangle (cr, x + LEGEND_SAMPLE / 2.0 - 5.0, y - 5.0, 10.0, 10.0);
      cairo_fill (cr);
      break;
    case RV_CHART_SWATCH_LINE_MARKER:
      cairo_arc (cr, x + LEGEND_SAMPLE / 2.0, y, 3.5, 0.0, 2 * G_PI);
      cairo_fill (cr);
      G_GNUC_FALLTHROUGH;
    case RV_CHART_SWATCH_LINE:
    default:
      if (item->dashed)
        {
          const double dash[] = { rv_plot_line (5.0), rv_plot_line (3.0) };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
        }
      cairo_set_line_width (cr, rv_plot_line (2.0));
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + LEGEND_SAMPLE, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.0);
      break;
    }
}

/* The inside spot that hides the least data: the corners first, then the
 * middles of the edges; a little room around the box counts too, since a
 * line grazing it is as hard to read as one under it.  Returns how much
 * it hides. */
static guint
best_inside_spot (const graphene_rect_t *plot, double w, double h, const RvChartGeometry *geometry,
                  double *x, double *y)
{
  double left = plot->origin.x + LEGEND_MARGIN, right = plot->origin.x + plot->size.width - LEGEND_MARGIN - w;
  double top = plot->origin.y + LEGEND_MARGIN, bottom = plot->origin.y + plot->size.height - LEGEND_MARGIN - h;
  double mid_x = round ((left + right) / 2.0), mid_y = round ((top + bottom) / 2.0);
  const double spots[8][2] = {
    { right, top }, { left, top }, { right, bottom }, { left, bottom },
    { mid_x, top }, { mid_x, bottom }, { right, mid_y }, { left, mid_y },
  };
  guint best = G_MAXUINT;

  *x = right;
  *y = top;
  for (guint i = 0; i < G_N_ELEMENTS (spots) && best != 0; i++)
    {
      graphene_rect_t around = GRAPHENE_RECT_INIT (spots[i][0] - 3, spots[i][1] - 3, w + 6, h + 6);
      guint hidden = rv_chart_geometry_count_in (geometry, &around);

      if (hidden < best)
        {
          best = hidden;
          *x = spots[i][0];
          *y = spots[i][1];
        }
    }
  return best;
}

/* Whether a legend box of w × h has room inside plot. */
static gboolean
fits_inside (const graphene_rect_t *plot, double w, double h)
{
  return w <= plot->size.width - 2 * LEGEND_MARGIN && h <= plot->size.height - 2 * LEGEND_MARGIN;
}

guint
rv_chart_legend_least_hidden (RvChart *self, const RvChartLegendPlace *place, const graphene_rect_t *plot,
                              const RvChartGeometry *geometry)
{
  double x, y;

  g_return_val_if_fail (RV_IS_CHART (self), 0);

  if (place->n_items == 0 || place->outside || !fits_inside (plot, place->width, place->height))
    return 0;
  return best_inside_spot (plot, place->width, place->height, geometry, &x, &y);
}

void
rv_chart_legend_draw (RvChart *self, cairo_t *cr, const RvPlotStyle *style, const RvChartLegendPlace *place,
                      const graphene_rect_t *plot, int width, int height)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);
  g_autoptr (GArray) items = NULL;
  g_autoptr (GPtrArray) layouts = NULL;
  double box_w, box_h, row_h, x, y, row_y;

  g_return_if_fail (RV_IS_CHART (self));

  priv->legend_drawn = FALSE;
  if (place->n_items == 0)
    return;
  items = collect_legend (self, style);
  if (items->len == 0)
    return;
  layouts = legend_layouts (self, items, legend_text_width (self, place->outside, width, plot),
                            &box_w, &box_h, &row_h);
  if (place->outside)
    {
      x = place->x;
      y = place->y;
    }
  else
    {
      g_autoptr (RvChartGeometry) geometry = NULL;

      /* No room even inside: better no legend than one over everything. */
      if (!fits_inside (plot, box_w, box_h))
        return;
      geometry = rv_chart_collect_geometry (self, width, height);
      best_inside_spot (plot, box_w, box_h, geometry, &x, &y);
    }

  rv_plot_draw_box (cr, style, x, y, box_w, box_h);
  row_y = y + LEGEND_INNER;
  for (guint i = 0; i < items->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (layouts, i);
      double w, h;

      rv_plot_layout_size (layout, &w, &h);
      draw_swatch (cr, &g_array_index (items, RvChartLegendItem, i), x + LEGEND_INNER, round (row_y + row_h / 2.0));
      rv_plot_set_source (cr, &style->fg, 0.9);
      rv_plot_show_layout (cr, layout, x + 2 * LEGEND_INNER + LEGEND_SAMPLE, row_y, 0.0, 0.0);
      row_y += h + LEGEND_ROW_GAP;
    }
  priv->legend_drawn = TRUE;
  priv->legend_rect = GRAPHENE_RECT_INIT (x, y, box_w, box_h);
}

gboolean
rv_chart_get_legend_rect (RvChart *self, graphene_rect_t *rect)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);

  g_return_val_if_fail (RV_IS_CHART (self), FALSE);
  if (priv->legend_drawn && rect != NULL)
    *rect = priv->legend_rect;
  return priv->legend_drawn;
}

/* ---- GtkWidget -------------------------------------------------------- */

static void
rv_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width, height;
  cairo_t *cr = rv_plot_snapshot_cairo (widget, snapshot, &width, &height);

  if (cr == NULL)
    return;
  RV_CHART_GET_CLASS (widget)->draw (RV_CHART (widget), cr, width, height, FALSE);
  cairo_destroy (cr);
}

static void
rv_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                  int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  RvChartClass *klass = RV_CHART_GET_CLASS (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = klass->min_width;
      *natural = MAX (klass->natural_width, klass->min_width);
    }
  else
    {
      *minimum = klass->min_height;
      *natural = MAX (klass->natural_height, klass->min_height);
    }
}

static void
rv_chart_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  /* What lies under a still pointer moves with the size. */
  update_pointer (RV_CHART (widget));
}

static void
rv_chart_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rv_chart_parent_class)->css_changed (widget, change);
  /* Colours come from the style: light/dark switches need a redraw. */
  gtk_widget_queue_draw (widget);
}

static void
rv_chart_dispose (GObject *object)
{
  unwatch_model (RV_CHART (object));

  G_OBJECT_CLASS (rv_chart_parent_class)->dispose (object);
}

static void
rv_chart_finalize (GObject *object)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (RV_CHART (object));

  g_array_unref (priv->handler_ids);
  g_free (priv->title);
  g_free (priv->last_description);

  G_OBJECT_CLASS (rv_chart_parent_class)->finalize (object);
}

static void
rv_chart_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvChart *self = RV_CHART (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, rv_chart_get_model (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, rv_chart_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_chart_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvChart *self = RV_CHART (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      rv_chart_set_model (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      rv_chart_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_chart_class_init (RvChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rv_chart_dispose;
  object_class->finalize = rv_chart_finalize;
  object_class->get_property = rv_chart_get_property;
  object_class->set_property = rv_chart_set_property;

  widget_class->snapshot = rv_chart_snapshot;
  widget_class->measure = rv_chart_measure;
  widget_class->size_allocate = rv_chart_size_allocate;
  widget_class->css_changed = rv_chart_css_changed;
  widget_class->query_tooltip = on_query_tooltip;

  klass->model_type = G_TYPE_NONE;
  klass->data_changed = rv_chart_real_data_changed;
  klass->min_width = 200;
  klass->min_height = 150;
  klass->natural_width = 400;
  klass->natural_height = 300;

  /* The model's type is the subclass's; the property takes any object
   * and rv_chart_set_model checks it. */
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_OBJECT, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rv_chart_init (RvChart *self)
{
  RvChartPrivate *priv = rv_chart_get_instance_private (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  priv->handler_ids = g_array_new (FALSE, FALSE, sizeof (gulong));
  /* Entering counts as a move, so a chart that appears under a still
   * pointer sees it at once. */
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  /* reachable by keyboard: its summary, and Enter for the window's focus view */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "rv-chart");
}
