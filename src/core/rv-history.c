/* rv-history.c: a run's snapshots in memory and as JSON (rv-history.h). */
#include "rv-history.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-json.h"
#include "rv-probe.h"

static void
snapshot_free (gpointer p)
{
  rv_snapshot_clear (p);
  g_free (p);
}

RvHistory *
rv_history_new (const RvNetConfig *net, uint32_t every, uint32_t steps_per_epoch, uint32_t bins)
{
  RvHistory *h = g_new0 (RvHistory, 1);
  h->net = *net;
  h->every = every;
  h->steps_per_epoch = steps_per_epoch;
  h->bins = bins;
  h->snapshots = g_ptr_array_new_with_free_func (snapshot_free);
  return h;
}

void
rv_history_free (RvHistory *h)
{
  if (h == NULL)
    return;
  g_ptr_array_unref (h->snapshots);
  g_free (h);
}

RvHistory *
rv_history_copy (const RvHistory *h)
{
  RvHistory *copy = rv_history_new (&h->net, h->every, h->steps_per_epoch, h->bins);
  for (guint i = 0; i < h->snapshots->len; i++)
    {
      RvSnapshot *s = g_new (RvSnapshot, 1);
      rv_snapshot_copy (s, g_ptr_array_index (h->snapshots, i));
      g_ptr_array_add (copy->snapshots, s);
    }
  return copy;
}

uint32_t
rv_history_resolve_every (uint32_t every, uint64_t total_steps)
{
  if (every != RV_HISTORY_AUTO)
    return every;
  uint64_t e = (total_steps + RV_HISTORY_TARGET - 1) / RV_HISTORY_TARGET;
  return (uint32_t) CLAMP (e, 1, G_MAXUINT32 - 1);
}

gboolean
rv_history_records_step (uint32_t every, uint64_t step, uint64_t total_steps)
{
  return every > 0 && step >= 1 && ((step - 1) % every == 0 || step == total_steps);
}

void
rv_history_take (RvHistory *h, RvSnapshot *snap)
{
  RvSnapshot *s = g_new (RvSnapshot, 1);
  *s = *snap;
  memset (snap, 0, sizeof *snap);
  g_ptr_array_add (h->snapshots, s);
}

guint
rv_history_get_n (const RvHistory *h)
{
  return h->snapshots->len;
}

const RvSnapshot *
rv_history_get (const RvHistory *h, guint i)
{
  g_return_val_if_fail (i < h->snapshots->len, NULL);
  return g_ptr_array_index (h->snapshots, i);
}

guint
rv_history_index_at_step (const RvHistory *h, uint64_t step)
{
  /* binary search for the last snapshot whose step is <= step */
  guint lo = 0, hi = h->snapshots->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (rv_history_get (h, mid)->step <= step)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo > 0 ? lo - 1 : 0;
}

/* ---- writing ---- */

static const char *const kind_names[3] = { "weights", "gradients", "activations" };

static const RvStats *
kind_stats (const RvSnapshot *s, int kind, uint32_t l)
{
  return kind == 0 ? &s->weight[l] : kind == 1 ? &s->gradient[l] : &s->activation[l];
}

static RvStats *
kind_stats_mut (RvSnapshot *s, int kind, uint32_t l)
{
  return (RvStats *) kind_stats (s, kind, l);
}

static void
add_number (JsonBuilder *b, double v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

typedef enum { F_N, F_MIN, F_MAX, F_LO, F_HI, F_MEAN, F_VARIANCE, N_FIELDS } StatsField;
static const char *const field_names[N_FIELDS] = { "n", "min", "max", "lo", "hi", "mean", "variance" };

static double
stats_field (const RvStats *st, StatsField f)
{
  switch (f)
    {
    case F_N: return (double) st->n;
    case F_MIN: return st->min;
    case F_MAX: return st->max;
    case F_LO: return st->lo;
    case F_HI: return st->hi;
    case F_MEAN: return st->mean;
    case F_VARIANCE: return st->variance;
    default: g_assert_not_reached ();
    }
}

static void
add_kind (JsonBuilder *b, const RvHistory *h, int kind, uint32_t l)
{
  const GPtrArray *snaps = h->snapshots;
  json_builder_set_member_name (b, kind_names[kind]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (guint i = 0; i < snaps->len; i++)
    {
      const RvStats *st = kind_stats (g_ptr_array_index (snaps, i), kind, l);
      json_builder_begin_array (b);
      for (uint32_t k = 0; k < st->n_bins; k++)
        json_builder_add_int_value (b, (gint64) st->counts[k]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  for (int f = 0; f < N_FIELDS; f++)
    {
      json_builder_set_member_name (b, field_names[f]);
      json_builder_begin_array (b);
      for (guint i = 0; i < snaps->len; i++)
        {
          const RvStats *st = kind_stats (g_ptr_array_index (snaps, i), kind, l);
          if (f == F_N)
            json_builder_add_int_value (b, (gint64) st->n);
          else
            add_number (b, stats_field (st, f));
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

JsonNode *
rv_history_to_json (const RvHistory *h)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const GPtrArray *snaps = h->snapshots;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, RV_HISTORY_FORMAT_VERSION);
  json_builder_set_member_name (b, "every");
  json_builder_add_int_value (b, h->every);
  json_builder_set_member_name (b, "steps_per_epoch");
  json_builder_add_int_value (b, h->steps_per_epoch);
  json_builder_set_member_name (b, "bins");
  json_builder_add_int_value (b, h->bins);
  json_builder_set_member_name (b, "sizes");
  json_builder_begin_array (b);
  for (uint32_t l = 0; l <= h->net.n_linear; l++)
    json_builder_add_int_value (b, h->net.sizes[l]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; i < snaps->len; i++)
    json_builder_add_int_value (b, (gint64) ((const RvSnapshot *) g_ptr_array_index (snaps, i))->step);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (uint32_t l = 0; l < h->net.n_linear; l++)
    {
      g_autofree char *name = rv_probe_weight_name (l);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      for (int kind = 0; kind < 3; kind++)
        add_kind (b, h, kind, l);
      json_builder_set_member_name (b, "grad_norm");
      json_builder_begin_array (b);
      for (guint i = 0; i < snaps->len; i++)
        add_number (b, ((const RvSnapshot *) g_ptr_array_index (snaps, i))->grad_norm[l]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "update_ratio");
      json_builder_begin_array (b);
      for (guint i = 0; i < snaps->len; i++)
        add_number (b, ((const RvSnapshot *) g_ptr_array_index (snaps, i))->update_ratio[l]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- reading ---- */

static gboolean
bad (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "history: %s", what);
  return FALSE;
}

static gboolean
get_whole (JsonNode *n, gint64 min, gint64 max, gint64 *out)
{
  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int (n);
  if (v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
get_member_whole (JsonObject *o, const char *member, gint64 min, gint64 max, gint64 *out, GError **error)
{
  if (!get_whole (json_object_get_member (o, member), min, max, out))
    return bad (error, "\"%s\" is missing or not a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                member, min, max);
  return TRUE;
}

/* A number, or null for one that was not finite. */
static gboolean
get_number (JsonNode *n, double *out)
{
  if (n == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = NAN;
      return TRUE;
    }
  GType t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (n);
  return TRUE;
}

/* The member `name` of o as an array of exactly `len` entries. */
static JsonArray *
get_array_of (JsonObject *o, const char *where, const char *name, guint len, GError **error)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) != len)
    {
      bad (error, "%s\"%s\" is missing or does not have one entry per step (%u)", where, name, len);
      return NULL;
    }
  return json_node_get_array (n);
}

static gboolean
read_kind (JsonObject *layer, const char *lname, int kind, uint32_t l, RvHistory *h, GError **error)
{
  const guint n_steps = h->snapshots->len;
  g_autofree char *where = g_strdup_printf ("%s.%s: ", lname, kind_names[kind]);
  JsonObject *o = rv_json_get_object (layer, kind_names[kind]);
  if (o == NULL)
    return bad (error, "%s\"%s\" is missing", lname, kind_names[kind]);

  JsonArray *counts = get_array_of (o, where, "counts", n_steps, error);
  if (counts == NULL)
    return FALSE;
  JsonArray *fields[N_FIELDS];
  for (int f = 0; f < N_FIELDS; f++)
    if ((fields[f] = get_array_of (o, where, field_names[f], n_steps, error)) == NULL)
      return FALSE;

  for (guint i = 0; i < n_steps; i++)
    {
      RvStats *st = kind_stats_mut (g_ptr_array_index (h->snapshots, i), kind, l);
      gint64 n;
      if (!get_whole (json_array_get_element (fields[F_N], i), 0, G_MAXINT64, &n))
        return bad (error, "%s\"n\"[%u] is not a whole number", where, i);
      st->n = (uint64_t) n;
      double v[N_FIELDS];
      for (int f = F_MIN; f < N_FIELDS; f++)
        if (!get_number (json_array_get_element (fields[f], i), &v[f]))
          return bad (error, "%s\"%s\"[%u] is not a number", where, field_names[f], i);
      st->min = v[F_MIN];
      st->max = v[F_MAX];
      st->lo = v[F_LO];
      st->hi = v[F_HI];
      st->mean = v[F_MEAN];
      st->variance = v[F_VARIANCE];
      /* the range must be one a chart can divide into bins */
      if (!isfinite (st->lo) || !isfinite (st->hi) || !(st->lo < st->hi))
        return bad (error, "%sstep %u: the range [lo, hi] is empty or not finite", where, i);

      JsonNode *row = json_array_get_element (counts, i);
      if (!JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (json_node_get_array (row)) != h->bins)
        return bad (error, "%s\"counts\"[%u] does not have %u bins", where, i, h->bins);
      JsonArray *bins = json_node_get_array (row);
      st->n_bins = h->bins;
      st->counts = g_new (uint64_t, h->bins);
      uint64_t sum = 0;
      for (uint32_t k = 0; k < h->bins; k++)
        {
          gint64 c;
          if (!get_whole (json_array_get_element (bins, k), 0, (gint64) st->n, &c))
            return bad (error, "%s\"counts\"[%u][%u] is not a whole number from 0 to n", where, i, k);
          st->counts[k] = (uint64_t) c;
          sum += (uint64_t) c;
        }
      if (sum > st->n)
        return bad (error, "%s\"counts\"[%u] add up to %" G_GUINT64_FORMAT ", more than n = %" G_GUINT64_FORMAT,
                    where, i, sum, st->n);
    }
  return TRUE;
}

static gboolean
read_layer (JsonArray *layers, uint32_t l, RvHistory *h, GError **error)
{
  JsonNode *node = json_array_get_element (layers, l);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, "\"layers\"[%u] is not an object", l);
  JsonObject *layer = json_node_get_object (node);
  g_autofree char *want = rv_probe_weight_name (l);
  const char *name = rv_json_get_string (layer, "name");
  if (g_strcmp0 (name, want) != 0)
    return bad (error, "\"layers\"[%u] should be named \"%s\"", l, want);
  for (int kind = 0; kind < 3; kind++)
    if (!read_kind (layer, want, kind, l, h, error))
      return FALSE;

  const guint n_steps = h->snapshots->len;
  g_autofree char *where = g_strdup_printf ("%s: ", want);
  JsonArray *norm = get_array_of (layer, where, "grad_norm", n_steps, error);
  JsonArray *ratio = norm ? get_array_of (layer, where, "update_ratio", n_steps, error) : NULL;
  if (ratio == NULL)
    return FALSE;
  for (guint i = 0; i < n_steps; i++)
    {
      RvSnapshot *s = g_ptr_array_index (h->snapshots, i);
      if (!get_number (json_array_get_element (norm, i), &s->grad_norm[l])
          || !get_number (json_array_get_element (ratio, i), &s->update_ratio[l]))
        return bad (error, "%s\"grad_norm\" or \"update_ratio\"[%u] is not a number", want, i);
    }
  return TRUE;
}

RvHistory *
rv_history_from_json (JsonNode *node, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (error, "not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);
  gint64 version = 0, every = 0, per_epoch = 0, bins = 0;
  if (!get_member_whole (o, "format_version", 1, RV_HISTORY_FORMAT_VERSION, &version, error)
      || !get_member_whole (o, "every", 0, G_MAXUINT32, &every, error)
      || !get_member_whole (o, "steps_per_epoch", 0, G_MAXUINT32, &per_epoch, error)
      || !get_member_whole (o, "bins", 1, 10000, &bins, error))
    return NULL;

  JsonArray *sizes = rv_json_get_array (o, "sizes");
  guint n_sizes = sizes ? json_array_get_length (sizes) : 0;
  if (n_sizes < 2 || n_sizes > RV_MAX_LINEAR + 1)
    {
      bad (error, "\"sizes\" is missing or does not list 2 to %d layer widths", RV_MAX_LINEAR + 1);
      return NULL;
    }
  RvNetConfig net = { .n_linear = n_sizes - 1, .act = RV_ACT_RELU };
  for (guint i = 0; i < n_sizes; i++)
    {
      gint64 w;
      if (!get_whole (json_array_get_element (sizes, i), 1, 65536, &w))
        {
          bad (error, "\"sizes\"[%u] is not a width from 1 to 65536", i);
          return NULL;
        }
      net.sizes[i] = (uint32_t) w;
    }

  JsonArray *steps = rv_json_get_array (o, "steps");
  if (steps == NULL)
    {
      bad (error, "\"steps\" is missing");
      return NULL;
    }
  g_autoptr (RvHistory) h = rv_history_new (&net, (uint32_t) every, (uint32_t) per_epoch, (uint32_t) bins);
  gint64 previous = 0;
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      gint64 step;
      if (!get_whole (json_array_get_element (steps, i), previous + 1, G_MAXINT64, &step))
        {
          bad (error, "\"steps\"[%u] is not a whole number above the step before it", i);
          return NULL;
        }
      previous = step;
      RvSnapshot *s = g_new0 (RvSnapshot, 1);
      s->step = (uint64_t) step;
      s->n_linear = net.n_linear;
      g_ptr_array_add (h->snapshots, s);
    }
  if (every == 0 && h->snapshots->len > 0)
    {
      bad (error, "\"every\" is 0 but there are steps");
      return NULL;
    }

  JsonArray *layers = rv_json_get_array (o, "layers");
  if (layers == NULL || json_array_get_length (layers) != net.n_linear)
    {
      bad (error, "\"layers\" is missing or does not have one entry per Linear layer (%u)", net.n_linear);
      return NULL;
    }
  for (uint32_t l = 0; l < net.n_linear; l++)
    if (!read_layer (layers, l, h, error))
      return NULL;
  return g_steal_pointer (&h);
}
