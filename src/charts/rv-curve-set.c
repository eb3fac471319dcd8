/* rv-curve-set.c: series of points for RvCurveView, with a "changed"
 * signal. */
#include "rv-config.h"

#include "rv-curve-set.h"

typedef struct
{
  char *name;
  gboolean color_set;
  GdkRGBA color;
  gboolean dashed;
  char *label; /* drawn at the last point; NULL: none */
  GArray *x;   /* double */
  GArray *y;   /* double */
} Series;

struct _RvCurveSet
{
  GObject parent_instance;

  GPtrArray *series;   /* Series */
};

G_DEFINE_FINAL_TYPE (RvCurveSet, rv_curve_set, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->name);
  g_free (s->label);
  g_array_unref (s->x);
  g_array_unref (s->y);
  g_free (s);
}

static void
changed (RvCurveSet *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static Series *
get_series (RvCurveSet *self, guint series)
{
  return g_ptr_array_index (self->series, series);
}

static void
rv_curve_set_finalize (GObject *object)
{
  RvCurveSet *self = RV_CURVE_SET (object);

  g_ptr_array_unref (self->series);

  G_OBJECT_CLASS (rv_curve_set_parent_class)->finalize (object);
}

static void
rv_curve_set_class_init (RvCurveSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rv_curve_set_finalize;

  /**
   * RvCurveSet::changed:
   *
   * Emitted after series were added, removed or changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rv_curve_set_init (RvCurveSet *self)
{
  self->series = g_ptr_array_new_with_free_func (series_free);
}

RvCurveSet *
rv_curve_set_new (void)
{
  return g_object_new (RV_TYPE_CURVE_SET, NULL);
}

guint
rv_curve_set_add_series (RvCurveSet *self, const char *name, const GdkRGBA *color, gboolean dashed)
{
  Series *s;

  g_return_val_if_fail (RV_IS_CURVE_SET (self), 0);

  s = g_new0 (Series, 1);
  s->name = g_strdup (name != NULL ? name : "");
  s->color_set = color != NULL;
  if (color != NULL)
    s->color = *color;
  s->dashed = !!dashed;
  s->x = g_array_new (FALSE, FALSE, sizeof (double));
  s->y = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (self->series, s);
  changed (self);
  return self->series->len - 1;
}

void
rv_curve_set_remove_series (RvCurveSet *self, guint series)
{
  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  g_ptr_array_remove_index (self->series, series);
  changed (self);
}

void
rv_curve_set_clear (RvCurveSet *self)
{
  g_return_if_fail (RV_IS_CURVE_SET (self));

  if (self->series->len == 0)
    return;
  g_ptr_array_set_size (self->series, 0);
  changed (self);
}

guint
rv_curve_set_get_n_series (RvCurveSet *self)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), 0);
  return self->series->len;
}

void
rv_curve_set_set_points (RvCurveSet *self, guint series, const double *x, const double *y, guint n)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  s = get_series (self, series);
  g_array_set_size (s->x, 0);
  g_array_set_size (s->y, 0);
  g_array_append_vals (s->x, x, n);
  g_array_append_vals (s->y, y, n);
  changed (self);
}

void
rv_curve_set_append (RvCurveSet *self, guint series, double x, double y)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  s = get_series (self, series);
  g_array_append_val (s->x, x);
  g_array_append_val (s->y, y);
  changed (self);
}

void
rv_curve_set_set_name (RvCurveSet *self, guint series, const char *name)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  s = get_series (self, series);
  if (name == NULL)
    name = "";
  if (g_strcmp0 (s->name, name) == 0)
    return;
  g_free (s->name);
  s->name = g_strdup (name);
  changed (self);
}

const char *
rv_curve_set_get_name (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return get_series (self, series)->name;
}

void
rv_curve_set_set_color (RvCurveSet *self, guint series, const GdkRGBA *color)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  s = get_series (self, series);
  s->color_set = color != NULL;
  if (color != NULL)
    s->color = *color;
  changed (self);
}

gboolean
rv_curve_set_get_color (RvCurveSet *self, guint series, GdkRGBA *color)
{
  Series *s;

  g_return_val_if_fail (RV_IS_CURVE_SET (self), FALSE);
  g_return_val_if_fail (series < self->series->len, FALSE);

  s = get_series (self, series);
  if (s->color_set && color != NULL)
    *color = s->color;
  return s->color_set;
}

void
rv_curve_set_set_dashed (RvCurveSet *self, guint series, gboolean dashed)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  s = get_series (self, series);
  if (s->dashed == !!dashed)
    return;
  s->dashed = !!dashed;
  changed (self);
}

void
rv_curve_set_set_label (RvCurveSet *self, guint series, const char *label)
{
  Series *s;

  g_return_if_fail (RV_IS_CURVE_SET (self));
  g_return_if_fail (series < self->series->len);

  s = get_series (self, series);
  if (g_strcmp0 (s->label, label) == 0)
    return;
  g_free (s->label);
  s->label = label && *label ? g_strdup (label) : NULL;
  changed (self);
}

const char *
rv_curve_set_get_label (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return get_series (self, series)->label;
}

gboolean
rv_curve_set_get_dashed (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), FALSE);
  g_return_val_if_fail (series < self->series->len, FALSE);
  return get_series (self, series)->dashed;
}

guint
rv_curve_set_get_n_points (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), 0);
  g_return_val_if_fail (series < self->series->len, 0);
  return get_series (self, series)->x->len;
}

const double *
rv_curve_set_get_x (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return (const double *) (gpointer) get_series (self, series)->x->data;
}

const double *
rv_curve_set_get_y (RvCurveSet *self, guint series)
{
  g_return_val_if_fail (RV_IS_CURVE_SET (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return (const double *) (gpointer) get_series (self, series)->y->data;
}
