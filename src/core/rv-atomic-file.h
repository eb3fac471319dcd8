/* rv-atomic-file.h: replacing a file so that it is never seen half written.
 *
 * The new content goes to a temporary file beside the target
 * ("NAME.XXXXXX.tmp"), which is flushed to disk and then renamed over the
 * target, and the folder is flushed so the rename itself survives a crash.
 * Until the rename a reader sees the previous file, after it the new one;
 * on any failure the temporary file is removed and the previous file stays
 * as it was.  Errors are RV_ERROR_IO, worded "PATH: cannot write: No space
 * left on device".
 *
 * Test hook: when the environment variable RAVINE_TEST_FAIL_WRITE_AFTER=N is
 * set at open time, the write that would pass byte N fails with ENOSPC after
 * writing up to it, as a full disk does.  The flush and the rename are also
 * steps of rv-test-hook.h (RAVINE_TEST_SAVE_DELAY_US, ..._KILL_AT).  Only
 * tests set these. */
#pragma once

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

typedef struct _RvAtomicFile RvAtomicFile;

/* Creates the temporary file beside path. */
RvAtomicFile *rv_atomic_file_open (const char *path, GError **error);

/* Appends len bytes.  After a failure the only thing left to do with file is
 * rv_atomic_file_abort(). */
gboolean rv_atomic_file_append (RvAtomicFile *file, const void *data, size_t len,
                                GError **error);

/* Flushes and renames over the target.  Always consumes file: on failure the
 * temporary file is removed and the target left as it was. */
gboolean rv_atomic_file_commit (RvAtomicFile *file, GError **error);

/* Removes the temporary file and frees file; the target is untouched.
 * NULL is allowed. */
void rv_atomic_file_abort (RvAtomicFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvAtomicFile, rv_atomic_file_abort)

/* The whole of open, append and commit at once. */
gboolean rv_atomic_file_write (const char *path, const void *data, size_t len, GError **error);

G_END_DECLS
