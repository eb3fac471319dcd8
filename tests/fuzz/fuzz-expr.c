/* fuzz-expr.c: fuzz target for the formula parser (rv-expr.c).
 *
 * The input, up to its first NUL, goes to rv_expr_parse.  A refusal must be
 * an RV_ERROR_ARGUMENT that starts "column N: " with N within the text (or
 * just past its end).  A formula that parses must be valid UTF-8 of at most
 * RV_EXPR_MAX_LENGTH characters; its value at a few points must not depend
 * on whether the gradient is asked for; and wrapped as "-(F)" it must parse
 * again (unless that crosses a cap) to exactly the negated value and
 * gradient.  Deep nesting and long input must be refused, never exhaust the
 * stack (the caps).  Seeds: formulas using every operator and function. */
#include "fuzz-target.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-expr.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_BINARY;
const char fuzz_target_name[] = "fuzz-expr";
int fuzz_target_accepted;

static const double points[][2] = { { 0, 0 }, { 1.5, -0.5 }, { -2, 3 }, { 1e-3, 1e3 } };

/* Equal, or both NaN. */
static gboolean
same (double a, double b)
{
  return a == b || (isnan (a) && isnan (b));
}

static void
check_refusal (const char *text, const GError *error)
{
  FUZZ_CHECK (error != NULL && error->domain == RV_ERROR && error->code == RV_ERROR_ARGUMENT,
              "a refused formula gave no argument error");
  FUZZ_CHECK (g_str_has_prefix (error->message, "column "), "the error names no column: %s", error->message);
  guint64 column = g_ascii_strtoull (error->message + strlen ("column "), NULL, 10);
  /* in characters where the text is UTF-8, and never beyond its bytes */
  gsize chars = g_utf8_validate (text, -1, NULL) ? (gsize) g_utf8_strlen (text, -1) : strlen (text);
  FUZZ_CHECK (column >= 1 && column <= chars + 1, "column %" G_GUINT64_FORMAT " of a %zu-character text: %s",
              column, chars, error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvExpr) expr = rv_expr_parse (text, &error);

  fuzz_target_accepted = expr != NULL;
  if (expr == NULL)
    {
      check_refusal (text, error);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "an accepted formula also set an error");
  FUZZ_CHECK (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= RV_EXPR_MAX_LENGTH,
              "accepted text that is not UTF-8 or too long");
  FUZZ_CHECK (strcmp (rv_expr_get_text (expr), text) == 0, "the formula forgot its text");

  g_autofree char *negated_text = g_strdup_printf ("-(%s)", text);
  g_autoptr (GError) negated_error = NULL;
  g_autoptr (RvExpr) negated = rv_expr_parse (negated_text, &negated_error);
  FUZZ_CHECK (negated != NULL || strstr (negated_error->message, "nested deeper")
              || strstr (negated_error->message, "longer than"),
              "\"-(F)\" does not parse: %s", negated_error->message);

  for (gsize k = 0; k < G_N_ELEMENTS (points); k++)
    {
      double g1, g2;
      double v = rv_expr_eval (expr, points[k][0], points[k][1], &g1, &g2);
      FUZZ_CHECK (same (v, rv_expr_eval (expr, points[k][0], points[k][1], NULL, NULL)),
                  "the value depends on whether the gradient is asked for");
      if (negated == NULL)
        continue;
      double n1, n2;
      double n = rv_expr_eval (negated, points[k][0], points[k][1], &n1, &n2);
      FUZZ_CHECK (same (n, -v) && same (n1, -g1) && same (n2, -g2), "-(F) is not the negation of F");
    }
  return 0;
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  static const char *const formulas[] = {
    "w1^2 + 10*w2^2",
    "(w1-1)^2 + 100*(w2-w1^2)^2",
    "tanh(w1)^2 + 0.01*abs(w1) + sigmoid(w2)",
    "-(exp(-((w1-1)^2 + (w2+0.5)^2)/0.08)/(0.08*pi))",
    "sin(w1)*cos(w2) - tan(w1/4) + log(1 + w2^2) + sqrt(abs(w1)) + e^-w2",
    "2^3^2 - -1.5e-3 * .5 / 3.",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (formulas); i++)
    g_ptr_array_add (seeds, g_bytes_new_static (formulas[i], strlen (formulas[i])));
}
