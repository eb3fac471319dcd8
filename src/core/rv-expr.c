/* rv-expr.c: a formula in w1 and w2, parsed into a tree, with exact gradients. */
#include "rv-expr.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

typedef enum {
  OP_NUMBER,
  OP_W1,
  OP_W2,
  OP_NEG,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_POW,
  /* the functions, in the order of function_names */
  OP_SIN,
  OP_COS,
  OP_TAN,
  OP_EXP,
  OP_LOG,
  OP_SQRT,
  OP_ABS,
  OP_TANH,
  OP_SIGMOID,
} Op;

static const char *const function_names[] = {
  "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid",
};

/* The tree, children before parents: node a and b index earlier nodes, and
 * the last node is the root.  Every node takes at least one character of the
 * text, so there are at most RV_EXPR_MAX_LENGTH. */
typedef struct {
  Op op;
  guint a, b;     /* operands (b for binary operators only) */
  double number;  /* OP_NUMBER */
} Node;

struct _RvExpr {
  char *text;
  Node *nodes;
  guint n_nodes;
};

/* ---- Parsing ---- */

typedef struct {
  const char *text;
  gsize pos;     /* bytes into text */
  guint depth;   /* recursion, through parse_unary */
  GArray *nodes;
  GError **error;
  gboolean failed;
} Parser;

/* Fails at byte offset at, in characters from 1 (the text is valid UTF-8). */
G_GNUC_PRINTF (3, 4) static gboolean
fail_at (Parser *p, gsize at, const char *format, ...)
{
  if (p->failed)
    return FALSE;
  p->failed = TRUE;
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  glong column = g_utf8_pointer_to_offset (p->text, p->text + at) + 1;
  g_set_error (p->error, RV_ERROR, RV_ERROR_ARGUMENT, "column %ld: %s", column, what);
  return FALSE;
}

static void
skip_blanks (Parser *p)
{
  while (p->text[p->pos] == ' ' || p->text[p->pos] == '\t' || p->text[p->pos] == '\n'
         || p->text[p->pos] == '\r')
    p->pos++;
}

/* Skips blanks; TRUE and past it when the next character is c. */
static gboolean
accept (Parser *p, char c)
{
  skip_blanks (p);
  if (p->text[p->pos] != c)
    return FALSE;
  p->pos++;
  return TRUE;
}

/* Appends a node; its index. */
static guint
emit (Parser *p, Op op, guint a, guint b, double number)
{
  Node node = { op, a, b, number };
  g_array_append_val (p->nodes, node);
  return p->nodes->len - 1;
}

static gboolean parse_sum (Parser *p, guint *out);
static gboolean parse_unary (Parser *p, guint *out);

/* digits [. digits] [(e|E) [+|-] digits], or . digits ... */
static gboolean
parse_number (Parser *p, guint *out)
{
  const char *s = p->text;
  gsize start = p->pos, i = start;
  while (g_ascii_isdigit (s[i]))
    i++;
  if (s[i] == '.')
    {
      i++;
      while (g_ascii_isdigit (s[i]))
        i++;
    }
  /* An exponent only where digits (after a sign) follow: "2e" is not one. */
  if ((s[i] == 'e' || s[i] == 'E')
      && (g_ascii_isdigit (s[i + 1])
          || ((s[i + 1] == '+' || s[i + 1] == '-') && g_ascii_isdigit (s[i + 2]))))
    {
      i += 2;
      while (g_ascii_isdigit (s[i]))
        i++;
    }
  g_autofree char *lexeme = g_strndup (s + start, i - start);
  double v = g_ascii_strtod (lexeme, NULL);
  if (!isfinite (v))
    return fail_at (p, start, "the number %s is too large", lexeme);
  p->pos = i;
  *out = emit (p, OP_NUMBER, 0, 0, v);
  return TRUE;
}

/* A name: w1, w2, pi, e or a function and its parenthesized argument. */
static gboolean
parse_name (Parser *p, guint *out)
{
  const char *s = p->text;
  gsize start = p->pos, i = start;
  while (g_ascii_isalnum (s[i]) || s[i] == '_')
    i++;
  g_autofree char *name = g_strndup (s + start, i - start);
  p->pos = i;

  if (strcmp (name, "w1") == 0 || strcmp (name, "w2") == 0)
    {
      *out = emit (p, name[1] == '1' ? OP_W1 : OP_W2, 0, 0, 0.0);
      return TRUE;
    }
  if (strcmp (name, "pi") == 0 || strcmp (name, "e") == 0)
    {
      *out = emit (p, OP_NUMBER, 0, 0, name[0] == 'p' ? G_PI : G_E);
      return TRUE;
    }
  for (gsize k = 0; k < G_N_ELEMENTS (function_names); k++)
    if (strcmp (name, function_names[k]) == 0)
      {
        guint arg;
        if (!accept (p, '('))
          return fail_at (p, p->pos, "expected '(' after %s", name);
        if (!parse_sum (p, &arg))
          return FALSE;
        if (!accept (p, ')'))
          return fail_at (p, p->pos, "expected ')'");
        *out = emit (p, OP_SIN + (Op) k, arg, 0, 0.0);
        return TRUE;
      }
  return fail_at (p, start, "unknown name '%s' (expected w1, w2, pi, e or a function)", name);
}

static gboolean
parse_primary (Parser *p, guint *out)
{
  skip_blanks (p);
  char c = p->text[p->pos];
  if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (p->text[p->pos + 1])))
    return parse_number (p, out);
  if (g_ascii_isalpha (c) || c == '_')
    return parse_name (p, out);
  if (c == '(')
    {
      p->pos++;
      if (!parse_sum (p, out))
        return FALSE;
      if (!accept (p, ')'))
        return fail_at (p, p->pos, "expected ')'");
      return TRUE;
    }
  if (c == '\0')
    return fail_at (p, p->pos, "the formula ends where a number, w1, w2, a function or '(' was expected");
  return fail_at (p, p->pos, "expected a number, w1, w2, a function or '('");
}

/* primary ['^' unary]: the exponent's unary makes ^ right-associative */
static gboolean
parse_power (Parser *p, guint *out)
{
  guint base, exponent;
  if (!parse_primary (p, &base))
    return FALSE;
  if (!accept (p, '^'))
    {
      *out = base;
      return TRUE;
    }
  if (!parse_unary (p, &exponent))
    return FALSE;
  *out = emit (p, OP_POW, base, exponent, 0.0);
  return TRUE;
}

/* Every cycle of the recursion passes through here, so the depth is
 * counted here alone. */
static gboolean
parse_unary (Parser *p, guint *out)
{
  skip_blanks (p);
  if (++p->depth > RV_EXPR_MAX_DEPTH)
    return fail_at (p, p->pos, "nested deeper than %d levels", RV_EXPR_MAX_DEPTH);
  gboolean ok;
  if (accept (p, '-'))
    {
      guint a;
      ok = parse_unary (p, &a);
      if (ok)
        *out = emit (p, OP_NEG, a, 0, 0.0);
    }
  else
    ok = parse_power (p, out);
  p->depth--;
  return ok;
}

static gboolean
parse_product (Parser *p, guint *out)
{
  guint left, right;
  if (!parse_unary (p, &left))
    return FALSE;
  for (;;)
    {
      Op op;
      if (accept (p, '*'))
        op = OP_MUL;
      else if (accept (p, '/'))
        op = OP_DIV;
      else
        break;
      if (!parse_unary (p, &right))
        return FALSE;
      left = emit (p, op, left, right, 0.0);
    }
  *out = left;
  return TRUE;
}

static gboolean
parse_sum (Parser *p, guint *out)
{
  guint left, right;
  if (!parse_product (p, &left))
    return FALSE;
  for (;;)
    {
      Op op;
      if (accept (p, '+'))
        op = OP_ADD;
      else if (accept (p, '-'))
        op = OP_SUB;
      else
        break;
      if (!parse_product (p, &right))
        return FALSE;
      left = emit (p, op, left, right, 0.0);
    }
  *out = left;
  return TRUE;
}

RvExpr *
rv_expr_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  const char *bad;
  if (!g_utf8_validate (text, -1, &bad))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "column %ld: not valid UTF-8",
                   g_utf8_pointer_to_offset (text, bad) + 1);
      return NULL;
    }
  if (g_utf8_strlen (text, -1) > RV_EXPR_MAX_LENGTH)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "column %d: the formula is longer than %d characters",
                   RV_EXPR_MAX_LENGTH + 1, RV_EXPR_MAX_LENGTH);
      return NULL;
    }

  g_autoptr (GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  Parser p = { text, 0, 0, nodes, error, FALSE };
  skip_blanks (&p);
  if (text[p.pos] == '\0')
    {
      fail_at (&p, p.pos, "the formula is empty");
      return NULL;
    }
  guint root;
  if (!parse_sum (&p, &root))
    return NULL;
  skip_blanks (&p);
  if (text[p.pos] != '\0')
    {
      fail_at (&p, p.pos, text[p.pos] == ')' ? "unmatched ')'" : "expected an operator or the end of the formula");
      return NULL;
    }
  g_assert (root == nodes->len - 1 && nodes->len <= RV_EXPR_MAX_LENGTH);

  RvExpr *expr = g_new0 (RvExpr, 1);
  expr->text = g_strdup (text);
  expr->n_nodes = nodes->len;
  expr->nodes = (Node *) g_array_free (g_steal_pointer (&nodes), FALSE);
  return expr;
}

void
rv_expr_free (RvExpr *expr)
{
  if (expr == NULL)
    return;
  g_free (expr->text);
  g_free (expr->nodes);
  g_free (expr);
}

const char *
rv_expr_get_text (const RvExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);
  return expr->text;
}

/* ---- Evaluation with dual numbers ---- */

typedef struct {
  double v, d1, d2;  /* the value and its partial derivatives */
} Dual;

/* d c: zero where d is, so a derivative that is exactly zero stays zero
 * even when the factor is infinite (sqrt(w1) at w1 = 0 in w2). */
static double
scale (double d, double c)
{
  return d == 0.0 ? 0.0 : d * c;
}

/* f(u) with f'(u) = slope, by the chain rule. */
static Dual
chain (Dual u, double value, double slope)
{
  return (Dual) { value, scale (u.d1, slope), scale (u.d2, slope) };
}

/* Without overflow in exp for large |x|, as rv-surface.c does it. */
static double
sigmoid (double x)
{
  if (x >= 0.0)
    return 1.0 / (1.0 + exp (-x));
  double e = exp (x);
  return e / (1.0 + e);
}

static Dual
power (Dual a, Dual b)
{
  if (b.d1 == 0.0 && b.d2 == 0.0)
    {
      /* A constant exponent: d a^b = b a^(b-1) da, for a negative base too.
       * Squares as a product, the way hand-written surfaces spell them. */
      if (b.v == 2.0)
        return chain (a, a.v * a.v, 2.0 * a.v);
      if (b.v == 0.0)
        return (Dual) { 1.0, 0.0, 0.0 };
      return chain (a, pow (a.v, b.v), b.v * pow (a.v, b.v - 1.0));
    }
  /* d a^b = b a^(b-1) da + a^b log(a) db */
  double v = pow (a.v, b.v);
  /* 0^b for b > 0 is flat in b: v log a would be 0 * -inf */
  double da = b.v * pow (a.v, b.v - 1.0), db = v == 0.0 ? 0.0 : v * log (a.v);
  return (Dual) { v, scale (a.d1, da) + scale (b.d1, db), scale (a.d2, da) + scale (b.d2, db) };
}

static double
sign (double x)
{
  return (double) ((x > 0.0) - (x < 0.0));
}

double
rv_expr_eval (const RvExpr *expr, double w1, double w2, double *g1, double *g2)
{
  g_return_val_if_fail (expr != NULL, NAN);

  Dual vals[RV_EXPR_MAX_LENGTH];
  for (guint i = 0; i < expr->n_nodes; i++)
    {
      const Node *n = &expr->nodes[i];
      /* operands only where the node has them: the rest are unset */
      Dual a = n->op >= OP_NEG ? vals[n->a] : (Dual) { 0 };
      Dual b = n->op >= OP_ADD && n->op <= OP_POW ? vals[n->b] : (Dual) { 0 };
      Dual r;
      switch (n->op)
        {
        case OP_NUMBER: r = (Dual) { n->number, 0.0, 0.0 }; break;
        case OP_W1: r = (Dual) { w1, 1.0, 0.0 }; break;
        case OP_W2: r = (Dual) { w2, 0.0, 1.0 }; break;
        case OP_NEG: r = (Dual) { -a.v, -a.d1, -a.d2 }; break;
        case OP_ADD: r = (Dual) { a.v + b.v, a.d1 + b.d1, a.d2 + b.d2 }; break;
        case OP_SUB: r = (Dual) { a.v - b.v, a.d1 - b.d1, a.d2 - b.d2 }; break;
        case OP_MUL:
          r = (Dual) { a.v * b.v, scale (a.d1, b.v) + scale (b.d1, a.v), scale (a.d2, b.v) + scale (b.d2, a.v) };
          break;
        case OP_DIV:
          {
            /* d (a/b) = (da - (a/b) db) / b */
            double q = a.v / b.v;
            r = (Dual) { q, scale (a.d1, 1.0 / b.v) - scale (b.d1, q / b.v),
                         scale (a.d2, 1.0 / b.v) - scale (b.d2, q / b.v) };
          }
          break;
        case OP_POW: r = power (a, b); break;
        case OP_SIN: r = chain (a, sin (a.v), cos (a.v)); break;
        case OP_COS: r = chain (a, cos (a.v), -sin (a.v)); break;
        case OP_TAN:
          {
            double t = tan (a.v);
            r = chain (a, t, 1.0 + t * t);
          }
          break;
        case OP_EXP:
          {
            double e = exp (a.v);
            r = chain (a, e, e);
          }
          break;
        case OP_LOG: r = chain (a, log (a.v), 1.0 / a.v); break;
        case OP_SQRT:
          {
            double s = sqrt (a.v);
            r = chain (a, s, 0.5 / s);
          }
          break;
        case OP_ABS: r = chain (a, fabs (a.v), sign (a.v)); break;
        case OP_TANH:
          {
            double t = tanh (a.v);
            r = chain (a, t, 1.0 - t * t);
          }
          break;
        case OP_SIGMOID:
          {
            double s = sigmoid (a.v);
            r = chain (a, s, s * (1.0 - s));
          }
          break;
        default:
          g_assert_not_reached ();
        }
      vals[i] = r;
    }

  const Dual *root = &vals[expr->n_nodes - 1];
  if (g1)
    *g1 = root->d1;
  if (g2)
    *g2 = root->d2;
  return root->v;
}
