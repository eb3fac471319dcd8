/* rv-safetensors.c: reading and writing safetensors files of F32 tensors
 * (and reading F16 and BF16 ones as F32). */
#include "rv-safetensors.h"

#include "rv-json-strict.h"

/* The header nests a few levels; anything deeper is not a header. */
#define RV_SAFETENSORS_JSON_DEPTH 33

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rv-atomic-file.h"
#include "rv-error.h"
#include "rv-file.h"

struct _RvSafetensors {
  char *contents;         /* the whole file */
  float *converted;       /* tensors that cannot be read in place: half ones, misaligned ones */
  RvSafetensor *tensors;  /* in the order of their data; names owned */
  size_t n_tensors;
  GHashTable *by_name;    /* name -> RvSafetensor * */
  GHashTable *metadata;   /* owned strings */
};

/* Sets error to "NAME: message" with the given code. */
static gboolean fail (GError **error, int code, const char *name, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, int code, const char *name, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, RV_ERROR, code, "%s: %s", name, message);
  return FALSE;
}

/* "24 bytes", or "2.1 MB (2101544 bytes)" where rounding would hide the count. */
static char *
format_bytes (uint64_t n)
{
  g_autofree char *size = g_format_size (n);

  if (n < 1000)
    return g_steal_pointer (&size);
  return g_strdup_printf ("%s (%" G_GUINT64_FORMAT " bytes)", size, n);
}

char *
rv_safetensor_shape_string (const RvSafetensor *t)
{
  GString *s = g_string_new ("[");

  for (uint32_t d = 0; d < t->n_dims; d++)
    g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, d > 0 ? ", " : "", t->shape[d]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

const char *
rv_safetensor_dtype_name (RvSafetensorDtype dtype)
{
  switch (dtype)
    {
    case RV_SAFETENSOR_F16: return "F16";
    case RV_SAFETENSOR_BF16: return "BF16";
    case RV_SAFETENSOR_F32:
    default: return "F32";
    }
}

static uint64_t
dtype_size (RvSafetensorDtype dtype)
{
  return dtype == RV_SAFETENSOR_F32 ? 4 : 2;
}

/* Bytes of the tensor's data in the file, FALSE on overflow. */
static gboolean
tensor_bytes (const RvSafetensor *t, uint64_t *bytes)
{
  uint64_t n = dtype_size (t->dtype);

  for (uint32_t d = 0; d < t->n_dims; d++)
    if (!g_uint64_checked_mul (&n, n, t->shape[d]))
      return FALSE;
  *bytes = n;
  return TRUE;
}

/* ---- Duplicate keys ----
 *
 * json-glib keeps the last of two equal keys; the format forbids them.  Every
 * member json-glib parses is noted with the object it belongs to. */

typedef struct {
  GHashTable *seen;   /* "OBJECT-ADDRESS NAME" */
  char *duplicate;    /* the first key seen twice in one object */
} KeyCheck;

static void
on_object_member (JsonParser *parser, JsonObject *object, const char *member, gpointer user_data)
{
  KeyCheck *check = user_data;
  char *key = g_strdup_printf ("%p %s", (void *) object, member);

  if (!g_hash_table_add (check->seen, key) && check->duplicate == NULL)
    check->duplicate = g_strdup (member);
}

/* ---- Reading ---- */

typedef struct {
  RvSafetensor t;
  uint64_t begin, end;
} Entry;

static int
compare_entries (const void *a, const void *b)
{
  const Entry *x = a, *y = b;

  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

static gboolean
get_uint (JsonNode *node, uint64_t *out)
{
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *out = (uint64_t) v;
  return TRUE;
}

static const char *
get_string_member (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
get_array_member (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
parse_metadata (RvSafetensors *st, JsonNode *node, const char *name, GError **error)
{
  JsonObject *object;
  g_autoptr (GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, RV_ERROR_CHECKPOINT, name, "__metadata__ is not an object");

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *value = get_string_member (object, m->data);

      if (value == NULL)
        return fail (error, RV_ERROR_CHECKPOINT, name,
                     "__metadata__ must map strings to strings, but %s is not a string",
                     (const char *) m->data);
      g_hash_table_insert (st->metadata, g_strdup (m->data), g_strdup (value));
    }
  return TRUE;
}

/* One "NAME": {"dtype", "shape", "data_offsets"} entry; other members are
 * ignored, as the reference reader does. */
static gboolean
parse_entry (const char *tensor, JsonNode *node, Entry *e, RvSafetensorsFlags flags, const char *name,
             GError **error)
{
  JsonObject *object;
  JsonArray *shape, *offsets;
  const char *dtype;
  uint64_t bytes;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, RV_ERROR_CHECKPOINT, name, "the entry of tensor %s is not an object", tensor);
  object = json_node_get_object (node);

  dtype = get_string_member (object, "dtype");
  if (dtype == NULL)
    return fail (error, RV_ERROR_CHECKPOINT, name, "tensor %s has no dtype", tensor);
  if (strcmp (dtype, "F32") == 0)
    e->t.dtype = RV_SAFETENSOR_F32;
  else if ((flags & RV_SAFETENSORS_ACCEPT_HALF) && strcmp (dtype, "F16") == 0)
    e->t.dtype = RV_SAFETENSOR_F16;
  else if ((flags & RV_SAFETENSORS_ACCEPT_HALF) && strcmp (dtype, "BF16") == 0)
    e->t.dtype = RV_SAFETENSOR_BF16;
  else
    return fail (error, RV_ERROR_CHECKPOINT, name, "tensor %s has dtype %s; only %s supported", tensor, dtype,
                 (flags & RV_SAFETENSORS_ACCEPT_HALF) ? "F32, F16 and BF16 are" : "F32 is");

  shape = get_array_member (object, "shape");
  if (shape == NULL)
    return fail (error, RV_ERROR_CHECKPOINT, name, "tensor %s has no shape", tensor);
  if (json_array_get_length (shape) > RV_SAFETENSORS_MAX_DIMS)
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "tensor %s has %u dimensions; at most %d are supported",
                 tensor, json_array_get_length (shape), RV_SAFETENSORS_MAX_DIMS);
  e->t.n_dims = json_array_get_length (shape);
  for (uint32_t d = 0; d < e->t.n_dims; d++)
    if (!get_uint (json_array_get_element (shape, d), &e->t.shape[d]))
      return fail (error, RV_ERROR_CHECKPOINT, name,
                   "the shape of tensor %s is not a list of non-negative integers", tensor);

  offsets = get_array_member (object, "data_offsets");
  if (offsets == NULL || json_array_get_length (offsets) != 2
      || !get_uint (json_array_get_element (offsets, 0), &e->begin)
      || !get_uint (json_array_get_element (offsets, 1), &e->end))
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "the data_offsets of tensor %s are not two non-negative integers", tensor);
  if (e->end < e->begin)
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "the data_offsets of tensor %s, [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "], end before they begin",
                 tensor, e->begin, e->end);

  if (!tensor_bytes (&e->t, &bytes))
    return fail (error, RV_ERROR_CHECKPOINT, name, "tensor %s has an impossibly large shape", tensor);
  if (bytes != e->end - e->begin)
    {
      g_autofree char *dims = rv_safetensor_shape_string (&e->t);
      g_autofree char *want = format_bytes (bytes);
      g_autofree char *have = format_bytes (e->end - e->begin);

      return fail (error, RV_ERROR_CHECKPOINT, name,
                   "tensor %s has shape %s (%s of %s) but its data_offsets "
                   "[%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "] span %s",
                   tensor, dims, want, rv_safetensor_dtype_name (e->t.dtype), e->begin, e->end, have);
    }
  return TRUE;
}

/* The spec: the data is entirely indexed, without holes or overlaps. */
static gboolean
check_coverage (const Entry *entries, size_t n, uint64_t data_len, const char *name,
                GError **error)
{
  uint64_t max_end = 0;
  const Entry *prev = NULL;

  for (size_t i = 0; i < n; i++)
    max_end = MAX (max_end, entries[i].end);

  if (max_end > data_len)
    {
      g_autofree char *want = format_bytes (max_end);
      g_autofree char *have = format_bytes (data_len);

      return fail (error, RV_ERROR_CHECKPOINT, name,
                   "truncated: the header says %s of tensor data but only %s follow", want, have);
    }
  if (max_end < data_len)
    {
      g_autofree char *extra = format_bytes (data_len - max_end);

      return fail (error, RV_ERROR_CHECKPOINT, name, "%s of unexpected data after the last tensor", extra);
    }

  for (size_t i = 0; i < n; i++)
    {
      const Entry *e = &entries[i];
      uint64_t prev_end = prev != NULL ? prev->end : 0;

      if (e->begin < prev_end)
        return fail (error, RV_ERROR_CHECKPOINT, name,
                     "the data of tensors %s [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ") "
                     "and %s [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ") overlap",
                     prev->t.name, prev->begin, prev->end, e->t.name, e->begin, e->end);
      if (e->begin > prev_end)
        return fail (error, RV_ERROR_CHECKPOINT, name,
                     "bytes %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " of the data belong to no tensor",
                     prev_end, e->begin);
      prev = e;
    }
  return TRUE;
}

/* IEEE binary16 to binary32, exactly. */
static float
half_to_float (guint16 h)
{
  const guint32 sign = (guint32) (h >> 15) << 31, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  guint32 bits;
  float f;

  if (exponent == 0)
    {
      /* zero or subnormal: mantissa * 2^-24, which a float holds exactly */
      f = ldexpf ((float) mantissa, -24);
      return sign ? -f : f;
    }
  if (exponent == 0x1f)
    bits = sign | 0x7f800000u | (mantissa << 13);  /* infinity or NaN */
  else
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  memcpy (&f, &bits, sizeof f);
  return f;
}

/* count elements of a tensor's little-endian file data as host floats. */
static void
convert_tensor (const char *src, RvSafetensorDtype dtype, uint64_t count, float *dst)
{
  for (uint64_t i = 0; i < count; i++)
    {
      guint32 bits;
      guint16 h;

      switch (dtype)
        {
        case RV_SAFETENSOR_F16:
          memcpy (&h, src + 2 * i, 2);
          dst[i] = half_to_float (GUINT16_FROM_LE (h));
          break;
        case RV_SAFETENSOR_BF16:
          memcpy (&h, src + 2 * i, 2);
          bits = (guint32) GUINT16_FROM_LE (h) << 16;
          memcpy (&dst[i], &bits, 4);
          break;
        case RV_SAFETENSOR_F32:
        default:
          memcpy (&bits, src + 4 * i, 4);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&dst[i], &bits, 4);
          break;
        }
    }
}

/* F32 data that is 4-byte aligned is used where it lies. */
static gboolean
readable_in_place (const Entry *e, const char *data)
{
  return e->t.dtype == RV_SAFETENSOR_F32 && (uintptr_t) (data + e->begin) % G_ALIGNOF (float) == 0;
}

/* Checks the header and fills st; contents belong to st already. */
static gboolean
parse_contents (RvSafetensors *st, size_t len, RvSafetensorsFlags flags, const char *name, GError **error)
{
  const char *header;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) json_error = NULL;
  g_autoptr (GList) members = NULL;
  g_autofree Entry *entries = NULL;
  g_autofree char *duplicate = NULL;
  KeyCheck keys = { NULL, NULL };
  JsonObject *root;
  uint64_t header_len, data_len;
  size_t n = 0, error_pos;
  const char *problem;
  char *data;
  gboolean ok;

  if (len < 8)
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "too short to be a safetensors file (%zu bytes, and the header length alone takes 8)", len);
  memcpy (&header_len, st->contents, 8);
  header = st->contents + 8;
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > len - 8)
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "the header length, %" G_GUINT64_FORMAT " bytes, runs past the end of the file (%zu bytes follow it)",
                 header_len, len - 8);
  if (header_len > RV_SAFETENSORS_MAX_HEADER)
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "the header length, %" G_GUINT64_FORMAT " bytes, is over the format's limit of %u",
                 header_len, RV_SAFETENSORS_MAX_HEADER);
  if (header_len < 2)
    return fail (error, RV_ERROR_CHECKPOINT, name, "the header is too short to hold a JSON object");
  if (!g_utf8_validate_len (header, header_len, NULL))
    return fail (error, RV_ERROR_CHECKPOINT, name, "the header is not valid UTF-8");
  if (header[0] != '{')
    return fail (error, RV_ERROR_CHECKPOINT, name, "the header does not start with “{”");
  if (!rv_json_check_strict (header, header_len, RV_SAFETENSORS_JSON_DEPTH, &error_pos, &problem))
    return fail (error, RV_ERROR_CHECKPOINT, name,
                 "the header is not valid JSON: %s at byte %zu of it", problem, error_pos);

  parser = json_parser_new ();
  keys.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &keys);
  ok = json_parser_load_from_data (parser, header, header_len, &json_error);
  g_hash_table_unref (keys.seen);
  duplicate = keys.duplicate;
  if (!ok)
    return fail (error, RV_ERROR_CHECKPOINT, name, "the header is not valid JSON: %s", json_error->message);
  if (duplicate != NULL)
    return fail (error, RV_ERROR_CHECKPOINT, name, "the header has the key %s twice", duplicate);

  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  entries = g_new0 (Entry, MAX (json_object_get_size (root), 1));
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *tensor = m->data;
      JsonNode *node = json_object_get_member (root, tensor);

      if (strcmp (tensor, "__metadata__") == 0)
        {
          if (!parse_metadata (st, node, name, error))
            return FALSE;
          continue;
        }
      if (!parse_entry (tensor, node, &entries[n], flags, name, error))
        return FALSE;
      entries[n].t.name = tensor;
      n++;
    }

  data_len = len - 8 - header_len;
  qsort (entries, n, sizeof *entries, compare_entries);
  if (!check_coverage (entries, n, data_len, name, error))
    return FALSE;

  /* Floats need 4-byte alignment; a header padded as the writers do gives
   * it to F32 tensors, which are then read in place.  Half tensors, and F32
   * ones after an unpadded header or an odd-length half tensor, are
   * converted into one buffer. */
  data = st->contents + 8 + header_len;
  uint64_t n_converted = 0;
  for (size_t i = 0; i < n; i++)
    if (!readable_in_place (&entries[i], data))
      n_converted += rv_safetensor_n_elements (&entries[i].t);
  st->converted = g_new (float, MAX (n_converted, 1));

  float *next = st->converted;
  st->tensors = g_new0 (RvSafetensor, MAX (n, 1));
  st->n_tensors = n;
  for (size_t i = 0; i < n; i++)
    {
      const uint64_t count = rv_safetensor_n_elements (&entries[i].t);
      char *src = data + entries[i].begin;

      st->tensors[i] = entries[i].t;
      st->tensors[i].name = g_strdup (entries[i].t.name);
      if (readable_in_place (&entries[i], data))
        {
#if G_BYTE_ORDER == G_BIG_ENDIAN
          convert_tensor (src, RV_SAFETENSOR_F32, count, (float *) src);
#endif
          st->tensors[i].data = (const float *) src;
        }
      else
        {
          convert_tensor (src, entries[i].t.dtype, count, next);
          st->tensors[i].data = next;
          next += count;
        }
      g_hash_table_insert (st->by_name, (char *) st->tensors[i].name, &st->tensors[i]);
    }
  return TRUE;
}

RvSafetensors *
rv_safetensors_parse_take_full (char *contents, size_t len, const char *name, RvSafetensorsFlags flags,
                                GError **error)
{
  g_autoptr (RvSafetensors) st = g_new0 (RvSafetensors, 1);

  st->contents = contents;
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!parse_contents (st, len, flags, name, error))
    return NULL;
  return g_steal_pointer (&st);
}

RvSafetensors *
rv_safetensors_parse_take (char *contents, size_t len, const char *name, GError **error)
{
  return rv_safetensors_parse_take_full (contents, len, name, RV_SAFETENSORS_F32_ONLY, error);
}

RvSafetensors *
rv_safetensors_parse (const void *contents, size_t len, const char *name, GError **error)
{
  g_return_val_if_fail (contents != NULL || len == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return rv_safetensors_parse_take (g_memdup2 (contents, len), len, name, error);
}

RvSafetensors *
rv_safetensors_read (const char *path, GError **error)
{
  g_autoptr (GError) read_error = NULL;
  g_autofree char *name = NULL;
  char *contents;
  size_t len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* Only a regular file, and only up to the cap: a FIFO or a /dev/zero link
   * in place of the checkpoint must neither hang nor exhaust memory. */
  contents = rv_file_read_all (path, RV_SAFETENSORS_MAX_FILE, &len, &read_error);
  if (contents == NULL)
    {
      /* rv-file's message already names the file and what is wrong. */
      g_set_error_literal (error, RV_ERROR, RV_ERROR_IO, read_error->message);
      return NULL;
    }

  name = g_filename_display_name (path);
  return rv_safetensors_parse_take (contents, len, name, error);
}

void
rv_safetensors_free (RvSafetensors *st)
{
  if (st == NULL)
    return;

  for (size_t i = 0; i < st->n_tensors; i++)
    g_free ((char *) st->tensors[i].name);
  g_free (st->tensors);
  g_clear_pointer (&st->by_name, g_hash_table_unref);
  g_clear_pointer (&st->metadata, g_hash_table_unref);
  g_free (st->converted);
  g_free (st->contents);
  g_free (st);
}

size_t
rv_safetensors_get_n_tensors (const RvSafetensors *st)
{
  return st->n_tensors;
}

const RvSafetensor *
rv_safetensors_get_tensor (const RvSafetensors *st, size_t i)
{
  g_return_val_if_fail (i < st->n_tensors, NULL);

  return &st->tensors[i];
}

const RvSafetensor *
rv_safetensors_lookup (const RvSafetensors *st, const char *name)
{
  return g_hash_table_lookup (st->by_name, name);
}

GHashTable *
rv_safetensors_get_metadata (const RvSafetensors *st)
{
  return st->metadata;
}

/* ---- Writing ---- */

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted, so that equal inputs give byte-identical files. */
static gboolean
build_metadata (JsonBuilder *builder, GHashTable *metadata, const char *name, GError **error)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  keys = g_hash_table_get_keys_as_array (metadata, &n_keys);
  qsort (keys, n_keys, sizeof *keys, compare_strings);

  json_builder_set_member_name (builder, "__metadata__");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *value = g_hash_table_lookup (metadata, keys[i]);

      if (!g_utf8_validate (keys[i], -1, NULL) || value == NULL || !g_utf8_validate (value, -1, NULL))
        return fail (error, RV_ERROR_ARGUMENT, name, "metadata must be UTF-8 text");
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  return TRUE;
}

static void
build_entry (JsonBuilder *builder, const RvSafetensor *t, uint64_t begin, uint64_t end)
{
  json_builder_set_member_name (builder, t->name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dtype");
  json_builder_add_string_value (builder, "F32");
  json_builder_set_member_name (builder, "shape");
  json_builder_begin_array (builder);
  for (uint32_t d = 0; d < t->n_dims; d++)
    json_builder_add_int_value (builder, (gint64) t->shape[d]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "data_offsets");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, (gint64) begin);
  json_builder_add_int_value (builder, (gint64) end);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static gboolean
append_floats (RvAtomicFile *file, const float *data, uint64_t bytes, GError **error)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return rv_atomic_file_append (file, data, (size_t) bytes, error);
#else
  const char *p = (const char *) data;
  guint32 chunk[4096];

  while (bytes > 0)
    {
      size_t n = MIN (bytes, sizeof chunk);

      memcpy (chunk, p, n);
      for (size_t i = 0; i < n / 4; i++)
        chunk[i] = GUINT32_TO_LE (chunk[i]);
      if (!rv_atomic_file_append (file, chunk, n, error))
        return FALSE;
      p += n;
      bytes -= n;
    }
  return TRUE;
#endif
}

gboolean
rv_safetensors_write (const char *path, const RvSafetensor *tensors, size_t n_tensors,
                      GHashTable *metadata, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (RvAtomicFile) file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GString) header = NULL;
  g_autofree uint64_t *bytes = g_new0 (uint64_t, MAX (n_tensors, 1));
  uint64_t offset = 0, header_len;
  gsize json_len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (tensors != NULL || n_tensors == 0, FALSE);

  name = g_filename_display_name (path);
  json_builder_begin_object (builder);
  if (metadata != NULL && g_hash_table_size (metadata) > 0
      && !build_metadata (builder, metadata, name, error))
    return FALSE;

  for (size_t i = 0; i < n_tensors; i++)
    {
      const RvSafetensor *t = &tensors[i];

      g_return_val_if_fail (t->name != NULL && t->n_dims <= RV_SAFETENSORS_MAX_DIMS, FALSE);

      if (!g_utf8_validate (t->name, -1, NULL) || strcmp (t->name, "__metadata__") == 0)
        return fail (error, RV_ERROR_ARGUMENT, name, "a tensor cannot be named %s", t->name);
      if (!g_hash_table_add (names, (char *) t->name))
        return fail (error, RV_ERROR_ARGUMENT, name, "two tensors are named %s", t->name);
      RvSafetensor as_written = *t;

      /* The data is floats whatever the tensor was read as. */
      as_written.dtype = RV_SAFETENSOR_F32;
      if (!tensor_bytes (&as_written, &bytes[i]) || bytes[i] > G_MAXSIZE || bytes[i] > (uint64_t) G_MAXINT64 - offset)
        return fail (error, RV_ERROR_ARGUMENT, name, "tensor %s is too large", t->name);
      g_return_val_if_fail (t->data != NULL || bytes[i] == 0, FALSE);

      build_entry (builder, t, offset, offset + bytes[i]);
      offset += bytes[i];
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_len);

  /* Spaces after the JSON put the data on an 8-byte boundary, as the
   * reference writer does, so readers can map the floats in place. */
  header = g_string_new_len (json, json_len);
  while ((8 + header->len) % 8 != 0)
    g_string_append_c (header, ' ');
  header_len = GUINT64_TO_LE ((uint64_t) header->len);

  file = rv_atomic_file_open (path, error);
  if (file == NULL)
    return FALSE;
  if (!rv_atomic_file_append (file, &header_len, 8, error)
      || !rv_atomic_file_append (file, header->str, header->len, error))
    return FALSE;
  for (size_t i = 0; i < n_tensors; i++)
    if (!append_floats (file, tensors[i].data, bytes[i], error))
      return FALSE;

  return rv_atomic_file_commit (g_steal_pointer (&file), error);
}
