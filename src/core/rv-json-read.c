/* rv-json-read.c: the strict grammar check (rv-json-strict.h), then
 * json-glib. */
#include "rv-json-read.h"

#include <string.h>

#include "rv-error.h"
#include "rv-file.h"
#include "rv-json-strict.h"

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Empty text and a top level other than an object or array get words of
 * their own; everything else is the strict grammar's. */
static gboolean
check (const char *text, size_t len, const char *what, GError **error)
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
  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is not valid UTF-8 text", what);
      return FALSE;
    }
  size_t pos;
  const char *problem;
  if (!rv_json_check_strict (text, len, RV_JSON_MAX_DEPTH, &pos, &problem))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: is not valid JSON: %s at byte %zu", what, problem, pos);
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
  if (!check (text, len, what, error))
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
