/* fuzz-target.h: the libFuzzer entry point, shared by the fuzz targets and
 * the stand-alone drivers that run them without libFuzzer.
 *
 * Targets run by fuzz-mutate-driver.c also provide their seed inputs, say
 * what kind of text they read, and report whether the last input was
 * accepted; fuzz-idx keeps its own driver (fuzz-driver.c). */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef enum {
  FUZZ_FORMAT_BINARY,       /* bytes only */
  FUZZ_FORMAT_JSON,         /* JSON text: JSON-aware mutations too */
  FUZZ_FORMAT_SAFETENSORS,  /* an 8-byte length, a JSON header, data */
} FuzzFormat;

/* Defined by each target for fuzz-mutate-driver.c. */
extern const FuzzFormat fuzz_target_format;
extern const char fuzz_target_name[];
/* Valid inputs to start from (GBytes *); the driver checks they load. */
void fuzz_target_seeds (GPtrArray *seeds);
/* Set by LLVMFuzzerTestOneInput: 1 when the input loaded, 0 when refused. */
extern int fuzz_target_accepted;

/* A broken invariant: says which, then aborts so that libFuzzer and the
 * driver both keep the input. */
#define FUZZ_CHECK(cond, ...)                                            \
  do {                                                                   \
    if (G_UNLIKELY (!(cond)))                                            \
      {                                                                  \
        fprintf (stderr, "%s:%d: invariant broken: ", __FILE__, __LINE__); \
        fprintf (stderr, __VA_ARGS__);                                   \
        fputc ('\n', stderr);                                            \
        abort ();                                                        \
      }                                                                  \
  } while (0)

/* ---- For the JSON targets (fuzz-json-check.c) ---- */

#include <json-glib/json-glib.h>

/* Checks that every number (and the kind of every value) that a reader's
 * writer put in written equals what the input said at the same place, where
 * the input says anything: a reader that accepted "train_limit": -1 or
 * "best_epoch": "x" and meant something else breaks it.  Numbers under a
 * member named in float_members (NULL-terminated, may be NULL) are compared
 * after rounding the input to float; strings are not compared (writers may
 * spell a name canonically). */
void fuzz_json_check_agrees (JsonNode *written, JsonNode *input, const char *const *float_members,
                             const char *where);

/* written's text, parsed again by rv_json_parse (it must parse). */
JsonNode *fuzz_json_reparse (JsonNode *written);
/* written's compact text, for comparing two writes. */
char *fuzz_json_text (JsonNode *written);

/* Checks that accepted text is JSON by the grammar (an independent
 * reading) and that every number in it fits a double, every integer an
 * int64: what json-glib would otherwise misread. */
void fuzz_json_check_strict (const uint8_t *data, size_t size);

/* Checks that text that rv_json_parse refused got an RV_ERROR_DATA that
 * names it ("fuzz: ..."). */
void fuzz_json_check_refusal (const GError *error);
