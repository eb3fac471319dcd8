/* test-cli-dataset.c: `ravine-cli dataset verify|info|download`, on the real
 * files where RAVINE_TEST_DATA_DIR has them (a skip where it does not), on
 * damaged and missing copies, and downloading from a local HTTP server,
 * including Ctrl-C in the middle. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-run.h"
#include "http-test-server.h"
#include "rv-dataset-files.h"

static const char *cli;

static const char *
real_data_dir (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir == NULL || *dir == '\0')
    return NULL;
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return NULL;
    }
  return dir;
}

#define REQUIRE_REAL_DATA(dir)                                                          \
  const char *dir = real_data_dir ();                                                   \
  if (dir == NULL)                                                                      \
    {                                                                                   \
      g_test_skip ("RAVINE_TEST_DATA_DIR does not hold FashionMNIST");                  \
      return;                                                                           \
    }

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ravine-cli-dataset-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

static gboolean
exists_in (const char *dir, const char *name, const char *suffix)
{
  g_autofree char *path = g_strconcat (dir, "/", name, suffix, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* ---- verify ---- */

static void
test_verify_real (void)
{
  REQUIRE_REAL_DATA (dir);
  CliRun run = cli_run (cli, "dataset", "verify", "--data", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s: OK\n", files[i].name);
      g_assert_nonnull (strstr (run.out, line));
    }
  cli_run_clear (&run);

  /* RAVINE_DATA_DIR is where it looks without --data. */
  g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  run = cli_run (cli, "dataset", "verify", NULL);
  g_unsetenv ("RAVINE_DATA_DIR");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
}

static void
test_verify_damaged (void)
{
  REQUIRE_REAL_DATA (real);
  g_autofree char *dir = make_tmp_dir ();
  const RvDatasetFile *files = rv_dataset_files_official ();
  /* Three links to the real files and a copy of the last with one byte changed. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *target = g_build_filename (real, files[i].name, NULL);
      g_autofree char *link = g_build_filename (dir, files[i].name, NULL);
      g_assert_cmpint (symlink (target, link), ==, 0);
    }
  g_autofree char *src = g_build_filename (real, files[3].name, NULL);
  g_autofree char *dst = g_build_filename (dir, files[3].name, NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  bytes[len / 2] ^= 0x40;
  g_assert_true (g_file_set_contents (dst, bytes, (gssize) len, NULL));

  CliRun run = cli_run (cli, "dataset", "verify", "--data", dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_autofree char *failed = g_strdup_printf ("%s: FAILED\n", files[3].name);
  g_autofree char *why = g_strdup_printf ("%s: checksum mismatch (expected %s, got ", files[3].name,
                                          files[3].sha256);
  g_assert_nonnull (strstr (run.out, failed));
  g_assert_nonnull (strstr (run.err, why));
  g_autofree char *ok = g_strdup_printf ("%s: OK\n", files[0].name);
  g_assert_nonnull (strstr (run.out, ok));
  cli_run_clear (&run);

  /* A missing file is named too. */
  g_autofree char *gone = g_build_filename (dir, files[1].name, NULL);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  run = cli_run (cli, "dataset", "verify", "--data", dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_autofree char *missing = g_strdup_printf ("%s: MISSING\n", files[1].name);
  g_assert_nonnull (strstr (run.out, missing));
  g_assert_nonnull (strstr (run.err, "2 of 4 files"));
  cli_run_clear (&run);
  remove_tree (dir);
}

static void
test_verify_empty (void)
{
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = cli_run (cli, "dataset", "verify", "--data", dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s: MISSING\n", files[i].name);
      g_assert_nonnull (strstr (run.out, line));
    }
  g_assert_nonnull (strstr (run.err, "4 of 4 files"));
  g_assert_nonnull (strstr (run.err, dir));
  cli_run_clear (&run);
  remove_tree (dir);
}

/* ---- info ---- */

static void
test_info_empty (void)
{
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = cli_run (cli, "dataset", "info", "--data", dir, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (JsonObject) o = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (o, "dir"), ==, dir);
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "--data");
  g_assert_false (json_object_get_boolean_member (o, "complete"));
  g_assert_true (json_object_get_boolean_member (o, "exists"));
  JsonArray *search = json_object_get_array_member (o, "search");
  g_assert_cmpuint (json_array_get_length (search), ==, 3);
  JsonArray *files = json_object_get_array_member (o, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, RV_DATASET_N_FILES);
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      g_assert_false (json_object_get_boolean_member (f, "present"));
      g_assert_false (json_object_get_boolean_member (f, "sha256_ok"));
      g_assert_cmpstr (json_object_get_string_member (f, "expected_sha256"), ==,
                       rv_dataset_files_official ()[i].sha256);
    }
  cli_run_clear (&run);

  run = cli_run (cli, "dataset", "info", "--data", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, dir));
  g_assert_nonnull (strstr (run.out, "Incomplete"));
  g_assert_nonnull (strstr (run.out, "ravine-cli dataset download"));
  cli_run_clear (&run);
  remove_tree (dir);
}

static void
test_info_real (void)
{
  REQUIRE_REAL_DATA (dir);
  CliRun run = cli_run (cli, "dataset", "info", "--data", dir, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (JsonObject) o = parse_object (run.out);
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  JsonArray *files = json_object_get_array_member (o, "files");
  const gint64 counts[RV_DATASET_N_FILES] = { 60000, 60000, 10000, 10000 };
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      g_assert_true (json_object_get_boolean_member (f, "sha256_ok"));
      g_assert_cmpint (json_object_get_int_member (f, "count"), ==, counts[i]);
      g_assert_cmpint (json_object_get_int_member (f, "size"), ==, (gint64) rv_dataset_files_official ()[i].size);
      if (i % 2 == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (f, "kind"), ==, "images");
          g_assert_cmpint (json_object_get_int_member (f, "rows"), ==, 28);
          g_assert_cmpint (json_object_get_int_member (f, "cols"), ==, 28);
        }
      else
        g_assert_cmpstr (json_object_get_string_member (f, "kind"), ==, "labels");
    }
  cli_run_clear (&run);
}

/* ---- download ---- */

static void
test_download_real (void)
{
  REQUIRE_REAL_DATA (real);
  g_autoptr (HttpTestServer) server = http_test_server_new ();
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autofree char *path = g_build_filename (real, files[i].name, NULL);
      char *bytes = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
      g_autoptr (GBytes) body = g_bytes_new_take (bytes, len);
      http_test_server_add (server, files[i].name, body);
    }
  /* A break in the big file on the way, resumed. */
  http_test_server_drop_at (server, files[0].name, 10000000, 1);

  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "nested", "fashion-mnist", NULL);
  CliRun run = cli_run (cli, "dataset", "download", "--url", http_test_server_url (server), "--data", dest, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "FashionMNIST is ready in"));
  g_assert_nonnull (strstr (run.err, "trying again"));
  g_assert_nonnull (strstr (run.err, "resuming at"));
  cli_run_clear (&run);
  g_assert_cmpuint (http_test_server_requests (server, files[0].name), ==, 2);

  run = cli_run (cli, "dataset", "verify", "--data", dest, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  /* Again: nothing to fetch. */
  run = cli_run (cli, "dataset", "download", "--url", http_test_server_url (server), "--data", dest, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "already there"));
  cli_run_clear (&run);
  for (guint i = 1; i < RV_DATASET_N_FILES; i++)
    g_assert_cmpuint (http_test_server_requests (server, files[i].name), ==, 1);

  remove_tree (dest);
  g_autofree char *nested = g_build_filename (dir, "nested", NULL);
  g_rmdir (nested);
  g_rmdir (dir);
}

static void
test_download_404 (void)
{
  g_autoptr (HttpTestServer) server = http_test_server_new ();
  g_autofree char *dir = make_tmp_dir ();
  /* Through RAVINE_DATA_URL this time. */
  g_setenv ("RAVINE_DATA_URL", http_test_server_url (server), TRUE);
  CliRun run = cli_run (cli, "dataset", "download", "--data", dir, NULL);
  g_unsetenv ("RAVINE_DATA_URL");
  g_assert_cmpint (run.status, ==, 1);
  const RvDatasetFile *files = rv_dataset_files_official ();
  g_autofree char *url = g_strconcat (http_test_server_url (server), files[0].name, NULL);
  g_assert_nonnull (strstr (run.err, "404 Not Found"));
  g_assert_nonnull (strstr (run.err, url));
  g_assert_false (exists_in (dir, files[0].name, ""));
  g_assert_false (exists_in (dir, files[0].name, ".part"));
  cli_run_clear (&run);
  remove_tree (dir);
}

static void
test_download_ctrl_c (void)
{
  const RvDatasetFile *files = rv_dataset_files_official ();
  g_autoptr (HttpTestServer) server = http_test_server_new ();
  g_autoptr (GBytes) body = g_bytes_new_take (g_malloc0 (100000), 100000);
  http_test_server_add (server, files[0].name, body);
  http_test_server_stall_at (server, files[0].name, 5000);

  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                   &error, cli, "dataset", "download", "--url",
                                                   http_test_server_url (server), "--data", dir, NULL);
  g_assert_no_error (error);

  /* Wait for the first bytes to land in the .part, then press Ctrl-C. */
  g_autofree char *part = g_strconcat (dir, "/", files[0].name, ".part", NULL);
  gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GStatBuf st = { 0 };
  while ((g_stat (part, &st) != 0 || st.st_size < 5000) && g_get_monotonic_time () < until)
    g_usleep (20 * 1000);
  g_assert_cmpint (st.st_size, ==, 5000);
  g_subprocess_send_signal (proc, SIGINT);

  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  g_assert_nonnull (strstr (err, "Download cancelled"));
  g_assert_false (exists_in (dir, files[0].name, ""));
  g_assert_true (exists_in (dir, files[0].name, ".part"));
  remove_tree (dir);
}

static void
expect_usage_error (CliRun run)
{
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "ravine-cli"));
  cli_run_clear (&run);
}

static void
test_usage (void)
{
  g_autofree char *dir = make_tmp_dir ();
  expect_usage_error (cli_run (cli, "dataset", NULL));
  expect_usage_error (cli_run (cli, "dataset", "fetch", NULL));
  expect_usage_error (cli_run (cli, "dataset", "verify", "extra", NULL));
  expect_usage_error (cli_run (cli, "dataset", "download", "--url", "ftp://example.org/", "--data", dir, NULL));
  remove_tree (dir);

  CliRun run = cli_run (cli, "dataset", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "download"));
  cli_run_clear (&run);
}

/* ---- what must never hang, and what must be called what it is ---- */

typedef struct {
  GMainLoop *loop;
  gboolean timed_out;
  char *out, *err;
} Limited;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer data)
{
  Limited *l = data;
  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &l->out, &l->err, NULL);
  g_main_loop_quit (l->loop);
}

static gboolean
on_too_long (gpointer data)
{
  Limited *l = data;
  l->timed_out = TRUE;
  g_main_loop_quit (l->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the CLI with stdout to stdout_path (NULL: captured), killing it
 * after 30 s: a hang is a failure here, never a stalled suite. */
static CliRun
run_limited (const char *stdout_path, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (stdout_path ? G_SUBPROCESS_FLAGS_STDERR_PIPE
                                           : G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (stdout_path)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) cli);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Limited l = { .loop = loop };
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &l);
  guint timer = g_timeout_add_seconds (30, on_too_long, &l);
  g_main_loop_run (loop);
  if (l.timed_out)
    {
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, NULL);
      g_error ("ravine-cli %s %s did not finish within 30 s", args[0], args[1] ? args[1] : "");
    }
  g_source_remove (timer);
  CliRun run = { 0 };
  run.status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc)
                                                 : 128 + g_subprocess_get_term_sig (proc);
  run.out = l.out ? l.out : g_strdup ("");
  run.err = l.err ? l.err : g_strdup ("");
  return run;
}

#define RUN_LIMITED(path, ...) run_limited (path, (const char *const[]) { __VA_ARGS__, NULL })

/* A FIFO and a /dev/zero link as the training images: verify, info and
 * download each finish at once and say what is there. */
static void
test_not_regular (gconstpointer data)
{
  const char *what = data;
  gboolean fifo = g_str_equal (what, "fifo");
  const char *phrase = fifo ? "is a FIFO, not a regular file" : "is a character device, not a regular file";
  const RvDatasetFile *files = rv_dataset_files_official ();
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, files[0].name, NULL);
  if (fifo)
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
  else
    g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);

  CliRun run = RUN_LIMITED (NULL, "dataset", "verify", "--data", dir);
  g_assert_cmpint (run.status, ==, 1);
  g_autofree char *failed = g_strdup_printf ("%s: FAILED\n", files[0].name);
  g_assert_nonnull (strstr (run.out, failed));
  g_assert_nonnull (strstr (run.err, phrase));
  cli_run_clear (&run);

  run = RUN_LIMITED (NULL, "dataset", "info", "--data", dir);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, phrase));
  cli_run_clear (&run);

  run = RUN_LIMITED (NULL, "dataset", "info", "--data", dir, "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (JsonObject) o = parse_object (run.out);
  JsonObject *f = json_array_get_object_element (json_object_get_array_member (o, "files"), 0);
  g_assert_true (json_object_get_boolean_member (f, "present"));
  g_assert_cmpstr (json_object_get_string_member (f, "problem"), ==, phrase);
  g_assert_cmpstr (json_object_get_string_member (o, "train_uses"), ==, "error");
  cli_run_clear (&run);

  g_autoptr (HttpTestServer) server = http_test_server_new ();
  run = RUN_LIMITED (NULL, "dataset", "download", "--url", http_test_server_url (server), "--data", dir);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, phrase));
  cli_run_clear (&run);
  g_assert_cmpuint (http_test_server_requests (server, files[0].name), ==, 0);

  g_unlink (path);
  remove_tree (dir);
}

static void
test_info_dev_full (void)
{
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = RUN_LIMITED ("/dev/full", "dataset", "info", "--data", dir, "--json");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "ravine-cli dataset info: writing the output failed"));
  cli_run_clear (&run);
  run = RUN_LIMITED ("/dev/full", "dataset", "info", "--data", dir);
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  remove_tree (dir);
}

/* --data naming a regular file: "not a folder", never "does not exist". */
static void
test_data_is_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  CliRun runs[] = {
    RUN_LIMITED (NULL, "dataset", "verify", "--data", file),
    RUN_LIMITED (NULL, "dataset", "download", "--url", "http://127.0.0.1:9/", "--data", file),
    RUN_LIMITED (NULL, "init-stats", "--data", file),
  };
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_test_message ("%s", runs[i].err);
      g_assert_cmpint (runs[i].status, ==, 1);
      g_assert_nonnull (strstr (runs[i].err, "is a regular file, not a folder"));
      g_assert_null (strstr (runs[i].err, "does not exist"));
      cli_run_clear (&runs[i]);
    }
  CliRun run = RUN_LIMITED (NULL, "dataset", "info", "--data", file);
  g_assert_nonnull (strstr (run.out, "is not a folder"));
  g_assert_null (strstr (run.out, "does not exist"));
  g_assert_null (strstr (run.out, "synthetic data set instead"));
  cli_run_clear (&run);
  remove_tree (dir);
}

/* An empty folder named with --data: info says train stops, and it does. */
static void
test_info_agrees_with_train (void)
{
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = RUN_LIMITED (NULL, "dataset", "info", "--data", dir);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "uses its synthetic data set instead"));
  g_assert_nonnull (strstr (run.out, "stop with an error"));
  cli_run_clear (&run);
  run = RUN_LIMITED (NULL, "init-stats", "--data", dir);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "is missing from the FashionMNIST folder"));
  cli_run_clear (&run);
  remove_tree (dir);
}

/* RAVINE_DATA_DIR naming nothing is an error, not a synthetic run. */
static void
test_env_typo (void)
{
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-typo", TRUE);
  CliRun run = RUN_LIMITED (NULL, "init-stats");
  CliRun info = RUN_LIMITED (NULL, "dataset", "info", "--json");
  CliRun verify = RUN_LIMITED (NULL, "dataset", "verify");
  g_unsetenv ("RAVINE_DATA_DIR");
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "/nonexistent-ravine-typo (named by RAVINE_DATA_DIR) does not exist"));
  g_assert_null (strstr (run.err, "synthetic"));
  g_autoptr (JsonObject) o = parse_object (info.out);
  g_assert_cmpstr (json_object_get_string_member (o, "train_uses"), ==, "error");
  g_assert_cmpint (verify.status, ==, 1);
  g_assert_nonnull (strstr (verify.err, "named by RAVINE_DATA_DIR"));
  cli_run_clear (&run);
  cli_run_clear (&info);
  cli_run_clear (&verify);
}

static void
test_empty_url (void)
{
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = RUN_LIMITED (NULL, "dataset", "download", "--url", "", "--data", dir);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--url is empty"));
  g_assert_null (strstr (run.err, "Downloading"));
  cli_run_clear (&run);
  run = RUN_LIMITED (NULL, "dataset", "download", "--data", "");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--data is empty"));
  cli_run_clear (&run);
  remove_tree (dir);
}

/* Each retry line says what happened. */
static void
test_retry_lines (void)
{
  const RvDatasetFile *files = rv_dataset_files_official ();
  g_autoptr (HttpTestServer) server = http_test_server_new ();
  http_test_server_set_status (server, files[0].name, 503);
  g_autofree char *dir = make_tmp_dir ();
  CliRun run = RUN_LIMITED (NULL, "dataset", "download", "--url", http_test_server_url (server), "--data", dir);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_autofree char *line = g_strdup_printf ("%s: the server answered 503 Service Unavailable; trying again\n",
                                           files[0].name);
  g_assert_nonnull (strstr (run.err, line));
  g_assert_null (strstr (run.err, "connection broke"));
  cli_run_clear (&run);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli = argv[1];
  g_unsetenv ("RAVINE_DATA_URL");
  g_unsetenv ("RAVINE_DATA_DIR");
  /* The server is on 127.0.0.1: no proxy from the environment may stand
   * between (the CLI that we run inherits this too). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_add_func ("/cli-dataset/verify-real", test_verify_real);
  g_test_add_func ("/cli-dataset/verify-damaged", test_verify_damaged);
  g_test_add_func ("/cli-dataset/verify-empty", test_verify_empty);
  g_test_add_func ("/cli-dataset/info-empty", test_info_empty);
  g_test_add_func ("/cli-dataset/info-real", test_info_real);
  g_test_add_func ("/cli-dataset/download-real", test_download_real);
  g_test_add_func ("/cli-dataset/download-404", test_download_404);
  g_test_add_func ("/cli-dataset/download-ctrl-c", test_download_ctrl_c);
  g_test_add_func ("/cli-dataset/usage", test_usage);
  g_test_add_data_func ("/cli-dataset/fifo", "fifo", test_not_regular);
  g_test_add_data_func ("/cli-dataset/dev-zero", "zero", test_not_regular);
  g_test_add_func ("/cli-dataset/info-dev-full", test_info_dev_full);
  g_test_add_func ("/cli-dataset/data-is-file", test_data_is_file);
  g_test_add_func ("/cli-dataset/info-agrees-with-train", test_info_agrees_with_train);
  g_test_add_func ("/cli-dataset/env-typo", test_env_typo);
  g_test_add_func ("/cli-dataset/empty-url", test_empty_url);
  g_test_add_func ("/cli-dataset/retry-lines", test_retry_lines);
  return g_test_run ();
}
