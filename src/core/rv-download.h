/* rv-download.h: fetching the FashionMNIST files over HTTP(S), checked.
 *
 * Each file is fetched into "NAME.part" beside its final place, checked
 * against its SHA-256 and only then renamed to NAME, so the folder never
 * holds a half-written or unchecked NAME.  A file already there whose sum
 * matches is kept, not fetched again.  A broken connection is retried a few
 * times, resuming from the .part with an HTTP Range request where the server
 * honours it (206) and starting the file again where it does not; a download
 * that still fails, or is cancelled, keeps its .part so that the next one
 * resumes.  A .part whose sum does not match is deleted.  Nothing is
 * written through a symlink: a NAME.part that is one, or a NAME that is not
 * a regular file (a FIFO, a folder, a link to a device), is an error that
 * names it, and the rename only ever installs the regular file written.
 * What a server sends is capped at the file's known size, or at
 * RV_DATASET_FILE_MAX_BYTES when the size is not known.
 *
 * Errors, each naming the file:
 *   RV_ERROR_DATA       "NAME: checksum mismatch (expected SUM, got SUM)"
 *   RV_ERROR_NETWORK    "NAME: the server answered 404 Not Found for URL",
 *                       "NAME: cannot download URL: REASON"
 *   RV_ERROR_CANCELLED  "Download cancelled: NAME is not complete ..."
 *   RV_ERROR_IO         the destination cannot be written, is not a folder,
 *                       or holds something in NAME's or NAME.part's place
 *                       that is not a regular file
 *   RV_ERROR_ARGUMENT   the base URL is not an http:// or https:// URL
 *
 * The core depends on libsoup for this alone. */
#pragma once

#include <gio/gio.h>

#include "rv-dataset-files.h"

G_BEGIN_DECLS

/* Zalando Research's own mirror, the links in the dataset's README.  Plain
 * HTTP is acceptable here because every file is checked against a SHA-256
 * built into Ravine. */
#define RV_DOWNLOAD_DEFAULT_URL "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"

typedef enum {
  RV_DOWNLOAD_STAGE_CHECKING,  /* hashing a copy already in the folder */
  RV_DOWNLOAD_STAGE_RECEIVING, /* bytes arriving */
  RV_DOWNLOAD_STAGE_RETRYING,  /* a try failed in a way that may pass (see
                                * retry_reason); trying again shortly */
  RV_DOWNLOAD_STAGE_FINISHED,  /* this file is checked and in place */
} RvDownloadStage;

typedef struct {
  const char *file;      /* the current file's name */
  guint file_index;      /* 0-based, of n_files */
  guint n_files;
  RvDownloadStage stage;
  guint64 resumed_at;    /* bytes of the current file kept from an earlier
                          * try, that this transfer continues; 0 if none */
  guint64 file_done;     /* bytes of the current file in place */
  guint64 file_size;     /* its size; 0 while not known */
  guint64 done;          /* bytes in place over all the files */
  guint64 total;         /* the sizes known so far, over all the files */
  guint attempt;         /* 1-based try of the current file */
  char retry_reason[200]; /* at RETRYING: what went wrong, in words, such as
                           * "the connection was refused", "the server answered
                           * 503 Service Unavailable", "the connection broke
                           * after 5000 of 100000 bytes"; else "" */
} RvDownloadStatus;

/* Called at most about twenty times a second while bytes arrive, and at each
 * change of stage.  The async functions call it in the thread-default main
 * context of the caller; the sync ones in the calling thread. */
typedef void (*RvDownloadProgress) (const RvDownloadStatus *status, gpointer user_data);

/* The base URL to use: base_url if not NULL or empty, else
 * $RAVINE_DATA_URL if set, else RV_DOWNLOAD_DEFAULT_URL. */
const char *rv_download_base_url (const char *base_url);

/* Fetches the four official files from base_url (see rv_download_base_url)
 * into dest_dir (NULL: rv_dataset_find_dir (NULL)), which is created if
 * needed.  progress_cb may be NULL; progress_data must stay valid until the
 * callback has run.  The work runs in a worker thread. */
void rv_download_fashion_mnist_async (const char *base_url, const char *dest_dir,
                                      GCancellable *cancellable,
                                      RvDownloadProgress progress_cb, gpointer progress_data,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean rv_download_fashion_mnist_finish (GAsyncResult *result, GError **error);

/* The same, blocking the calling thread (for the CLI and tests). */
gboolean rv_download_fashion_mnist (const char *base_url, const char *dest_dir,
                                    GCancellable *cancellable,
                                    RvDownloadProgress progress_cb, gpointer progress_data,
                                    GError **error);

/* The same for any list of checked files (the tests serve their own);
 * files is copied. */
void rv_download_files_async (const char *base_url, const char *dest_dir,
                              const RvDatasetFile *files, guint n_files,
                              GCancellable *cancellable,
                              RvDownloadProgress progress_cb, gpointer progress_data,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean rv_download_files_finish (GAsyncResult *result, GError **error);
gboolean rv_download_files (const char *base_url, const char *dest_dir,
                            const RvDatasetFile *files, guint n_files,
                            GCancellable *cancellable,
                            RvDownloadProgress progress_cb, gpointer progress_data,
                            GError **error);

G_END_DECLS
