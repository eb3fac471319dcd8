/* test-checkpoint.c: checkpoints round-trip bit-exactly, refuse every kind of
 * damaged or mismatched file without touching the network, and a save that
 * fails halfway leaves the previous file as it was. */
#include <errno.h>
#include <float.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-atomic-file.h"
#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-rng.h"
#include "rv-safetensors.h"

#define FAIL_ENV "RAVINE_TEST_FAIL_WRITE_AFTER"

static const uint32_t small_hidden[] = { 64, 32 };  /* 784-64-32-10 */

typedef struct {
  char *dir;
  char *path;  /* dir/model.safetensors */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("ravine-checkpoint-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "model.safetensors", NULL);
}

/* Removes what the tests leave: files and empty folders, one level deep. */
static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  GDir *dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  g_dir_close (dir);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The folder's entries, sorted and joined by spaces. */
static char *
list_dir (const char *path)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("expected “%s” in the message: %s", part, text);
}

static RvNet *
make_net (const uint32_t *hidden, uint32_t n_hidden, uint64_t seed)
{
  RvNetConfig cfg;
  RvNet *net;

  rv_net_config_init (&cfg, RV_ACT_RELU, hidden, n_hidden);
  net = rv_net_new (&cfg, rv_backend_cpu ());
  g_assert_nonnull (net);
  rv_rng_fill_normal (net->params, net->n_params, seed, 1, 0.0f, 1.0f);
  return net;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Loading path must fail with a message naming the file and containing
 * expected, and leave the network's parameters as they were. */
static void
assert_load_fails (const char *path, const char *expected)
{
  g_autoptr (RvNet) net = make_net (small_hidden, 2, 7);
  g_autofree float *before = g_memdup2 (net->params, net->n_params * sizeof (float));
  g_autoptr (GError) error = NULL;

  g_assert_false (rv_checkpoint_load (net, path, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_test_message ("%s", error->message);
  assert_contains (error->message, path);
  assert_contains (error->message, expected);
  g_assert_cmpmem (before, net->n_params * sizeof (float), net->params, net->n_params * sizeof (float));
}

/* A file of an 8-byte header length, the header and data_len bytes of data. */
static void
write_raw_with_length (const char *path, guint64 header_len, const char *header, gsize data_len)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  guint64 le = GUINT64_TO_LE (header_len);

  g_byte_array_append (bytes, (const guint8 *) &le, 8);
  g_byte_array_append (bytes, (const guint8 *) header, strlen (header));
  for (gsize i = 0; i < data_len; i++)
    g_byte_array_append (bytes, (const guint8 *) "\x3f", 1);
  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
}

static void
write_raw (const char *path, const char *header, gsize data_len)
{
  write_raw_with_length (path, strlen (header), header, data_len);
}

/* The network's tensors under their state_dict names; free with g_free on names. */
static size_t
tensors_of (const RvNet *net, RvSafetensor *out)
{
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      out[2 * l] = (RvSafetensor) {
        .name = g_strdup_printf ("layers.%u.weight", 2 * l), .n_dims = 2,
        .shape = { net->cfg.sizes[l + 1], net->cfg.sizes[l] }, .data = net->params + net->w_off[l],
      };
      out[2 * l + 1] = (RvSafetensor) {
        .name = g_strdup_printf ("layers.%u.bias", 2 * l), .n_dims = 1,
        .shape = { net->cfg.sizes[l + 1] }, .data = net->params + net->b_off[l],
      };
    }
  return 2 * (size_t) net->cfg.n_linear;
}

/* ---- Round trip ---- */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) a = make_net (small_hidden, 2, 1);
  g_autoptr (RvNet) b = make_net (small_hidden, 2, 2);
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) read_meta = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *second = g_build_filename (f->dir, "again.safetensors", NULL);
  g_autofree char *listing = NULL;
  g_autoptr (GBytes) one = NULL;
  g_autoptr (GBytes) two = NULL;
  /* The odd finite values; NaN and infinities are refused (test_non_finite). */
  guint32 bits[] = { 0x80000000u /* -0 */, 0x00000001u /* smallest subnormal */,
                     0x80800000u /* -FLT_MIN */, 0x7f7fffffu /* FLT_MAX */ };

  memcpy (a->params, bits, sizeof bits);
  a->params[a->n_params - 1] = -FLT_MAX;
  g_hash_table_insert (meta, "epoch", "3");

  g_assert_true (rv_checkpoint_save (a, f->path, meta, &error));
  g_assert_no_error (error);
  g_assert_true (rv_checkpoint_load (b, f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (a->params, a->n_params * sizeof (float), b->params, b->n_params * sizeof (float));

  read_meta = rv_checkpoint_read_metadata (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (read_meta, "epoch"), ==, "3");
  g_assert_cmpstr (g_hash_table_lookup (read_meta, "format"), ==, "pt");
  g_assert_cmpstr (g_hash_table_lookup (read_meta, "ravine.hidden"), ==, "64,32");
  g_assert_cmpstr (g_hash_table_lookup (read_meta, "ravine.activation"), ==, rv_activation_name (RV_ACT_RELU));

  /* The same network and metadata give the same bytes. */
  g_assert_true (rv_checkpoint_save (a, second, meta, &error));
  g_assert_no_error (error);
  one = read_bytes (f->path);
  two = read_bytes (second);
  g_assert_true (g_bytes_equal (one, two));

  listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "again.safetensors model.safetensors");
}

/* ---- The file as another program sees it ---- */

typedef struct {
  guint64 begin, end;
} Span;

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->begin < y->begin ? -1 : x->begin > y->begin;
}

/* Reads the file with nothing of rv-safetensors: the length, json-glib on the
 * header, and the offsets against the network's own memory. */
static void
test_independent_parse (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) net = make_net (small_hidden, 2, 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  const guint8 *raw;
  gsize len;
  guint64 n, pos = 0;
  JsonObject *root, *meta;

  g_assert_true (rv_checkpoint_save (net, f->path, NULL, &error));
  g_assert_no_error (error);
  bytes = read_bytes (f->path);
  raw = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, >=, 8);
  n = (guint64) raw[0] | (guint64) raw[1] << 8 | (guint64) raw[2] << 16 | (guint64) raw[3] << 24
      | (guint64) raw[4] << 32 | (guint64) raw[5] << 40 | (guint64) raw[6] << 48 | (guint64) raw[7] << 56;
  g_assert_cmpuint (n, <=, len - 8);
  g_assert_cmpuint ((8 + n) % 8, ==, 0);  /* data 8-byte aligned, as torch writes it */
  g_assert_cmpint (raw[8], ==, '{');

  json_parser_load_from_data (parser, (const char *) raw + 8, (gssize) n, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, 2 * net->cfg.n_linear + 1);
  meta = json_object_get_object_member (root, "__metadata__");
  g_assert_cmpstr (json_object_get_string_member (meta, "format"), ==, "pt");

  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    for (int is_bias = 0; is_bias < 2; is_bias++)
      {
        g_autofree char *name = g_strdup_printf ("layers.%u.%s", 2 * l, is_bias ? "bias" : "weight");
        JsonObject *entry = json_object_get_object_member (root, name);
        JsonArray *shape, *offsets;
        const float *expect = net->params + (is_bias ? net->b_off[l] : net->w_off[l]);
        Span s;

        g_assert_nonnull (entry);
        g_assert_cmpstr (json_object_get_string_member (entry, "dtype"), ==, "F32");
        shape = json_object_get_array_member (entry, "shape");
        offsets = json_object_get_array_member (entry, "data_offsets");
        g_assert_cmpuint (json_array_get_length (shape), ==, is_bias ? 1 : 2);
        g_assert_cmpint (json_array_get_int_element (shape, 0), ==, net->cfg.sizes[l + 1]);
        if (!is_bias)
          g_assert_cmpint (json_array_get_int_element (shape, 1), ==, net->cfg.sizes[l]);
        s.begin = (guint64) json_array_get_int_element (offsets, 0);
        s.end = (guint64) json_array_get_int_element (offsets, 1);
        g_assert_cmpuint (s.end - s.begin, ==,
                          sizeof (float) * net->cfg.sizes[l + 1] * (is_bias ? 1 : net->cfg.sizes[l]));
        g_assert_cmpuint (8 + n + s.end, <=, len);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
        g_assert_cmpmem (raw + 8 + n + s.begin, s.end - s.begin, expect, s.end - s.begin);
#else
        (void) expect;
#endif
        g_array_append_val (spans, s);
      }

  /* The tensors cover the data exactly. */
  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      g_assert_cmpuint (g_array_index (spans, Span, i).begin, ==, pos);
      pos = g_array_index (spans, Span, i).end;
    }
  g_assert_cmpuint (8 + n + pos, ==, len);
}

/* Python's own json and struct modules agree, where python3 is at hand. */
static const char python_check[] =
  "import json, struct, sys\n"
  "raw = open(sys.argv[1], 'rb').read()\n"
  "n, = struct.unpack('<Q', raw[:8])\n"
  "header = json.loads(raw[8:8 + n].decode('utf-8'))\n"
  "meta = header.pop('__metadata__', {})\n"
  "data = raw[8 + n:]\n"
  "pos = 0\n"
  "for b, e in sorted(tuple(v['data_offsets']) for v in header.values()):\n"
  "    assert b == pos, (b, pos)\n"
  "    pos = e\n"
  "assert pos == len(data), (pos, len(data))\n"
  "for name in sorted(header):\n"
  "    v = header[name]\n"
  "    b = v['data_offsets'][0]\n"
  "    print(name, v['dtype'], 'x'.join(map(str, v['shape'])), '%08x' % struct.unpack('<I', data[b:b + 4])[0])\n"
  "print('format', meta['format'])\n";

static void
test_python_parse (Fixture *f, gconstpointer data)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr (RvNet) net = make_net (small_hidden, 2, 4);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  int status = 0;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }

  g_assert_true (rv_checkpoint_save (net, f->path, NULL, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { python, "-c", python_check, f->path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 could not read the file: %s", err);

  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      guint32 w, b;

      memcpy (&w, net->params + net->w_off[l], 4);
      memcpy (&b, net->params + net->b_off[l], 4);
      g_ptr_array_add (lines, g_strdup_printf ("layers.%u.weight F32 %ux%u %08x", 2 * l,
                                               net->cfg.sizes[l + 1], net->cfg.sizes[l], w));
      g_ptr_array_add (lines, g_strdup_printf ("layers.%u.bias F32 %u %08x", 2 * l,
                                               net->cfg.sizes[l + 1], b));
    }
  g_ptr_array_sort (lines, compare_names);
  g_ptr_array_add (lines, g_strdup ("format pt"));
  g_ptr_array_add (lines, g_strdup (""));
  g_ptr_array_add (lines, NULL);
  expected = g_strjoinv ("\n", (char **) lines->pdata);
  g_assert_cmpstr (out, ==, expected);
}

/* ---- Damaged files ---- */

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) net = make_net (small_hidden, 2, 5);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *raw;
  gsize len;
  guint64 n;

  g_assert_true (rv_checkpoint_save (net, f->path, NULL, &error));
  g_assert_no_error (error);
  bytes = read_bytes (f->path);
  raw = g_bytes_get_data (bytes, &len);
  memcpy (&n, raw, 8);
  n = GUINT64_FROM_LE (n);

  g_file_set_contents (f->path, raw, (gssize) (len - 1000), &error);
  g_assert_no_error (error);
  assert_load_fails (f->path, "truncated: the header says 210.6\xc2\xa0kB (210600 bytes) of tensor data "
                              "but only 209.6\xc2\xa0kB (209600 bytes) follow");

  g_file_set_contents (f->path, raw, (gssize) (8 + n / 2), &error);
  g_assert_no_error (error);
  assert_load_fails (f->path, "runs past the end of the file");

  g_file_set_contents (f->path, raw, 5, &error);
  g_assert_no_error (error);
  assert_load_fails (f->path, "too short to be a safetensors file");

  g_file_set_contents (f->path, raw, 0, &error);
  g_assert_no_error (error);
  assert_load_fails (f->path, "too short to be a safetensors file");
}

typedef struct {
  const char *header;
  gsize data_len;
  const char *expected;
} BadHeader;

#define T(name, dtype, shape, begin, end) \
  "\"" name "\": {\"dtype\": \"" dtype "\", \"shape\": " shape ", \"data_offsets\": [" #begin ", " #end "]}"

static const BadHeader bad_headers[] = {
  { "{" T ("a", "F32", "[2]", 0, 8), 8, "not valid JSON: expected “,” or “}”" },
  { "{/* note */" T ("a", "F32", "[2]", 0, 8) "}", 8, "not valid JSON: expected a quoted key" },
  { "{" T ("a", "F32", "[2]", 0, 8) "}{}", 8, "not valid JSON: more data after" },
  { "{'a': {}}", 0, "not valid JSON" },
  { "{\"a\": {\"dtype\": \"F32\", \"shape\": [0x2], \"data_offsets\": [0, 8]}}", 8, "not valid JSON" },
  { "{\"a\": {\"dtype\": \"F32\", \"shape\": [02], \"data_offsets\": [0, 8]}}", 8, "not valid JSON" },
  { "{\"a\\u0000b\": {}}", 0, "not valid JSON: \\u0000" },
  { "{\"a\\ud800\": {}}", 0, "not valid JSON: unpaired surrogate" },
  { "{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 0,
    "nested too deeply" },
  { "[]", 0, "does not start with “{”" },
  { "\xff{}", 0, "not valid UTF-8" },
  { "{", 0, "too short to hold a JSON object" },
  { "{" T ("a", "F32", "[2]", 0, 8) ", " T ("a", "F32", "[2]", 8, 16) "}", 16, "has the key a twice" },
  { "{" T ("a", "F32", "[4]", 0, 16) ", " T ("b", "F32", "[4]", 8, 24) "}", 24,
    "the data of tensors a [0, 16) and b [8, 24) overlap" },
  { "{" T ("a", "F32", "[2]", 0, 8) ", " T ("b", "F32", "[2]", 16, 24) "}", 24,
    "bytes 8 to 16 of the data belong to no tensor" },
  { "{" T ("a", "F32", "[2]", 4, 12) "}", 12, "bytes 0 to 4 of the data belong to no tensor" },
  { "{" T ("a", "F32", "[4]", 0, 16) "}", 8,
    "truncated: the header says 16 bytes of tensor data but only 8 bytes follow" },
  { "{" T ("a", "F32", "[2]", 0, 8) "}", 16, "8 bytes of unexpected data after the last tensor" },
  { "{" T ("layers.0.weight", "F16", "[4]", 0, 8) "}", 8,
    "tensor layers.0.weight has dtype F16; only F32 is supported" },
  { "{" T ("a", "F32", "[3]", 0, 8) "}", 8,
    "tensor a has shape [3] (12 bytes of F32) but its data_offsets [0, 8] span 8 bytes" },
  { "{" T ("a", "F32", "[2]", 8, 0) "}", 8, "end before they begin" },
  { "{" T ("a", "F32", "[-2]", 0, 8) "}", 8, "not a list of non-negative integers" },
  { "{" T ("a", "F32", "[2.0]", 0, 8) "}", 8, "not a list of non-negative integers" },
  { "{" T ("a", "F32", "[4294967296, 4294967296, 4294967296]", 0, 8) "}", 8, "impossibly large" },
  { "{" T ("a", "F32", "[1, 1, 1, 1, 1, 1, 1, 1, 1]", 0, 4) "}", 4, "has 9 dimensions" },
  { "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0]}}", 8,
    "data_offsets of tensor a are not two non-negative integers" },
  { "{\"a\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "tensor a has no dtype" },
  { "{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", 8, "tensor a has no shape" },
  { "{\"a\": 3}", 0, "the entry of tensor a is not an object" },
  { "{\"__metadata__\": {\"epoch\": 3}}", 0, "__metadata__ must map strings to strings, but epoch is not" },
  { "{\"__metadata__\": []}", 0, "__metadata__ is not an object" },
};

static void
test_corrupt_headers (Fixture *f, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      write_raw (f->path, bad_headers[i].header, bad_headers[i].data_len);
      assert_load_fails (f->path, bad_headers[i].expected);
    }

  /* A length far beyond the file. */
  write_raw_with_length (f->path, G_GUINT64_CONSTANT (1) << 40, "{}", 0);
  assert_load_fails (f->path, "the header length, 1099511627776 bytes, runs past the end of the file (2 bytes follow it)");
  write_raw_with_length (f->path, G_MAXUINT64, "{}", 0);
  assert_load_fails (f->path, "runs past the end of the file");
}

/* Files the reader must accept, though Ravine does not write them so. */
static void
test_reader_accepts (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* 13-byte-shifted data, an empty tensor, an unknown field, padding, metadata. */
  const char *header = "{\"__metadata__\": {\"k\": \"v\"}, "
                       "\"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8], \"x\": null}, "
                       "\"e\": {\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [8, 8]}, "
                       "\"a\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [8, 12]}}  ";
  g_autoptr (GByteArray) raw = g_byte_array_new ();
  guint64 len = GUINT64_TO_LE (strlen (header));
  guint32 values[3] = { GUINT32_TO_LE (0x3f800000u), GUINT32_TO_LE (0xc0000000u), GUINT32_TO_LE (0x40490fdbu) };
  g_autoptr (RvSafetensors) st = NULL;
  const RvSafetensor *t;

  g_assert_cmpuint ((8 + strlen (header)) % 4, !=, 0);
  g_byte_array_append (raw, (const guint8 *) &len, 8);
  g_byte_array_append (raw, (const guint8 *) header, strlen (header));
  g_byte_array_append (raw, (const guint8 *) values, sizeof values);

  st = rv_safetensors_parse (raw->data, raw->len, "mem", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rv_safetensors_get_n_tensors (st), ==, 3);
  g_assert_cmpstr (rv_safetensors_get_tensor (st, 0)->name, ==, "b");
  g_assert_cmpstr (rv_safetensors_get_tensor (st, 2)->name, ==, "a");
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), "k"), ==, "v");

  t = rv_safetensors_lookup (st, "b");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_dims, ==, 1);
  g_assert_cmpfloat (t->data[0], ==, 1.0f);
  g_assert_cmpfloat (t->data[1], ==, -2.0f);
  t = rv_safetensors_lookup (st, "a");
  g_assert_cmpfloat (t->data[0], ==, 3.14159274f);
  t = rv_safetensors_lookup (st, "e");
  g_assert_cmpuint (rv_safetensor_n_elements (t), ==, 0);
  g_assert_null (rv_safetensors_lookup (st, "z"));

  /* An empty file of tensors is still a file. */
  {
    g_autoptr (RvSafetensors) empty = NULL;

    write_raw (f->path, "{}      ", 0);
    empty = rv_safetensors_read (f->path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rv_safetensors_get_n_tensors (empty), ==, 0);
  }
}

/* ---- Files that do not fit the network ---- */

static void
test_mismatched_config (Fixture *f, gconstpointer data)
{
  static const uint32_t other_hidden[] = { 48, 32 };
  static const uint32_t deeper_hidden[] = { 64, 32, 16 };
  g_autoptr (RvNet) other = make_net (other_hidden, 2, 8);
  g_autoptr (RvNet) deeper = make_net (deeper_hidden, 3, 9);
  g_autoptr (GError) error = NULL;

  g_assert_true (rv_checkpoint_save (other, f->path, NULL, &error));
  g_assert_no_error (error);
  assert_load_fails (f->path, "layers.0.weight has shape [48, 784] in the file but the network expects [64, 784] "
                              "(the file holds a 784-48-32-10 network; this one is 784-64-32-10)");

  g_assert_true (rv_checkpoint_save (deeper, f->path, NULL, &error));
  g_assert_no_error (error);
  assert_load_fails (f->path, "layers.4.weight has shape [16, 32] in the file but the network expects [10, 32] "
                              "(the file holds a 784-64-32-16-10 network; this one is 784-64-32-10)");
}

static void
test_missing_and_extra (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) net = make_net (small_hidden, 2, 10);
  g_autoptr (GError) error = NULL;
  RvSafetensor tensors[2 * RV_MAX_LINEAR + 1];
  float extra[4] = { 1, 2, 3, 4 };
  size_t n = tensors_of (net, tensors);

  /* Without the last bias. */
  g_assert_cmpstr (tensors[n - 1].name, ==, "layers.4.bias");
  g_assert_true (rv_safetensors_write (f->path, tensors, n - 1, NULL, &error));
  g_assert_no_error (error);
  assert_load_fails (f->path, "missing tensor layers.4.bias");

  /* With one more tensor than the network has. */
  tensors[n] = (RvSafetensor) { .name = "layers.10.weight", .n_dims = 2, .shape = { 2, 2 }, .data = extra };
  g_assert_true (rv_safetensors_write (f->path, tensors, n + 1, NULL, &error));
  g_assert_no_error (error);
  assert_load_fails (f->path, "unexpected tensor layers.10.weight");

  /* A bias saved as a matrix. */
  tensors[1].n_dims = 2;
  tensors[1].shape[1] = 1;
  g_assert_true (rv_safetensors_write (f->path, tensors, n, NULL, &error));
  g_assert_no_error (error);
  assert_load_fails (f->path, "layers.0.bias has shape [64, 1] in the file but the network expects [64]");

  for (size_t i = 0; i < n; i++)
    g_free ((char *) tensors[i].name);
}

static void
test_writer_arguments (Fixture *f, gconstpointer data)
{
  float x[2] = { 1, 2 };
  RvSafetensor twice[2] = {
    { .name = "a", .n_dims = 1, .shape = { 2 }, .data = x },
    { .name = "a", .n_dims = 1, .shape = { 2 }, .data = x },
  };
  RvSafetensor reserved = { .name = "__metadata__", .n_dims = 1, .shape = { 2 }, .data = x };
  g_autoptr (GError) error = NULL;
  g_autofree char *listing = NULL;

  g_assert_false (rv_safetensors_write (f->path, twice, 2, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  assert_contains (error->message, "two tensors are named a");
  g_clear_error (&error);

  g_assert_false (rv_safetensors_write (f->path, &reserved, 1, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);

  listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "");
}

/* Names and metadata that need escaping survive the trip. */
static void
test_writer_escapes (Fixture *f, gconstpointer data)
{
  const char *odd = "caf\xc3\xa9 \"q\" back\\slash\ttab\x01";
  float x[3] = { 1.5f, -0.0f, 3.0f };
  RvSafetensor tensors[2] = {
    { .name = odd, .n_dims = 2, .shape = { 1, 3 }, .data = x },
    { .name = "empty", .n_dims = 2, .shape = { 0, 5 }, .data = NULL },
  };
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (RvSafetensors) st = NULL;
  g_autoptr (GError) error = NULL;
  const RvSafetensor *t;

  g_hash_table_insert (meta, (char *) odd, "\xe2\x9c\x93 \n");
  g_assert_true (rv_safetensors_write (f->path, tensors, 2, meta, &error));
  g_assert_no_error (error);
  st = rv_safetensors_read (f->path, &error);
  g_assert_no_error (error);
  t = rv_safetensors_lookup (st, odd);
  g_assert_nonnull (t);
  g_assert_cmpmem (t->data, sizeof x, x, sizeof x);
  g_assert_cmpuint (rv_safetensor_n_elements (rv_safetensors_lookup (st, "empty")), ==, 0);
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), odd), ==, "\xe2\x9c\x93 \n");
}

/* ---- Values and files a load refuses ---- */

/* A NaN or an infinity anywhere is refused on load, naming the tensor, and
 * the network is left as it was. */
static void
test_non_finite (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) a = make_net (small_hidden, 2, 21);
  g_autoptr (RvNet) b = make_net (small_hidden, 2, 22);
  g_autoptr (GError) error = NULL;
  g_autofree float *before = g_memdup2 (b->params, b->n_params * sizeof (float));
  struct {
    guint32 bits;
    const char *tensor, *what;
  } cases[] = {
    { 0x7fc01234u, "layers.0.weight", "NaN" },
    { 0x7f800000u, "layers.0.weight", "infinite" },
    { 0xff800000u, "layers.4.bias", "infinite" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (RvNet) c = make_net (small_hidden, 2, 21);
      size_t at = g_str_equal (cases[i].tensor, "layers.4.bias") ? c->b_off[2] + 3 : 5;

      memcpy (&c->params[at], &cases[i].bits, sizeof (float));
      g_assert_true (rv_checkpoint_save (c, f->path, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (rv_checkpoint_load (b, f->path, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
      g_test_message ("%s", error->message);
      assert_contains (error->message, f->path);
      assert_contains (error->message, cases[i].tensor);
      assert_contains (error->message, cases[i].what);
      g_clear_error (&error);
      g_assert_cmpmem (b->params, b->n_params * sizeof (float), before, b->n_params * sizeof (float));
    }

  /* The same network without them loads. */
  g_assert_true (rv_checkpoint_save (a, f->path, NULL, &error));
  g_assert_true (rv_checkpoint_load (b, f->path, &error));
  g_assert_no_error (error);
}

/* A FIFO (with no writer: reading it would wait for ever), /dev/zero (no end)
 * and a folder in place of the file are refused at once, by load and by
 * read_metadata. */
static void
test_not_regular (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) b = make_net (small_hidden, 2, 22);
  g_autoptr (GError) error = NULL;
  g_autofree char *fifo = g_build_filename (f->dir, "fifo.safetensors", NULL);
  g_autofree char *zero = g_build_filename (f->dir, "zero.safetensors", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "folder.safetensors", NULL);
  const char *paths[] = { fifo, zero, folder };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (GHashTable) meta = NULL;

      g_assert_false (rv_checkpoint_load (b, paths[i], &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      assert_contains (error->message, paths[i]);
      assert_contains (error->message, "not a regular file");
      g_clear_error (&error);
      meta = rv_checkpoint_read_metadata (paths[i], &error);
      g_assert_null (meta);
      assert_contains (error->message, "not a regular file");
      g_clear_error (&error);
    }
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* ---- Saves that fail ---- */

static void
test_interrupted_save (Fixture *f, gconstpointer data)
{
  g_autoptr (RvNet) a = make_net (small_hidden, 2, 11);
  g_autoptr (RvNet) b = make_net (small_hidden, 2, 12);
  g_autoptr (RvNet) c = make_net (small_hidden, 2, 13);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.safetensors", NULL);
  gsize len;
  /* Before the length, in the header, in the first tensor, one byte short. */
  guint64 points[] = { 0, 5, 100, 4096, 0 };

  g_assert_true (rv_checkpoint_save (a, f->path, NULL, &error));
  g_assert_no_error (error);
  before = read_bytes (f->path);
  len = g_bytes_get_size (before);
  points[G_N_ELEMENTS (points) - 1] = len - 1;

  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, points[i]);
      g_autofree char *listing = NULL;
      g_autoptr (GBytes) after = NULL;

      g_setenv (FAIL_ENV, value, TRUE);
      g_assert_false (rv_checkpoint_save (b, f->path, NULL, &error));
      g_unsetenv (FAIL_ENV);
      g_assert_error (error, RV_ERROR, RV_ERROR_IO);
      g_test_message ("%s", error->message);
      assert_contains (error->message, f->path);
      assert_contains (error->message, g_strerror (ENOSPC));
      g_clear_error (&error);

      after = read_bytes (f->path);
      g_assert_true (g_bytes_equal (before, after));
      listing = list_dir (f->dir);
      g_assert_cmpstr (listing, ==, "model.safetensors");
    }

  /* A first save that fails leaves nothing at all. */
  g_setenv (FAIL_ENV, "1000", TRUE);
  g_assert_false (rv_checkpoint_save (b, fresh, NULL, &error));
  g_unsetenv (FAIL_ENV);
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  /* And the next save, with room, goes through. */
  g_assert_true (rv_checkpoint_save (b, f->path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rv_checkpoint_load (c, f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (b->params, b->n_params * sizeof (float), c->params, c->n_params * sizeof (float));
}

static void
test_atomic_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "a.txt", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", "x.txt", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "folder", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvAtomicFile) file = NULL;
  GStatBuf st;

  g_assert_true (rv_atomic_file_write (path, "hello", 5, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "hello");
  g_clear_pointer (&contents, g_free);

  /* Replacing keeps the file's permissions. */
  g_assert_cmpint (g_chmod (path, 0604), ==, 0);
  g_assert_true (rv_atomic_file_write (path, "world!", 6, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "world!");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0604);

  /* A streamed write that is abandoned changes nothing. */
  file = rv_atomic_file_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (rv_atomic_file_append (file, "partial", 7, &error));
  g_assert_no_error (error);
  g_clear_pointer (&file, rv_atomic_file_abort);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "world!");

  /* A missing folder: the error names the file and the reason. */
  g_assert_false (rv_atomic_file_write (missing, "x", 1, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  assert_contains (error->message, missing);
  assert_contains (error->message, g_strerror (ENOENT));
  g_clear_error (&error);

  /* A folder in the way: the rename fails and the temporary file goes. */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (rv_atomic_file_write (folder, "x", 1, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  assert_contains (error->message, "cannot replace it");
  g_clear_error (&error);

  listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "a.txt folder");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv (FAIL_ENV);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/checkpoint/round-trip", test_round_trip);
  ADD ("/checkpoint/independent-parse", test_independent_parse);
  ADD ("/checkpoint/python-parse", test_python_parse);
  ADD ("/checkpoint/truncated", test_truncated);
  ADD ("/checkpoint/corrupt-headers", test_corrupt_headers);
  ADD ("/checkpoint/reader-accepts", test_reader_accepts);
  ADD ("/checkpoint/mismatched-config", test_mismatched_config);
  ADD ("/checkpoint/missing-and-extra", test_missing_and_extra);
  ADD ("/checkpoint/writer-arguments", test_writer_arguments);
  ADD ("/checkpoint/writer-escapes", test_writer_escapes);
  ADD ("/checkpoint/non-finite", test_non_finite);
  ADD ("/checkpoint/not-regular", test_not_regular);
  ADD ("/checkpoint/interrupted-save", test_interrupted_save);
  ADD ("/checkpoint/atomic-file", test_atomic_file);
#undef ADD

  return g_test_run ();
}
