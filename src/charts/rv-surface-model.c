/* rv-surface-model.c: the surface grid and the runs, and nothing that
 * computes them but the grid sampling. */
#include "rv-config.h"

#include <math.h>
#include <string.h>

#include "rv-surface-model.h"

/* log(1 + LOG_SPREAD u): three decades of the linear range */
#define LOG_SPREAD 1000.0
/* fit_range_to_runs takes in points up to this many ranges from the centre */
#define FIT_REACH 20.0

typedef struct
{
  char *name;
  GdkRGBA color;
  GArray *points;  /* RvTrajectoryPoint */
  GArray *states;  /* RvTrajectoryState, one per point, or empty */
  char *diverged;  /* the message, NULL while it has not diverged */
} Run;

struct _RvSurfaceModel
{
  GObject parent_instance;

  const RvSurface *surface;
  double range[2][2];
  guint grid_n;
  double *grid_w1, *grid_w2, *grid;
  double loss_min, loss_max;
  guint serial;

  GPtrArray *runs;  /* Run */
  guint revealed;
  guint palette_next;
};

G_DEFINE_FINAL_TYPE (RvSurfaceModel, rv_surface_model, G_TYPE_OBJECT)

enum { CHANGED, RUNS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Light or saturated colours, none of them in viridis' purple-teal-yellow
 * range; the views outline every line in black so they read on yellow too. */
static const char *const palette[] = {
  "#ff6b5f",  /* red */
  "#ffffff",  /* white */
  "#f28bf0",  /* pink */
  "#ffa348",  /* orange */
  "#9ecbff",  /* light blue */
  "#c6ff7a",  /* lime */
};

char *
rv_surface_axis_markup (const RvSurface *surface, int axis)
{
  if (surface && surface->axis_names[axis])
    return g_markup_escape_text (surface->axis_names[axis], -1);
  return g_strdup (axis == 0 ? "w<sub>1</sub>" : "w<sub>2</sub>");
}

const char *
rv_surface_axis_text (const RvSurface *surface, int axis)
{
  if (surface && surface->axis_names[axis])
    return surface->axis_names[axis];
  return axis == 0 ? "w₁" : "w₂";
}

void
rv_surface_model_palette_color (guint index, GdkRGBA *color)
{
  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)]);
}

static void
run_free (gpointer data)
{
  Run *run = data;
  g_free (run->name);
  g_array_unref (run->points);
  g_array_unref (run->states);
  g_free (run->diverged);
  g_free (run);
}

static void
rv_surface_model_finalize (GObject *object)
{
  RvSurfaceModel *self = RV_SURFACE_MODEL (object);
  g_free (self->grid_w1);
  g_free (self->grid_w2);
  g_free (self->grid);
  g_ptr_array_unref (self->runs);
  G_OBJECT_CLASS (rv_surface_model_parent_class)->finalize (object);
}

static void
rv_surface_model_class_init (RvSurfaceModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = rv_surface_model_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RUNS_CHANGED] = g_signal_new ("runs-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
}

static void
rv_surface_model_init (RvSurfaceModel *self)
{
  self->runs = g_ptr_array_new_with_free_func (run_free);
  self->revealed = G_MAXUINT;
  self->loss_min = 0.0;
  self->loss_max = 1.0;
}

RvSurfaceModel *
rv_surface_model_new (void)
{
  return g_object_new (RV_TYPE_SURFACE_MODEL, NULL);
}

/* Samples the grid over the current range and emits "changed". */
static void
resample (RvSurfaceModel *self)
{
  g_clear_pointer (&self->grid_w1, g_free);
  g_clear_pointer (&self->grid_w2, g_free);
  g_clear_pointer (&self->grid, g_free);
  self->loss_min = 0.0;
  self->loss_max = 1.0;

  if (self->surface != NULL)
    {
      guint n = self->grid_n;
      self->grid_w1 = g_new (double, n);
      self->grid_w2 = g_new (double, n);
      self->grid = g_new (double, (gsize) n * n);

      /* The core samples a surface over its own range: give it a copy that
       * carries the view range instead. */
      RvSurface view = *self->surface;
      memcpy (view.range, self->range, sizeof view.range);
      rv_surface_sample_grid (&view, n, self->grid_w1, self->grid_w2, self->grid);

      double lo = INFINITY, hi = -INFINITY;
      for (gsize k = 0; k < (gsize) n * n; k++)
        if (isfinite (self->grid[k]))
          {
            lo = MIN (lo, self->grid[k]);
            hi = MAX (hi, self->grid[k]);
          }
      if (lo <= hi)
        {
          self->loss_min = lo;
          /* a flat surface still needs a scale */
          self->loss_max = hi > lo ? hi : lo + 1.0;
        }
    }

  self->serial++;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
rv_surface_model_set_surface (RvSurfaceModel *self, const RvSurface *surface, guint grid_n)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  g_return_if_fail (grid_n != 1);

  self->surface = surface;
  self->grid_n = grid_n == 0 ? RV_SURFACE_MODEL_DEFAULT_GRID : grid_n;
  if (surface != NULL)
    memcpy (self->range, surface->range, sizeof self->range);
  resample (self);
}

const RvSurface *
rv_surface_model_get_surface (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NULL);
  return self->surface;
}

void
rv_surface_model_set_range (RvSurfaceModel *self, double w1_min, double w1_max,
                            double w2_min, double w2_max)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  g_return_if_fail (isfinite (w1_min) && isfinite (w1_max) && w1_min < w1_max);
  g_return_if_fail (isfinite (w2_min) && isfinite (w2_max) && w2_min < w2_max);

  self->range[0][0] = w1_min;
  self->range[0][1] = w1_max;
  self->range[1][0] = w2_min;
  self->range[1][1] = w2_max;
  resample (self);
}

void
rv_surface_model_get_range (RvSurfaceModel *self, double *w1_min, double *w1_max,
                            double *w2_min, double *w2_max)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  if (w1_min != NULL)
    *w1_min = self->range[0][0];
  if (w1_max != NULL)
    *w1_max = self->range[0][1];
  if (w2_min != NULL)
    *w2_min = self->range[1][0];
  if (w2_max != NULL)
    *w2_max = self->range[1][1];
}

void
rv_surface_model_reset_range (RvSurfaceModel *self)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  if (self->surface == NULL)
    return;
  memcpy (self->range, self->surface->range, sizeof self->range);
  resample (self);
}

void
rv_surface_model_fit_range_to_runs (RvSurfaceModel *self, double margin)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  g_return_if_fail (margin >= 0.0);
  if (self->surface == NULL)
    return;

  double r[2][2];
  memcpy (r, self->surface->range, sizeof r);
  double size[2] = { r[0][1] - r[0][0], r[1][1] - r[1][0] };
  double lo[2] = { r[0][0], r[1][0] }, hi[2] = { r[0][1], r[1][1] };
  for (guint k = 0; k < self->runs->len; k++)
    {
      Run *run = g_ptr_array_index (self->runs, k);
      for (guint i = 0; i < run->points->len; i++)
        {
          const RvTrajectoryPoint *p = &g_array_index (run->points, RvTrajectoryPoint, i);
          double w[2] = { p->w1, p->w2 };
          for (int a = 0; a < 2; a++)
            /* a run flying off to 1e30 before it diverged would leave the
             * surface a dot: such points are left to the edge markers */
            if (isfinite (w[a]) && fabs (w[a] - (r[a][0] + r[a][1]) / 2) < FIT_REACH * size[a])
              {
                lo[a] = MIN (lo[a], w[a]);
                hi[a] = MAX (hi[a], w[a]);
              }
        }
    }
  for (int a = 0; a < 2; a++)
    {
      double grown = MAX (size[a], hi[a] - lo[a]);
      if (lo[a] < r[a][0])
        r[a][0] = lo[a] - margin * grown;
      if (hi[a] > r[a][1])
        r[a][1] = hi[a] + margin * grown;
    }
  rv_surface_model_set_range (self, r[0][0], r[0][1], r[1][0], r[1][1]);
}

guint
rv_surface_model_get_grid_n (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), 0);
  return self->grid != NULL ? self->grid_n : 0;
}

const double *
rv_surface_model_get_grid (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NULL);
  return self->grid;
}

const double *
rv_surface_model_get_grid_w1 (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NULL);
  return self->grid_w1;
}

const double *
rv_surface_model_get_grid_w2 (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NULL);
  return self->grid_w2;
}

void
rv_surface_model_get_loss_range (RvSurfaceModel *self, double *min, double *max)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  if (min != NULL)
    *min = self->loss_min;
  if (max != NULL)
    *max = self->loss_max;
}

guint
rv_surface_model_get_serial (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), 0);
  return self->serial;
}

double
rv_surface_normalize_loss (double loss, double lo, double hi, gboolean log_scale)
{
  if (isnan (loss))
    return NAN;
  double u = (loss - lo) / (hi - lo);
  u = CLAMP (u, 0.0, 1.0);
  return log_scale ? log1p (LOG_SPREAD * u) / log1p (LOG_SPREAD) : u;
}

double
rv_surface_denormalize_loss (double t, double lo, double hi, gboolean log_scale)
{
  t = CLAMP (t, 0.0, 1.0);
  double u = log_scale ? expm1 (t * log1p (LOG_SPREAD)) / LOG_SPREAD : t;
  return lo + u * (hi - lo);
}

double
rv_surface_model_normalize (RvSurfaceModel *self, double loss, gboolean log_scale)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NAN);
  return rv_surface_normalize_loss (loss, self->loss_min, self->loss_max, log_scale);
}

double
rv_surface_model_denormalize (RvSurfaceModel *self, double t, gboolean log_scale)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NAN);
  return rv_surface_denormalize_loss (t, self->loss_min, self->loss_max, log_scale);
}

/* Runs */

static Run *
get_run (RvSurfaceModel *self, guint run)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), NULL);
  g_return_val_if_fail (run < self->runs->len, NULL);
  return g_ptr_array_index (self->runs, run);
}

static void
runs_changed (RvSurfaceModel *self)
{
  g_signal_emit (self, signals[RUNS_CHANGED], 0);
}

guint
rv_surface_model_add_run (RvSurfaceModel *self, const char *name, const GdkRGBA *color)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  Run *run = g_new0 (Run, 1);
  run->name = g_strdup (name);
  if (color != NULL)
    run->color = *color;
  else
    rv_surface_model_palette_color (self->palette_next++, &run->color);
  run->points = g_array_new (FALSE, FALSE, sizeof (RvTrajectoryPoint));
  run->states = g_array_new (FALSE, FALSE, sizeof (RvTrajectoryState));
  g_ptr_array_add (self->runs, run);
  runs_changed (self);
  return self->runs->len - 1;
}

void
rv_surface_model_clear_runs (RvSurfaceModel *self)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  g_ptr_array_set_size (self->runs, 0);
  self->palette_next = 0;
  runs_changed (self);
}

guint
rv_surface_model_get_n_runs (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), 0);
  return self->runs->len;
}

void
rv_surface_model_set_run_points (RvSurfaceModel *self, guint run,
                                 const RvTrajectoryPoint *points, guint n_points)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL);
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (r->points, 0);
  g_array_set_size (r->states, 0);
  if (n_points > 0)
    g_array_append_vals (r->points, points, n_points);
  runs_changed (self);
}

void
rv_surface_model_set_run_trajectory (RvSurfaceModel *self, guint run, const RvTrajectoryPoint *points,
                                     const RvTrajectoryState *states, guint n_points)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL);
  g_return_if_fail ((points != NULL && states != NULL) || n_points == 0);

  g_array_set_size (r->points, 0);
  g_array_set_size (r->states, 0);
  if (n_points > 0)
    {
      g_array_append_vals (r->points, points, n_points);
      g_array_append_vals (r->states, states, n_points);
    }
  runs_changed (self);
}

const RvTrajectoryState *
rv_surface_model_get_run_state (RvSurfaceModel *self, guint run, guint index)
{
  Run *r = get_run (self, run);
  if (r == NULL || index >= r->states->len || r->states->len != r->points->len)
    return NULL;
  return &g_array_index (r->states, RvTrajectoryState, index);
}

void
rv_surface_model_append_run_point (RvSurfaceModel *self, guint run,
                                   const RvTrajectoryPoint *point)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL && point != NULL);
  g_array_append_val (r->points, *point);
  runs_changed (self);
}

void
rv_surface_model_set_run_diverged (RvSurfaceModel *self, guint run, const char *message)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL);
  g_free (r->diverged);
  r->diverged = g_strdup (message);
  runs_changed (self);
}

void
rv_surface_model_set_run_name (RvSurfaceModel *self, guint run, const char *name)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL && name != NULL);
  if (g_strcmp0 (r->name, name) == 0)
    return;
  g_free (r->name);
  r->name = g_strdup (name);
  runs_changed (self);
}

const char *
rv_surface_model_get_run_name (RvSurfaceModel *self, guint run)
{
  Run *r = get_run (self, run);
  return r != NULL ? r->name : NULL;
}

void
rv_surface_model_get_run_color (RvSurfaceModel *self, guint run, GdkRGBA *color)
{
  Run *r = get_run (self, run);
  g_return_if_fail (r != NULL && color != NULL);
  *color = r->color;
}

const RvTrajectoryPoint *
rv_surface_model_get_run_points (RvSurfaceModel *self, guint run, guint *n_points)
{
  Run *r = get_run (self, run);
  if (n_points != NULL)
    *n_points = r != NULL ? r->points->len : 0;
  if (r == NULL || r->points->len == 0)
    return NULL;
  return (const RvTrajectoryPoint *) (gpointer) r->points->data;
}

guint
rv_surface_model_get_run_n_revealed (RvSurfaceModel *self, guint run)
{
  Run *r = get_run (self, run);
  return r != NULL ? MIN (r->points->len, self->revealed) : 0;
}

gboolean
rv_surface_model_get_run_diverged (RvSurfaceModel *self, guint run, const char **message)
{
  Run *r = get_run (self, run);
  if (message != NULL)
    *message = r != NULL ? r->diverged : NULL;
  return r != NULL && r->diverged != NULL;
}

gboolean
rv_surface_model_get_run_diverged_shown (RvSurfaceModel *self, guint run)
{
  Run *r = get_run (self, run);
  return r != NULL && r->diverged != NULL && self->revealed >= r->points->len;
}

void
rv_surface_model_set_revealed (RvSurfaceModel *self, guint n_steps)
{
  g_return_if_fail (RV_IS_SURFACE_MODEL (self));
  if (self->revealed == n_steps)
    return;
  self->revealed = n_steps;
  runs_changed (self);
}

guint
rv_surface_model_get_revealed (RvSurfaceModel *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_MODEL (self), G_MAXUINT);
  return self->revealed;
}
