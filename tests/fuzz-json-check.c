/* fuzz-json-check.c: invariants shared by the JSON fuzz targets. */
#include "fuzz-target.h"

#include <string.h>

#include "rv-error.h"
#include "rv-json.h"
#include "rv-json-read.h"

static gboolean
is_number (JsonNode *n)
{
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
same_number (JsonNode *written, JsonNode *input, gboolean as_float)
{
  if (json_node_get_value_type (written) == G_TYPE_INT64 && json_node_get_value_type (input) == G_TYPE_INT64)
    return json_node_get_int (written) == json_node_get_int (input);
  double w = json_node_get_double (written), in = json_node_get_double (input);
  return as_float ? w == (double) (float) in : w == in;
}

static void
agrees (JsonNode *written, JsonNode *input, const char *const *float_members, gboolean as_float,
        const char *where)
{
  if (JSON_NODE_HOLDS_OBJECT (written))
    {
      FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (input), "%s: read an object from something else", where);
      JsonObject *w = json_node_get_object (written), *in = json_node_get_object (input);
      g_autoptr (GList) members = json_object_get_members (w);
      for (GList *m = members; m != NULL; m = m->next)
        {
          JsonNode *iv = json_object_get_member (in, m->data);
          if (iv == NULL)
            continue;  /* a default */
          gboolean f = float_members != NULL && g_strv_contains (float_members, m->data);
          g_autofree char *inner = g_strdup_printf ("%s.%s", where, (const char *) m->data);
          agrees (json_object_get_member (w, m->data), iv, float_members, f, inner);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (written))
    {
      FUZZ_CHECK (JSON_NODE_HOLDS_ARRAY (input), "%s: read an array from something else", where);
      JsonArray *w = json_node_get_array (written), *in = json_node_get_array (input);
      FUZZ_CHECK (json_array_get_length (w) == json_array_get_length (in),
                  "%s: read %u elements of %u", where, json_array_get_length (w), json_array_get_length (in));
      for (guint i = 0; i < json_array_get_length (w); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);
          agrees (json_array_get_element (w, i), json_array_get_element (in, i), float_members, as_float, inner);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (written) && is_number (written))
    {
      FUZZ_CHECK (is_number (input), "%s: read the number %g from something that is not a number", where,
                  json_node_get_double (written));
      FUZZ_CHECK (same_number (written, input, as_float), "%s: read %.17g but the file says %.17g", where,
                  json_node_get_double (written), json_node_get_double (input));
    }
  else if (JSON_NODE_HOLDS_VALUE (written) && json_node_get_value_type (written) == G_TYPE_STRING)
    FUZZ_CHECK (JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING,
                "%s: read a string from something that is not a string", where);
}

void
fuzz_json_check_agrees (JsonNode *written, JsonNode *input, const char *const *float_members,
                        const char *where)
{
  agrees (written, input, float_members, FALSE, where);
}

char *
fuzz_json_text (JsonNode *written)
{
  return rv_json_to_string (written, FALSE);
}

JsonNode *
fuzz_json_reparse (JsonNode *written)
{
  g_autofree char *text = rv_json_to_string (written, TRUE);
  g_autoptr (GError) error = NULL;
  JsonNode *again = rv_json_parse (text, strlen (text), "written", &error);
  FUZZ_CHECK (again != NULL, "what the writer wrote does not parse: %s\n%s", error->message, text);
  return again;
}

void
fuzz_json_check_refusal (const GError *error)
{
  FUZZ_CHECK (error != NULL && g_error_matches (error, RV_ERROR, RV_ERROR_DATA)
              && g_str_has_prefix (error->message, "fuzz"),
              "refused JSON gave no RV_ERROR_DATA naming it: %s", error ? error->message : "no error");
}
