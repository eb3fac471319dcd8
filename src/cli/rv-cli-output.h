/* rv-cli-output.h: making sure what a subcommand printed reached stdout. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flushes stdout and checks that every write to it so far succeeded (a
 * full disk, a closed pipe, /dev/full).  Returns RV_EXIT_OK, or prints
 * "ravine-cli COMMAND: writing the output failed: REASON" to stderr and
 * returns RV_EXIT_FAILURE; call it last, as `return rv_cli_flush_stdout (...)`. */
int rv_cli_flush_stdout (const char *command);

G_END_DECLS
