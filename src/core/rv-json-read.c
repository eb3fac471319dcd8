/* rv-json-read.c: a structural pre-scan for depth and trailing bytes, then
 * json-glib. */
#include "rv-json-read.h"

#include <string.h>

#include "rv-error.h"
#include "rv-file.h"

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Finds where the top-level value ends, counting depth, skipping strings.
 * It does not validate; json-glib does that on the text it approves. */
static gboolean
scan (const char *text, size_t len, const char *what, GError **error)
{
  size_t i = 0;
  while (i < len && is_space (text[i]))
    i++;
  if (i == len)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is empty", what);
      return FALSE;
    }
  if (text[i] != '{' && text[i] != '[')
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is not a JSON object", what);
      return FALSE;
    }
  int depth = 0;
  for (; i < len; i++)
    {
      char c = text[i];
      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          if (i >= len)
            break;
          continue;
        }
      if (c == '{' || c == '[')
        {
          if (++depth > RV_JSON_MAX_DEPTH)
            {
              g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: nests deeper than %d levels", what,
                           RV_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            {
              i++;
              break;
            }
        }
    }
  if (depth != 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: ends before its JSON does", what);
      return FALSE;
    }
  for (; i < len; i++)
    if (!is_space (text[i]))
      {
        g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: has bytes after the end of its JSON (at byte %zu)", what, i);
        return FALSE;
      }
  return TRUE;
}

JsonNode *
rv_json_parse (const char *text, size_t len, const char *what, GError **error)
{
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: holds a NUL byte", what);
      return NULL;
    }
  if (!scan (text, len, what, error))
    return NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %s", what, local ? local->message : "not valid JSON");
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is empty", what);
      return NULL;
    }
  return json_node_copy (root);
}

JsonNode *
rv_json_read_file (const char *path, uint64_t max_size, GError **error)
{
  size_t len;
  g_autofree char *text = rv_file_read_all (path, max_size, &len, error);
  if (text == NULL)
    return NULL;
  return rv_json_parse (text, len, path, error);
}
