/* rv-surface-3d.c: the mesh, its box and axes, and the runs, projected and
 * painted back to front with cairo.
 *
 * World space: w1 along x and w2 along y, both mapped to [-1, 1]; the loss,
 * on the shared colour scale t in [0, 1], along z in [-H, H].  The camera
 * turns about z by the azimuth, then tilts up by the elevation; a point's
 * depth is its distance towards the camera, and the mild perspective
 * divides by (D - depth). */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-chart-model.h"
#include "rv-colormap.h"
#include "rv-plot.h"
#include "rv-surface-3d.h"

#define H           0.62     /* half the box's height */
#define CAMERA_D    5.0      /* camera distance: perspective, but mild */
#define MAX_SIDE    100      /* mesh vertices per side; bigger grids are thinned */
#define N_KEYS      65536    /* depth buckets of the counting sort */
#define DEG         (G_PI / 180.0)

typedef struct
{
  double ca, sa, ce, se;  /* cos/sin of azimuth and elevation */
  double scale, cx, cy;   /* pixels per world unit at depth 0, and the centre */
} View;

struct _RvSurface3d
{
  GtkWidget parent_instance;

  RvSurfaceModel *model;
  gulong model_handlers[2];   /* one per model_signals */
  gboolean log_color;
  double azimuth, elevation, zoom;

  /* the mesh, rebuilt when the grid or the scale changes */
  gboolean mesh_valid;
  guint mesh_serial;
  gboolean mesh_log;
  guint side;              /* vertices per side */
  float *vx, *vy, *vz;     /* [side * side] world coordinates */
  float *px, *py, *depth;  /* [side * side] projected, every frame */
  float *quad_rgb;         /* [3 * quads] shaded colour; red < 0: left out */
  guint16 *keys;           /* [quads] depth bucket */
  guint32 *order;          /* [quads] back to front */
  guint32 *counts;         /* [N_KEYS + 1] */
  double sorted_az, sorted_el;
  gboolean sorted_valid;

  /* the box and the smooth mesh at rest (see draw_view) */
  cairo_surface_t *scene;
  guint scene_serial;
  gboolean scene_log;
  double scene_az, scene_el, scene_zoom, scene_sx, scene_sy;
  int scene_w, scene_h;
  GdkRGBA scene_fg;

  gboolean interacting;     /* dragging or scrolling: the fast mesh */
  guint settle_id;          /* ends a scroll's fast frames */
  double drag_az, drag_el;  /* the angles when the drag began */
};

G_DEFINE_FINAL_TYPE (RvSurface3d, rv_surface_3d, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_LOG_COLOR,
  PROP_AZIMUTH,
  PROP_ELEVATION,
  PROP_ZOOM,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* The model's signals the view redraws on. */
static const char *const model_signals[] = { "changed", "runs-changed", NULL };

/* Projection */

static void
view_init (RvSurface3d *self, View *v, int width, int height)
{
  v->ca = cos (self->azimuth * DEG);
  v->sa = sin (self->azimuth * DEG);
  v->ce = cos (self->elevation * DEG);
  v->se = sin (self->elevation * DEG);
  /* the box's corners reach about 1.6 from the centre */
  v->scale = self->zoom * MIN (width, height) * 0.34;
  v->cx = width / 2.0;
  v->cy = height / 2.0;
}

static inline double
view_depth (const View *v, double x, double y, double z)
{
  double yr = x * v->sa + y * v->ca;
  return -yr * v->ce + z * v->se;
}

static inline void
project (const View *v, double x, double y, double z, double *sx, double *sy)
{
  double xr = x * v->ca - y * v->sa;
  double yr = x * v->sa + y * v->ca;
  double up = z * v->ce + yr * v->se;
  double toward = -yr * v->ce + z * v->se;
  double f = CAMERA_D / (CAMERA_D - toward);
  *sx = v->cx + v->scale * f * xr;
  *sy = v->cy - v->scale * f * up;
}

/* The mesh */

static void
free_mesh (RvSurface3d *self)
{
  g_clear_pointer (&self->vx, g_free);
  g_clear_pointer (&self->vy, g_free);
  g_clear_pointer (&self->vz, g_free);
  g_clear_pointer (&self->px, g_free);
  g_clear_pointer (&self->py, g_free);
  g_clear_pointer (&self->depth, g_free);
  g_clear_pointer (&self->quad_rgb, g_free);
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->order, g_free);
  self->side = 0;
  self->mesh_valid = FALSE;
  self->sorted_valid = FALSE;
}

/* Heights from the grid (thinned to MAX_SIDE a side), and each quad's
 * colour: viridis at its mean height, times Lambert shading from a light
 * fixed above the front left, scaled so a flat quad keeps its colour. */
static void
build_mesh (RvSurface3d *self)
{
  guint n = rv_surface_model_get_grid_n (self->model);
  const double *grid = rv_surface_model_get_grid (self->model);
  guint m = MIN (n, MAX_SIDE);

  if (m != self->side)
    {
      free_mesh (self);
      gsize nv = (gsize) m * m, nq = (gsize) (m - 1) * (m - 1);
      self->side = m;
      self->vx = g_new (float, nv);
      self->vy = g_new (float, nv);
      self->vz = g_new (float, nv);
      self->px = g_new (float, nv);
      self->py = g_new (float, nv);
      self->depth = g_new (float, nv);
      self->quad_rgb = g_new (float, 3 * nq);
      self->keys = g_new (guint16, nq);
      self->order = g_new (guint32, nq);
    }

  for (guint j = 0; j < m; j++)
    for (guint i = 0; i < m; i++)
      {
        /* the nearest sample of a larger grid */
        guint gi = (guint) lround ((double) i * (n - 1) / (m - 1));
        guint gj = (guint) lround ((double) j * (n - 1) / (m - 1));
        gsize k = (gsize) j * m + i;
        double t = rv_surface_model_normalize (self->model, grid[(gsize) gj * n + gi], self->log_color);
        self->vx[k] = (float) (-1.0 + 2.0 * i / (m - 1));
        self->vy[k] = (float) (-1.0 + 2.0 * j / (m - 1));
        self->vz[k] = isnan (t) ? NAN : (float) (-H + 2 * H * t);
      }

  const double light[3] = { -0.42, -0.52, 0.74 };
  double light_len = sqrt (light[0] * light[0] + light[1] * light[1] + light[2] * light[2]);
  for (guint j = 0; j + 1 < m; j++)
    for (guint i = 0; i + 1 < m; i++)
      {
        gsize q = (gsize) j * (m - 1) + i;
        gsize a = (gsize) j * m + i, b = a + 1, c = a + m + 1, d = a + m;
        float *rgb = &self->quad_rgb[3 * q];
        double z[4] = { self->vz[a], self->vz[b], self->vz[c], self->vz[d] };
        if (isnan (z[0]) || isnan (z[1]) || isnan (z[2]) || isnan (z[3]))
          {
            rgb[0] = -1;
            continue;
          }
        /* the normal is the cross product of the diagonals a-c and d-b */
        double step = 2.0 / (m - 1);
        double d1[3] = { step, step, z[2] - z[0] };
        double d2[3] = { step, -step, z[1] - z[3] };
        double nrm[3] = {
          d1[1] * d2[2] - d1[2] * d2[1],
          d1[2] * d2[0] - d1[0] * d2[2],
          d1[0] * d2[1] - d1[1] * d2[0],
        };
        if (nrm[2] < 0)
          for (int k = 0; k < 3; k++)
            nrm[k] = -nrm[k];
        double len = sqrt (nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]);
        double lambert = (nrm[0] * light[0] + nrm[1] * light[1] + nrm[2] * light[2]) / (len * light_len);
        double flat = light[2] / light_len;
        double shade = 0.5 + 0.5 * MAX (lambert, 0.0) / flat;
        shade = MIN (shade, 1.15);

        double t = ((z[0] + z[1] + z[2] + z[3]) / 4 + H) / (2 * H);
        double col[3];
        rv_viridis (t, col);
        for (int k = 0; k < 3; k++)
          rgb[k] = (float) MIN (col[k] * shade, 1.0);
      }

  self->mesh_serial = rv_surface_model_get_serial (self->model);
  self->mesh_log = self->log_color;
  self->mesh_valid = TRUE;
  self->sorted_valid = FALSE;
}

static gboolean
ensure_mesh (RvSurface3d *self)
{
  if (self->model == NULL || rv_surface_model_get_grid_n (self->model) < 2)
    return FALSE;
  if (!self->mesh_valid || self->mesh_serial != rv_surface_model_get_serial (self->model)
      || self->mesh_log != self->log_color)
    build_mesh (self);
  return TRUE;
}

/* Projects every vertex; re-sorts the quads when the angles changed. */
static void
project_mesh (RvSurface3d *self, const View *v)
{
  guint m = self->side;
  gsize nv = (gsize) m * m;

  for (gsize k = 0; k < nv; k++)
    {
      double z = isnan (self->vz[k]) ? 0.0 : self->vz[k];
      double sx, sy;
      project (v, self->vx[k], self->vy[k], z, &sx, &sy);
      self->px[k] = (float) sx;
      self->py[k] = (float) sy;
      self->depth[k] = (float) view_depth (v, self->vx[k], self->vy[k], z);
    }

  if (self->sorted_valid && self->sorted_az == self->azimuth && self->sorted_el == self->elevation)
    return;

  /* Counting sort on the quantized mean depth: linear in the quads, and
   * plenty fine for 10^4 quads over 65536 buckets. */
  guint nq = (m - 1) * (m - 1);
  double lo = 2 * -(M_SQRT2 + H), hi = -lo;  /* no depth in the box lies outside */
  memset (self->counts, 0, (N_KEYS + 1) * sizeof (guint32));
  for (guint j = 0; j + 1 < m; j++)
    for (guint i = 0; i + 1 < m; i++)
      {
        guint q = j * (m - 1) + i;
        gsize a = (gsize) j * m + i;
        double d = (self->depth[a] + self->depth[a + 1] + self->depth[a + m] + self->depth[a + m + 1]) / 4;
        double u = (d - lo) / (hi - lo) * (N_KEYS - 1);
        guint16 key = (guint16) CLAMP (u, 0, N_KEYS - 1);
        self->keys[q] = key;
        self->counts[key + 1]++;
      }
  for (guint k = 1; k <= N_KEYS; k++)
    self->counts[k] += self->counts[k - 1];
  for (guint q = 0; q < nq; q++)
    self->order[self->counts[self->keys[q]]++] = q;

  self->sorted_az = self->azimuth;
  self->sorted_el = self->elevation;
  self->sorted_valid = TRUE;
}

/* Fills the quads back to front, without antialiasing: neighbours then
 * meet exactly, with no seams, and a fill costs half as much.  The smooth
 * picture comes from drawing this at twice the size (paint_scene). */
static void
paint_mesh (RvSurface3d *self, cairo_t *cr)
{
  guint m = self->side;
  guint nq = (m - 1) * (m - 1);

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (guint k = 0; k < nq; k++)
    {
      guint q = self->order[k];
      const float *rgb = &self->quad_rgb[3 * q];
      if (rgb[0] < 0)
        continue;
      guint a = (q / (m - 1)) * m + q % (m - 1);
      guint b = a + 1, c = a + m + 1, d = a + m;
      cairo_move_to (cr, self->px[a], self->py[a]);
      cairo_line_to (cr, self->px[b], self->py[b]);
      cairo_line_to (cr, self->px[c], self->py[c]);
      cairo_line_to (cr, self->px[d], self->py[d]);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* The box */

/* The loss ticks: nice steps, or on the log scale the minimum and powers of
 * ten above it. */
static guint
loss_ticks (RvSurface3d *self, double *values, double *step)
{
  double lo, hi;
  rv_surface_model_get_loss_range (self->model, &lo, &hi);
  *step = 0;
  if (!self->log_color)
    return rv_plot_ticks_linear (lo, hi, 5, values, step);

  double decades[RV_PLOT_MAX_TICKS];
  guint n_dec = rv_plot_ticks_log ((hi - lo) * 1e-3, hi - lo, 4, decades);
  guint n = 0;
  values[n++] = lo;
  for (guint k = 0; k < n_dec && n < RV_PLOT_MAX_TICKS; k++)
    values[n++] = lo + decades[k];
  return n;
}

static double
loss_z (RvSurface3d *self, double loss)
{
  return -H + 2 * H * rv_surface_model_normalize (self->model, loss, self->log_color);
}

static void
line3 (cairo_t *cr, const View *v, double x0, double y0, double z0, double x1, double y1, double z1)
{
  double sx, sy;
  project (v, x0, y0, z0, &sx, &sy);
  cairo_move_to (cr, sx, sy);
  project (v, x1, y1, z1, &sx, &sy);
  cairo_line_to (cr, sx, sy);
}

/* Which side of the box is nearer the camera along x and along y: the
 * walls go on the far sides, the tick labels on the near ones. */
static void
near_sides (const View *v, double *x_near, double *y_near)
{
  *x_near = view_depth (v, 1, 0, 0) > view_depth (v, -1, 0, 0) ? 1 : -1;
  *y_near = view_depth (v, 0, 1, 0) > view_depth (v, 0, -1, 0) ? 1 : -1;
}

/* The floor and the two far walls, with grid lines at the ticks: drawn
 * before the mesh, which always lies in front of them. */
static void
paint_box_back (RvSurface3d *self, cairo_t *cr, const View *v, const RvPlotStyle *style)
{
  double xn, yn, r[2][2], ticks[2][RV_PLOT_MAX_TICKS], zt[RV_PLOT_MAX_TICKS], step;
  guint nt[2], nz;
  near_sides (v, &xn, &yn);
  rv_surface_model_get_range (self->model, &r[0][0], &r[0][1], &r[1][0], &r[1][1]);
  for (int a = 0; a < 2; a++)
    {
      nt[a] = rv_plot_ticks_linear (r[a][0], r[a][1], 5, ticks[a], &step);
      for (guint k = 0; k < nt[a]; k++)
        ticks[a][k] = -1 + 2 * (ticks[a][k] - r[a][0]) / (r[a][1] - r[a][0]);
    }
  nz = loss_ticks (self, zt, &step);
  for (guint k = 0; k < nz; k++)
    zt[k] = loss_z (self, zt[k]);

  /* the three panes */
  const double panes[3][4][3] = {
    { { -1, -1, -H }, { 1, -1, -H }, { 1, 1, -H }, { -1, 1, -H } },
    { { -xn, -1, -H }, { -xn, 1, -H }, { -xn, 1, H }, { -xn, -1, H } },
    { { -1, -yn, -H }, { 1, -yn, -H }, { 1, -yn, H }, { -1, -yn, H } },
  };
  cairo_save (cr);
  for (int p = 0; p < 3; p++)
    {
      for (int c = 0; c < 4; c++)
        {
          double sx, sy;
          project (v, panes[p][c][0], panes[p][c][1], panes[p][c][2], &sx, &sy);
          if (c == 0)
            cairo_move_to (cr, sx, sy);
          else
            cairo_line_to (cr, sx, sy);
        }
      cairo_close_path (cr);
    }
  rv_plot_set_source (cr, &style->fg, 0.045);
  cairo_fill_preserve (cr);
  rv_plot_set_source (cr, &style->fg, 0.3);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  cairo_stroke (cr);

  /* grid lines: w1 on the floor and the far y wall, w2 on the floor and
   * the far x wall, loss on both walls */
  for (guint k = 0; k < nt[0]; k++)
    {
      line3 (cr, v, ticks[0][k], -1, -H, ticks[0][k], 1, -H);
      line3 (cr, v, ticks[0][k], -yn, -H, ticks[0][k], -yn, H);
    }
  for (guint k = 0; k < nt[1]; k++)
    {
      line3 (cr, v, -1, ticks[1][k], -H, 1, ticks[1][k], -H);
      line3 (cr, v, -xn, ticks[1][k], -H, -xn, ticks[1][k], H);
    }
  for (guint k = 0; k < nz; k++)
    {
      line3 (cr, v, -xn, -1, zt[k], -xn, 1, zt[k]);
      line3 (cr, v, -1, -yn, zt[k], 1, -yn, zt[k]);
    }
  rv_plot_set_source (cr, &style->fg, 0.12);
  cairo_set_line_width (cr, rv_plot_line (0.8));
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Places layout at the projection of (x, y, z), pushed away from the
 * projected centre of the floor so labels sit outside the box. */
static void
label3 (cairo_t *cr, const View *v, PangoLayout *layout, double x, double y, double z,
        double push)
{
  double sx, sy, ox, oy;
  project (v, x, y, z, &sx, &sy);
  project (v, 0, 0, z, &ox, &oy);
  double dx = sx - ox, dy = sy - oy, len = hypot (dx, dy);
  if (len > 1e-6)
    {
      sx += dx / len * push;
      sy += dy / len * push;
    }
  /* align the side facing the box to the anchor, so text grows outwards */
  double xalign = len > 1e-6 ? 0.5 - 0.5 * dx / len : 0.5;
  double yalign = len > 1e-6 ? 0.5 - 0.5 * dy / len : 0.5;
  rv_plot_show_layout (cr, layout, sx, sy, xalign, yalign);
}

static void
paint_axes (RvSurface3d *self, cairo_t *cr, const View *v, const RvPlotStyle *style)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double xn, yn, r[2][2], ticks[RV_PLOT_MAX_TICKS], step;
  near_sides (v, &xn, &yn);
  rv_surface_model_get_range (self->model, &r[0][0], &r[0][1], &r[1][0], &r[1][1]);

  /* The loss axis goes up the box's leftmost vertical edge. */
  double corners[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };
  int left = 0;
  double left_x = INFINITY;
  for (int c = 0; c < 4; c++)
    {
      double sx, sy;
      project (v, corners[c][0], corners[c][1], 0, &sx, &sy);
      if (sx < left_x)
        {
          left_x = sx;
          left = c;
        }
    }
  double cxw = corners[left][0], cyw = corners[left][1], corner_x, corner_y;
  project (v, cxw, cyw, -H, &corner_x, &corner_y);

  cairo_save (cr);
  /* w1 ticks along the near y edge of the floor, w2 along the near x edge;
   * none in the floor corner where the loss axis' labels are */
  for (int a = 0; a < 2; a++)
    {
      guint n = rv_plot_ticks_linear (r[a][0], r[a][1], 5, ticks, &step);
      for (guint k = 0; k < n; k++)
        {
          double u = -1 + 2 * (ticks[k] - r[a][0]) / (r[a][1] - r[a][0]);
          g_autofree char *s = rv_plot_format_tick (ticks[k], step);
          g_autoptr (PangoLayout) l = rv_plot_layout_new (widget, s, PANGO_SCALE_SMALL, FALSE);
          double wx = a == 0 ? u : xn, wy = a == 0 ? yn : u, sx, sy;
          project (v, wx, wy, -H, &sx, &sy);
          if (hypot (sx - corner_x, sy - corner_y) < 12)
            continue;
          rv_plot_set_source (cr, &style->fg, 0.8);
          label3 (cr, v, l, wx * (a == 0 ? 1 : 1.06), wy * (a == 0 ? 1.06 : 1), -H, 3);
        }
      g_autoptr (PangoLayout) name = rv_plot_layout_new (widget, NULL, 1.0, FALSE);
      pango_layout_set_markup (name, a == 0 ? "w<sub>1</sub>" : "w<sub>2</sub>", -1);
      rv_plot_set_source (cr, &style->fg, 1.0);
      if (a == 0)
        label3 (cr, v, name, 0, yn * 1.32, -H, 4);
      else
        label3 (cr, v, name, xn * 1.32, 0, -H, 4);
    }

  line3 (cr, v, cxw, cyw, -H, cxw, cyw, H);
  rv_plot_set_source (cr, &style->fg, 0.5);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  cairo_stroke (cr);
  double values[RV_PLOT_MAX_TICKS];
  guint n = loss_ticks (self, values, &step);
  double last_sy = INFINITY;
  for (guint k = 0; k < n; k++)
    {
      double z = loss_z (self, values[k]), sx, sy;
      project (v, cxw, cyw, z, &sx, &sy);
      /* log ticks can crowd at the bottom */
      if (last_sy - sy < 12)
        continue;
      last_sy = sy;
      g_autofree char *s = NULL;
      if (!self->log_color)
        s = rv_plot_format_tick (values[k], step);
      else if (k == 0 && n > 1)
        s = rv_plot_format_at_resolution (values[0], (values[1] - values[0]) / 10);
      else
        s = rv_plot_format_value (values[k]);
      g_autoptr (PangoLayout) l = rv_plot_layout_new (widget, s, PANGO_SCALE_SMALL, FALSE);
      cairo_move_to (cr, sx, sy);
      cairo_line_to (cr, sx - 4, sy);
      rv_plot_set_source (cr, &style->fg, 0.5);
      cairo_stroke (cr);
      rv_plot_set_source (cr, &style->fg, 0.8);
      rv_plot_show_layout (cr, l, sx - 6, sy, 1.0, 0.5);
    }
  double tx, ty;
  project (v, cxw, cyw, H, &tx, &ty);
  g_autoptr (PangoLayout) title = rv_plot_layout_new (widget, _("loss"), 1.0, FALSE);
  rv_plot_set_source (cr, &style->fg, 1.0);
  rv_plot_show_layout (cr, title, tx, ty - 8, 0.5, 1.0);
  cairo_restore (cr);
}

/* Runs */

/* A run's point in world space; FALSE when it is off the box's floor. */
static gboolean
run_point (RvSurface3d *self, const double r[2][2], const RvTrajectoryPoint *p,
           double *x, double *y, double *z)
{
  *x = -1 + 2 * (p->w1 - r[0][0]) / (r[0][1] - r[0][0]);
  *y = -1 + 2 * (p->w2 - r[1][0]) / (r[1][1] - r[1][0]);
  if (!(fabs (*x) <= 1.0001 && fabs (*y) <= 1.0001) || !isfinite (p->loss))
    return FALSE;
  /* lifted a hair so the path is not lost in the quads it lies on */
  *z = loss_z (self, p->loss) + 0.012;
  return TRUE;
}

static void
paint_runs (RvSurface3d *self, cairo_t *cr, const View *v)
{
  double r[2][2];
  guint n_runs = rv_surface_model_get_n_runs (self->model);
  rv_surface_model_get_range (self->model, &r[0][0], &r[0][1], &r[1][0], &r[1][1]);

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint run = 0; run < n_runs; run++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (self->model, run, NULL);
      guint n = rv_surface_model_get_run_n_revealed (self->model, run);
      GdkRGBA color;
      rv_surface_model_get_run_color (self->model, run, &color);
      if (n == 0)
        continue;

      /* the path, broken where it leaves the box */
      gboolean drawing = FALSE;
      for (guint i = 0; i < n; i++)
        {
          double x, y, z, sx, sy;
          if (!run_point (self, r, &p[i], &x, &y, &z))
            {
              drawing = FALSE;
              continue;
            }
          project (v, x, y, z, &sx, &sy);
          if (drawing)
            cairo_line_to (cr, sx, sy);
          else
            cairo_move_to (cr, sx, sy);
          drawing = TRUE;
        }
      rv_plot_stroke_cased (cr, &color, 0.55, 3.6, 1.7);

      for (guint i = 0; i < n; i++)
        {
          double x, y, z, sx, sy;
          if (!run_point (self, r, &p[i], &x, &y, &z))
            continue;
          project (v, x, y, z, &sx, &sy);
          cairo_new_sub_path (cr);
          cairo_arc (cr, sx, sy, n > 200 ? 1.5 : 2.2, 0, 2 * G_PI);
        }
      rv_plot_fill_outlined (cr, &color, 0.6, 0.7);
    }

  for (guint run = 0; run < n_runs; run++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (self->model, run, NULL);
      guint n = rv_surface_model_get_run_n_revealed (self->model, run);
      double x, y, z, sx, sy;
      GdkRGBA color;
      if (n == 0 || !run_point (self, r, &p[n - 1], &x, &y, &z))
        continue;
      rv_surface_model_get_run_color (self->model, run, &color);
      project (v, x, y, z, &sx, &sy);
      if (rv_surface_model_get_run_diverged_shown (self->model, run))
        {
          cairo_move_to (cr, sx - 5.5, sy - 5.5);
          cairo_line_to (cr, sx + 5.5, sy + 5.5);
          cairo_move_to (cr, sx - 5.5, sy + 5.5);
          cairo_line_to (cr, sx + 5.5, sy - 5.5);
        }
      else
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, sx, sy, 6, 0, 2 * G_PI);
        }
      rv_plot_stroke_cased (cr, &color, 0.65, 4.4, 2.2);
    }
  cairo_restore (cr);
}

/* The box and the mesh, without the runs.  Smooth: the mesh is drawn at
 * twice the resolution of cr's device (scale_x, scale_y) and filtered down
 * onto it, which antialiases its outline without the seams antialiased
 * quads leave between them. */
static void
paint_scene (RvSurface3d *self, cairo_t *cr, int width, int height, const RvPlotStyle *style,
             gboolean smooth, double scale_x, double scale_y)
{
  View v;
  view_init (self, &v, width, height);
  project_mesh (self, &v);
  paint_box_back (self, cr, &v, style);
  if (smooth)
    {
      cairo_surface_t *fine = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                          (int) ceil (width * scale_x * 2),
                                                          (int) ceil (height * scale_y * 2));
      cairo_surface_set_device_scale (fine, scale_x * 2, scale_y * 2);
      cairo_t *fine_cr = cairo_create (fine);
      paint_mesh (self, fine_cr);
      cairo_destroy (fine_cr);
      cairo_save (cr);
      cairo_set_source_surface (cr, fine, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (fine);
    }
  else
    paint_mesh (self, cr);
  paint_axes (self, cr, &v, style);
}

/* While the view turns, every frame draws the fast mesh straight to the
 * screen.  At rest the smooth one is kept in an image at the device's
 * resolution, so that animating the runs redraws only the runs. */
static void
draw_view (RvSurface3d *self, cairo_t *cr, int width, int height)
{
  RvPlotStyle style;
  View v;

  rv_plot_style_init (&style, GTK_WIDGET (self));
  if (!ensure_mesh (self))
    {
      rv_plot_show_placeholder (cr, GTK_WIDGET (self), &style, _("No surface"), PANGO_SCALE_SMALL,
                                width / 2.0, height / 2.0);
      return;
    }
  if (width < 40 || height < 40)
    return;

  if (self->interacting)
    paint_scene (self, cr, width, height, &style, FALSE, 1, 1);
  else if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    paint_scene (self, cr, width, height, &style, TRUE, 2, 2);  /* SVG, PDF: a sharp image */
  else
    {
      double sx = 1, sy = 1;
      cairo_user_to_device_distance (cr, &sx, &sy);
      sx = fabs (sx);
      sy = fabs (sy);
      if (self->scene == NULL || self->scene_serial != self->mesh_serial
          || self->scene_log != self->log_color || self->scene_az != self->azimuth
          || self->scene_el != self->elevation || self->scene_zoom != self->zoom
          || self->scene_w != width || self->scene_h != height
          || self->scene_sx != sx || self->scene_sy != sy
          || !gdk_rgba_equal (&self->scene_fg, &style.fg))
        {
          g_clear_pointer (&self->scene, cairo_surface_destroy);
          self->scene = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * sx),
                                                    (int) ceil (height * sy));
          cairo_surface_set_device_scale (self->scene, sx, sy);
          cairo_t *scene_cr = cairo_create (self->scene);
          paint_scene (self, scene_cr, width, height, &style, TRUE, sx, sy);
          cairo_destroy (scene_cr);
          self->scene_serial = self->mesh_serial;
          self->scene_log = self->log_color;
          self->scene_az = self->azimuth;
          self->scene_el = self->elevation;
          self->scene_zoom = self->zoom;
          self->scene_w = width;
          self->scene_h = height;
          self->scene_sx = sx;
          self->scene_sy = sy;
          self->scene_fg = style.fg;
        }
      cairo_save (cr);
      cairo_set_source_surface (cr, self->scene, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }

  view_init (self, &v, width, height);
  paint_runs (self, cr, &v);
}

void
rv_surface_3d_draw (RvSurface3d *self, cairo_t *cr, int width, int height)
{
  RvPlotStyle style;

  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (cr != NULL);

  rv_plot_style_init (&style, GTK_WIDGET (self));
  cairo_save (cr);
  rv_plot_paint_background (cr, &style);
  draw_view (self, cr, width, height);
  cairo_restore (cr);
}

double
rv_surface_3d_benchmark (RvSurface3d *self, int width, int height, int frames)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), 0.0);
  g_return_val_if_fail (width > 0 && height > 0 && frames > 0, 0.0);

  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  double azimuth = self->azimuth;
  gboolean interacting = self->interacting;

  /* as during a drag; the first frame builds the mesh, so it is left out */
  self->interacting = TRUE;
  rv_surface_3d_draw (self, cr, width, height);
  gint64 start = g_get_monotonic_time ();
  for (int f = 0; f < frames; f++)
    {
      self->azimuth = azimuth + 360.0 * (f + 1) / frames;
      rv_surface_3d_draw (self, cr, width, height);
    }
  cairo_surface_flush (surface);
  gint64 end = g_get_monotonic_time ();

  self->azimuth = azimuth;
  self->interacting = interacting;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return (end - start) / 1000.0 / frames;
}

/* Input */

/* Back to the smooth mesh once the view has stopped turning. */
static void
settle (RvSurface3d *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (!self->interacting)
    return;
  self->interacting = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
settle_cb (gpointer data)
{
  RvSurface3d *self = data;
  self->settle_id = 0;
  settle (self);
  return G_SOURCE_REMOVE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, RvSurface3d *self)
{
  self->drag_az = self->azimuth;
  self->drag_el = self->elevation;
  self->interacting = TRUE;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

/* The surface follows the pointer, as if held: right turns it right, down
 * tilts its front edge down (a view from higher up). */
static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, RvSurface3d *self)
{
  rv_surface_3d_set_azimuth (self, self->drag_az + dx * 0.4);
  rv_surface_3d_set_elevation (self, self->drag_el + dy * 0.4);
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, RvSurface3d *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
  settle (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, RvSurface3d *self)
{
  /* a wheel sends no "end": the smooth mesh returns after a pause */
  self->interacting = TRUE;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (200, settle_cb, self);
  rv_surface_3d_set_zoom (self, self->zoom * exp (-dy * 0.1));
  return TRUE;
}

/* GObject and GtkWidget */

void
rv_surface_3d_set_model (RvSurface3d *self, RvSurfaceModel *model)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (model == NULL || RV_IS_SURFACE_MODEL (model));

  if (!rv_chart_model_set (&self->model, self->model_handlers, model_signals, model,
                           G_CALLBACK (gtk_widget_queue_draw), self))
    return;
  /* a new model's serial may repeat the old one's */
  self->mesh_valid = FALSE;
  g_clear_pointer (&self->scene, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEL]);
}

RvSurfaceModel *
rv_surface_3d_get_model (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), NULL);
  return self->model;
}

void
rv_surface_3d_set_log_color (RvSurface3d *self, gboolean log_color)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  log_color = !!log_color;
  if (self->log_color == log_color)
    return;
  self->log_color = log_color;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOG_COLOR]);
}

gboolean
rv_surface_3d_get_log_color (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), FALSE);
  return self->log_color;
}

static void
set_double (RvSurface3d *self, double *field, double value, int prop)
{
  if (*field == value)
    return;
  *field = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

void
rv_surface_3d_set_azimuth (RvSurface3d *self, double degrees)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (isfinite (degrees));
  /* kept in [-180, 180) so the property's range holds */
  degrees = fmod (degrees + 180.0, 360.0);
  if (degrees < 0)
    degrees += 360.0;
  set_double (self, &self->azimuth, degrees - 180.0, PROP_AZIMUTH);
}

double
rv_surface_3d_get_azimuth (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), 0.0);
  return self->azimuth;
}

void
rv_surface_3d_set_elevation (RvSurface3d *self, double degrees)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (!isnan (degrees));
  set_double (self, &self->elevation, CLAMP (degrees, 0.0, 90.0), PROP_ELEVATION);
}

double
rv_surface_3d_get_elevation (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), 0.0);
  return self->elevation;
}

void
rv_surface_3d_set_zoom (RvSurface3d *self, double zoom)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (!isnan (zoom));
  set_double (self, &self->zoom, CLAMP (zoom, 0.4, 4.0), PROP_ZOOM);
}

double
rv_surface_3d_get_zoom (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), 1.0);
  return self->zoom;
}

static void
rv_surface_3d_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  int width, height;
  cairo_t *cr = rv_plot_snapshot_cairo (widget, snapshot, &width, &height);
  if (cr == NULL)
    return;

  draw_view (RV_SURFACE_3D (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
rv_surface_3d_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 520 : 440;
}

static void
rv_surface_3d_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvSurface3d *self = RV_SURFACE_3D (object);
  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_LOG_COLOR:
      g_value_set_boolean (value, self->log_color);
      break;
    case PROP_AZIMUTH:
      g_value_set_double (value, self->azimuth);
      break;
    case PROP_ELEVATION:
      g_value_set_double (value, self->elevation);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_surface_3d_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  RvSurface3d *self = RV_SURFACE_3D (object);
  switch (prop_id)
    {
    case PROP_MODEL:
      rv_surface_3d_set_model (self, g_value_get_object (value));
      break;
    case PROP_LOG_COLOR:
      rv_surface_3d_set_log_color (self, g_value_get_boolean (value));
      break;
    case PROP_AZIMUTH:
      rv_surface_3d_set_azimuth (self, g_value_get_double (value));
      break;
    case PROP_ELEVATION:
      rv_surface_3d_set_elevation (self, g_value_get_double (value));
      break;
    case PROP_ZOOM:
      rv_surface_3d_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rv_surface_3d_dispose (GObject *object)
{
  RvSurface3d *self = RV_SURFACE_3D (object);
  rv_surface_3d_set_model (self, NULL);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_pointer (&self->scene, cairo_surface_destroy);
  G_OBJECT_CLASS (rv_surface_3d_parent_class)->dispose (object);
}

static void
rv_surface_3d_finalize (GObject *object)
{
  RvSurface3d *self = RV_SURFACE_3D (object);
  free_mesh (self);
  g_free (self->counts);
  G_OBJECT_CLASS (rv_surface_3d_parent_class)->finalize (object);
}

static void
rv_surface_3d_class_init (RvSurface3dClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rv_surface_3d_dispose;
  object_class->finalize = rv_surface_3d_finalize;
  object_class->get_property = rv_surface_3d_get_property;
  object_class->set_property = rv_surface_3d_set_property;
  widget_class->snapshot = rv_surface_3d_snapshot;
  widget_class->measure = rv_surface_3d_measure;

  props[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, RV_TYPE_SURFACE_MODEL,
                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                           | G_PARAM_STATIC_STRINGS);
  props[PROP_LOG_COLOR] = g_param_spec_boolean ("log-color", NULL, NULL, FALSE,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  props[PROP_AZIMUTH] = g_param_spec_double ("azimuth", NULL, NULL, -180.0, 180.0, -35.0,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                             | G_PARAM_STATIC_STRINGS);
  props[PROP_ELEVATION] = g_param_spec_double ("elevation", NULL, NULL, 0.0, 90.0, 30.0,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  props[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, 0.4, 4.0, 1.0,
                                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                          | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "surface-3d");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rv_surface_3d_init (RvSurface3d *self)
{
  self->azimuth = -35.0;
  self->elevation = 30.0;
  self->zoom = 1.0;
  self->counts = g_new (guint32, N_KEYS + 1);

  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loss surface in 3-D, with optimizer paths"), -1);
}

GtkWidget *
rv_surface_3d_new (RvSurfaceModel *model)
{
  return g_object_new (RV_TYPE_SURFACE_3D, "model", model, NULL);
}
