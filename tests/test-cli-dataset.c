/* test-cli-dataset.c: `ravine-cli dataset verify|info|download`, on the real
 * files where RAVINE_TEST_DATA_DIR has them (a skip where it does not), on
 * damaged and missing copies, and downloading from a local HTTP server,
 * including Ctrl-C in the middle. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

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
  return g_test_run ();
}
