/* rv-file.h: opening the files Ravine reads and writes, safely.
 *
 * Reading: only a regular file is opened (following symlinks, since users
 * link data folders), never a folder, FIFO, socket or device, so a FIFO or a
 * /dev/zero link can neither hang a read nor feed it without end; and only
 * up to a size the caller names.  Writing: the last path component is never
 * followed when it is a symlink, so a planted link cannot redirect a write
 * outside the folder.  Errors are RV_ERROR_IO (RV_ERROR_DATA for a file that
 * is there but of the wrong kind or size), and every message starts with the
 * path: "PATH: is a FIFO, not a regular file". */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* What kind of file st_mode is, in words ("a folder", "a FIFO", ...). */
const char *rv_file_kind (unsigned int st_mode);

/* Opens path for reading when it is a regular file of at most max_size
 * bytes; returns the descriptor (O_CLOEXEC, blocking) and its size, or -1.
 * A file that cannot be opened is RV_ERROR_IO, with errno left as open()
 * set it, for callers that word the reason themselves. */
int rv_file_open_read (const char *path, uint64_t max_size, uint64_t *size_out, GError **error);

/* The whole of a regular file of at most max_size bytes, NUL-terminated
 * (the terminator is not counted in *len_out). */
char *rv_file_read_all (const char *path, uint64_t max_size, size_t *len_out, GError **error);

/* Opens path for writing without following a symlink in its last component
 * (O_NOFOLLOW); creates it (mode 0644) when missing.  When truncate is FALSE
 * the file keeps its contents and the offset is left at 0.  An existing path
 * that is not a regular file is refused. */
int rv_file_open_write (const char *path, gboolean truncate, GError **error);

/* Flushes folder dir, so that a rename or removal in it is on disk.  A file
 * system that cannot flush a folder counts as flushed. */
gboolean rv_file_sync_folder (const char *dir, GError **error);

/* TRUE when path exists in any form (even a dangling symlink). */
gboolean rv_file_exists_at_all (const char *path);

G_END_DECLS
