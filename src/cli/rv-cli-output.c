/* rv-cli-output.c: a write error on stdout is a failure, not a success. */
#include "rv-cli-output.h"

#include <errno.h>
#include <stdio.h>

#include "rv-cli.h"

int
rv_cli_flush_stdout (const char *command)
{
  errno = 0;
  gboolean flushed = fflush (stdout) == 0;
  int errsv = errno;
  if (flushed && !ferror (stdout))
    return RV_EXIT_OK;
  /* A failure before this flush leaves only the stream's error flag. */
  fprintf (stderr, "ravine-cli %s: writing the output failed: %s\n", command,
           !flushed && errsv != 0 ? g_strerror (errsv) : "an earlier write to stdout failed");
  return RV_EXIT_FAILURE;
}
