/* test-cli-train.c: `ravine-cli train` end to end on a small synthetic run:
 * the three files, reuse without retraining, --overwrite, and its errors. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static char *
run_file (const char *name, const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  return g_build_filename (out_dir, file, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in out_dir that start with prefix, sorted, space-separated. */
static char *
files_of (const char *prefix)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (out_dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* An --out that cannot hold the run, or a --name too long for its file
 * system, fails before training (no epoch line) and leaves nothing. */
static void
test_bad_target (void)
{
  g_autofree char *file = g_build_filename (out_dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_autofree char *long_name = g_strnfill (240, 'n');
  struct {
    const char *out, *name, *expect;
    int status;
  } cases[] = {
    { file, "x", "not a folder", 2 },
    { "", "x", "folder", 2 },
    { out_dir, long_name, "bytes", 2 },
    { "/proc/ravine-test", "x", "/proc", 1 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliRun r = cli_run (cli, "train", "--synthetic", "--train-limit", "2000", "--epochs", "1", "--hidden", "32",
                          "--batch-size", "100", "--out", cases[i].out, "--name", cases[i].name, NULL);
      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].expect));
      g_assert_null (strstr (r.err, "epoch"));
      cli_run_clear (&r);
    }
  g_autofree char *left = files_of ("n");
  g_assert_cmpstr (left, ==, "");

  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (out_dir, "read-only", NULL);
      g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
      CliRun r = cli_run (cli, "train", "--synthetic", "--epochs", "1", "--out", ro, "--name", "x", NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, ro));
      g_assert_null (strstr (r.err, "epoch"));
      cli_run_clear (&r);
      g_assert_cmpint (g_rmdir (ro), ==, 0);
    }
  g_unlink (file);
}

/* Widths that multiply past the memory cap are refused before training. */
static void
test_too_big (void)
{
  CliRun r = cli_run (cli, "train", "--synthetic", "--hidden", "65536,65536", "--out", out_dir, "--name", "Big", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "would need"));
  cli_run_clear (&r);
}

/* A saved run whose config or results is empty (or only white space) is an
 * error naming the file, not a crash. */
static void
test_broken_saved_run (void)
{
  const char *suffixes[] = { ".config", "_results.json" };
  const char *texts[] = { "", " \n\t\n" };
  CliRun r = cli_run (cli, SMALL_RUN, "--name", "Broken", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (texts); j++)
      {
        g_autofree char *path = run_file ("Broken", suffixes[i]);
        g_autofree char *good = NULL;
        g_assert_true (g_file_get_contents (path, &good, NULL, NULL));
        g_assert_true (g_file_set_contents (path, texts[j], -1, NULL));
        r = cli_run (cli, SMALL_RUN, "--name", "Broken", NULL);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, path));
        g_assert_nonnull (strstr (r.err, "empty"));
        cli_run_clear (&r);
        g_assert_true (g_file_set_contents (path, good, -1, NULL));
      }
}

/* stdout that cannot be written: exit 1 with a message, after training and
 * when reusing a saved run. */
static void
test_stdout_full (void)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  for (int i = 0; i < 2; i++)
    {
      CliRun r = cli_run ("/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", cli, SMALL_RUN, "--name", "Full", NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, "writing the output failed"));
      cli_run_clear (&r);
    }
}

/* The "seed" of a saved config. */
static gint64
saved_seed (const char *name)
{
  g_autofree char *path = run_file (name, ".config");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "seed");
}

/* Starts a training run with each save step slowed to 0.3 s, waits until
 * the file `wait_for` appears (the save is under way), sends SIGINT and
 * returns the exit status. */
static int
interrupt_save (const char *name, const char *seed, const char *wait_for)
{
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "RAVINE_TEST_SAVE_DELAY_US", "300000", TRUE);
  const char *argv[] = { cli, SMALL_RUN, "--name", name, "--seed", seed, "--overwrite", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  g_assert_true (g_spawn_async (NULL, (char **) argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_autofree char *path = run_file (name, wait_for);
  for (int i = 0; !g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_assert_cmpint (i, <, 60000);
      g_usleep (1000);
    }
  kill (pid, SIGINT);
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Ctrl-C during the save: before the commit point the save is abandoned
 * (the previous run stays, nothing else is left); after it, the save
 * finishes (the new run, whole).  Either way the exit status is 130. */
static void
test_interrupt_save (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--name", "Sig", "--seed", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
  /* The run's four files and its parameter snapshots, written after them. */
  g_autofree char *whole = g_strdup ("Sig.config Sig.safetensors Sig_history.json Sig_results.json "
                                     "Sig_trajectory.safetensors");

  g_assert_cmpint (interrupt_save ("Sig", "2", ".config.new"), ==, 130);
  g_autofree char *after_early = files_of ("Sig");
  g_assert_cmpstr (after_early, ==, whole);
  g_assert_cmpint (saved_seed ("Sig"), ==, 1);

  g_assert_cmpint (interrupt_save ("Sig", "3", ".commit"), ==, 130);
  r = cli_run (cli, SMALL_RUN, "--name", "Sig", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "not retraining"));
  cli_run_clear (&r);
  g_autofree char *after_late = files_of ("Sig");
  g_assert_cmpstr (after_late, ==, whole);
  g_assert_cmpint (saved_seed ("Sig"), ==, 3);

  /* A first save interrupted early leaves nothing at all. */
  g_assert_cmpint (interrupt_save ("Fresh", "2", ".config.new"), ==, 130);
  g_autofree char *fresh = files_of ("Fresh");
  g_assert_cmpstr (fresh, ==, "");
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
  g_test_add_func ("/cli/train/bad-target", test_bad_target);
  g_test_add_func ("/cli/train/too-big", test_too_big);
  g_test_add_func ("/cli/train/broken-saved-run", test_broken_saved_run);
  g_test_add_func ("/cli/train/stdout-full", test_stdout_full);
  g_test_add_func ("/cli/train/interrupt-save", test_interrupt_save);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", out_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", out_dir);
  return status;
}
