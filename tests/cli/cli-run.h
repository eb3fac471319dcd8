/* cli-run.h: running the built ravine-cli from a test. */
#pragma once

#include <glib.h>

typedef struct {
  int status;  /* exit status, or 128 + signal */
  char *out;
  char *err;
} CliRun;

/* Runs `cli` with the NULL-terminated arguments and waits for it. */
CliRun cli_run (const char *cli, const char *first, ...) G_GNUC_NULL_TERMINATED;
CliRun cli_runv (const char *cli, const char *const *args);
void cli_run_clear (CliRun *run);
