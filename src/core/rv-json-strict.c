/* rv-json-strict.c: plain JSON (RFC 8259), checked before json-glib.
 *
 * json-glib 1.6 accepts comments, single quotes, hexadecimal and octal
 * numbers, a second value after the first, lone surrogates in \u escapes,
 * and it wraps integers past 64 bits without a word: 18446744073709551658
 * reads as 42.  Every JSON file Ravine reads passes this check first. */
#include "rv-json-strict.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *s;
  size_t len;
  size_t pos;
  const char *problem;  /* what is wrong at pos */
  int max_depth;
} StrictJson;

static gboolean
sj_fail (StrictJson *j, const char *problem)
{
  j->problem = problem;
  return FALSE;
}

static int
sj_peek (const StrictJson *j)
{
  return j->pos < j->len ? (guchar) j->s[j->pos] : -1;
}

static void
sj_skip_space (StrictJson *j)
{
  for (int c = sj_peek (j); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = sj_peek (j))
    j->pos++;
}

static gboolean
sj_expect (StrictJson *j, char c, const char *problem)
{
  sj_skip_space (j);
  if (sj_peek (j) != c)
    return sj_fail (j, problem);
  j->pos++;
  return TRUE;
}

/* Four hex digits after "\u", as a code unit. */
static gboolean
sj_hex4 (StrictJson *j, guint *unit)
{
  *unit = 0;
  for (int i = 0; i < 4; i++)
    {
      int c = sj_peek (j);

      if (c < 0 || !g_ascii_isxdigit (c))
        return sj_fail (j, "a \\u escape needs four hex digits");
      *unit = *unit * 16 + (guint) g_ascii_xdigit_value (c);
      j->pos++;
    }
  return TRUE;
}

static gboolean
sj_string (StrictJson *j)
{
  j->pos++;  /* the opening quote */
  for (;;)
    {
      int c = sj_peek (j);

      if (c < 0)
        return sj_fail (j, "unterminated string");
      if (c == '"')
        {
          j->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return sj_fail (j, "control character in a string");
      j->pos++;
      if (c != '\\')
        continue;

      c = sj_peek (j);
      if (c == 'u')
        {
          guint unit;

          j->pos++;
          if (!sj_hex4 (j, &unit))
            return FALSE;
          /* A NUL would cut the name short; lone surrogates are not text. */
          if (unit == 0)
            return sj_fail (j, "\\u0000 in a string");
          if (unit >= 0xdc00 && unit <= 0xdfff)
            return sj_fail (j, "unpaired surrogate in a string");
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (sj_peek (j) != '\\' || j->pos + 1 >= j->len || j->s[j->pos + 1] != 'u')
                return sj_fail (j, "unpaired surrogate in a string");
              j->pos += 2;
              if (!sj_hex4 (j, &unit))
                return FALSE;
              if (unit < 0xdc00 || unit > 0xdfff)
                return sj_fail (j, "unpaired surrogate in a string");
            }
        }
      else if (c > 0 && strchr ("\"\\/bfnrt", c) != NULL)
        j->pos++;
      else
        return sj_fail (j, "invalid escape in a string");
    }
}

static gboolean
sj_digits (StrictJson *j)
{
  size_t start = j->pos;

  while (sj_peek (j) >= '0' && sj_peek (j) <= '9')
    j->pos++;
  return j->pos > start ? TRUE : sj_fail (j, "malformed number");
}

/* JSON's number grammar, and a value that json-glib reads back exactly as
 * written: an integer within int64 (json-glib wraps larger ones silently),
 * any other number finite as a double. */
static gboolean
sj_number (StrictJson *j)
{
  size_t start = j->pos;
  gboolean integer = TRUE;

  if (sj_peek (j) == '-')
    j->pos++;
  if (sj_peek (j) == '0')
    j->pos++;  /* no leading zeros */
  else if (!sj_digits (j))
    return FALSE;
  if (sj_peek (j) == '.')
    {
      integer = FALSE;
      j->pos++;
      if (!sj_digits (j))
        return FALSE;
    }
  if (sj_peek (j) == 'e' || sj_peek (j) == 'E')
    {
      integer = FALSE;
      j->pos++;
      if (sj_peek (j) == '+' || sj_peek (j) == '-')
        j->pos++;
      if (!sj_digits (j))
        return FALSE;
    }

  if (integer)
    {
      /* 20 digits and a sign is the longest int64. */
      char text[24];
      size_t n = j->pos - start;
      gint64 v;
      if (n >= sizeof text)
        return sj_fail (j, "a whole number beyond 64 bits");
      memcpy (text, j->s + start, n);
      text[n] = '\0';
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return sj_fail (j, "a whole number beyond 64 bits");
    }
  else
    {
      /* The whole text: an exponent's digits may come after any number of
       * mantissa digits. */
      g_autofree char *text = g_strndup (j->s + start, j->pos - start);
      if (!isfinite (g_ascii_strtod (text, NULL)))
        return sj_fail (j, "a number beyond a double");
    }
  return TRUE;
}

static gboolean
sj_word (StrictJson *j, const char *word)
{
  size_t n = strlen (word);

  if (j->len - j->pos < n || memcmp (j->s + j->pos, word, n) != 0)
    return sj_fail (j, "unexpected character");
  j->pos += n;
  return TRUE;
}

static gboolean sj_value (StrictJson *j, int depth);

/* An object or array after its opening bracket. */
static gboolean
sj_container (StrictJson *j, gboolean object, int depth)
{
  char close = object ? '}' : ']';

  j->pos++;
  sj_skip_space (j);
  if (sj_peek (j) == close)
    {
      j->pos++;
      return TRUE;
    }

  for (;;)
    {
      if (object)
        {
          sj_skip_space (j);
          if (sj_peek (j) != '"')
            return sj_fail (j, "expected a quoted key");
          if (!sj_string (j) || !sj_expect (j, ':', "expected “:” after a key"))
            return FALSE;
        }
      if (!sj_value (j, depth + 1))
        return FALSE;

      sj_skip_space (j);
      if (sj_peek (j) == close)
        {
          j->pos++;
          return TRUE;
        }
      if (!sj_expect (j, ',', object ? "expected “,” or “}”" : "expected “,” or “]”"))
        return FALSE;
    }
}

static gboolean
sj_value (StrictJson *j, int depth)
{
  int c;

  if (depth > j->max_depth)
    return sj_fail (j, "nested too deeply");

  sj_skip_space (j);
  c = sj_peek (j);
  switch (c)
    {
    case -1:
      return sj_fail (j, "unexpected end");
    case '{':
    case '[':
      return sj_container (j, c == '{', depth);
    case '"':
      return sj_string (j);
    case 't':
      return sj_word (j, "true");
    case 'f':
      return sj_word (j, "false");
    case 'n':
      return sj_word (j, "null");
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        return sj_number (j);
      return sj_fail (j, "unexpected character");
    }
}

gboolean
rv_json_check_strict (const char *s, size_t len, int max_depth, size_t *error_pos, const char **problem)
{
  StrictJson j = { s, len, 0, NULL, max_depth };
  gboolean ok = sj_value (&j, 1);

  if (ok)
    {
      sj_skip_space (&j);
      if (j.pos != len)
        ok = sj_fail (&j, "more data after the JSON value");
    }
  *error_pos = j.pos;
  *problem = j.problem;
  return ok;
}
