/* rv-dataset-files.c: the official FashionMNIST files and checking copies. */
#include "rv-dataset-files.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "rv-error.h"
#include "rv-file.h"

/* SHA-256 of the official files, computed from copies whose MD5s equal the
 * ones the dataset's README publishes. */
static const RvDatasetFile official[RV_DATASET_N_FILES] = {
  { "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26421880 },
  { "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29515 },
  { "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4422102 },
  { "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5148 },
};

const RvDatasetFile *
rv_dataset_files_official (void)
{
  return official;
}

static void
set_read_error (GError **error, const char *path, int errsv)
{
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: cannot read: %s", name, g_strerror (errsv));
}

/* Says what is at path when it is not a regular file that can be read, or
 * NULL when it looks as if it were; *missing is set when nothing is there. */
static char *
describe_problem (const char *path, guint64 max_size, gboolean *missing)
{
  *missing = FALSE;
  struct stat lst, st;
  if (lstat (path, &lst) != 0)
    {
      if (errno == ENOENT)
        {
          *missing = TRUE;
          return g_strdup ("missing");
        }
      return g_strdup_printf ("cannot be read: %s", g_strerror (errno));
    }
  if (stat (path, &st) != 0)
    {
      int errsv = errno;
      if (S_ISLNK (lst.st_mode) && errsv == ELOOP)
        return g_strdup ("is a symbolic link that loops");
      if (S_ISLNK (lst.st_mode) && errsv == ENOENT)
        {
          g_autofree char *target = g_file_read_link (path, NULL);
          g_autofree char *shown = target ? g_filename_display_name (target) : g_strdup ("?");
          return g_strdup_printf ("is a symbolic link to %s, which does not exist", shown);
        }
      return g_strdup_printf ("cannot be read: %s", g_strerror (errsv));
    }
  if (!S_ISREG (st.st_mode))
    return g_strdup_printf ("is %s, not a regular file", rv_file_kind (st.st_mode));
  if ((guint64) st.st_size > max_size)
    return g_strdup_printf ("is %" G_GUINT64_FORMAT " bytes, more than the %" G_GUINT64_FORMAT
                            " bytes a data file can be", (guint64) st.st_size, max_size);
  return NULL;
}

int
rv_dataset_file_open (const char *path, const char *name, guint64 max_size, guint64 *size_out,
                      RvDatasetFileState *state_out, GError **error)
{
  g_return_val_if_fail (path != NULL, -1);

  g_autofree char *shown = name ? g_strdup (name) : g_filename_display_name (path);
  g_autoptr (GError) local = NULL;
  int fd = rv_file_open_read (path, max_size, size_out, &local);
  if (fd >= 0)
    {
      if (state_out)
        *state_out = RV_DATASET_FILE_OK;
      return fd;
    }
  int open_errno = errno;
  /* Say what is there, in the data set's words; a plain open failure (such
   * as "Permission denied") keeps open()'s reason. */
  gboolean missing = FALSE;
  g_autofree char *problem = describe_problem (path, max_size, &missing);
  if (problem == NULL)
    problem = g_error_matches (local, RV_ERROR, RV_ERROR_IO)
                ? g_strdup_printf ("cannot be read: %s", g_strerror (open_errno))
                : g_strdup (local->message);
  if (state_out)
    *state_out = missing ? RV_DATASET_FILE_MISSING : RV_DATASET_FILE_UNREADABLE;
  g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %s", shown, problem);
  return -1;
}

char *
rv_dataset_fd_sha256 (int fd, const char *path, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (fd >= 0 && path != NULL, NULL);

  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (1 << 16);
  guint64 total = 0;
  for (;;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "Checking %s was cancelled", path);
          return NULL;
        }
      ssize_t n = read (fd, buf, 1 << 16);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_read_error (error, path, errno);
          return NULL;
        }
      if (n == 0)
        break;
      total += (guint64) n;
      if (total > RV_DATASET_FILE_MAX_BYTES)
        {
          /* A file that keeps growing while it is read. */
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: grew past %" G_GUINT64_FORMAT " bytes while being read",
                       name, RV_DATASET_FILE_MAX_BYTES);
          return NULL;
        }
      g_checksum_update (sum, buf, (gssize) n);
    }
  return g_strdup (g_checksum_get_string (sum));
}

char *
rv_dataset_file_sha256 (const char *path, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  int fd = rv_dataset_file_open (path, NULL, RV_DATASET_FILE_MAX_BYTES, NULL, NULL, error);
  if (fd < 0)
    return NULL;
  char *sum = rv_dataset_fd_sha256 (fd, path, cancellable, error);
  close (fd);
  return sum;
}

RvDatasetFileState
rv_dataset_file_check (const char *dir, const RvDatasetFile *file, GCancellable *cancellable,
                       char **actual_sha256, GError **error)
{
  g_return_val_if_fail (dir != NULL && file != NULL, RV_DATASET_FILE_UNREADABLE);

  if (actual_sha256 != NULL)
    *actual_sha256 = NULL;

  g_autofree char *path = g_build_filename (dir, file->name, NULL);
  RvDatasetFileState opened;
  int fd = rv_dataset_file_open (path, file->name, RV_DATASET_FILE_MAX_BYTES, NULL, &opened, error);
  if (fd < 0)
    return opened;

  g_autoptr (GError) local = NULL;
  g_autofree char *sum = rv_dataset_fd_sha256 (fd, path, cancellable, &local);
  close (fd);
  if (sum == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return RV_DATASET_FILE_UNREADABLE;
    }

  RvDatasetFileState state = RV_DATASET_FILE_OK;
  if (g_ascii_strcasecmp (sum, file->sha256) != 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: checksum mismatch (expected %s, got %s)",
                   file->name, file->sha256, sum);
      state = RV_DATASET_FILE_MISMATCH;
    }
  if (actual_sha256 != NULL)
    *actual_sha256 = g_steal_pointer (&sum);
  return state;
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

gboolean
rv_dataset_file_peek_header (const char *path, RvIdxHeader *header, GError **error)
{
  g_return_val_if_fail (path != NULL && header != NULL, FALSE);

  int fd = rv_dataset_file_open (path, NULL, RV_DATASET_FILE_MAX_BYTES, NULL, NULL, error);
  if (fd < 0)
    return FALSE;
  /* gzdopen reads plain files as they are, so both forms work; it owns fd. */
  gzFile gz = gzdopen (fd, "rb");
  if (gz == NULL)
    {
      close (fd);
      set_read_error (error, path, ENOMEM);
      return FALSE;
    }

  guint8 bytes[16];
  int got = gzread (gz, bytes, 4);
  guint n_dims = got == 4 ? bytes[3] : 0;
  gboolean ok = got == 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08
                && (n_dims == 1 || n_dims == 3)
                && gzread (gz, bytes + 4, (unsigned) (4 * n_dims)) == (int) (4 * n_dims);
  gzclose (gz);
  if (!ok)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: not an IDX file of bytes with 1 or 3 dimensions", name);
      return FALSE;
    }

  header->magic = be32 (bytes);
  header->n_dims = n_dims;
  for (guint d = 0; d < 3; d++)
    header->dims[d] = d < n_dims ? be32 (bytes + 4 + 4 * d) : 0;
  return TRUE;
}
