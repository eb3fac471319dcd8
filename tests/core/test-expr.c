/* test-expr.c: typed formulas.  Values against the same formula written in
 * C (and hand-known results for precedence), gradients against central
 * differences, every parse error with its column, and the named surfaces
 * typed as formulas against their hand-written code, value, gradient and
 * whole trajectories. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-expr.h"
#include "rv-surface.h"
#include "rv-trajectory.h"

static double
eval_text (const char *text, double w1, double w2)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvExpr) e = rv_expr_parse (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e);
  g_assert_cmpstr (rv_expr_get_text (e), ==, text);
  return rv_expr_eval (e, w1, w2, NULL, NULL);
}

/* Results known by hand: precedence, associativity, numbers, constants. */
static void
test_precedence (void)
{
  static const struct { const char *text; double value; } cases[] = {
    { "2^3^2", 512 },          /* right-associative: 2^9 */
    { "(2^3)^2", 64 },
    { "-2^2", -4 },            /* ^ binds tighter than unary minus */
    { "(-2)^2", 4 },
    { "2^-1", 0.5 },
    { "2^-1^2", 0.5 },         /* 2^(-(1^2)) */
    { "1-2-3", -4 },           /* left-associative */
    { "1-(2-3)", 2 },
    { "8/4/2", 1 },
    { "2+3*4", 14 },
    { "2*3+4", 10 },
    { "2*3^2", 18 },
    { "--3", 3 },
    { "-3*-2", 6 },
    { "1 - -1", 2 },
    { "12", 12 },
    { "1.5", 1.5 },
    { ".5", 0.5 },
    { "3.", 3 },
    { "1e3", 1000 },
    { "2.5E-1", 0.25 },
    { "1e+2", 100 },
    { " \t( 1 + 2 ) * 3 ", 9 },
    { "abs(-3)", 3 },
    { "sqrt(16)", 4 },
    { "sigmoid(0)", 0.5 },
    { "tanh(0) + sin(0) + cos(0)", 1 },
    { "2^0", 1 },
    { "0^0", 1 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v = eval_text (cases[i].text, 0.7, -0.3);
      if (v != cases[i].value)
        g_error ("%s = %.17g, expected %.17g", cases[i].text, v, cases[i].value);
    }
  g_assert_cmpfloat (eval_text ("pi", 0, 0), ==, G_PI);
  g_assert_cmpfloat (eval_text ("e", 0, 0), ==, G_E);
  g_assert_cmpfloat (eval_text ("-w1^2", 3, 0), ==, -9);
  g_assert_cmpfloat (eval_text ("w1 - w2", 3, 5), ==, -2);
  g_assert_cmpfloat (eval_text ("w2/w1", 4, 2), ==, 0.5);
}

/* A formula and the same written in C. */
typedef struct {
  const char *text;
  double (*direct) (double x, double y);
} Formula;

static double f_poly (double x, double y) { return x * x + 10 * y * y; }
static double f_sin (double x, double y) { return sin (x * y) + 2 * x; }
static double f_cos (double x, double y) { return cos (3 * x - y) * y; }
static double f_tan (double x, double y) { return tan (0.3 * x + 0.2 * y); }
static double f_exp (double x, double y) { return exp (-(x * x + y * y) / 2); }
static double f_log (double x, double y) { return log (1 + x * x + y * y); }
static double f_sqrt (double x, double y) { return sqrt (x * x + y * y + 0.5); }
static double f_abs (double x, double y) { return fabs (x - 0.25) + 0.5 * fabs (y + 0.125); }
static double f_tanh (double x, double y) { return tanh (x) * tanh (x) + y; }
static double f_sigmoid (double x, double y) { return 1 / (1 + exp (-(x - 2 * y))); }
static double f_div (double x, double y) { return (x + y) / (2 + x * x); }
static double f_pow_var (double x, double y) { return pow (1.5 + sin (x), y); }
static double f_pow_neg (double x, double y) { return pow (x, 3) - pow (y - 3, -2); }
static double f_pow_frac (double x, double y) { return pow (x * x + 1, 0.75) * y; }
static double f_consts (double x, double y) { return G_PI * x - G_E * y; }
static double f_mixed (double x, double y)
{
  return -pow (x, 2) + exp (sin (x) * cos (y)) / (1 + sqrt (fabs (y) + 1)) - log (2 + tanh (x * y));
}

static const Formula formulas[] = {
  { "w1^2 + 10*w2^2", f_poly },
  { "sin(w1*w2) + 2*w1", f_sin },
  { "cos(3*w1 - w2) * w2", f_cos },
  { "tan(0.3*w1 + 0.2*w2)", f_tan },
  { "exp(-(w1^2 + w2^2)/2)", f_exp },
  { "log(1 + w1^2 + w2^2)", f_log },
  { "sqrt(w1^2 + w2^2 + 0.5)", f_sqrt },
  { "abs(w1 - 0.25) + 0.5*abs(w2 + 0.125)", f_abs },
  { "tanh(w1)^2 + w2", f_tanh },
  { "sigmoid(w1 - 2*w2)", f_sigmoid },
  { "(w1 + w2) / (2 + w1*w1)", f_div },
  { "(1.5 + sin(w1))^w2", f_pow_var },
  { "w1^3 - (w2 - 3)^-2", f_pow_neg },
  { "(w1^2 + 1)^0.75 * w2", f_pow_frac },
  { "pi*w1 - e*w2", f_consts },
  { "-w1^2 + exp(sin(w1)*cos(w2)) / (1 + sqrt(abs(w2) + 1)) - log(2 + tanh(w1*w2))", f_mixed },
};

static void
test_values (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (16003);
  for (gsize k = 0; k < G_N_ELEMENTS (formulas); k++)
    {
      g_autoptr (RvExpr) e = rv_expr_parse (formulas[k].text, NULL);
      g_assert_nonnull (e);
      for (int p = 0; p < 500; p++)
        {
          double x = g_rand_double_range (rand, -2.5, 2.5), y = g_rand_double_range (rand, -2.5, 2.5);
          double v = rv_expr_eval (e, x, y, NULL, NULL), d = formulas[k].direct (x, y);
          if (!(fabs (v - d) <= 1e-13 * (1 + fabs (d))))
            g_error ("%s at (%g, %g): %.17g, directly %.17g", formulas[k].text, x, y, v, d);
        }
    }
}

/* Central differences: truncation ~h^2 f''', rounding ~eps |f| / h. */
static void
check_gradient_at (const RvExpr *e, const char *text, double x, double y)
{
  const double h = 1e-6;
  double g1, g2;
  double f = rv_expr_eval (e, x, y, &g1, &g2);
  double fd1 = (rv_expr_eval (e, x + h, y, NULL, NULL) - rv_expr_eval (e, x - h, y, NULL, NULL)) / (2 * h);
  double fd2 = (rv_expr_eval (e, x, y + h, NULL, NULL) - rv_expr_eval (e, x, y - h, NULL, NULL)) / (2 * h);
  double round = 16 * DBL_EPSILON * (1 + fabs (f)) / h;
  if (!(fabs (fd1 - g1) <= 1e-5 * (1 + fabs (g1)) + round)
      || !(fabs (fd2 - g2) <= 1e-5 * (1 + fabs (g2)) + round))
    g_error ("%s at (%g, %g): gradient (%.10g, %.10g), differences (%.10g, %.10g)",
             text, x, y, g1, g2, fd1, fd2);
  g_assert_cmpfloat (rv_expr_eval (e, x, y, NULL, NULL), ==, f);
}

static void
test_gradients (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261203);
  for (gsize k = 0; k < G_N_ELEMENTS (formulas); k++)
    {
      g_autoptr (RvExpr) e = rv_expr_parse (formulas[k].text, NULL);
      int checked = 0;
      for (int p = 0; p < 1000; p++)
        {
          double x = g_rand_double_range (rand, -2.5, 2.5), y = g_rand_double_range (rand, -2.5, 2.5);
          /* off the kinks of abs and the pole of (w2 - 3)^-2 */
          if (fabs (x - 0.25) < 1e-3 || fabs (y + 0.125) < 1e-3 || fabs (y) < 1e-3)
            continue;
          check_gradient_at (e, formulas[k].text, x, y);
          checked++;
        }
      g_assert_cmpint (checked, >, 900);
    }
}

/* Exact derivatives where the rules meet special values. */
static void
test_gradient_edges (void)
{
  double g1, g2;
  g_autoptr (RvExpr) a = rv_expr_parse ("abs(w1) + w2", NULL);
  rv_expr_eval (a, 0, 1, &g1, &g2);
  g_assert_cmpfloat (g1, ==, 0);  /* sign(0), as torch */
  g_assert_cmpfloat (g2, ==, 1);

  /* sqrt(w1) at 0 is infinitely steep in w1 and flat in w2 */
  g_autoptr (RvExpr) s = rv_expr_parse ("sqrt(w1) * 3 + w2", NULL);
  rv_expr_eval (s, 0, 0, &g1, &g2);
  g_assert_true (isinf (g1));
  g_assert_cmpfloat (g2, ==, 1);

  /* w1^2 at a negative base, w1^0 everywhere */
  g_autoptr (RvExpr) q = rv_expr_parse ("w1^2 + w1^3 + w2^0", NULL);
  g_assert_cmpfloat (rv_expr_eval (q, -2, 0, &g1, &g2), ==, 4 - 8 + 1);
  g_assert_cmpfloat (g1, ==, 2 * -2 + 3 * 4);
  g_assert_cmpfloat (g2, ==, 0);

  /* a variable exponent on a zero base: 0^w2 is 0 for w2 > 0, flat in w2 */
  g_autoptr (RvExpr) z = rv_expr_parse ("w1^w2", NULL);
  g_assert_cmpfloat (rv_expr_eval (z, 0, 1.5, &g1, &g2), ==, 0);
  g_assert_cmpfloat (g1, ==, 0);
  g_assert_cmpfloat (g2, ==, 0);
  g_assert_cmpfloat (rv_expr_eval (z, 2, 3, &g1, &g2), ==, 8);
  g_assert_cmpfloat_with_epsilon (g1, 3 * 4, 1e-12);
  g_assert_cmpfloat_with_epsilon (g2, 8 * log (2), 1e-12);

  /* sigmoid and tanh far out, where a naive form overflows */
  g_autoptr (RvExpr) t = rv_expr_parse ("sigmoid(w1) + tanh(w2)", NULL);
  double v = rv_expr_eval (t, -800, 800, &g1, &g2);
  g_assert_cmpfloat (v, ==, 1);
  g_assert_cmpfloat (g1, ==, 0);
  g_assert_cmpfloat (g2, ==, 0);
}

/* Outside a function's domain: NaN or inf, never a crash. */
static void
test_domain (void)
{
  g_assert_true (isnan (eval_text ("log(w1)", -1, 0)));
  g_assert_true (isinf (eval_text ("log(w1)", 0, 0)));
  g_assert_true (isnan (eval_text ("sqrt(w1)", -1, 0)));
  g_assert_true (isinf (eval_text ("1/w1", 0, 0)));
  g_assert_true (isnan (eval_text ("w1^0.5", -4, 0)));
  g_assert_true (isinf (eval_text ("exp(w1)", 1000, 0)));

  /* The trajectory reports it as a divergence at the step it happens. */
  g_autoptr (RvSurface) s = rv_surface_new_from_expr ("log(w1)", NULL, NULL);
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_SGD);
  c.lr = 0.1;
  RvTrajectoryPoint p[10];
  guint n = 99;
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_trajectory_run (s, &c, -1.0, 0.0, 10, p, &n, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DIVERGED);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpstr (error->message, ==, "diverged at step 0: loss is nan");
}

static void
test_errors (void)
{
  g_autofree char *long_text = g_strnfill (RV_EXPR_MAX_LENGTH + 1, '1');
  /* "1+1+...+11", 1000 characters */
  GString *max_text = g_string_new (NULL);
  while (max_text->len < RV_EXPR_MAX_LENGTH - 2)
    g_string_append (max_text, "1+");
  g_string_append (max_text, "11");
  g_assert_cmpuint (max_text->len, ==, RV_EXPR_MAX_LENGTH);
  g_autofree char *parens = g_strnfill (RV_EXPR_MAX_DEPTH, '(');
  g_autofree char *deep = g_strconcat (parens, "w1", NULL);
  g_autofree char *minuses = g_strnfill (RV_EXPR_MAX_DEPTH, '-');
  g_autofree char *deep_neg = g_strconcat (minuses, "w1", NULL);
  const struct { const char *text, *message; } cases[] = {
    { "", "column 1: the formula is empty" },
    { "   ", "column 4: the formula is empty" },
    { "(w1 + 2", "column 8: expected ')'" },
    { "sin(w1", "column 7: expected ')'" },
    { "sin(w1 w2)", "column 8: expected ')'" },
    { "w1 +", "column 5: the formula ends where a number, w1, w2, a function or '(' was expected" },
    { "2 * * 3", "column 5: expected a number, w1, w2, a function or '('" },
    { "w1 w2", "column 4: expected an operator or the end of the formula" },
    { "2w1", "column 2: expected an operator or the end of the formula" },
    { "2e", "column 2: expected an operator or the end of the formula" },
    { "1.2.3", "column 4: expected an operator or the end of the formula" },
    { "w1)", "column 3: unmatched ')'" },
    { "foo(w1)", "column 1: unknown name 'foo' (expected w1, w2, pi, e or a function)" },
    { "w1 + w3", "column 6: unknown name 'w3' (expected w1, w2, pi, e or a function)" },
    { "W1", "column 1: unknown name 'W1' (expected w1, w2, pi, e or a function)" },
    { "sin w1", "column 5: expected '(' after sin" },
    { "sqrt", "column 5: expected '(' after sqrt" },
    { "1e999 + w1", "column 1: the number 1e999 is too large" },
    { "w1 # 2", "column 4: expected an operator or the end of the formula" },
    { "()", "column 2: expected a number, w1, w2, a function or '('" },
    { "w1 × 2", "column 4: expected an operator or the end of the formula" },
    { "é", "column 1: expected a number, w1, w2, a function or '('" },
    /* columns count characters, not bytes */
    { "(é", "column 2: expected a number, w1, w2, a function or '('" },
    { "w1\xff", "column 3: not valid UTF-8" },
    { long_text, "column 1001: the formula is longer than 1000 characters" },
    { deep, "column 65: nested deeper than 64 levels" },
    { deep_neg, "column 65: nested deeper than 64 levels" },
    { "2^^3", "column 3: expected a number, w1, w2, a function or '('" },
    { "+1", "column 1: expected a number, w1, w2, a function or '('" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RvExpr) e = rv_expr_parse (cases[i].text, &error);
      if (e != NULL)
        g_error ("\"%s\" parsed", cases[i].text);
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
      if (strcmp (error->message, cases[i].message) != 0)
        g_error ("\"%.40s\": \"%s\", expected \"%s\"", cases[i].text, error->message, cases[i].message);
    }

  /* Just inside the caps parses. */
  g_autoptr (RvExpr) longest = rv_expr_parse (max_text->str, NULL);
  g_assert_nonnull (longest);
  g_assert_cmpfloat (rv_expr_eval (longest, 0, 0, NULL, NULL), ==, RV_EXPR_MAX_LENGTH / 2 - 1 + 11);
  g_string_free (max_text, TRUE);
  g_autofree char *open = g_strnfill (RV_EXPR_MAX_DEPTH - 1, '(');
  g_autofree char *close = g_strnfill (RV_EXPR_MAX_DEPTH - 1, ')');
  g_autofree char *deepest = g_strconcat (open, "w1", close, NULL);
  g_autoptr (RvExpr) nested = rv_expr_parse (deepest, NULL);
  g_assert_nonnull (nested);
  g_assert_cmpfloat (rv_expr_eval (nested, 2.5, 0, NULL, NULL), ==, 2.5);
  g_autofree char *negs = g_strnfill (RV_EXPR_MAX_DEPTH - 1, '-');
  g_autofree char *deepest_neg = g_strconcat (negs, "w1", NULL);
  g_autoptr (RvExpr) negated = rv_expr_parse (deepest_neg, NULL);
  g_assert_nonnull (negated);
  g_assert_cmpfloat (rv_expr_eval (negated, 2.5, 0, NULL, NULL), ==, -2.5);  /* 63 minuses */
}

/* The named surfaces, typed as a teacher would from their definitions. */
static const struct { const char *name, *text; } named_as_formulas[] = {
  { "pathological", "tanh(w1)^2 + 0.01*abs(w1) + sigmoid(w2)" },
  { "steep", "-(exp(-((w1-1)^2 + (w2+0.5)^2)/(2*0.2^2))/(2*pi*0.2^2)"
             " + exp(-((w1+1)^2 + (w2-0.5)^2)/(2*0.2^2))/(2*pi*0.2^2)"
             " + exp(-((w1+0.5)^2 + (w2+0.8)^2)/(2*0.2^2))/(2*pi*0.2^2))" },
  { "rosenbrock", "(w1-1)^2 + 100*(w2-w1^2)^2" },
  { "beale", "(1.5 - w1 + w1*w2)^2 + (2.25 - w1 + w1*w2^2)^2 + (2.625 - w1 + w1*w2^3)^2" },
  { "himmelblau", "(w1^2 + w2 - 11)^2 + (w1 + w2^2 - 7)^2" },
  { "saddle", "w1^2 - w2^2" },
  { "rastrigin", "20 + w1^2 - 10*cos(2*pi*w1) + w2^2 - 10*cos(2*pi*w2)" },
};

static gboolean
close_to (double a, double b, double rel)
{
  return a == b || fabs (a - b) <= rel * MAX (fabs (a), fabs (b));
}

/* Value and gradient agree with the hand-written code everywhere. */
static void
test_named_surfaces_pointwise (void)
{
  guint n;
  rv_surface_list (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (named_as_formulas));
  g_autoptr (GRand) rand = g_rand_new_with_seed (77);
  for (gsize k = 0; k < G_N_ELEMENTS (named_as_formulas); k++)
    {
      const RvSurface *named = rv_surface_lookup (named_as_formulas[k].name);
      g_autoptr (RvExpr) e = rv_expr_parse (named_as_formulas[k].text, NULL);
      g_assert_nonnull (named);
      g_assert_nonnull (e);
      for (int p = 0; p < 2000; p++)
        {
          double x = g_rand_double_range (rand, named->range[0][0] - 1, named->range[0][1] + 1);
          double y = g_rand_double_range (rand, named->range[1][0] - 1, named->range[1][1] + 1);
          double g1, g2, h1, h2;
          double f = rv_surface_eval (named, x, y, &g1, &g2);
          double v = rv_expr_eval (e, x, y, &h1, &h2);
          /* an absolute floor at the scale of the terms that cancel */
          double scale = 1e-12 * (1 + fabs (f) + fabs (g1) + fabs (g2)) * 100;
          if (!(fabs (v - f) <= scale) || !(fabs (h1 - g1) <= scale) || !(fabs (h2 - g2) <= scale))
            g_error ("%s at (%g, %g): (%.17g; %.17g, %.17g) typed, (%.17g; %.17g, %.17g) built in",
                     named->name, x, y, v, h1, h2, f, g1, g2);
        }
    }
}

/* The strongest check: every optimizer's path from each surface's start is
 * the same on the typed surface as on the built-in one. */
static void
test_named_surfaces_trajectories (void)
{
  const double lrs[] = { 0.001, 0.01, 0.1, 1, 10 };
  for (gsize k = 0; k < G_N_ELEMENTS (named_as_formulas); k++)
    {
      const RvSurface *named = rv_surface_lookup (named_as_formulas[k].name);
      g_autoptr (GError) error = NULL;
      g_autoptr (RvSurface) typed = rv_surface_new_from_expr (named_as_formulas[k].text, named->range, &error);
      g_assert_no_error (error);
      for (int o = 0; o < RV_OPTIM_COUNT; o++)
        for (gsize l = 0; l < G_N_ELEMENTS (lrs); l++)
          {
            RvOptimConfig c;
            rv_optim_config_init (&c, (RvOptimKind) o);
            c.lr = lrs[l];
            RvTrajectoryPoint a[100], b[100];
            guint na = 0, nb = 0;
            gboolean ok_a = rv_trajectory_run (named, &c, named->start[0], named->start[1], 100, a, &na, NULL);
            gboolean ok_b = rv_trajectory_run (typed, &c, named->start[0], named->start[1], 100, b, &nb, NULL);
            g_assert_cmpint (ok_a, ==, ok_b);
            g_assert_cmpuint (na, ==, nb);
            for (guint i = 0; i < na; i++)
              if (!close_to (a[i].w1, b[i].w1, 1e-9) || !close_to (a[i].w2, b[i].w2, 1e-9)
                  || !close_to (a[i].loss, b[i].loss, 1e-9))
                g_error ("%s, %s lr %g, point %u: (%.17g, %.17g; %.17g) typed, (%.17g, %.17g; %.17g) built in",
                         named->name, rv_optim_kind_name (c.kind), c.lr, i,
                         b[i].w1, b[i].w2, b[i].loss, a[i].w1, a[i].w2, a[i].loss);
          }
    }
}

static void
test_surface_from_expr (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSurface) s = rv_surface_new_from_expr ("w1^2 + 10*w2^2", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->name, ==, RV_SURFACE_EXPR_NAME);
  g_assert_cmpstr (s->formula, ==, "w1^2 + 10*w2^2");
  g_assert_cmpfloat (s->range[0][0], ==, -2);
  g_assert_cmpfloat (s->range[0][1], ==, 2);
  g_assert_cmpfloat (s->range[1][0], ==, -2);
  g_assert_cmpfloat (s->range[1][1], ==, 2);
  g_assert_cmpfloat (s->start[0], ==, -1.5);
  g_assert_cmpfloat (s->start[1], ==, 1.5);
  g_assert_false (s->has_minimum);

  /* The grid is the formula at the grid's points. */
  double w1[5], w2[5], loss[25];
  rv_surface_sample_grid (s, 5, w1, w2, loss);
  for (int j = 0; j < 5; j++)
    for (int i = 0; i < 5; i++)
      g_assert_cmpfloat (loss[j * 5 + i], ==, w1[i] * w1[i] + 10 * w2[j] * w2[j]);
  g_assert_cmpfloat (w1[0], ==, -2);
  g_assert_cmpfloat (w2[4], ==, 2);

  const double range[2][2] = { { 0, 8 }, { -1, 3 } };
  g_autoptr (RvSurface) r = rv_surface_new_from_expr ("w1", range, NULL);
  g_assert_cmpfloat (r->start[0], ==, 1);
  g_assert_cmpfloat (r->start[1], ==, 2.5);

  const double empty[2][2] = { { 0, 8 }, { 3, 3 } };
  g_autoptr (RvSurface) bad = rv_surface_new_from_expr ("w1", empty, &error);
  g_assert_null (bad);
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "the range of w2, [3, 3], is not a finite interval");
  g_clear_error (&error);

  g_autoptr (RvSurface) unparsed = rv_surface_new_from_expr ("w1 +* 2", NULL, &error);
  g_assert_null (unparsed);
  g_assert_cmpstr (error->message, ==, "column 5: expected a number, w1, w2, a function or '('");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/expr/precedence", test_precedence);
  g_test_add_func ("/expr/values", test_values);
  g_test_add_func ("/expr/gradients", test_gradients);
  g_test_add_func ("/expr/gradient-edges", test_gradient_edges);
  g_test_add_func ("/expr/domain", test_domain);
  g_test_add_func ("/expr/errors", test_errors);
  g_test_add_func ("/expr/surface", test_surface_from_expr);
  g_test_add_func ("/expr/named-surfaces-pointwise", test_named_surfaces_pointwise);
  g_test_add_func ("/expr/named-surfaces-trajectories", test_named_surfaces_trajectories);
  return g_test_run ();
}
