/* fuzz-json-check.c: invariants shared by the JSON fuzz targets. */
#include "fuzz-target.h"

#include <errno.h>
#include <math.h>
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

/* ---- An independent reading of the JSON grammar (RFC 8259) ---- */

typedef struct {
  const char *s;
  size_t len, pos;
  const char *problem;
} Strict;

static gboolean strict_value (Strict *j, int depth);

static void
strict_space (Strict *j)
{
  while (j->pos < j->len && strchr (" \t\n\r", j->s[j->pos]) != NULL && j->s[j->pos] != '\0')
    j->pos++;
}

static gboolean
strict_fail (Strict *j, const char *problem)
{
  if (j->problem == NULL)
    j->problem = problem;
  return FALSE;
}

static gboolean
strict_string (Strict *j)
{
  for (j->pos++; j->pos < j->len; j->pos++)
    {
      unsigned char c = (unsigned char) j->s[j->pos];
      if (c == '"')
        {
          j->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return strict_fail (j, "a control character in a string");
      if (c != '\\')
        continue;
      if (++j->pos >= j->len)
        break;
      c = (unsigned char) j->s[j->pos];
      if (c == 'u')
        {
          for (int k = 0; k < 4; k++)
            if (++j->pos >= j->len || !g_ascii_isxdigit (j->s[j->pos]))
              return strict_fail (j, "a bad \\u escape");
        }
      else if (c == '\0' || strchr ("\"\\/bfnrt", c) == NULL)
        return strict_fail (j, "a bad escape");
    }
  return strict_fail (j, "an unterminated string");
}

/* A number as the grammar has it, and one that a double (or, for an
 * integer, an int64) holds: anything else json-glib 1.6 misreads (it reads
 * 010 as 8, 0x10 as 16, 99999999999999999999 as -1 and 1e400 as inf). */
static gboolean
strict_number (Strict *j)
{
  size_t start = j->pos;
  gboolean integer = TRUE;
  const char *s = j->s;

  if (j->pos < j->len && s[j->pos] == '-')
    j->pos++;
  if (j->pos < j->len && s[j->pos] == '0')
    j->pos++;
  else if (j->pos < j->len && s[j->pos] >= '1' && s[j->pos] <= '9')
    while (j->pos < j->len && g_ascii_isdigit (s[j->pos]))
      j->pos++;
  else
    return strict_fail (j, "a bad number");
  if (j->pos < j->len && s[j->pos] == '.')
    {
      integer = FALSE;
      if (++j->pos >= j->len || !g_ascii_isdigit (s[j->pos]))
        return strict_fail (j, "a number with no digits after its point");
      while (j->pos < j->len && g_ascii_isdigit (s[j->pos]))
        j->pos++;
    }
  if (j->pos < j->len && (s[j->pos] == 'e' || s[j->pos] == 'E'))
    {
      integer = FALSE;
      j->pos++;
      if (j->pos < j->len && (s[j->pos] == '+' || s[j->pos] == '-'))
        j->pos++;
      if (j->pos >= j->len || !g_ascii_isdigit (s[j->pos]))
        return strict_fail (j, "a number with no digits in its exponent");
      while (j->pos < j->len && g_ascii_isdigit (s[j->pos]))
        j->pos++;
    }
  if (j->pos < j->len && (g_ascii_isalnum (s[j->pos]) || s[j->pos] == '.'))
    return strict_fail (j, "a bad number");

  g_autofree char *text = g_strndup (s + start, j->pos - start);
  errno = 0;
  if (integer)
    {
      g_ascii_strtoll (text, NULL, 10);
      if (errno == ERANGE)
        return strict_fail (j, "an integer beyond 64 bits");
    }
  else if (!isfinite (g_ascii_strtod (text, NULL)))
    return strict_fail (j, "a number beyond a double");
  return TRUE;
}

static gboolean
strict_word (Strict *j, const char *word)
{
  size_t n = strlen (word);
  if (j->len - j->pos < n || memcmp (j->s + j->pos, word, n) != 0)
    return strict_fail (j, "an unknown word");
  j->pos += n;
  return TRUE;
}

static gboolean
strict_container (Strict *j, gboolean object, int depth)
{
  char close = object ? '}' : ']';
  j->pos++;
  strict_space (j);
  if (j->pos < j->len && j->s[j->pos] == close)
    {
      j->pos++;
      return TRUE;
    }
  for (;;)
    {
      if (object)
        {
          strict_space (j);
          if (j->pos >= j->len || j->s[j->pos] != '"')
            return strict_fail (j, "a member without a string name");
          if (!strict_string (j))
            return FALSE;
          strict_space (j);
          if (j->pos >= j->len || j->s[j->pos] != ':')
            return strict_fail (j, "a member without a colon");
          j->pos++;
        }
      if (!strict_value (j, depth + 1))
        return FALSE;
      strict_space (j);
      if (j->pos < j->len && j->s[j->pos] == ',')
        {
          j->pos++;
          continue;
        }
      if (j->pos < j->len && j->s[j->pos] == close)
        {
          j->pos++;
          return TRUE;
        }
      return strict_fail (j, "a missing comma or bracket");
    }
}

static gboolean
strict_value (Strict *j, int depth)
{
  if (depth > 10000)
    return strict_fail (j, "nesting too deep");
  strict_space (j);
  if (j->pos >= j->len)
    return strict_fail (j, "a missing value");
  switch (j->s[j->pos])
    {
    case '{': return strict_container (j, TRUE, depth);
    case '[': return strict_container (j, FALSE, depth);
    case '"': return strict_string (j);
    case 't': return strict_word (j, "true");
    case 'f': return strict_word (j, "false");
    case 'n': return strict_word (j, "null");
    default: return strict_number (j);
    }
}

void
fuzz_json_check_strict (const uint8_t *data, size_t size)
{
  Strict j = { (const char *) data, size, 0, NULL };
  gboolean ok = g_utf8_validate_len ((const char *) data, size, NULL) || (j.problem = "text that is not UTF-8", FALSE);
  if (ok)
    {
      ok = strict_value (&j, 0);
      strict_space (&j);
      if (ok && j.pos != j.len)
        ok = strict_fail (&j, "trailing bytes");
    }
  FUZZ_CHECK (ok, "accepted text that is not JSON, or whose numbers json-glib misreads: %s at byte %zu",
              j.problem, j.pos);
}
