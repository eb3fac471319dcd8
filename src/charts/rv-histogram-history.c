/* rv-histogram-history.c: a bounded, thinning sequence of histogram
 * snapshots of one tensor, with a "changed" signal for the views. */
#include "rv-config.h"

#include <math.h>
#include <string.h>

#include "rv-histogram-history.h"

typedef struct
{
  guint64 step;
  guint64 peak;      /* largest count */
  RvStats stats;     /* counts owned */
} Snapshot;

struct _RvHistogramHistory
{
  GObject parent_instance;

  char *title;
  guint capacity;
  Snapshot *snapshots;   /* [allocated], the first n in use, oldest first */
  guint n;
  guint allocated;
};

G_DEFINE_FINAL_TYPE (RvHistogramHistory, rv_histogram_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_CAPACITY,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->stats.counts, g_free);
}

/* Keeps snapshots [0, keep) and frees the rest. */
static void
truncate_to (RvHistogramHistory *self, guint keep)
{
  for (guint i = keep; i < self->n; i++)
    snapshot_clear (&self->snapshots[i]);
  self->n = MIN (self->n, keep);
}

/* Drops every other snapshot of the older half, in place.  Index 0 stays:
 * the distribution at initialization is the reference everything else is
 * compared with.  Needs n >= 4 to drop anything. */
static void
decimate (RvHistogramHistory *self)
{
  guint half = self->n / 2;
  guint kept = 0;

  for (guint i = 0; i < self->n; i++)
    {
      if (i < half && i % 2 == 1)
        {
          snapshot_clear (&self->snapshots[i]);
          continue;
        }
      if (kept != i)
        self->snapshots[kept] = self->snapshots[i];
      kept++;
    }
  self->n = kept;
}

static gboolean
shrink_to_capacity (RvHistogramHistory *self, guint limit)
{
  gboolean dropped = FALSE;

  while (self->n > limit)
    {
      decimate (self);
      dropped = TRUE;
    }
  return dropped;
}

static void
rv_histogram_history_finalize (GObject *object)
{
  RvHistogramHistory *self = RV_HISTOGRAM_HISTORY (object);

  truncate_to (self, 0);
  g_free (self->snapshots);
  g_free (self->title);

  G_OBJECT_CLASS (rv_histogram_history_parent_class)->finalize (object);
}

static void
set_title (RvHistogramHistory *self, const char *title)
{
  if (title == NULL)
    title = "";
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rv_histogram_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvHistogramHistory *self = RV_HISTOGRAM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_history_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  RvHistogramHistory *self = RV_HISTOGRAM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      set_title (self, g_value_get_string (value));
      break;
    case PROP_CAPACITY:
      rv_histogram_history_set_capacity (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_history_class_init (RvHistogramHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rv_histogram_history_finalize;
  object_class->get_property = rv_histogram_history_get_property;
  object_class->set_property = rv_histogram_history_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL,
                       RV_HISTOGRAM_HISTORY_MIN_CAPACITY, G_MAXUINT / 2,
                       RV_HISTOGRAM_HISTORY_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RvHistogramHistory::changed:
   *
   * Emitted after the title or the snapshots changed (appended, dropped
   * or cleared).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rv_histogram_history_init (RvHistogramHistory *self)
{
  self->title = g_strdup ("");
  self->capacity = RV_HISTOGRAM_HISTORY_DEFAULT_CAPACITY;
}

RvHistogramHistory *
rv_histogram_history_new (const char *title)
{
  return g_object_new (RV_TYPE_HISTOGRAM_HISTORY, "title", title, NULL);
}

const char *
rv_histogram_history_get_title (RvHistogramHistory *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), NULL);
  return self->title;
}

void
rv_histogram_history_set_capacity (RvHistogramHistory *self, guint capacity)
{
  g_return_if_fail (RV_IS_HISTOGRAM_HISTORY (self));

  capacity = MAX (capacity, RV_HISTOGRAM_HISTORY_MIN_CAPACITY);
  if (self->capacity == capacity)
    return;
  self->capacity = capacity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
  if (shrink_to_capacity (self, capacity))
    g_signal_emit (self, signals[CHANGED], 0);
}

guint
rv_histogram_history_get_capacity (RvHistogramHistory *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), 0);
  return self->capacity;
}

void
rv_histogram_history_append (RvHistogramHistory *self, guint64 step, const RvStats *stats)
{
  Snapshot *snapshot;
  int before;

  g_return_if_fail (RV_IS_HISTOGRAM_HISTORY (self));
  g_return_if_fail (stats != NULL);
  g_return_if_fail (stats->n_bins == 0 || stats->counts != NULL);

  /* A rewound run: forget the future it no longer has. */
  if (self->n > 0 && step <= self->snapshots[self->n - 1].step)
    {
      before = step > 0 ? rv_histogram_history_find_step (self, step - 1) : -1;
      truncate_to (self, (guint) (before + 1));
    }

  /* Make room first, so the count never exceeds the capacity. */
  shrink_to_capacity (self, self->capacity - 1);
  if (self->n == self->allocated)
    {
      /* Grows to the capacity in a few steps, then never again. */
      self->allocated = MIN (MAX (16, self->allocated * 2), self->capacity);
      self->snapshots = g_renew (Snapshot, self->snapshots, self->allocated);
    }

  snapshot = &self->snapshots[self->n++];
  snapshot->step = step;
  rv_stats_copy (&snapshot->stats, stats);
  if (!(snapshot->stats.hi > snapshot->stats.lo))
    snapshot->stats.hi = snapshot->stats.lo + 1.0;
  snapshot->peak = 0;
  for (guint32 i = 0; i < stats->n_bins; i++)
    snapshot->peak = MAX (snapshot->peak, stats->counts[i]);

  g_signal_emit (self, signals[CHANGED], 0);
}

void
rv_histogram_history_clear (RvHistogramHistory *self)
{
  g_return_if_fail (RV_IS_HISTOGRAM_HISTORY (self));

  if (self->n == 0)
    return;
  truncate_to (self, 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
rv_histogram_history_get_n (RvHistogramHistory *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), 0);
  return self->n;
}

guint64
rv_histogram_history_get_step (RvHistogramHistory *self, guint index)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), 0);
  g_return_val_if_fail (index < self->n, 0);
  return self->snapshots[index].step;
}

const RvStats *
rv_histogram_history_get_stats (RvHistogramHistory *self, guint index)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->n, NULL);
  return &self->snapshots[index].stats;
}

guint64
rv_histogram_history_get_peak (RvHistogramHistory *self, guint index)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), 0);
  g_return_val_if_fail (index < self->n, 0);
  return self->snapshots[index].peak;
}

int
rv_histogram_history_find_step (RvHistogramHistory *self, guint64 step)
{
  guint lo = 0, hi;

  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), -1);

  /* Binary search for the first snapshot after step. */
  hi = self->n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->snapshots[mid].step <= step)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo - 1;
}

gboolean
rv_histogram_history_get_range (RvHistogramHistory *self, guint first, guint count,
                                double *lo, double *hi)
{
  double l = INFINITY, h = -INFINITY;
  guint end;

  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), FALSE);

  end = first < self->n ? first + MIN (count, self->n - first) : first;
  for (guint i = first; i < end; i++)
    {
      const RvStats *s = &self->snapshots[i].stats;

      if (isfinite (s->lo))
        l = MIN (l, s->lo);
      if (isfinite (s->hi))
        h = MAX (h, s->hi);
    }

  if (!(h > l))
    {
      if (lo != NULL)
        *lo = 0.0;
      if (hi != NULL)
        *hi = 1.0;
      return FALSE;
    }
  if (lo != NULL)
    *lo = l;
  if (hi != NULL)
    *hi = h;
  return TRUE;
}

gboolean
rv_histogram_history_get_full_range (RvHistogramHistory *self, double *lo, double *hi)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), FALSE);
  return rv_histogram_history_get_range (self, 0, self->n, lo, hi);
}

gboolean
rv_histogram_history_get_recent_range (RvHistogramHistory *self, guint count,
                                       double *lo, double *hi)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM_HISTORY (self), FALSE);
  count = MIN (count, self->n);
  return rv_histogram_history_get_range (self, self->n - count, count, lo, hi);
}
