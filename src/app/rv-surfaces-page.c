/* rv-surfaces-page.c: runs on a surface, recomputed whenever a setting
 * changes, and revealed step by step.
 *
 * The trajectories are computed here on the UI thread, not on a worker: a
 * few hundred closed-form steps take microseconds, far less than a round
 * trip through a queue, so dragging the start point re-runs them at once. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-atomic-file.h"
#include "rv-curve-set.h"
#include "rv-curve-view.h"
#include "rv-error-dialog.h"
#include "rv-json.h"
#include "rv-labels.h"
#include "rv-plot.h"
#include "rv-plot-export.h"
#include "rv-stability.h"
#include "rv-stability-view.h"
#include "rv-surfaces-page.h"
#include "rv-trajectory.h"

#define MAX_STEPS 10000

/* The hyper-parameters a run's row has a slider for, besides lr. */
static const char *const beta_params[] = { "momentum", "beta1", "beta2" };

typedef struct {
  RvOptimConfig config;
  char *status;
  GtkWidget *row, *name_label, *lr, *status_label;
  GtkWidget *beta[G_N_ELEMENTS (beta_params)];  /* sliders, NULL for those the kind lacks */
} Run;

struct _RvSurfacesPage
{
  AdwBin parent_instance;

  GtkDropDown *surface, *optimizer;
  GtkLabel *formula, *step_label;
  GtkWidget *custom_box;    /* the formula entry and its button */
  GtkEntry *formula_entry;
  GtkButton *formula_apply;
  GtkLabel *formula_error;
  GtkSpinButton *start_w1, *start_w2, *steps, *lr, *momentum;
  GtkWidget *momentum_label;
  GtkButton *preset_ravine, *preset_steep, *add_run, *play, *step, *reset, *reset_view;
  GtkListBox *runs_list;
  GtkCheckButton *log_color, *contours, *arrows;
  GtkScale *speed;
  GtkDropDown *map_range;
  GtkButton *map_fit;
  RvSurfaceMap *map;
  RvSurface3d *view3d;
  RvCurveView *loss_view;
  GtkCheckButton *loss_log;
  GtkWidget *loss_placeholder;
  GtkBox *views;            /* the map and the 3-D view */
  GtkScale *step_scale;     /* the step shown */
  GtkLabel *arrows_caption;
  GtkWidget *inspector;
  GtkCheckButton *inspector_toggle;
  GtkDropDown *inspector_run;
  GtkLabel *inspector_rule, *inspector_numbers;
  GtkExpander *stability_expander;
  GtkLabel *stability_note;
  RvStabilityView *stability;
  RvStabilityGrid stability_grid;   /* of the map shown */
  RvOptimConfig stability_base;

  RvSurfaceModel *model;
  RvCurveSet *loss_curves;
  GPtrArray *runs;          /* Run * */
  const RvSurface *current;
  RvSurface *typed;         /* the last surface typed as a formula, or NULL */
  gboolean updating;        /* controls are being set by code */
  guint tick_id;
  gint64 last_frame_us;
  double revealed;          /* fractional, for smooth playback */
};

G_DEFINE_FINAL_TYPE (RvSurfacesPage, rv_surfaces_page, ADW_TYPE_BIN)

static void
run_free (gpointer data)
{
  Run *run = data;
  g_free (run->status);
  g_free (run);
}

static char *
describe_run (const RvOptimConfig *c)
{
  g_autofree char *lr = rv_plot_format_number ("%g", c->lr);
  g_autofree char *beta = rv_plot_format_number ("%g", c->momentum);

  /* Translators: optimizer, learning rate (and momentum β) */
  if (rv_optim_kind_uses (c->kind, "momentum"))
    return g_strdup_printf (_("%s, lr %s, β %s"), rv_label_optimizer (c->kind), lr, beta);
  /* Adam's βs only once a slider moved them off the tutorial's */
  if (rv_optim_kind_uses (c->kind, "beta1") && (c->beta1 != 0.9 || c->beta2 != 0.999))
    {
      g_autofree char *b1 = rv_plot_format_number ("%g", c->beta1);
      g_autofree char *b2 = rv_plot_format_number ("%g", c->beta2);
      /* Translators: optimizer, learning rate, Adam's β₁ and β₂ */
      return g_strdup_printf (_("%s, lr %s, β₁ %s, β₂ %s"), rv_label_optimizer (c->kind), lr, b1, b2);
    }
  return g_strdup_printf (_("%s, lr %s"), rv_label_optimizer (c->kind), lr);
}

/* A run's colour is chosen to stand out on the viridis map, where white is
 * best; on a light chart background white would vanish, so it turns grey. */
static void
run_color_for_chart (RvSurfacesPage *self, guint r, GdkRGBA *color)
{
  rv_surface_model_get_run_color (self->model, r, color);
  double luminance = 0.2126 * color->red + 0.7152 * color->green + 0.0722 * color->blue;
  if (luminance > 0.8 && !adw_style_manager_get_dark (adw_style_manager_get_default ()))
    *color = (GdkRGBA) { 0.47, 0.46, 0.48, 1.0 };
}

static guint
steps_wanted (RvSurfacesPage *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->steps);
}

static void
update_step_label (RvSurfacesPage *self)
{
  g_autofree char *text = g_strdup_printf (_("step %u of %u"), rv_surface_model_get_revealed (self->model),
                                           steps_wanted (self));
  gtk_label_set_label (self->step_label, text);
}

/* The scrubber follows the step shown and the number of steps. */
static void
update_scrubber (RvSurfacesPage *self)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->step_scale));
  gboolean was = self->updating;
  self->updating = TRUE;
  gtk_adjustment_set_upper (adj, steps_wanted (self));
  gtk_adjustment_set_value (adj, MIN (rv_surface_model_get_revealed (self->model), steps_wanted (self)));
  self->updating = was;
}

/* "(−3.2, 0.01)", or with a semicolon where the decimal mark is a comma. */
static char *
format_pair (const double v[2])
{
  g_autofree char *half = rv_plot_format_number ("%.1f", 0.5);
  g_autofree char *a = rv_plot_format_value (v[0]);
  g_autofree char *b = rv_plot_format_value (v[1]);
  return g_strdup_printf ("(%s%s %s)", a, strchr (half, ',') ? ";" : ",", b);
}

/* The update rule of a kind, in the tutorial's notation. */
static const char *
update_rule (RvOptimKind kind)
{
  switch (kind)
    {
    case RV_OPTIM_SGD:
      return "w ← w − η·g";
    case RV_OPTIM_MOMENTUM:
      return "m ← (1 − β)·g + β·m\nw ← w − η·m";
    case RV_OPTIM_HEAVY_BALL:
      return "v ← μ·v + g\nw ← w − η·v";
    case RV_OPTIM_NESTEROV:
      return "v ← μ·v + g\nw ← w − η·(g + μ·v)";
    case RV_OPTIM_RMSPROP:
      return "s ← α·s + (1 − α)·g²\nw ← w − η·g / (√s + ε)";
    case RV_OPTIM_ADAGRAD:
      return "s ← s + g²\nw ← w − η·g / (√s + ε)";
    case RV_OPTIM_ADAMW:
      return "w ← (1 − η·λ)·w, then Adam:\nm ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²\n"
             "m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)\nw ← w − η·m̂ / (√v̂ + ε)";
    case RV_OPTIM_ADAM:
    case RV_OPTIM_COUNT:
    default:
      return "m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²\n"
             "m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)\nw ← w − η·m̂ / (√v̂ + ε)";
    }
}

/* The hyper-parameters as the rule names them: "η = 10, β = 0.9". */
static char *
rule_values (const RvOptimConfig *c)
{
  g_autofree char *lr = rv_plot_format_value (c->lr);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "η = %s", lr);
  struct { const char *param, *symbol; double value; } extra[] = {
    { "momentum", c->kind == RV_OPTIM_MOMENTUM ? "β" : "μ", c->momentum },
    { "alpha", "α", c->alpha }, { "beta1", "β₁", c->beta1 }, { "beta2", "β₂", c->beta2 },
    { "eps", "ε", c->eps }, { "weight_decay", "λ", c->weight_decay },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    if (rv_optim_kind_uses (c->kind, extra[i].param))
      {
        g_autofree char *v = rv_plot_format_value (extra[i].value);
        g_string_append_printf (out, ", %s = %s", extra[i].symbol, v);
      }
  return g_string_free (out, FALSE);
}

/* The chosen run's rule and its numbers at the step shown, all read from
 * the model's states (the core's): the page computes none of them. */
static void
update_inspector (RvSurfacesPage *self)
{
  gboolean on = gtk_check_button_get_active (self->inspector_toggle);
  guint r = gtk_drop_down_get_selected (self->inspector_run);
  rv_surface_map_set_show_inspector (self->map, on);
  rv_surface_map_set_inspector_run (self->map, on && r < self->runs->len ? (int) r : -1);
  gtk_widget_set_visible (GTK_WIDGET (self->arrows_caption), on);

  double factor = rv_surface_map_get_step_factor (self->map);
  g_autofree char *times = rv_plot_format_count ((guint64) factor);
  g_autofree char *caption = factor > 1
    /* Translators: %s is a power of ten, the step arrows' magnification */
    ? g_strdup_printf (_("Arrows at each run's point: −g, −m, −m̂, √v̂ on one scale per run (the longest ⅕ of the map); the step Δw ×%s"), times)
    : g_strdup (_("Arrows at each run's point: −g, −m, −m̂, √v̂ on one scale per run (the longest ⅕ of the map); the step Δw to scale"));
  gtk_label_set_label (self->arrows_caption, caption);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->arrows_caption),
                               _("In each run's colour. Thin: −g, downhill. Dashed: −m (momentum) or −m̂ (Adam), the direction the average of the gradients points. "
                                 "Dotted: √v̂ (Adam) or √s (RMSprop, Adagrad), each coordinate's gradient size that divides its step. "
                                 "Thick: the step Δw the update takes, to the next point."));

  if (r >= self->runs->len)
    {
      gtk_label_set_label (self->inspector_rule, "");
      gtk_label_set_label (self->inspector_numbers, _("Add a run to inspect its updates."));
      return;
    }
  const Run *run = g_ptr_array_index (self->runs, r);
  g_autofree char *values = rule_values (&run->config);
  g_autofree char *rule = g_strdup_printf ("%s: %s\n%s", rv_label_optimizer (run->config.kind),
                                           update_rule (run->config.kind), values);
  gtk_label_set_label (self->inspector_rule, rule);

  guint n = rv_surface_model_get_run_n_revealed (self->model, r);
  const RvTrajectoryState *st = n > 0 ? rv_surface_model_get_run_state (self->model, r, n - 1) : NULL;
  if (st == NULL || rv_surface_model_get_run_diverged_shown (self->model, r))
    {
      gtk_label_set_label (self->inspector_numbers, n == 0 ? _("Press Play, Step or drag the step slider to see an update.")
                                                           : _("No update here: the run diverged."));
      return;
    }
  const RvTrajectoryPoint *p = &rv_surface_model_get_run_points (self->model, r, NULL)[n - 1];
  const double w[2] = { p->w1, p->w2 };
  g_autofree char *sw = format_pair (w);
  g_autofree char *loss = rv_plot_format_value (p->loss);
  g_autofree char *sg = format_pair (st->grad);
  g_autofree char *step = format_pair (st->step);
  GString *out = g_string_new (NULL);
  /* Translators: t is the update's number (Adam's t), then the point and its loss */
  g_string_append_printf (out, _("update t = %u at w = %s, loss %s"), n, sw, loss);
  g_string_append_printf (out, "\ng = %s", sg);
  switch (st->kind)
    {
    case RV_OPTIM_MOMENTUM:
    case RV_OPTIM_HEAVY_BALL:
    case RV_OPTIM_NESTEROV:
      {
        g_autofree char *m = format_pair (st->velocity);
        g_string_append_printf (out, "\n%s = %s", st->kind == RV_OPTIM_MOMENTUM ? "m" : "v", m);
      }
      break;
    case RV_OPTIM_RMSPROP:
    case RV_OPTIM_ADAGRAD:
      {
        g_autofree char *root = format_pair (st->sqrt_v_hat);
        g_string_append_printf (out, "\n√s = %s", root);
      }
      break;
    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
      {
        g_autofree char *m = format_pair (st->m_hat);
        g_autofree char *root = format_pair (st->sqrt_v_hat);
        g_string_append_printf (out, "\nm̂ = %s\n√v̂ = %s", m, root);
      }
      break;
    case RV_OPTIM_SGD:
    case RV_OPTIM_COUNT:
    default:
      break;
    }
  /* Translators: the update the step took, Δw = the next point minus this one */
  g_string_append_printf (out, _("\nstep Δw = %s"), step);
  gtk_label_set_label (self->inspector_numbers, out->str);
  g_string_free (out, TRUE);
}

/* The loss chart's axes span the whole race from the start, so that they
 * stand still while it plays and say what is coming before Play: x the
 * steps, y the loss every run will have (NAN, NAN: nothing to show). */
static void
loss_range (RvSurfacesPage *self, gboolean log_y, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint r = 0; r < self->runs->len; r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (self->model, r, &n);
      for (guint i = 0; i < n; i++)
        if (isfinite (pts[i].loss) && (!log_y || pts[i].loss > 0))
          {
            *lo = MIN (*lo, pts[i].loss);
            *hi = MAX (*hi, pts[i].loss);
          }
    }
  if (!(*lo <= *hi))
    {
      *lo = *hi = NAN;
      return;
    }
  /* a margin as the chart gives fitted data, and room for a flat line */
  if (log_y)
    {
      *lo /= *hi > *lo ? pow (*hi / *lo, 0.05) : 2;
      *hi *= *hi > *lo ? pow (*hi / *lo, 0.05) : 2;
    }
  else
    {
      double pad = *hi > *lo ? 0.05 * (*hi - *lo) : MAX (fabs (*hi) * 0.5, 0.5);
      *lo -= pad;
      *hi += pad;
    }
}

static void
update_loss_axes (RvSurfacesPage *self)
{
  double lo, hi;
  loss_range (self, rv_curve_view_get_log_y (self->loss_view), &lo, &hi);
  rv_curve_view_set_y_range (self->loss_view, lo, hi);
  rv_curve_view_set_x_range (self->loss_view, 0, MAX (steps_wanted (self), 1));
}

/* The loss chart shows each run up to the revealed step. */
static void
update_loss_chart (RvSurfacesPage *self)
{
  guint shown = rv_surface_model_get_revealed (self->model);
  gboolean before_race = shown == 0 && self->runs->len > 0;
  gtk_widget_set_visible (self->loss_placeholder, before_race);
  /* Before the race the note alone: a legend of lines not yet drawn would
   * lie under it (the runs' list already gives their colours). */
  rv_curve_view_set_show_legend (self->loss_view, !before_race);
  for (guint r = 0; r < self->runs->len; r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (self->model, r, &n);
      n = MIN (n, shown);
      g_autofree double *x = g_new (double, MAX (n, 1));
      g_autofree double *y = g_new (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          x[i] = i;
          y[i] = pts[i].loss;
        }
      rv_curve_set_set_points (self->loss_curves, r, x, y, n);
    }
  update_step_label (self);
  update_scrubber (self);
  update_inspector (self);
}

/* The New run optimizer as the stability map's base: its defaults, with
 * the momentum chosen there. */
static void
new_run_config (RvSurfacesPage *self, RvOptimConfig *c)
{
  rv_optim_config_init (c, (RvOptimKind) gtk_drop_down_get_selected (self->optimizer));
  c->lr = gtk_spin_button_get_value (self->lr);
  if (rv_optim_kind_uses (c->kind, "momentum"))
    c->momentum = gtk_spin_button_get_value (self->momentum);
}

/* The stability map of the New run optimizer on the surface shown, from
 * the start, over the page's steps: only while it is expanded. */
static void
update_stability (RvSurfacesPage *self)
{
  if (self->current == NULL || !gtk_expander_get_expanded (self->stability_expander))
    return;
  RvOptimConfig base;
  new_run_config (self, &base);
  const char *param = rv_optim_kind_uses (base.kind, "momentum") ? "momentum"
                      : rv_optim_kind_uses (base.kind, "beta1") ? "beta1" : NULL;
  self->stability_grid = (RvStabilityGrid) { param, -3, 2, 26, 0, 0.98, param ? 15 : 1, steps_wanted (self) };
  self->stability_base = base;
  const double w1 = gtk_spin_button_get_value (self->start_w1), w2 = gtk_spin_button_get_value (self->start_w2);
  const RvStabilityGrid *g = &self->stability_grid;
  g_autofree double *loss = g_new (double, g->n_lr * g->n_beta);
  g_autoptr (GError) error = NULL;
  if (!rv_stability_map (self->current, &base, g, w1, w2, loss, &error))
    {
      rv_stability_view_set_grid (self->stability, NULL, 0, 0, 0, 0, 0, 0, 0, NULL);
      gtk_label_set_label (self->stability_note, error->message);
      return;
    }
  const char *symbol = param == NULL ? NULL : base.kind == RV_OPTIM_MOMENTUM ? "β" : param[0] == 'm' ? "μ" : "β₁";
  rv_stability_view_set_grid (self->stability, loss, g->n_lr, g->n_beta, g->lr_log_min, g->lr_log_max, g->beta_min,
                              g->beta_max, rv_surface_eval (self->current, w1, w2, NULL, NULL), symbol);
  g_autofree char *steps = rv_plot_format_count (g->n_steps);
  /* Translators: optimizer, number of steps */
  g_autofree char *note = g_strdup_printf (_("%s from the start: the loss after %s steps for each learning rate%s; "
                                             "dark with a cross: diverged. Click a cell to add that run."),
                                           rv_label_optimizer (base.kind), steps, param ? _(" and β") : "");
  gtk_label_set_label (self->stability_note, note);
}

static void
stability_cell_activated (RvSurfacesPage *self, guint i, guint j)
{
  RvOptimConfig c;
  rv_stability_config (&self->stability_grid, &self->stability_base, i, j, &c);
  rv_surfaces_page_add_run (self, &c);
}

/* Runs every trajectory again from the start point. */
static void
recompute (RvSurfacesPage *self)
{
  if (self->current == NULL)
    return;
  const guint steps = steps_wanted (self);
  const double w1 = gtk_spin_button_get_value (self->start_w1), w2 = gtk_spin_button_get_value (self->start_w2);
  g_autofree RvTrajectoryPoint *points = g_new (RvTrajectoryPoint, steps);
  g_autofree RvTrajectoryState *states = g_new (RvTrajectoryState, steps);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      guint n = 0;
      g_autoptr (GError) error = NULL;
      gboolean ok = rv_trajectory_run_with_state (self->current, &run->config, w1, w2, steps, points, states, &n,
                                                  &error);
      rv_surface_model_set_run_trajectory (self->model, r, points, states, n);
      g_free (run->status);
      /* NaN on a typed surface is most likely its domain (log of a negative), not the step size */
      gboolean undefined = !ok && self->current->expr != NULL && g_str_has_suffix (error->message, " is nan");
      if (ok)
        run->status = g_strdup ("");
      else if (undefined)
        run->status = g_strdup_printf (_("%s: the formula has no value there (log or sqrt of a negative, 0/0)"),
                                       error->message);
      else
        run->status = g_strdup_printf (_("%s: a value became infinite; lower the learning rate"), error->message);
      rv_surface_model_set_run_diverged (self->model, r, ok ? NULL : error->message);
      if (run->status_label) /* rows are built after a run's first trajectory */
        {
          gtk_label_set_label (GTK_LABEL (run->status_label), run->status);
          gtk_widget_set_visible (run->status_label, !ok);
        }
    }
  if (rv_surface_model_get_revealed (self->model) > steps)
    rv_surface_model_set_revealed (self->model, steps);
  update_loss_axes (self);
  update_loss_chart (self);
}

static void
set_revealed (RvSurfacesPage *self, guint n)
{
  n = MIN (n, steps_wanted (self));
  self->revealed = n;
  rv_surface_model_set_revealed (self->model, n);
  update_loss_chart (self);
}

static void
step_scrubbed (RvSurfacesPage *self)
{
  if (self->updating)
    return;
  rv_surfaces_page_set_playing (self, FALSE);
  set_revealed (self, (guint) round (gtk_range_get_value (GTK_RANGE (self->step_scale))));
}

static void
inspector_changed (RvSurfacesPage *self)
{
  if (!self->updating)
    update_inspector (self);
}

/* The lr slider is log10 (lr); a value dragged to is rounded to three
 * significant digits, so that the rate shown is the rate used. */
#define LR_LOG_MIN -4.0
#define LR_LOG_MAX 3.0
#define BETA_MAX 0.999

static double
three_significant_digits (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.3g", x);
  return g_ascii_strtod (buf, NULL);
}

/* What a slider at value x sets: lr = 10^x to three significant digits; β
 * to three decimals. */
static double
lr_from_slider (double x)
{
  return three_significant_digits (pow (10, x));
}

static double
beta_from_slider (double x)
{
  return CLAMP (round (x * 1000) / 1000, 0, BETA_MAX);
}

/* The value beside a slider, and its accessible value text. */
static void
show_slider_value (GtkRange *range, GtkLabel *label)
{
  double x = gtk_range_get_value (range);
  g_autofree char *text = g_object_get_data (G_OBJECT (range), "lr")
                          ? rv_plot_format_value (lr_from_slider (x))
                          : rv_plot_format_number ("%.3f", beta_from_slider (x));
  gtk_label_set_label (label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (range), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

static void
lr_slid (GtkRange *range, RvSurfacesPage *self)
{
  if (self->updating)
    return;
  guint r = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (range), "run"));
  rv_surfaces_page_set_run_lr (self, r, lr_from_slider (gtk_range_get_value (range)));
}

static void
beta_slid (GtkRange *range, RvSurfacesPage *self)
{
  if (self->updating)
    return;
  guint r = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (range), "run"));
  const char *param = g_object_get_data (G_OBJECT (range), "param");
  rv_surfaces_page_set_run_beta (self, r, param, beta_from_slider (gtk_range_get_value (range)));
}

/* A slider row in a run's grid: its symbol, the scale, its value. */
static GtkWidget *
add_slider (RvSurfacesPage *self, GtkGrid *grid, int row, guint r, const char *label, const char *accessible,
            double lo, double hi, double step, double page, double value, gboolean lr)
{
  GtkWidget *name = gtk_label_new (label);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 2);
  gtk_widget_add_css_class (name, "caption");
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, lo, hi, step);
  gtk_range_set_increments (GTK_RANGE (scale), step, page);
  gtk_range_set_value (GTK_RANGE (scale), value);
  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  gtk_widget_set_hexpand (scale, TRUE);
  if (lr)
    g_object_set_data (G_OBJECT (scale), "lr", GINT_TO_POINTER (1));
  GtkWidget *shown = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (shown), 1);
  gtk_label_set_width_chars (GTK_LABEL (shown), 6);
  gtk_widget_add_css_class (shown, "numeric");
  gtk_widget_add_css_class (shown, "caption");
  gtk_grid_attach (grid, shown, 2, row, 1, 1);
  show_slider_value (GTK_RANGE (scale), GTK_LABEL (shown));
  g_signal_connect (scale, "value-changed", G_CALLBACK (show_slider_value), shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), scale);
  g_object_set_data (G_OBJECT (scale), "run", GUINT_TO_POINTER (r));
  gtk_grid_attach (grid, scale, 1, row, 1, 1);
  return scale;
}

static void remove_run (GtkButton *button, RvSurfacesPage *self);

static void
rebuild_rows (RvSurfacesPage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list))))
    gtk_list_box_remove (self->runs_list, child);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      GdkRGBA color;
      run_color_for_chart (self, r, &color);
      g_autofree char *desc = describe_run (&run->config);
      g_autofree char *markup = rv_label_swatch_markup (&color, desc);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 8);
      gtk_widget_set_margin_end (box, 8);
      run->name_label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (run->name_label), markup);
      gtk_label_set_xalign (GTK_LABEL (run->name_label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (run->name_label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (run->name_label, TRUE);
      gtk_box_append (GTK_BOX (top), run->name_label);
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this run"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this run"), -1);
      g_object_set_data (G_OBJECT (remove), "run", GUINT_TO_POINTER (r));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_run), self);
      gtk_box_append (GTK_BOX (top), remove);
      gtk_box_append (GTK_BOX (box), top);

      /* live sliders: the trajectory follows while one is dragged */
      GtkGrid *grid = GTK_GRID (gtk_grid_new ());
      gtk_grid_set_column_spacing (grid, 6);
      gtk_grid_set_row_spacing (grid, 0);
      int row = 0;
      run->lr = add_slider (self, grid, row++, r, "η", _("Learning rate (logarithmic)"), LR_LOG_MIN, LR_LOG_MAX,
                            0.05, 0.5, log10 (run->config.lr), TRUE);
      gtk_widget_set_tooltip_text (run->lr, _("Learning rate, on a logarithmic scale: the trajectory follows while you drag"));
      g_signal_connect (run->lr, "value-changed", G_CALLBACK (lr_slid), self);
      for (gsize b = 0; b < G_N_ELEMENTS (beta_params); b++)
        {
          run->beta[b] = NULL;
          if (!rv_optim_kind_uses (run->config.kind, beta_params[b]))
            continue;
          const double value = b == 0 ? run->config.momentum : b == 1 ? run->config.beta1 : run->config.beta2;
          const char *symbol = b == 0 ? (run->config.kind == RV_OPTIM_MOMENTUM ? "β" : "μ") : b == 1 ? "β₁" : "β₂";
          const char *accessible = b == 0 ? _("Momentum") : b == 1 ? _("Adam β₁, the gradient average's decay")
                                                                   : _("Adam β₂, the squared gradient average's decay");
          run->beta[b] = add_slider (self, grid, row++, r, symbol, accessible, 0, BETA_MAX, 0.01, 0.1, value, FALSE);
          gtk_widget_set_tooltip_text (run->beta[b], accessible);
          g_object_set_data (G_OBJECT (run->beta[b]), "param", (gpointer) beta_params[b]);
          g_signal_connect (run->beta[b], "value-changed", G_CALLBACK (beta_slid), self);
        }
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
      run->status_label = gtk_label_new (run->status);
      gtk_label_set_wrap (GTK_LABEL (run->status_label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (run->status_label), 0);
      gtk_widget_add_css_class (run->status_label, "error");
      gtk_widget_add_css_class (run->status_label, "caption");
      gtk_widget_set_visible (run->status_label, run->status && *run->status);
      gtk_box_append (GTK_BOX (box), run->status_label);
      gtk_list_box_append (self->runs_list, box);
    }
}

/* The model's runs and the chart's series follow self->runs. */
static void
rebuild_runs (RvSurfacesPage *self)
{
  rv_surface_model_clear_runs (self->model);
  rv_curve_set_clear (self->loss_curves);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      g_autofree char *name = describe_run (&run->config);
      GdkRGBA color;
      rv_surface_model_palette_color (r, &color);
      rv_surface_model_add_run (self->model, name, &color);
      run_color_for_chart (self, r, &color);
      rv_curve_set_add_series (self->loss_curves, name, &color, FALSE);
    }
  /* the inspector keeps its run where it can */
  guint chosen = gtk_drop_down_get_selected (self->inspector_run);
  GtkStringList *names = gtk_string_list_new (NULL);
  for (guint r = 0; r < self->runs->len; r++)
    gtk_string_list_append (names, rv_surface_model_get_run_name (self->model, r));
  self->updating = TRUE;
  gtk_drop_down_set_model (self->inspector_run, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->inspector_run, chosen < self->runs->len ? chosen : 0);
  self->updating = FALSE;
  g_object_unref (names);
  gtk_widget_set_sensitive (GTK_WIDGET (self->inspector_run), self->runs->len > 0);
  recompute (self);
  rebuild_rows (self);
}

static void
remove_run (GtkButton *button, RvSurfacesPage *self)
{
  guint r = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "run"));
  g_ptr_array_remove_index (self->runs, r);
  rebuild_runs (self);
}

static void
start_changed (RvSurfacesPage *self)
{
  if (self->updating)
    return;
  recompute (self);
  update_stability (self);
}

static void
start_dragged (RvSurfacesPage *self, double w1, double w2)
{
  rv_surfaces_page_set_start (self, w1, w2);
}

/* The chooser's last entry, after the named surfaces: "Custom formula…". */
static guint
custom_index (void)
{
  guint n = 0;
  rv_surface_list (&n);
  return n;
}

/* Shows the surface in the model, from its default start, keeping the runs. */
static void
show_surface (RvSurfacesPage *self, const RvSurface *s)
{
  guint n = 0;
  const RvSurface *all = rv_surface_list (&n);
  self->current = s;
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->surface, s->expr != NULL ? custom_index () : (guint) (s - all));
  gtk_spin_button_set_value (self->start_w1, s->start[0]);
  gtk_spin_button_set_value (self->start_w2, s->start[1]);
  self->updating = FALSE;
  gtk_widget_set_visible (self->custom_box, s->expr != NULL);
  g_autofree char *formula = g_strdup_printf ("f(w₁, w₂) = %s", s->formula);
  gtk_label_set_label (self->formula, formula);
  rv_surface_model_set_surface (self->model, s, 100);
  /* surfaces with a huge dynamic range read better in log colours */
  gtk_check_button_set_active (self->log_color, g_str_equal (s->name, "rosenbrock") || g_str_equal (s->name, "beale"));
  recompute (self);
  update_stability (self);
}

/* The entry's look: an error style and a message under it, or neither. */
static void
show_formula_error (RvSurfacesPage *self, const char *message)
{
  if (message != NULL)
    {
      /* Translators: %s says where and what, e.g. "column 7: expected ')'" */
      g_autofree char *text = g_strdup_printf (_("Not a formula: %s"), message);
      gtk_label_set_label (self->formula_error, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->formula_entry), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->formula_entry), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->formula_error), message != NULL);
}

gboolean
rv_surfaces_page_set_formula (RvSurfacesPage *self, const char *formula, GError **error)
{
  g_return_val_if_fail (RV_IS_SURFACES_PAGE (self) && formula != NULL, FALSE);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->formula_entry)), formula) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->formula_entry), formula);
  g_autoptr (GError) local = NULL;
  RvSurface *s = rv_surface_new_from_expr (formula, NULL, &local);
  gtk_widget_set_visible (self->custom_box, TRUE);
  if (s == NULL)
    {
      /* the surface shown stays */
      show_formula_error (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  show_formula_error (self, NULL);
  /* the new one is shown before the old one goes, so the model never holds a
   * freed surface (and the views see a new address) */
  show_surface (self, s);
  g_clear_pointer (&self->typed, rv_surface_free);
  self->typed = s;
  return TRUE;
}

static void
formula_activated (RvSurfacesPage *self)
{
  rv_surfaces_page_set_formula (self, gtk_editable_get_text (GTK_EDITABLE (self->formula_entry)), NULL);
}

static void
surface_selected (RvSurfacesPage *self)
{
  if (self->updating)
    return;
  guint n = 0;
  const RvSurface *all = rv_surface_list (&n);
  guint i = gtk_drop_down_get_selected (self->surface);
  if (i < n)
    {
      rv_surfaces_page_set_surface (self, all[i].name);
      return;
    }
  /* "Custom formula…": the last one typed comes back; the first time, the
   * entry waits for one and the surface shown stays */
  gtk_widget_set_visible (self->custom_box, TRUE);
  if (self->typed != NULL)
    show_surface (self, self->typed);
  gtk_widget_grab_focus (GTK_WIDGET (self->formula_entry));
}

static void
optimizer_selected (RvSurfacesPage *self)
{
  RvOptimKind kind = (RvOptimKind) gtk_drop_down_get_selected (self->optimizer);
  gboolean momentum = rv_optim_kind_uses (kind, "momentum");
  gtk_widget_set_visible (GTK_WIDGET (self->momentum), momentum);
  gtk_widget_set_visible (self->momentum_label, momentum);
  update_stability (self);
}

static void
add_run_clicked (RvSurfacesPage *self)
{
  RvOptimConfig c;
  new_run_config (self, &c);
  rv_surfaces_page_add_run (self, &c);
}

static gboolean
animate (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  RvSurfacesPage *self = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double dt = self->last_frame_us ? (now - self->last_frame_us) / 1e6 : 0.0;
  self->last_frame_us = now;
  self->revealed += dt * gtk_range_get_value (GTK_RANGE (self->speed));
  guint n = (guint) self->revealed;
  if (n != rv_surface_model_get_revealed (self->model))
    {
      rv_surface_model_set_revealed (self->model, MIN (n, steps_wanted (self)));
      update_loss_chart (self);
    }
  if (n >= steps_wanted (self))
    {
      rv_surfaces_page_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
rv_surfaces_page_set_playing (RvSurfacesPage *self, gboolean playing)
{
  if (playing && self->tick_id == 0)
    {
      if (rv_surface_model_get_revealed (self->model) >= steps_wanted (self))
        set_revealed (self, 0);
      self->revealed = rv_surface_model_get_revealed (self->model);
      self->last_frame_us = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), animate, self, NULL);
    }
  else if (!playing && self->tick_id)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  else if (!playing)
    self->tick_id = 0;
  gtk_button_set_icon_name (self->play, self->tick_id ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
}

gboolean
rv_surfaces_page_get_playing (RvSurfacesPage *self)
{
  return self->tick_id != 0;
}

static void
play_clicked (RvSurfacesPage *self)
{
  rv_surfaces_page_set_playing (self, self->tick_id == 0);
}

void
rv_surfaces_page_step (RvSurfacesPage *self)
{
  rv_surfaces_page_set_playing (self, FALSE);
  set_revealed (self, rv_surface_model_get_revealed (self->model) + 1);
}

void
rv_surfaces_page_reset (RvSurfacesPage *self)
{
  rv_surfaces_page_set_playing (self, FALSE);
  set_revealed (self, 0);
}

void
rv_surfaces_page_show_steps (RvSurfacesPage *self, guint n)
{
  set_revealed (self, n);
}

void
rv_surfaces_page_set_surface (RvSurfacesPage *self, const char *name)
{
  const RvSurface *s = rv_surface_lookup (name);
  g_return_if_fail (s != NULL);
  show_formula_error (self, NULL);
  show_surface (self, s);
}

guint
rv_surfaces_page_add_run (RvSurfacesPage *self, const RvOptimConfig *config)
{
  Run *run = g_new0 (Run, 1);
  run->config = *config;
  g_ptr_array_add (self->runs, run);
  rebuild_runs (self);
  return self->runs->len - 1;
}

/* After a hyper-parameter changed: the run again, and its names (which
 * say lr and β) without rebuilding the row in use. */
static void
run_changed (RvSurfacesPage *self, guint r)
{
  Run *run = g_ptr_array_index (self->runs, r);
  g_autofree char *name = describe_run (&run->config);
  recompute (self);
  GdkRGBA color;
  run_color_for_chart (self, r, &color);
  g_autofree char *markup = rv_label_swatch_markup (&color, name);
  gtk_label_set_markup (GTK_LABEL (run->name_label), markup);
  rv_curve_set_set_name (self->loss_curves, r, name);
  rv_surface_model_set_run_name (self->model, r, name);
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (self->inspector_run));
  guint chosen = gtk_drop_down_get_selected (self->inspector_run);
  self->updating = TRUE;
  gtk_string_list_splice (names, r, 1, (const char *const[]) { name, NULL });
  gtk_drop_down_set_selected (self->inspector_run, chosen);
  self->updating = FALSE;
  update_inspector (self);
}

void
rv_surfaces_page_set_run_lr (RvSurfacesPage *self, guint r, double lr)
{
  g_return_if_fail (r < self->runs->len);
  Run *run = g_ptr_array_index (self->runs, r);
  if (run->config.lr == lr)
    return;
  run->config.lr = lr;
  run_changed (self, r);
  /* the slider follows a rate set by code, which keeps its exact value */
  self->updating = TRUE;
  if (lr_from_slider (gtk_range_get_value (GTK_RANGE (run->lr))) != lr)
    gtk_range_set_value (GTK_RANGE (run->lr), log10 (lr));
  self->updating = FALSE;
}

static double *
beta_slot (RvOptimConfig *c, gsize b)
{
  return b == 0 ? &c->momentum : b == 1 ? &c->beta1 : &c->beta2;
}

gboolean
rv_surfaces_page_set_run_beta (RvSurfacesPage *self, guint r, const char *param, double value)
{
  g_return_val_if_fail (r < self->runs->len && param != NULL, FALSE);
  Run *run = g_ptr_array_index (self->runs, r);
  for (gsize b = 0; b < G_N_ELEMENTS (beta_params); b++)
    if (g_str_equal (param, beta_params[b]))
      {
        if (!rv_optim_kind_uses (run->config.kind, param) || !(value >= 0 && value < 1))
          return FALSE;
        if (*beta_slot (&run->config, b) == value)
          return TRUE;
        *beta_slot (&run->config, b) = value;
        run_changed (self, r);
        self->updating = TRUE;
        if (gtk_range_get_value (GTK_RANGE (run->beta[b])) != value)
          gtk_range_set_value (GTK_RANGE (run->beta[b]), value);
        self->updating = FALSE;
        return TRUE;
      }
  return FALSE;
}

GtkRange *
rv_surfaces_page_get_run_lr_slider (RvSurfacesPage *self, guint r)
{
  g_return_val_if_fail (r < self->runs->len, NULL);
  return GTK_RANGE (((Run *) g_ptr_array_index (self->runs, r))->lr);
}

GtkRange *
rv_surfaces_page_get_run_beta_slider (RvSurfacesPage *self, guint r, const char *param)
{
  g_return_val_if_fail (r < self->runs->len && param != NULL, NULL);
  Run *run = g_ptr_array_index (self->runs, r);
  for (gsize b = 0; b < G_N_ELEMENTS (beta_params); b++)
    if (g_str_equal (param, beta_params[b]))
      return run->beta[b] ? GTK_RANGE (run->beta[b]) : NULL;
  return NULL;
}

void
rv_surfaces_page_set_inspector_run (RvSurfacesPage *self, guint r)
{
  g_return_if_fail (r < self->runs->len);
  gtk_drop_down_set_selected (self->inspector_run, r);
}

GtkLabel *
rv_surfaces_page_get_inspector_numbers (RvSurfacesPage *self)
{
  return self->inspector_numbers;
}

RvStabilityView *
rv_surfaces_page_get_stability (RvSurfacesPage *self)
{
  return self->stability;
}

void
rv_surfaces_page_show_stability (RvSurfacesPage *self, gboolean shown)
{
  gtk_expander_set_expanded (self->stability_expander, shown);
}

const RvStabilityGrid *
rv_surfaces_page_get_stability_grid (RvSurfacesPage *self, RvOptimConfig *base)
{
  if (base)
    *base = self->stability_base;
  return &self->stability_grid;
}

GtkRange *
rv_surfaces_page_get_step_slider (RvSurfacesPage *self)
{
  return GTK_RANGE (self->step_scale);
}

void
rv_surfaces_page_set_start (RvSurfacesPage *self, double w1, double w2)
{
  self->updating = TRUE;
  gtk_spin_button_set_value (self->start_w1, w1);
  gtk_spin_button_set_value (self->start_w2, w2);
  self->updating = FALSE;
  recompute (self);
  update_stability (self);
}

void
rv_surfaces_page_load_preset (RvSurfacesPage *self, RvSurfacesPreset preset)
{
  /* the tutorial's settings, 100 steps */
  static const struct { RvOptimKind kind; double lr[2]; } runs[] = {
    { RV_OPTIM_SGD, { 10, 0.5 } }, { RV_OPTIM_MOMENTUM, { 10, 1 } }, { RV_OPTIM_ADAM, { 1, 0.2 } },
  };
  rv_surfaces_page_set_playing (self, FALSE);
  /* a preset starts over, camera included, even on the surface shown */
  rv_surface_3d_reset_camera (self->view3d);
  g_ptr_array_set_size (self->runs, 0);
  gtk_spin_button_set_value (self->steps, 100);
  rv_surfaces_page_set_surface (self, preset == RV_SURFACES_PRESET_RAVINE ? "pathological" : "steep");
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      Run *run = g_new0 (Run, 1);
      rv_optim_config_init (&run->config, runs[i].kind);
      run->config.lr = runs[i].lr[preset == RV_SURFACES_PRESET_RAVINE ? 0 : 1];
      g_ptr_array_add (self->runs, run);
    }
  rebuild_runs (self);
  set_revealed (self, 0);
}

const char *
rv_surfaces_page_get_run_status (RvSurfacesPage *self, guint run)
{
  return ((Run *) g_ptr_array_index (self->runs, run))->status;
}

const RvOptimConfig *
rv_surfaces_page_get_run_config (RvSurfacesPage *self, guint run)
{
  return &((Run *) g_ptr_array_index (self->runs, run))->config;
}

RvSurfaceModel *
rv_surfaces_page_get_model (RvSurfacesPage *self)
{
  return self->model;
}

GtkEntry *
rv_surfaces_page_get_formula_entry (RvSurfacesPage *self)
{
  return self->formula_entry;
}

GtkLabel *
rv_surfaces_page_get_formula_error (RvSurfacesPage *self)
{
  return self->formula_error;
}

RvSurfaceMap *
rv_surfaces_page_get_map (RvSurfacesPage *self)
{
  return self->map;
}

RvCurveView *
rv_surfaces_page_get_loss_view (RvSurfacesPage *self)
{
  return self->loss_view;
}

GtkCheckButton *
rv_surfaces_page_get_loss_log (RvSurfacesPage *self)
{
  return self->loss_log;
}

RvSurface3d *
rv_surfaces_page_get_3d (RvSurfacesPage *self)
{
  return self->view3d;
}

AdwFlap *
rv_surfaces_page_get_flap (RvSurfacesPage *self)
{
  /* the template's root (not bound: AdwBin unparents its own child) */
  return ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
}

GtkOrientation
rv_surfaces_page_get_views_orientation (RvSurfacesPage *self)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->views));
}

GtkWidget *
rv_surfaces_page_get_loss_placeholder (RvSurfacesPage *self)
{
  return self->loss_placeholder;
}

/* --- layout ---------------------------------------------------------------- */

static int
natural_height (GtkWidget *widget, int width)
{
  int nat = 0;
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, NULL, &nat, NULL, NULL);
  return nat;
}

/* The map and the 3-D view side by side, or one above the other, whichever
 * gives each the larger square: side by side when the room for them is at
 * least as wide as it is high.  So a 1024 × 600 screen keeps both in view
 * without scrolling, and only a tall, narrow page stacks them. */
static void
choose_views_orientation (RvSurfacesPage *self, int width, int height)
{
  AdwFlap *flap = rv_surfaces_page_get_flap (self);
  GtkWidget *controls = adw_flap_get_flap (flap);
  int w = width, h = height;
  if (controls && !adw_flap_get_folded (flap) && adw_flap_get_reveal_flap (flap))
    {
      /* beside the content the controls keep their minimum width */
      int controls_width = 0;
      gtk_widget_measure (controls, GTK_ORIENTATION_HORIZONTAL, -1, &controls_width, NULL, NULL, NULL);
      w -= controls_width;
    }
  /* what the rows above and below take: the toolbar and the loss chart */
  GtkWidget *column = gtk_widget_get_parent (GTK_WIDGET (self->views));
  for (GtkWidget *row = gtk_widget_get_first_child (column); row; row = gtk_widget_get_next_sibling (row))
    if (row != GTK_WIDGET (self->views))
      h -= natural_height (row, w) + gtk_box_get_spacing (GTK_BOX (column));
  h -= gtk_widget_get_margin_top (column) + gtk_widget_get_margin_bottom (column);
  w -= gtk_widget_get_margin_start (column) + gtk_widget_get_margin_end (column);
  GtkOrientation want = w >= h ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->views)) != want)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->views), want);
}

static void
page_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
              int *minimum_baseline, int *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  *minimum = *natural = 0;
  if (child && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
page_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  /* before the children measure themselves for this allocation */
  choose_views_orientation (RV_SURFACES_PAGE (widget), width, height);
  if (child && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

gboolean
rv_surfaces_page_export_view (RvSurfacesPage *self, const char *which, const char *path, GError **error)
{
  if (g_strcmp0 (which, "map") == 0)
    return rv_chart_export (RV_CHART (self->map), path, 800, 700, 1.0, error);
  if (g_strcmp0 (which, "3d") == 0)
    return rv_chart_export (RV_CHART (self->view3d), path, 800, 700, 1.0, error);
  return rv_chart_export (RV_CHART (self->loss_view), path, 900, 400, 1.0, error);
}

static char *
trajectories_json (RvSurfacesPage *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      guint n = 0;
      const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (self->model, r, &n);
      g_autofree char *name = describe_run (&run->config);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "surface");
      json_builder_add_string_value (b, self->current->name);
      if (self->current->expr != NULL)
        {
          json_builder_set_member_name (b, "expr");
          json_builder_add_string_value (b, self->current->formula);
        }
      json_builder_set_member_name (b, "optimizer");
      json_builder_add_value (b, rv_optim_config_to_json (&run->config));
      json_builder_set_member_name (b, "start");
      json_builder_begin_array (b);
      json_builder_add_double_value (b, gtk_spin_button_get_value (self->start_w1));
      json_builder_add_double_value (b, gtk_spin_button_get_value (self->start_w2));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "steps");
      json_builder_add_int_value (b, steps_wanted (self));
      const char *why = NULL;
      if (rv_surface_model_get_run_diverged (self->model, r, &why))
        {
          json_builder_set_member_name (b, "diverged_at");
          json_builder_add_int_value (b, n);
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, why ? why : "");
        }
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          json_builder_begin_array (b);
          json_builder_add_double_value (b, pts[i].w1);
          json_builder_add_double_value (b, pts[i].w2);
          json_builder_add_double_value (b, pts[i].loss);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return rv_json_to_string (root, FALSE);
}

static char *
trajectories_csv (RvSurfacesPage *self)
{
  GString *out = g_string_new ("run,name,step,w1,w2,loss\n");
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      g_autofree char *name = describe_run (&run->config);
      g_strdelimit (name, ",\"", ' ');
      guint n = 0;
      const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (self->model, r, &n);
      for (guint i = 0; i < n; i++)
        {
          char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (out, "%u,%s,%u,%s,%s,%s\n", r, name, i, g_ascii_dtostr (a, sizeof a, pts[i].w1),
                                  g_ascii_dtostr (b, sizeof b, pts[i].w2), g_ascii_dtostr (c, sizeof c, pts[i].loss));
        }
    }
  return g_string_free (out, FALSE);
}

gboolean
rv_surfaces_page_export_trajectories (RvSurfacesPage *self, const char *path, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *text = NULL;
  if (g_str_has_suffix (lower, ".json"))
    text = trajectories_json (self);
  else if (g_str_has_suffix (lower, ".csv"))
    text = trajectories_csv (self);
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("%s: trajectories are exported as .json or .csv"), base);
      return FALSE;
    }
  return rv_atomic_file_write (path, text, strlen (text), error);
}

/* --- export through a file chooser ---------------------------------------- */

static void
export_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvSurfacesPage *self = user_data;
  const char *which = g_object_get_data (G_OBJECT (chooser), "which");
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      gboolean ok = g_str_equal (which, "trajectories") ? rv_surfaces_page_export_trajectories (self, path, &error)
                                                         : rv_surfaces_page_export_view (self, which, path, &error);
      if (!ok)
        rv_error_dialog_show (GTK_WIDGET (self), _("Export failed"), error);
    }
  g_object_unref (chooser);
}

static void
choose_export (RvSurfacesPage *self, const char *which, const char *name)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "which", (gpointer) which);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  RvSurfacesPage *self = RV_SURFACES_PAGE (widget);
  if (g_str_equal (action, "surfaces.export-map"))
    choose_export (self, "map", "surface-map.png");
  else if (g_str_equal (action, "surfaces.export-3d"))
    choose_export (self, "3d", "surface-3d.png");
  else
    choose_export (self, "trajectories", "trajectories.json");
}

static void
ravine_preset_clicked (RvSurfacesPage *self)
{
  rv_surfaces_page_load_preset (self, RV_SURFACES_PRESET_RAVINE);
}

static void
steep_preset_clicked (RvSurfacesPage *self)
{
  rv_surfaces_page_load_preset (self, RV_SURFACES_PRESET_STEEP);
}

static void
options_toggled (RvSurfacesPage *self)
{
  gboolean log_color = gtk_check_button_get_active (self->log_color);
  rv_surface_map_set_log_color (self->map, log_color);
  rv_surface_3d_set_log_color (self->view3d, log_color);
  rv_surface_map_set_show_contours (self->map, gtk_check_button_get_active (self->contours));
  rv_surface_map_set_show_gradient_field (self->map, gtk_check_button_get_active (self->arrows));
}

/* The heat map shows the runs' whole race, or the surface's range. */
static void
map_range_selected (RvSurfacesPage *self)
{
  gboolean fit_runs = gtk_drop_down_get_selected (self->map_range) == 0;
  rv_surface_map_set_fit_runs (self->map, fit_runs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->map_fit), fit_runs ? _("Fit the runs (Ctrl+0)")
                                                                    : _("Show the surface's range (Ctrl+0)"));
}

static void
fit_map_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  rv_surface_map_fit (RV_SURFACES_PAGE (widget)->map);
}

static void
rv_surfaces_page_dispose (GObject *object)
{
  RvSurfacesPage *self = RV_SURFACES_PAGE (object);
  rv_surfaces_page_set_playing (self, FALSE);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_SURFACES_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->loss_curves);
  g_clear_pointer (&self->typed, rv_surface_free);
  G_OBJECT_CLASS (rv_surfaces_page_parent_class)->dispose (object);
}

static void
rv_surfaces_page_class_init (RvSurfacesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = rv_surfaces_page_dispose;
  g_type_ensure (RV_TYPE_SURFACE_MAP);
  g_type_ensure (RV_TYPE_SURFACE_3D);
  g_type_ensure (RV_TYPE_CURVE_VIEW);
  g_type_ensure (RV_TYPE_STABILITY_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-surfaces-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RvSurfacesPage, name)
  BIND (surface); BIND (optimizer); BIND (formula); BIND (step_label); BIND (start_w1); BIND (start_w2);
  BIND (steps); BIND (lr); BIND (momentum); BIND (momentum_label); BIND (preset_ravine); BIND (preset_steep);
  BIND (add_run); BIND (play); BIND (step); BIND (reset); BIND (runs_list); BIND (log_color); BIND (contours);
  BIND (arrows); BIND (speed); BIND (map_range); BIND (map_fit); BIND (map); BIND (view3d); BIND (loss_view);
  BIND (reset_view); BIND (loss_log); BIND (loss_placeholder); BIND (views);
  BIND (custom_box); BIND (formula_entry); BIND (formula_apply); BIND (formula_error);
  BIND (step_scale); BIND (arrows_caption); BIND (inspector); BIND (inspector_toggle); BIND (inspector_run);
  BIND (inspector_rule); BIND (inspector_numbers); BIND (stability_expander); BIND (stability_note);
  BIND (stability);
#undef BIND
  gtk_widget_class_bind_template_child_full (widget_class, "form", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "export", FALSE, 0);
  gtk_widget_class_install_action (widget_class, "surfaces.export-map", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "surfaces.export-3d", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "surfaces.export-trajectories", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "surfaces.fit-map", NULL, fit_map_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "surfaces.fit-map", NULL);
}

static void
rv_surfaces_page_init (RvSurfacesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), gtk_custom_layout_new (NULL, page_measure, page_allocate));
  self->runs = g_ptr_array_new_with_free_func (run_free);
  self->model = rv_surface_model_new ();
  self->loss_curves = rv_curve_set_new ();
  rv_chart_set_model (RV_CHART (self->map), self->model);
  rv_surface_3d_set_model (self->view3d, self->model);
  rv_chart_set_model (RV_CHART (self->loss_view), self->loss_curves);
  rv_curve_view_set_title (self->loss_view, _("Loss per step"));
  rv_curve_view_set_x_title (self->loss_view, _("step"));
  rv_curve_view_set_y_title (self->loss_view, _("loss"));
  rv_curve_view_set_x_integer (self->loss_view, TRUE);
  g_object_bind_property (self->loss_log, "active", self->loss_view, "log-y",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  /* on a log axis the range leaves out losses <= 0 */
  g_signal_connect_swapped (self->loss_view, "notify::log-y", G_CALLBACK (update_loss_axes), self);

  guint n = 0;
  const RvSurface *all = rv_surface_list (&n);
  GtkStringList *names = gtk_string_list_new (NULL);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, rv_label_surface (&all[i]));
  gtk_string_list_append (names, _("Custom formula…"));
  gtk_drop_down_set_model (self->surface, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->optimizer, rv_labels_optimizers ());
  gtk_drop_down_set_selected (self->optimizer, RV_OPTIM_ADAM);
  optimizer_selected (self);

  g_signal_connect_swapped (self->surface, "notify::selected", G_CALLBACK (surface_selected), self);
  g_signal_connect_swapped (self->optimizer, "notify::selected", G_CALLBACK (optimizer_selected), self);
  g_signal_connect_swapped (self->formula_entry, "activate", G_CALLBACK (formula_activated), self);
  g_signal_connect_swapped (self->formula_apply, "clicked", G_CALLBACK (formula_activated), self);
  g_signal_connect_swapped (self->start_w1, "value-changed", G_CALLBACK (start_changed), self);
  g_signal_connect_swapped (self->start_w2, "value-changed", G_CALLBACK (start_changed), self);
  g_signal_connect_swapped (self->steps, "value-changed", G_CALLBACK (start_changed), self);
  g_signal_connect_swapped (self->map, "start-dragged", G_CALLBACK (start_dragged), self);
  g_signal_connect_swapped (self->add_run, "clicked", G_CALLBACK (add_run_clicked), self);
  g_signal_connect_swapped (self->preset_ravine, "clicked", G_CALLBACK (ravine_preset_clicked), self);
  g_signal_connect_swapped (self->preset_steep, "clicked", G_CALLBACK (steep_preset_clicked), self);
  g_signal_connect_swapped (self->play, "clicked", G_CALLBACK (play_clicked), self);
  g_signal_connect_swapped (self->step, "clicked", G_CALLBACK (rv_surfaces_page_step), self);
  g_signal_connect_swapped (self->reset, "clicked", G_CALLBACK (rv_surfaces_page_reset), self);
  g_signal_connect_swapped (self->reset_view, "clicked", G_CALLBACK (rv_surface_3d_reset_camera), self->view3d);
  g_signal_connect_swapped (self->log_color, "toggled", G_CALLBACK (options_toggled), self);
  g_signal_connect_swapped (self->contours, "toggled", G_CALLBACK (options_toggled), self);
  g_signal_connect_swapped (self->arrows, "toggled", G_CALLBACK (options_toggled), self);
  g_signal_connect_swapped (self->map_range, "notify::selected", G_CALLBACK (map_range_selected), self);
  g_signal_connect_swapped (self->step_scale, "value-changed", G_CALLBACK (step_scrubbed), self);
  g_signal_connect_swapped (self->stability_expander, "notify::expanded", G_CALLBACK (update_stability), self);
  g_signal_connect_swapped (self->stability, "cell-activated", G_CALLBACK (stability_cell_activated), self);
  g_signal_connect_swapped (self->momentum, "value-changed", G_CALLBACK (update_stability), self);
  g_signal_connect_swapped (self->inspector_toggle, "toggled", G_CALLBACK (inspector_changed), self);
  g_signal_connect_swapped (self->inspector_run, "notify::selected", G_CALLBACK (inspector_changed), self);
  options_toggled (self);
  rv_surfaces_page_load_preset (self, RV_SURFACES_PRESET_RAVINE);
}

/* --- setups ----------------------------------------------------------------- */

void
rv_surfaces_page_get_setup (RvSurfacesPage *self, RvSetupSurfaces *out)
{
  g_clear_pointer (&out->surface, g_free);
  g_clear_pointer (&out->surface_expr, g_free);
  if (g_strcmp0 (self->current->name, RV_SURFACE_EXPR_NAME) == 0)
    out->surface_expr = g_strdup (self->current->formula);
  else
    out->surface = g_strdup (self->current->name);
  out->start[0] = gtk_spin_button_get_value (self->start_w1);
  out->start[1] = gtk_spin_button_get_value (self->start_w2);
  out->steps = (guint) gtk_spin_button_get_value_as_int (self->steps);
  g_array_set_size (out->runs, 0);
  for (guint r = 0; r < self->runs->len; r++)
    g_array_append_val (out->runs, ((Run *) g_ptr_array_index (self->runs, r))->config);
  /* a view that fits the runs is left to fit them again */
  out->has_view = !rv_surface_map_get_view_fitted (self->map);
  if (out->has_view)
    rv_surface_map_get_view (self->map, &out->view[0], &out->view[1], &out->view[2], &out->view[3]);
}

gboolean
rv_surfaces_page_apply_setup (RvSurfacesPage *self, const RvSetupSurfaces *setup, GError **error)
{
  /* the one part that can fail first, so that nothing is half applied */
  if (setup->surface_expr && !rv_surfaces_page_set_formula (self, setup->surface_expr, error))
    return FALSE;
  if (setup->surface_expr == NULL && rv_surface_lookup (setup->surface) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown surface “%s”"), setup->surface);
      return FALSE;
    }
  rv_surfaces_page_set_playing (self, FALSE);
  g_ptr_array_set_size (self->runs, 0);
  if (setup->surface_expr == NULL)
    rv_surfaces_page_set_surface (self, setup->surface);
  self->updating = TRUE;
  gtk_spin_button_set_value (self->steps, setup->steps);
  self->updating = FALSE;
  for (guint r = 0; r < setup->runs->len; r++)
    {
      Run *run = g_new0 (Run, 1);
      run->config = g_array_index (setup->runs, RvOptimConfig, r);
      g_ptr_array_add (self->runs, run);
    }
  rebuild_runs (self);
  rv_surfaces_page_set_start (self, setup->start[0], setup->start[1]);
  set_revealed (self, 0);
  if (setup->has_view)
    rv_surface_map_set_view (self->map, setup->view[0], setup->view[1], setup->view[2], setup->view[3]);
  else
    rv_surface_map_fit (self->map);
  return TRUE;
}
