/* rv-file.c: regular files only, sizes capped, no symlink followed on write. */
#include "rv-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-error.h"

const char *
rv_file_kind (unsigned int mode)
{
  if (S_ISREG (mode))
    return "a regular file";
  if (S_ISDIR (mode))
    return "a folder";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISSOCK (mode))
    return "a socket";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISLNK (mode))
    return "a symbolic link";
  return "not a regular file";
}

static void
set_errno_error (GError **error, const char *path, const char *doing, int err)
{
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: cannot %s: %s", path, doing, g_strerror (err));
}

int
rv_file_open_read (const char *path, uint64_t max_size, uint64_t *size_out, GError **error)
{
  /* O_NONBLOCK so that opening a FIFO with no writer returns at once; it is
   * refused below before anything is read. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    {
      int err = errno;
      set_errno_error (error, path, "open", err);
      errno = err;
      return -1;
    }
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, path, "read", errno);
      close (fd);
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is %s, not a regular file", path, rv_file_kind (st.st_mode));
      close (fd);
      return -1;
    }
  if ((uint64_t) st.st_size > max_size)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "%s: is %" G_GUINT64_FORMAT " bytes, more than the %" G_GUINT64_FORMAT " bytes such a file can be",
                   path, (uint64_t) st.st_size, max_size);
      close (fd);
      return -1;
    }
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    (void) fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  if (size_out)
    *size_out = (uint64_t) st.st_size;
  return fd;
}

char *
rv_file_read_all (const char *path, uint64_t max_size, size_t *len_out, GError **error)
{
  uint64_t size;
  int fd = rv_file_open_read (path, max_size, &size, error);
  if (fd < 0)
    return NULL;
  /* Read at most max_size + 1 bytes: a file that grows while it is read is
   * still caught by the cap. */
  size_t cap = (size_t) size + 1;
  char *buf = g_malloc (cap + 1);
  size_t len = 0;
  for (;;)
    {
      if (len == cap)
        {
          if (cap > max_size)
            {
              g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: grew past %" G_GUINT64_FORMAT " bytes while being read",
                           path, max_size);
              g_free (buf);
              close (fd);
              return NULL;
            }
          cap = MIN ((size_t) max_size + 1, cap * 2);
          buf = g_realloc (buf, cap + 1);
        }
      ssize_t n = read (fd, buf + len, cap - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, path, "read", errno);
          g_free (buf);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);
  if (len > max_size)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: grew past %" G_GUINT64_FORMAT " bytes while being read",
                   path, max_size);
      g_free (buf);
      return NULL;
    }
  buf[len] = '\0';
  if (len_out)
    *len_out = len;
  return buf;
}

int
rv_file_open_write (const char *path, gboolean truncate, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
  if (fd < 0)
    {
      int err = errno;
      if (err == ELOOP)
        g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: is a symbolic link; Ravine does not write through one", path);
      else
        set_errno_error (error, path, "write", err);
      return -1;
    }
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, path, "write", errno);
      close (fd);
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: is %s, not a regular file", path, rv_file_kind (st.st_mode));
      close (fd);
      return -1;
    }
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    (void) fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  if (truncate && ftruncate (fd, 0) != 0)
    {
      set_errno_error (error, path, "write", errno);
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
rv_file_sync_folder (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err = 0;
  if (fd < 0)
    err = errno;
  else
    {
      if (fsync (fd) != 0)
        err = errno;
      close (fd);
    }
  /* Some file systems cannot flush a folder; nothing more can be done there. */
  if (err == 0 || err == EINVAL || err == ENOTSUP || err == EOPNOTSUPP)
    return TRUE;
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: cannot flush the folder: %s", dir, g_strerror (err));
  return FALSE;
}

gboolean
rv_file_exists_at_all (const char *path)
{
  struct stat st;
  return lstat (path, &st) == 0;
}
