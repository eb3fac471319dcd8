/* test-cli-train.c: `ravine-cli train` end to end on a small synthetic run:
 * the three files, reuse without retraining, --overwrite, and its errors. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"

static const char *cli;
static char *out_dir;

static JsonObject *
parse (const char *text, JsonParser **parser)
{
  g_autoptr (GError) error = NULL;
  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  return json_node_get_object (json_parser_get_root (*parser));
}

#define SMALL_RUN "train", "--synthetic", "--train-limit", "2000", "--epochs", "2", "--hidden", "32", \
                  "--batch-size", "100", "--out", out_dir, "--json"

static void
test_train_then_reuse (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--optimizer", "momentum", "--lr", "0.1", "--momentum", "0.9",
                      "--name", "Mom", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p1 = NULL;
  JsonObject *first = parse (r.out, &p1);
  g_assert_true (json_object_get_boolean_member (first, "trained"));
  JsonObject *res = json_object_get_object_member (first, "results");
  double acc = json_object_get_double_member (res, "test_acc");
  g_assert_cmpfloat (acc, >, 0.3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (res, "val_scores")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (res, "train_losses")), ==, 40);
  JsonObject *optim = json_object_get_object_member (json_object_get_object_member (first, "config"), "optimizer");
  g_assert_cmpfloat (json_object_get_double_member (optim, "momentum"), ==, 0.9);
  cli_run_clear (&r);

  const char *suffixes[] = { ".config", ".safetensors", "_results.json" };
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strconcat ("Mom", suffixes[i], NULL);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  /* a second run loads the saved one instead of training */
  r = cli_run (cli, SMALL_RUN, "--optimizer", "momentum", "--lr", "0.1", "--name", "Mom", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "not retraining"));
  g_autoptr (JsonParser) p2 = NULL;
  JsonObject *second = parse (r.out, &p2);
  g_assert_false (json_object_get_boolean_member (second, "trained"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (second, "results"), "test_acc"), ==, acc);
  cli_run_clear (&r);

  /* --overwrite trains again (same seed, same result) */
  r = cli_run (cli, SMALL_RUN, "--optimizer", "momentum", "--lr", "0.1", "--name", "Mom", "--overwrite", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p3 = NULL;
  JsonObject *third = parse (r.out, &p3);
  g_assert_true (json_object_get_boolean_member (third, "trained"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (third, "results"), "test_acc"), ==, acc);
  cli_run_clear (&r);

  /* a damaged checkpoint is reported by name, not trusted */
  g_autofree char *model = g_build_filename (out_dir, "Mom.safetensors", NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (model, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (model, bytes, (gssize) (len / 2), NULL));
  r = cli_run (cli, SMALL_RUN, "--name", "Mom", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Mom.safetensors"));
  cli_run_clear (&r);
}

static void
test_divergence (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--optimizer", "sgd", "--lr", "1e6", "--name", "Boom", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "step"));
  g_assert_nonnull (strstr (r.err, "nothing was saved"));
  g_autofree char *model = g_build_filename (out_dir, "Boom.safetensors", NULL);
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));
  cli_run_clear (&r);
}

static void
expect_usage (const char *needle, const char *const *args)
{
  CliRun r = cli_runv (cli, args);
  g_assert_cmpint (r.status, ==, 2);
  if (strstr (r.err, needle) == NULL)
    g_error ("expected \"%s\" in: %s", needle, r.err);
  cli_run_clear (&r);
}

static void
test_bad_arguments (void)
{
  expect_usage ("--out", (const char *const[]) { "train", "--name", "x", NULL });
  expect_usage ("unknown optimizer", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--optimizer", "sgdm", NULL });
  expect_usage ("--momentum", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--optimizer", "adam", "--momentum", "0.9", NULL });
  expect_usage ("--lr", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--lr", "fast", NULL });
  expect_usage ("lr", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--lr", "-1", NULL });
  expect_usage ("--epochs", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--epochs", "0", NULL });
  expect_usage ("plain file name", (const char *const[]) { "train", "--out", "/tmp", "--name", "../x", NULL });
  expect_usage ("batch size", (const char *const[]) { "train", "--out", "/tmp", "--name", "x", "--synthetic",
                                                      "--train-limit", "100", "--batch-size", "500", NULL });
}

static void
test_missing_data (void)
{
  CliRun r = cli_run (cli, "train", "--data", "/nonexistent/fm", "--out", out_dir, "--name", "x", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/fm"));
  cli_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-TO-RAVINE-CLI", argv[0]);
  cli = argv[1];
  out_dir = g_dir_make_tmp ("ravine-cli-train-XXXXXX", NULL);
  g_test_add_func ("/cli/train/train-then-reuse", test_train_then_reuse);
  g_test_add_func ("/cli/train/divergence", test_divergence);
  g_test_add_func ("/cli/train/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/train/missing-data", test_missing_data);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", out_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", out_dir);
  return status;
}
