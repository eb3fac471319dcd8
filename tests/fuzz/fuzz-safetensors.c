/* fuzz-safetensors.c: fuzz target for the safetensors reader and the
 * checkpoint loader above it.
 *
 * Every input goes to rv_safetensors_parse.  A file it accepts must be what
 * the format says (tensors in data order covering the data exactly, each
 * tensor's floats the file's bytes), must write back with
 * rv_safetensors_write and read back the same; when its tensors chain into
 * a network (784 inputs, 10 classes), rv_checkpoint_load must load it into
 * that network exactly when the names and shapes are the network's, with
 * the file's floats bit for bit.  The reader that also takes F16 and BF16
 * accepts every file the F32 one does, with the same floats, and converts
 * half tensors exactly; rv_mlp_weights_load either builds a network of the
 * file's Linear layers (784 inputs, 10 outputs, the file's values) or
 * refuses it with RV_ERROR_CHECKPOINT naming the file.  Seeds: files from
 * rv_checkpoint_save and rv_safetensors_write, and one of half tensors. */
#include "fuzz-target.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-mlp-weights.h"
#include "rv-net.h"
#include "rv-safetensors.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_SAFETENSORS;
const char fuzz_target_name[] = "fuzz-safetensors";
int fuzz_target_accepted;

/* One scratch file per process, for the write-back and the loader. */
static const char *
scratch_path (void)
{
  static char *path;
  if (path == NULL)
    path = g_strdup_printf ("%s/ravine-fuzz-safetensors-%d.safetensors", g_get_tmp_dir (), (int) getpid ());
  return path;
}

/* The raw input, for rv_mlp_weights_load, which reads a path. */
static const char *
raw_path (void)
{
  static char *path;
  if (path == NULL)
    path = g_strdup_printf ("%s/ravine-fuzz-raw-%d.safetensors", g_get_tmp_dir (), (int) getpid ());
  return path;
}

static uint64_t
read_le64 (const uint8_t *p)
{
  uint64_t v = 0;
  for (int k = 0; k < 8; k++)
    v |= (uint64_t) p[k] << (8 * k);
  return v;
}

static gboolean
same_tensor (const RvSafetensor *a, const RvSafetensor *b)
{
  return a->n_dims == b->n_dims
         && memcmp (a->shape, b->shape, a->n_dims * sizeof a->shape[0]) == 0
         && memcmp (a->data, b->data, rv_safetensor_n_elements (a) * sizeof (float)) == 0;
}

static gboolean
same_metadata (GHashTable *a, GHashTable *b)
{
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

/* The network whose tensors the file holds, by the state_dict names, or
 * FALSE when its layers.N.weight do not chain from 784 inputs to 10 classes
 * (or the network would be large). */
static gboolean
file_network (const RvSafetensors *st, RvNetConfig *cfg)
{
  uint32_t hidden[RV_MAX_LINEAR];
  uint64_t prev = RV_INPUT_SIZE, params = 0;
  uint32_t n = 0;

  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      g_autofree char *name = g_strdup_printf ("layers.%u.weight", 2 * l);
      const RvSafetensor *w = rv_safetensors_lookup (st, name);
      if (w == NULL)
        break;
      if (w->n_dims != 2 || w->shape[1] != prev || w->shape[0] < 1 || w->shape[0] > 65536)
        return FALSE;
      params += w->shape[0] * (w->shape[1] + 1);
      if (params > (1u << 22))
        return FALSE;
      prev = w->shape[0];
      if (n < RV_MAX_LINEAR)
        hidden[n++] = (uint32_t) prev;
    }
  if (n == 0 || prev != 10)
    return FALSE;
  rv_net_config_init (cfg, RV_ACT_RELU, hidden, n - 1);
  return TRUE;
}

/* Whether every value of every tensor is finite. */
static gboolean
all_finite (const RvSafetensors *st)
{
  for (size_t t = 0; t < rv_safetensors_get_n_tensors (st); t++)
    {
      const RvSafetensor *x = rv_safetensors_get_tensor (st, t);
      for (uint64_t i = 0, n = rv_safetensor_n_elements (x); i < n; i++)
        if (!isfinite (x->data[i]))
          return FALSE;
    }
  return TRUE;
}

/* Whether the file holds exactly the network's tensors, by name and shape,
 * and only finite values (the loader refuses a NaN or an infinity). */
static gboolean
fits_network (const RvSafetensors *st, const RvNetConfig *cfg)
{
  if (!all_finite (st))
    return FALSE;
  if (rv_safetensors_get_n_tensors (st) != 2 * (size_t) cfg->n_linear)
    return FALSE;
  for (uint32_t l = 0; l < cfg->n_linear; l++)
    {
      g_autofree char *wn = g_strdup_printf ("layers.%u.weight", 2 * l);
      g_autofree char *bn = g_strdup_printf ("layers.%u.bias", 2 * l);
      const RvSafetensor *w = rv_safetensors_lookup (st, wn);
      const RvSafetensor *b = rv_safetensors_lookup (st, bn);
      if (w == NULL || b == NULL || w->n_dims != 2 || w->shape[0] != cfg->sizes[l + 1]
          || w->shape[1] != cfg->sizes[l] || b->n_dims != 1 || b->shape[0] != cfg->sizes[l + 1])
        return FALSE;
    }
  return TRUE;
}

static void
check_checkpoint (const RvSafetensors *st)
{
  RvNetConfig cfg;
  if (!file_network (st, &cfg))
    return;
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] = 0.25f;
  g_autoptr (GError) error = NULL;
  gboolean loaded = rv_checkpoint_load (net, scratch_path (), &error);
  gboolean fits = fits_network (st, &cfg);
  FUZZ_CHECK (loaded == fits, "rv_checkpoint_load %s a file that %s the network: %s",
              loaded ? "loaded" : "refused", fits ? "fits" : "does not fit",
              error ? error->message : "no error");
  if (!loaded)
    {
      FUZZ_CHECK (error != NULL && g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT),
                  "a refused checkpoint gave no RV_ERROR_CHECKPOINT");
      for (size_t i = 0; i < net->n_params; i++)
        FUZZ_CHECK (net->params[i] == 0.25f, "a refused checkpoint changed the network");
      return;
    }
  for (uint32_t l = 0; l < cfg.n_linear; l++)
    {
      g_autofree char *wn = g_strdup_printf ("layers.%u.weight", 2 * l);
      g_autofree char *bn = g_strdup_printf ("layers.%u.bias", 2 * l);
      const RvSafetensor *w = rv_safetensors_lookup (st, wn);
      const RvSafetensor *b = rv_safetensors_lookup (st, bn);
      FUZZ_CHECK (memcmp (net->params + net->w_off[l], w->data, rv_net_weight_count (net, l) * sizeof (float)) == 0
                  && memcmp (net->params + net->b_off[l], b->data, cfg.sizes[l + 1] * sizeof (float)) == 0,
                  "layer %u's loaded parameters differ from the file's", l);
    }
  for (size_t i = 0; i < net->n_params; i++)
    FUZZ_CHECK (isfinite (net->params[i]), "a loaded checkpoint holds a non-finite parameter");
}

/* A binary16 bit pattern's value by the format's formula, in double. */
static double
decode_half (uint16_t h)
{
  const int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v = e == 0 ? ldexp (m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp (1024 + m, e - 25);
  return (h >> 15) ? -v : v;
}

/* The reader with F16 and BF16: a superset of the F32 one, exact.  Returns
 * whether it accepted the file. */
static gboolean
check_half_reader (const uint8_t *data, size_t size, const RvSafetensors *st)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) half = rv_safetensors_parse_take_full (g_memdup2 (data, size), size, "fuzz",
                                                                   RV_SAFETENSORS_ACCEPT_HALF, &error);
  if (st != NULL)
    FUZZ_CHECK (half != NULL, "the half reader refused an F32 file: %s", error->message);
  if (half == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT) && g_str_has_prefix (error->message, "fuzz: "),
                  "the half reader's refusal is no RV_ERROR_CHECKPOINT naming the file");
      return FALSE;
    }
  const uint8_t *file_data = data + 8 + read_le64 (data);
  uint64_t at = 0;
  for (size_t i = 0; i < rv_safetensors_get_n_tensors (half); i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (half, i);
      const uint64_t count = rv_safetensor_n_elements (t);
      FUZZ_CHECK ((uintptr_t) t->data % G_ALIGNOF (float) == 0, "half reader: tensor %s is misaligned", t->name);
      if (st != NULL)
        FUZZ_CHECK (t->dtype == RV_SAFETENSOR_F32 && same_tensor (t, rv_safetensors_get_tensor (st, i)),
                    "the half reader read F32 tensor %s differently", t->name);
      for (uint64_t k = 0; k < count && t->dtype != RV_SAFETENSOR_F32; k++)
        {
          uint16_t h = (uint16_t) (file_data[at + 2 * k] | file_data[at + 2 * k + 1] << 8);
          double want = t->dtype == RV_SAFETENSOR_F16 ? decode_half (h) : 0.0;
          if (t->dtype == RV_SAFETENSOR_BF16)
            {
              uint32_t bits;
              memcpy (&bits, &t->data[k], 4);
              FUZZ_CHECK (bits == (uint32_t) h << 16, "BF16 element %" G_GUINT64_FORMAT " of %s is not its bits",
                          k, t->name);
            }
          else
            FUZZ_CHECK (isnan (want) ? isnan (t->data[k]) : (double) t->data[k] == want && !!signbit (t->data[k]) == !!signbit (want),
                        "F16 element %" G_GUINT64_FORMAT " of %s is %g, not %g", k, t->name, t->data[k], want);
        }
      at += count * (t->dtype == RV_SAFETENSOR_F32 ? 4 : 2);
    }
  return TRUE;
}

/* Any MLP checkpoint: a network of the file's layers, or a clear refusal. */
static void
check_mlp_weights (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  FUZZ_CHECK (g_file_set_contents (raw_path (), (const char *) data, (gssize) size, NULL), "cannot write scratch");
  g_autoptr (RvNet) net = rv_mlp_weights_load (raw_path (), RV_ACT_TANH, NULL, &error);
  g_unlink (raw_path ());
  if (net == NULL)
    {
      g_autofree char *name = g_filename_display_name (raw_path ());
      FUZZ_CHECK (g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT) && g_str_has_prefix (error->message, name),
                  "rv_mlp_weights_load's refusal is no RV_ERROR_CHECKPOINT naming the file: %s",
                  error ? error->message : "no error");
      return;
    }
  FUZZ_CHECK (error == NULL, "a loaded model also set an error");
  FUZZ_CHECK (net->cfg.sizes[0] == RV_INPUT_SIZE && net->cfg.sizes[net->cfg.n_linear] == 10
              && net->cfg.act == RV_ACT_TANH, "a loaded model is not 784 -> ... -> 10 with the asked activation");
  for (size_t i = 0; i < net->n_params; i++)
    FUZZ_CHECK (isfinite (net->params[i]), "a loaded model holds a non-finite parameter");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_parse (data, size, "fuzz", &error);

  /* accepted by either reader: the driver keeps it as a seed */
  fuzz_target_accepted = check_half_reader (data, size, st);
  check_mlp_weights (data, size);
  if (st == NULL)
    {
      FUZZ_CHECK (error != NULL && g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT)
                  && g_str_has_prefix (error->message, "fuzz: "),
                  "a refused file gave no RV_ERROR_CHECKPOINT naming it: %s",
                  error ? error->message : "no error");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "an accepted file also set an error");

  /* The file is as the format says. */
  uint64_t header_len = read_le64 (data);
  FUZZ_CHECK (size >= 8 && header_len <= size - 8, "accepted a header past the end");
  const uint8_t *file_data = data + 8 + header_len;
  uint64_t data_len = size - 8 - header_len, at = 0;
  size_t n = rv_safetensors_get_n_tensors (st);
  for (size_t i = 0; i < n; i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);
      FUZZ_CHECK (t->name != NULL && g_utf8_validate (t->name, -1, NULL)
                  && strcmp (t->name, "__metadata__") != 0, "tensor %zu has a bad name", i);
      FUZZ_CHECK (rv_safetensors_lookup (st, t->name) == t, "tensor %s is not found by its name", t->name);
      FUZZ_CHECK (t->n_dims <= RV_SAFETENSORS_MAX_DIMS, "tensor %s has %u dimensions", t->name, t->n_dims);
      FUZZ_CHECK ((uintptr_t) t->data % G_ALIGNOF (float) == 0, "tensor %s is misaligned", t->name);
      uint64_t count = 1;
      for (uint32_t d = 0; d < t->n_dims; d++)
        {
          FUZZ_CHECK (t->shape[d] == 0 || count <= data_len / 4 / t->shape[d],
                      "tensor %s is larger than the file", t->name);
          count *= t->shape[d];
        }
      FUZZ_CHECK (count == rv_safetensor_n_elements (t), "tensor %s miscounts", t->name);
      FUZZ_CHECK (at + 4 * count <= data_len, "tensor %s runs past the data", t->name);
      FUZZ_CHECK (memcmp (t->data, file_data + at, 4 * count) == 0 || G_BYTE_ORDER == G_BIG_ENDIAN,
                  "tensor %s's floats are not the file's bytes", t->name);
      at += 4 * count;
    }
  FUZZ_CHECK (at == data_len, "the tensors cover %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " data bytes",
              at, data_len);

  GHashTable *metadata = rv_safetensors_get_metadata (st);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, metadata);
  while (g_hash_table_iter_next (&iter, &key, &value))
    FUZZ_CHECK (g_utf8_validate (key, -1, NULL) && value != NULL && g_utf8_validate (value, -1, NULL),
                "metadata that is not UTF-8 text");

  /* What was read writes back, and reads back the same. */
  g_autofree RvSafetensor *copy = g_new0 (RvSafetensor, MAX (n, 1));
  for (size_t i = 0; i < n; i++)
    copy[i] = *rv_safetensors_get_tensor (st, i);
  FUZZ_CHECK (rv_safetensors_write (scratch_path (), copy, n, metadata, &error),
              "an accepted file does not write back: %s", error->message);
  g_autoptr (RvSafetensors) again = rv_safetensors_read (scratch_path (), &error);
  FUZZ_CHECK (again != NULL, "a written-back file does not read: %s", error->message);
  FUZZ_CHECK (rv_safetensors_get_n_tensors (again) == n, "the write-back changed the tensor count");
  for (size_t i = 0; i < n; i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);
      const RvSafetensor *u = rv_safetensors_lookup (again, t->name);
      FUZZ_CHECK (u != NULL && same_tensor (t, u), "the write-back changed tensor %s", t->name);
    }
  FUZZ_CHECK (same_metadata (metadata, rv_safetensors_get_metadata (again)),
              "the write-back changed the metadata");

  check_checkpoint (st);
  g_unlink (scratch_path ());
  return 0;
}

static void
add_file (GPtrArray *seeds, const char *path)
{
  char *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    abort ();
  g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
  g_unlink (path);
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  g_autoptr (GError) error = NULL;
  const char *path = scratch_path ();

  /* A real checkpoint of a small network, with and without extra metadata. */
  for (int k = 0; k < 2; k++)
    {
      RvNetConfig cfg;
      uint32_t hidden[] = { 2, 3 };
      rv_net_config_init (&cfg, RV_ACT_RELU, hidden, 1 + k);
      g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
      for (size_t i = 0; i < net->n_params; i++)
        net->params[i] = (float) ((int) (i % 17) - 8) / 16.0f;
      g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (meta, "ravine.note", "seed");
      if (!rv_checkpoint_save (net, path, k ? meta : NULL, &error))
        abort ();
      add_file (seeds, path);
    }

  /* Small files of odd shapes: a scalar, an empty tensor, three dimensions. */
  static const float values[24] = { 1, -2, 0.5f, 3, 0, -0.0f, 1e-30f, 1e30f, 7, 8, 9, 10,
                                    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 };
  RvSafetensor t[4] = {
    { "a", 0, { 0 }, values },
    { "b", 1, { 0 }, values },
    { "c", 3, { 2, 3, 4 }, values },
    { "layers.0.weight", 2, { 1, 3 }, values + 5 },
  };
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (meta, "format", "pt");
  for (size_t n = 1; n <= 4; n++)
    {
      if (!rv_safetensors_write (path, t + 4 - n, n, n % 2 ? meta : NULL, &error))
        abort ();
      add_file (seeds, path);
    }
  /* Half tensors, as PyTorch saves a model.half() or .bfloat16(): an MLP of
   * F16 and BF16 layers, with an F32 bias after an odd-length one. */
  {
    const char *header = "{\"0.weight\":{\"dtype\":\"F16\",\"shape\":[1,784],\"data_offsets\":[0,1568]},"
                         "\"0.bias\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[1568,1570]},"
                         "\"2.weight\":{\"dtype\":\"BF16\",\"shape\":[10,1],\"data_offsets\":[1570,1590]},"
                         "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[1590,1630]}}";
    GByteArray *file = g_byte_array_new ();
    uint8_t len[8] = { 0 };
    for (int k = 0; k < 8; k++)
      len[k] = (uint8_t) (strlen (header) >> (8 * k));
    g_byte_array_append (file, len, 8);
    g_byte_array_append (file, (const guint8 *) header, strlen (header));
    for (int i = 0; i < 795; i++)
      {
        /* small values of both signs, a subnormal or two among them */
        uint8_t h[2] = { (uint8_t) (i * 37), (uint8_t) ((i % 3 == 0 ? 0x80 : 0) | (i % 29)) };
        g_byte_array_append (file, h, 2);
      }
    for (int i = 0; i < 10; i++)
      {
        float f = 0.125f * (float) (i - 5);
        uint32_t bits;
        memcpy (&bits, &f, 4);
        uint8_t b[4] = { (uint8_t) bits, (uint8_t) (bits >> 8), (uint8_t) (bits >> 16), (uint8_t) (bits >> 24) };
        g_byte_array_append (file, b, 4);
      }
    g_ptr_array_add (seeds, g_byte_array_free_to_bytes (file));
  }

  /* No tensors at all. */
  if (!rv_safetensors_write (path, t, 0, NULL, &error))
    abort ();
  add_file (seeds, path);
}
