/* test-cli-geometry-weights.c: `ravine-cli landscape --weights` and
 * `sharpness --weights` on the PyTorch-written fixtures
 * (tests/fixtures/weights) and their 64 probe images, the first of the real
 * FashionMNIST training file (skipped without it): the landscape's
 * centre is the loss `inspect` reports at those weights; its directions
 * carry the file's own tensor names and shapes, checked by evaluating a
 * cell here with the core; the file lands beside the weights or at
 * --out-file; the bad combinations exit 2 with the reason. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cli-run.h"
#include "rv-checkpoint.h"
#include "rv-dataset.h"
#include "rv-mlp-weights.h"
#include "rv-net.h"
#include "rv-safetensors.h"

#define IMAGES 64   /* the fixtures' probe batch: the first 64 training images */

static const char *cli;
static char *tmp_dir;
static const char *data_dir;
static RvDataset *data;

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "weights", name, NULL);
}

static JsonObject *
parse (const char *text, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  return json_node_get_object (json_parser_get_root (*parser));
}

/* A copy of fixture FILE.safetensors (and its .config) in the temporary
 * folder, so that the landscape written beside it stays out of the source
 * tree. */
static char *
copy_fixture (const char *file)
{
  g_autoptr (GError) error = NULL;
  const char *exts[] = { ".safetensors", ".config" };
  for (int e = 0; e < 2; e++)
    {
      g_autofree char *name = g_strconcat (file, exts[e], NULL);
      g_autofree char *from = fixture (name);
      g_autofree char *to = g_build_filename (tmp_dir, name, NULL);
      g_autofree char *bytes = NULL;
      gsize len;
      if (!g_file_get_contents (from, &bytes, &len, NULL))
        continue;  /* no config beside it */
      g_assert_true (g_file_set_contents (to, bytes, len, &error));
    }
  g_autofree char *name = g_strconcat (file, ".safetensors", NULL);
  return g_build_filename (tmp_dir, name, NULL);
}

/* The mean loss of the IMAGES training images at params. */
static double
loss_at (RvNet *net, const float *params)
{
  g_autofree float *x = g_new (float, (size_t) IMAGES * RV_IMAGE_PIXELS);
  uint8_t labels[IMAGES];
  uint32_t rows[IMAGES];
  for (uint32_t i = 0; i < IMAGES; i++)
    rows[i] = i;
  rv_dataset_gather (data->train_full, rows, IMAGES, x, labels);
  memcpy (net->params, params, net->n_params * sizeof (float));
  return rv_net_loss (net, x, labels, IMAGES, FALSE, NULL);
}

/* inspect's cross-entropy at the file's weights on the same images. */
static double
inspect_loss (const char *weights, const char *act)
{
  CliRun r = act ? cli_run (cli, "inspect", "--weights", weights, "--data", data_dir, "--batch", "64", "--act", act,
                            "--json", NULL)
                 : cli_run (cli, "inspect", "--weights", weights, "--data", data_dir, "--batch", "64", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  double loss = json_object_get_double_member (parse (r.out, &parser), "loss");
  cli_run_clear (&r);
  return loss;
}

typedef struct {
  const char *file;
  const char *act;        /* --act, or NULL */
  RvActivation fallback;  /* what --act means */
  gboolean out_file;      /* save with --out-file rather than beside */
} Case;

static const Case cases[] = {
  { "tutorial-f32", NULL, RV_ACT_RELU, FALSE },
  { "sequential-f16", "gelu", RV_ACT_GELU, FALSE },  /* its config says tanh, and wins */
  { "fc-bf16", "sigmoid", RV_ACT_SIGMOID, TRUE },
};

static void
test_landscape (gconstpointer user_data)
{
  const Case *c = user_data;
  g_autofree char *weights = copy_fixture (c->file);
  g_autofree char *want_file = NULL;
  if (c->out_file)
    want_file = g_build_filename (tmp_dir, "elsewhere.safetensors", NULL);
  else
    {
      g_autofree char *name = g_strconcat (c->file, "_landscape.safetensors", NULL);
      want_file = g_build_filename (tmp_dir, name, NULL);
    }
  g_remove (want_file);

  const char *args[24] = { "landscape", "--weights", weights, "--data", data_dir, "--images", "64",
                           "--grid", "5", "--span", "0.6", "--json" };
  int n = 12;
  if (c->act)
    {
      args[n++] = "--act";
      args[n++] = c->act;
    }
  if (c->out_file)
    {
      args[n++] = "--out-file";
      args[n++] = want_file;
    }
  args[n] = NULL;
  CliRun r = cli_runv (cli, args);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = parse (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, c->file);
  g_assert_cmpstr (json_object_get_string_member (o, "directions"), ==, "random");
  g_assert_true (g_file_test (want_file, G_FILE_TEST_IS_REGULAR));
  cli_run_clear (&r);

  g_autoptr (GError) error = NULL;
  g_auto (RvMlpWeightsInfo) info = { 0 };
  g_autoptr (RvNet) net = rv_mlp_weights_load (weights, c->fallback, &info, &error);
  g_assert_no_error (error);
  g_autoptr (RvSafetensors) st = rv_safetensors_read (want_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), "ravine.weights"), ==, c->file);
  /* alpha, beta, loss and two directions of the file's tensors. */
  g_assert_cmpuint (rv_safetensors_get_n_tensors (st), ==, 3 + 2 * 2 * net->cfg.n_linear);
  const float *alpha = rv_safetensors_lookup (st, "alpha")->data;
  const float *beta = rv_safetensors_lookup (st, "beta")->data;
  const float *loss = rv_safetensors_lookup (st, "loss")->data;

  /* The centre is the file's weights: inspect's loss there (a second method). */
  double at_weights = inspect_loss (weights, c->act);
  g_assert_cmpfloat_with_epsilon (loss[2 * 5 + 2], at_weights, 1e-5 * at_weights);

  /* Each direction tensor under the file's own name, with its shape. */
  const size_t d = net->n_params;
  g_autofree float *theta = g_memdup2 (net->params, d * sizeof (float));
  g_autofree float *dir[2] = { g_new (float, d), g_new (float, d) };
  g_autofree float *point = g_new (float, d);
  g_autoptr (RvSafetensors) source = rv_checkpoint_read_file (weights, RV_CHECKPOINT_MAX_PARAMS, RV_SAFETENSORS_ACCEPT_HALF, &error);
  g_assert_no_error (error);
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < rv_safetensors_get_n_tensors (source); i++)
      {
        const RvSafetensor *s = rv_safetensors_get_tensor (source, i);
        g_autofree char *name = g_strdup_printf ("%c.%s", "xy"[k], s->name);
        const RvSafetensor *t = rv_safetensors_lookup (st, name);
        if (t == NULL)
          g_error ("%s has no tensor %s", want_file, name);
        g_assert_cmpuint (t->n_dims, ==, s->n_dims);
        for (uint32_t a = 0; a < s->n_dims; a++)
          g_assert_cmpuint (t->shape[a], ==, s->shape[a]);
      }
  for (int k = 0; k < 2; k++)
    for (uint32_t l = 0; l < net->cfg.n_linear; l++)
      for (int bias = 0; bias < 2; bias++)
        {
          g_autofree char *own = rv_mlp_weights_tensor_name (&info, l, bias);
          g_autofree char *name = g_strdup_printf ("%c.%s", "xy"[k], own);
          const RvSafetensor *t = rv_safetensors_lookup (st, name);
          memcpy (dir[k] + (bias ? net->b_off[l] : net->w_off[l]), t->data,
                  rv_safetensor_n_elements (t) * sizeof (float));
        }

  /* An off-centre cell, row i at beta[i], column j at alpha[j]. */
  g_assert_cmpfloat_with_epsilon (loss_at (net, theta), at_weights, 1e-5 * at_weights);
  const int i = 0, j = 3;
  for (size_t k = 0; k < d; k++)
    point[k] = (float) ((double) theta[k] + (double) alpha[j] * dir[0][k] + (double) beta[i] * dir[1][k]);
  double want = loss_at (net, point);
  g_assert_cmpfloat_with_epsilon (loss[i * 5 + j], want, 1e-5 * want);
}

static void
test_sharpness (void)
{
  g_autofree char *weights = fixture ("tutorial-f32.safetensors");
  CliRun r = cli_run (cli, "sharpness", "--weights", weights, "--data", data_dir, "--images", "64", "--json", NULL);
  CliRun r2 = cli_run (cli, "sharpness", "--weights", weights, "--data", data_dir, "--images", "64", "--seed", "2",
                       "--json", NULL);
  CliRun text = cli_run (cli, "sharpness", "--weights", weights, "--data", data_dir, "--images", "64", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_cmpint (text.status, ==, 0);
  g_autoptr (JsonParser) p1 = NULL, p2 = NULL;
  JsonObject *o = parse (r.out, &p1), *o2 = parse (r2.out, &p2);
  g_assert_cmpuint (json_object_get_size (o), ==, 3);
  g_assert_true (json_object_has_member (o, "top_eigenvalue"));
  g_assert_true (json_object_has_member (o, "iterations"));
  g_assert_true (json_object_has_member (o, "relative_change"));
  double lambda = json_object_get_double_member (o, "top_eigenvalue");
  g_assert_cmpfloat (lambda, >, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "relative_change"), <=, 1e-4);
  /* Another start, the same eigenvalue. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o2, "top_eigenvalue"), lambda, 1e-3 * lambda);
  g_assert_true (g_str_has_prefix (text.out, "tutorial-f32: top Hessian eigenvalue "));
  cli_run_clear (&r);
  cli_run_clear (&r2);
  cli_run_clear (&text);
}

static void
expect_status (int status, const char *needle, const char *first, ...)
{
  va_list ap;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  CliRun r = cli_runv (cli, (const char *const *) args->pdata);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, status);
  g_assert_cmpstr (r.out, ==, "");
  if (strstr (r.err, needle) == NULL)
    g_error ("expected \"%s\" in: %s", needle, r.err);
  cli_run_clear (&r);
}

static void
test_bad_input (void)
{
  g_autofree char *weights = copy_fixture ("tutorial-f32");
  g_autofree char *landscape = g_build_filename (tmp_dir, "tutorial-f32_landscape.safetensors", NULL);
  g_remove (landscape);
  const char *commands[] = { "landscape", "sharpness" };
  for (int c = 0; c < 2; c++)
    {
      const char *cmd = commands[c];
      expect_status (2, "--weights FILE takes the place of --out and --name", cmd, "--weights", weights, "--out",
                     tmp_dir, "--name", "G", "--data", data_dir, "--images", "64", NULL);
      expect_status (2, "--weights FILE takes the place of --out and --name", cmd, "--weights", weights, "--name",
                     "G", "--data", data_dir, "--images", "64", NULL);
      expect_status (2, "either --out DIR and --name NAME", cmd, "--data", data_dir, NULL);
      expect_status (2, "unknown activation \"swish\"", cmd, "--weights", weights, "--act", "swish", "--data",
                     data_dir, "--images", "64", NULL);
      expect_status (2, "--act is for --weights", cmd, "--out", tmp_dir, "--name", "G", "--act", "relu", NULL);
      expect_status (2, "--images", cmd, "--weights", weights, "--data", data_dir, "--images", "60001", NULL);
      /* Not an MLP: the work fails (1), naming the file and the tensor. */
      g_autofree char *conv = fixture ("bad/conv.safetensors");
      expect_status (1, "tensor 0.weight has shape [2, 1, 5, 5]", cmd, "--weights", conv, "--data", data_dir,
                     "--images", "64", NULL);
      expect_status (1, "conv.safetensors", cmd, "--weights", conv, "--data", data_dir, "--images", "64", NULL);
      expect_status (1, "/nonexistent/model.safetensors", cmd, "--weights", "/nonexistent/model.safetensors",
                     "--synthetic", NULL);
    }
  expect_status (2, "use --directions random with --weights", "landscape", "--weights", weights, "--directions",
                 "pca", "--data", data_dir, "--images", "64", NULL);
  expect_status (2, "--out-file needs a path", "landscape", "--weights", weights, "--out-file", "", NULL);
  /* --out-file may not replace what the landscape is computed from. */
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  g_assert_true (g_file_get_contents (weights, &before, &before_len, NULL));
  expect_status (2, "is a file the landscape is computed from", "landscape", "--weights", weights, "--out-file",
                 weights, "--data", data_dir, "--images", "64", "--grid", "2", NULL);
  g_assert_true (g_file_get_contents (weights, &after, &after_len, NULL));
  g_assert_true (before_len == after_len && memcmp (before, after, before_len) == 0);
  /* Nothing was written on the way. */
  g_assert_false (g_file_test (landscape, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_test_init (&argc, &argv, NULL);
  cli = argv[1];
  tmp_dir = g_dir_make_tmp ("ravine-geometry-weights-XXXXXX", NULL);
  data_dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (data_dir == NULL || !g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    {
      g_print ("1..0 # SKIP FashionMNIST not found: set RAVINE_TEST_DATA_DIR\n");
      return 77;
    }
  data = rv_dataset_load (data_dir, 42, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->train_full->n, >=, IMAGES);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-geometry-weights/landscape/%s", cases[i].file);
      g_test_add_data_func (path, &cases[i], test_landscape);
    }
  g_test_add_func ("/cli-geometry-weights/sharpness", test_sharpness);
  g_test_add_func ("/cli-geometry-weights/bad-input", test_bad_input);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", tmp_dir);
  rv_dataset_free (data);
  return status;
}
