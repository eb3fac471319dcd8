/* rv-surface.c: two-parameter loss surfaces with analytic gradients. */
#include "rv-surface.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

/* Writes the gradient to whichever of g1, g2 the caller asked for. */
static void
put_grad (double *g1, double *g2, double d1, double d2)
{
  if (g1)
    *g1 = d1;
  if (g2)
    *g2 = d2;
}

/* sigmoid without overflow in exp for large |w| */
static double
sigmoid (double w)
{
  if (w >= 0.0)
    return 1.0 / (1.0 + exp (-w));
  double e = exp (w);
  return e / (1.0 + e);
}

static double
sign (double w)
{
  return (double) ((w > 0.0) - (w < 0.0));
}

/* f = tanh(w1)^2 + 0.01 |w1| + sigmoid(w2)
 * df/dw1 = 2 tanh(w1) (1 - tanh(w1)^2) + 0.01 sign(w1);  df/dw2 = s (1 - s) */
static double
pathological_eval (double w1, double w2, double *g1, double *g2)
{
  double t = tanh (w1);
  double s = sigmoid (w2);
  put_grad (g1, g2, 2.0 * t * (1.0 - t * t) + 0.01 * sign (w1), s * (1.0 - s));
  return t * t + 0.01 * fabs (w1) + s;
}

#define STEEP_SIGMA 0.2

/* f = -sum_k G_k,  G_k = exp(-r_k^2 / (2 s^2)) / (2 pi s^2)
 * df/dw = sum_k G_k (w - mu_k) / s^2 */
static double
steep_eval (double w1, double w2, double *g1, double *g2)
{
  static const double mu[3][2] = { { 1.0, -0.5 }, { -1.0, 0.5 }, { -0.5, -0.8 } };
  const double var = STEEP_SIGMA * STEEP_SIGMA;
  const double norm = 1.0 / (2.0 * G_PI * var);
  double f = 0.0, d1 = 0.0, d2 = 0.0;
  for (int k = 0; k < 3; k++)
    {
      double dx = w1 - mu[k][0], dy = w2 - mu[k][1];
      double gk = norm * exp (-(dx * dx + dy * dy) / (2.0 * var));
      f -= gk;
      d1 += gk * dx / var;
      d2 += gk * dy / var;
    }
  put_grad (g1, g2, d1, d2);
  return f;
}

/* f = (1 - x)^2 + 100 (y - x^2)^2
 * df/dx = -2 (1 - x) - 400 x (y - x^2);  df/dy = 200 (y - x^2) */
static double
rosenbrock_eval (double x, double y, double *g1, double *g2)
{
  double a = 1.0 - x, b = y - x * x;
  put_grad (g1, g2, -2.0 * a - 400.0 * x * b, 200.0 * b);
  return a * a + 100.0 * b * b;
}

/* f = a^2 + b^2 + c^2 with a = 1.5 - x + xy, b = 2.25 - x + xy^2, c = 2.625 - x + xy^3
 * df/dx = 2a (y - 1) + 2b (y^2 - 1) + 2c (y^3 - 1)
 * df/dy = 2a x + 2b 2xy + 2c 3xy^2 */
static double
beale_eval (double x, double y, double *g1, double *g2)
{
  double y2 = y * y, y3 = y2 * y;
  double a = 1.5 - x + x * y, b = 2.25 - x + x * y2, c = 2.625 - x + x * y3;
  put_grad (g1, g2,
            2.0 * (a * (y - 1.0) + b * (y2 - 1.0) + c * (y3 - 1.0)),
            2.0 * x * (a + 2.0 * b * y + 3.0 * c * y2));
  return a * a + b * b + c * c;
}

/* f = p^2 + q^2 with p = x^2 + y - 11, q = x + y^2 - 7
 * df/dx = 4xp + 2q;  df/dy = 2p + 4yq */
static double
himmelblau_eval (double x, double y, double *g1, double *g2)
{
  double p = x * x + y - 11.0, q = x + y * y - 7.0;
  put_grad (g1, g2, 4.0 * x * p + 2.0 * q, 2.0 * p + 4.0 * y * q);
  return p * p + q * q;
}

/* f = w1^2 - w2^2: a saddle at 0, unbounded below along w2 */
static double
saddle_eval (double w1, double w2, double *g1, double *g2)
{
  put_grad (g1, g2, 2.0 * w1, -2.0 * w2);
  return w1 * w1 - w2 * w2;
}

#define RASTRIGIN_A 10.0

/* f = 2A + sum (w^2 - A cos(2 pi w));  df/dw = 2w + 2 pi A sin(2 pi w) */
static double
rastrigin_eval (double w1, double w2, double *g1, double *g2)
{
  const double tau = 2.0 * G_PI;
  put_grad (g1, g2,
            2.0 * w1 + tau * RASTRIGIN_A * sin (tau * w1),
            2.0 * w2 + tau * RASTRIGIN_A * sin (tau * w2));
  return 2.0 * RASTRIGIN_A
         + w1 * w1 - RASTRIGIN_A * cos (tau * w1)
         + w2 * w2 - RASTRIGIN_A * cos (tau * w2);
}

static const RvSurface surfaces[] = {
  { "pathological", "Pathological curvature",
    "tanh(w₁)² + 0.01·|w₁| + σ(w₂)",
    { { -5.0, 5.0 }, { -5.0, 5.0 } }, { 5.0, 5.0 },
    FALSE, { 0.0, 0.0 }, 0.0, pathological_eval },
  /* The three Gaussians barely overlap (the others add ~1e-10 at a centre),
   * so each minimum sits at its centre with value -1 / (2 pi s^2). */
  { "steep", "Steep optima",
    "−Σₖ exp(−‖w − μₖ‖² / 0.08) / (0.08·π)",
    { { -2.0, 2.0 }, { -2.0, 2.0 } }, { 0.0, 0.0 },
    TRUE, { -0.5, -0.8 }, -1.0 / (2.0 * G_PI * STEEP_SIGMA * STEEP_SIGMA), steep_eval },
  { "rosenbrock", "Rosenbrock",
    "(1 − w₁)² + 100·(w₂ − w₁²)²",
    { { -2.0, 2.0 }, { -1.0, 3.0 } }, { -1.5, 2.0 },
    TRUE, { 1.0, 1.0 }, 0.0, rosenbrock_eval },
  { "beale", "Beale",
    "(1.5 − w₁ + w₁w₂)² + (2.25 − w₁ + w₁w₂²)² + (2.625 − w₁ + w₁w₂³)²",
    { { -4.5, 4.5 }, { -4.5, 4.5 } }, { 1.0, 1.5 },
    TRUE, { 3.0, 0.5 }, 0.0, beale_eval },
  { "himmelblau", "Himmelblau",
    "(w₁² + w₂ − 11)² + (w₁ + w₂² − 7)²",
    { { -5.0, 5.0 }, { -5.0, 5.0 } }, { 0.0, 0.0 },
    TRUE, { 3.0, 2.0 }, 0.0, himmelblau_eval },
  { "saddle", "Saddle point",
    "w₁² − w₂²",
    { { -2.0, 2.0 }, { -2.0, 2.0 } }, { -1.5, 0.01 },
    FALSE, { 0.0, 0.0 }, 0.0, saddle_eval },
  { "rastrigin", "Rastrigin",
    "20 + Σ (wᵢ² − 10·cos(2π·wᵢ))",
    { { -5.12, 5.12 }, { -5.12, 5.12 } }, { 4.5, 3.5 },
    TRUE, { 0.0, 0.0 }, 0.0, rastrigin_eval },
};

const RvSurface *
rv_surface_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (surfaces); i++)
    if (strcmp (surfaces[i].name, name) == 0)
      return &surfaces[i];
  return NULL;
}

const RvSurface *
rv_surface_list (guint *n_out)
{
  if (n_out)
    *n_out = G_N_ELEMENTS (surfaces);
  return surfaces;
}

static double grid_eval (const RvSurface *s, double w1, double w2, double *g1, double *g2);

double
rv_surface_eval (const RvSurface *surface, double w1, double w2, double *g1, double *g2)
{
  g_return_val_if_fail (surface != NULL, NAN);
  if (surface->expr != NULL)
    return rv_expr_eval (surface->expr, w1, w2, g1, g2);
  if (surface->grid != NULL)
    return grid_eval (surface, w1, w2, g1, g2);
  return surface->eval (w1, w2, g1, g2);
}

/* Where w falls between nodes k and k + 1 (0 <= t < 1); a w within a
 * rounding error of a node is on it, so that sampling the grid's own
 * coordinates gives the node values themselves, NaN neighbours or not. */
static gboolean
grid_locate (double w, double lo, double hi, guint n, guint *k, double *t, double *cell)
{
  *cell = (hi - lo) / (n - 1);
  double u = (w - lo) / *cell;
  if (!(u >= -1e-9 && u <= n - 1 + 1e-9))
    return FALSE;
  double r = round (u);
  if (fabs (u - r) < 1e-9)
    u = r;
  u = CLAMP (u, 0.0, (double) (n - 1));
  *k = MIN ((guint) floor (u), n - 2);
  *t = u - *k;
  return TRUE;
}

static double
grid_eval (const RvSurface *s, double w1, double w2, double *g1, double *g2)
{
  const guint n = s->grid_n;
  guint i, j;
  double tx, ty, cx, cy;
  if (g1)
    *g1 = NAN;
  if (g2)
    *g2 = NAN;
  if (!grid_locate (w1, s->range[0][0], s->range[0][1], n, &i, &tx, &cx)
      || !grid_locate (w2, s->range[1][0], s->range[1][1], n, &j, &ty, &cy))
    return NAN;
  const double *v = s->grid;
  const double wx[2] = { 1.0 - tx, tx }, wy[2] = { 1.0 - ty, ty };
  double value = 0.0, c[2][2];
  gboolean all_finite = TRUE;
  for (int b = 0; b < 2; b++)
    for (int a = 0; a < 2; a++)
      {
        c[b][a] = v[(size_t) (j + b) * n + i + a];
        all_finite = all_finite && isfinite (c[b][a]);
        /* a corner of weight 0 (w on an edge or a node) does not bring its NaN in */
        if (wx[a] * wy[b] == 0.0)
          continue;
        if (!isfinite (c[b][a]))
          return NAN;
        value += wx[a] * wy[b] * c[b][a];
      }
  if (all_finite && g1)
    *g1 = (wy[0] * (c[0][1] - c[0][0]) + wy[1] * (c[1][1] - c[1][0])) / cx;
  if (all_finite && g2)
    *g2 = (wx[0] * (c[1][0] - c[0][0]) + wx[1] * (c[1][1] - c[0][1])) / cy;
  return value;
}

RvSurface *
rv_surface_new_from_grid (const char *display_name, guint n, const double range[2][2], const double *values,
                          const char *const axis_names[2])
{
  g_return_val_if_fail (display_name != NULL && n >= 2 && range != NULL && values != NULL, NULL);
  RvSurface *s = g_new0 (RvSurface, 1);
  s->name = RV_SURFACE_GRID_NAME;
  s->display_name = g_strdup (display_name);
  s->formula = "";
  memcpy (s->range, range, sizeof s->range);
  s->start[0] = 0.5 * (range[0][0] + range[0][1]);
  s->start[1] = 0.5 * (range[1][0] + range[1][1]);
  s->grid = g_memdup2 (values, (gsize) n * n * sizeof (double));
  s->grid_n = n;
  for (int a = 0; a < 2; a++)
    s->axis_names[a] = axis_names ? g_strdup (axis_names[a]) : NULL;
  return s;
}

void
rv_surface_set_grid_values (RvSurface *surface, const double *values)
{
  g_return_if_fail (surface != NULL && surface->grid != NULL);
  memcpy ((double *) surface->grid, values, (gsize) surface->grid_n * surface->grid_n * sizeof (double));
}

RvSurface *
rv_surface_new_from_expr (const char *formula, const double range[2][2], GError **error)
{
  g_return_val_if_fail (formula != NULL, NULL);

  static const double default_range[2][2] = {
    { -RV_SURFACE_EXPR_RANGE, RV_SURFACE_EXPR_RANGE }, { -RV_SURFACE_EXPR_RANGE, RV_SURFACE_EXPR_RANGE }
  };
  if (range == NULL)
    range = default_range;
  for (int d = 0; d < 2; d++)
    if (!isfinite (range[d][0]) || !isfinite (range[d][1]) || !(range[d][0] < range[d][1])
        || !isfinite (range[d][1] - range[d][0]))
      {
        g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "the range of w%d, [%g, %g], is not a finite interval",
                     d + 1, range[d][0], range[d][1]);
        return NULL;
      }

  RvExpr *expr = rv_expr_parse (formula, error);
  if (expr == NULL)
    return NULL;

  RvSurface *s = g_new0 (RvSurface, 1);
  s->name = RV_SURFACE_EXPR_NAME;
  s->display_name = "Custom formula";
  s->formula = rv_expr_get_text (expr);
  memcpy (s->range, range, sizeof s->range);
  s->start[0] = range[0][0] + (range[0][1] - range[0][0]) / 8.0;
  s->start[1] = range[1][1] - (range[1][1] - range[1][0]) / 8.0;
  s->expr = expr;
  return s;
}

void
rv_surface_free (RvSurface *surface)
{
  if (surface == NULL)
    return;
  g_return_if_fail (surface->expr != NULL || surface->grid != NULL);
  if (surface->grid != NULL)
    {
      g_free ((double *) surface->grid);
      g_free ((char *) surface->display_name);
      for (int a = 0; a < 2; a++)
        g_free ((char *) surface->axis_names[a]);
    }
  else
    rv_expr_free ((RvExpr *) surface->expr);
  g_free (surface);
}

void
rv_surface_sample_grid (const RvSurface *surface, guint n, double *w1, double *w2, double *loss)
{
  g_return_if_fail (surface != NULL && n >= 2);
  g_return_if_fail (w1 != NULL && w2 != NULL && loss != NULL);

  for (guint i = 0; i < n; i++)
    {
      /* lerp from both ends, so the last sample is the range's end exactly */
      double u = (double) i / (double) (n - 1);
      w1[i] = surface->range[0][0] * (1.0 - u) + surface->range[0][1] * u;
      w2[i] = surface->range[1][0] * (1.0 - u) + surface->range[1][1] * u;
    }
  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      loss[(size_t) j * n + i] = rv_surface_eval (surface, w1[i], w2[j], NULL, NULL);
}
