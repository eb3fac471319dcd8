/* test-cli-geometry.c: `ravine-cli landscape`, `sharpness` and `train
 * --sharpness-every` on a small synthetic run: the files' tensor names,
 * shapes and orientation, checked by evaluating cells and projections here
 * with the core; the JSON; the bad inputs. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cli-run.h"
#include "rv-checkpoint.h"
#include "rv-dataset.h"
#include "rv-net.h"
#include "rv-safetensors.h"

#define IMAGES 64
#define HIDDEN 16

static const char *cli;
static char *out_dir;
static RvDataset *data;

static JsonObject *
parse (const char *text, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  return json_node_get_object (json_parser_get_root (*parser));
}

static char *
path_of (const char *file)
{
  return g_build_filename (out_dir, file, NULL);
}

/* The run G's network with its best parameters. */
static RvNet *
load_best (void)
{
  RvNetConfig cfg;
  const uint32_t hidden[] = { HIDDEN };
  rv_net_config_init (&cfg, RV_ACT_RELU, hidden, 1);
  RvNet *net = rv_net_new (&cfg, rv_backend_cpu ());
  g_autofree char *path = path_of ("G.safetensors");
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_checkpoint_load (net, path, &error));
  return net;
}

/* The mean loss of the first IMAGES training images at params. */
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

/* dst = the tensors named prefix + (checkpoint name), laid out as net's parameters. */
static void
read_direction (const RvSafetensors *st, const RvNet *net, const char *prefix, float *dst)
{
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    for (int bias = 0; bias < 2; bias++)
      {
        g_autofree char *name = g_strdup_printf ("%s.layers.%u.%s", prefix, 2 * l, bias ? "bias" : "weight");
        const RvSafetensor *t = rv_safetensors_lookup (st, name);
        g_assert_nonnull (t);
        if (bias)
          {
            g_assert_cmpuint (t->n_dims, ==, 1);
            g_assert_cmpuint (t->shape[0], ==, rv_net_fan_out (net, l));
          }
        else
          {
            g_assert_cmpuint (t->n_dims, ==, 2);
            g_assert_cmpuint (t->shape[0], ==, rv_net_fan_out (net, l));
            g_assert_cmpuint (t->shape[1], ==, rv_net_fan_in (net, l));
          }
        memcpy (dst + (bias ? net->b_off[l] : net->w_off[l]), t->data, rv_safetensor_n_elements (t) * sizeof (float));
      }
}

static const RvSafetensor *
tensor_1d_or_2d (const RvSafetensors *st, const char *name, uint32_t n_dims, uint64_t d0, uint64_t d1)
{
  const RvSafetensor *t = rv_safetensors_lookup (st, name);
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_dims, ==, n_dims);
  g_assert_cmpuint (t->shape[0], ==, d0);
  if (n_dims == 2)
    g_assert_cmpuint (t->shape[1], ==, d1);
  return t;
}

#define RUN_ARGS "--synthetic", "--out", out_dir, "--name", "G", "--images", "64"

static void
test_train_records (void)
{
  g_autofree char *results_path = path_of ("G_results.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, results_path, NULL));
  JsonObject *res = json_node_get_object (json_parser_get_root (parser));
  JsonArray *sharp = json_object_get_array_member (res, "sharpness");
  /* 10 steps an epoch, 3 epochs, every 5 steps and the start: 0, 5, ..., 30 */
  g_assert_cmpuint (json_array_get_length (sharp), ==, 7);
  for (guint i = 0; i < 7; i++)
    {
      JsonArray *pair = json_array_get_array_element (sharp, i);
      g_assert_cmpuint (json_array_get_length (pair), ==, 2);
      g_assert_cmpint (json_array_get_int_element (pair, 0), ==, 5 * i);
      g_assert_cmpfloat (json_array_get_double_element (pair, 1), >, 0.0);
    }

  g_autofree char *traj_path = path_of ("G_trajectory.safetensors");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_read (traj_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rv_safetensors_get_n_tensors (st), ==, 4 * 4);
  tensor_1d_or_2d (st, "epoch.0.layers.0.weight", 2, HIDDEN, 784);
  tensor_1d_or_2d (st, "epoch.3.layers.2.bias", 1, 10, 0);
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), "ravine.epochs"), ==, "0,1,2,3");

  /* The saved run, sharpness and all, loads again (not retrained). */
  CliRun r = cli_run (cli, "train", "--synthetic", "--train-limit", "1000", "--epochs", "3", "--hidden", "16",
                      "--batch-size", "100", "--out", out_dir, "--name", "G", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"sharpness\":[[0,"));
  cli_run_clear (&r);
}

static void
test_landscape_random (void)
{
  CliRun r = cli_run (cli, "landscape", RUN_ARGS, "--grid", "5", "--span", "0.8", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = parse (r.out, &parser);
  g_assert_cmpstr (json_object_get_string_member (o, "directions"), ==, "random");
  g_assert_false (json_object_has_member (o, "path"));

  g_autofree char *file = path_of ("G_landscape.safetensors");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_read (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), "ravine.directions"), ==, "random");
  /* alpha, beta, loss and the two directions' 2 × 4 tensors: nothing else. */
  g_assert_cmpuint (rv_safetensors_get_n_tensors (st), ==, 3 + 8);
  const float *alpha = tensor_1d_or_2d (st, "alpha", 1, 5, 0)->data;
  const float *beta = tensor_1d_or_2d (st, "beta", 1, 5, 0)->data;
  const float *loss = tensor_1d_or_2d (st, "loss", 2, 5, 5)->data;
  g_assert_cmpfloat (alpha[0], ==, -0.8f);
  g_assert_cmpfloat (alpha[4], ==, 0.8f);
  g_assert_cmpfloat (beta[2], ==, 0.0f);

  g_autoptr (RvNet) net = load_best ();
  const size_t d = net->n_params;
  g_autofree float *theta = g_memdup2 (net->params, d * sizeof (float));
  g_autofree float *x = g_new (float, d), *y = g_new (float, d), *point = g_new (float, d);
  read_direction (st, net, "x", x);
  read_direction (st, net, "y", y);

  /* Filter-normalized: each weight row of x as long as θ*'s; biases 0. */
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    for (uint32_t row = 0; row < rv_net_fan_out (net, l); row++)
      {
        double nt = 0, nx = 0;
        const size_t at = net->w_off[l] + (size_t) row * rv_net_fan_in (net, l);
        for (uint32_t c = 0; c < rv_net_fan_in (net, l); c++)
          {
            nt += (double) theta[at + c] * theta[at + c];
            nx += (double) x[at + c] * x[at + c];
          }
        g_assert_cmpfloat_with_epsilon (sqrt (nx), sqrt (nt), 1e-5 * sqrt (nt));
        g_assert_cmpfloat (x[net->b_off[l] + row], ==, 0.0f);
      }

  /* The centre is θ*; row i is beta[i] and column j alpha[j]. */
  g_assert_cmpfloat_with_epsilon (loss[2 * 5 + 2], loss_at (net, theta), 1e-5);
  const int i = 1, j = 4;
  for (size_t k = 0; k < d; k++)
    point[k] = (float) ((double) theta[k] + (double) alpha[j] * x[k] + (double) beta[i] * y[k]);
  double want = loss_at (net, point);
  g_assert_cmpfloat_with_epsilon (loss[i * 5 + j], want, 1e-5 * want);
  g_assert_cmpfloat (fabs (loss[j * 5 + i] - want), >, 1e-3);

  /* The JSON holds the file's numbers. */
  JsonArray *rows = json_object_get_array_member (o, "loss");
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);
  g_assert_cmpfloat ((float) json_array_get_double_element (json_array_get_array_element (rows, i), j), ==,
                     loss[i * 5 + j]);
  g_assert_cmpint (json_object_get_int_member (o, "diverged"), ==, 0);
  cli_run_clear (&r);
}

static double
dot (const float *a, const float *b, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

static void
test_landscape_pca (void)
{
  CliRun r = cli_run (cli, "landscape", RUN_ARGS, "--directions", "pca", "--grid", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autofree char *file = path_of ("G_landscape.safetensors");
  g_autofree char *traj_file = path_of ("G_trajectory.safetensors");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_read (file, &error);
  g_autoptr (RvSafetensors) traj = rv_safetensors_read (traj_file, &error);
  g_assert_no_error (error);
  const float *path = tensor_1d_or_2d (st, "path", 2, 4, 2)->data;
  const float *path_loss = tensor_1d_or_2d (st, "path_loss", 1, 4, 0)->data;
  tensor_1d_or_2d (st, "loss", 2, 4, 4);

  g_autoptr (RvNet) net = load_best ();
  const size_t d = net->n_params;
  g_autofree float *theta = g_memdup2 (net->params, d * sizeof (float));
  g_autofree float *x = g_new (float, d), *y = g_new (float, d), *snap = g_new (float, d), *diff = g_new (float, d);
  read_direction (st, net, "x", x);
  read_direction (st, net, "y", y);
  /* Equal lengths s and perpendicular; the path is (θ_k − θ*)·(x, y) / s². */
  double xx = dot (x, x, d), yy = dot (y, y, d);
  g_assert_cmpfloat_with_epsilon (xx, yy, 1e-4 * xx);
  g_assert_cmpfloat (fabs (dot (x, y, d)), <, 1e-4 * xx);
  const int ends[2] = { 0, 3 };
  for (int e = 0; e < 2; e++)
    {
      int k = ends[e];
      g_autofree char *prefix = g_strdup_printf ("epoch.%d", k);
      read_direction (traj, net, prefix, snap);
      for (size_t i = 0; i < d; i++)
        diff[i] = snap[i] - theta[i];
      g_assert_cmpfloat_with_epsilon (path[2 * k], dot (diff, x, d) / xx, 1e-4);
      g_assert_cmpfloat_with_epsilon (path[2 * k + 1], dot (diff, y, d) / yy, 1e-4);
      double want = loss_at (net, snap);
      g_assert_cmpfloat_with_epsilon (path_loss[k], want, 1e-5 * want);
    }
  /* The path starts at the initialization, far from θ*, scaled into [−1, 1]. */
  g_assert_cmpfloat (MAX (fabs (path[0]), fabs (path[1])), ==, 1.0f);
}

static void
test_sharpness (void)
{
  CliRun r = cli_run (cli, "sharpness", RUN_ARGS, "--json", NULL);
  CliRun r2 = cli_run (cli, "sharpness", RUN_ARGS, "--json", "--seed", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (r2.status, ==, 0);
  g_autoptr (JsonParser) p1 = NULL, p2 = NULL;
  JsonObject *o = parse (r.out, &p1), *o2 = parse (r2.out, &p2);
  g_assert_cmpuint (json_object_get_size (o), ==, 3);
  double lambda = json_object_get_double_member (o, "top_eigenvalue");
  g_assert_cmpfloat (lambda, >, 0.0);
  g_assert_cmpint (json_object_get_int_member (o, "iterations"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (o, "iterations"), <=, 100);
  g_assert_cmpfloat (json_object_get_double_member (o, "relative_change"), <=, 1e-4);
  /* Another start, the same eigenvalue. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o2, "top_eigenvalue"), lambda, 1e-3 * lambda);
  cli_run_clear (&r);
  cli_run_clear (&r2);
}

static void
expect_usage (const char *needle, const char *first, ...)
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
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, needle));
  cli_run_clear (&r);
}

static void
test_bad_input (void)
{
  expect_usage ("at least 2", "landscape", RUN_ARGS, "--grid", "1", NULL);
  expect_usage ("positive", "landscape", RUN_ARGS, "--span", "0", NULL);
  expect_usage ("positive", "landscape", RUN_ARGS, "--span", "-1", NULL);
  expect_usage ("--images", "landscape", "--synthetic", "--out", out_dir, "--name", "G", "--images", "60001", NULL);
  expect_usage ("unknown directions", "landscape", RUN_ARGS, "--directions", "sideways", NULL);
  expect_usage ("no saved run", "landscape", "--synthetic", "--out", out_dir, "--name", "Nope", NULL);
  g_autofree char *model = path_of ("G.safetensors");
  expect_usage ("computed from", "landscape", RUN_ARGS, "--grid", "2", "--out-file", model, NULL);
  expect_usage ("--iters", "sharpness", RUN_ARGS, "--iters", "0", NULL);
  expect_usage ("--tol", "sharpness", RUN_ARGS, "--tol", "-1", NULL);

  /* A run without snapshots: pca says what to do instead. */
  CliRun r = cli_run (cli, "train", "--synthetic", "--train-limit", "500", "--epochs", "1", "--hidden", "8",
                      "--batch-size", "100", "--out", out_dir, "--name", "Bare", "--no-trajectory", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autofree char *bare = path_of ("Bare_trajectory.safetensors");
  g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));
  expect_usage ("--directions random", "landscape", "--synthetic", "--out", out_dir, "--name", "Bare",
                "--directions", "pca", NULL);
  expect_usage ("retrain", "landscape", "--synthetic", "--out", out_dir, "--name", "Bare", "--directions", "pca", NULL);
  expect_usage ("--sharpness-every", "train", "--synthetic", "--out", out_dir, "--name", "X", "--sharpness-images",
                "64", NULL);
}

static void
test_diverged_cells (void)
{
  CliRun r = cli_run (cli, "landscape", RUN_ARGS, "--grid", "3", "--span", "1e30", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = parse (r.out, &parser);
  g_assert_cmpint (json_object_get_int_member (o, "diverged"), >, 0);
  JsonArray *row0 = json_array_get_array_element (json_object_get_array_member (o, "loss"), 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (row0, 0)));
  JsonArray *mid = json_array_get_array_element (json_object_get_array_member (o, "loss"), 1);
  g_assert_false (JSON_NODE_HOLDS_NULL (json_array_get_element (mid, 1)));
  cli_run_clear (&r);
  g_autofree char *file = path_of ("G_landscape.safetensors");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_read (file, &error);
  g_assert_no_error (error);
  const float *loss = rv_safetensors_lookup (st, "loss")->data;
  g_assert_false (isfinite (loss[0]));
  g_assert_true (isfinite (loss[4]));
  g_assert_cmpstr (g_hash_table_lookup (rv_safetensors_get_metadata (st), "ravine.diverged"), !=, "0");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = argv[1];
  out_dir = g_dir_make_tmp ("ravine-geometry-XXXXXX", NULL);
  /* The data set the CLI builds for --synthetic with the run's seed (42). */
  data = rv_dataset_new_synthetic (60000, 10000, 42);
  CliRun r = cli_run (cli, "train", "--synthetic", "--train-limit", "1000", "--epochs", "3", "--hidden", "16",
                      "--batch-size", "100", "--out", out_dir, "--name", "G", "--sharpness-every", "5",
                      "--sharpness-images", "64", NULL);
  if (r.status != 0)
    g_error ("training failed: %s", r.err);
  cli_run_clear (&r);

  g_test_add_func ("/cli-geometry/train-records", test_train_records);
  g_test_add_func ("/cli-geometry/landscape-random", test_landscape_random);
  g_test_add_func ("/cli-geometry/landscape-pca", test_landscape_pca);
  g_test_add_func ("/cli-geometry/sharpness", test_sharpness);
  g_test_add_func ("/cli-geometry/bad-input", test_bad_input);
  g_test_add_func ("/cli-geometry/diverged", test_diverged_cells);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", out_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", out_dir);
  rv_dataset_free (data);
  return status;
}
