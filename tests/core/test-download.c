/* test-download.c: the FashionMNIST download against a local HTTP server
 * (tests/http-test-server.c) serving small IDX files made here, never the
 * internet: success, checksum mismatch, 404 and 500, a connection dropped
 * midway (resumed with Range, or restarted where Range is ignored), retries
 * running out, cancellation, and that the destination never holds anything
 * but checked files and NAME.part. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "http-test-server.h"
#include "rv-dataset.h"
#include "rv-dataset-files.h"
#include "rv-download.h"
#include "rv-error.h"

#define N_FILES 4
#define ATTEMPTS 4 /* rv-download.c's tries per file */

static const char *const names[N_FILES] = {
  "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
  "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
};
static const guint32 counts[N_FILES] = { 120, 120, 30, 30 };

/* ---- making the files ---- */

static void
append_be32 (GByteArray *b, guint32 v)
{
  guint8 bytes[4] = { (guint8) (v >> 24), (guint8) (v >> 16), (guint8) (v >> 8), (guint8) v };
  g_byte_array_append (b, bytes, 4);
}

static guint8
label_of (guint32 i)
{
  return (guint8) ((i * 7u + 3u) % 10u);
}

/* Noise-like pixels, so that gzip cannot shrink them much and the images
 * file spans many reads. */
static GByteArray *
make_idx (gboolean images, guint32 n)
{
  GByteArray *b = g_byte_array_new ();
  append_be32 (b, images ? 0x803 : 0x801);
  append_be32 (b, n);
  if (images)
    {
      append_be32 (b, 28);
      append_be32 (b, 28);
      guint32 x = 2463534242u + n;
      for (guint32 i = 0; i < n * 784; i++)
        {
          x ^= x << 13;
          x ^= x >> 17;
          x ^= x << 5;
          guint8 v = (guint8) x;
          g_byte_array_append (b, &v, 1);
        }
    }
  else
    for (guint32 i = 0; i < n; i++)
      {
        guint8 v = label_of (i);
        g_byte_array_append (b, &v, 1);
      }
  return b;
}

static GBytes *
gzip_bytes (const GByteArray *in)
{
  z_stream z = { 0 };
  g_assert_cmpint (deflateInit2 (&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  gsize bound = deflateBound (&z, in->len) + 64;
  guint8 *out = g_malloc (bound);
  z.next_in = in->data;
  z.avail_in = in->len;
  z.next_out = out;
  z.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  gsize len = bound - z.avail_out;
  deflateEnd (&z);
  return g_bytes_new_take (out, len);
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* ---- the fixture: a server with the four files, an empty folder ---- */

typedef struct {
  char *dir;
  HttpTestServer *server;
  GBytes *bodies[N_FILES];
  char *sums[N_FILES];
  RvDatasetFile files[N_FILES];
  GBytes *stale;          /* another allowed content for a final file, or NULL */
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->dir = g_dir_make_tmp ("ravine-download-XXXXXX", &error);
  g_assert_no_error (error);
  fx->server = http_test_server_new ();
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autoptr (GByteArray) raw = make_idx (i % 2 == 0, counts[i]);
      fx->bodies[i] = gzip_bytes (raw);
      fx->sums[i] = sha256_of (fx->bodies[i]);
      fx->files[i].name = names[i];
      fx->files[i].sha256 = fx->sums[i];
      fx->files[i].size = g_bytes_get_size (fx->bodies[i]);
      http_test_server_add (fx->server, names[i], fx->bodies[i]);
    }
  /* One size not known in advance: the server's Content-Length tells it. */
  fx->files[1].size = 0;
  g_assert_cmpuint (g_bytes_get_size (fx->bodies[0]), >, 80000);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  http_test_server_free (fx->server);
  GDir *d = g_dir_open (fx->dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (fx->dir);
  g_free (fx->dir);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_bytes_unref (fx->bodies[i]);
      g_free (fx->sums[i]);
    }
  g_clear_pointer (&fx->stale, g_bytes_unref);
}

static GBytes *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

static gboolean
exists (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
exists_part (const char *dir, const char *name)
{
  g_autofree char *part = g_strconcat (name, ".part", NULL);
  return exists (dir, part);
}

static void
assert_file_is (Fixture *fx, guint i)
{
  g_autoptr (GBytes) got = read_file (fx->dir, names[i]);
  g_assert_nonnull (got);
  g_assert_true (g_bytes_equal (got, fx->bodies[i]));
  g_assert_false (exists_part (fx->dir, names[i]));
}

static gboolean
is_prefix (GBytes *part, GBytes *whole)
{
  gsize n = 0, m = 0;
  const guint8 *a = g_bytes_get_data (part, &n);
  const guint8 *b = g_bytes_get_data (whole, &m);
  return n <= m && (n == 0 || memcmp (a, b, n) == 0);
}

/* What the folder may hold at any moment: the final files, each complete and
 * right, and NAME.part files holding a prefix of NAME. */
static void
assert_folder_sane (Fixture *fx)
{
  g_autoptr (GDir) d = g_dir_open (fx->dir, 0, NULL);
  g_assert_nonnull (d);
  const char *entry;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      guint i = 0;
      gboolean part = g_str_has_suffix (entry, ".part");
      g_autofree char *base = part ? g_strndup (entry, strlen (entry) - 5) : g_strdup (entry);
      while (i < N_FILES && strcmp (base, names[i]) != 0)
        i++;
      if (i == N_FILES)
        g_error ("unexpected file %s in the download folder", entry);
      g_autoptr (GBytes) got = read_file (fx->dir, entry);
      /* An async download's worker may rename or remove a .part between the
       * listing and the read; a final file, once there, never goes away. */
      if (got == NULL && part && !exists (fx->dir, entry))
        continue;
      g_assert_nonnull (got);
      if (part)
        g_assert_true (is_prefix (got, fx->bodies[i]));
      else if (!g_bytes_equal (got, fx->bodies[i]) && !(fx->stale && g_bytes_equal (got, fx->stale)))
        g_error ("%s is in place but is not the right file", entry);
    }
}

/* ---- watching the progress ---- */

typedef struct {
  Fixture *fx;
  GThread *thread;          /* the callbacks must run here */
  GArray *statuses;         /* of RvDownloadStatus; .file not kept */
  GCancellable *cancel;     /* cancelled once cancel_index receives bytes */
  guint cancel_index;
  GMainLoop *loop;
  gboolean ok;
  GError *error;
  gboolean done_before_last_status;
} Watch;

static void
watch_init (Watch *w, Fixture *fx)
{
  memset (w, 0, sizeof *w);
  w->fx = fx;
  w->thread = g_thread_self ();
  w->statuses = g_array_new (FALSE, FALSE, sizeof (RvDownloadStatus));
  w->cancel_index = G_MAXUINT;
}

static void
watch_clear (Watch *w)
{
  g_array_unref (w->statuses);
  g_clear_error (&w->error);
  g_clear_pointer (&w->loop, g_main_loop_unref);
}

static void
on_progress (const RvDownloadStatus *s, gpointer data)
{
  Watch *w = data;
  g_assert_true (g_thread_self () == w->thread);
  g_assert_cmpuint (s->n_files, ==, N_FILES);
  g_assert_cmpuint (s->file_index, <, N_FILES);
  g_assert_cmpstr (s->file, ==, names[s->file_index]);
  g_assert_cmpuint (s->done, <=, s->total);
  if (s->file_size > 0)
    g_assert_cmpuint (s->file_done, <=, s->file_size);
  if (w->loop != NULL && !g_main_loop_is_running (w->loop))
    w->done_before_last_status = TRUE;
  g_array_append_val (w->statuses, *s);
  assert_folder_sane (w->fx);
  if (w->cancel != NULL && s->file_index == w->cancel_index && s->stage == RV_DOWNLOAD_STAGE_RECEIVING
      && s->file_done > 0)
    g_cancellable_cancel (w->cancel);
}

static guint
count_stage (Watch *w, RvDownloadStage stage)
{
  guint n = 0;
  for (guint i = 0; i < w->statuses->len; i++)
    n += g_array_index (w->statuses, RvDownloadStatus, i).stage == stage;
  return n;
}

static const RvDownloadStatus *
last_status (Watch *w)
{
  g_assert_cmpuint (w->statuses->len, >, 0);
  return &g_array_index (w->statuses, RvDownloadStatus, w->statuses->len - 1);
}

static guint64
total_size (Fixture *fx)
{
  guint64 total = 0;
  for (guint i = 0; i < N_FILES; i++)
    total += g_bytes_get_size (fx->bodies[i]);
  return total;
}

static gboolean
download (Fixture *fx, Watch *w, GError **error)
{
  return rv_download_files (http_test_server_url (fx->server), fx->dir, fx->files, N_FILES, NULL,
                            w ? on_progress : NULL, w, error);
}

/* ---- the tests ---- */

static void
test_success (Fixture *fx, gconstpointer data)
{
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_FILES; i++)
    {
      assert_file_is (fx, i);
      g_assert_cmpuint (http_test_server_requests (fx->server, names[i]), ==, 1);
      g_autofree char *range = http_test_server_last_range (fx->server, names[i]);
      g_assert_null (range);
    }
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_FINISHED), ==, N_FILES);
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_RETRYING), ==, 0);
  g_assert_cmpuint (last_status (&w)->done, ==, total_size (fx));
  g_assert_cmpuint (last_status (&w)->total, ==, total_size (fx));
  for (guint i = 1; i < w.statuses->len; i++)
    g_assert_cmpuint (g_array_index (w.statuses, RvDownloadStatus, i).done, >=,
                      g_array_index (w.statuses, RvDownloadStatus, i - 1).done);

  /* What came is a data set Ravine loads. */
  g_autoptr (RvDataset) ds = rv_dataset_load (fx->dir, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->train_full->n, ==, counts[0]);
  g_assert_cmpuint (ds->test->n, ==, counts[2]);
  g_assert_cmpuint (ds->test->labels[5], ==, label_of (5));
  g_assert_false (ds->synthetic);

  /* Again: every file is there and right, so nothing is fetched. */
  watch_clear (&w);
  watch_init (&w, fx);
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_FILES; i++)
    g_assert_cmpuint (http_test_server_requests (fx->server, names[i]), ==, 1);
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_CHECKING), ==, N_FILES);
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_RECEIVING), ==, 0);
  g_assert_cmpuint (last_status (&w)->done, ==, total_size (fx));
  watch_clear (&w);
}

static void
test_checksum_mismatch (Fixture *fx, gconstpointer data)
{
  /* The server sends t10k-images, but we expect the train images' sum. */
  fx->files[2].sha256 = fx->sums[0];
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_autofree char *want = g_strdup_printf ("%s: checksum mismatch (expected %s, got %s)", names[2], fx->sums[0],
                                           fx->sums[2]);
  g_assert_cmpstr (error->message, ==, want);

  g_assert_false (exists (fx->dir, names[2]));
  g_assert_false (exists_part (fx->dir, names[2]));
  assert_file_is (fx, 0);
  assert_file_is (fx, 1);
  g_assert_false (exists (fx->dir, names[3]));
  assert_folder_sane (fx);
  watch_clear (&w);
}

static void
test_http_status (Fixture *fx, gconstpointer data)
{
  guint status = GPOINTER_TO_UINT (data);
  http_test_server_set_status (fx->server, names[1], status);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_NETWORK);
  g_autofree char *code = g_strdup_printf ("answered %u ", status);
  g_autofree char *url = g_strconcat (http_test_server_url (fx->server), names[1], NULL);
  g_assert_nonnull (strstr (error->message, code));
  g_assert_nonnull (strstr (error->message, url));
  g_assert_true (g_str_has_prefix (error->message, names[1]));

  /* A server's refusal is not retried, and leaves nothing behind. */
  g_assert_cmpuint (http_test_server_requests (fx->server, names[1]), ==, 1);
  g_assert_false (exists (fx->dir, names[1]));
  g_assert_false (exists_part (fx->dir, names[1]));
  assert_file_is (fx, 0);
  assert_folder_sane (fx);
  watch_clear (&w);
}

static void
test_resume_with_range (Fixture *fx, gconstpointer data)
{
  http_test_server_drop_at (fx->server, names[0], 30000, 1);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (http_test_server_requests (fx->server, names[0]), ==, 2);
  g_autofree char *range = http_test_server_last_range (fx->server, names[0]);
  g_assert_cmpstr (range, ==, "bytes=30000-");
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_RETRYING), ==, 1);
  gboolean resumed = FALSE;
  for (guint i = 0; i < w.statuses->len; i++)
    {
      const RvDownloadStatus *s = &g_array_index (w.statuses, RvDownloadStatus, i);
      resumed |= s->resumed_at == 30000 && s->file_index == 0 && s->stage == RV_DOWNLOAD_STAGE_RECEIVING;
    }
  g_assert_true (resumed);
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);
  watch_clear (&w);
}

static void
test_restart_without_range (Fixture *fx, gconstpointer data)
{
  http_test_server_set_ranges (fx->server, FALSE);
  http_test_server_drop_at (fx->server, names[0], 30000, 1);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);

  /* The retry asked for the rest, got the whole file, and started over. */
  g_assert_cmpuint (http_test_server_requests (fx->server, names[0]), ==, 2);
  g_autofree char *range = http_test_server_last_range (fx->server, names[0]);
  g_assert_cmpstr (range, ==, "bytes=30000-");
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);
  watch_clear (&w);
}

static void
test_interrupted_keeps_part (Fixture *fx, gconstpointer data)
{
  http_test_server_drop_at (fx->server, names[0], 30000, 1000);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, names[0]));
  g_assert_nonnull (strstr (error->message, ".part"));
  g_assert_cmpuint (http_test_server_requests (fx->server, names[0]), ==, ATTEMPTS);
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_RETRYING), ==, ATTEMPTS - 1);

  /* No final file; the .part holds exactly what came. */
  g_assert_false (exists (fx->dir, names[0]));
  g_autofree char *part_name = g_strconcat (names[0], ".part", NULL);
  g_autoptr (GBytes) part = read_file (fx->dir, part_name);
  g_assert_nonnull (part);
  g_assert_cmpuint (g_bytes_get_size (part), ==, 30000);
  assert_folder_sane (fx);

  /* The next download resumes from it. */
  http_test_server_drop_at (fx->server, names[0], 0, 0);
  g_clear_error (&error);
  watch_clear (&w);
  watch_init (&w, fx);
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);
  g_autofree char *range = http_test_server_last_range (fx->server, names[0]);
  g_assert_cmpstr (range, ==, "bytes=30000-");
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);
  watch_clear (&w);
}

static void
test_part_complete (Fixture *fx, gconstpointer data)
{
  /* A run that got every byte but died before the rename. */
  g_autofree char *part = g_strconcat (fx->dir, "/", names[3], ".part", NULL);
  gsize len = 0;
  const char *bytes = g_bytes_get_data (fx->bodies[3], &len);
  g_assert_true (g_file_set_contents (part, bytes, (gssize) len, NULL));

  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (http_test_server_requests (fx->server, names[3]), ==, 0);
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);
  watch_clear (&w);
}

static void
test_replaces_bad_copy (Fixture *fx, gconstpointer data)
{
  fx->stale = g_bytes_new_static ("not the labels", 14);
  g_autofree char *path = g_build_filename (fx->dir, names[3], NULL);
  g_assert_true (g_file_set_contents (path, "not the labels", 14, NULL));

  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (http_test_server_requests (fx->server, names[3]), ==, 1);
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);
  watch_clear (&w);
}

static void
on_finished (GObject *source, GAsyncResult *result, gpointer data)
{
  Watch *w = data;
  g_assert_true (g_thread_self () == w->thread);
  w->ok = rv_download_files_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
test_async_success (Fixture *fx, gconstpointer data)
{
  Watch w;
  watch_init (&w, fx);
  w.loop = g_main_loop_new (NULL, FALSE);
  rv_download_files_async (http_test_server_url (fx->server), fx->dir, fx->files, N_FILES, NULL,
                           on_progress, &w, on_finished, &w);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  for (guint i = 0; i < N_FILES; i++)
    assert_file_is (fx, i);

  /* Every stage change arrived, all before the result. */
  g_assert_cmpuint (count_stage (&w, RV_DOWNLOAD_STAGE_FINISHED), ==, N_FILES);
  g_assert_cmpint (last_status (&w)->stage, ==, RV_DOWNLOAD_STAGE_FINISHED);
  g_assert_cmpuint (last_status (&w)->file_index, ==, N_FILES - 1);
  g_assert_cmpuint (last_status (&w)->done, ==, total_size (fx));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (w.done_before_last_status);
  watch_clear (&w);
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
  /* The server sends the first 20,000 bytes, then nothing. */
  http_test_server_stall_at (fx->server, names[0], 20000);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Watch w;
  watch_init (&w, fx);
  w.loop = g_main_loop_new (NULL, FALSE);
  w.cancel = cancellable;
  w.cancel_index = 0;
  gint64 start = g_get_monotonic_time ();
  rv_download_files_async (http_test_server_url (fx->server), fx->dir, fx->files, N_FILES, cancellable,
                           on_progress, &w, on_finished, &w);
  g_main_loop_run (w.loop);
  g_assert_false (w.ok);
  g_assert_error (w.error, RV_ERROR, RV_ERROR_CANCELLED);
  g_assert_true (g_str_has_prefix (w.error->message, "Download cancelled"));
  g_assert_nonnull (strstr (w.error->message, names[0]));
  /* Promptly, not after the server's or the session's timeouts. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  for (guint i = 0; i < N_FILES; i++)
    g_assert_false (exists (fx->dir, names[i]));
  assert_folder_sane (fx);
  watch_clear (&w);
}

static void
test_bad_url (Fixture *fx, gconstpointer data)
{
  const char *bad[] = { "ftp://example.org/data/", "not a url", "http://" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (rv_download_files (bad[i], fx->dir, fx->files, N_FILES, NULL, NULL, NULL, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
    }
}

static void
test_base_url (void)
{
  g_unsetenv ("RAVINE_DATA_URL");
  g_assert_cmpstr (rv_download_base_url (NULL), ==, RV_DOWNLOAD_DEFAULT_URL);
  g_assert_cmpstr (rv_download_base_url (""), ==, RV_DOWNLOAD_DEFAULT_URL);
  g_setenv ("RAVINE_DATA_URL", "http://mirror.example/fm/", TRUE);
  g_assert_cmpstr (rv_download_base_url (NULL), ==, "http://mirror.example/fm/");
  g_assert_cmpstr (rv_download_base_url ("http://other.example/"), ==, "http://other.example/");
  g_unsetenv ("RAVINE_DATA_URL");
}

static void
test_peek_header (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *path = g_build_filename (fx->dir, names[i], NULL);
      RvIdxHeader h;
      g_assert_true (rv_dataset_file_peek_header (path, &h, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (h.magic, ==, i % 2 == 0 ? 0x803 : 0x801);
      g_assert_cmpuint (h.n_dims, ==, i % 2 == 0 ? 3 : 1);
      g_assert_cmpuint (h.dims[0], ==, counts[i]);
      if (h.n_dims == 3)
        {
          g_assert_cmpuint (h.dims[1], ==, 28);
          g_assert_cmpuint (h.dims[2], ==, 28);
        }
    }
  g_autofree char *junk = g_build_filename (fx->dir, "junk", NULL);
  g_assert_true (g_file_set_contents (junk, "hello, world", -1, NULL));
  RvIdxHeader h;
  g_assert_false (rv_dataset_file_peek_header (junk, &h, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
}

/* The built-in sums are those of the real files, where a copy is at hand. */
static void
test_official_sums (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  g_autofree char *sums_path = dir ? g_build_filename (dir, "SHA256SUMS", NULL) : NULL;
  g_autofree char *text = NULL;
  if (sums_path == NULL || !g_file_get_contents (sums_path, &text, NULL, NULL))
    {
      g_test_skip ("RAVINE_TEST_DATA_DIR has no SHA256SUMS: the real FashionMNIST is not here");
      return;
    }
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s  %s", files[i].sha256, files[i].name);
      g_assert_nonnull (strstr (text, line));
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (rv_dataset_file_check (dir, &files[i], NULL, NULL, &error), ==, RV_DATASET_FILE_OK);
      g_assert_no_error (error);
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpuint ((guint64) st.st_size, ==, files[i].size);
    }
}

/* ---- what is in the folder is not always a file ---- */

/* A NAME.part planted as a symlink to a file outside the folder: the
 * download must neither write through it nor install it as NAME. */
static void
test_part_symlink (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *outside_dir = g_dir_make_tmp ("ravine-outside-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *target = g_build_filename (outside_dir, "precious", NULL);
  g_assert_true (g_file_set_contents (target, "precious", -1, NULL));
  g_autofree char *part = g_strconcat (fx->dir, "/", names[0], ".part", NULL);
  g_assert_cmpint (symlink (target, part), ==, 0);

  gboolean ok = download (fx, NULL, &error);
  g_autofree char *kept = NULL;
  g_assert_true (g_file_get_contents (target, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "precious");
  g_autofree char *path = g_build_filename (fx->dir, names[0], NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  if (ok)
    assert_file_is (fx, 0);
  else
    {
      g_assert_error (error, RV_ERROR, RV_ERROR_IO);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, ".part"));
      g_assert_nonnull (strstr (error->message, "symbolic link"));
      g_assert_false (exists (fx->dir, names[0]));
    }
  g_unlink (part);
  g_unlink (target);
  g_rmdir (outside_dir);
}

/* In NAME's place, or NAME.part's: a FIFO (which hung the check, and
 * SIGTERM with it) or a link to /dev/zero (which fed it for ever).  Each is
 * refused by name, at once, and left alone. */
static void
test_not_regular (Fixture *fx, gconstpointer data)
{
  const char *what = data;
  gboolean part = g_str_has_suffix (what, "-part");
  g_autofree char *path = g_strconcat (fx->dir, "/", names[0], part ? ".part" : "", NULL);
  if (g_str_has_prefix (what, "fifo"))
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
  else
    g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);

  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, g_str_has_prefix (what, "fifo") ? "is a FIFO, not a regular file"
                                            : part ? "is a symbolic link" : "is a character device"));
  g_assert_cmpuint (http_test_server_requests (fx->server, names[0]), ==, 0);
  GStatBuf st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_false (S_ISREG (st.st_mode));
}

static void
test_dest_is_file (Fixture *fx, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "not-a-folder", NULL);
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_download_files (http_test_server_url (fx->server), file, fx->files, N_FILES, NULL, NULL, NULL,
                                     &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_autofree char *want = g_strdup_printf ("%s: is a regular file, not a folder", file);
  g_assert_cmpstr (error->message, ==, want);
}

/* ---- retries say what went wrong ---- */

static void
assert_retry_reasons (Watch *w, const char *phrase, guint n)
{
  guint found = 0;
  for (guint i = 0; i < w->statuses->len; i++)
    {
      const RvDownloadStatus *s = &g_array_index (w->statuses, RvDownloadStatus, i);
      if (s->stage != RV_DOWNLOAD_STAGE_RETRYING)
        continue;
      g_test_message ("retrying: %s", s->retry_reason);
      g_assert_nonnull (strstr (s->retry_reason, phrase));
      found++;
    }
  g_assert_cmpuint (found, ==, n);
}

static void
test_retry_503 (Fixture *fx, gconstpointer data)
{
  http_test_server_set_status (fx->server, names[1], 503);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_NETWORK);
  assert_retry_reasons (&w, "the server answered 503 Service Unavailable", ATTEMPTS - 1);
  g_assert_nonnull (strstr (error->message, "503 Service Unavailable"));
  g_assert_nonnull (strstr (error->message, "after 4 tries"));
  g_assert_cmpuint (http_test_server_requests (fx->server, names[1]), ==, ATTEMPTS);
  watch_clear (&w);
}

static void
test_retry_drop (Fixture *fx, gconstpointer data)
{
  http_test_server_drop_at (fx->server, names[0], 30000, 1);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_true (download (fx, &w, &error));
  g_assert_no_error (error);
  g_autofree char *phrase = g_strdup_printf ("the connection broke after 30000 of %" G_GSIZE_FORMAT " bytes",
                                             g_bytes_get_size (fx->bodies[0]));
  assert_retry_reasons (&w, phrase, 1);
  watch_clear (&w);
}

/* A redirect loop will loop again: one try, and the error says why. */
static void
test_redirect_loop (Fixture *fx, gconstpointer data)
{
  http_test_server_redirect (fx->server, names[0], names[0]);
  Watch w;
  watch_init (&w, fx);
  g_autoptr (GError) error = NULL;
  g_assert_false (download (fx, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "too many redirects"));
  assert_retry_reasons (&w, "redirects", 0);
  g_assert_false (exists_part (fx->dir, names[0]));
  watch_clear (&w);
}

/* Nothing listens: the retries say the connection was refused. */
static void
test_retry_refused (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* A port that was free a moment ago and has no listener now. */
  g_autoptr (GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (probe, any, TRUE, &error));
  g_autoptr (GSocketAddress) bound = g_socket_get_local_address (probe, &error);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/",
                                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (probe, NULL);

  Watch w;
  watch_init (&w, fx);
  g_assert_false (rv_download_files (url, fx->dir, fx->files, N_FILES, NULL, on_progress, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "refused"));
  assert_retry_reasons (&w, "the connection was refused", ATTEMPTS - 1);
  watch_clear (&w);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A FIFO used to hang the download: a hang must fail, not stall CI. */
  alarm (100);
  g_unsetenv ("RAVINE_DATA_URL");
  /* The server is on 127.0.0.1: no proxy from the environment may stand
   * between (the CLI that we run inherits this too). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/download/success", test_success, NULL);
  ADD ("/download/checksum-mismatch", test_checksum_mismatch, NULL);
  ADD ("/download/http-404", test_http_status, GUINT_TO_POINTER (404));
  ADD ("/download/http-500", test_http_status, GUINT_TO_POINTER (500));
  ADD ("/download/resume-with-range", test_resume_with_range, NULL);
  ADD ("/download/restart-without-range", test_restart_without_range, NULL);
  ADD ("/download/interrupted-keeps-part", test_interrupted_keeps_part, NULL);
  ADD ("/download/part-complete", test_part_complete, NULL);
  ADD ("/download/replaces-bad-copy", test_replaces_bad_copy, NULL);
  ADD ("/download/async-success", test_async_success, NULL);
  ADD ("/download/cancel", test_cancel, NULL);
  ADD ("/download/bad-url", test_bad_url, NULL);
  ADD ("/download/peek-header", test_peek_header, NULL);
  ADD ("/download/part-symlink", test_part_symlink, NULL);
  ADD ("/download/fifo", test_not_regular, "fifo");
  ADD ("/download/fifo-part", test_not_regular, "fifo-part");
  ADD ("/download/dev-zero", test_not_regular, "zero");
  ADD ("/download/dev-zero-part", test_not_regular, "zero-part");
  ADD ("/download/dest-is-file", test_dest_is_file, NULL);
  ADD ("/download/retry-503", test_retry_503, NULL);
  ADD ("/download/retry-drop", test_retry_drop, NULL);
  ADD ("/download/retry-refused", test_retry_refused, NULL);
  ADD ("/download/redirect-loop", test_redirect_loop, NULL);
#undef ADD
  g_test_add_func ("/download/base-url", test_base_url);
  g_test_add_func ("/download/official-sums", test_official_sums);
  return g_test_run ();
}
