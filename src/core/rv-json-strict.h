/* rv-json-strict.h: the strict grammar check behind every JSON file Ravine
 * reads (rv-json-read.h, the safetensors header). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when s[0..len) is one JSON value (RFC 8259) and white space, nested at
 * most max_depth deep, with no \u0000 or unpaired surrogate in a string, every
 * integer within int64 and every other number finite.  Otherwise *problem
 * says what is wrong ("malformed number") and *error_pos where. */
gboolean rv_json_check_strict (const char *s, size_t len, int max_depth, size_t *error_pos, const char **problem);

G_END_DECLS
