/* rv-dataset-files.c: the official FashionMNIST files and checking copies. */
#include "rv-dataset-files.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "rv-error.h"

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

char *
rv_dataset_file_sha256 (const char *path, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      set_read_error (error, path, errno);
      return NULL;
    }

  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (1 << 16);
  for (;;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          close (fd);
          g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "Checking %s was cancelled", path);
          return NULL;
        }
      ssize_t n = read (fd, buf, 1 << 16);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          close (fd);
          set_read_error (error, path, errsv);
          return NULL;
        }
      if (n == 0)
        break;
      g_checksum_update (sum, buf, (gssize) n);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

RvDatasetFileState
rv_dataset_file_check (const char *dir, const RvDatasetFile *file, GCancellable *cancellable,
                       char **actual_sha256, GError **error)
{
  g_return_val_if_fail (dir != NULL && file != NULL, RV_DATASET_FILE_UNREADABLE);

  if (actual_sha256 != NULL)
    *actual_sha256 = NULL;

  g_autofree char *path = g_build_filename (dir, file->name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: missing", file->name);
      return RV_DATASET_FILE_MISSING;
    }

  g_autoptr (GError) local = NULL;
  g_autofree char *sum = rv_dataset_file_sha256 (path, cancellable, &local);
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

  /* gzopen reads plain files as they are, so both forms work. */
  errno = 0;
  gzFile gz = gzopen (path, "rb");
  if (gz == NULL)
    {
      set_read_error (error, path, errno ? errno : ENOMEM);
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
