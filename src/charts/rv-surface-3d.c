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

#include "rv-chart.h"
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
  RvChart parent_instance;

  gboolean log_color;
  double azimuth, elevation, zoom;
  const RvSurface *shown_surface;  /* the surface last drawn from; a new one resets the camera */

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

  /* the box and the smooth mesh at rest (see draw_view), and the view
   * they were drawn in */
  cairo_surface_t *scene;
  View scene_view;
  guint scene_serial;
  gboolean scene_log;
  double scene_az, scene_el, scene_zoom, scene_sx, scene_sy;
  int scene_w, scene_h;
  GdkRGBA scene_fg;

  GArray *label_rects;      /* graphene_rect_t: the text the last scene placed */

  gboolean interacting;     /* dragging or scrolling: the fast mesh */
  guint settle_id;          /* ends a scroll's fast frames */
  double drag_az, drag_el;  /* the angles when the drag began */
};

G_DEFINE_FINAL_TYPE (RvSurface3d, rv_surface_3d, RV_TYPE_CHART)

enum
{
  PROP_0,
  PROP_LOG_COLOR,
  PROP_AZIMUTH,
  PROP_ELEVATION,
  PROP_ZOOM,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* The camera a new view, and a new surface, start from. */
#define DEFAULT_AZIMUTH   -35.0
#define DEFAULT_ELEVATION  30.0
#define DEFAULT_ZOOM        1.0

/* The model's signals the view redraws on. */
static const char *const model_signals[] = { "changed", "runs-changed", NULL };

static inline RvSurfaceModel *
model_of (RvSurface3d *self)
{
  return rv_chart_get_model (RV_CHART (self));
}

/* Projection */

/* The angles only: scale 1 about the origin.  fit_view adds the scale and
 * the centre. */
static void
view_init (RvSurface3d *self, View *v)
{
  v->ca = cos (self->azimuth * DEG);
  v->sa = sin (self->azimuth * DEG);
  v->ce = cos (self->elevation * DEG);
  v->se = sin (self->elevation * DEG);
  v->scale = 1.0;
  v->cx = 0.0;
  v->cy = 0.0;
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
  RvSurfaceModel *model = model_of (self);
  guint n = rv_surface_model_get_grid_n (model);
  const double *grid = rv_surface_model_get_grid (model);
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
        double t = rv_surface_model_normalize (model, grid[(gsize) gj * n + gi], self->log_color);
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

  self->mesh_serial = rv_surface_model_get_serial (model);
  self->mesh_log = self->log_color;
  self->mesh_valid = TRUE;
  self->sorted_valid = FALSE;
}

static gboolean
ensure_mesh (RvSurface3d *self)
{
  if (model_of (self) == NULL || rv_surface_model_get_grid_n (model_of (self)) < 2)
    return FALSE;
  if (!self->mesh_valid || self->mesh_serial != rv_surface_model_get_serial (model_of (self))
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
  rv_surface_model_get_loss_range (model_of (self), &lo, &hi);
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
  return -H + 2 * H * rv_surface_model_normalize (model_of (self), loss, self->log_color);
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
  rv_surface_model_get_range (model_of (self), &r[0][0], &r[0][1], &r[1][0], &r[1][1]);
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

/* The text around the box */

#define LABEL_MARGIN 4.0   /* between the text and the widget's edge */

/* A label of the axes.  Where it goes is worked out at scale 1 about the
 * origin, where a projected point scales with the view: its anchor (the
 * point it names, pushed outwards) and, in pixels, where its box lies from
 * the anchor.  place_labels then puts it in the fitted view. */
typedef struct
{
  PangoLayout *layout;
  double alpha;
  int kind;          /* KIND_* */
  double px, py;     /* the point named, at scale 1 */
  double ux, uy;     /* the anchor, at scale 1 */
  double ox, oy;     /* the box's top left from the anchor, in pixels */
  double w, h;
  gboolean shown;
  double x, y;       /* the box's top left, once placed */
} Label;

/* w1 and w2 ticks on the floor, loss ticks, w1 and w2, the loss axis' title */
enum { KIND_W1, KIND_W2, KIND_LOSS, KIND_NAME, KIND_TITLE };

typedef struct
{
  GArray *labels;    /* Label */
  double cxw, cyw;   /* the vertical edge the loss axis goes up, in world x and y */
} Axes;

static void
label_clear (gpointer data)
{
  g_clear_object (&((Label *) data)->layout);
}

static void
axes_clear (Axes *axes)
{
  g_clear_pointer (&axes->labels, g_array_unref);
}

static Label *
label_add (Axes *axes, GtkWidget *widget, const char *text, gboolean markup, double scale, int kind,
           double alpha)
{
  Label l = { 0 };
  l.layout = rv_plot_layout_new (widget, markup ? NULL : text, scale, FALSE);
  if (markup)
    pango_layout_set_markup (l.layout, text, -1);
  rv_plot_layout_size (l.layout, &l.w, &l.h);
  l.kind = kind;
  l.alpha = alpha;
  g_array_append_val (axes->labels, l);
  return &g_array_index (axes->labels, Label, axes->labels->len - 1);
}

/* Anchors l at the projection of (x, y, z) (v at scale 1), pushed push
 * pixels away from the projected centre of the floor, the side of its box
 * that faces the box on the anchor, so that the text grows outwards. */
static void
label_push_out (Label *l, const View *v, double x, double y, double z, double push)
{
  double ox, oy;
  project (v, x, y, z, &l->ux, &l->uy);
  project (v, 0, 0, z, &ox, &oy);
  double dx = l->ux - ox, dy = l->uy - oy, len = hypot (dx, dy);
  double ex = len > 1e-9 ? dx / len : 0, ey = len > 1e-9 ? dy / len : 0;
  l->ox = ex * push - (0.5 - 0.5 * ex) * l->w;
  l->oy = ey * push - (0.5 - 0.5 * ey) * l->h;
}

/* Which of the box's vertical edges is leftmost on screen: the loss axis
 * goes up it.  The order on screen does not depend on scale or centre. */
static void
loss_edge (const View *v, double *cxw, double *cyw)
{
  const double corners[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };
  double left_x = INFINITY;
  for (int c = 0; c < 4; c++)
    {
      double sx, sy;
      project (v, corners[c][0], corners[c][1], 0, &sx, &sy);
      if (sx < left_x)
        {
          left_x = sx;
          *cxw = corners[c][0];
          *cyw = corners[c][1];
        }
    }
}

/* Every label the axes may show, v at scale 1: w1 ticks along the near y
 * edge of the floor, w2 along the near x edge, the loss ticks up the
 * leftmost vertical edge, the names and the title. */
static void
axes_build (RvSurface3d *self, const View *v, Axes *axes)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double xn, yn, r[2][2], ticks[RV_PLOT_MAX_TICKS], step;

  axes->labels = g_array_new (FALSE, TRUE, sizeof (Label));
  g_array_set_clear_func (axes->labels, label_clear);
  near_sides (v, &xn, &yn);
  loss_edge (v, &axes->cxw, &axes->cyw);
  rv_surface_model_get_range (model_of (self), &r[0][0], &r[0][1], &r[1][0], &r[1][1]);

  for (int a = 0; a < 2; a++)
    {
      guint n = rv_plot_ticks_linear (r[a][0], r[a][1], 5, ticks, &step);
      for (guint k = 0; k < n; k++)
        {
          double u = -1 + 2 * (ticks[k] - r[a][0]) / (r[a][1] - r[a][0]);
          double wx = a == 0 ? u : xn, wy = a == 0 ? yn : u;
          g_autofree char *s = rv_plot_format_tick (ticks[k], step);
          Label *l = label_add (axes, widget, s, FALSE, PANGO_SCALE_SMALL, a, 0.8);
          project (v, wx, wy, -H, &l->px, &l->py);
          label_push_out (l, v, wx * (a == 0 ? 1 : 1.06), wy * (a == 0 ? 1.06 : 1), -H, 3);
        }
      g_autofree char *axis_name = rv_surface_axis_markup (rv_surface_model_get_surface (model_of (self)), a);
      Label *name = label_add (axes, widget, axis_name, TRUE, 1.0, KIND_NAME, 1.0);
      double nx = a == 0 ? 0 : xn * 1.32, ny = a == 0 ? yn * 1.32 : 0;
      project (v, nx, ny, -H, &name->px, &name->py);
      label_push_out (name, v, nx, ny, -H, 4);
    }

  /* bottom to top, as place_labels thins them */
  double values[RV_PLOT_MAX_TICKS];
  guint n = loss_ticks (self, values, &step);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *s = NULL;
      if (!self->log_color)
        s = rv_plot_format_tick (values[k], step);
      else if (k == 0 && n > 1)
        s = rv_plot_format_at_resolution (values[0], (values[1] - values[0]) / 10);
      else
        s = rv_plot_format_value (values[k]);
      Label *l = label_add (axes, widget, s, FALSE, PANGO_SCALE_SMALL, KIND_LOSS, 0.8);
      project (v, axes->cxw, axes->cyw, loss_z (self, values[k]), &l->px, &l->py);
      l->ux = l->px;
      l->uy = l->py;
      l->ox = -6 - l->w;
      l->oy = -l->h / 2;
    }
  Label *title = label_add (axes, widget, _("loss"), FALSE, 1.0, KIND_TITLE, 1.0);
  project (v, axes->cxw, axes->cyw, H, &title->px, &title->py);
  title->ux = title->px;
  title->uy = title->py;
  title->ox = -title->w / 2;
  title->oy = -8 - title->h;
}

/* One thing to fit along one axis of the screen: at scale s about the
 * origin it spans [s u + lo, s u + hi]. */
typedef struct
{
  double u, lo, hi;
} Span;

/* The largest scale at which every span fits into room together. */
static double
fit_spans (const GArray *spans, double room)
{
  double s = G_MAXDOUBLE;
  for (guint i = 0; i < spans->len; i++)
    for (guint j = 0; j < spans->len; j++)
      {
        const Span *a = &g_array_index (spans, Span, i), *b = &g_array_index (spans, Span, j);
        if (a->u > b->u + 1e-9)
          s = MIN (s, (room - (a->hi - b->lo)) / (a->u - b->u));
      }
  return s;
}

static void
spans_add (GArray *xs, GArray *ys, double ux, double uy, double ox, double oy, double w, double h)
{
  Span x = { ux, ox, ox + w }, y = { uy, oy, oy + h };
  g_array_append_val (xs, x);
  g_array_append_val (ys, y);
}

/* The shift that brings [lo, hi] into [0, size] from the margin, if it
 * fits; none if it does not (zoomed in). */
static double
shift_into (double lo, double hi, double size)
{
  if (hi - lo > size - 2 * LABEL_MARGIN)
    return 0;
  if (lo < LABEL_MARGIN)
    return LABEL_MARGIN - lo;
  if (hi > size - LABEL_MARGIN)
    return size - LABEL_MARGIN - hi;
  return 0;
}

/* The scale: the largest at which the box and every label fit in the
 * widget, times the zoom.  The box is measured by the circle its corners
 * turn on, so the size holds while the azimuth turns.  The centre: the
 * box's, moved as little as the labels need. */
static void
fit_view (RvSurface3d *self, View *v, const Axes *axes, int width, int height)
{
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr (GArray) ys = g_array_new (FALSE, FALSE, sizeof (Span));
  double bx[2] = { INFINITY, -INFINITY }, by[2] = { INFINITY, -INFINITY };

  for (int k = 0; k < 24; k++)
    for (int top = 0; top < 2; top++)
      {
        double sx, sy, a = k * G_PI / 12;
        project (v, M_SQRT2 * cos (a), M_SQRT2 * sin (a), top ? H : -H, &sx, &sy);
        spans_add (xs, ys, sx, sy, 0, 0, 0, 0);
      }
  for (int c = 0; c < 8; c++)
    {
      double sx, sy;
      project (v, c & 1 ? 1 : -1, c & 2 ? 1 : -1, c & 4 ? H : -H, &sx, &sy);
      spans_add (xs, ys, sx, sy, 0, 0, 0, 0);
      bx[0] = MIN (bx[0], sx);
      bx[1] = MAX (bx[1], sx);
      by[0] = MIN (by[0], sy);
      by[1] = MAX (by[1], sy);
    }
  for (guint i = 0; i < axes->labels->len; i++)
    {
      const Label *l = &g_array_index (axes->labels, Label, i);
      spans_add (xs, ys, l->ux, l->uy, l->ox, l->oy, l->w, l->h);
    }

  double fit = MIN (fit_spans (xs, width - 2 * LABEL_MARGIN), fit_spans (ys, height - 2 * LABEL_MARGIN));
  /* text wider than the widget leaves no room at all: keep a small box */
  fit = MAX (fit, 0.05 * MIN (width, height));
  v->scale = self->zoom * fit;

  /* the spans without the circle: the box and the labels */
  double c[2] = { width / 2.0 - v->scale * (bx[0] + bx[1]) / 2, height / 2.0 - v->scale * (by[0] + by[1]) / 2 };
  for (int axis = 0; axis < 2; axis++)
    {
      const GArray *spans = axis == 0 ? xs : ys;
      double lo = INFINITY, hi = -INFINITY;
      for (guint i = 48; i < spans->len; i++)
        {
          const Span *s = &g_array_index (spans, Span, i);
          lo = MIN (lo, c[axis] + v->scale * s->u + s->lo);
          hi = MAX (hi, c[axis] + v->scale * s->u + s->hi);
        }
      c[axis] += shift_into (lo, hi, axis == 0 ? width : height);
    }
  v->cx = c[0];
  v->cy = c[1];
}

/* Puts the labels in the fitted view: those whose point is off the widget
 * (zoomed in) or crowded are left out, floor ticks at the loss axis' foot
 * too, the loss axis' own when seen end-on from above, and the rest kept
 * inside the widget. */
static void
place_labels (const Axes *axes, const View *v, int width, int height)
{
  double foot_x, foot_y, top_x, top_y, last_loss_y = INFINITY;
  project (v, axes->cxw, axes->cyw, -H, &foot_x, &foot_y);
  project (v, axes->cxw, axes->cyw, H, &top_x, &top_y);
  gboolean loss_axis = hypot (top_x - foot_x, top_y - foot_y) >= 24;

  for (guint i = 0; i < axes->labels->len; i++)
    {
      Label *l = &g_array_index (axes->labels, Label, i);
      double px = v->cx + v->scale * l->px, py = v->cy + v->scale * l->py;
      l->shown = px >= 0 && px <= width && py >= 0 && py <= height;
      if (l->kind == KIND_W1 || l->kind == KIND_W2)
        l->shown = l->shown && hypot (px - foot_x, py - foot_y) >= 12;
      else if (l->kind == KIND_TITLE)
        l->shown = l->shown && loss_axis;
      else if (l->kind == KIND_LOSS && l->shown)
        {
          /* log ticks can crowd at the bottom */
          l->shown = loss_axis && last_loss_y - py >= 12;
          if (l->shown)
            last_loss_y = py;
        }
      l->x = v->cx + v->scale * l->ux + l->ox;
      l->y = v->cy + v->scale * l->uy + l->oy;
      l->x = CLAMP (l->x, LABEL_MARGIN, MAX (LABEL_MARGIN, width - LABEL_MARGIN - l->w));
      l->y = CLAMP (l->y, LABEL_MARGIN, MAX (LABEL_MARGIN, height - LABEL_MARGIN - l->h));
    }
}

/* The view at width × height with its axes' labels placed. */
static void
layout_view (RvSurface3d *self, int width, int height, View *v, Axes *axes)
{
  view_init (self, v);
  axes_build (self, v, axes);
  fit_view (self, v, axes, width, height);
  place_labels (axes, v, width, height);
}

/* The loss axis with its tick marks, and every label shown; remembers
 * where the text went. */
static void
paint_axes (RvSurface3d *self, cairo_t *cr, const View *v, const Axes *axes, const RvPlotStyle *style)
{
  cairo_save (cr);
  line3 (cr, v, axes->cxw, axes->cyw, -H, axes->cxw, axes->cyw, H);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  g_array_set_size (self->label_rects, 0);
  for (guint i = 0; i < axes->labels->len; i++)
    {
      const Label *l = &g_array_index (axes->labels, Label, i);
      if (!l->shown)
        continue;
      if (l->kind == KIND_LOSS)
        {
          double sx = v->cx + v->scale * l->px, sy = v->cy + v->scale * l->py;
          cairo_move_to (cr, sx, sy);
          cairo_line_to (cr, sx - 4, sy);
        }
      graphene_rect_t rect = GRAPHENE_RECT_INIT (l->x, l->y, l->w, l->h);
      g_array_append_val (self->label_rects, rect);
    }
  rv_plot_set_source (cr, &style->fg, 0.5);
  cairo_stroke (cr);
  for (guint i = 0; i < axes->labels->len; i++)
    {
      const Label *l = &g_array_index (axes->labels, Label, i);
      if (!l->shown)
        continue;
      rv_plot_set_source (cr, &style->fg, l->alpha);
      rv_plot_show_layout (cr, l->layout, l->x, l->y, 0.0, 0.0);
    }
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
  guint n_runs = rv_surface_model_get_n_runs (model_of (self));
  rv_surface_model_get_range (model_of (self), &r[0][0], &r[0][1], &r[1][0], &r[1][1]);

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint run = 0; run < n_runs; run++)
    {
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model_of (self), run, NULL);
      guint n = rv_surface_model_get_run_n_revealed (model_of (self), run);
      GdkRGBA color;
      rv_surface_model_get_run_color (model_of (self), run, &color);
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
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model_of (self), run, NULL);
      guint n = rv_surface_model_get_run_n_revealed (model_of (self), run);
      double x, y, z, sx, sy;
      GdkRGBA color;
      if (n == 0 || !run_point (self, r, &p[n - 1], &x, &y, &z))
        continue;
      rv_surface_model_get_run_color (model_of (self), run, &color);
      project (v, x, y, z, &sx, &sy);
      if (rv_surface_model_get_run_diverged_shown (model_of (self), run))
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
paint_scene (RvSurface3d *self, cairo_t *cr, const View *v, const Axes *axes, int width, int height,
             const RvPlotStyle *style, gboolean smooth, double scale_x, double scale_y)
{
  project_mesh (self, v);
  paint_box_back (self, cr, v, style);
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
  paint_axes (self, cr, v, axes, style);
}

/* While the view turns, every frame draws the fast mesh straight to the
 * screen.  At rest the smooth one is kept in an image at the device's
 * resolution, so that animating the runs redraws only the runs. */
static void
draw_view (RvSurface3d *self, cairo_t *cr, int width, int height)
{
  RvPlotStyle style;
  View v;
  Axes axes = { 0 };

  rv_plot_style_init (&style, GTK_WIDGET (self));
  if (!ensure_mesh (self))
    {
      g_array_set_size (self->label_rects, 0);
      rv_plot_show_placeholder (cr, GTK_WIDGET (self), &style, _("No surface"), PANGO_SCALE_SMALL,
                                width / 2.0, height / 2.0);
      return;
    }
  if (width < 40 || height < 40)
    {
      g_array_set_size (self->label_rects, 0);
      return;
    }

  if (self->interacting || cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    {
      layout_view (self, width, height, &v, &axes);
      if (self->interacting)
        paint_scene (self, cr, &v, &axes, width, height, &style, FALSE, 1, 1);
      else
        paint_scene (self, cr, &v, &axes, width, height, &style, TRUE, 2, 2);  /* SVG, PDF: a sharp image */
      axes_clear (&axes);
    }
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
          layout_view (self, width, height, &self->scene_view, &axes);
          paint_scene (self, scene_cr, &self->scene_view, &axes, width, height, &style, TRUE, sx, sy);
          axes_clear (&axes);
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
      v = self->scene_view;
    }

  paint_runs (self, cr, &v);
}

static void
rv_surface_3d_draw_chart (RvChart *chart, cairo_t *cr, int width, int height, gboolean for_export)
{
  draw_view (RV_SURFACE_3D (chart), cr, width, height);
}

void
rv_surface_3d_draw (RvSurface3d *self, cairo_t *cr, int width, int height)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  rv_chart_draw (RV_CHART (self), cr, width, height);
}

GArray *
rv_surface_3d_get_label_rects (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), NULL);
  return self->label_rects;
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

/* RvChart */

static char *
rv_surface_3d_dup_summary (RvChart *chart)
{
  RvSurfaceModel *model = model_of (RV_SURFACE_3D (chart));
  const RvSurface *surface = model != NULL ? rv_surface_model_get_surface (model) : NULL;

  if (surface == NULL)
    return g_strdup (_("No surface"));
  guint n = rv_surface_model_get_n_runs (model);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in 3-D, with %u optimizer path",
                                       "%s in 3-D, with %u optimizer paths", n),
                          surface->display_name, n);
}

/* A new surface is a new picture: it starts from the usual camera.  A new
 * range, or runs moving on the same surface, keep the one the user chose. */
static void
rv_surface_3d_data_changed (RvChart *chart)
{
  RvSurface3d *self = RV_SURFACE_3D (chart);
  RvSurfaceModel *model = model_of (self);
  const RvSurface *surface = model != NULL ? rv_surface_model_get_surface (model) : NULL;

  if (surface != NULL && self->shown_surface != NULL && surface != self->shown_surface)
    rv_surface_3d_reset_camera (self);
  if (surface != NULL)
    self->shown_surface = surface;
  RV_CHART_CLASS (rv_surface_3d_parent_class)->data_changed (chart);
}

/* A new model's serial may repeat the old one's. */
static void
model_notify_cb (RvSurface3d *self)
{
  self->mesh_valid = FALSE;
  self->shown_surface = NULL;
  g_clear_pointer (&self->scene, cairo_surface_destroy);
}

/* GObject */

void
rv_surface_3d_set_model (RvSurface3d *self, RvSurfaceModel *model)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_return_if_fail (model == NULL || RV_IS_SURFACE_MODEL (model));
  rv_chart_set_model (RV_CHART (self), model);
}

void
rv_surface_3d_set_log_color (RvSurface3d *self, gboolean log_color)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  rv_chart_set_boolean (RV_CHART (self), &self->log_color, log_color, props[PROP_LOG_COLOR]);
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
  rv_chart_set_double (RV_CHART (self), &self->azimuth, degrees - 180.0, props[PROP_AZIMUTH]);
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
  rv_chart_set_double (RV_CHART (self), &self->elevation, CLAMP (degrees, 0.0, 90.0), props[PROP_ELEVATION]);
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
  rv_chart_set_double (RV_CHART (self), &self->zoom, CLAMP (zoom, 0.4, 4.0), props[PROP_ZOOM]);
}

double
rv_surface_3d_get_zoom (RvSurface3d *self)
{
  g_return_val_if_fail (RV_IS_SURFACE_3D (self), 1.0);
  return self->zoom;
}

void
rv_surface_3d_reset_camera (RvSurface3d *self)
{
  g_return_if_fail (RV_IS_SURFACE_3D (self));
  g_object_freeze_notify (G_OBJECT (self));
  rv_surface_3d_set_azimuth (self, DEFAULT_AZIMUTH);
  rv_surface_3d_set_elevation (self, DEFAULT_ELEVATION);
  rv_surface_3d_set_zoom (self, DEFAULT_ZOOM);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
rv_surface_3d_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RvSurface3d *self = RV_SURFACE_3D (object);
  switch (prop_id)
    {
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
  g_array_unref (self->label_rects);
  G_OBJECT_CLASS (rv_surface_3d_parent_class)->finalize (object);
}

static void
rv_surface_3d_class_init (RvSurface3dClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RvChartClass *chart_class = RV_CHART_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rv_surface_3d_dispose;
  object_class->finalize = rv_surface_3d_finalize;
  object_class->get_property = rv_surface_3d_get_property;
  object_class->set_property = rv_surface_3d_set_property;

  chart_class->model_type = RV_TYPE_SURFACE_MODEL;
  chart_class->model_signals = model_signals;
  chart_class->fallback_label = _("Loss surface in 3-D, with optimizer paths");
  chart_class->min_width = 200;
  chart_class->min_height = 200;
  chart_class->natural_width = 520;
  chart_class->natural_height = 440;
  chart_class->draw = rv_surface_3d_draw_chart;
  chart_class->dup_summary = rv_surface_3d_dup_summary;
  chart_class->data_changed = rv_surface_3d_data_changed;

  props[PROP_LOG_COLOR] = g_param_spec_boolean ("log-color", NULL, NULL, FALSE, flags);
  props[PROP_AZIMUTH] = g_param_spec_double ("azimuth", NULL, NULL, -180.0, 180.0, DEFAULT_AZIMUTH, flags);
  props[PROP_ELEVATION] = g_param_spec_double ("elevation", NULL, NULL, 0.0, 90.0, DEFAULT_ELEVATION, flags);
  props[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, 0.4, 4.0, DEFAULT_ZOOM, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "surface-3d");
}

static void
rv_surface_3d_init (RvSurface3d *self)
{
  self->azimuth = DEFAULT_AZIMUTH;
  self->elevation = DEFAULT_ELEVATION;
  self->zoom = DEFAULT_ZOOM;
  self->counts = g_new (guint32, N_KEYS + 1);
  self->label_rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_signal_connect (self, "notify::model", G_CALLBACK (model_notify_cb), NULL);

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
}

GtkWidget *
rv_surface_3d_new (RvSurfaceModel *model)
{
  return g_object_new (RV_TYPE_SURFACE_3D, "model", model, NULL);
}
