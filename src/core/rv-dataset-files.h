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

typedef enum {
  RV_DATASET_FILE_OK,         /* present and its SHA-256 matches */
  RV_DATASET_FILE_MISSING,    /* not there */
  RV_DATASET_FILE_MISMATCH,   /* there, but other bytes */
  RV_DATASET_FILE_UNREADABLE, /* there, but reading it failed */
} RvDatasetFileState;

/* The SHA-256 of a file as lowercase hex, or NULL and an RV_ERROR_IO error
 * ("PATH: cannot read: ..."); RV_ERROR_CANCELLED when cancelled. */
char *rv_dataset_file_sha256 (const char *path, GCancellable *cancellable, GError **error);

/* Checks dir/file->name against file->sha256.  For anything but OK, error
 * (if given) says what is wrong in one line naming the file, such as
 * "NAME: checksum mismatch (expected ..., got ...)"; actual_sha256 (if given)
 * receives the file's sum when it could be read, else NULL. */
RvDatasetFileState rv_dataset_file_check (const char *dir, const RvDatasetFile *file,
                                          GCancellable *cancellable, char **actual_sha256,
                                          GError **error);

/* What an IDX file's header says, read from its first bytes only
 * (decompressing just those when it is gzipped). */
typedef struct {
  guint32 magic;    /* 0x00000801 labels, 0x00000803 images */
  guint n_dims;     /* 1 or 3 */
  guint32 dims[3];  /* count, then rows and columns for images */
} RvIdxHeader;

gboolean rv_dataset_file_peek_header (const char *path, RvIdxHeader *header, GError **error);

G_END_DECLS
