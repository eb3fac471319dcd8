/* rv-reflow-box.c: children in columns by their minimum widths, rows grown
 * into the allocation up to a maximum aspect. */
#include "rv-config.h"

#include "rv-reflow-box.h"

struct _RvReflowBox
{
  GtkWidget parent_instance;

  guint max_columns;
  double max_aspect;
  int spacing;
};

static void rv_reflow_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RvReflowBox, rv_reflow_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, rv_reflow_box_buildable_init))

enum
{
  PROP_0,
  PROP_MAX_COLUMNS,
  PROP_MAX_ASPECT,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
n_visible (RvReflowBox *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      n++;
  return n;
}

/* The widest of the children's minimum (or natural) widths. */
static int
child_width (RvReflowBox *self, gboolean natural)
{
  int widest = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int min, nat;

        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
        widest = MAX (widest, natural ? nat : min);
      }
  return widest;
}

guint
rv_reflow_box_columns_for_width (RvReflowBox *self, int width)
{
  guint n, cols, rows;
  int min_w;

  g_return_val_if_fail (RV_IS_REFLOW_BOX (self), 0);
  n = n_visible (self);
  if (n == 0)
    return 0;
  cols = MIN (n, self->max_columns);
  if (width >= 0)
    {
      min_w = MAX (child_width (self, FALSE), 1);
      cols = MIN (cols, (guint) MAX ((width + self->spacing) / (min_w + self->spacing), 1));
    }
  /* Balanced rows: five panels in three columns are 3 + 2, not 4 + 1. */
  rows = (n + cols - 1) / cols;
  return (n + rows - 1) / rows;
}

static int
cell_width (RvReflowBox *self, int width, guint cols)
{
  return MAX ((width - (int) (cols - 1) * self->spacing) / (int) cols, 0);
}

/* Row r's minimum and natural heights for cells cell_w wide, the natural
 * one kept within the maximum aspect. */
static void
row_heights (RvReflowBox *self, guint cols, guint r, int cell_w, int *row_min, int *row_nat)
{
  guint i = 0;

  *row_min = *row_nat = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    {
      int min, nat;

      if (!gtk_widget_should_layout (c))
        continue;
      if (i++ / cols != r)
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, cell_w, &min, &nat, NULL, NULL);
      *row_min = MAX (*row_min, min);
      *row_nat = MAX (*row_nat, nat);
    }
  if (self->max_aspect > 0)
    *row_nat = MAX (*row_min, MIN (*row_nat, (int) (cell_w * self->max_aspect)));
}

static void
rv_reflow_box_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  RvReflowBox *self = RV_REFLOW_BOX (widget);
  guint n = n_visible (self);

  *minimum = *natural = 0;
  if (n == 0)
    return;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      guint cols = MIN (n, self->max_columns);

      *minimum = child_width (self, FALSE);
      *natural = MAX (*minimum, (int) cols * child_width (self, TRUE) + (int) (cols - 1) * self->spacing);
    }
  else
    {
      int width = for_size >= 0 ? for_size : (int) MIN (n, self->max_columns) * child_width (self, TRUE);
      guint cols = rv_reflow_box_columns_for_width (self, width);
      guint rows = (n + cols - 1) / cols;
      int cell_w = cell_width (self, width, cols);

      for (guint r = 0; r < rows; r++)
        {
          int row_min, row_nat;

          row_heights (self, cols, r, cell_w, &row_min, &row_nat);
          *minimum += row_min;
          *natural += row_nat;
        }
      *minimum += (int) (rows - 1) * self->spacing;
      *natural += (int) (rows - 1) * self->spacing;
    }
}

static GtkSizeRequestMode
rv_reflow_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The columns for width × height: as many as fit the width, unless fewer
 * make every child larger in the height there is (five histograms in a
 * tall window: two columns of three rows, not three columns leaving the
 * bottom empty). */
static guint
best_columns (RvReflowBox *self, guint n, int width, int height)
{
  guint most = rv_reflow_box_columns_for_width (self, width), best = most;
  double best_area = -1.0;

  for (guint cols = most; cols >= 1; cols--)
    {
      guint rows = (n + cols - 1) / cols;
      int cell_w = cell_width (self, width, (n + rows - 1) / rows);
      double h = (double) (height - (int) (rows - 1) * self->spacing) / rows;
      int sum_nat = 0;

      for (guint r = 0; r < rows; r++)
        {
          int row_min, row_nat;

          row_heights (self, (n + rows - 1) / rows, r, cell_w, &row_min, &row_nat);
          sum_nat += row_nat;
        }
      if (self->max_aspect > 0)
        h = MIN (h, cell_w * self->max_aspect);
      /* fewer columns only where their rows fit at their natural heights */
      if (cols < most && sum_nat + (int) (rows - 1) * self->spacing > height)
        break;
      /* Width beyond twice the height does not make a chart easier to
       * read; and only a clear gain: more columns compare side by side. */
      double area = MIN (cell_w, 2.0 * h) * h;
      if (area > 1.15 * best_area)
        {
          best_area = area;
          best = (n + rows - 1) / rows;
        }
    }
  return best;
}

static void
rv_reflow_box_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  RvReflowBox *self = RV_REFLOW_BOX (widget);
  guint n = n_visible (self);

  if (n == 0)
    return;

  guint cols = best_columns (self, n, width, height);
  guint rows = (n + cols - 1) / cols;
  int cell_w = cell_width (self, width, cols);
  g_autofree int *mins = g_new (int, rows);
  g_autofree int *nats = g_new (int, rows);
  int sum_nat = 0;

  for (guint r = 0; r < rows; r++)
    {
      row_heights (self, cols, r, cell_w, &mins[r], &nats[r]);
      sum_nat += nats[r];
    }

  /* Spare height goes to every row alike, each up to its maximum aspect;
   * too little takes from every row alike, down to its minimum. */
  int avail = height - (int) (rows - 1) * self->spacing;
  int extra = (avail - sum_nat) / (int) rows;
  int y = 0;
  guint i = 0;
  GtkWidget *c = gtk_widget_get_first_child (widget);

  for (guint r = 0; r < rows; r++)
    {
      int h = nats[r] + extra;

      if (extra > 0 && self->max_aspect > 0)
        h = MIN (h, MAX (nats[r], (int) (cell_w * self->max_aspect)));
      else if (extra > 0)
        h = nats[r];
      h = MAX (h, mins[r]);
      for (guint col = 0; col < cols && i < n; c = gtk_widget_get_next_sibling (c))
        {
          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_size_allocate (c, &(GtkAllocation) { (int) col * (cell_w + self->spacing), y, cell_w, h }, -1);
          col++;
          i++;
        }
      y += h + self->spacing;
    }
}

static void
rv_reflow_box_dispose (GObject *object)
{
  rv_reflow_box_remove_all (RV_REFLOW_BOX (object));
  G_OBJECT_CLASS (rv_reflow_box_parent_class)->dispose (object);
}

static void
rv_reflow_box_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvReflowBox *self = RV_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_MAX_COLUMNS:
      g_value_set_uint (value, self->max_columns);
      break;
    case PROP_MAX_ASPECT:
      g_value_set_double (value, self->max_aspect);
      break;
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_reflow_box_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvReflowBox *self = RV_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_MAX_COLUMNS:
      rv_reflow_box_set_max_columns (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ASPECT:
      rv_reflow_box_set_max_aspect (self, g_value_get_double (value));
      break;
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_reflow_box_buildable_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child, const char *type)
{
  if (GTK_IS_WIDGET (child))
    rv_reflow_box_append (RV_REFLOW_BOX (buildable), GTK_WIDGET (child));
  else
    g_warning ("RvReflowBox holds widgets, not a %s", G_OBJECT_TYPE_NAME (child));
}

static void
rv_reflow_box_buildable_init (GtkBuildableIface *iface)
{
  iface->add_child = rv_reflow_box_buildable_add_child;
}

static void
rv_reflow_box_class_init (RvReflowBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rv_reflow_box_dispose;
  object_class->get_property = rv_reflow_box_get_property;
  object_class->set_property = rv_reflow_box_set_property;
  widget_class->measure = rv_reflow_box_measure;
  widget_class->size_allocate = rv_reflow_box_size_allocate;
  widget_class->get_request_mode = rv_reflow_box_get_request_mode;

  properties[PROP_MAX_COLUMNS] = g_param_spec_uint ("max-columns", NULL, NULL, 1, 64, 4, flags);
  properties[PROP_MAX_ASPECT] = g_param_spec_double ("max-aspect", NULL, NULL, 0, 10, 0, flags);
  properties[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, 1000, 12, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "reflowbox");
}

static void
rv_reflow_box_init (RvReflowBox *self)
{
  self->max_columns = 4;
  self->spacing = 12;
}

GtkWidget *
rv_reflow_box_new (void)
{
  return g_object_new (RV_TYPE_REFLOW_BOX, NULL);
}

void
rv_reflow_box_append (RvReflowBox *self, GtkWidget *child)
{
  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);
  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

void
rv_reflow_box_insert_after (RvReflowBox *self, GtkWidget *child, GtkWidget *sibling)
{
  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);
  g_return_if_fail (sibling == NULL || gtk_widget_get_parent (sibling) == GTK_WIDGET (self));
  gtk_widget_insert_after (child, GTK_WIDGET (self), sibling);
}

void
rv_reflow_box_remove (RvReflowBox *self, GtkWidget *child)
{
  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));
  gtk_widget_unparent (child);
}

void
rv_reflow_box_remove_all (RvReflowBox *self)
{
  GtkWidget *child;

  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
}

void
rv_reflow_box_set_max_columns (RvReflowBox *self, guint max_columns)
{
  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  max_columns = MAX (max_columns, 1);
  if (self->max_columns == max_columns)
    return;
  self->max_columns = max_columns;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_COLUMNS]);
}

void
rv_reflow_box_set_max_aspect (RvReflowBox *self, double max_aspect)
{
  g_return_if_fail (RV_IS_REFLOW_BOX (self));
  if (self->max_aspect == max_aspect)
    return;
  self->max_aspect = max_aspect;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ASPECT]);
}
