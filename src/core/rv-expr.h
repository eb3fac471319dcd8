/* rv-expr.h: a formula in w1 and w2, parsed into a tree, with exact gradients.
 *
 * The grammar (recursive descent; blanks between tokens are ignored):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := primary ('^' unary)?       right-associative, tighter than
 *                                          unary minus: -w1^2 = -(w1^2),
 *                                          2^3^2 = 2^9, 2^-1 = 0.5
 *   primary := NUMBER | 'w1' | 'w2' | 'pi' | 'e' | FUNCTION '(' sum ')' | '(' sum ')'
 *   NUMBER  := 12, 1.5, .5, 3., 1e-3, 2.5E+4
 *   FUNCTION:= sin cos tan exp log sqrt abs tanh sigmoid
 * The text is never run as code: it becomes a list of nodes that
 * rv_expr_eval walks once per point with dual numbers, giving the value and
 * both partial derivatives in one pass.  Derivatives follow the usual rules;
 * d|u| at 0 is 0 (sign(0), as in torch) and a factor multiplying a zero
 * derivative adds nothing (sqrt(w1) has d/dw2 = 0 even at w1 = 0).
 *
 * Errors are RV_ERROR_ARGUMENT with the 1-based column (in characters) of
 * the fault: "column 7: expected ')'", "column 1: unknown name 'x'".  The
 * text is capped at RV_EXPR_MAX_LENGTH characters and the nesting at
 * RV_EXPR_MAX_DEPTH, so that no input can exhaust the stack.  Outside a
 * function's domain (log of a negative, sqrt of a negative, 1/0) the value
 * is NaN or infinite, which the trajectory reports as a divergence. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RV_EXPR_MAX_LENGTH 1000
#define RV_EXPR_MAX_DEPTH 64

typedef struct _RvExpr RvExpr;

/* NULL with RV_ERROR_ARGUMENT when text is not a formula. */
RvExpr *rv_expr_parse (const char *text, GError **error);
void rv_expr_free (RvExpr *expr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvExpr, rv_expr_free)

/* The text it was parsed from. */
const char *rv_expr_get_text (const RvExpr *expr);

/* The value at (w1, w2); the partial derivatives into g1 and g2 when they
 * are not NULL.  Safe to call from several threads at once. */
double rv_expr_eval (const RvExpr *expr, double w1, double w2, double *g1, double *g2);

G_END_DECLS
