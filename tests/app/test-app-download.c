/* test-app-download.c: the app fetches FashionMNIST when it is missing, from
 * a local HTTP server serving the real files (never the internet), shows the
 * progress, can be cancelled, and then uses the real data. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "http-test-server.h"
#include "rv-application.h"
#include "rv-dataset-files.h"
#include "rv-init-page.h"
#include "rv-window.h"

static const char *const names[] = { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                     "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };
static HttpTestServer *server;
static char *dest;
static RvWindow *window;

typedef struct {
  gboolean done, ok;
} Finished;

static void
on_finished (RvDownloadDialog *dialog, gboolean ok, Finished *f)
{
  f->done = TRUE;
  f->ok = ok;
}

static gboolean
is_done (gpointer data)
{
  return ((Finished *) data)->done;
}

static gboolean
real_data_ready (gpointer data)
{
  RvInitPage *page = RV_INIT_PAGE (rv_window_get_init_page (window));
  return rv_init_page_get_dataset (page) != NULL && !rv_init_page_is_synthetic (page);
}

static gboolean
synthetic_ready (gpointer data)
{
  RvInitPage *page = RV_INIT_PAGE (rv_window_get_init_page (window));
  return rv_init_page_get_dataset (page) != NULL && rv_init_page_is_synthetic (page);
}

static gboolean
no_final_files (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dest, names[i], NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return FALSE;
    }
  return TRUE;
}

static void
test_cancel (void)
{
  g_assert_true (app_test_wait_for (synthetic_ready, NULL, 60));
  http_test_server_stall_at (server, names[0], 1 << 20);
  Finished f = { 0 };
  RvDownloadDialog *dialog = rv_window_download_data (window);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &f);
  /* let it receive some bytes, then cancel */
  app_test_wait_for (is_done, &f, 1.0);
  rv_download_dialog_cancel (dialog);
  g_assert_true (app_test_wait_for (is_done, &f, 30));
  g_assert_false (f.ok);
  g_assert_nonnull (rv_download_dialog_get_error (dialog));
  g_assert_true (no_final_files ());
  gtk_window_destroy (GTK_WINDOW (dialog));
  http_test_server_stall_at (server, names[0], G_MAXUINT64);
}

static void
test_download_then_use (void)
{
  Finished f = { 0 };
  RvDownloadDialog *dialog = rv_window_download_data (window);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &f);
  g_assert_true (app_test_wait_for (is_done, &f, 300));
  if (!f.ok)
    g_error ("download failed: %s", rv_download_dialog_get_error (dialog)->message);
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* the pages reload, now on FashionMNIST */
  g_assert_true (app_test_wait_for (real_data_ready, NULL, 120));
  const RvDataset *ds = rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window)));
  g_assert_cmpuint (ds->train_full->n, ==, 60000);
  g_autoptr (GDir) d = g_dir_open (dest, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)))
    g_assert_false (g_str_has_suffix (name, ".part"));
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("no_proxy", "*", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  const char *shared = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_print ("1..0 # SKIP FashionMNIST not found: set RAVINE_TEST_DATA_DIR to serve the real files\n");
      return 77;
    }
  server = http_test_server_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (shared, names[i], NULL);
      g_autofree char *body = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &body, &len, NULL));
      g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), len);
      http_test_server_add (server, names[i], bytes);
    }
  g_setenv ("RAVINE_DATA_URL", http_test_server_url (server), TRUE);
  g_autofree char *home = g_dir_make_tmp ("ravine-appdl-XXXXXX", NULL);
  dest = g_build_filename (home, "fashion-mnist", NULL);
  g_setenv ("RAVINE_DATA_DIR", dest, TRUE);

  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/app-download/cancel", test_cancel);
  g_test_add_func ("/app-download/download-then-use", test_download_then_use);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  http_test_server_free (server);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  return system (rm) == 0 ? status : 1;
}
