/* rv-json.c: a small JSON writer over json-glib's node tree. */
#include "rv-json.h"

#include <math.h>

static void
append_double (GString *out, double v)
{
  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
newline (GString *out, gboolean pretty, int depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void append_node (GString *out, JsonNode *node, gboolean pretty, int depth);

static void
append_object (GString *out, JsonObject *o, gboolean pretty, int depth)
{
  GList *members = json_object_get_members (o);
  g_string_append_c (out, '{');
  for (GList *m = members; m; m = m->next)
    {
      newline (out, pretty, depth + 1);
      append_string (out, m->data);
      g_string_append (out, pretty ? ": " : ":");
      append_node (out, json_object_get_member (o, m->data), pretty, depth + 1);
      if (m->next)
        g_string_append_c (out, ',');
    }
  if (members)
    newline (out, pretty, depth);
  g_string_append_c (out, '}');
  g_list_free (members);
}

static void
append_array (GString *out, JsonArray *a, gboolean pretty, int depth)
{
  guint n = json_array_get_length (a);
  /* arrays of plain values stay on one line, so long curves stay readable */
  gboolean flat = TRUE;
  for (guint i = 0; i < n && flat; i++)
    flat = JSON_NODE_HOLDS_VALUE (json_array_get_element (a, i)) || JSON_NODE_HOLDS_NULL (json_array_get_element (a, i));
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (!flat)
        newline (out, pretty, depth + 1);
      else if (i > 0 && pretty)
        g_string_append_c (out, ' ');
      append_node (out, json_array_get_element (a, i), pretty, depth + 1);
      if (i + 1 < n)
        g_string_append_c (out, ',');
    }
  if (!flat && n)
    newline (out, pretty, depth);
  g_string_append_c (out, ']');
}

static void
append_node (GString *out, JsonNode *node, gboolean pretty, int depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), pretty, depth);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), pretty, depth);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
    }
}

char *
rv_json_to_string (JsonNode *node, gboolean pretty)
{
  GString *out = g_string_new (NULL);
  append_node (out, node, pretty, 0);
  return g_string_free (out, FALSE);
}

JsonObject *
rv_json_get_object (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
rv_json_get_array (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

const char *
rv_json_get_string (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}
