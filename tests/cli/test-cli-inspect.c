/* test-cli-inspect.c: `ravine-cli inspect` end to end on the PyTorch-written
 * fixtures (tests/fixtures/weights): its JSON gives PyTorch's per-layer
 * figures and equals the core's, malformed files exit 1 naming the tensor,
 * bad arguments exit 2 with one line. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cli-run.h"
#include "rv-mlp-weights.h"
#include "rv-probe.h"

static const char *cli_path;
static JsonObject *reference;
static JsonParser *reference_parser;

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "weights", name, NULL);
}

/* The real FashionMNIST, whose first 64 training images the fixtures'
 * figures come from; NULL, with the test skipped, when it is absent. */
static const char *
shared_data (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("FashionMNIST not found: set RAVINE_TEST_DATA_DIR");
      return NULL;
    }
  return dir;
}

static CliRun
run_inspect (const char *first, ...)
{
  const char *args[20] = { "inspect" };
  int n = 1;
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a && n < 19; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  args[n] = NULL;
  return cli_runv (cli_path, args);
}

static void
assert_one_line (const char *err)
{
  g_assert_cmpint (strchr (err, '\n') - err, ==, (long) strlen (err) - 1);
}

static JsonObject *
parse_root (const char *text, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*parser, text, -1, &error));
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
assert_close (double have, double want, double rel, const char *what)
{
  if (!(fabs (have - want) <= rel * fabs (want)))
    g_error ("%s: %.10g, but PyTorch's is %.10g (tolerance %g relative)", what, have, want, rel);
}

typedef struct {
  const char *file;
  const char *act;    /* --act, or NULL */
} Fixture;

static const Fixture fixtures[] = {
  { "tutorial-f32", NULL },
  { "sequential-f16", "gelu" },   /* its config says tanh, and wins */
  { "fc-bf16", "sigmoid" },
};

/* The JSON's figures are PyTorch's (to 1e-4) and exactly the core's. */
static void
test_matches (gconstpointer data)
{
  const Fixture *f = data;
  g_autofree char *name = g_strconcat (f->file, ".safetensors", NULL);
  g_autofree char *path = fixture (name);
  const char *dir = shared_data ();
  if (dir == NULL)
    return;
  CliRun r = f->act ? run_inspect ("--weights", path, "--data", dir, "--batch", "64", "--bins", "20", "--act", f->act,
                                   "--json", NULL)
                    : run_inspect ("--weights", path, "--data", dir, "--batch", "64", "--bins", "20", "--json", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = parse_root (r.out, &parser);
  JsonObject *ref = json_object_get_object_member (reference, f->file);

  g_autofree char *shown = g_filename_display_name (path);
  g_assert_cmpstr (json_object_get_string_member (root, "weights"), ==, shown);
  g_assert_false (json_object_has_member (root, "init"));
  g_assert_cmpstr (json_object_get_string_member (root, "act_fn"), ==, json_object_get_string_member (ref, "act"));
  JsonArray *hidden = json_object_get_array_member (root, "hidden_sizes");
  JsonArray *want_hidden = json_object_get_array_member (ref, "hidden_sizes");
  g_assert_cmpuint (json_array_get_length (hidden), ==, json_array_get_length (want_hidden));
  for (guint i = 0; i < json_array_get_length (hidden); i++)
    g_assert_cmpint (json_array_get_int_element (hidden, i), ==, json_array_get_int_element (want_hidden, i));
  assert_close (json_object_get_double_member (root, "loss"), json_object_get_double_member (ref, "loss"), 1e-5, "loss");
  g_assert_cmpfloat (json_object_get_double_member (root, "accuracy"), ==, json_object_get_double_member (ref, "accuracy"));

  /* PyTorch's per-layer variances, layer by layer under Ravine's names. */
  const char *kinds[] = { "activation_variance", "gradient_variance", "weight_variance" };
  for (int k = 0; k < 3; k++)
    {
      JsonObject *have = json_object_get_object_member (root, kinds[k]);
      JsonArray *want = json_object_get_array_member (ref, kinds[k]);
      g_assert_cmpuint (json_object_get_size (have), ==, json_array_get_length (want));
      for (guint l = 0; l < json_array_get_length (want); l++)
        {
          g_autofree char *key = k == 0 ? rv_probe_activation_name (l) : rv_probe_weight_name (l);
          g_autofree char *what = g_strdup_printf ("%s %s %s", f->file, kinds[k], key);
          assert_close (json_object_get_double_member (have, key), json_array_get_double_element (want, l), 1e-4, what);
        }
    }

  /* And the core's own figures, to the bit (JSON doubles round-trip). */
  g_autoptr (GError) error = NULL;
  RvActivation act = RV_ACT_RELU;
  g_assert_true (f->act == NULL || rv_activation_from_name (f->act, &act));
  g_autoptr (RvNet) net = rv_mlp_weights_load (path, act, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 42, &error);
  g_assert_no_error (error);
  RvProbeConfig cfg;
  RvProbeResult res;
  rv_probe_config_init_default (&cfg);
  cfg.net = net->cfg;
  cfg.batch = 64;
  cfg.bins = 20;
  g_assert_true (rv_probe_run_net (net, &cfg, ds, &res, &error));
  JsonArray *layers = json_object_get_array_member (root, "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, res.n_linear);
  for (uint32_t l = 0; l < res.n_linear; l++)
    {
      JsonObject *layer = json_array_get_object_element (layers, l);
      JsonObject *a = json_object_get_object_member (layer, "activation");
      JsonArray *counts = json_object_get_array_member (json_object_get_object_member (a, "histogram"), "counts");
      g_assert_cmpfloat (json_object_get_double_member (a, "variance"), ==, res.activation[l].variance);
      g_assert_cmpuint (json_array_get_length (counts), ==, 20);
      for (guint i = 0; i < 20; i++)
        g_assert_cmpint (json_array_get_int_element (counts, i), ==, (gint64) res.activation[l].counts[i]);
    }
  rv_probe_result_clear (&res);
  cli_run_clear (&r);
}

typedef struct {
  const char *file;
  const char *needle;
} BadFile;

static const BadFile bad_files[] = {
  { "conv", "tensor 0.weight has shape [2, 1, 5, 5]" },
  { "broken-chain", "tensor 2.weight has shape [10, 3]: expected [10, 2]" },
  { "missing-bias", "tensor 2.weight has no bias" },
  { "int8", "tensor 2.weight has dtype I8" },
  { "wrong-input", "expected 784 inputs" },
  { "wrong-output", "expected 10 outputs" },
};

/* A file that is no MLP checkpoint fails the work (1), before any data is
 * read (the --data folder does not exist), in one line. */
static void
test_bad_files (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad/%s.safetensors", bad_files[i].file);
      g_autofree char *path = fixture (name);
      CliRun r = run_inspect ("--weights", path, "--data", "/nonexistent/fmnist", NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, bad_files[i].needle));
      g_assert_nonnull (strstr (r.err, name));
      assert_one_line (r.err);
      cli_run_clear (&r);
    }

  CliRun r = run_inspect ("--weights", "/nonexistent/model.safetensors", "--synthetic", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/model.safetensors"));
  cli_run_clear (&r);
}

static void
expect_usage_error (const char *needle, const char *option, const char *value)
{
  g_autofree char *path = fixture ("tutorial-f32.safetensors");
  CliRun r = value ? run_inspect ("--weights", path, "--synthetic", option, value, NULL)
                   : option ? run_inspect ("--weights", path, "--synthetic", option, NULL)
                            : run_inspect ("--synthetic", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, needle));
  assert_one_line (r.err);
  cli_run_clear (&r);
}

static void
test_bad_arguments (void)
{
  expect_usage_error ("--weights FILE is required", NULL, NULL);
  expect_usage_error ("swish", "--act", "swish");
  expect_usage_error ("--batch", "--batch", "0");
  expect_usage_error ("--bins", "--bins", "-4");
  expect_usage_error ("head or split", "--probe", "middle");
  expect_usage_error ("unexpected argument", "extra", NULL);
  expect_usage_error ("--init", "--init", "kaiming");
  /* more images than the data set holds */
  const char *dir = shared_data ();
  if (dir == NULL)
    return;
  g_autofree char *path = fixture ("tutorial-f32.safetensors");
  CliRun r = run_inspect ("--weights", path, "--data", dir, "--probe", "split", "--batch", "55000", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "probe batch of 55000 images"));
  cli_run_clear (&r);
}

/* The table names the file, its dtype, where the activation came from, and
 * every layer with its shape. */
static void
test_table (void)
{
  const char *dir = shared_data ();
  if (dir == NULL)
    return;
  g_autofree char *path = fixture ("sequential-f16.safetensors");
  CliRun r = run_inspect ("--weights", path, "--data", dir, "--batch", "64", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "network 784-8-10 from "));
  g_assert_nonnull (strstr (r.out, "(F16), tanh (from "));
  g_assert_nonnull (strstr (r.out, "sequential-f16.config)"));
  g_assert_nonnull (strstr (r.out, "Layer 0 (784 -> 8)"));
  g_assert_nonnull (strstr (r.out, "Layer 2 (8 -> 10)"));
  g_assert_nonnull (strstr (r.out, "accuracy"));
  cli_run_clear (&r);
}

/* On the real FashionMNIST (skipped without it), the shuffled split and the
 * default batch: the command's figures are the core's. */
static void
test_real_data (void)
{
  const char *dir = shared_data ();
  if (dir == NULL)
    return;
  g_autofree char *path = fixture ("tutorial-f32.safetensors");
  CliRun r = run_inspect ("--weights", path, "--data", dir, "--probe", "split", "--seed", "7", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = parse_root (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (root, "data"), ==, "fashion-mnist");
  g_assert_cmpint (json_object_get_int_member (root, "batch"), ==, 1024);

  g_autoptr (GError) error = NULL;
  g_autoptr (RvNet) net = rv_mlp_weights_load (path, RV_ACT_RELU, NULL, &error);
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 7, &error);
  g_assert_no_error (error);
  RvProbeConfig cfg;
  RvProbeResult res;
  rv_probe_config_init_default (&cfg);
  cfg.net = net->cfg;
  cfg.seed = 7;
  cfg.source = RV_PROBE_SPLIT;
  g_assert_true (rv_probe_run_net (net, &cfg, ds, &res, &error));
  JsonObject *act = json_object_get_object_member (root, "activation_variance");
  JsonObject *grad = json_object_get_object_member (root, "gradient_variance");
  for (uint32_t l = 0; l < res.n_linear; l++)
    {
      g_autofree char *a = rv_probe_activation_name (l);
      g_autofree char *w = rv_probe_weight_name (l);
      g_assert_cmpfloat (json_object_get_double_member (act, a), ==, res.activation[l].variance);
      g_assert_cmpfloat (json_object_get_double_member (grad, w), ==, res.gradient[l].variance);
    }
  g_assert_cmpfloat (json_object_get_double_member (root, "accuracy"), ==, (double) res.correct / res.batch);
  rv_probe_result_clear (&res);
  cli_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-TO-RAVINE-CLI", argv[0]);
  cli_path = argv[1];

  g_autofree char *ref_path = fixture ("reference.json");
  g_autoptr (GError) error = NULL;
  reference_parser = json_parser_new ();
  if (!json_parser_load_from_file (reference_parser, ref_path, &error))
    g_error ("%s", error->message);
  reference = json_object_get_object_member (json_node_get_object (json_parser_get_root (reference_parser)), "models");

  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/inspect/matches-pytorch/%s", fixtures[i].file);
      g_test_add_data_func (name, &fixtures[i], test_matches);
    }
  g_test_add_func ("/cli/inspect/bad-files", test_bad_files);
  g_test_add_func ("/cli/inspect/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/inspect/table", test_table);
  g_test_add_func ("/cli/inspect/real-data", test_real_data);
  int status = g_test_run ();
  g_object_unref (reference_parser);
  return status;
}
