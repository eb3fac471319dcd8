/* rv-dataset-files.h: the four FashionMNIST files as facts: their names,
 * sizes and SHA-256 sums, and how to check a copy of them.
 *
 * The sums are those of the official files that Zalando Research publishes
 * (the same bytes as in its repository's data/fashion/), so any mirror that
 * serves them byte for byte passes. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RV_DATASET_N_FILES 4

typedef struct {
  const char *name;   /* "train-images-idx3-ubyte.gz", ... */
  const char *sha256; /* 64 lowercase hex digits */
  guint64 size;       /* bytes; 0 when not known in advance */
} RvDatasetFile;

/* The official four, in the order train images, train labels, test images,
 * test labels.  Static; never freed. */
const RvDatasetFile *rv_dataset_files_official (void);

/* The most bytes a data file may hold: the largest official file is
 * 26.4 MB gzipped and 47,040,016 bytes plain (60,000 images); this leaves
 * room for other 28x28 sets yet stops a /dev/zero link or a runaway server
 * long before memory or disk runs out. */
#define RV_DATASET_FILE_MAX_BYTES ((guint64) 256 << 20)

typedef enum {
  RV_DATASET_FILE_OK,         /* present and its SHA-256 matches */
  RV_DATASET_FILE_MISSING,    /* not there */
  RV_DATASET_FILE_MISMATCH,   /* there, but other bytes */
  RV_DATASET_FILE_UNREADABLE, /* something there that cannot be read as the
                               * file: a folder, FIFO, device, symlink loop
                               * or link to nothing, no permission, too big */
} RvDatasetFileState;

/* Opens path for reading when it is a regular file (or a link to one) of
 * at most max_size bytes, without ever blocking (a FIFO is refused, not
 * opened for reading).  Otherwise returns -1, sets *state_out to MISSING
 * (nothing at all is there) or UNREADABLE, and sets an RV_ERROR_DATA error
 * "NAME: PROBLEM" (name: how to call the file in it) that says what is
 * there: "is a FIFO, not a regular file", "is a symbolic link that loops",
 * "cannot be read: Permission denied" ... */
int rv_dataset_file_open (const char *path, const char *name, guint64 max_size, guint64 *size_out,
                          RvDatasetFileState *state_out, GError **error);

/* The SHA-256 of a file (a regular one, of at most
 * RV_DATASET_FILE_MAX_BYTES) as lowercase hex, or NULL and an error naming
 * the path: RV_ERROR_IO when a read fails, RV_ERROR_DATA when it is not
 * a regular file, too big or not permitted, RV_ERROR_CANCELLED when
 * cancelled. */
char *rv_dataset_file_sha256 (const char *path, GCancellable *cancellable, GError **error);

/* The same for an open descriptor, read from its current offset to the
 * end; path names it in errors. */
char *rv_dataset_fd_sha256 (int fd, const char *path, GCancellable *cancellable, GError **error);

/* Checks dir/file->name against file->sha256.  For anything but OK, error
 * (if given) says what is wrong in one line naming the file, such as
 * "NAME: checksum mismatch (expected ..., got ...)", "NAME: missing" or
 * "NAME: is a FIFO, not a regular file"; actual_sha256 (if given) receives
 * the file's sum when it could be read, else NULL. */
RvDatasetFileState rv_dataset_file_check (const char *dir, const RvDatasetFile *file,
                                          GCancellable *cancellable, char **actual_sha256,
                                          GError **error);

/* What an IDX file's header says, read from its first bytes only
 * (decompressing just those when it is gzipped); a file that is not a
 * regular one is refused as rv_dataset_file_open does. */
typedef struct {
  guint32 magic;    /* 0x00000801 labels, 0x00000803 images */
  guint n_dims;     /* 1 or 3 */
  guint32 dims[3];  /* count, then rows and columns for images */
} RvIdxHeader;

gboolean rv_dataset_file_peek_header (const char *path, RvIdxHeader *header, GError **error);

G_END_DECLS
