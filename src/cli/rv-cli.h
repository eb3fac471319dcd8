/* rv-cli.h: the subcommands of ravine-cli and what they share. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses: a bad argument is 2, a failure of the work itself is 1. */
enum { RV_EXIT_OK = 0, RV_EXIT_FAILURE = 1, RV_EXIT_USAGE = 2 };

/* Each subcommand gets argv with argv[0] = "ravine-cli SUBCOMMAND". */
int rv_cli_init_stats (int argc, char **argv);
int rv_cli_inspect (int argc, char **argv);
int rv_cli_surface (int argc, char **argv);
int rv_cli_train (int argc, char **argv);
int rv_cli_bench (int argc, char **argv);
int rv_cli_dataset (int argc, char **argv);
int rv_cli_history (int argc, char **argv);
int rv_cli_landscape (int argc, char **argv);
int rv_cli_sharpness (int argc, char **argv);

/* Prints "ravine-cli COMMAND: MESSAGE" on one line to stderr; returns
 * RV_EXIT_USAGE so callers can `return rv_cli_usage_error (...)`. */
int rv_cli_usage_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* The same for a GError from the work; returns RV_EXIT_FAILURE. */
int rv_cli_failure (const char *command, const GError *error);

/* Parses argv with entries; on a bad option prints a one-line error and
 * returns FALSE.  Stray positional arguments are errors too. */
gboolean rv_cli_parse (const char *command, const char *summary, GOptionEntry *entries,
                       int *argc, char ***argv);

/* Strict number parsing for option values: the whole string must be a
 * finite number (within [min, max]); the error names the option. */
gboolean rv_cli_parse_double (const char *option, const char *text, double min, double max,
                              double *out, GError **error);
gboolean rv_cli_parse_uint (const char *option, const char *text, guint64 min, guint64 max,
                            guint64 *out, GError **error);

/* Writes node to stdout as JSON, one object followed by a newline. */
void rv_cli_print_json (JsonNode *node);

/* Flushes stdout; when it (or an earlier write) failed, as on a closed pipe
 * or a full disk, says so on stderr and returns RV_EXIT_FAILURE, else
 * RV_EXIT_OK.  Every command ends its output with it. */
int rv_cli_finish_output (const char *command);

G_END_DECLS

#include "rv-dataset.h"
#include "rv-probe.h"

G_BEGIN_DECLS

/* The per-layer table init-stats and inspect print: each Linear layer's
 * output, gradient and weight variance, then its f(z) variance, and the
 * share saturated or dead where the activation has one ("-" for the
 * logits, which no activation follows). */
void rv_cli_print_probe_table (const RvProbeConfig *cfg, const RvProbeResult *res);

/* The data set a subcommand works on: the synthetic set when asked for;
 * FashionMNIST from --data when given (an error if it is broken); else from
 * the usual places, falling back to the synthetic set with a note on stderr
 * when it is not there. */
RvDataset *rv_cli_open_dataset (const char *command, const char *data_dir, gboolean synthetic,
                                guint64 seed, GError **error);

G_END_DECLS
