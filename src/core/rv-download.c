/* rv-download.c: fetch into NAME.part, check its SHA-256, rename to NAME;
 * resume a broken transfer with Range, retry it a few times. */
#include "rv-config.h"
#include "rv-download.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-dataset.h"
#include "rv-error.h"
#include "rv-file.h"

#define ATTEMPTS 4                    /* per file, while the connection keeps breaking */
#define FIRST_RETRY_DELAY_MS 250      /* doubled after each broken attempt */
#define REPORT_INTERVAL_US (50 * 1000)
#define IO_TIMEOUT_S 30               /* a silent server counts as a broken connection */
#define CHUNK (64 * 1024)

typedef struct {
  char *base_url;
  char *dest_dir;
  RvDatasetFile *files;     /* owned copies */
  guint64 *sizes;           /* [n_files] known sizes, filled in as servers tell them */
  guint n_files;
  RvDownloadProgress progress;
  gpointer progress_data;

  /* Async runs hand statuses to the caller's context through this queue. */
  GMainContext *context;    /* NULL: call progress directly */
  GTask *task;              /* no reference: the job is the task's data */
  GMutex lock;
  GQueue pending;           /* of RvDownloadStatus *, oldest first */
  gboolean posted;          /* a source will drain pending */

  RvDownloadStatus status;
  guint64 done_before;      /* the bytes of the files finished so far */
  gint64 last_report;       /* when progress was last called, or will be */
  SoupSession *session;     /* lives in the thread that runs the job */
} Job;

static Job *
job_new (const char *base_url, const char *dest_dir, const RvDatasetFile *files, guint n_files,
         RvDownloadProgress progress, gpointer progress_data)
{
  Job *job = g_new0 (Job, 1);
  job->base_url = g_strdup (rv_download_base_url (base_url));
  job->dest_dir = dest_dir != NULL && *dest_dir != '\0' ? g_strdup (dest_dir) : rv_dataset_find_dir (NULL);
  job->files = g_new0 (RvDatasetFile, n_files);
  job->sizes = g_new0 (guint64, n_files);
  for (guint i = 0; i < n_files; i++)
    {
      job->files[i].name = g_strdup (files[i].name);
      job->files[i].sha256 = g_ascii_strdown (files[i].sha256, -1);
      job->files[i].size = files[i].size;
      job->sizes[i] = files[i].size;
    }
  job->n_files = n_files;
  job->progress = progress;
  job->progress_data = progress_data;
  g_mutex_init (&job->lock);
  g_queue_init (&job->pending);
  return job;
}

static void
job_free (gpointer data)
{
  Job *job = data;
  for (guint i = 0; i < job->n_files; i++)
    {
      g_free ((char *) job->files[i].name);
      g_free ((char *) job->files[i].sha256);
    }
  g_free (job->files);
  g_free (job->sizes);
  g_free (job->base_url);
  g_free (job->dest_dir);
  g_queue_clear_full (&job->pending, g_free);
  g_mutex_clear (&job->lock);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->session);
  g_free (job);
}

/* ---- progress ---- */

static gboolean
deliver_pending (gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (data));

  g_mutex_lock (&job->lock);
  GQueue batch = job->pending;
  g_queue_init (&job->pending);
  job->posted = FALSE;
  g_mutex_unlock (&job->lock);

  RvDownloadStatus *status;
  while ((status = g_queue_pop_head (&batch)) != NULL)
    {
      job->progress (status, job->progress_data);
      g_free (status);
    }
  return G_SOURCE_REMOVE;
}

static void
post_delivery (Job *job, gint64 wait_us)
{
  GSource *source = wait_us > 0 ? g_timeout_source_new ((guint) (wait_us / 1000) + 1) : g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_pending, g_object_ref (job->task), g_object_unref);
  g_source_set_static_name (source, "[ravine] download progress");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static void
report (Job *job, gboolean always)
{
  if (job->progress == NULL)
    return;
  job->status.done = job->done_before + job->status.file_done;
  job->status.total = 0;
  for (guint i = 0; i < job->n_files; i++)
    job->status.total += job->sizes[i];

  gint64 now = g_get_monotonic_time ();
  if (job->context == NULL)
    {
      if (!always && now - job->last_report < REPORT_INTERVAL_US)
        return;
      job->last_report = now;
      job->progress (&job->status, job->progress_data);
      return;
    }

  /* Stage changes all reach the caller; of a run of byte counts only the
   * latest does, at most REPORT_INTERVAL_US apart but never left behind
   * when bytes stop coming. */
  g_mutex_lock (&job->lock);
  RvDownloadStatus *tail = g_queue_peek_tail (&job->pending);
  if (tail != NULL && tail->stage == RV_DOWNLOAD_STAGE_RECEIVING
      && job->status.stage == RV_DOWNLOAD_STAGE_RECEIVING && tail->file_index == job->status.file_index)
    *tail = job->status;
  else
    g_queue_push_tail (&job->pending, g_memdup2 (&job->status, sizeof job->status));
  gboolean post = !job->posted;
  job->posted = TRUE;
  g_mutex_unlock (&job->lock);

  if (post)
    {
      gint64 wait = always ? 0 : MAX (0, job->last_report + REPORT_INTERVAL_US - now);
      job->last_report = now + wait;
      post_delivery (job, wait);
    }
}

/* Delivers what is queued before the task's result, which the caller
 * expects to come last: sources of one priority run in the order attached. */
static void
flush_reports (Job *job)
{
  g_mutex_lock (&job->lock);
  gboolean pending = !g_queue_is_empty (&job->pending);
  job->posted |= pending;
  g_mutex_unlock (&job->lock);
  if (pending)
    post_delivery (job, 0);
}

static void
set_stage (Job *job, RvDownloadStage stage)
{
  job->status.stage = stage;
  report (job, TRUE);
}

/* ---- small helpers ---- */

static gboolean
set_io_error (GError **error, const char *path, const char *what, int errsv)
{
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: %s: %s", name, what, g_strerror (errsv));
  return FALSE;
}

static gboolean
write_all (int fd, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
truncate_part (int fd, const char *part, GError **error)
{
  if (ftruncate (fd, 0) != 0)
    return set_io_error (error, part, "cannot write", errno);
  return TRUE;
}

static guint64
part_size (int fd)
{
  struct stat st;
  return fstat (fd, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Flushes the folder so that a rename into it survives a crash. */
static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Waits ms milliseconds; FALSE when cancelled meanwhile. */
static gboolean
wait_cancellable (guint ms, GCancellable *cancellable)
{
  GPollFD pollfd;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, (gint) ms);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
  return !g_cancellable_is_cancelled (cancellable);
}

static gboolean
check_base_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL || host == NULL || *host == '\0'
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "\"%s\" is not an http:// or https:// URL", url);
      return FALSE;
    }
  return TRUE;
}

static char *
file_url (const Job *job, const RvDatasetFile *f)
{
  gsize len = strlen (job->base_url);
  gboolean slash = len > 0 && job->base_url[len - 1] == '/';
  return g_strconcat (job->base_url, slash ? "" : "/", f->name, NULL);
}

/* Why a try failed, in words that say what happened. */
static char *
describe_failure (const GError *e)
{
  if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup_printf ("the connection was refused (%s)", e->message);
  if (e->domain == G_RESOLVER_ERROR)
    return g_strdup_printf ("the server's name could not be looked up (%s)", e->message);
  if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf ("the server sent nothing for %d s", IO_TIMEOUT_S);
  if (g_error_matches (e, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return g_strdup ("too many redirects (the server keeps sending the request on elsewhere)");
  return g_strdup_printf ("the connection failed (%s)", e->message);
}

/* What trying again cannot mend. */
static gboolean
is_permanent (const GError *e)
{
  return g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED) || e->domain == G_TLS_ERROR
         || g_error_matches (e, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS)
         || g_error_matches (e, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION)
         || g_error_matches (e, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI);
}

/* Sets error and keeps the reason for the RETRYING status. */
static gboolean
network_error (Job *job, GError **error, const RvDatasetFile *f, const char *url, const char *reason)
{
  g_strlcpy (job->status.retry_reason, reason, sizeof job->status.retry_reason);
  g_set_error (error, RV_ERROR, RV_ERROR_NETWORK, "%s: cannot download %s: %s", f->name, url, reason);
  return FALSE;
}

/* ---- one file ---- */

/* Streams body into fd from offset on. */
static gboolean
receive (Job *job, const RvDatasetFile *f, const char *url, const char *part, GInputStream *body,
         SoupMessageHeaders *headers, int fd, guint64 offset, GCancellable *cancellable,
         gboolean *retry, GError **error)
{
  if (lseek (fd, (off_t) offset, SEEK_SET) < 0)
    return set_io_error (error, part, "cannot write", errno);

  goffset length = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  if (f->size == 0 && length >= 0)
    job->sizes[job->status.file_index] = offset + (guint64) length;

  job->status.file_size = job->sizes[job->status.file_index];
  job->status.file_done = offset;
  job->status.resumed_at = offset;
  job->status.retry_reason[0] = '\0';
  set_stage (job, RV_DOWNLOAD_STAGE_RECEIVING);

  /* A server that does not stop: no file is bigger than this. */
  guint64 limit = f->size != 0 ? f->size : RV_DATASET_FILE_MAX_BYTES;

  g_autofree guint8 *buf = g_malloc (CHUNK);
  guint64 got = 0;
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gssize n = g_input_stream_read (body, buf, CHUNK, cancellable, &local);
      if (n < 0)
        {
          *retry = !is_permanent (local);
          g_autofree char *reason = NULL;
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            reason = g_strdup_printf ("the server sent nothing for %d s after %" G_GUINT64_FORMAT " bytes",
                                      IO_TIMEOUT_S, offset + got);
          else
            reason = g_strdup_printf ("the connection broke after %" G_GUINT64_FORMAT " bytes (%s)",
                                      offset + got, local->message);
          return network_error (job, error, f, url, reason);
        }
      if (n == 0)
        break;
      if (offset + got + (guint64) n > limit)
        {
          /* Not the file we know: what came is useless for a resume too. */
          truncate_part (fd, part, NULL);
          if (f->size != 0)
            g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: the server sent more than the file's %"
                         G_GUINT64_FORMAT " bytes (from %s)", f->name, f->size, url);
          else
            g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: the server sent more than the %"
                         G_GUINT64_FORMAT " bytes a data file can be (from %s)", f->name, limit, url);
          return FALSE;
        }
      if (!write_all (fd, buf, (gsize) n))
        return set_io_error (error, part, "cannot write", errno);
      got += (guint64) n;
      job->status.file_done = offset + got;
      report (job, FALSE);
    }

  if (length >= 0 && got < (guint64) length)
    {
      *retry = TRUE;
      g_autofree char *reason = g_strdup_printf ("the connection broke after %" G_GUINT64_FORMAT " of %"
                                                 G_GOFFSET_FORMAT " bytes", got, length);
      return network_error (job, error, f, url, reason);
    }
  g_input_stream_close (body, NULL, NULL);
  report (job, TRUE);
  return TRUE;
}

/* One request for f, continuing the .part in fd where it ends.  On failure
 * sets *retry when trying again may help. */
static gboolean
fetch_once (Job *job, const RvDatasetFile *f, const char *url, const char *part, int fd,
            GCancellable *cancellable, gboolean *retry, GError **error)
{
  *retry = FALSE;
  guint64 offset = part_size (fd);
  if (f->size != 0 && offset > f->size)
    {
      if (!truncate_part (fd, part, error))
        return FALSE;
      offset = 0;
    }
  if (f->size != 0 && offset == f->size)
    {
      /* A previous run got every byte but stopped before the rename: the
       * checksum decides. */
      job->status.file_size = f->size;
      job->status.file_done = offset;
      job->status.resumed_at = offset;
      return TRUE;
    }

  for (gboolean ranged = offset > 0;; ranged = FALSE)
    {
      g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
      if (msg == NULL)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "\"%s\" is not a valid URL", url);
          return FALSE;
        }
      if (ranged)
        soup_message_headers_set_range (soup_message_get_request_headers (msg), (goffset) offset, -1);

      g_autoptr (GError) local = NULL;
      g_autoptr (GInputStream) body = soup_session_send (job->session, msg, cancellable, &local);
      if (body == NULL)
        {
          *retry = !is_permanent (local);
          g_autofree char *reason = describe_failure (local);
          return network_error (job, error, f, url, reason);
        }

      guint code = soup_message_get_status (msg);
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
      goffset start = -1, end = -1, total = -1;
      if (ranged && code == SOUP_STATUS_PARTIAL_CONTENT
          && soup_message_headers_get_content_range (headers, &start, &end, &total)
          && start == (goffset) offset)
        return receive (job, f, url, part, body, headers, fd, offset, cancellable, retry, error);

      if (ranged && (code == SOUP_STATUS_PARTIAL_CONTENT || code == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE))
        {
          /* Some other range, or none the server will give: start over. */
          g_input_stream_close (body, NULL, NULL);
          if (!truncate_part (fd, part, error))
            return FALSE;
          offset = 0;
          continue;
        }
      if (code == SOUP_STATUS_OK)
        {
          /* The whole file, whether or not we asked for a part of it. */
          if (offset > 0 && !truncate_part (fd, part, error))
            return FALSE;
          return receive (job, f, url, part, body, headers, fd, 0, cancellable, retry, error);
        }

      /* Gateways and overloaded servers often recover; the rest will not. */
      *retry = code == SOUP_STATUS_BAD_GATEWAY || code == SOUP_STATUS_SERVICE_UNAVAILABLE
               || code == SOUP_STATUS_GATEWAY_TIMEOUT;
      g_snprintf (job->status.retry_reason, sizeof job->status.retry_reason, "the server answered %u %s", code,
                  soup_message_get_reason_phrase (msg));
      g_set_error (error, RV_ERROR, RV_ERROR_NETWORK, "%s: %s for %s", f->name, job->status.retry_reason, url);
      return FALSE;
    }
}

static void
set_cancelled (GError **error, const RvDatasetFile *f, guint64 kept)
{
  if (kept > 0)
    g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "Download cancelled: %s is not complete (%s.part keeps "
                 "the %" G_GUINT64_FORMAT " bytes that came, for the next download to resume)",
                 f->name, f->name, kept);
  else
    g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "Download cancelled: %s was not fetched", f->name);
}

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static gboolean
set_replaced (GError **error, const char *part)
{
  g_autofree char *name = g_filename_display_name (part);
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: was replaced by something else during the download; "
               "nothing was installed", name);
  return FALSE;
}

/* fd (write-only) holds every byte of f: check them, then make them the
 * file. */
static gboolean
commit_part (Job *job, const RvDatasetFile *f, const char *path, const char *part, int fd,
             GCancellable *cancellable, GError **error)
{
  if (fsync (fd) != 0)
    return set_io_error (error, part, "cannot write", errno);

  /* Read back through a second descriptor, after making sure it is the
   * very file fd wrote. */
  struct stat written, read_back, entry;
  int rfd = rv_file_open_read (part, RV_DATASET_FILE_MAX_BYTES, NULL, error);
  if (rfd < 0)
    return FALSE;
  if (fstat (fd, &written) != 0 || fstat (rfd, &read_back) != 0 || !same_file (&written, &read_back))
    {
      close (rfd);
      return set_replaced (error, part);
    }
  g_autofree char *sum = rv_dataset_fd_sha256 (rfd, part, cancellable, error);
  close (rfd);
  if (sum == NULL)
    return FALSE;
  if (strcmp (sum, f->sha256) != 0)
    {
      g_unlink (part);
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: checksum mismatch (expected %s, got %s)",
                   f->name, f->sha256, sum);
      return FALSE;
    }
  /* rename moves whatever the name .part stands for: only the regular file
   * written may become NAME, never a link put in its place. */
  if (lstat (part, &entry) != 0 || !S_ISREG (entry.st_mode) || !same_file (&entry, &written))
    return set_replaced (error, part);
  if (rename (part, path) != 0)
    return set_io_error (error, path, "cannot rename the checked download to it", errno);
  sync_dir (job->dest_dir);
  return TRUE;
}

/* Opens NAME.part for writing (never through a symlink), creating it. */
static int
open_part (const char *part, GError **error)
{
  struct stat st;
  if (lstat (part, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (part);
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: is %s, not a regular file; Ravine does not write through it "
                   "(remove it, then download again)", name, rv_file_kind (st.st_mode));
      return -1;
    }
  return rv_file_open_write (part, FALSE, error);
}

static gboolean
fetch_file (Job *job, const RvDatasetFile *f, const char *path, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = file_url (job, f);
  g_autofree char *part = g_strconcat (path, ".part", NULL);

  int fd = open_part (part, error);
  if (fd < 0)
    return FALSE;
  /* The app and the CLI may both be fetching into the same folder. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_autofree char *name = g_filename_display_name (part);
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: another download is writing it", name);
      return FALSE;
    }

  g_autoptr (GError) local = NULL;
  gboolean ok = FALSE;
  guint attempt;
  for (attempt = 1;; attempt++)
    {
      gboolean retry = FALSE;
      g_clear_error (&local);
      job->status.attempt = attempt;
      ok = fetch_once (job, f, url, part, fd, cancellable, &retry, &local);
      if (ok || !retry || attempt == ATTEMPTS || g_cancellable_is_cancelled (cancellable))
        break;
      set_stage (job, RV_DOWNLOAD_STAGE_RETRYING);
      if (!wait_cancellable (FIRST_RETRY_DELAY_MS << (attempt - 1), cancellable))
        break;
    }
  job->status.retry_reason[0] = '\0';
  if (ok)
    ok = commit_part (job, f, path, part, fd, cancellable, &local);

  /* Only the .part this download made or resumed is removed: check that
   * the name still stands for it. */
  guint64 kept = ok ? 0 : part_size (fd);
  struct stat mine, entry;
  if (!ok && kept == 0 && fstat (fd, &mine) == 0 && lstat (part, &entry) == 0 && same_file (&mine, &entry))
    g_unlink (part);
  close (fd);

  if (ok)
    return TRUE;
  g_autofree char *tries = attempt > 1 ? g_strdup_printf (", after %u tries", attempt) : g_strdup ("");
  if (g_cancellable_is_cancelled (cancellable))
    set_cancelled (error, f, kept);
  else if (g_error_matches (local, RV_ERROR, RV_ERROR_NETWORK) && kept > 0)
    g_set_error (error, RV_ERROR, RV_ERROR_NETWORK, "%s (%s.part keeps %" G_GUINT64_FORMAT
                 " bytes%s: the next download resumes from there)", local->message, f->name, kept, tries);
  else if (g_error_matches (local, RV_ERROR, RV_ERROR_NETWORK) && attempt > 1)
    g_set_error (error, RV_ERROR, RV_ERROR_NETWORK, "%s (gave up after %u tries)", local->message, attempt);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* Makes sure the file at index i is in place and checked. */
static gboolean
ensure_file (Job *job, guint i, GCancellable *cancellable, GError **error)
{
  const RvDatasetFile *f = &job->files[i];
  g_autofree char *path = g_build_filename (job->dest_dir, f->name, NULL);

  job->status.file = f->name;
  job->status.file_index = i;
  job->status.file_done = 0;
  job->status.file_size = job->sizes[i];
  job->status.resumed_at = 0;
  job->status.attempt = 0;
  job->status.retry_reason[0] = '\0';

  if (g_cancellable_is_cancelled (cancellable))
    {
      set_cancelled (error, f, 0);
      return FALSE;
    }

  gboolean ok = FALSE;
  struct stat st;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      /* A FIFO would hang the check and a device feed it for ever; and
       * whatever it is, someone put it there. */
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: is %s, not a regular file; Ravine leaves it alone "
                   "(remove it, then download again)", name, rv_file_kind (st.st_mode));
      return FALSE;
    }
  if (stat (path, &st) == 0)
    {
      /* A copy already there is kept if it is the right one; otherwise
       * the download replaces it. */
      set_stage (job, RV_DOWNLOAD_STAGE_CHECKING);
      ok = rv_dataset_file_check (job->dest_dir, f, cancellable, NULL, NULL) == RV_DATASET_FILE_OK;
      if (ok)
        {
          job->sizes[i] = (guint64) st.st_size;
          job->status.file_size = job->status.file_done = (guint64) st.st_size;
        }
      else if (g_cancellable_is_cancelled (cancellable))
        {
          set_cancelled (error, f, 0);
          return FALSE;
        }
    }
  if (!ok && !fetch_file (job, f, path, cancellable, error))
    return FALSE;

  job->sizes[i] = job->status.file_done;
  job->status.file_size = job->status.file_done;
  set_stage (job, RV_DOWNLOAD_STAGE_FINISHED);
  job->done_before += job->status.file_done;
  job->status.file_done = 0;
  return TRUE;
}

static gboolean
job_run (Job *job, GCancellable *cancellable, GError **error)
{
  if (!check_base_url (job->base_url, error))
    return FALSE;
  struct stat st;
  if (stat (job->dest_dir, &st) == 0 && !S_ISDIR (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (job->dest_dir);
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: is %s, not a folder", name, rv_file_kind (st.st_mode));
      return FALSE;
    }
  if (g_mkdir_with_parents (job->dest_dir, 0755) != 0)
    return set_io_error (error, job->dest_dir, "cannot create the folder", errno);

  /* Made here, so it lives in the thread that uses it.  Without the content
   * decoder: the bytes wanted are the .gz files as they are, and Range
   * offsets count those bytes. */
  job->session = soup_session_new_with_options ("user-agent", "Ravine/" PACKAGE_VERSION " ",
                                                "timeout", IO_TIMEOUT_S, NULL);
  soup_session_remove_feature_by_type (job->session, SOUP_TYPE_CONTENT_DECODER);

  job->status.n_files = job->n_files;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < job->n_files; i++)
    ok = ensure_file (job, i, cancellable, error);
  g_clear_object (&job->session);
  return ok;
}

/* ---- the public faces ---- */

const char *
rv_download_base_url (const char *base_url)
{
  if (base_url != NULL && *base_url != '\0')
    return base_url;
  const char *env = g_getenv ("RAVINE_DATA_URL");
  if (env != NULL && *env != '\0')
    return env;
  return RV_DOWNLOAD_DEFAULT_URL;
}

static void
download_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok = job_run (task_data, cancellable, &error);
  flush_reports (task_data);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
rv_download_files_async (const char *base_url, const char *dest_dir,
                         const RvDatasetFile *files, guint n_files,
                         GCancellable *cancellable,
                         RvDownloadProgress progress_cb, gpointer progress_data,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (files != NULL || n_files == 0);

  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rv_download_files_async);
  g_task_set_name (task, "[ravine] download");
  /* Our own error says which file and what is kept, which GIO's generic
   * "Operation was cancelled" would hide. */
  g_task_set_check_cancellable (task, FALSE);

  Job *job = job_new (base_url, dest_dir, files, n_files, progress_cb, progress_data);
  job->context = g_main_context_ref_thread_default ();
  job->task = task;
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, download_thread);
}

gboolean
rv_download_files_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rv_download_files_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
rv_download_files (const char *base_url, const char *dest_dir,
                   const RvDatasetFile *files, guint n_files,
                   GCancellable *cancellable,
                   RvDownloadProgress progress_cb, gpointer progress_data,
                   GError **error)
{
  g_return_val_if_fail (files != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  Job *job = job_new (base_url, dest_dir, files, n_files, progress_cb, progress_data);
  gboolean ok = job_run (job, cancellable, error);
  job_free (job);
  return ok;
}

void
rv_download_fashion_mnist_async (const char *base_url, const char *dest_dir,
                                 GCancellable *cancellable,
                                 RvDownloadProgress progress_cb, gpointer progress_data,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  rv_download_files_async (base_url, dest_dir, rv_dataset_files_official (), RV_DATASET_N_FILES,
                           cancellable, progress_cb, progress_data, callback, user_data);
}

gboolean
rv_download_fashion_mnist_finish (GAsyncResult *result, GError **error)
{
  return rv_download_files_finish (result, error);
}

gboolean
rv_download_fashion_mnist (const char *base_url, const char *dest_dir,
                           GCancellable *cancellable,
                           RvDownloadProgress progress_cb, gpointer progress_data,
                           GError **error)
{
  return rv_download_files (base_url, dest_dir, rv_dataset_files_official (), RV_DATASET_N_FILES,
                            cancellable, progress_cb, progress_data, error);
}
