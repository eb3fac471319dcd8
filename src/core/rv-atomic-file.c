/* rv-atomic-file.c: write to a temporary file, fsync, rename, fsync the folder. */
#include "rv-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-error.h"
#include "rv-file.h"
#include "rv-test-hook.h"

struct _RvAtomicFile {
  char *path;           /* the target */
  char *tmp_path;       /* the temporary file beside it */
  int fd;               /* -1 once closed */
  guint64 written;
  guint64 fail_after;   /* test hook: G_MAXUINT64 when off */
};

static gboolean
set_errno_error (GError **error, int errsv, const char *what, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: %s: %s", name, what, g_strerror (errsv));
  return FALSE;
}

static guint64
read_fail_after (void)
{
  const char *value = g_getenv ("RAVINE_TEST_FAIL_WRITE_AFTER");

  if (value == NULL || *value == '\0')
    return G_MAXUINT64;
  return g_ascii_strtoull (value, NULL, 10);
}

RvAtomicFile *
rv_atomic_file_open (const char *path, GError **error)
{
  RvAtomicFile *file;
  struct stat st;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  file = g_new0 (RvAtomicFile, 1);
  file->path = g_strdup (path);
  /* Beside the target, so that rename() stays within one filesystem. */
  file->tmp_path = g_strconcat (path, ".XXXXXX.tmp", NULL);
  file->fail_after = read_fail_after ();
  /* 0666 under the umask, as a plainly created file would get. */
  file->fd = g_mkstemp_full (file->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (file->fd < 0)
    {
      int errsv = errno;

      set_errno_error (error, errsv, "cannot create a temporary file beside it", path);
      g_free (file->tmp_path);
      g_free (file->path);
      g_free (file);
      return NULL;
    }

  /* Replacing a file should not change who may read it. */
  if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
    (void) fchmod (file->fd, st.st_mode & 07777);

  return file;
}

gboolean
rv_atomic_file_append (RvAtomicFile *file, const void *data, size_t len, GError **error)
{
  const char *p = data;

  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  while (len > 0)
    {
      /* Keep each write within what write() promises to handle. */
      size_t chunk = MIN (len, (size_t) 1 << 30);
      ssize_t n;

      if (file->written + chunk > file->fail_after)
        chunk = (size_t) (file->fail_after - file->written);
      if (chunk == 0)
        {
          errno = ENOSPC;
          n = -1;
        }
      else
        n = write (file->fd, p, chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        /* write() returning 0 for a non-empty buffer means no room either. */
        return set_errno_error (error, n < 0 ? errno : ENOSPC, "cannot write", file->path);

      p += n;
      len -= (size_t) n;
      file->written += (guint64) n;
    }

  return TRUE;
}

/* Flushes the folder holding path, so that a rename into it is on disk. */
static gboolean
sync_folder (const char *path, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  return rv_file_sync_folder (folder, error);
}

/* Closes the descriptor and removes the temporary file if it is still there. */
static void
file_free (RvAtomicFile *file)
{
  if (file->fd >= 0)
    close (file->fd);
  if (file->tmp_path != NULL)
    (void) g_unlink (file->tmp_path);

  g_free (file->tmp_path);
  g_free (file->path);
  g_free (file);
}

static gboolean
replace_target (RvAtomicFile *file, GError **error)
{
  int fd = file->fd;

  /* The data must be on disk before the rename makes it the target, or a
   * crash could leave an empty file where the old one was. */
  rv_test_hook_save_step ();
  if (fsync (fd) != 0)
    return set_errno_error (error, errno, "cannot write", file->path);

  /* close() can report a deferred write error (NFS); the fd is gone either way. */
  file->fd = -1;
  if (close (fd) != 0)
    return set_errno_error (error, errno, "cannot write", file->path);

  rv_test_hook_save_step ();
  if (rename (file->tmp_path, file->path) != 0)
    return set_errno_error (error, errno, "cannot replace it", file->path);

  /* The temporary name is gone: nothing left to remove. */
  g_clear_pointer (&file->tmp_path, g_free);
  return TRUE;
}

gboolean
rv_atomic_file_commit (RvAtomicFile *file, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (file != NULL && file->fd >= 0, FALSE);

  ok = replace_target (file, error) && sync_folder (file->path, error);
  file_free (file);
  return ok;
}

void
rv_atomic_file_abort (RvAtomicFile *file)
{
  if (file != NULL)
    file_free (file);
}

gboolean
rv_atomic_file_write (const char *path, const void *data, size_t len, GError **error)
{
  g_autoptr (RvAtomicFile) file = rv_atomic_file_open (path, error);

  if (file == NULL)
    return FALSE;
  if (!rv_atomic_file_append (file, data, len, error))
    return FALSE;

  return rv_atomic_file_commit (g_steal_pointer (&file), error);
}
