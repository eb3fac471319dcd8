/* rv-init-page.c: controls → probe request → worker → histograms.
 *
 * Every change of a control asks the worker for a probe; the worker computes
 * only the latest of a burst.  Results are drained once per frame by a tick
 * callback on the window, so the page never waits on computation. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-atomic-file.h"
#include "rv-curve-view.h"
#include "rv-error-dialog.h"
#include "rv-histogram-grid.h"
#include "rv-init-page.h"
#include "rv-wakeup.h"
#include "rv-json.h"
#include "rv-labels.h"
#include "rv-size-check.h"
#include "rv-plot.h"
#include "rv-plot-export.h"
#include "rv-worker.h"

struct _RvInitPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *activation;
  GtkDropDown *initializer;
  GtkLabel *value_label;
  GtkLabel *formula_card;
  GtkSpinButton *value;
  GtkScale *value_scale;     /* the same value, dragged: log for σ, linear for a fill */
  GtkEntry *hidden;
  GtkLabel *hidden_error;
  GtkSpinButton *batch;
  GtkSpinButton *seed;
  GtkLabel *data_label;
  GtkLabel *summary;
  GtkToggleButton *show_weights, *show_gradients, *show_activations, *show_post, *show_depth;
  GtkCheckButton *kde, *density, *log_y, *shared_x;
  GtkMenuButton *display;
  GtkStack *views;
  RvHistogramGrid *weights_grid, *gradients_grid, *activations_grid, *post_grid;
  RvCurveView *depth_view;
  GtkLabel *status;
  GtkWidget *model_box;      /* shown while a loaded model is */
  GtkLabel *model_label;
  RvCurveSet *depth_curves;

  char *weights_path;        /* the model file the page shows, or NULL for initializers */

  GSettings *settings;
  RvWorker *worker;
  GPtrArray *retired;        /* RvWorker *: replaced, kept for their data */
  GSource *wakeup;           /* drains the worker's events when they arrive */
  gboolean restoring;        /* controls are being set from settings */
  gboolean syncing_value;    /* the spin button and the scale are being set from each other */
  gboolean value_dragged;    /* the pointer holds the scale */
  gboolean preview_asked;    /* the last request was a preview: the full probe is owed */
  guint settle_source;       /* asks for the full probe once the scale rests */

  guint64 requested_serial, shown_serial;
  RvProbeConfig shown_config;
  RvEvent *shown;            /* the latest probe result, or NULL */
  GPtrArray *histograms[RV_PROBE_N_KINDS];  /* RvHistogram per layer */

  GtkMenuButton *pins_button;
  GPtrArray *pins;           /* Pin *, oldest first: the depth chart's comparisons */
  int overlay;               /* the pin drawn over the histograms as B, or -1 */
  GtkLabel *overlay_legend;
  guint64 stale_through;     /* results up to this serial are not shown: a dropped pin's */

  gboolean data_known, synthetic;
  char *data_source, *data_note;
};

G_DEFINE_FINAL_TYPE (RvInitPage, rv_init_page, ADW_TYPE_BIN)

/* A configuration kept on the depth chart, dashed, with its network so
 * that a setup can hold it. */
typedef struct
{
  char *label;
  RvProbeConfig config;
  gboolean model;            /* a loaded model's, which no setup holds */
  gboolean pending;          /* from a setup: not probed yet */
  guint64 serial;            /* the probe re-creating it, once asked for */
  uint32_t n_layers;
  double act[RV_MAX_LINEAR], grad[RV_MAX_LINEAR];
  GPtrArray *histograms[RV_PROBE_N_KINDS];  /* RvHistogram per layer, for the A/B overlay */
} Pin;

static void
pin_free (gpointer data)
{
  Pin *pin = data;
  g_free (pin->label);
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    g_clear_pointer (&pin->histograms[k], g_ptr_array_unref);
  g_free (pin);
}

enum { PROP_0, PROP_OVERLAY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void apply_overlay (RvInitPage *self);

static void update_pins_menu (RvInitPage *self);

enum { SIGNAL_DATA_CHANGED, SIGNAL_RESULT_SHOWN, N_SIGNALS };
static guint signals[N_SIGNALS];

static RvHistogramGrid *
grid_for (RvInitPage *self, RvProbeKind kind)
{
  return kind == RV_PROBE_WEIGHT ? self->weights_grid
         : kind == RV_PROBE_GRADIENT ? self->gradients_grid
         : kind == RV_PROBE_POST_ACTIVATION ? self->post_grid : self->activations_grid;
}

/* The status line ellipsizes on a narrow page: the whole of it in the tooltip. */
/* What an exported grid is titled. */
static const char *
grid_heading (RvProbeKind kind)
{
  switch (kind)
    {
    case RV_PROBE_WEIGHT: return _("Weight distribution");
    case RV_PROBE_GRADIENT: return _("Gradient distribution");
    case RV_PROBE_ACTIVATION: return _("Activation distribution");
    default: return _("Post-activation distribution f(z)");
    }
}

static void
set_status (RvInitPage *self, const char *text)
{
  gtk_label_set_label (self->status, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status), text);
}

/* Reads the controls; FALSE (with the error shown inline) when the hidden
 * sizes do not parse. */
static gboolean
read_config (RvInitPage *self, RvProbeConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  rv_probe_config_init_default (cfg);
  cfg->net.act = (RvActivation) MIN (gtk_drop_down_get_selected (self->activation), RV_ACT_COUNT - 1);
  cfg->init.kind = (RvInitKind) MIN (gtk_drop_down_get_selected (self->initializer), RV_INIT_COUNT - 1);
  cfg->init.value = rv_init_kind_takes_value (cfg->init.kind) ? (float) gtk_spin_button_get_value (self->value) : 0.0f;
  cfg->batch = (uint32_t) gtk_spin_button_get_value_as_int (self->batch);
  cfg->seed = (uint64_t) gtk_spin_button_get_value_as_int (self->seed);

  /* An empty list would be a valid 784-10 network, but here it is almost
   * always a field being retyped: wait for a width. */
  const char *hidden = gtk_editable_get_text (GTK_EDITABLE (self->hidden));
  gboolean ok = rv_net_config_parse_hidden (&cfg->net, hidden, &error)
                && rv_size_check_network (&cfg->net, cfg->batch, &error);
  if (ok && cfg->net.n_linear < 2)
    {
      ok = FALSE;
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Enter at least one layer width, such as 512,256,256,128"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hidden_error), !ok);
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hidden), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->hidden), GTK_ACCESSIBLE_STATE_INVALID);
    }
  else
    {
      gtk_label_set_label (self->hidden_error, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->hidden), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->hidden), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  return ok;
}

/* The scale's range: log10 σ from 1e-4 to 10 for a standard deviation; a
 * fill value, which may be 0 or negative, linearly over the spin button's
 * range. */
#define SCALE_LOG_LO (-4.0)
#define SCALE_LOG_HI 1.0

static gboolean
value_scale_is_log (RvInitPage *self)
{
  return gtk_drop_down_get_selected (self->initializer) != RV_INIT_CONST;
}

/* Puts the spin button's value on the scale (and in its accessible value,
 * which would otherwise read out a logarithm). */
static void
sync_scale_from_spin (RvInitPage *self)
{
  GtkAdjustment *spin = gtk_spin_button_get_adjustment (self->value);
  GtkAdjustment *scale = gtk_range_get_adjustment (GTK_RANGE (self->value_scale));
  double v = gtk_adjustment_get_value (spin);
  gboolean log_scale = value_scale_is_log (self);
  self->syncing_value = TRUE;
  if (log_scale)
    gtk_adjustment_configure (scale, CLAMP (log10 (MAX (v, 1e-300)), SCALE_LOG_LO, SCALE_LOG_HI),
                              SCALE_LOG_LO, SCALE_LOG_HI, 0.02, 0.2, 0.0);
  else
    gtk_adjustment_configure (scale, v, gtk_adjustment_get_lower (spin), gtk_adjustment_get_upper (spin),
                              0.01, 0.1, 0.0);
  self->syncing_value = FALSE;
  g_autofree char *text = rv_plot_format_number ("%.4g", v);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_scale), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

/* The value control is a fill for "const", a std for "normal", else hidden. */
static void
update_value_control (RvInitPage *self)
{
  RvInitKind kind = (RvInitKind) gtk_drop_down_get_selected (self->initializer);
  gboolean takes = rv_init_kind_takes_value (kind);
  gtk_widget_set_visible (GTK_WIDGET (self->value), takes);
  gtk_widget_set_visible (GTK_WIDGET (self->value_scale), takes);
  gtk_widget_set_visible (GTK_WIDGET (self->value_label), takes);
  gtk_label_set_text_with_mnemonic (self->value_label, kind == RV_INIT_CONST ? _("Fill _value") : _("Standard de_viation"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind == RV_INIT_CONST ? _("Fill value") : _("Standard deviation, on a log scale"), -1);
  gtk_adjustment_set_lower (gtk_spin_button_get_adjustment (self->value), kind == RV_INIT_NORMAL ? 0.0 : -10.0);
  sync_scale_from_spin (self);
}

static void
save_settings (RvInitPage *self, const RvProbeConfig *cfg)
{
  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "init-activation", rv_activation_name (cfg->net.act));
  g_settings_set_string (self->settings, "init-initializer", rv_init_kind_name (cfg->init.kind));
  g_settings_set_double (self->settings, "init-value", gtk_spin_button_get_value (self->value));
  g_settings_set_string (self->settings, "init-hidden", gtk_editable_get_text (GTK_EDITABLE (self->hidden)));
  g_settings_set_int (self->settings, "init-batch", (int) cfg->batch);
  g_settings_set_int (self->settings, "init-seed", (int) cfg->seed);
}

/* The chosen initializer's rule, and the σ it gives each layer:
 * "Kaiming (normal): W ~ N(0, 2/fan_in) … Layer 2 (512 → 256): σ = √2/√512 = 0.0625". */
static void
update_formula_card (RvInitPage *self, const RvProbeConfig *cfg)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_string_append_printf (text, "%s: %s", rv_label_init (cfg->init.kind), rv_label_init_formula (cfg->init.kind));
  for (uint32_t l = 0; l < cfg->net.n_linear; l++)
    {
      double sigma = rv_init_weight_std (&cfg->init, cfg->net.act, l, cfg->net.sizes[l], cfg->net.sizes[l + 1]);
      if (isnan (sigma))
        break;
      g_autofree char *layer = rv_label_layer_sizes (l, cfg->net.sizes[l], cfg->net.sizes[l + 1]);
      g_autofree char *value = rv_plot_format_number ("%.4g", sigma);
      /* Translators: a layer and the standard deviation of its weights */
      g_string_append_printf (text, _("\n%s: σ = %s"), layer, value);
    }
  gtk_label_set_label (self->formula_card, text->str);
}

double
rv_init_page_get_formula_sigma (RvInitPage *self, uint32_t l)
{
  RvProbeConfig cfg;
  if (!read_config (self, &cfg) || l >= cfg.net.n_linear)
    return NAN;
  return rv_init_weight_std (&cfg.init, cfg.net.act, l, cfg.net.sizes[l], cfg.net.sizes[l + 1]);
}

GtkLabel *
rv_init_page_get_formula_card (RvInitPage *self)
{
  return self->formula_card;
}

static void
request_probe (RvInitPage *self)
{
  RvProbeConfig cfg;
  update_value_control (self);
  if (self->restoring || self->worker == NULL)
    return;
  /* A loaded model has its own layers: the hidden sizes do not matter. */
  gboolean config_ok = read_config (self, &cfg);
  /* a loaded model was not drawn by any initializer */
  gtk_widget_set_visible (GTK_WIDGET (self->formula_card), self->weights_path == NULL && config_ok);
  if (config_ok && self->weights_path == NULL)
    update_formula_card (self, &cfg);
  /* The worker computes only the latest of a burst: pins from a setup are
   * probed one at a time, the controls' configuration after them. */
  for (guint i = 0; i < self->pins->len; i++)
    {
      Pin *pin = g_ptr_array_index (self->pins, i);
      if (!pin->pending)
        continue;
      if (pin->serial == 0)
        pin->serial = rv_worker_probe (self->worker, &pin->config);
      self->requested_serial = pin->serial;
      set_status (self, _("Computing…"));
      return;
    }
  if (!config_ok && self->weights_path == NULL)
    return;
  save_settings (self, &cfg);
  self->preview_asked = FALSE;
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->requested_serial = self->weights_path ? rv_worker_probe_weights (self->worker, &cfg, self->weights_path)
                                              : rv_worker_probe (self->worker, &cfg);
  set_status (self, _("Computing…"));
}

/* While the scale moves: a small, quick probe of the value it is at; the
 * full one follows when it is let go (request_full_after_drag). */
static void
request_preview (RvInitPage *self)
{
  RvProbeConfig cfg;
  gboolean pending_pin = FALSE;
  for (guint i = 0; i < self->pins->len; i++)
    pending_pin |= ((Pin *) g_ptr_array_index (self->pins, i))->pending;
  if (self->restoring || self->worker == NULL || self->weights_path || pending_pin)
    {
      request_probe (self);
      return;
    }
  if (!read_config (self, &cfg))
    return;
  update_formula_card (self, &cfg);
  self->requested_serial = rv_worker_probe_preview (self->worker, &cfg);
  self->preview_asked = TRUE;
}

static void
request_full_after_drag (RvInitPage *self)
{
  g_clear_handle_id (&self->settle_source, g_source_remove);
  if (self->preview_asked)
    request_probe (self);
}

static gboolean
value_scale_settled (gpointer user_data)
{
  RvInitPage *self = RV_INIT_PAGE (user_data);
  self->settle_source = 0;
  request_full_after_drag (self);
  return G_SOURCE_REMOVE;
}

/* The spin button's own changes (typed, its arrows, settings): the scale
 * follows and the full probe is asked for. */
static void
value_spin_changed (RvInitPage *self)
{
  if (self->syncing_value)
    return;
  sync_scale_from_spin (self);
  request_probe (self);
}

/* The scale's value, rounded as the spin button can show it: two
 * significant digits for σ (0.012, 0.35, 2.4), hundredths for a fill. */
static double
value_from_scale (RvInitPage *self)
{
  double s = gtk_range_get_value (GTK_RANGE (self->value_scale));
  if (!value_scale_is_log (self))
    return round (s * 100.0) / 100.0;
  double v = pow (10.0, s);
  double unit = pow (10.0, floor (log10 (v)) - 1.0);
  v = round (v / unit) * unit;
  return MAX (round (v * 1e4) / 1e4, 1e-4);
}

/* A pointer dragging the scale asks for the full probe when it lets go;
 * keys and the scroll wheel, which have no release, once the scale has
 * rested this long. */
#define VALUE_SETTLE_MS 300

static void
value_scale_changed (RvInitPage *self)
{
  if (self->syncing_value)
    return;
  self->syncing_value = TRUE;
  gtk_spin_button_set_value (self->value, value_from_scale (self));
  self->syncing_value = FALSE;
  g_autofree char *text = rv_plot_format_number ("%.4g", gtk_spin_button_get_value (self->value));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_scale), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
  request_preview (self);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  if (!self->value_dragged && self->preview_asked)
    self->settle_source = g_timeout_add (VALUE_SETTLE_MS, value_scale_settled, self);
}

static void
value_drag_begin (RvInitPage *self)
{
  self->value_dragged = TRUE;
  g_clear_handle_id (&self->settle_source, g_source_remove);
}

static void
value_drag_end (RvInitPage *self)
{
  self->value_dragged = FALSE;
  request_full_after_drag (self);
}

/* The scale's own drag gesture claims the pointer; ours, in its group,
 * shares the claim and so sees the drag through to its release, where a
 * gesture outside the group would be cancelled at the start. */
static void
watch_value_drags (RvInitPage *self)
{
  GtkGesture *own = NULL;
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (self->value_scale));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && own == NULL; i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_GESTURE_DRAG (c))
        own = GTK_GESTURE (c);
    }
  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drag), "value-drag");
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (value_drag_begin), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (value_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self->value_scale), GTK_EVENT_CONTROLLER (drag));
  if (own)
    gtk_gesture_group (own, drag);
}

/* What the loaded model is, beside the controls it replaces. */
static void
update_model_label (RvInitPage *self)
{
  gboolean loaded = self->weights_path != NULL;
  gtk_widget_set_visible (self->model_box, loaded);
  /* an initializer's controls mean nothing for a trained model */
  gtk_widget_set_sensitive (GTK_WIDGET (self->initializer), !loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->value), !loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->value_scale), !loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hidden), !loaded);
  if (!loaded)
    return;

  g_autofree char *base = g_filename_display_basename (self->weights_path);
  g_autofree char *shown = g_strdup_printf (_("Loaded model: %s"), base);
  GString *text = g_string_new (shown);
  if (self->shown && g_strcmp0 (self->shown->weights, self->weights_path) == 0)
    {
      const RvProbeResult *res = &self->shown->probe;
      const RvNetConfig *net = &self->shown->config.net;
      g_autoptr (GString) sizes = g_string_new (NULL);
      for (uint32_t l = 0; l <= net->n_linear; l++)
        g_string_append_printf (sizes, "%s%u", l ? "–" : "", net->sizes[l]);
      g_autofree char *accuracy = rv_plot_format_number ("%.1f", 100.0 * res->correct / MAX (res->batch, 1));
      g_string_append_c (text, '\n');
      if (self->shown->weights_config)
        {
          g_autofree char *config = g_filename_display_basename (self->shown->weights_config);
          /* Translators: layer sizes, activation, config file, accuracy in percent */
          g_string_append_printf (text, _("%s, %s (from %s) · %s %% right on the probe batch"), sizes->str,
                                  rv_label_activation (net->act), config, accuracy);
        }
      else
        /* Translators: layer sizes, activation, accuracy in percent */
        g_string_append_printf (text, _("%s, %s · %s %% right on the probe batch"), sizes->str,
                                rv_label_activation (net->act), accuracy);
    }
  gtk_label_set_label (self->model_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_label), self->weights_path);
  g_string_free (text, TRUE);
}

static char *
format_variance (double v)
{
  return rv_plot_format_number (v != 0.0 && (fabs (v) < 1e-3 || fabs (v) >= 1e4) ? "%.3e" : "%.4f", v);
}

/* The chart's series: activation and gradient variance per layer, plus the
 * pinned ones, dashed. */
static void
update_depth_chart (RvInitPage *self)
{
  const RvProbeResult *res = &self->shown->probe;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double x[RV_MAX_LINEAR], act[RV_MAX_LINEAR], grad[RV_MAX_LINEAR];
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_ptr_array_add (labels, rv_label_layer (l));
      x[l] = l;
      act[l] = res->activation[l].variance;
      grad[l] = res->gradient[l].variance;
    }
  g_ptr_array_add (labels, NULL);

  RvCurveSet *set = self->depth_curves;
  rv_curve_set_clear (set);
  rv_curve_view_set_x_labels (self->depth_view, (const char *const *) labels->pdata);
  guint act_series = rv_curve_set_add_series (set, _("Activation variance"), NULL, FALSE);
  rv_curve_set_set_points (set, act_series, x, act, res->n_linear);
  guint grad_series = rv_curve_set_add_series (set, _("Weight-gradient variance"), NULL, FALSE);
  rv_curve_set_set_points (set, grad_series, x, grad, res->n_linear);
  double px[RV_MAX_LINEAR];
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    px[l] = l;
  RvPlotStyle style;
  rv_plot_style_init (&style, GTK_WIDGET (self->depth_view));
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = g_ptr_array_index (self->pins, i);
      if (pin->pending)
        continue;
      /* dashed, each pin in a colour of its own (the palette's after the
       * two live curves'), as a run is one colour in TensorBoard */
      g_autofree char *a = g_strdup_printf (_("Activation variance, %s"), pin->label);
      g_autofree char *g = g_strdup_printf (_("Weight-gradient variance, %s"), pin->label);
      GdkRGBA color;
      rv_plot_palette_color (2 + i, style.dark, &color);
      guint pa = rv_curve_set_add_series (set, a, &color, TRUE);
      rv_curve_set_set_points (set, pa, px, pin->act, pin->n_layers);
      guint pg = rv_curve_set_add_series (set, g, &color, TRUE);
      rv_curve_set_set_points (set, pg, px, pin->grad, pin->n_layers);
    }
}

static void
pin_take_result (Pin *pin, const RvProbeResult *res)
{
  pin->n_layers = res->n_linear;
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      pin->act[l] = res->activation[l].variance;
      pin->grad[l] = res->gradient[l].variance;
    }
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      g_clear_pointer (&pin->histograms[k], g_ptr_array_unref);
      pin->histograms[k] = g_ptr_array_new_with_free_func (g_object_unref);
      for (uint32_t l = 0; l < rv_probe_result_n_layers (res, k); l++)
        {
          RvHistogram *h = rv_histogram_new (pin->label);
          rv_histogram_set_stats (h, rv_probe_result_stats (res, k, l));
          g_ptr_array_add (pin->histograms[k], h);
        }
    }
  pin->pending = FALSE;
}

static Pin *
pending_pin (RvInitPage *self, guint64 serial)
{
  for (guint i = 0; i < self->pins->len; i++)
    {
      Pin *pin = g_ptr_array_index (self->pins, i);
      if (pin->pending && pin->serial == serial)
        return pin;
    }
  return NULL;
}

/* "ReLU, kaiming", or a loaded model's file name. */
static char *
describe_shown (RvInitPage *self)
{
  if (self->shown->weights)
    return g_filename_display_basename (self->shown->weights);
  g_autofree char *init = rv_init_to_string (&self->shown_config.init);
  return g_strdup_printf ("%s, %s", rv_label_activation (self->shown_config.net.act), init);
}

/* "Layer 2 (512 → 256)"; a gradient by its weight's PyTorch name,
 * "layers.2.weight (512 → 256)"; f(z) by the activation module's index,
 * "Layer 3: ReLU, 256 units". */
static char *
histogram_title (const RvEvent *ev, RvProbeKind kind, uint32_t l)
{
  const RvProbeResult *res = &ev->probe;
  if (kind == RV_PROBE_GRADIENT)
    {
      g_autofree char *name = rv_probe_weight_name (l);
      return g_strdup_printf ("%s (%u → %u)", name, res->fan_in[l], res->fan_out[l]);
    }
  if (kind == RV_PROBE_POST_ACTIVATION)
    /* Translators: the output of an activation module: "Layer 3: ReLU, 256 units" */
    return g_strdup_printf (_("Layer %u: %s, %u units"), 2 * l + 1, rv_label_activation (ev->config.net.act),
                            res->fan_out[l]);
  return rv_label_layer_sizes (l, res->fan_in[l], res->fan_out[l]);
}

/* A share in percent: whole percents, tenths below 1 %, and "< 0.1" for
 * a few, so that some is never shown as none: "31", "0.4", "< 0.1", "0". */
static char *
format_percent (double fraction)
{
  double percent = 100.0 * fraction;
  if (percent > 0.0 && percent < 0.1)
    {
      g_autofree char *tenth = rv_plot_format_number ("%.1f", 0.1);
      return g_strdup_printf ("< %s", tenth);
    }
  return rv_plot_format_number (percent > 0.0 && percent < 1.0 ? "%.1f" : "%.0f", percent);
}

/* "dead: 12 % of units" for ReLU, "saturated: 31 %" for tanh and sigmoid,
 * NULL for the activations that have neither. */
static char *
post_activation_note (RvActivation act, const RvProbeResult *res, uint32_t l)
{
  if (rv_probe_act_dies (act) && !isnan (res->dead_fraction[l]))
    {
      g_autofree char *percent = format_percent (res->dead_fraction[l]);
      /* Translators: under a ReLU layer's histogram: the share of its units that output 0 for every probe image */
      return g_strdup_printf (_("dead: %s %% of units"), percent);
    }
  if (rv_probe_act_saturates (act) && !isnan (res->saturated_fraction[l]))
    {
      g_autofree char *percent = format_percent (res->saturated_fraction[l]);
      /* Translators: under a tanh or sigmoid layer's histogram: the share of its outputs within 1 % of a bound */
      return g_strdup_printf (_("saturated: %s %%"), percent);
    }
  return NULL;
}

static void
show_result (RvInitPage *self, RvEvent *ev)
{
  g_clear_pointer (&self->shown, rv_event_free);
  self->shown = ev;
  self->shown_serial = ev->serial;
  self->shown_config = ev->config;
  const RvProbeResult *res = &ev->probe;

  /* the layer column as wide as its longest name ("Schicht 10") */
  g_autoptr (GPtrArray) layer_names = g_ptr_array_new_with_free_func (g_free);
  int name_width = 8;
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_ptr_array_add (layer_names, rv_label_layer (l));
      name_width = MAX (name_width, (int) strlen (g_ptr_array_index (layer_names, l)));
    }
  GString *summary = g_string_new (NULL);
  g_string_append_printf (summary, "%-*s %11s %11s\n", name_width, "", _("activation"), _("gradient"));
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
      for (uint32_t l = 0; l < rv_probe_result_n_layers (res, k); l++)
        {
          g_autofree char *title = histogram_title (ev, k, l);
          RvHistogram *h = rv_histogram_new (title);
          rv_histogram_set_stats (h, rv_probe_result_stats (res, k, l));
          /* a preview has no density curves */
          rv_histogram_set_kde (h, res->kde_x[k][l], res->kde_y[k][l], ev->preview ? 0 : RV_PROBE_KDE_POINTS);
          if (k == RV_PROBE_POST_ACTIVATION)
            {
              g_autofree char *note = post_activation_note (ev->config.net.act, res, l);
              rv_histogram_set_note (h, note);
            }
          g_ptr_array_add (list, h);
        }
      rv_histogram_grid_set_histograms (grid_for (self, k), list);
      g_clear_pointer (&self->histograms[k], g_ptr_array_unref);
      self->histograms[k] = g_ptr_array_ref (list);
    }
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_autofree char *a = format_variance (res->activation[l].variance);
      g_autofree char *g = format_variance (res->gradient[l].variance);
      g_string_append_printf (summary, "%-*s %11s %11s\n", name_width,
                              (const char *) g_ptr_array_index (layer_names, l), a, g);
    }
  g_string_truncate (summary, summary->len - 1);
  gtk_label_set_label (self->summary, summary->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->depth_view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary->str, -1);
  g_string_free (summary, TRUE);
  update_depth_chart (self);
  apply_overlay (self);

  g_autofree char *loss = rv_plot_format_number ("%.4f", res->loss);
  g_autofree char *batch = rv_plot_format_count (res->batch);
  g_autofree char *ms = rv_plot_format_number ("%.0f", 1000 * ev->seconds);
  /* Translators: loss, number of images, "synthetic" or "FashionMNIST", milliseconds */
  g_autofree char *status = g_strdup_printf (_("Cross-entropy loss %s on %s %s images · computed in %s ms"),
                                             loss, batch,
                                             res->synthetic ? _("synthetic") : _("FashionMNIST"), ms);
  if (ev->preview)
    {
      /* not to be read as the full probe's variances */
      g_autofree char *full = rv_plot_format_count (gtk_spin_button_get_value_as_int (self->batch));
      /* Translators: the status line while the value slider is dragged; the figures are of fewer images */
      g_autofree char *preview = g_strdup_printf (_("Preview: %s · the full probe of %s images follows when the "
                                                    "slider is released"), status, full);
      set_status (self, preview);
    }
  else if (ev->weights)
    {
      /* the figures are a loaded model's: say whose, where they are read */
      g_autofree char *base = g_filename_display_basename (ev->weights);
      g_autofree char *model = g_strdup_printf (_("Loaded model %s · %s"), base, status);
      set_status (self, model);
    }
  else
    set_status (self, status);
  update_model_label (self);
  g_signal_emit (self, signals[SIGNAL_RESULT_SHOWN], 0);
}

static void
data_ready (RvInitPage *self, RvEvent *ev)
{
  self->data_known = TRUE;
  self->synthetic = ev->synthetic;
  g_free (self->data_source);
  g_free (self->data_note);
  self->data_source = ev->data_source ? g_canonicalize_filename (ev->data_source, NULL) : NULL;
  self->data_note = g_strdup (ev->data_note);
  gtk_label_set_label (self->data_label, self->synthetic ? _("Synthetic 10-class images (FashionMNIST not found)")
                                                          : _("FashionMNIST"));
  /* The folder on demand only: the label is read from the back of a hall. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_label), self->synthetic ? NULL : self->data_source);
  g_signal_emit (self, signals[SIGNAL_DATA_CHANGED], 0);
  rv_event_free (ev);
}

/* Once per frame: take every event; only the newest probe result is drawn. */
static gboolean
drain_events (gpointer user_data)
{
  RvInitPage *self = RV_INIT_PAGE (user_data);
  RvEvent *ev, *latest = NULL;
  while (self->worker && (ev = rv_worker_pop_event (self->worker)))
    {
      if (ev->kind == RV_EVENT_DATA_READY)
        data_ready (self, ev);
      else if (ev->kind == RV_EVENT_ERROR && ev->weights && g_strcmp0 (ev->weights, self->weights_path) == 0)
        {
          /* The file is not a model Ravine can run: say why, and go back
           * to the initializers rather than keep a name on nothing. */
          g_autofree char *base = g_filename_display_basename (ev->weights);
          g_autofree char *heading = g_strdup_printf (_("Cannot open “%s”"), base);
          rv_error_dialog_show (GTK_WIDGET (self), heading, ev->error);
          rv_event_free (ev);
          rv_init_page_close_weights (self);
        }
      else if (ev->kind == RV_EVENT_ERROR && pending_pin (self, ev->serial))
        {
          /* a pin that cannot be re-created is not kept under its label */
          g_ptr_array_remove (self->pins, pending_pin (self, ev->serial));
          set_status (self, ev->error->message);
          rv_event_free (ev);
          update_pins_menu (self);
          request_probe (self);
        }
      else if (ev->kind == RV_EVENT_ERROR)
        {
          set_status (self, ev->error->message);
          rv_event_free (ev);
        }
      else if (ev->serial <= self->stale_through)
        rv_event_free (ev);
      else if (pending_pin (self, ev->serial))
        {
          pin_take_result (pending_pin (self, ev->serial), &ev->probe);
          rv_event_free (ev);
          apply_overlay (self);
          request_probe (self);
        }
      else
        {
          g_clear_pointer (&latest, rv_event_free);
          latest = ev;
        }
    }
  if (latest)
    show_result (self, latest);
  return G_SOURCE_CONTINUE;
}

static void
histogram_option_toggled (RvInitPage *self)
{
  gboolean kde = gtk_check_button_get_active (self->kde);
  gboolean density = gtk_check_button_get_active (self->density);
  gboolean log_y = gtk_check_button_get_active (self->log_y);
  gboolean shared = gtk_check_button_get_active (self->shared_x);
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      RvHistogramGrid *grid = grid_for (self, k);
      rv_histogram_grid_set_show_kde (grid, kde);
      rv_histogram_grid_set_y_mode (grid, density ? RV_HISTOGRAM_Y_DENSITY : RV_HISTOGRAM_Y_COUNT);
      rv_histogram_grid_set_log_y (grid, log_y);
      rv_histogram_grid_set_shared_x (grid, shared);
    }
  if (self->settings && !self->restoring)
    {
      g_settings_set_boolean (self->settings, "hist-kde", kde);
      g_settings_set_boolean (self->settings, "hist-density", density);
      g_settings_set_boolean (self->settings, "hist-log", log_y);
      g_settings_set_boolean (self->settings, "hist-shared-x", shared);
    }
}

static const char *const view_names[] = { "weights", "gradients", "activations", "post-activations", "depth" };

static void
view_toggled (RvInitPage *self)
{
  GtkToggleButton *buttons[] = { self->show_weights, self->show_gradients, self->show_activations,
                                 self->show_post, self->show_depth };
  for (gsize i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (gtk_toggle_button_get_active (buttons[i]))
      {
        gtk_stack_set_visible_child_name (self->views, view_names[i]);
        if (self->settings && !self->restoring)
          g_settings_set_string (self->settings, "init-view", view_names[i]);
        /* the histogram views have display options, the depth chart not */
        gtk_widget_set_sensitive (GTK_WIDGET (self->display), i + 1 < G_N_ELEMENTS (buttons));
      }
}

static guint
index_of (const char *const *names, guint n, const char *name, guint fallback)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return fallback;
}

static void
restore_settings (RvInitPage *self)
{
  GSettings *s = self->settings;
  self->restoring = TRUE;
  g_autofree char *act = g_settings_get_string (s, "init-activation");
  g_autofree char *init = g_settings_get_string (s, "init-initializer");
  g_autofree char *hidden = g_settings_get_string (s, "init-hidden");
  g_autofree char *view = g_settings_get_string (s, "init-view");
  RvActivation a = RV_ACT_RELU;
  rv_activation_from_name (act, &a);
  RvInitKind kind = RV_INIT_KAIMING;
  for (int k = 0; k < RV_INIT_COUNT; k++)
    if (g_str_equal (init, rv_init_kind_name (k)))
      kind = k;
  gtk_drop_down_set_selected (self->activation, a);
  gtk_drop_down_set_selected (self->initializer, kind);
  gtk_spin_button_set_value (self->value, g_settings_get_double (s, "init-value"));
  gtk_editable_set_text (GTK_EDITABLE (self->hidden), hidden);
  gtk_spin_button_set_value (self->batch, g_settings_get_int (s, "init-batch"));
  gtk_spin_button_set_value (self->seed, g_settings_get_int (s, "init-seed"));
  gtk_check_button_set_active (self->kde, g_settings_get_boolean (s, "hist-kde"));
  gtk_check_button_set_active (self->density, g_settings_get_boolean (s, "hist-density"));
  gtk_check_button_set_active (self->log_y, g_settings_get_boolean (s, "hist-log"));
  gtk_check_button_set_active (self->shared_x, g_settings_get_boolean (s, "hist-shared-x"));
  GtkToggleButton *buttons[] = { self->show_weights, self->show_gradients, self->show_activations,
                                 self->show_post, self->show_depth };
  gtk_toggle_button_set_active (buttons[index_of (view_names, G_N_ELEMENTS (view_names), view, 2)], TRUE);
  self->restoring = FALSE;
  histogram_option_toggled (self);
  view_toggled (self);
}

/* Settings changed elsewhere (the Preferences window) reach the toggles. */
static void
setting_changed (RvInitPage *self, const char *key)
{
  struct { const char *key; GtkCheckButton *button; } map[] = {
    { "hist-kde", self->kde }, { "hist-density", self->density },
    { "hist-log", self->log_y }, { "hist-shared-x", self->shared_x },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (key, map[i].key))
      gtk_check_button_set_active (map[i].button, g_settings_get_boolean (self->settings, key));
}

void
rv_init_page_start (RvInitPage *self, GSettings *settings, const char *data_dir)
{
  g_return_if_fail (self->worker == NULL);
  self->settings = g_object_ref (settings);
  restore_settings (self);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (setting_changed), self);
  self->worker = rv_worker_new (data_dir);
  /* results arrive whichever page is shown, and only when there are some */
  self->wakeup = rv_wakeup_new (drain_events, self, "ravine probe events", 0);
  rv_worker_set_notify (self->worker, rv_wakeup_signal, self->wakeup);
  request_probe (self);
}

void
rv_init_page_reload_data (RvInitPage *self, const char *data_dir)
{
  g_return_if_fail (self->worker != NULL);
  if (self->retired == NULL)
    self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) rv_worker_free);
  /* the old worker's late results are not wanted: it wakes nobody */
  rv_worker_set_notify (self->worker, NULL, NULL);
  g_ptr_array_add (self->retired, g_steal_pointer (&self->worker));
  self->data_known = FALSE;
  /* a pin asked of the old worker is asked again */
  for (guint i = 0; i < self->pins->len; i++)
    ((Pin *) g_ptr_array_index (self->pins, i))->serial = 0;
  self->worker = rv_worker_new (data_dir);
  rv_worker_set_notify (self->worker, rv_wakeup_signal, self->wakeup);
  request_probe (self);
}

char *
rv_init_page_describe_data (RvInitPage *self)
{
  if (!self->data_known)
    return NULL;
  /* The folder is in the banner's tooltip (rv_init_page_get_data_source):
   * a class at a projector needs to know what the data is, not where. */
  if (!self->synthetic)
    return g_strdup (_("Data: FashionMNIST, checked against its published checksums"));
  return g_strdup_printf (_("Data: a synthetic stand-in, because FashionMNIST could not be read: %s. "
                            "“ravine-cli dataset download” fetches it."), self->data_note);
}

const char *
rv_init_page_get_data_source (RvInitPage *self)
{
  return self->data_known && !self->synthetic ? self->data_source : NULL;
}

const RvDataset *
rv_init_page_get_dataset (RvInitPage *self)
{
  return self->data_known ? rv_worker_get_dataset (self->worker) : NULL;
}

gboolean
rv_init_page_is_synthetic (RvInitPage *self)
{
  return self->synthetic;
}

gboolean
rv_init_page_configure (RvInitPage *self, const char *activation, const char *init, const char *hidden,
                        const char *view, GError **error)
{
  RvActivation act = RV_ACT_RELU;
  RvInit parsed = { 0 };
  RvNetConfig net;
  guint view_index = G_N_ELEMENTS (view_names);
  if (activation && !rv_activation_from_name (activation, &act))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown activation “%s”"), activation);
      return FALSE;
    }
  if (init && !rv_init_parse (init, &parsed, error))
    return FALSE;
  if (hidden && !rv_net_config_parse_hidden (&net, hidden, error))
    return FALSE;
  if (view && (view_index = index_of (view_names, G_N_ELEMENTS (view_names), view, G_N_ELEMENTS (view_names)))
                == G_N_ELEMENTS (view_names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown view “%s”"), view);
      return FALSE;
    }
  /* one probe for the whole change, not one per control */
  self->restoring = TRUE;
  if (activation)
    gtk_drop_down_set_selected (self->activation, act);
  if (init)
    {
      gtk_drop_down_set_selected (self->initializer, parsed.kind);
      if (rv_init_kind_takes_value (parsed.kind))
        gtk_spin_button_set_value (self->value, parsed.value);
    }
  if (hidden)
    gtk_editable_set_text (GTK_EDITABLE (self->hidden), hidden);
  /* a step that sets up a network shows that network, not a loaded model */
  if (init || hidden)
    {
      g_clear_pointer (&self->weights_path, g_free);
      update_model_label (self);
    }
  self->restoring = FALSE;
  if (view)
    {
      GtkToggleButton *buttons[] = { self->show_weights, self->show_gradients, self->show_activations,
                                     self->show_post, self->show_depth };
      gtk_toggle_button_set_active (buttons[view_index], TRUE);
    }
  request_probe (self);
  return TRUE;
}

void
rv_init_page_reroll_seed (RvInitPage *self)
{
  gtk_spin_button_set_value (self->seed, g_random_int_range (0, G_MAXINT32));
}

/* The overlay's choices, "None" and one per pin (radio items of
 * init.overlay), then one "Remove “ReLU, kaiming”" item per pin. */
static void
update_pins_menu (RvInitPage *self)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) overlay = g_menu_new ();
  g_autoptr (GMenu) each = g_menu_new ();
  g_autoptr (GMenuItem) none = g_menu_item_new (_("_No Overlay"), NULL);
  g_menu_item_set_action_and_target_value (none, "init.overlay", g_variant_new_int32 (-1));
  g_menu_append_item (overlay, none);
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = g_ptr_array_index (self->pins, i);
      /* Translators: a menu item drawing a pinned configuration over the histograms as B */
      g_autofree char *label = g_strdup_printf (_("Overlay “%s”"), pin->label);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "init.overlay", g_variant_new_int32 ((gint32) i));
      g_menu_append_item (overlay, item);
    }
  /* Translators: a heading in the Pins menu: compare two configurations' histograms */
  g_menu_append_section (menu, _("Compare A/B on the histograms"), G_MENU_MODEL (overlay));
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = g_ptr_array_index (self->pins, i);
      /* Translators: a menu item removing one pinned configuration from the depth chart */
      g_autofree char *label = g_strdup_printf (_("Remove “%s”"), pin->label);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "init.remove-pin", g_variant_new_uint32 (i));
      g_menu_append_item (each, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (each));
  g_menu_append (menu, _("Remove _All Pins"), "init.clear-pins");
  gtk_menu_button_set_menu_model (self->pins_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->pins_button), self->pins->len > 0);
}

static void
pins_changed (RvInitPage *self)
{
  update_pins_menu (self);
  if (self->shown)
    update_depth_chart (self);
}

/* Removes n pins from index on; TRUE when one was being probed, so that the
 * probing goes on with the next (request_probe).  The dropped probe's
 * result must not be shown as the page's, nor anything older, which the
 * requests after it supersede. */
static gboolean
drop_pins (RvInitPage *self, guint index, guint n)
{
  gboolean probing = FALSE;
  for (guint i = index; i < index + n; i++)
    {
      const Pin *pin = g_ptr_array_index (self->pins, i);
      if (pin->pending && pin->serial)
        {
          self->stale_through = MAX (self->stale_through, pin->serial);
          probing = TRUE;
        }
    }
  g_ptr_array_remove_range (self->pins, index, n);
  /* the overlaid pin keeps its place, or the overlay ends with it */
  if (self->overlay >= (int) (index + n))
    rv_init_page_set_overlay (self, self->overlay - (int) n);
  else if (self->overlay >= (int) index)
    rv_init_page_set_overlay (self, -1);
  return probing;
}

/* "#1c71d8": Pango markup wants no rgb(). */
static char *
hex_color (const GdkRGBA *c)
{
  return g_strdup_printf ("#%02x%02x%02x", (int) lround (c->red * 255), (int) lround (c->green * 255),
                          (int) lround (c->blue * 255));
}

/* "■ A (bars): ReLU, kaiming   □ B (outline): tanh, xavier" in the
 * panels' colours, over the histograms while B is drawn. */
static void
update_overlay_legend (RvInitPage *self, const char *a, const Pin *pin, const GdkRGBA *b_color)
{
  if (pin == NULL || a == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->overlay_legend), FALSE);
      return;
    }
  RvPlotStyle style;
  GdkRGBA a_color;
  rv_plot_style_init (&style, GTK_WIDGET (self->overlay_legend));
  rv_plot_accent_color (&style, NULL, &a_color);
  g_autofree char *a_hex = hex_color (&a_color);
  g_autofree char *b_hex = hex_color (b_color);
  /* Translators: the legend of two configurations' histograms drawn on
   * one another: A as bars, B as an outline; %s are their names */
  g_autofree char *a_text = g_markup_printf_escaped (_("A (bars): %s"), a);
  g_autofree char *b_text = g_markup_printf_escaped (_("B (outline): %s"), pin->label);
  g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">■</span> %s    "
                                             "<span foreground=\"%s\">□</span> %s",
                                             a_hex, a_text, b_hex, b_text);
  gtk_label_set_markup (self->overlay_legend, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->overlay_legend), TRUE);
}

/* Draws the overlaid pin's histograms over every view's panels as B, in
 * the pin's colour on the depth chart; or none. */
static void
apply_overlay (RvInitPage *self)
{
  const Pin *pin = self->overlay >= 0 && (guint) self->overlay < self->pins->len
                     ? g_ptr_array_index (self->pins, self->overlay) : NULL;
  RvPlotStyle style;
  GdkRGBA color;
  rv_plot_style_init (&style, GTK_WIDGET (self->depth_view));
  rv_plot_palette_color (2 + MAX (self->overlay, 0), style.dark, &color);
  g_autofree char *a = self->shown != NULL ? describe_shown (self) : NULL;
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      RvHistogramGrid *grid = grid_for (self, k);
      rv_histogram_grid_set_compare_color (grid, &color);
      rv_histogram_grid_set_compare (grid, pin != NULL ? pin->histograms[k] : NULL);
      /* an exported image says what its bars and outlines are, too */
      g_autofree char *heading = pin != NULL && a != NULL
        /* Translators: an exported image's title with two configurations:
         * "Activation distribution · A (bars): ReLU, kaiming · B (outline): Tanh, xavier" */
        ? g_strdup_printf (_("%s · A (bars): %s · B (outline): %s"), grid_heading (k), a, pin->label)
        : g_strdup (grid_heading (k));
      rv_histogram_grid_set_heading (grid, heading);
    }
  update_overlay_legend (self, a, pin != NULL && pin->histograms[0] != NULL ? pin : NULL, &color);
}

void
rv_init_page_set_overlay (RvInitPage *self, int index)
{
  g_return_if_fail (RV_IS_INIT_PAGE (self));
  if (index < 0 || (guint) index >= self->pins->len)
    index = -1;
  if (self->overlay == index)
    return;
  self->overlay = index;
  apply_overlay (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERLAY]);
}

int
rv_init_page_get_overlay (RvInitPage *self)
{
  g_return_val_if_fail (RV_IS_INIT_PAGE (self), -1);
  return self->overlay;
}

void
rv_init_page_pin (RvInitPage *self)
{
  if (self->shown == NULL)
    return;
  /* the oldest comparison makes room, so that Pin always pins */
  gboolean dropped = self->pins->len == RV_SETUP_MAX_PINS && drop_pins (self, 0, 1);
  Pin *pin = g_new0 (Pin, 1);
  pin->label = describe_shown (self);
  pin->config = self->shown_config;
  pin->model = self->shown->weights != NULL;
  RvProbeConfig full;
  if (self->shown->preview && read_config (self, &full))
    {
      /* a preview's figures are a few images': the pin is probed whole */
      pin->config.batch = full.batch;
      pin->config.kde = full.kde;
      pin->pending = TRUE;
    }
  else
    pin_take_result (pin, &self->shown->probe);
  g_ptr_array_add (self->pins, pin);
  pins_changed (self);
  if (dropped || pin->pending)
    request_probe (self);
}

void
rv_init_page_clear_pin (RvInitPage *self)
{
  if (self->pins->len == 0)
    return;
  gboolean dropped = drop_pins (self, 0, self->pins->len);
  pins_changed (self);
  if (dropped)
    request_probe (self);
}

void
rv_init_page_remove_pin (RvInitPage *self, guint index)
{
  g_return_if_fail (index < self->pins->len);
  gboolean dropped = drop_pins (self, index, 1);
  pins_changed (self);
  if (dropped)
    request_probe (self);
}

guint
rv_init_page_get_n_pins (RvInitPage *self)
{
  return self->pins->len;
}

const char *
rv_init_page_get_pin_label (RvInitPage *self)
{
  return self->pins->len ? ((Pin *) g_ptr_array_index (self->pins, self->pins->len - 1))->label : NULL;
}

static void
remove_pin_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  RvInitPage *self = RV_INIT_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  if (index < self->pins->len)
    rv_init_page_remove_pin (self, index);
}

static void
clear_pins_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  rv_init_page_clear_pin (RV_INIT_PAGE (widget));
}

static void
network_to_setup (const RvProbeConfig *cfg, const char *hidden, RvSetupNetwork *out)
{
  g_autofree char *init = rv_init_to_string (&cfg->init);
  g_autofree char *sizes = hidden ? NULL : rv_net_config_hidden_string (&cfg->net);
  g_free (out->activation);
  g_free (out->init);
  g_free (out->hidden);
  out->activation = g_strdup (rv_activation_name (cfg->net.act));
  out->init = g_steal_pointer (&init);
  out->hidden = g_strdup (hidden ? hidden : sizes);
}

void
rv_init_page_get_setup (RvInitPage *self, RvSetupInitialization *out)
{
  RvProbeConfig cfg;
  /* the controls as they are: hidden sizes as typed while they do not parse */
  gboolean ok = read_config (self, &cfg);
  network_to_setup (&cfg, ok ? NULL : gtk_editable_get_text (GTK_EDITABLE (self->hidden)), &out->network);
  g_free (out->view);
  out->view = g_strdup (gtk_stack_get_visible_child_name (self->views));
  out->kde = gtk_check_button_get_active (self->kde);
  out->density = gtk_check_button_get_active (self->density);
  out->log_y = gtk_check_button_get_active (self->log_y);
  out->same_x_range = gtk_check_button_get_active (self->shared_x);
  g_ptr_array_set_size (out->pins, 0);
  out->overlay = -1;
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = g_ptr_array_index (self->pins, i);
      if (pin->model)
        continue;
      /* the overlay by its place among the pins the setup keeps */
      if ((int) i == self->overlay)
        out->overlay = (int) out->pins->len;
      RvSetupNetwork n = { 0 };
      network_to_setup (&pin->config, NULL, &n);
      rv_setup_add_pin (out, pin->label, n.activation, n.init, n.hidden);
      g_free (n.activation);
      g_free (n.init);
      g_free (n.hidden);
    }
}

/* A setup's network as the page probes it, with the page's batch and seed;
 * FALSE with an error naming what is wrong. */
static gboolean
network_from_setup (RvInitPage *self, const RvSetupNetwork *n, RvProbeConfig *cfg, GError **error)
{
  rv_probe_config_init_default (cfg);
  cfg->batch = (uint32_t) gtk_spin_button_get_value_as_int (self->batch);
  cfg->seed = (uint64_t) gtk_spin_button_get_value_as_int (self->seed);
  if (!rv_net_config_parse_hidden (&cfg->net, n->hidden, error)
      || !rv_size_check_network (&cfg->net, cfg->batch, error)
      || !rv_init_parse (n->init, &cfg->init, error))
    return FALSE;
  if (!rv_activation_from_name (n->activation, &cfg->net.act))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown activation “%s”"), n->activation);
      return FALSE;
    }
  return TRUE;
}

gboolean
rv_init_page_apply_setup (RvInitPage *self, const RvSetupInitialization *setup, GError **error)
{
  RvProbeConfig cfg;
  if (!network_from_setup (self, &setup->network, &cfg, error))
    return FALSE;
  if (setup->view && index_of (view_names, G_N_ELEMENTS (view_names), setup->view, G_N_ELEMENTS (view_names))
                     == G_N_ELEMENTS (view_names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown view “%s”"), setup->view);
      return FALSE;
    }
  if (setup->pins->len > RV_SETUP_MAX_PINS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("At most %d pins can be shown, not %u"),
                   RV_SETUP_MAX_PINS, setup->pins->len);
      return FALSE;
    }
  if (setup->overlay >= (int) setup->pins->len)
    {
      /* Translators: the A/B overlay names a pin by its place, counted from 0 */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The overlay names pin %d, but there are %u"),
                   setup->overlay, setup->pins->len);
      return FALSE;
    }
  /* every pin is checked before anything changes */
  g_autoptr (GPtrArray) pins = g_ptr_array_new_with_free_func (pin_free);
  for (guint i = 0; i < setup->pins->len; i++)
    {
      const RvSetupPin *sp = g_ptr_array_index (setup->pins, i);
      g_autoptr (GError) local = NULL;
      Pin *pin = g_new0 (Pin, 1);
      g_ptr_array_add (pins, pin);
      pin->label = g_strdup (sp->label);
      pin->pending = TRUE;
      if (!network_from_setup (self, &sp->network, &pin->config, &local))
        {
          /* Translators: a pin's label, and what is wrong with its network */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Pin “%s”: %s"), sp->label, local->message);
          return FALSE;
        }
    }

  /* The pins go in first, so that the configure's probe waits for them. */
  drop_pins (self, 0, self->pins->len);
  g_ptr_array_extend_and_steal (self->pins, g_steal_pointer (&pins));
  update_pins_menu (self);
  rv_init_page_set_overlay (self, setup->overlay);
  if (self->shown)
    update_depth_chart (self);
  rv_init_page_set_display (self, setup->kde, setup->density, setup->log_y, setup->same_x_range);
  g_autoptr (GError) local = NULL;
  gboolean ok = rv_init_page_configure (self, setup->network.activation, setup->network.init,
                                        setup->network.hidden, setup->view, &local);
  /* checked above: configure knows no other faults */
  g_assert (ok);
  return TRUE;
}

void
rv_init_page_set_display (RvInitPage *self, gboolean kde, gboolean density, gboolean log_y, gboolean same_x_range)
{
  /* each toggle applies all four: apply them once, at the end */
  self->restoring = TRUE;
  gtk_check_button_set_active (self->kde, kde);
  gtk_check_button_set_active (self->density, density);
  gtk_check_button_set_active (self->log_y, log_y);
  gtk_check_button_set_active (self->shared_x, same_x_range);
  self->restoring = FALSE;
  histogram_option_toggled (self);
}

static RvProbeKind
visible_kind (RvInitPage *self, gboolean *depth)
{
  const char *name = gtk_stack_get_visible_child_name (self->views);
  *depth = g_strcmp0 (name, "depth") == 0;
  return g_strcmp0 (name, "weights") == 0 ? RV_PROBE_WEIGHT
         : g_strcmp0 (name, "gradients") == 0 ? RV_PROBE_GRADIENT
         : g_strcmp0 (name, "post-activations") == 0 ? RV_PROBE_POST_ACTIVATION : RV_PROBE_ACTIVATION;
}

static void
draw_grid (gpointer data, cairo_t *cr, int width, int height)
{
  rv_histogram_grid_draw (data, cr, width, height);
}

gboolean
rv_init_page_export_plot (RvInitPage *self, const char *path, int layer, GError **error)
{
  gboolean depth;
  RvProbeKind kind = visible_kind (self, &depth);
  if (self->shown == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is nothing to export yet"));
      return FALSE;
    }
  if (depth)
    return rv_chart_export (RV_CHART (self->depth_view), path, 900, 540, 1.0, error);
  RvHistogramGrid *grid = grid_for (self, kind);
  if (layer < 0)
    {
      int width = 0, height = 0;
      rv_histogram_grid_get_export_size (grid, &width, &height);
      return rv_plot_export (path, draw_grid, grid, width, height, error);
    }
  if ((guint) layer >= rv_histogram_grid_get_n_views (grid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("There is no layer %d"), layer);
      return FALSE;
    }
  return rv_chart_export (RV_CHART (rv_histogram_grid_get_view (grid, layer)), path, 420, 320, 1.0, error);
}

gboolean
rv_init_page_export_numbers (RvInitPage *self, const char *path, GError **error)
{
  if (self->shown == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is nothing to export yet"));
      return FALSE;
    }
  g_autofree char *text = NULL;
  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV"))
    text = rv_probe_result_to_csv (&self->shown->probe);
  else if (g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON"))
    {
      g_autofree char *weights = self->shown->weights ? g_filename_display_name (self->shown->weights) : NULL;
      g_autoptr (JsonNode) node = weights ? rv_probe_weights_result_to_json (&self->shown_config, &self->shown->probe, weights)
                                          : rv_probe_result_to_json (&self->shown_config, &self->shown->probe);
      text = rv_json_to_string (node, TRUE);
    }
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: numbers are exported as .json or .csv"), base);
      return FALSE;
    }
  return rv_atomic_file_write (path, text, strlen (text), error);
}

static void
plot_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvInitPage *self = RV_INIT_PAGE (user_data);
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char *which = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "plot");
      int layer = which && !g_str_equal (which, "all") ? atoi (which) : -1;
      g_autoptr (GError) error = NULL;
      if (path && !rv_init_page_export_plot (self, path, layer, &error))
        rv_error_dialog_show (GTK_WIDGET (self), _("Export failed"), error);
    }
  g_object_unref (chooser);
}

static void
numbers_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvInitPage *self = RV_INIT_PAGE (user_data);
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path && !rv_init_page_export_numbers (self, path, &error))
        rv_error_dialog_show (GTK_WIDGET (self), _("Export failed"), error);
    }
  g_object_unref (chooser);
}

static GtkFileChooserNative *
new_save_chooser (RvInitPage *self, const char *title, const char *name, const char *const *patterns)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  for (const char *const *p = patterns; *p; p += 2)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, p[0]);
      gtk_file_filter_add_pattern (filter, p[1]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }
  return chooser;
}

void
rv_init_page_choose_plot_file (RvInitPage *self)
{
  gboolean depth;
  RvProbeKind kind = visible_kind (self, &depth);
  static const char *const kind_files[] = { "weights", "gradients", "activations", "post-activations" };
  g_autofree char *name = g_strdup_printf ("%s.png", depth ? "variance-across-depth" : kind_files[kind]);
  const char *const patterns[] = { _("PNG image"), "*.png", _("SVG image"), "*.svg", _("PDF document"), "*.pdf", NULL };
  GtkFileChooserNative *chooser = new_save_chooser (self, _("Export Plot"), name, patterns);
  if (!depth && self->shown)
    {
      /* which plot: the whole grid, or one layer's histogram */
      uint32_t n = rv_probe_result_n_layers (&self->shown->probe, kind);
      g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (ids, g_strdup ("all"));
      g_ptr_array_add (labels, g_strdup (_("All layers")));
      for (uint32_t l = 0; l < n; l++)
        {
          g_ptr_array_add (ids, g_strdup_printf ("%u", l));
          g_ptr_array_add (labels, kind == RV_PROBE_POST_ACTIVATION
                                   ? g_strdup_printf (_("Layer %u"), 2 * l + 1) : rv_label_layer (l));
        }
      g_ptr_array_add (ids, NULL);
      g_ptr_array_add (labels, NULL);
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "plot", _("Plot"),
                                   (const char **) ids->pdata, (const char **) labels->pdata);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "plot", "all");
    }
  g_signal_connect (chooser, "response", G_CALLBACK (plot_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
rv_init_page_choose_numbers_file (RvInitPage *self)
{
  const char *const patterns[] = { _("JSON"), "*.json", _("CSV"), "*.csv", NULL };
  GtkFileChooserNative *chooser = new_save_chooser (self, _("Export Numbers"), "init-stats.json", patterns);
  g_signal_connect (chooser, "response", G_CALLBACK (numbers_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
rv_init_page_open_weights (RvInitPage *self, const char *path)
{
  g_return_if_fail (path != NULL);
  g_free (self->weights_path);
  self->weights_path = g_strdup (path);
  update_model_label (self);
  request_probe (self);
}

void
rv_init_page_close_weights (RvInitPage *self)
{
  if (self->weights_path == NULL)
    return;
  g_clear_pointer (&self->weights_path, g_free);
  update_model_label (self);
  request_probe (self);
}

const char *
rv_init_page_get_weights (RvInitPage *self)
{
  return self->weights_path;
}

static void
weights_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvInitPage *self = RV_INIT_PAGE (user_data);
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      if (path)
        rv_init_page_open_weights (self, path);
    }
  g_object_unref (chooser);
}

void
rv_init_page_choose_weights_file (RvInitPage *self)
{
  /* GtkFileDialog needs GTK 4.10; Ravine builds on 4.8. */
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Open Weights"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Model weights (safetensors)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (weights_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

const RvProbeConfig *
rv_init_page_get_config (RvInitPage *self)
{
  return self->shown ? &self->shown_config : NULL;
}

const RvProbeResult *
rv_init_page_get_result (RvInitPage *self)
{
  return self->shown ? &self->shown->probe : NULL;
}

guint64
rv_init_page_get_requested_serial (RvInitPage *self)
{
  return self->requested_serial;
}

guint64
rv_init_page_get_shown_serial (RvInitPage *self)
{
  return self->shown_serial;
}

RvHistogramGrid *
rv_init_page_get_grid (RvInitPage *self, RvProbeKind kind)
{
  return grid_for (self, kind);
}

RvCurveView *
rv_init_page_get_depth_view (RvInitPage *self)
{
  return self->depth_view;
}

AdwFlap *
rv_init_page_get_flap (RvInitPage *self)
{
  /* the template's root (not bound: AdwBin unparents its own child) */
  return ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
}

static void
rv_init_page_dispose (GObject *object)
{
  RvInitPage *self = RV_INIT_PAGE (object);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  /* after this no worker can signal the source, which can go */
  if (self->worker)
    rv_worker_set_notify (self->worker, NULL, NULL);
  if (self->wakeup)
    {
      g_source_destroy (self->wakeup);
      g_clear_pointer (&self->wakeup, g_source_unref);
    }
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_pointer (&self->worker, rv_worker_free);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->shown, rv_event_free);
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    g_clear_pointer (&self->histograms[k], g_ptr_array_unref);
  g_clear_pointer (&self->pins, g_ptr_array_unref);
  g_clear_pointer (&self->weights_path, g_free);
  g_clear_object (&self->depth_curves);
  g_clear_pointer (&self->data_source, g_free);
  g_clear_pointer (&self->data_note, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_INIT_PAGE);
  G_OBJECT_CLASS (rv_init_page_parent_class)->dispose (object);
}

static void
rv_init_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_OVERLAY)
    g_value_set_int (value, RV_INIT_PAGE (object)->overlay);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rv_init_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_OVERLAY)
    rv_init_page_set_overlay (RV_INIT_PAGE (object), g_value_get_int (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rv_init_page_class_init (RvInitPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = rv_init_page_dispose;
  G_OBJECT_CLASS (klass)->get_property = rv_init_page_get_property;
  G_OBJECT_CLASS (klass)->set_property = rv_init_page_set_property;

  /* "overlay": the pin drawn over the histograms as B (-1: none) */
  properties[PROP_OVERLAY] = g_param_spec_int ("overlay", NULL, NULL, -1, RV_SETUP_MAX_PINS - 1, -1,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  signals[SIGNAL_DATA_CHANGED] = g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RESULT_SHOWN] = g_signal_new ("result-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (RV_TYPE_HISTOGRAM_GRID);
  g_type_ensure (RV_TYPE_CURVE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-init-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RvInitPage, name)
  BIND (activation); BIND (initializer); BIND (value_label); BIND (value); BIND (value_scale); BIND (hidden);
  BIND (hidden_error);
  BIND (batch); BIND (seed); BIND (data_label); BIND (summary);
  BIND (show_weights); BIND (show_gradients); BIND (show_activations); BIND (show_post); BIND (show_depth);
  BIND (kde); BIND (density); BIND (log_y); BIND (shared_x); BIND (display);
  /* reachable by tests through gtk_widget_get_template_child, not stored */
  gtk_widget_class_bind_template_child_full (widget_class, "controls", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "pin", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "export", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "open_weights", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "close_weights", FALSE, 0);
  BIND (views); BIND (weights_grid); BIND (gradients_grid); BIND (activations_grid); BIND (post_grid);
  BIND (depth_view);
  gtk_widget_class_bind_template_child_full (widget_class, "pins", FALSE, G_STRUCT_OFFSET (RvInitPage, pins_button));
  BIND (status); BIND (model_box); BIND (model_label); BIND (formula_card); BIND (overlay_legend);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, rv_init_page_choose_weights_file);
  gtk_widget_class_bind_template_callback (widget_class, rv_init_page_close_weights);
  gtk_widget_class_install_action (widget_class, "init.remove-pin", "u", remove_pin_activated);
  gtk_widget_class_install_action (widget_class, "init.clear-pins", NULL, clear_pins_activated);
  gtk_widget_class_install_property_action (widget_class, "init.overlay", "overlay");
}

static void
rv_init_page_init (RvInitPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pins = g_ptr_array_new_with_free_func (pin_free);
  self->overlay = -1;
  update_pins_menu (self);
  gtk_drop_down_set_model (self->activation, rv_labels_activations ());
  gtk_drop_down_set_model (self->initializer, rv_labels_inits ());
  gtk_drop_down_set_selected (self->activation, RV_ACT_RELU);
  gtk_drop_down_set_selected (self->initializer, RV_INIT_KAIMING);
  gtk_editable_set_text (GTK_EDITABLE (self->hidden), "512,256,256,128");
  gtk_toggle_button_set_active (self->show_activations, TRUE);

  g_signal_connect_swapped (self->activation, "notify::selected", G_CALLBACK (request_probe), self);
  g_signal_connect_swapped (self->initializer, "notify::selected", G_CALLBACK (request_probe), self);
  g_signal_connect_swapped (self->value, "value-changed", G_CALLBACK (value_spin_changed), self);
  g_signal_connect_swapped (self->value_scale, "value-changed", G_CALLBACK (value_scale_changed), self);
  watch_value_drags (self);
  g_signal_connect_swapped (self->hidden, "changed", G_CALLBACK (request_probe), self);
  g_signal_connect_swapped (self->batch, "value-changed", G_CALLBACK (request_probe), self);
  g_signal_connect_swapped (self->seed, "value-changed", G_CALLBACK (request_probe), self);
  GtkCheckButton *options[] = { self->kde, self->density, self->log_y, self->shared_x };
  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    g_signal_connect_swapped (options[i], "toggled", G_CALLBACK (histogram_option_toggled), self);
  GtkToggleButton *views[] = { self->show_weights, self->show_gradients, self->show_activations,
                               self->show_post, self->show_depth };
  for (gsize i = 0; i < G_N_ELEMENTS (views); i++)
    g_signal_connect_swapped (views[i], "toggled", G_CALLBACK (view_toggled), self);

  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    rv_histogram_grid_set_heading (grid_for (self, k), grid_heading (k));
  self->depth_curves = rv_curve_set_new ();
  rv_chart_set_model (RV_CHART (self->depth_view), self->depth_curves);
  rv_curve_view_set_log_y (self->depth_view, TRUE);
  rv_curve_view_set_y_title (self->depth_view, _("variance"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->depth_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Variance across depth"), -1);
  update_value_control (self);
}
