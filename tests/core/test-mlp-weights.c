/* test-mlp-weights.c: PyTorch-written MLP checkpoints (tests/fixtures/weights,
 * made by make-fixtures.py) load as networks with the weights PyTorch held,
 * and a probe of them gives PyTorch's own per-layer figures; malformed files
 * give errors that name the tensor; F16 and BF16 convert exactly. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-mlp-weights.h"
#include "rv-probe.h"
#include "rv-safetensors.h"

static JsonObject *reference;   /* reference.json's "models" */
static JsonParser *reference_parser;

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "weights", name, NULL);
}

static void
assert_close (double have, double want, double rel, const char *what)
{
  if (!(fabs (have - want) <= rel * fabs (want)))
    g_error ("%s: %.10g, but PyTorch's is %.10g (relative difference %.3g, tolerance %g)", what, have, want,
             fabs (have - want) / fabs (want), rel);
}

typedef struct {
  const char *file;           /* also the key of reference.json */
  RvActivation fallback;      /* what the caller asks for */
  RvActivation act;           /* what the network must get */
  const char *prefix;
  RvSafetensorDtype dtype;
  const char *module_prefix;  /* the file's name of Linear l's module: PREFIX INDEX */
  guint index_mul, index_add; /* INDEX = mul * l + add */
  gboolean from_config;
} Fixture;

static const Fixture fixtures[] = {
  { "tutorial-f32", RV_ACT_RELU, RV_ACT_RELU, "layers.", RV_SAFETENSOR_F32, "layers.", 2, 0, FALSE },
  /* the config beside it says tanh, whatever the caller asks */
  { "sequential-f16", RV_ACT_GELU, RV_ACT_TANH, "", RV_SAFETENSOR_F16, "", 2, 0, TRUE },
  { "fc-bf16", RV_ACT_SIGMOID, RV_ACT_SIGMOID, "net.fc", RV_SAFETENSOR_BF16, "net.fc", 1, 1, FALSE },
};

static RvNet *
load_fixture (const Fixture *f, RvMlpWeightsInfo *info)
{
  g_autofree char *name = g_strconcat (f->file, ".safetensors", NULL);
  g_autofree char *path = fixture (name);
  g_autoptr (GError) error = NULL;
  RvNet *net = rv_mlp_weights_load (path, f->fallback, info, &error);

  g_assert_no_error (error);
  g_assert_nonnull (net);
  return net;
}

/* The architecture, activation and every stored value PyTorch recorded. */
static void
test_loads (gconstpointer data)
{
  const Fixture *f = data;
  g_auto (RvMlpWeightsInfo) info = { 0 };
  g_autoptr (RvNet) net = load_fixture (f, &info);
  JsonObject *ref = json_object_get_object_member (reference, f->file);
  JsonArray *hidden = json_object_get_array_member (ref, "hidden_sizes");
  JsonObject *tensors = json_object_get_object_member (ref, "tensors");

  g_assert_cmpuint (net->cfg.n_linear, ==, json_array_get_length (hidden) + 1);
  g_assert_cmpuint (net->cfg.sizes[0], ==, 784);
  for (guint i = 0; i < json_array_get_length (hidden); i++)
    g_assert_cmpuint (net->cfg.sizes[i + 1], ==, json_array_get_int_element (hidden, i));
  g_assert_cmpuint (net->cfg.sizes[net->cfg.n_linear], ==, 10);
  g_assert_cmpint (net->cfg.act, ==, f->act);
  g_assert_cmpstr (info.prefix, ==, f->prefix);
  g_assert_cmpint (info.dtype, ==, f->dtype);
  g_assert_true ((info.config_path != NULL) == f->from_config);
  g_assert_cmpuint (info.n_layers, ==, net->cfg.n_linear);
  g_assert_cmpuint (json_object_get_size (tensors), ==, 2 * info.n_layers);

  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    for (int is_bias = 0; is_bias < 2; is_bias++)
      {
        g_autofree char *module = g_strdup_printf ("%s%u", f->module_prefix, f->index_mul * l + f->index_add);
        g_autofree char *name = g_strconcat (module, is_bias ? ".bias" : ".weight", NULL);
        g_autofree char *own = rv_mlp_weights_tensor_name (&info, l, is_bias);
        JsonObject *t = json_object_get_object_member (tensors, name);

        /* The file's own names, as PyTorch wrote them. */
        g_assert_cmpstr (own, ==, name);
        JsonArray *first = json_object_get_array_member (t, "first");
        const float *have = net->params + (is_bias ? net->b_off[l] : net->w_off[l]);
        size_t n = is_bias ? rv_net_fan_out (net, l) : rv_net_weight_count (net, l);
        double sum = 0;

        /* Exactly PyTorch's float32 values, signed zeros and subnormals too. */
        for (guint i = 0; i < json_array_get_length (first); i++)
          {
            double want = json_array_get_double_element (first, i);
            g_assert_cmpfloat ((double) have[i], ==, want);
            g_assert_cmpint (!!signbit (have[i]), ==, !!signbit (want));
          }
        for (size_t i = 0; i < n; i++)
          sum += have[i];
        /* Only the order of summation differs. */
        g_assert_cmpfloat (fabs (sum - json_object_get_double_member (t, "sum")), <=, 1e-9 * (1 + fabs (sum)));
      }
}

/* The real FashionMNIST (the fixtures' figures are PyTorch's on its first
 * 64 training images), or NULL with the test skipped when it is absent. */
static RvDataset *
fixture_data (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("FashionMNIST not found: set RAVINE_TEST_DATA_DIR");
      return NULL;
    }
  g_autoptr (GError) error = NULL;
  RvDataset *ds = rv_dataset_load (dir, 42, &error);

  g_assert_no_error (error);
  return ds;
}

/* A probe of the loaded network gives PyTorch's figures on the same batch. */
static void
test_probe_matches_pytorch (gconstpointer data)
{
  const Fixture *f = data;
  g_autoptr (RvNet) net = load_fixture (f, NULL);
  g_autoptr (RvDataset) ds = fixture_data ();
  if (ds == NULL)
    return;
  JsonObject *ref = json_object_get_object_member (reference, f->file);
  g_autoptr (GError) error = NULL;
  RvProbeConfig cfg;
  RvProbeResult res;

  rv_probe_config_init_default (&cfg);
  cfg.net = net->cfg;
  cfg.batch = (uint32_t) json_object_get_int_member (ref, "batch");
  cfg.source = RV_PROBE_HEAD;
  g_assert_true (rv_probe_run_net (net, &cfg, ds, &res, &error));
  g_assert_no_error (error);

  const char *kinds[] = { "activation_variance", "gradient_variance", "weight_variance" };
  for (int k = 0; k < 3; k++)
    {
      JsonArray *want = json_object_get_array_member (ref, kinds[k]);
      g_assert_cmpuint (json_array_get_length (want), ==, res.n_linear);
      for (uint32_t l = 0; l < res.n_linear; l++)
        {
          const RvStats *s = k == 0 ? &res.activation[l] : k == 1 ? &res.gradient[l] : &res.weight[l];
          g_autofree char *what = g_strdup_printf ("%s %s of Linear %u", f->file, kinds[k], l);
          assert_close (s->variance, json_array_get_double_element (want, l), 1e-4, what);
        }
    }
  assert_close (res.loss, json_object_get_double_member (ref, "loss"), 1e-5, "loss");
  g_assert_cmpfloat ((double) res.correct / res.batch, ==, json_object_get_double_member (ref, "accuracy"));
  rv_probe_result_clear (&res);
}

typedef struct {
  const char *file;
  const char *needles[3];
} BadFile;

static const BadFile bad_files[] = {
  { "conv", { "tensor 0.weight has shape [2, 1, 5, 5]", "2-D weight [out, in]", "convolution" } },
  { "broken-chain", { "tensor 2.weight has shape [10, 3]", "expected [10, 2]", "0.weight gives 2 outputs" } },
  { "missing-bias", { "tensor 2.weight has no bias", "2.bias [10]", NULL } },
  { "int8", { "tensor 2.weight has dtype I8", "F32, F16 and BF16", NULL } },
  { "wrong-input", { "tensor 0.weight", "[4, 100]", "expected 784 inputs" } },
  { "wrong-output", { "tensor 2.weight", "[5, 2]", "expected 10 outputs" } },
};

static void
assert_refused (const char *path, const char *const *needles, size_t n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvNet) net = rv_mlp_weights_load (path, RV_ACT_RELU, NULL, &error);
  g_autofree char *name = g_filename_display_name (path);

  g_assert_null (net);
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, name));
  for (size_t i = 0; i < n; i++)
    if (needles[i] != NULL && strstr (error->message, needles[i]) == NULL)
      g_error ("\"%s\" is not in the error \"%s\"", needles[i], error->message);
}

static void
test_bad_file (gconstpointer data)
{
  const BadFile *b = data;
  g_autofree char *name = g_strdup_printf ("bad/%s.safetensors", b->file);
  g_autofree char *path = fixture (name);

  assert_refused (path, b->needles, G_N_ELEMENTS (b->needles));
}

/* ---- Files written here, for the cases PyTorch would not make ---- */

static char *tmp_dir;

typedef struct {
  const char *name;
  uint64_t rows, cols;  /* cols 0: a bias */
} Spec;

/* A file of F32 tensors, values i * 1e-3 (value is used when non-NaN at element 0). */
static char *
write_file (const char *file, const Spec *specs, size_t n, float first)
{
  RvSafetensor tensors[8];
  g_autoptr (GPtrArray) buffers = g_ptr_array_new_with_free_func (g_free);
  char *path = g_build_filename (tmp_dir, file, NULL);

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (tensors));
  for (size_t i = 0; i < n; i++)
    {
      size_t count = specs[i].rows * MAX (specs[i].cols, 1);
      float *data = g_new (float, count);

      for (size_t k = 0; k < count; k++)
        data[k] = (float) k * 1e-3f;
      if (i == 0)
        data[0] = first;
      g_ptr_array_add (buffers, data);
      memset (&tensors[i], 0, sizeof tensors[i]);
      tensors[i].name = specs[i].name;
      tensors[i].n_dims = specs[i].cols ? 2 : 1;
      tensors[i].shape[0] = specs[i].rows;
      tensors[i].shape[1] = specs[i].cols;
      tensors[i].data = data;
    }
  g_assert_true (rv_safetensors_write (path, tensors, n, NULL, NULL));
  return path;
}

/* A Ravine run config, as train writes one. */
static char *
config_text (const char *act, const char *hidden)
{
  return g_strdup_printf ("{\"format_version\": 1, \"act_fn\": {\"name\": \"%s\"}, \"input_size\": 784, "
                          "\"num_classes\": 10, \"hidden_sizes\": [%s], \"init\": \"kaiming\", "
                          "\"optimizer\": {\"name\": \"sgd\", \"lr\": 0.1}, \"seed\": 1, \"epochs\": 1, "
                          "\"batch_size\": 64}", act, hidden);
}

static void
test_written_cases (void)
{
  static const Spec mixed[] = { { "body.0.weight", 4, 784 }, { "body.0.bias", 4, 0 },
                                { "head.1.weight", 10, 4 }, { "head.1.bias", 10, 0 } };
  static const Spec unnumbered[] = { { "layers.0.weight", 4, 784 }, { "layers.0.bias", 4, 0 },
                                     { "head.weight", 10, 4 }, { "head.bias", 10, 0 } };
  static const Spec leading_zero[] = { { "layers.0.weight", 4, 784 }, { "layers.0.bias", 4, 0 },
                                       { "layers.02.weight", 10, 4 }, { "layers.02.bias", 10, 0 } };
  static const Spec lone_bias[] = { { "0.weight", 4, 784 }, { "0.bias", 4, 0 }, { "1.bias", 4, 0 },
                                    { "2.weight", 10, 4 }, { "2.bias", 10, 0 } };
  static const Spec bias_shape[] = { { "0.weight", 4, 784 }, { "0.bias", 5, 0 },
                                     { "2.weight", 10, 4 }, { "2.bias", 10, 0 } };
  static const Spec good[] = { { "fc1.weight", 4, 784 }, { "fc1.bias", 4, 0 },
                               { "fc2.weight", 10, 4 }, { "fc2.bias", 10, 0 } };
  struct { const char *file; const Spec *specs; size_t n; float first; const char *needles[2]; } cases[] = {
    { "mixed.safetensors", mixed, G_N_ELEMENTS (mixed), 0, { "does not belong with", "body.N.weight" } },
    { "unnumbered.safetensors", unnumbered, G_N_ELEMENTS (unnumbered), 0, { "tensor head.weight is not a Linear", NULL } },
    { "zero.safetensors", leading_zero, G_N_ELEMENTS (leading_zero), 0, { "tensor layers.02.weight is not", NULL } },
    { "lone.safetensors", lone_bias, G_N_ELEMENTS (lone_bias), 0, { "tensor 1.bias has no weight", "1.weight" } },
    { "bias.safetensors", bias_shape, G_N_ELEMENTS (bias_shape), 0, { "tensor 0.bias has shape [5]", "expected [4]" } },
    { "nan.safetensors", good, G_N_ELEMENTS (good), NAN, { "tensor fc1.weight holds NaN at element 0", NULL } },
    { "empty.safetensors", good, 0, 0, { "holds no tensors", NULL } },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (cases[i].file, cases[i].specs, cases[i].n, cases[i].first);
      assert_refused (path, cases[i].needles, 2);
      g_remove (path);
    }

  /* The same layers, well formed, load: what the cases above break is all
   * that is wrong with them. */
  g_autofree char *path = write_file ("good.safetensors", good, G_N_ELEMENTS (good), 0.5f);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvNet) net = rv_mlp_weights_load (path, RV_ACT_ELU, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->cfg.n_linear, ==, 2);
  g_assert_cmpuint (net->cfg.sizes[1], ==, 4);
  g_assert_cmpint (net->cfg.act, ==, RV_ACT_ELU);
  g_assert_cmpfloat (net->params[net->w_off[0]], ==, 0.5f);
  g_assert_cmpfloat (net->params[net->b_off[1] + 3], ==, 3e-3f);

  /* A config beside it that describes other layers is an error; a broken
   * one too; one that fits gives the activation. */
  g_autofree char *config = g_build_filename (tmp_dir, "good.config", NULL);
  g_autofree char *other = config_text ("tanh", "8");
  g_assert_true (g_file_set_contents (config, other, -1, NULL));
  g_clear_pointer (&net, rv_net_free);
  net = rv_mlp_weights_load (path, RV_ACT_ELU, NULL, &error);
  g_assert_null (net);
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "good.config: describes a 784-8-10 network"));
  g_assert_nonnull (strstr (error->message, "holds a 784-4-10 one"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (config, "{\"format_version\": 1}", -1, NULL));
  net = rv_mlp_weights_load (path, RV_ACT_ELU, NULL, &error);
  g_assert_null (net);
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "good.config"));
  g_clear_error (&error);

  g_autofree char *fits = config_text ("silu", "4");
  g_assert_true (g_file_set_contents (config, fits, -1, NULL));
  g_auto (RvMlpWeightsInfo) info = { 0 };
  net = rv_mlp_weights_load (path, RV_ACT_ELU, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpint (net->cfg.act, ==, RV_ACT_SILU);
  g_assert_cmpstr (info.config_path, ==, config);
  g_assert_cmpstr (info.prefix, ==, "fc");
  g_remove (config);
  g_remove (path);

  /* Not there: RV_ERROR_IO naming the file. */
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.safetensors", NULL);
  g_clear_pointer (&net, rv_net_free);
  net = rv_mlp_weights_load (missing, RV_ACT_RELU, NULL, &error);
  g_assert_null (net);
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.safetensors"));
}

/* ---- F16 and BF16 conversion, every bit pattern ---- */

/* A file holding one tensor "t" of the given dtype name and raw data. */
static RvSafetensors *
parse_one (const char *dtype, const void *raw, size_t bytes, size_t count, RvSafetensorsFlags flags, GError **error)
{
  g_autofree char *header = g_strdup_printf ("{\"t\": {\"dtype\": \"%s\", \"shape\": [%zu], \"data_offsets\": [0, %zu]}}",
                                             dtype, count, bytes);
  guint64 len = GUINT64_TO_LE (strlen (header));
  GByteArray *file = g_byte_array_new ();

  g_byte_array_append (file, (const guint8 *) &len, 8);
  g_byte_array_append (file, (const guint8 *) header, strlen (header));
  g_byte_array_append (file, raw, bytes);
  size_t size = file->len;
  return rv_safetensors_parse_take_full ((char *) g_byte_array_free (file, FALSE), size, "mem", flags, error);
}

/* The value a bit pattern stands for, by the formula of the format:
 * (-1)^s 2^(e - bias) (1 + m / 2^mbits), or 2^(1 - bias) m / 2^mbits when e = 0. */
static double
decode (guint32 bits, int ebits, int mbits)
{
  const guint32 s = bits >> (ebits + mbits), e = (bits >> mbits) & ((1u << ebits) - 1), m = bits & ((1u << mbits) - 1);
  const int bias = (1 << (ebits - 1)) - 1;
  double v;

  if (e == (1u << ebits) - 1)
    v = m ? NAN : INFINITY;
  else if (e == 0)
    v = ldexp ((double) m, 1 - bias - mbits);
  else
    v = ldexp (1.0 + ldexp ((double) m, -mbits), (int) e - bias);
  return s ? -v : v;
}

static void
test_half_conversion (void)
{
  g_autofree guint16 *raw = g_new (guint16, 65536);
  for (guint i = 0; i < 65536; i++)
    raw[i] = GUINT16_TO_LE ((guint16) i);

  const char *names[] = { "F16", "BF16" };
  const int ebits[] = { 5, 8 }, mbits[] = { 10, 7 };
  for (int d = 0; d < 2; d++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RvSafetensors) st = parse_one (names[d], raw, 2 * 65536, 65536, RV_SAFETENSORS_ACCEPT_HALF, &error);
      g_assert_no_error (error);
      const RvSafetensor *t = rv_safetensors_lookup (st, "t");
      g_assert_cmpint (t->dtype, ==, d == 0 ? RV_SAFETENSOR_F16 : RV_SAFETENSOR_BF16);
      for (guint i = 0; i < 65536; i++)
        {
          double want = decode (i, ebits[d], mbits[d]);
          if (isnan (want))
            g_assert_true (isnan (t->data[i]));
          else
            {
              g_assert_cmpfloat ((double) t->data[i], ==, want);
              g_assert_cmpint (!!signbit (t->data[i]), ==, !!signbit (want));
            }
        }

      /* Without the flag, the reader stays F32 only. */
      g_autoptr (RvSafetensors) strict = parse_one (names[d], raw, 2 * 65536, 65536, RV_SAFETENSORS_F32_ONLY, &error);
      g_assert_null (strict);
      g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
      g_assert_nonnull (strstr (error->message, "only F32 is supported"));
    }
}

/* An F32 tensor after an odd-length half one sits off a 4-byte boundary and
 * is still read right; a size that does not fit the dtype is refused. */
static void
test_mixed_alignment (void)
{
  const char *header = "{\"h\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [0, 6]}, "
                       "\"f\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [6, 14]}}";
  guint8 data[14];
  const guint16 h[3] = { GUINT16_TO_LE (0x3c00), GUINT16_TO_LE (0xc000), GUINT16_TO_LE (0x0001) };
  const float f[2] = { 1.5f, -2.25e-3f };
  guint64 len = GUINT64_TO_LE (strlen (header));
  GByteArray *file = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  memcpy (data, h, 6);
  memcpy (data + 6, f, 8);  /* a little-endian host, as the fixtures' writer */
  g_byte_array_append (file, (const guint8 *) &len, 8);
  g_byte_array_append (file, (const guint8 *) header, strlen (header));
  g_byte_array_append (file, data, sizeof data);
  size_t size = file->len;
  g_autoptr (RvSafetensors) st = rv_safetensors_parse_take_full ((char *) g_byte_array_free (file, FALSE), size, "mem",
                                                                 RV_SAFETENSORS_ACCEPT_HALF, &error);
  g_assert_no_error (error);
  const RvSafetensor *ht = rv_safetensors_lookup (st, "h"), *ft = rv_safetensors_lookup (st, "f");
  g_assert_cmpfloat (ht->data[0], ==, 1.0f);
  g_assert_cmpfloat (ht->data[1], ==, -2.0f);
  g_assert_cmpfloat (ht->data[2], ==, ldexpf (1.0f, -24));
  g_assert_cmpfloat (ft->data[0], ==, f[0]);
  g_assert_cmpfloat (ft->data[1], ==, f[1]);
  g_assert_cmpuint ((uintptr_t) ft->data % G_ALIGNOF (float), ==, 0);

  guint16 raw[4] = { 0 };
  g_autoptr (RvSafetensors) wrong = parse_one ("BF16", raw, 8, 3, RV_SAFETENSORS_ACCEPT_HALF, &error);
  g_assert_null (wrong);
  g_assert_nonnull (strstr (error->message, "(6 bytes of BF16)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_autofree char *ref_path = fixture ("reference.json");
  g_autoptr (GError) error = NULL;
  reference_parser = json_parser_new ();
  if (!json_parser_load_from_file (reference_parser, ref_path, &error))
    g_error ("%s", error->message);
  reference = json_object_get_object_member (json_node_get_object (json_parser_get_root (reference_parser)), "models");
  tmp_dir = g_dir_make_tmp ("ravine-mlp-weights-XXXXXX", NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *load = g_strdup_printf ("/mlp-weights/load/%s", fixtures[i].file);
      g_autofree char *probe = g_strdup_printf ("/mlp-weights/probe-matches-pytorch/%s", fixtures[i].file);
      g_test_add_data_func (load, &fixtures[i], test_loads);
      g_test_add_data_func (probe, &fixtures[i], test_probe_matches_pytorch);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mlp-weights/refused/%s", bad_files[i].file);
      g_test_add_data_func (path, &bad_files[i], test_bad_file);
    }
  g_test_add_func ("/mlp-weights/refused/written", test_written_cases);
  g_test_add_func ("/mlp-weights/half-conversion", test_half_conversion);
  g_test_add_func ("/mlp-weights/mixed-alignment", test_mixed_alignment);

  int status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_object_unref (reference_parser);
  return status;
}
