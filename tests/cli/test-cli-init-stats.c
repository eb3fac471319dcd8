/* test-cli-init-stats.c: `ravine-cli init-stats` end to end: its JSON equals
 * the core's figures, bad arguments exit 2 with one line, data errors exit 1. */
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cli-run.h"
#include "rv-probe.h"

static const char *cli_path;

static CliRun
run_cli (const char *first, ...)
{
  const char *args[16] = { "init-stats" };
  int n = 1;
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a && n < 15; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  args[n] = NULL;
  return cli_runv (cli_path, args);
}

static void
expect_usage_error (const char *needle, const char *first, ...)
{
  /* one option and its value at most: enough for every case below */
  va_list ap;
  va_start (ap, first);
  const char *second = va_arg (ap, const char *);
  va_end (ap);
  CliRun r = second ? run_cli (first, second, NULL) : run_cli (first, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, needle));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (long) strlen (r.err) - 1); /* one line */
  cli_run_clear (&r);
}

static void
test_bad_arguments (void)
{
  expect_usage_error ("swish", "--act", "swish", NULL);
  expect_usage_error ("const", "--init", "const", NULL);
  expect_usage_error ("unknown initializer", "--init", "he", NULL);
  expect_usage_error ("abc", "--hidden", "512,abc", NULL);
  expect_usage_error ("--batch", "--batch", "0", NULL);
  expect_usage_error ("--batch", "--batch", "1e3", NULL);
  expect_usage_error ("--bins", "--bins", "-4", NULL);
  expect_usage_error ("head or split", "--probe", "middle", NULL);
  expect_usage_error ("unexpected argument", "extra", NULL);
  expect_usage_error ("--frobnicate", "--frobnicate", NULL);
  /* Each width is allowed, their product is not: refused before allocating. */
  expect_usage_error ("would need", "--hidden", "65536,65536", NULL);
  expect_usage_error ("784-65536-65536-10", "--hidden", "65536,65536", NULL);
}

/* stdout that cannot be written (a full disk) is an error, text or JSON. */
static void
test_stdout_full (void)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  const char *variants[] = { "--synthetic", "--json" };
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      CliRun r = cli_run ("/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", cli_path, "init-stats", "--synthetic",
                          "--hidden", "32,16", "--batch", "64", variants[i], NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, "writing the output failed"));
      cli_run_clear (&r);
    }
}

static void
test_data_errors (void)
{
  CliRun r = run_cli ("--data", "/nonexistent/fmnist", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/fmnist"));
  cli_run_clear (&r);

  /* a folder whose training labels are garbage */
  g_autofree char *dir = g_dir_make_tmp ("ravine-cli-XXXXXX", NULL);
  const char *names[] = { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_assert_true (g_file_set_contents (path, "\x1f\x8b garbage", -1, NULL));
    }
  r = run_cli ("--data", dir, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "train-images-idx3-ubyte.gz"));
  cli_run_clear (&r);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

/* The printed variances are exactly the core's (JSON doubles round-trip). */
static void
compare_with_core (JsonObject *root, const RvProbeConfig *cfg, const RvDataset *ds)
{
  RvProbeResult res;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_probe_run (cfg, ds, &res, &error));
  JsonObject *act = json_object_get_object_member (root, "activation_variance");
  JsonObject *grad = json_object_get_object_member (root, "gradient_variance");
  JsonObject *weight = json_object_get_object_member (root, "weight_variance");
  g_assert_cmpuint (json_object_get_size (act), ==, res.n_linear);
  for (uint32_t l = 0; l < res.n_linear; l++)
    {
      g_autofree char *a = rv_probe_activation_name (l);
      g_autofree char *w = rv_probe_weight_name (l);
      g_assert_cmpfloat (json_object_get_double_member (act, a), ==, res.activation[l].variance);
      g_assert_cmpfloat (json_object_get_double_member (grad, w), ==, res.gradient[l].variance);
      g_assert_cmpfloat (json_object_get_double_member (weight, w), ==, res.weight[l].variance);
    }
  g_assert_cmpfloat (json_object_get_double_member (root, "loss"), ==, res.loss);
  JsonArray *layers = json_object_get_array_member (root, "layers");
  JsonObject *h = json_object_get_object_member (json_object_get_object_member (
                    json_array_get_object_element (layers, 0), "activation"), "histogram");
  JsonArray *counts = json_object_get_array_member (h, "counts");
  g_assert_cmpuint (json_array_get_length (counts), ==, cfg->bins);
  guint64 total = 0;
  for (guint i = 0; i < cfg->bins; i++)
    {
      g_assert_cmpint (json_array_get_int_element (counts, i), ==, (gint64) res.activation[0].counts[i]);
      total += json_array_get_int_element (counts, i);
    }
  g_assert_cmpuint (total, ==, (guint64) cfg->batch * res.fan_out[0]);
  rv_probe_result_clear (&res);
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
test_json_synthetic (void)
{
  CliRun r = run_cli ("--synthetic", "--act", "tanh", "--init", "xavier", "--hidden", "64,32", "--batch", "200",
                   "--bins", "20", "--seed", "7", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = parse_root (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (root, "data"), ==, "synthetic");

  RvProbeConfig cfg;
  rv_probe_config_init_default (&cfg);
  g_assert_true (rv_net_config_parse_hidden (&cfg.net, "64,32", NULL));
  cfg.net.act = RV_ACT_TANH;
  cfg.init.kind = RV_INIT_XAVIER;
  cfg.batch = 200;
  cfg.bins = 20;
  cfg.seed = 7;
  g_autoptr (RvDataset) ds = rv_dataset_new_synthetic (60000, 10000, 7);
  compare_with_core (root, &cfg, ds);
  cli_run_clear (&r);
}

static void
test_json_real (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("FashionMNIST not found: set RAVINE_TEST_DATA_DIR");
      return;
    }
  CliRun r = run_cli ("--data", dir, "--act", "relu", "--init", "kaiming", "--probe", "split", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = parse_root (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (root, "data"), ==, "fashion-mnist");

  RvProbeConfig cfg;
  rv_probe_config_init_default (&cfg);
  cfg.source = RV_PROBE_SPLIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, cfg.seed, &error);
  g_assert_no_error (error);
  compare_with_core (root, &cfg, ds);
  cli_run_clear (&r);

  /* the plain table names every layer with its shape */
  r = run_cli ("--data", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Layer 0 (784 -> 512)"));
  g_assert_nonnull (strstr (r.out, "Layer 8 (128 -> 10)"));
  cli_run_clear (&r);
}

/* A member of a post-activation object: the core's figure, or null where
 * it is NaN (not applicable). */
static void
assert_figure (JsonObject *object, const char *name, double want)
{
  g_assert_true (json_object_has_member (object, name));
  if (isnan (want))
    g_assert_true (json_object_get_null_member (object, name));
  else
    g_assert_cmpfloat (json_object_get_double_member (object, name), ==, want);
}

/* post_activation_variance, saturated_fraction and dead_fraction: one
 * member per hidden layer ("Layer 1", "Layer 3", ...), null where the
 * activation has no such fraction; each hidden layer's entry has its f(z)
 * histogram, the logits' none.  The plain table has a column for the
 * fraction that applies. */
static void
test_post_activation (void)
{
  const RvActivation acts[] = { RV_ACT_RELU, RV_ACT_TANH, RV_ACT_SIGMOID, RV_ACT_GELU };
  g_autoptr (RvDataset) ds = rv_dataset_new_synthetic (60000, 10000, 42);
  for (gsize i = 0; i < G_N_ELEMENTS (acts); i++)
    {
      const char *act = rv_activation_name (acts[i]);
      CliRun r = run_cli ("--synthetic", "--act", act, "--init", "xavier", "--hidden", "64,32,16", "--batch", "200",
                          "--bins", "20", "--json", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_autoptr (JsonParser) parser = NULL;
      JsonObject *root = parse_root (r.out, &parser);

      RvProbeConfig cfg;
      rv_probe_config_init_default (&cfg);
      g_assert_true (rv_net_config_parse_hidden (&cfg.net, "64,32,16", NULL));
      cfg.net.act = acts[i];
      cfg.init.kind = RV_INIT_XAVIER;
      cfg.batch = 200;
      cfg.bins = 20;
      RvProbeResult res;
      g_assert_true (rv_probe_run (&cfg, ds, &res, NULL));
      g_assert_cmpuint (res.n_linear, ==, 4);

      JsonObject *variance = json_object_get_object_member (root, "post_activation_variance");
      JsonObject *saturated = json_object_get_object_member (root, "saturated_fraction");
      JsonObject *dead = json_object_get_object_member (root, "dead_fraction");
      g_assert_cmpuint (json_object_get_size (variance), ==, 3);
      g_assert_cmpuint (json_object_get_size (saturated), ==, 3);
      g_assert_cmpuint (json_object_get_size (dead), ==, 3);
      JsonArray *layers = json_object_get_array_member (root, "layers");
      for (uint32_t l = 0; l < res.n_linear; l++)
        {
          JsonObject *layer = json_array_get_object_element (layers, l);
          g_autofree char *name = g_strdup_printf ("Layer %u", 2 * l + 1);
          if (l + 1 == res.n_linear)
            {
              g_assert_false (json_object_has_member (variance, name));
              g_assert_false (json_object_has_member (layer, "post_activation"));
              continue;
            }
          g_assert_cmpfloat (json_object_get_double_member (variance, name), ==, res.post_activation[l].variance);
          gboolean saturates = acts[i] == RV_ACT_TANH || acts[i] == RV_ACT_SIGMOID;
          g_assert_cmpint (isnan (res.saturated_fraction[l]), ==, !saturates);
          g_assert_cmpint (isnan (res.dead_fraction[l]), ==, acts[i] != RV_ACT_RELU);
          assert_figure (saturated, name, res.saturated_fraction[l]);
          assert_figure (dead, name, res.dead_fraction[l]);
          assert_figure (layer, "saturated_fraction", res.saturated_fraction[l]);
          assert_figure (layer, "dead_fraction", res.dead_fraction[l]);
          g_assert_cmpstr (json_object_get_string_member (layer, "post_activation_name"), ==, name);
          JsonObject *post = json_object_get_object_member (layer, "post_activation");
          g_assert_cmpint (json_object_get_int_member (post, "n"), ==, 200 * (gint64) res.fan_out[l]);
          JsonArray *counts = json_object_get_array_member (json_object_get_object_member (post, "histogram"),
                                                            "counts");
          g_assert_cmpuint (json_array_get_length (counts), ==, 20);
          for (guint b = 0; b < 20; b++)
            g_assert_cmpint (json_array_get_int_element (counts, b), ==, (gint64) res.post_activation[l].counts[b]);
        }
      rv_probe_result_clear (&res);
      cli_run_clear (&r);

      r = run_cli ("--synthetic", "--act", act, "--hidden", "64,32,16", "--batch", "200", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "f(z) var"));
      g_assert_cmpint (strstr (r.out, "saturated") != NULL, ==, acts[i] == RV_ACT_TANH || acts[i] == RV_ACT_SIGMOID);
      g_assert_cmpint (strstr (r.out, "dead units") != NULL, ==, acts[i] == RV_ACT_RELU);
      cli_run_clear (&r);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-TO-RAVINE-CLI", argv[0]);
  cli_path = argv[1];
  g_test_add_func ("/cli/init-stats/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/init-stats/data-errors", test_data_errors);
  g_test_add_func ("/cli/init-stats/stdout-full", test_stdout_full);
  g_test_add_func ("/cli/init-stats/json-synthetic", test_json_synthetic);
  g_test_add_func ("/cli/init-stats/json-real", test_json_real);
  g_test_add_func ("/cli/init-stats/post-activation", test_post_activation);
  return g_test_run ();
}
