/* rv-surface.h: two-parameter loss surfaces with analytic gradients.
 *
 * The tutorial's two (its definitions exactly):
 *   pathological  tanh(w1)^2 + 0.01 |w1| + sigmoid(w2)      on [-5,5]^2, from (5, 5)
 *                 (d|w1|/dw1 at 0 is sign(0) = 0, as in torch)
 *   steep         -(G(1,-0.5) + G(-1,0.5) + G(-0.5,-0.8)),
 *                 G(mx,my) = exp(-((w1-mx)^2 + (w2-my)^2) / (2 s^2)) / (2 pi s^2),
 *                 s = 0.2                                    on [-2,2]^2, from (0, 0)
 * and classic test functions beyond it:
 *   rosenbrock    (1 - w1)^2 + 100 (w2 - w1^2)^2             x [-2,2], y [-1,3], from (-1.5, 2)
 *   beale         (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2
 *                                                            on [-4.5,4.5]^2, from (1, 1.5)
 *   himmelblau    (x^2 + y - 11)^2 + (x + y^2 - 7)^2         on [-5,5]^2, from (0, 0)
 *   saddle        w1^2 - w2^2                                on [-2,2]^2, from (-1.5, 0.01)
 *   rastrigin     20 + sum over w of (w^2 - 10 cos(2 pi w))  on [-5.12,5.12]^2, from (4.5, 3.5)
 * and surfaces typed as a formula (rv-expr.h), made by
 * rv_surface_new_from_expr, which behave like the named ones.
 * Everything is in double; the trajectory runner keeps its parameters in
 * float, as the tutorial's torch code does. */
#pragma once

#include <glib.h>

#include "rv-expr.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;          /* "pathological": the CLI's and the JSON's name */
  const char *display_name;  /* "Pathological curvature" (untranslated) */
  const char *formula;       /* the definition in UTF-8, for labels */
  double range[2][2];        /* {{w1_min, w1_max}, {w2_min, w2_max}}: the view */
  double start[2];           /* the default starting point */
  gboolean has_minimum;      /* FALSE where it is unbounded or not attained */
  double minimum[2];         /* a global minimum (one of several for himmelblau) */
  double minimum_value;
  /* The value at (w1, w2); the gradient into g1, g2. */
  double (*eval) (double w1, double w2, double *g1, double *g2);
  const RvExpr *expr;        /* a typed surface: this instead of eval (NULL) */
  /* A sampled surface (rv_surface_new_from_grid): grid_n x grid_n values
   * instead of eval, NULL otherwise. */
  const double *grid;
  guint grid_n;
  /* The two parameters' names as the views label them ("α", "β"), or
   * NULL for w1 and w2. */
  const char *axis_names[2];
} RvSurface;

#define RV_SURFACE_EXPR_NAME "expr"
/* The view of a typed surface unless one is given: [-2, 2]^2. */
#define RV_SURFACE_EXPR_RANGE 2.0

/* A surface from a formula: name RV_SURFACE_EXPR_NAME, display_name
 * "Custom formula", formula the text as typed.  range (NULL for the default
 * [-2, 2]^2) must be finite and non-empty in both coordinates; the start is
 * an eighth of the range in from its top-left corner, (-1.5, 1.5) by
 * default, off the axes where simple formulas have their minima.  NULL
 * with RV_ERROR_ARGUMENT ("column 7: expected ')'") when the formula does
 * not parse or the range is bad.  Free with rv_surface_free. */
RvSurface *rv_surface_new_from_expr (const char *formula, const double range[2][2], GError **error);
/* A surface known only at the nodes of an n x n grid (n >= 2) over range,
 * such as a network's loss landscape: values[j * n + i] at
 * (w1[i], w2[j]) laid out as rv_surface_sample_grid does, bilinear
 * between the nodes (exact at them), its gradient that of the bilinear
 * piece.  A NaN or infinite node makes every piece that uses it NaN (the
 * views leave it blank).  Outside the range the surface is NaN.  name is
 * RV_SURFACE_GRID_NAME, display_name a copy of the one given; axis_names
 * (may be NULL) are copied.  Free with rv_surface_free. */
#define RV_SURFACE_GRID_NAME "grid"
RvSurface *rv_surface_new_from_grid (const char *display_name, guint n, const double range[2][2],
                                     const double *values, const char *const axis_names[2]);
/* New values [n * n] for a surface from rv_surface_new_from_grid. */
void rv_surface_set_grid_values (RvSurface *surface, const double *values);

/* Frees a surface from rv_surface_new_from_expr or _from_grid (NULL is
 * ignored). */
void rv_surface_free (RvSurface *surface);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSurface, rv_surface_free)

/* NULL when there is no surface of that name. */
const RvSurface *rv_surface_lookup (const char *name);
/* All surfaces, the tutorial's first; *n_out gets their count. */
const RvSurface *rv_surface_list (guint *n_out);

/* The value at (w1, w2); the gradient into g1 and g2 when they are not NULL. */
double rv_surface_eval (const RvSurface *surface, double w1, double w2, double *g1, double *g2);

/* Samples an n x n grid (n >= 2) over the surface's range, ends included:
 * w1[i] = x0 + (x1 - x0) i / (n - 1), likewise w2[j], and
 * loss[j * n + i] = f(w1[i], w2[j]) (row j holds one w2, as an image row). */
void rv_surface_sample_grid (const RvSurface *surface, guint n,
                             double *w1 /* [n] */, double *w2 /* [n] */, double *loss /* [n * n] */);

G_END_DECLS
