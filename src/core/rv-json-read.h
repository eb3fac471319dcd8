/* rv-json-read.h: reading the JSON files Ravine keeps (run configs, results,
 * lessons) with limits, so that a hostile or broken file is an error that
 * names the file, never a crash.
 *
 * The text must be valid UTF-8 holding one plain JSON (RFC 8259) object or
 * array and nothing but white space after it, with every whole number within
 * 64 bits and every other number finite (rv-json-strict.h: json-glib would
 * misread them); it may nest at most RV_JSON_MAX_DEPTH deep (json-glib
 * recurses, so a deep file would overflow the stack) and be at most max_size
 * bytes.
 * On failure, error is always set (RV_ERROR_DATA, or RV_ERROR_IO when the
 * file cannot be opened), worded "WHAT: ...". */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RV_JSON_MAX_DEPTH 64

/* Parses len bytes of text; what names it in messages (a path). */
JsonNode *rv_json_parse (const char *text, size_t len, const char *what, GError **error);

/* Reads path (a regular file of at most max_size bytes) and parses it. */
JsonNode *rv_json_read_file (const char *path, uint64_t max_size, GError **error);

G_END_DECLS
