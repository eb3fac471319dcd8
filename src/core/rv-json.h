/* rv-json.h: writing JSON text.
 *
 * json-glib 1.6 (Debian 12) appends ".0" to any double printed without a
 * decimal point, so 1e-08 comes out as the invalid "1e-08.0".  Ravine writes
 * its JSON here instead, with each double in the shortest form that reads
 * back to the same value (0.9, not 0.90000000000000002). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The text of node; pretty adds newlines and two-space indents.  A double
 * that is NaN or infinite (which JSON cannot hold) is written as null. */
char *rv_json_to_string (JsonNode *node, gboolean pretty);

/* A member of o of the given kind, or NULL when it is missing or of another
 * kind (json-glib 1.6's own getters complain with a critical instead). */
JsonObject *rv_json_get_object (JsonObject *o, const char *member);
JsonArray *rv_json_get_array (JsonObject *o, const char *member);
const char *rv_json_get_string (JsonObject *o, const char *member);

G_END_DECLS
