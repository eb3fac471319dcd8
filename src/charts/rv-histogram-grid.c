/* rv-histogram-grid.c: reflowing histogram panels with grid-wide
 * options and a shared x range. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rv-histogram-grid.h"
#include "rv-plot.h"
#include "rv-reflow-box.h"

#define PANEL_MIN_WIDTH 200   /* narrower panels wrap onto another row */
#define MAX_COLUMNS 4
/* Panels grow into spare height up to this height / width. */
#define PANEL_MAX_ASPECT 0.9
#define PANEL_EXPORT_WIDTH 280
#define PANEL_EXPORT_HEIGHT 230
#define GUTTER 12.0

struct _RvHistogramGrid
{
  GtkWidget parent_instance;

  RvReflowBox *flow;
  GPtrArray *views;    /* RvHistogramView; the reflow box holds the references */
  GPtrArray *models;   /* RvHistogram, owned, each watched for "changed" */
  GPtrArray *compares; /* B per panel: RvHistogram, owned and watched, or empty */
  gboolean compare_color_set;
  GdkRGBA compare_color;

  gboolean show_kde;
  RvHistogramYMode y_mode;
  gboolean log_y;
  gboolean shared_x;
  gboolean color_set;
  GdkRGBA color;
  char *heading;
};

G_DEFINE_FINAL_TYPE (RvHistogramGrid, rv_histogram_grid, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SHOW_KDE,
  PROP_Y_MODE,
  PROP_LOG_Y,
  PROP_SHARED_X,
  PROP_COLOR,
  PROP_HEADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Widens [*lo, *hi] to the values of the histograms in list. */
static void
add_ranges (GPtrArray *list, double *lo, double *hi)
{
  for (guint i = 0; i < list->len; i++)
    {
      RvHistogram *model = g_ptr_array_index (list, i);
      double l, h;

      /* Values all alike span their value, not the histogram's widened
       * range: that would only squeeze the other panels. */
      if (rv_histogram_is_degenerate (model, &l))
        {
          *lo = MIN (*lo, l);
          *hi = MAX (*hi, l);
        }
      else if (rv_histogram_get_range (model, &l, &h))
        {
          *lo = MIN (*lo, l);
          *hi = MAX (*hi, h);
        }
    }
}

/* Gives every panel the union of the ranges (B's included), or their own. */
static void
update_x_ranges (RvHistogramGrid *self)
{
  double lo = INFINITY, hi = -INFINITY;

  if (self->shared_x)
    {
      add_ranges (self->models, &lo, &hi);
      add_ranges (self->compares, &lo, &hi);
    }

  /* Non-finite bounds (shared-x off, or no layer with data) unset it, as
   * does a union too narrow to tell values apart in (every layer
   * degenerate about one value): each panel then shows its own. */
  if (rv_histogram_range_is_degenerate (lo, hi))
    lo = hi = NAN;
  for (guint i = 0; i < self->views->len; i++)
    rv_histogram_view_set_x_range (g_ptr_array_index (self->views, i),
                                   self->shared_x ? lo : NAN, self->shared_x ? hi : NAN);
}

static void
on_model_changed (RvHistogramGrid *self)
{
  if (self->shared_x)
    update_x_ranges (self);
}

static void
apply_options (RvHistogramGrid *self, RvHistogramView *view)
{
  rv_histogram_view_set_show_kde (view, self->show_kde);
  rv_histogram_view_set_y_mode (view, self->y_mode);
  rv_histogram_view_set_log_y (view, self->log_y);
  rv_histogram_view_set_color (view, self->color_set ? &self->color : NULL);
  rv_histogram_view_set_compare_color (view, self->compare_color_set ? &self->compare_color : NULL);
}

/* Panel i gets B i, if there is one. */
static void
apply_compares (RvHistogramGrid *self)
{
  for (guint i = 0; i < self->views->len; i++)
    rv_histogram_view_set_compare (g_ptr_array_index (self->views, i),
                                   i < self->compares->len ? g_ptr_array_index (self->compares, i) : NULL);
}

static void
apply_options_to_all (RvHistogramGrid *self)
{
  for (guint i = 0; i < self->views->len; i++)
    apply_options (self, g_ptr_array_index (self->views, i));
}

static void
unwatch (RvHistogramGrid *self, GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (list, i), on_model_changed, self);
  g_ptr_array_set_size (list, 0);
}

static void
watch (RvHistogramGrid *self, GPtrArray *list, GPtrArray *histograms)
{
  for (guint i = 0; histograms != NULL && i < histograms->len; i++)
    {
      RvHistogram *model = g_ptr_array_index (histograms, i);

      g_ptr_array_add (list, g_object_ref (model));
      g_signal_connect_swapped (model, "changed", G_CALLBACK (on_model_changed), self);
    }
}

static void
remove_views (RvHistogramGrid *self)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      rv_reflow_box_remove (self->flow, g_ptr_array_index (self->views, i));
    }
  g_ptr_array_set_size (self->views, 0);
}

void
rv_histogram_grid_set_histograms (RvHistogramGrid *self, GPtrArray *histograms)
{
  guint n = histograms != NULL ? histograms->len : 0;

  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));
  for (guint i = 0; i < n; i++)
    g_return_if_fail (RV_IS_HISTOGRAM (g_ptr_array_index (histograms, i)));

  unwatch (self, self->models);
  watch (self, self->models, histograms);

  if (n != self->views->len)
    {
      remove_views (self);
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *view = rv_histogram_view_new (NULL);

          rv_reflow_box_append (self->flow, view);
          g_ptr_array_add (self->views, view);
          apply_options (self, RV_HISTOGRAM_VIEW (view));
        }
    }

  for (guint i = 0; i < n; i++)
    rv_histogram_view_set_model (g_ptr_array_index (self->views, i),
                                 g_ptr_array_index (self->models, i));
  apply_compares (self);
  update_x_ranges (self);
}

void
rv_histogram_grid_set_compare (RvHistogramGrid *self, GPtrArray *histograms)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));
  for (guint i = 0; histograms != NULL && i < histograms->len; i++)
    g_return_if_fail (RV_IS_HISTOGRAM (g_ptr_array_index (histograms, i)));

  unwatch (self, self->compares);
  watch (self, self->compares, histograms);
  apply_compares (self);
  update_x_ranges (self);
}

void
rv_histogram_grid_set_compare_color (RvHistogramGrid *self, const GdkRGBA *color)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  if (!rv_plot_optional_color_set (&self->compare_color_set, &self->compare_color, color))
    return;
  apply_options_to_all (self);
}

guint
rv_histogram_grid_get_n_views (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), 0);
  return self->views->len;
}

RvHistogramView *
rv_histogram_grid_get_view (RvHistogramGrid *self, guint i)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), NULL);
  if (i >= self->views->len)
    return NULL;
  return g_ptr_array_index (self->views, i);
}

void
rv_histogram_grid_get_export_size (RvHistogramGrid *self, int *width, int *height)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  if (width != NULL)
    *width = PANEL_EXPORT_WIDTH * MAX (self->views->len, 1);
  if (height != NULL)
    *height = PANEL_EXPORT_HEIGHT + (self->heading != NULL ? 40 : 0);
}

void
rv_histogram_grid_draw (RvHistogramGrid *self, cairo_t *cr, int width, int height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  RvPlotStyle style;
  double top = 0.0;
  guint n, cols, rows;
  double cell_w, cell_h;

  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));
  g_return_if_fail (cr != NULL);

  rv_plot_style_init (&style, widget);
  cairo_save (cr);
  rv_plot_paint_background (cr, &style);

  if (self->heading != NULL)
    {
      double h = rv_plot_show_title (cr, widget, &style, self->heading, PANGO_SCALE_LARGE,
                                     RV_PLOT_PAD, RV_PLOT_PAD + 4.0, width - 2 * RV_PLOT_PAD);

      top = ceil (RV_PLOT_PAD + 4.0 + h + 8.0);
    }

  n = self->views->len;
  if (n == 0)
    {
      rv_plot_show_placeholder (cr, widget, &style, _("No data"), 1.0, width / 2.0, (top + height) / 2.0);
      cairo_restore (cr);
      return;
    }

  cols = MIN (n, MAX_COLUMNS);
  while (cols > 1 && width / (double) cols < PANEL_MIN_WIDTH)
    cols--;
  rows = (n + cols - 1) / cols;
  cell_w = floor (width / (double) cols);
  cell_h = floor ((height - top) / rows);

  for (guint i = 0; i < n; i++)
    {
      double x = (i % cols) * cell_w;
      double y = top + (i / cols) * cell_h;

      /* A gutter between panels, so one's labels never meet the next's. */
      cairo_save (cr);
      cairo_translate (cr, x + GUTTER / 2, y);
      cairo_rectangle (cr, 0, 0, cell_w - GUTTER, cell_h);
      cairo_clip (cr);
      rv_histogram_view_draw (g_ptr_array_index (self->views, i), cr, (int) (cell_w - GUTTER), (int) cell_h);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

static void
rv_histogram_grid_dispose (GObject *object)
{
  RvHistogramGrid *self = RV_HISTOGRAM_GRID (object);

  if (self->models != NULL)
    unwatch (self, self->models);
  if (self->compares != NULL)
    unwatch (self, self->compares);
  if (self->flow != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->flow));
      self->flow = NULL;
    }
  if (self->views != NULL)
    g_ptr_array_set_size (self->views, 0);

  G_OBJECT_CLASS (rv_histogram_grid_parent_class)->dispose (object);
}

static void
rv_histogram_grid_finalize (GObject *object)
{
  RvHistogramGrid *self = RV_HISTOGRAM_GRID (object);

  g_ptr_array_unref (self->views);
  g_ptr_array_unref (self->models);
  g_ptr_array_unref (self->compares);
  g_free (self->heading);

  G_OBJECT_CLASS (rv_histogram_grid_parent_class)->finalize (object);
}

static void
rv_histogram_grid_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvHistogramGrid *self = RV_HISTOGRAM_GRID (object);

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
    case PROP_SHARED_X:
      g_value_set_boolean (value, self->shared_x);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, self->color_set ? &self->color : NULL);
      break;
    case PROP_HEADING:
      g_value_set_string (value, self->heading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_grid_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvHistogramGrid *self = RV_HISTOGRAM_GRID (object);

  switch (prop_id)
    {
    case PROP_SHOW_KDE:
      rv_histogram_grid_set_show_kde (self, g_value_get_boolean (value));
      break;
    case PROP_Y_MODE:
      rv_histogram_grid_set_y_mode (self, g_value_get_enum (value));
      break;
    case PROP_LOG_Y:
      rv_histogram_grid_set_log_y (self, g_value_get_boolean (value));
      break;
    case PROP_SHARED_X:
      rv_histogram_grid_set_shared_x (self, g_value_get_boolean (value));
      break;
    case PROP_COLOR:
      rv_histogram_grid_set_color (self, g_value_get_boxed (value));
      break;
    case PROP_HEADING:
      rv_histogram_grid_set_heading (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_grid_class_init (RvHistogramGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rv_histogram_grid_dispose;
  object_class->finalize = rv_histogram_grid_finalize;
  object_class->get_property = rv_histogram_grid_get_property;
  object_class->set_property = rv_histogram_grid_set_property;

  properties[PROP_SHOW_KDE] = g_param_spec_boolean ("show-kde", NULL, NULL, FALSE, flags);
  properties[PROP_Y_MODE] = g_param_spec_enum ("y-mode", NULL, NULL, RV_TYPE_HISTOGRAM_Y_MODE,
                                               RV_HISTOGRAM_Y_COUNT, flags);
  properties[PROP_LOG_Y] = g_param_spec_boolean ("log-y", NULL, NULL, FALSE, flags);
  properties[PROP_SHARED_X] = g_param_spec_boolean ("shared-x", NULL, NULL, FALSE, flags);
  properties[PROP_COLOR] = g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA, flags);
  properties[PROP_HEADING] = g_param_spec_string ("heading", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "histogramgrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rv_histogram_grid_init (RvHistogramGrid *self)
{
  self->views = g_ptr_array_new ();
  self->models = g_ptr_array_new_with_free_func (g_object_unref);
  self->compares = g_ptr_array_new_with_free_func (g_object_unref);
  self->y_mode = RV_HISTOGRAM_Y_COUNT;

  /* 1 to 4 columns by the width; panels grow into the height they get. */
  self->flow = RV_REFLOW_BOX (rv_reflow_box_new ());
  rv_reflow_box_set_max_columns (self->flow, MAX_COLUMNS);
  rv_reflow_box_set_max_aspect (self->flow, PANEL_MAX_ASPECT);
  gtk_widget_set_vexpand (GTK_WIDGET (self->flow), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->flow), GTK_WIDGET (self));
}

GtkWidget *
rv_histogram_grid_new (void)
{
  return g_object_new (RV_TYPE_HISTOGRAM_GRID, NULL);
}

void
rv_histogram_grid_set_show_kde (RvHistogramGrid *self, gboolean show_kde)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  show_kde = !!show_kde;
  if (self->show_kde == show_kde)
    return;
  self->show_kde = show_kde;
  apply_options_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_KDE]);
}

gboolean
rv_histogram_grid_get_show_kde (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), FALSE);
  return self->show_kde;
}

void
rv_histogram_grid_set_y_mode (RvHistogramGrid *self, RvHistogramYMode mode)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));
  g_return_if_fail (mode == RV_HISTOGRAM_Y_COUNT || mode == RV_HISTOGRAM_Y_DENSITY);

  if (self->y_mode == mode)
    return;
  self->y_mode = mode;
  apply_options_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_MODE]);
}

RvHistogramYMode
rv_histogram_grid_get_y_mode (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), RV_HISTOGRAM_Y_COUNT);
  return self->y_mode;
}

void
rv_histogram_grid_set_log_y (RvHistogramGrid *self, gboolean log_y)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  log_y = !!log_y;
  if (self->log_y == log_y)
    return;
  self->log_y = log_y;
  apply_options_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_Y]);
}

gboolean
rv_histogram_grid_get_log_y (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), FALSE);
  return self->log_y;
}

void
rv_histogram_grid_set_shared_x (RvHistogramGrid *self, gboolean shared_x)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  shared_x = !!shared_x;
  if (self->shared_x == shared_x)
    return;
  self->shared_x = shared_x;
  update_x_ranges (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARED_X]);
}

gboolean
rv_histogram_grid_get_shared_x (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), FALSE);
  return self->shared_x;
}

void
rv_histogram_grid_set_color (RvHistogramGrid *self, const GdkRGBA *color)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  if (!rv_plot_optional_color_set (&self->color_set, &self->color, color))
    return;
  apply_options_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

void
rv_histogram_grid_set_heading (RvHistogramGrid *self, const char *heading)
{
  g_return_if_fail (RV_IS_HISTOGRAM_GRID (self));

  if (heading != NULL && heading[0] == '\0')
    heading = NULL;
  if (g_strcmp0 (self->heading, heading) == 0)
    return;
  g_free (self->heading);
  self->heading = g_strdup (heading);
  if (heading != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADING]);
}

const char *
rv_histogram_grid_get_heading (RvHistogramGrid *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_GRID (self), NULL);
  return self->heading;
}
