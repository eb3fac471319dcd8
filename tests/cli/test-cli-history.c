/* test-cli-history.c: `ravine-cli train --history-every` and `ravine-cli
 * history`: the recorded steps, bin counts that add up, the last snapshot
 * against the saved weights, and runs without a history or with a broken one. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cli-run.h"
#include "rv-safetensors.h"
#include "rv-stats.h"

static const char *cli;
static char *out_dir;

/* 2000 images in batches of 100: 20 steps, one epoch, so the best
 * (saved) weights are those after the last step. */
#define RUN "train", "--synthetic", "--train-limit", "2000", "--epochs", "1", "--hidden", "32,16", \
            "--batch-size", "100", "--optimizer", "sgd", "--lr", "0.1", "--out", out_dir
static const guint sizes[] = { 784, 32, 16, 10 };
#define N_LINEAR 3
#define BATCH 100

static JsonNode *
history_json (const char *name)
{
  CliRun r = cli_run (cli, "history", "--out", out_dir, "--name", name, "--json", NULL);
  if (r.status != 0)
    g_error ("history --json failed (%d): %s", r.status, r.err);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, r.out, -1, NULL));
  cli_run_clear (&r);
  return json_node_copy (json_parser_get_root (p));
}

static gint64
sum_row (JsonArray *row)
{
  gint64 sum = 0;
  for (guint k = 0; k < json_array_get_length (row); k++)
    sum += json_array_get_int_element (row, k);
  return sum;
}

static void
test_recorded (void)
{
  CliRun r = cli_run (cli, RUN, "--name", "h5", "--history-every", "5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);

  g_autoptr (JsonNode) root = history_json ("h5");
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "every"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "steps_per_epoch"), ==, 20);
  const gint64 bins = json_object_get_int_member (o, "bins");
  g_assert_cmpint (bins, >, 1);

  /* the first step, every fifth after it, and the last */
  const gint64 want_steps[] = { 1, 6, 11, 16, 20 };
  JsonArray *steps = json_object_get_array_member (o, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, G_N_ELEMENTS (want_steps));
  for (guint i = 0; i < G_N_ELEMENTS (want_steps); i++)
    g_assert_cmpint (json_array_get_int_element (steps, i), ==, want_steps[i]);

  JsonArray *layers = json_object_get_array_member (o, "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, N_LINEAR);
  for (guint l = 0; l < N_LINEAR; l++)
    {
      JsonObject *layer = json_array_get_object_element (layers, l);
      g_autofree char *want_name = g_strdup_printf ("layers.%u.weight", 2 * l);
      g_assert_cmpstr (json_object_get_string_member (layer, "name"), ==, want_name);
      const char *kinds[] = { "weights", "gradients", "activations" };
      const gint64 totals[] = { (gint64) sizes[l] * sizes[l + 1], (gint64) sizes[l] * sizes[l + 1],
                                (gint64) BATCH * sizes[l + 1] };
      for (int k = 0; k < 3; k++)
        {
          JsonObject *kind = json_object_get_object_member (layer, kinds[k]);
          JsonArray *counts = json_object_get_array_member (kind, "counts");
          for (guint i = 0; i < json_array_get_length (steps); i++)
            {
              JsonArray *row = json_array_get_array_element (counts, i);
              g_assert_cmpuint (json_array_get_length (row), ==, (guint) bins);
              g_assert_cmpint (sum_row (row), ==, totals[k]);
              g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (kind, "n"), i), ==, totals[k]);
            }
        }
      /* every recorded step's predecessor was kept: each ratio is measured */
      JsonArray *ratio = json_object_get_array_member (layer, "update_ratio");
      JsonArray *norm = json_object_get_array_member (layer, "grad_norm");
      for (guint i = 0; i < json_array_get_length (steps); i++)
        {
          g_assert_false (JSON_NODE_HOLDS_NULL (json_array_get_element (ratio, i)));
          g_assert_cmpfloat (json_array_get_double_element (ratio, i), >, 0.0);
          g_assert_cmpfloat (json_array_get_double_element (norm, i), >, 0.0);
        }
    }

  /* The last snapshot is of the weights after step 20, which the one-epoch
   * run saved: its figures must be those of the checkpoint's tensors. */
  g_autofree char *model = g_build_filename (out_dir, "h5.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSafetensors) st = rv_safetensors_read (model, &error);
  g_assert_no_error (error);
  guint last = json_array_get_length (steps) - 1;
  for (guint l = 0; l < N_LINEAR; l++)
    {
      g_autofree char *name = g_strdup_printf ("layers.%u.weight", 2 * l);
      const RvSafetensor *t = rv_safetensors_lookup (st, name);
      g_assert_nonnull (t);
      const size_t n = (size_t) rv_safetensor_n_elements (t);
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      for (size_t i = 0; i < n; i++)
        {
          sum += t->data[i];
          lo = MIN (lo, t->data[i]);
          hi = MAX (hi, t->data[i]);
        }
      double mean = sum / n, ss = 0;
      for (size_t i = 0; i < n; i++)
        ss += (t->data[i] - mean) * (t->data[i] - mean);
      JsonObject *w = json_object_get_object_member (json_array_get_object_element (layers, l), "weights");
      g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (w, "min"), last), ==, lo);
      g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (w, "max"), last), ==, hi);
      double var = json_array_get_double_element (json_object_get_array_member (w, "variance"), last);
      g_assert_cmpfloat (fabs (var - ss / n), <=, 1e-9 * (ss / n));
      RvStats check = { 0 };
      rv_stats_compute (&check, t->data, n, (uint32_t) bins);
      JsonArray *row = json_array_get_array_element (json_object_get_array_member (w, "counts"), last);
      for (guint k = 0; k < (guint) bins; k++)
        g_assert_cmpint (json_array_get_int_element (row, k), ==, (gint64) check.counts[k]);
      rv_stats_clear (&check);
    }

  /* the text summary names the cadence and each layer */
  r = cli_run (cli, "history", "--out", out_dir, "--name", "h5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "5 snapshots, every 5 steps"));
  g_assert_nonnull (strstr (r.out, "layers.4.weight"));
  cli_run_clear (&r);
}

static void
test_default_cadence (void)
{
  /* 20 steps: about 100 snapshots means one at every step */
  CliRun r = cli_run (cli, RUN, "--name", "auto", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autoptr (JsonNode) root = history_json ("auto");
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "every"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "steps")), ==, 20);
}

static void
assert_no_history (const char *name)
{
  CliRun r = cli_run (cli, "history", "--out", out_dir, "--name", name, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "has no layer history"));
  cli_run_clear (&r);
}

static void
assert_still_loads (const char *name)
{
  CliRun r = cli_run (cli, RUN, "--name", name, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "not retraining"));
  cli_run_clear (&r);
}

static void
test_without_history (void)
{
  CliRun r = cli_run (cli, RUN, "--name", "none", "--history-every", "0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autofree char *file = g_build_filename (out_dir, "none_history.json", NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  assert_no_history ("none");

  /* a run saved before histories: no file at all */
  r = cli_run (cli, RUN, "--name", "old", "--history-every", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autofree char *old = g_build_filename (out_dir, "old_history.json", NULL);
  g_assert_cmpint (g_unlink (old), ==, 0);
  assert_no_history ("old");
  assert_still_loads ("old");
}

static void
corrupt_and_check (const char *name, const char *contents, const char *want)
{
  g_autofree char *file_name = g_strconcat (name, "_history.json", NULL);
  g_autofree char *file = g_build_filename (out_dir, file_name, NULL);
  g_assert_true (g_file_set_contents (file, contents, -1, NULL));
  CliRun r = cli_run (cli, "history", "--out", out_dir, "--name", name, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, file));
  if (strstr (r.err, want) == NULL)
    g_error ("expected \"%s\" in: %s", want, r.err);
  cli_run_clear (&r);
  assert_still_loads (name);
}

static void
test_corrupt (void)
{
  CliRun r = cli_run (cli, RUN, "--name", "bad", "--history-every", "10", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  g_autofree char *file = g_build_filename (out_dir, "bad_history.json", NULL);
  g_autofree char *good = NULL;
  g_assert_true (g_file_get_contents (file, &good, NULL, NULL));

  corrupt_and_check ("bad", "{\"format_version\": 1,", "not valid JSON");

  /* one more weight in the first bin than the layer has */
  g_autoptr (JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, good, -1, NULL));
  JsonObject *w = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (p)),
                                                                  "layers"), 1), "weights");
  JsonArray *row = json_array_get_array_element (json_object_get_array_member (w, "counts"), 0);
  JsonNode *first = json_array_get_element (row, 0);
  json_node_set_int (first, json_node_get_int (first) + 1);
  g_autofree char *text = json_to_string (json_parser_get_root (p), FALSE);
  corrupt_and_check ("bad", text, "layers.2.weight.weights");
}

static void
test_bad_arguments (void)
{
  const char *bad_values[] = { "-1", "abc", "1.5" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      CliRun r = cli_run (cli, RUN, "--name", "x", "--history-every", bad_values[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--history-every"));
      cli_run_clear (&r);
    }
  CliRun r = cli_run (cli, "history", "--out", out_dir, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_run_clear (&r);
  r = cli_run (cli, "history", "--out", out_dir, "--name", "never-trained", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no run named never-trained"));
  cli_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = argv[1];
  g_autoptr (GError) error = NULL;
  out_dir = g_dir_make_tmp ("ravine-history-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/history/recorded", test_recorded);
  g_test_add_func ("/cli/history/default-cadence", test_default_cadence);
  g_test_add_func ("/cli/history/without", test_without_history);
  g_test_add_func ("/cli/history/corrupt", test_corrupt);
  g_test_add_func ("/cli/history/bad-arguments", test_bad_arguments);
  int status = g_test_run ();

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", out_dir);
  (void) system (cmd);
  return status;
}
