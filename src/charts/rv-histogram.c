/* rv-histogram.c: a title, a copy of an RvStats and a KDE curve, with a
 * "changed" signal for the views. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "rv-histogram.h"
#include "rv-plot.h"

struct _RvHistogram
{
  GObject parent_instance;

  char *title;
  char *note;        /* NULL: none */
  RvStats stats;     /* counts owned; n_bins == 0 without data */
  double *kde_x;     /* [kde_n] */
  double *kde_y;     /* [kde_n] */
  guint kde_n;
};

G_DEFINE_FINAL_TYPE (RvHistogram, rv_histogram, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
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
clear_kde (RvHistogram *self)
{
  g_clear_pointer (&self->kde_x, g_free);
  g_clear_pointer (&self->kde_y, g_free);
  self->kde_n = 0;
}

static void
rv_histogram_finalize (GObject *object)
{
  RvHistogram *self = RV_HISTOGRAM (object);

  g_free (self->title);
  g_free (self->note);
  g_free (self->stats.counts);
  clear_kde (self);

  G_OBJECT_CLASS (rv_histogram_parent_class)->finalize (object);
}

static void
rv_histogram_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvHistogram *self = RV_HISTOGRAM (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RvHistogram *self = RV_HISTOGRAM (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      rv_histogram_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_histogram_class_init (RvHistogramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rv_histogram_finalize;
  object_class->get_property = rv_histogram_get_property;
  object_class->set_property = rv_histogram_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RvHistogram::changed:
   *
   * Emitted after the title, the note, the data or the KDE changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rv_histogram_init (RvHistogram *self)
{
  self->title = g_strdup ("");
  self->stats.lo = 0.0;
  self->stats.hi = 1.0;
}

RvHistogram *
rv_histogram_new (const char *title)
{
  return g_object_new (RV_TYPE_HISTOGRAM, "title", title, NULL);
}

void
rv_histogram_set_title (RvHistogram *self, const char *title)
{
  g_return_if_fail (RV_IS_HISTOGRAM (self));

  if (title == NULL)
    title = "";
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
rv_histogram_get_title (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), NULL);
  return self->title;
}

void
rv_histogram_set_note (RvHistogram *self, const char *note)
{
  g_return_if_fail (RV_IS_HISTOGRAM (self));

  if (note != NULL && note[0] == '\0')
    note = NULL;
  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
rv_histogram_get_note (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), NULL);
  return self->note;
}

void
rv_histogram_set_stats (RvHistogram *self, const RvStats *stats)
{
  g_return_if_fail (RV_IS_HISTOGRAM (self));
  g_return_if_fail (stats == NULL || stats->n_bins == 0 || stats->counts != NULL);

  g_clear_pointer (&self->stats.counts, g_free);
  memset (&self->stats, 0, sizeof self->stats);
  self->stats.lo = 0.0;
  self->stats.hi = 1.0;
  if (stats != NULL)
    {
      rv_stats_copy (&self->stats, stats);
      /* A degenerate range cannot be drawn or hovered; rv_stats_compute
       * never makes one, but hand-made stats might. */
      if (!isfinite (self->stats.lo) || !isfinite (self->stats.hi))
        {
          self->stats.lo = 0.0;
          self->stats.hi = 1.0;
        }
      if (!(self->stats.hi > self->stats.lo))
        self->stats.hi = self->stats.lo + 1.0;
    }
  clear_kde (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
rv_histogram_set_kde (RvHistogram *self, const double *x, const double *y, guint n)
{
  g_return_if_fail (RV_IS_HISTOGRAM (self));
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  clear_kde (self);
  if (n > 0)
    {
      self->kde_x = g_memdup2 (x, sizeof (double) * n);
      self->kde_y = g_memdup2 (y, sizeof (double) * n);
      self->kde_n = n;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

char *
rv_histogram_describe_stats_bin (const RvStats *stats, guint bin)
{
  double width, left, right;
  g_autofree char *left_text = NULL;
  g_autofree char *right_text = NULL;
  g_autofree char *count_text = NULL;

  g_return_val_if_fail (stats != NULL && bin < stats->n_bins, NULL);

  width = (stats->hi - stats->lo) / stats->n_bins;
  left = stats->lo + (stats->hi - stats->lo) * bin / stats->n_bins;
  right = stats->lo + (stats->hi - stats->lo) * (bin + 1) / stats->n_bins;
  /* A tenth of a bin: enough digits to tell neighbouring edges apart. */
  left_text = rv_plot_format_at_resolution (left, width / 10.0);
  right_text = rv_plot_format_at_resolution (right, width / 10.0);
  count_text = rv_plot_format_count (stats->counts[bin]);
  if (bin + 1 < stats->n_bins)
    /* Translators: a histogram bin [left edge, right edge): how many values */
    return g_strdup_printf (_("[%s, %s): %s"), left_text, right_text, count_text);
  /* Translators: the last histogram bin, which includes its right edge */
  return g_strdup_printf (_("[%s, %s]: %s"), left_text, right_text, count_text);
}

gboolean
rv_histogram_is_degenerate (RvHistogram *self, double *value)
{
  double min, max;

  g_return_val_if_fail (RV_IS_HISTOGRAM (self), FALSE);

  min = self->stats.min;
  max = self->stats.max;
  if (self->stats.n_bins == 0 || self->stats.n == 0 || !rv_histogram_range_is_degenerate (min, max))
    return FALSE;
  if (value != NULL)
    *value = min + (max - min) / 2.0;
  return TRUE;
}

gboolean
rv_histogram_range_is_degenerate (double min, double max)
{
  if (!isfinite (min) || !isfinite (max) || min > max)
    return FALSE;
  return max - min <= 64.0 * FLT_EPSILON * MAX (fabs (min), fabs (max));
}

void
rv_histogram_degenerate_axis (double value, double *lo, double *hi)
{
  double half = value != 0.0 ? fabs (value) * 0.25 : 1.0;

  *lo = value - half;
  *hi = value + half;
}

gboolean
rv_histogram_has_data (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), FALSE);
  return self->stats.n_bins > 0;
}

const RvStats *
rv_histogram_get_stats (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), NULL);
  return &self->stats;
}

double
rv_histogram_get_mean (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  return self->stats.mean;
}

double
rv_histogram_get_variance (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  return self->stats.variance;
}

double
rv_histogram_get_min (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  return self->stats.min;
}

double
rv_histogram_get_max (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  return self->stats.max;
}

gboolean
rv_histogram_get_range (RvHistogram *self, double *lo, double *hi)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), FALSE);

  if (lo != NULL)
    *lo = self->stats.lo;
  if (hi != NULL)
    *hi = self->stats.hi;
  return self->stats.n_bins > 0;
}

guint
rv_histogram_get_n_bins (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0);
  return self->stats.n_bins;
}

const guint64 *
rv_histogram_get_counts (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), NULL);
  return (const guint64 *) self->stats.counts;
}

guint64
rv_histogram_get_total (RvHistogram *self)
{
  guint64 total = 0;

  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0);
  for (guint i = 0; i < self->stats.n_bins; i++)
    total += self->stats.counts[i];
  return total;
}

double
rv_histogram_get_bin_width (RvHistogram *self)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  if (self->stats.n_bins == 0)
    return 0.0;
  return rv_stats_bin_width (&self->stats);
}

void
rv_histogram_get_bin_edges (RvHistogram *self, guint bin, double *left, double *right)
{
  const RvStats *s;

  g_return_if_fail (RV_IS_HISTOGRAM (self));
  s = &self->stats;
  g_return_if_fail (bin < s->n_bins);

  /* The same edges rv-stats.c bins with: exact at both ends. */
  if (left != NULL)
    *left = bin == 0 ? s->lo : s->lo + (s->hi - s->lo) * (double) bin / (double) s->n_bins;
  if (right != NULL)
    *right = bin + 1 >= s->n_bins ? s->hi
      : s->lo + (s->hi - s->lo) * (double) (bin + 1) / (double) s->n_bins;
}

double
rv_histogram_get_density (RvHistogram *self, guint bin)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0.0);
  g_return_val_if_fail (bin < self->stats.n_bins, 0.0);
  return rv_stats_density (&self->stats, bin);
}

guint
rv_histogram_get_kde (RvHistogram *self, const double **x, const double **y)
{
  g_return_val_if_fail (RV_IS_HISTOGRAM (self), 0);
  if (x != NULL)
    *x = self->kde_x;
  if (y != NULL)
    *y = self->kde_y;
  return self->kde_n;
}
