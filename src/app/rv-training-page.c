/* rv-training-page.c: the form, the list of runs, the shared charts, and the
 * watched run's layers, fed by the session's events once per frame. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-curve-set.h"
#include "rv-device.h"
#include "rv-error-dialog.h"
#include "rv-labels.h"
#include "rv-mlp-weights.h"
#include "rv-size-check.h"
#include "rv-histogram-history.h"
#include "rv-plot.h"
#include "rv-probe.h"
#include "rv-reflow-box.h"
#include "rv-ridgeline-view.h"
#include "rv-run.h"
#include "rv-training-page.h"
#include "rv-frame-pace.h"
#include "rv-wakeup.h"

/* Loss curves keep at most this many points a run: beyond it, neighbours are
 * averaged, so a 40-epoch run's memory stays bounded. */
#define MAX_LOSS_POINTS 4096
#define MAX_NORM_POINTS 2048
/* The page takes the runs' news at most four times a second: enough for
 * curves that move.  Where a frame is slow (a software GL renderer repaints
 * the whole window each time, on the cores that train) it takes them less
 * often, so that drawing keeps to about a fifteenth of the machine's time,
 * and at least every two seconds (rv-frame-pace.h).  A run that starts or
 * ends shows at once. */
#define TRAINING_REDRAW_MS 250
#define TRAINING_REDRAW_MAX_MS 2000

/* What the page keeps of a run beside its RvRun (the views' part): the
 * data its curves and layer views are drawn from.  The RvRun holds it
 * (view_of), so it goes when the run leaves the list.  Its series in the
 * loss, accuracy and sharpness charts follow from its place in the list
 * (one loss series a run, two of accuracy and of sharpness, added in the
 * list's order and removed with the run). */
typedef struct {
  RvRun *run;                /* not held: the run holds this */
  RvTrainConfig cfg;
  GArray *losses;            /* float; each point covers loss_stride steps */
  guint loss_stride, loss_pending_n;
  double loss_pending_sum;
  GArray *train_acc, *val_acc;  /* double, per epoch */
  GArray *step_seconds;      /* double, per step: seconds trained when it ended (live runs only) */
  double last_seconds;
  RvHistory *history;        /* the layers' recorded history, or NULL */
  char *history_note;        /* why there is none, or NULL */
  uint32_t steps_per_epoch;  /* 0 until known */
  GArray *sharpness;         /* RvTrainSharpness, as measured */
  gboolean tracks_sharpness; /* added with sharpness on */
  uint64_t total_steps;      /* 0 until known */
} RunView;

struct _RvTrainingPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *activation, *initializer, *optimizer;
  GtkEntry *hidden;
  GtkSpinButton *lr, *momentum, *beta1, *beta2, *epochs, *batch, *seed, *every;
  GtkWidget *momentum_label, *beta1_label, *beta2_label;
  GtkCheckButton *retrain, *follow, *recent_range;
  GtkButton *add_run, *preset, *quick_preset, *open_run;
  GtkListBox *runs_list;
  GtkLabel *data_note, *watched_label;
  RvCurveView *loss_view, *acc_view, *norm_view, *ratio_view, *sharp_view;
  GtkLabel *sharp_note;
  GtkCheckButton *track_sharpness;
  GtkCheckButton *loss_log, *loss_time;
  GtkScale *smoothing, *scrubber;
  GtkToggleButton *kind_weights, *kind_gradients, *kind_activations;
  GtkToggleButton *show_grid, *show_ridges, *show_norms;
  GtkStack *dist_stack;
  RvHistogramGrid *dist_grid;
  RvReflowBox *ridges;
  GtkColumnView *table;
  AdwFlap *flap;
  GtkStack *content_stack;
  GtkButton *empty_add_run, *empty_preset;
  GtkButton *play;
  GtkDropDown *speed, *compare;
  GtkLabel *step_label;

  RvCurveSet *loss_curves, *acc_curves, *norm_curves, *ratio_curves, *sharp_curves;
  RvTrainSession *session;
  const RvDataset *data;
  GListStore *runs;          /* RvRun, in the list's order */
  guint n_added;             /* runs ever added: the next one's colour */
  char *save_dir;
  char *device;              /* "auto", "cpu" or "cuda" */
  char *device_note;         /* which backend, and why, for the data note */
  const RvBackend *backend;  /* where runs added from now on train */
  GSource *wakeup;           /* drains the session's events when they arrive */
  RvFramePace *pace;         /* how often it may: what the window's frames cost */

  RunView *watched;          /* or NULL */
  RunView *compared;         /* the run shown beside it, or NULL */
  RvSnapshot latest;         /* the watched run's newest live snapshot */
  guint n_snapshots;
  /* The shown runs' layers: per kind, an RvHistogramHistory per (run,
   * layer); for each, r * RV_MAX_LINEAR + layer (r: 0 for the watched run,
   * 1 for the compared one), and its norm series. */
  GPtrArray *history[3];
  GArray *history_layers, *norm_series;
  GPtrArray *compare_runs;   /* the "Compare with" list's RunView, after "none" */
  gboolean moving_scrubber, syncing_compare;
  guint replay_id;
};

G_DEFINE_FINAL_TYPE (RvTrainingPage, rv_training_page, ADW_TYPE_BIN)

static GQuark
run_view_quark (void)
{
  return g_quark_from_static_string ("rv-training-page-run-view");
}

static RunView *
view_of (RvRun *run)
{
  return g_object_get_qdata (G_OBJECT (run), run_view_quark ());
}

static guint
n_runs (RvTrainingPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->runs));
}

/* The run at place i in the list (the store holds it). */
static RunView *
run_at (RvTrainingPage *self, guint i)
{
  g_autoptr (RvRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
  return run ? view_of (run) : NULL;
}

/* Its place in the list, which is also its index in the page's API. */
static guint
index_of (RvTrainingPage *self, RunView *rv)
{
  guint pos = G_MAXUINT;
  if (!g_list_store_find (self->runs, rv->run, &pos))
    g_return_val_if_reached (G_MAXUINT);
  return pos;
}

static guint
loss_series (RvTrainingPage *self, RunView *rv)
{
  return index_of (self, rv);
}

/* The dashed training curve, then the validation one. */
static guint
train_series (RvTrainingPage *self, RunView *rv)
{
  return 2 * index_of (self, rv);
}

static guint
val_series (RvTrainingPage *self, RunView *rv)
{
  return 2 * index_of (self, rv) + 1;
}

/* The λ curve, then the dashed stability line. */
static guint
sharp_series (RvTrainingPage *self, RunView *rv)
{
  return 2 * index_of (self, rv);
}

static guint
stability_series (RvTrainingPage *self, RunView *rv)
{
  return 2 * index_of (self, rv) + 1;
}

static void
run_view_free (gpointer data)
{
  RunView *rv = data;
  g_array_unref (rv->losses);
  g_array_unref (rv->train_acc);
  g_array_unref (rv->val_acc);
  g_array_unref (rv->step_seconds);
  g_array_unref (rv->sharpness);
  rv_history_free (rv->history);
  g_free (rv->history_note);
  g_free (rv);
}

static RvProbeKind
shown_kind (RvTrainingPage *self)
{
  return gtk_toggle_button_get_active (self->kind_weights) ? RV_PROBE_WEIGHT
         : gtk_toggle_button_get_active (self->kind_gradients) ? RV_PROBE_GRADIENT : RV_PROBE_ACTIVATION;
}

static const RvStats *
snapshot_stats (const RvSnapshot *snap, RvProbeKind kind, uint32_t l)
{
  return kind == RV_PROBE_WEIGHT ? &snap->weight[l] : kind == RV_PROBE_GRADIENT ? &snap->gradient[l]
                                                                              : &snap->activation[l];
}

static char *
layer_title (const RvTrainConfig *cfg, RvProbeKind kind, uint32_t l)
{
  if (kind == RV_PROBE_GRADIENT)
    return g_strdup_printf ("layers.%u.weight (%u → %u)", 2 * l, cfg->net.sizes[l], cfg->net.sizes[l + 1]);
  return rv_label_layer_sizes (l, cfg->net.sizes[l], cfg->net.sizes[l + 1]);
}

/* --- the charts ------------------------------------------------------- */

/* TensorBoard's smoothing: an exponential moving average, debiased so the
 * curve does not start at zero. */
static void
update_loss_curve (RvTrainingPage *self, RunView *rv)
{
  double alpha = gtk_range_get_value (GTK_RANGE (self->smoothing));
  guint n = rv->losses->len;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  double ema = 0.0, weight = 0.0;
  gboolean wall_clock = gtk_check_button_get_active (self->loss_time);
  for (guint i = 0; i < n; i++)
    {
      ema = alpha * ema + (1.0 - alpha) * g_array_index (rv->losses, float, i);
      weight = alpha * weight + (1.0 - alpha);
      x[i] = (i + 1.0) * rv->loss_stride;
      /* a run loaded from disk has no timings: no points on the clock */
      if (wall_clock)
        {
          guint last_step = (i + 1) * rv->loss_stride;
          x[i] = last_step <= rv->step_seconds->len ? g_array_index (rv->step_seconds, double, last_step - 1) : NAN;
        }
      y[i] = ema / weight;
    }
  rv_curve_set_set_points (self->loss_curves, loss_series (self, rv), x, y, rv_run_get_hidden (rv->run) ? 0 : n);
}

static void
append_loss (RvTrainingPage *self, RunView *rv, float loss)
{
  rv->loss_pending_sum += loss;
  if (++rv->loss_pending_n < rv->loss_stride)
    return;
  float mean = (float) (rv->loss_pending_sum / rv->loss_pending_n);
  g_array_append_val (rv->losses, mean);
  rv->loss_pending_sum = 0.0;
  rv->loss_pending_n = 0;
  if (rv->losses->len >= MAX_LOSS_POINTS)
    {
      /* halve the resolution: average neighbours */
      for (guint i = 0; i < rv->losses->len / 2; i++)
        g_array_index (rv->losses, float, i) =
          0.5f * (g_array_index (rv->losses, float, 2 * i) + g_array_index (rv->losses, float, 2 * i + 1));
      g_array_set_size (rv->losses, rv->losses->len / 2);
      rv->loss_stride *= 2;
    }
}

static void
update_accuracy_curves (RvTrainingPage *self, RunView *rv)
{
  guint n = rv->val_acc->len;
  g_autofree double *x = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    x[i] = i + 1;
  gboolean hidden = rv_run_get_hidden (rv->run);
  rv_curve_set_set_points (self->acc_curves, train_series (self, rv), x, (double *) rv->train_acc->data,
                           hidden ? 0 : rv->train_acc->len);
  rv_curve_set_set_points (self->acc_curves, val_series (self, rv), x, (double *) rv->val_acc->data, hidden ? 0 : n);
  double best = NAN;
  for (guint e = 0; e < n; e++)
    best = isnan (best) ? g_array_index (rv->val_acc, double, e) : MAX (best, g_array_index (rv->val_acc, double, e));
  rv_run_set_best_validation (rv->run, best);
}

static gboolean
has_sharpness (const RunView *rv)
{
  return rv->tracks_sharpness || rv->sharpness->len > 0;
}

/* The sharpness at which the run's optimizer diverges on a quadratic
 * (rv_optim_stability_threshold), NaN for adaptive ones and bare weights. */
static double
stability_threshold (const RunView *rv)
{
  return rv_run_get_weights_only (rv->run) ? NAN : rv_optim_stability_threshold (&rv->cfg.optim);
}

/* "2/η = 20": the line's formula and value. */
static char *
stability_label (const RunView *rv)
{
  const char *formula;
  switch (rv->cfg.optim.kind)
    {
    case RV_OPTIM_SGD:
      formula = "2/η";
      break;
    case RV_OPTIM_MOMENTUM:
      formula = "2(1+β)/(η(1−β))";
      break;
    case RV_OPTIM_HEAVY_BALL:
      formula = "2(1+β)/η";
      break;
    default:
      formula = "2(1+β)/(η(1+2β))";
      break;
    }
  g_autofree char *value = rv_plot_format_value (stability_threshold (rv));
  return g_strdup_printf ("%s = %s", formula, value);
}

/* The chart and its caption show while a listed run has sharpness. */
static void
sync_sharpness_view (RvTrainingPage *self)
{
  gboolean any = FALSE;
  for (guint i = 0; i < n_runs (self) && !any; i++)
    any = has_sharpness (run_at (self, i));
  gtk_widget_set_visible (GTK_WIDGET (self->sharp_view), any);
  gtk_widget_set_visible (GTK_WIDGET (self->sharp_note), any);
}

/* The run's λ against step and, for an SGD-type optimizer, its dashed
 * stability line across the run's steps. */
static void
update_sharpness_curves (RvTrainingPage *self, RunView *rv)
{
  guint n = rv->sharpness->len;
  g_autofree double *x = g_new (double, MAX (n, 2));
  g_autofree double *y = g_new (double, MAX (n, 2));
  for (guint i = 0; i < n; i++)
    {
      const RvTrainSharpness *p = &g_array_index (rv->sharpness, RvTrainSharpness, i);
      x[i] = (double) p->step;
      y[i] = p->top_eigenvalue;
    }
  gboolean shown = !rv_run_get_hidden (rv->run) && has_sharpness (rv);
  rv_curve_set_set_points (self->sharp_curves, sharp_series (self, rv), x, y, shown ? n : 0);
  double threshold = stability_threshold (rv);
  gboolean line = shown && isfinite (threshold);
  uint64_t end = MAX (rv->total_steps, n ? g_array_index (rv->sharpness, RvTrainSharpness, n - 1).step : 0);
  x[0] = 0.0;
  x[1] = (double) MAX (end, 1);
  y[0] = y[1] = threshold;
  rv_curve_set_set_points (self->sharp_curves, stability_series (self, rv), x, y, line ? 2 : 0);
  /* labelled on the plot: the legend has no room for long run names */
  g_autofree char *label = line ? stability_label (rv) : NULL;
  rv_curve_set_set_label (self->sharp_curves, stability_series (self, rv), label);
  sync_sharpness_view (self);
}

/* --- the comparison table ------------------------------------------- */

/* A cell follows its column's property of the run it shows. */
static void
cell_changed (RvRun *run, GParamSpec *pspec, GtkLabel *label)
{
  g_autofree char *text = rv_run_dup_cell (run, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "column")));
  gtk_label_set_label (label, text);
  /* the whole text where the column cuts it */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* short columns keep their text; the status and the name give way */
  gtk_label_set_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (column) == RV_RUN_COLUMN_NAME ? 12 : 6);
  if (GPOINTER_TO_INT (column) == RV_RUN_COLUMN_TEST_ACCURACY
      || GPOINTER_TO_INT (column) == RV_RUN_COLUMN_BEST_VALIDATION)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", column);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  RvRun *run = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *signal = g_strdup_printf ("notify::%s", rv_run_column_property (GPOINTER_TO_INT (column)));
  g_signal_connect_object (run, signal, G_CALLBACK (cell_changed), label, 0);
  cell_changed (run, NULL, GTK_LABEL (label));
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), cell_changed, gtk_list_item_get_child (item));
}

/* The table shows the runs' model itself, a row per run. */
static void
setup_table (RvTrainingPage *self)
{
  const char *headers[RV_RUN_N_COLUMNS] = { _("Run"), _("Optimizer"), _("Best validation"), _("Test accuracy"),
                                            _("Status") };
  GtkNoSelection *selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->runs)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  for (int c = 0; c < RV_RUN_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (c));
      GtkColumnViewColumn *column = gtk_column_view_column_new (headers[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == RV_RUN_COLUMN_NAME || c == RV_RUN_COLUMN_STATUS);
      gtk_column_view_append_column (self->table, column);
      g_object_unref (column);
    }
}

/* --- the runs list ------------------------------------------------- */

static void
set_status (RvTrainingPage *self, RunView *rv, const char *status)
{
  rv_run_set_status (rv->run, status);
}

static gboolean
state_is_live (RvRunState state)
{
  return state == RV_RUN_TRAINING || state == RV_RUN_PAUSED || state == RV_RUN_QUEUED;
}

static gboolean
run_is_live (const RunView *rv)
{
  return state_is_live (rv_run_get_state (rv->run));
}

static gboolean
run_can_restart (RvRun *run)
{
  RvRunState state = rv_run_get_state (run);
  return rv_run_get_session_index (run) != G_MAXUINT
         && (state == RV_RUN_CANCELLED || state == RV_RUN_DIVERGED || state == RV_RUN_FAILED);
}

/* A row's widgets, kept on its box ("row-widgets") for the run's notify
 * handlers. */
typedef struct {
  GtkWidget *status, *visible, *pause, *cancel, *restart, *remove;
} RunRow;

/* A live run can be paused and cancelled; an ended one restarted (when it
 * did not finish) and removed; a diverged one's status is an error. */
static void
sync_row_state (RvRun *run, GParamSpec *pspec, GtkWidget *box)
{
  RunRow *row = g_object_get_data (G_OBJECT (box), "row-widgets");
  RvRunState state = rv_run_get_state (run);
  gboolean live = state_is_live (state);
  gboolean in_session = rv_run_get_session_index (run) != G_MAXUINT;
  gtk_widget_set_visible (row->pause, live);
  gtk_widget_set_visible (row->cancel, live);
  gtk_widget_set_visible (row->restart, run_can_restart (run));
  gtk_widget_set_visible (row->remove, !live);
  gtk_widget_set_sensitive (row->pause, live && in_session);
  gtk_widget_set_sensitive (row->cancel, live && in_session);
  gtk_button_set_icon_name (GTK_BUTTON (row->pause), state == RV_RUN_PAUSED ? "media-playback-start-symbolic"
                                                                            : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (row->pause, state == RV_RUN_PAUSED ? _("Resume") : _("Pause"));
  if (state == RV_RUN_DIVERGED)
    gtk_widget_add_css_class (row->status, "error");
  else
    gtk_widget_remove_css_class (row->status, "error");
}

static void
sync_row_hidden (RvRun *run, GParamSpec *pspec, GtkWidget *box)
{
  RunRow *row = g_object_get_data (G_OBJECT (box), "row-widgets");
  gboolean hidden = rv_run_get_hidden (run);
  gtk_button_set_icon_name (GTK_BUTTON (row->visible), hidden ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (row->visible, hidden ? _("Hidden from the charts: show it") : _("Show in the charts"));
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (row->visible)) == hidden)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (row->visible), !hidden);
}

/* The place in the list of the run whose row holds button. */
static guint
button_run (RvTrainingPage *self, gpointer button)
{
  guint pos = G_MAXUINT;
  g_list_store_find (self->runs, g_object_get_data (G_OBJECT (button), "run"), &pos);
  return pos;
}

static void
pause_clicked (GtkButton *button, RvTrainingPage *self)
{
  guint i = button_run (self, button);
  if (i != G_MAXUINT)
    rv_training_page_set_paused (self, i, rv_training_page_get_run_state (self, i) != RV_RUN_PAUSED);
}

static void
cancel_clicked (GtkButton *button, RvTrainingPage *self)
{
  guint i = button_run (self, button);
  if (i != G_MAXUINT)
    rv_training_page_cancel (self, i);
}

static void
restart_clicked (GtkButton *button, RvTrainingPage *self)
{
  guint i = button_run (self, button);
  if (i != G_MAXUINT)
    rv_training_page_restart (self, i);
}

static void
remove_clicked (GtkButton *button, RvTrainingPage *self)
{
  guint i = button_run (self, button);
  if (i != G_MAXUINT)
    rv_training_page_remove (self, i);
}

static void
visible_toggled (GtkToggleButton *button, RvTrainingPage *self)
{
  guint i = button_run (self, button);
  if (i != G_MAXUINT)
    rv_training_page_set_hidden (self, i, !gtk_toggle_button_get_active (button));
}

/* The runs list's row for a run (gtk_list_box_bind_model's factory): its
 * widgets follow the run's properties. */
static GtkWidget *
make_row (gpointer item, gpointer user_data)
{
  RvTrainingPage *self = user_data;
  RvRun *run = item;
  RunRow *row = g_new0 (RunRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_object_set_data_full (G_OBJECT (box), "row-widgets", row, g_free);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);

  g_autofree char *markup = rv_label_swatch_markup (rv_run_get_color (run), rv_run_get_name (run));
  GtkWidget *name = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (name), markup);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  /* a run's name can be long ("relu_512x256x256x128_kaiming_adam_…"):
   * it must not widen the sidebar */
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_widget_set_tooltip_text (name, rv_run_get_name (run));
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (top), name);

  row->visible = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (row->visible), "view-reveal-symbolic");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (row->visible), TRUE);
  gtk_widget_set_tooltip_text (row->visible, _("Show in the charts"));
  row->pause = gtk_button_new_from_icon_name ("media-playback-pause-symbolic");
  row->cancel = gtk_button_new_from_icon_name ("process-stop-symbolic");
  row->restart = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  row->remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (row->cancel, _("Cancel"));
  gtk_widget_set_tooltip_text (row->restart, _("Train again from the start"));
  gtk_widget_set_tooltip_text (row->remove, _("Remove from the list and the charts"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->visible), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show in the charts"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->pause), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pause or resume"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->cancel), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->restart), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Restart"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
  for (GtkWidget **b = (GtkWidget *[]) { row->visible, row->pause, row->cancel, row->restart, row->remove, NULL }; *b; b++)
    {
      gtk_widget_add_css_class (*b, "flat");
      g_object_set_data_full (G_OBJECT (*b), "run", g_object_ref (run), g_object_unref);
      gtk_box_append (GTK_BOX (top), *b);
    }
  g_signal_connect (row->pause, "clicked", G_CALLBACK (pause_clicked), self);
  g_signal_connect (row->cancel, "clicked", G_CALLBACK (cancel_clicked), self);
  g_signal_connect (row->restart, "clicked", G_CALLBACK (restart_clicked), self);
  g_signal_connect (row->remove, "clicked", G_CALLBACK (remove_clicked), self);
  g_signal_connect (row->visible, "toggled", G_CALLBACK (visible_toggled), self);
  gtk_box_append (GTK_BOX (box), top);

  GtkWidget *progress = gtk_progress_bar_new ();
  g_object_bind_property (run, "progress", progress, "fraction", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), progress);
  row->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->status), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->status), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (row->status), 30);
  gtk_widget_set_hexpand (row->status, TRUE);
  gtk_widget_add_css_class (row->status, "caption");
  gtk_widget_add_css_class (row->status, "dim-label");
  /* the row shows what fits; the whole line on hover */
  g_object_bind_property (run, "status", row->status, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (run, "status", row->status, "tooltip-text", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), row->status);

  g_signal_connect_object (run, "notify::state", G_CALLBACK (sync_row_state), box, 0);
  g_signal_connect_object (run, "notify::session-index", G_CALLBACK (sync_row_state), box, 0);
  g_signal_connect_object (run, "notify::hidden", G_CALLBACK (sync_row_hidden), box, 0);
  sync_row_state (run, NULL, box);
  sync_row_hidden (run, NULL, box);

  GtkWidget *list_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  return list_row;
}

/* With no runs the charts would be empty axes: say what to do instead. */
static void
sync_empty (RvTrainingPage *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, n_runs (self) ? "charts" : "empty");
}

static void sync_compare_list (RvTrainingPage *self);

/* A run at the end of the list, with its series at the end of the charts'. */
static RunView *
new_run_view (RvTrainingPage *self, const char *name, const RvTrainConfig *cfg, gboolean weights_only)
{
  RunView *rv = g_new0 (RunView, 1);
  rv->cfg = *cfg;
  rv->loss_stride = 1;
  rv->losses = g_array_new (FALSE, FALSE, sizeof (float));
  rv->train_acc = g_array_new (FALSE, FALSE, sizeof (double));
  rv->val_acc = g_array_new (FALSE, FALSE, sizeof (double));
  rv->step_seconds = g_array_new (FALSE, FALSE, sizeof (double));
  rv->sharpness = g_array_new (FALSE, FALSE, sizeof (RvTrainSharpness));
  GdkRGBA color;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  rv_plot_palette_color (self->n_added++, dark, &color);
  g_autofree char *lr = rv_plot_format_number ("%g", cfg->optim.lr);
  g_autofree char *optim = weights_only ? NULL
                                        : g_strdup_printf (_("%s, lr %s"), rv_label_optimizer (cfg->optim.kind), lr);
  g_autoptr (RvRun) run = rv_run_new (name, optim, &color);
  rv_run_set_weights_only (run, weights_only);
  rv->run = run;
  g_object_set_qdata_full (G_OBJECT (run), run_view_quark (), rv, run_view_free);

  g_assert (rv_curve_set_get_n_series (self->loss_curves) == n_runs (self));
  rv_curve_set_add_series (self->loss_curves, name, &color, FALSE);
  g_autofree char *train = g_strdup_printf (_("%s, training"), name);
  g_autofree char *val = g_strdup_printf (_("%s, validation"), name);
  rv_curve_set_add_series (self->acc_curves, train, &color, TRUE);
  rv_curve_set_add_series (self->acc_curves, val, &color, FALSE);
  /* named once the run has sharpness (name_series) */
  rv_curve_set_add_series (self->sharp_curves, "", &color, FALSE);
  rv_curve_set_add_series (self->sharp_curves, "", &color, TRUE);
  g_list_store_append (self->runs, run);

  sync_empty (self);
  sync_compare_list (self);
  return rv;
}

/* --- the watched run's layers ----------------------------------------- */

/* The runs whose layers are shown: the watched one first, then the one it
 * is compared with. */
static guint
shown_runs (RvTrainingPage *self, RunView *shown[2])
{
  guint n = 0;
  if (self->watched)
    shown[n++] = self->watched;
  if (n && self->compared && self->compared != self->watched)
    shown[n++] = self->compared;
  return n;
}

static gboolean
comparing (RvTrainingPage *self)
{
  RunView *shown[2];
  return shown_runs (self, shown) == 2;
}

/* "Layer 0 (784 → 512)", or with two runs shown "SGD · Layer 0 (784 → 512)". */
static char *
shown_title (RvTrainingPage *self, RunView *rv, RvProbeKind kind, uint32_t l)
{
  g_autofree char *title = layer_title (&rv->cfg, kind, l);
  return comparing (self) ? g_strdup_printf ("%s · %s", rv_run_get_name (rv->run), title) : g_steal_pointer (&title);
}

/* The step the views show: the scrubber's. */
static uint64_t
shown_step (RvTrainingPage *self)
{
  return (uint64_t) llround (gtk_range_get_value (GTK_RANGE (self->scrubber)));
}

static gboolean
following (RvTrainingPage *self)
{
  return gtk_check_button_get_active (self->follow);
}

/* The index of the last snapshot of h at or before step (0 when none is). */
static guint
history_index_at (RvHistogramHistory *h, uint64_t step)
{
  guint lo = 0, hi = rv_histogram_history_get_n (h);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (rv_histogram_history_get_step (h, mid) <= step)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo > 0 ? lo - 1 : 0;
}

static void
show_grid_kind (RvTrainingPage *self)
{
  RunView *shown[2];
  guint n = shown_runs (self, shown);
  RvProbeKind kind = shown_kind (self);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  uint32_t layers = 0;
  for (guint r = 0; r < n; r++)
    layers = MAX (layers, shown[r]->cfg.net.n_linear);
  for (uint32_t l = 0; l < layers; l++)
    for (guint r = 0; r < n; r++)
      {
        RunView *rv = shown[r];
        const RvSnapshot *snap = NULL;
        /* the watched run's live snapshots while following it, else the
         * recorded one at the scrubbed step */
        if (r == 0 && following (self) && self->n_snapshots > 0 && rv_run_get_state (rv->run) == RV_RUN_TRAINING)
          snap = &self->latest;
        else if (rv->history && rv_history_get_n (rv->history) > 0)
          snap = rv_history_get (rv->history, rv_history_index_at_step (rv->history, following (self) ? G_MAXUINT64
                                                                                                  : shown_step (self)));
        else if (r == 0 && self->n_snapshots > 0)
          snap = &self->latest;
        if (snap == NULL || l >= snap->n_linear)
          continue;
        g_autofree char *title = shown_title (self, rv, kind, l);
        RvHistogram *h = rv_histogram_new (title);
        rv_histogram_set_stats (h, snapshot_stats (snap, kind, l));
        g_ptr_array_add (list, h);
      }
  rv_histogram_grid_set_histograms (self->dist_grid, list);
}

static void
apply_ridge_options (RvRidgelineView *view, RvTrainingPage *self)
{
  rv_ridgeline_view_set_follow (view, following (self));
  rv_ridgeline_view_set_range_mode (view, gtk_check_button_get_active (self->recent_range)
                                            ? RV_RIDGELINE_RANGE_RECENT : RV_RIDGELINE_RANGE_WHOLE);
  if (!following (self))
    rv_ridgeline_view_set_current (view, history_index_at (RV_HISTOGRAM_HISTORY (rv_chart_get_model (RV_CHART (view))), shown_step (self)));
}

static void
for_each_ridge (RvTrainingPage *self, void (*apply) (RvRidgelineView *, RvTrainingPage *))
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->ridges)); c; c = gtk_widget_get_next_sibling (c))
    apply (RV_RIDGELINE_VIEW (c), self);
}

static void
show_ridges_kind (RvTrainingPage *self)
{
  RunView *shown[2];
  shown_runs (self, shown);
  rv_reflow_box_remove_all (self->ridges);
  GPtrArray *histories = self->history[shown_kind (self)];
  for (guint i = 0; i < histories->len; i++)
    {
      GtkWidget *view = rv_ridgeline_view_new (g_ptr_array_index (histories, i));
      if (comparing (self))
        rv_ridgeline_view_set_color (RV_RIDGELINE_VIEW (view),
                                     rv_run_get_color (shown[g_array_index (self->history_layers, guint, i) / RV_MAX_LINEAR]->run));
      apply_ridge_options (RV_RIDGELINE_VIEW (view), self);
      rv_reflow_box_append (self->ridges, view);
    }
}

/* Where the replay stands on the loss and accuracy charts: nowhere while
 * following the newest step. */
static void
sync_markers (RvTrainingPage *self)
{
  RunView *shown[2];
  if (following (self) || shown_runs (self, shown) == 0)
    {
      rv_curve_view_set_marker (self->loss_view, NAN);
      rv_curve_view_set_marker (self->acc_view, NAN);
      return;
    }
  RunView *rv = shown[0];
  uint64_t step = shown_step (self);
  double loss_x = (double) step;
  if (gtk_check_button_get_active (self->loss_time))
    loss_x = step >= 1 && step <= rv->step_seconds->len ? g_array_index (rv->step_seconds, double, step - 1) : NAN;
  rv_curve_view_set_marker (self->loss_view, loss_x);
  rv_curve_view_set_marker (self->acc_view, rv->steps_per_epoch > 0 ? (double) step / rv->steps_per_epoch : NAN);
}

static void
sync_step_label (RvTrainingPage *self)
{
  RunView *shown[2];
  if (shown_runs (self, shown) == 0 || gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (self->scrubber))) < 1)
    {
      gtk_label_set_label (self->step_label, "");
      return;
    }
  uint64_t step = shown_step (self);
  g_autofree char *count = rv_plot_format_count (step);
  uint32_t per_epoch = shown[0]->steps_per_epoch;
  g_autofree char *label = per_epoch
    /* Translators: a step and the epoch it is in */
    ? g_strdup_printf (_("step %s · epoch %u"), count, (guint) ((step + per_epoch - 1) / per_epoch))
    : g_strdup_printf (_("step %s"), count);
  gtk_label_set_label (self->step_label, label);
}

static void
scrubbed (RvTrainingPage *self)
{
  /* sliding back in time stops following the newest */
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scrubber));
  if (following (self) && !self->moving_scrubber && gtk_adjustment_get_value (adj) < gtk_adjustment_get_upper (adj))
    gtk_check_button_set_active (self->follow, FALSE);
  for_each_ridge (self, apply_ridge_options);
  if (!following (self))
    show_grid_kind (self);
  sync_markers (self);
  sync_step_label (self);
}

/* Moves the scrubber without it counting as the reader's move. */
static void
move_scrubber (RvTrainingPage *self, double lower, double upper, double value)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scrubber));
  self->moving_scrubber = TRUE;
  gtk_adjustment_configure (adj, CLAMP (value, lower, upper), lower, upper, 1, MAX (1, (upper - lower) / 20), 0);
  self->moving_scrubber = FALSE;
  sync_step_label (self);
}

/* The scrubber spans the shown runs' recorded steps. */
static void
sync_scrubber_range (RvTrainingPage *self)
{
  RunView *shown[2];
  guint n = shown_runs (self, shown);
  double lower = G_MAXDOUBLE, upper = 0;
  for (guint r = 0; r < n; r++)
    if (shown[r]->history && rv_history_get_n (shown[r]->history) > 0)
      {
        lower = MIN (lower, (double) rv_history_get (shown[r]->history, 0)->step);
        upper = MAX (upper, (double) rv_history_get (shown[r]->history, rv_history_get_n (shown[r]->history) - 1)->step);
      }
  if (upper == 0)
    lower = upper = 0;
  move_scrubber (self, lower, upper, following (self) ? upper : gtk_range_get_value (GTK_RANGE (self->scrubber)));
}

static void
follow_toggled (RvTrainingPage *self)
{
  if (following (self))
    sync_scrubber_range (self);
  for_each_ridge (self, apply_ridge_options);
  show_grid_kind (self);
  sync_markers (self);
}

static void
ridge_options_changed (RvTrainingPage *self)
{
  for_each_ridge (self, apply_ridge_options);
}

static void
add_norm_point (RvCurveSet *set, guint series, double x, double y)
{
  if (rv_curve_set_get_n_points (set, series) >= MAX_NORM_POINTS)
    {
      /* keep every other point: the history thins, its memory does not grow */
      guint n = rv_curve_set_get_n_points (set, series);
      g_autofree double *xs = g_new (double, n / 2), *ys = g_new (double, n / 2);
      for (guint i = 0; i < n / 2; i++)
        {
          xs[i] = rv_curve_set_get_x (set, series)[2 * i + 1];
          ys[i] = rv_curve_set_get_y (set, series)[2 * i + 1];
        }
      rv_curve_set_set_points (set, series, xs, ys, n / 2);
    }
  rv_curve_set_append (set, series, x, y);
}

/* Adds one recorded snapshot of shown run r (0 or 1) to the ridgelines'
 * histories and the norm charts. */
static void
show_history_snapshot (RvTrainingPage *self, guint r, const RvSnapshot *snap)
{
  for (guint i = 0; i < self->history_layers->len; i++)
    if (g_array_index (self->history_layers, guint, i) / RV_MAX_LINEAR == r)
      {
        uint32_t l = g_array_index (self->history_layers, guint, i) % RV_MAX_LINEAR;
        for (int k = 0; k < 3; k++)
          rv_histogram_history_append (g_ptr_array_index (self->history[k], i), snap->step, snapshot_stats (snap, k, l));
        guint series = g_array_index (self->norm_series, guint, i);
        add_norm_point (self->norm_curves, series, (double) snap->step, snap->grad_norm[l]);
        if (isfinite (snap->update_ratio[l]))
          add_norm_point (self->ratio_curves, series, (double) snap->step, snap->update_ratio[l]);
      }
}

/* Rebuilds every layer view from the shown runs' histories: on watching
 * another run, comparing with one, or a run's whole history arriving. */
static void
rebuild_layers (RvTrainingPage *self)
{
  RunView *shown[2];
  guint n = shown_runs (self, shown);
  for (int k = 0; k < 3; k++)
    g_ptr_array_set_size (self->history[k], 0);
  g_array_set_size (self->history_layers, 0);
  g_array_set_size (self->norm_series, 0);
  rv_curve_set_clear (self->norm_curves);
  rv_curve_set_clear (self->ratio_curves);

  uint32_t layers = 0;
  for (guint r = 0; r < n; r++)
    layers = MAX (layers, shown[r]->cfg.net.n_linear);
  for (uint32_t l = 0; l < layers; l++)
    for (guint r = 0; r < n; r++)
      {
        RunView *rv = shown[r];
        /* a run without a history has no layer views (the header says why) */
        if (l >= rv->cfg.net.n_linear || rv->history == NULL)
          continue;
        guint owner = r * RV_MAX_LINEAR + l;
        for (int k = 0; k < 3; k++)
          {
            g_autofree char *title = shown_title (self, rv, k, l);
            g_ptr_array_add (self->history[k], rv_histogram_history_new (title));
          }
        g_array_append_val (self->history_layers, owner);
        g_autofree char *weight = g_strdup_printf ("layers.%u.weight", 2 * l);
        g_autofree char *name = n == 2 ? g_strdup_printf ("%s · %s", rv_run_get_name (rv->run), weight) : g_strdup (weight);
        /* a layer keeps its colour in both runs; the compared run is dashed */
        GdkRGBA color;
        rv_plot_palette_color (l, adw_style_manager_get_dark (adw_style_manager_get_default ()), &color);
        guint series = rv_curve_set_add_series (self->norm_curves, name, &color, r == 1);
        rv_curve_set_add_series (self->ratio_curves, name, &color, r == 1);
        g_array_append_val (self->norm_series, series);
      }
  for (guint r = 0; r < n; r++)
    if (shown[r]->history)
      for (guint i = 0; i < rv_history_get_n (shown[r]->history); i++)
        show_history_snapshot (self, r, rv_history_get (shown[r]->history, i));

  sync_scrubber_range (self);
  show_ridges_kind (self);
  show_grid_kind (self);
  sync_markers (self);
}

/* What the header says about the watched run's layers. */
static void
sync_watched_label (RvTrainingPage *self)
{
  RunView *rv = self->watched;
  if (rv == NULL)
    return;
  const char *name = rv_run_get_name (rv->run);
  g_autofree char *label = rv->history_note ? g_strdup_printf (_("Layers of %s: %s"), name, rv->history_note)
                                            : g_strdup_printf (_("Layers of %s"), name);
  gtk_label_set_label (self->watched_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->watched_label), label);
}

/* A snapshot the run's history recorded while it trains. */
static void
add_history_snapshot (RvTrainingPage *self, RunView *rv, RvSnapshot *snap)
{
  gboolean first = rv->history == NULL;
  if (first)
    rv->history = rv_history_new (&rv->cfg.net, 0, rv->steps_per_epoch, snap->weight[0].n_bins);
  rv_history_take (rv->history, snap);
  const RvSnapshot *kept = rv_history_get (rv->history, rv_history_get_n (rv->history) - 1);
  RunView *shown[2];
  guint n = shown_runs (self, shown);
  for (guint r = 0; r < n; r++)
    if (shown[r] == rv && first)
      rebuild_layers (self); /* its layer views appear with its first snapshot */
    else if (shown[r] == rv)
      {
        show_history_snapshot (self, r, kept);
        sync_scrubber_range (self);
        if (!following (self) || rv_run_get_state (rv->run) != RV_RUN_TRAINING || r == 1)
          show_grid_kind (self);
      }
}

/* A run's history as it was saved (or whole, at the end of training). */
static void
set_history (RvTrainingPage *self, RunView *rv, RvHistory *history, const char *note)
{
  g_clear_pointer (&rv->history, rv_history_free);
  g_clear_pointer (&rv->history_note, g_free);
  rv->history = history;
  rv->history_note = g_strdup (note);
  if (history && history->steps_per_epoch)
    rv->steps_per_epoch = history->steps_per_epoch;
  RunView *shown[2];
  guint n = shown_runs (self, shown);
  for (guint r = 0; r < n; r++)
    if (shown[r] == rv)
      {
        rebuild_layers (self);
        sync_watched_label (self);
        break;
      }
}

/* A live snapshot of the watched run (the "Now" view's, several a second). */
static void
take_snapshot (RvTrainingPage *self, RvRunEvent *ev)
{
  rv_snapshot_clear (&self->latest);
  self->latest = ev->snapshot;
  memset (&ev->snapshot, 0, sizeof ev->snapshot); /* the stats' counts now belong to self->latest */
  self->n_snapshots++;
  if (following (self))
    show_grid_kind (self);
}

/* --- replay ------------------------------------------------------------- */

static const double replay_speeds[] = { 0.5, 1.0, 2.0, 4.0 };
#define REPLAY_SNAPSHOTS_PER_SECOND 10.0

static void stop_replay (RvTrainingPage *self);

/* One replay tick: the next recorded snapshot of the watched run. */
static gboolean
replay_tick (gpointer user_data)
{
  RvTrainingPage *self = user_data;
  RunView *shown[2];
  if (shown_runs (self, shown) == 0 || shown[0]->history == NULL || rv_history_get_n (shown[0]->history) == 0)
    {
      self->replay_id = 0;
      stop_replay (self);
      return G_SOURCE_REMOVE;
    }
  RvHistory *h = shown[0]->history;
  uint64_t step = shown_step (self);
  guint i = rv_history_index_at_step (h, step);
  if (rv_history_get (h, i)->step <= step)
    i++;
  if (i >= rv_history_get_n (h))
    {
      self->replay_id = 0;
      stop_replay (self);
      return G_SOURCE_REMOVE;
    }
  gtk_range_set_value (GTK_RANGE (self->scrubber), (double) rv_history_get (h, i)->step);
  return G_SOURCE_CONTINUE;
}

static void
stop_replay (RvTrainingPage *self)
{
  if (self->replay_id)
    g_source_remove (self->replay_id);
  self->replay_id = 0;
  gtk_button_set_icon_name (self->play, "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play), _("Replay the layers' history"));
}

static void
start_replay (RvTrainingPage *self)
{
  RunView *shown[2];
  if (shown_runs (self, shown) == 0 || shown[0]->history == NULL || rv_history_get_n (shown[0]->history) == 0)
    return;
  gtk_check_button_set_active (self->follow, FALSE);
  RvHistory *h = shown[0]->history;
  /* from the start when it stands at the end */
  if (shown_step (self) >= rv_history_get (h, rv_history_get_n (h) - 1)->step)
    gtk_range_set_value (GTK_RANGE (self->scrubber), (double) rv_history_get (h, 0)->step);
  double speed = replay_speeds[MIN (gtk_drop_down_get_selected (self->speed), G_N_ELEMENTS (replay_speeds) - 1)];
  self->replay_id = g_timeout_add ((guint) (1000.0 / (REPLAY_SNAPSHOTS_PER_SECOND * speed)), replay_tick, self);
  gtk_button_set_icon_name (self->play, "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play), _("Pause the replay"));
}

static void
play_clicked (RvTrainingPage *self)
{
  if (self->replay_id)
    stop_replay (self);
  else
    start_replay (self);
}

static void
speed_changed (RvTrainingPage *self)
{
  if (self->replay_id)
    {
      stop_replay (self);
      start_replay (self);
    }
}

/* --- comparing two runs ------------------------------------------------ */

/* The "Compare with" list: none, then every run but the watched one. */
static void
sync_compare_list (RvTrainingPage *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _("Compare with…"));
  g_ptr_array_set_size (self->compare_runs, 0);
  guint selected = 0;
  for (guint i = 0; i < n_runs (self); i++)
    {
      RunView *rv = run_at (self, i);
      if (rv == self->watched)
        continue;
      g_ptr_array_add (self->compare_runs, rv);
      gtk_string_list_append (names, rv_run_get_name (rv->run));
      if (rv == self->compared)
        selected = self->compare_runs->len;
    }
  self->syncing_compare = TRUE;
  gtk_drop_down_set_model (self->compare, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->compare, selected);
  self->syncing_compare = FALSE;
}

static void
compare_changed (RvTrainingPage *self)
{
  if (self->syncing_compare)
    return;
  guint pos = gtk_drop_down_get_selected (self->compare);
  guint run = pos > 0 && pos <= self->compare_runs->len ? index_of (self, g_ptr_array_index (self->compare_runs, pos - 1))
                                                         : G_MAXUINT;
  rv_training_page_compare (self, run);
}

/* --- events ------------------------------------------------------------ */

/* The listed run the session knows by index; NULL for a run removed
 * from the list, whose last events (its thread ending) are dropped. */
static RunView *
run_for_session_index (RvTrainingPage *self, guint index)
{
  for (guint i = 0; i < n_runs (self); i++)
    if (rv_run_get_session_index (run_at (self, i)->run) == index)
      return run_at (self, i);
  return NULL;
}

static void name_series (RvTrainingPage *self, RunView *rv);

static void
show_results (RvTrainingPage *self, RunView *rv, const RvTrainResults *res)
{
  rv_run_set_test_accuracy (rv->run, res->test_acc);
  g_array_set_size (rv->losses, 0);
  rv->loss_stride = 1;
  rv->loss_pending_n = 0;
  rv->loss_pending_sum = 0.0;
  for (guint i = 0; i < res->train_losses->len; i++)
    append_loss (self, rv, g_array_index (res->train_losses, float, i));
  g_array_set_size (rv->train_acc, 0);
  g_array_set_size (rv->val_acc, 0);
  g_array_append_vals (rv->train_acc, res->train_scores->data, res->train_scores->len);
  g_array_append_vals (rv->val_acc, res->val_scores->data, res->val_scores->len);
  update_loss_curve (self, rv);
  update_accuracy_curves (self, rv);
  rv->total_steps = MAX (rv->total_steps, res->train_losses->len);
  if (res->sharpness)
    {
      g_array_set_size (rv->sharpness, 0);
      g_array_append_vals (rv->sharpness, res->sharpness->data, res->sharpness->len);
    }
  name_series (self, rv);
  update_sharpness_curves (self, rv);
}

static void
handle_event (RvTrainingPage *self, RvRunEvent *ev)
{
  RunView *rv = run_for_session_index (self, ev->run);
  if (rv == NULL)
    return;
  switch (ev->kind)
    {
    case RV_RUN_EVENT_STARTED:
      /* a run paused before it started stays paused */
      if (rv_run_get_state (rv->run) != RV_RUN_PAUSED)
        {
          rv_run_set_state (rv->run, RV_RUN_TRAINING);
          set_status (self, rv, _("starting…"));
        }
      break;
    case RV_RUN_EVENT_LOSSES:
      {
        if (rv->steps_per_epoch == 0 && ev->epochs > 0)
          rv->steps_per_epoch = (uint32_t) (ev->total_steps / ev->epochs);
        /* a resumed run that waited for a core has one again */
        if (rv_run_get_state (rv->run) == RV_RUN_QUEUED)
          rv_run_set_state (rv->run, RV_RUN_TRAINING);
        /* the steps since the last event, spread evenly over its seconds */
        guint k = ev->losses->len;
        for (guint i = 0; i < k; i++)
          {
            double t = rv->last_seconds + (ev->elapsed_seconds - rv->last_seconds) * (i + 1.0) / k;
            g_array_append_val (rv->step_seconds, t);
          }
        rv->last_seconds = ev->elapsed_seconds;
        for (guint i = 0; i < ev->losses->len; i++)
          append_loss (self, rv, g_array_index (ev->losses, float, i));
        update_loss_curve (self, rv);
        double done = ev->total_steps ? (double) ev->step / ev->total_steps : 0.0;
        double left = done > 0 ? ev->elapsed_seconds * (1 - done) / done : 0.0;
        rv_run_set_progress (rv->run, done);
        g_autofree char *step = rv_plot_format_count (ev->step);
        g_autofree char *speed = rv_plot_format_count ((guint64) llround (ev->images_per_second));
        g_autofree char *seconds = rv_plot_format_count ((guint64) llround (left));
        /* Translators: epoch, epochs, step, images per second, seconds */
        g_autofree char *status = g_strdup_printf (_("epoch %u/%u · step %s · %s images/s · %s s left"),
                                                   ev->epoch + 1, ev->epochs, step, speed, seconds);
        if (rv_run_get_state (rv->run) != RV_RUN_PAUSED)
          set_status (self, rv, status);
      }
      break;
    case RV_RUN_EVENT_EPOCH:
      g_array_append_val (rv->train_acc, ev->train_acc);
      g_array_append_val (rv->val_acc, ev->val_acc);
      update_accuracy_curves (self, rv);
      break;
    case RV_RUN_EVENT_SNAPSHOT:
      if (self->watched == rv)
        take_snapshot (self, ev);
      break;
    case RV_RUN_EVENT_HISTORY:
      add_history_snapshot (self, rv, &ev->snapshot);
      break;
    case RV_RUN_EVENT_SHARPNESS:
      {
        RvTrainSharpness point = { .step = ev->step, .top_eigenvalue = ev->top_eigenvalue };
        g_array_append_val (rv->sharpness, point);
        rv->total_steps = ev->total_steps;
        update_sharpness_curves (self, rv);
      }
      break;
    case RV_RUN_EVENT_FINISHED:
      rv_run_set_state (rv->run, ev->error ? RV_RUN_FAILED : RV_RUN_DONE);
      show_results (self, rv, &ev->results);
      {
        g_autofree char *note = ev->history_error
          /* Translators: why a saved run shows no layer history; the reason is in English */
          ? g_strdup_printf (_("its history could not be read (%s)"), ev->history_error->message)
          : ev->results.history == NULL ? g_strdup (_("no history was saved with this run")) : NULL;
        set_history (self, rv, g_steal_pointer (&ev->results.history), note);
      }
      rv_run_set_progress (rv->run, 1.0);
      {
        g_autofree char *acc = rv_run_format_accuracy (ev->results.test_acc);
        g_autofree char *status = ev->error
          ? g_strdup_printf (_("trained (test accuracy %s), but not saved: %s; the previous files are kept"),
                             acc, ev->error->message)
          : ev->trajectory_error
          /* Translators: the test accuracy, then why the trajectory file could not be written (in English) */
          ? g_strdup_printf (_("done: test accuracy %s, but its parameter snapshots were not saved (%s)"), acc,
                             ev->trajectory_error->message)
          : g_strdup_printf (ev->reused ? _("loaded from disk: test accuracy %s") : _("done: test accuracy %s"), acc);
        set_status (self, rv, status);
      }
      break;
    case RV_RUN_EVENT_FAILED:
      rv_run_set_state (rv->run, ev->state);
      {
        g_autofree char *status = ev->state == RV_RUN_DIVERGED ? g_strdup_printf (_("diverged: %s"), ev->error->message)
                                  : ev->state == RV_RUN_CANCELLED ? g_strdup (_("cancelled"))
                                  : g_strdup_printf (_("failed: %s"), ev->error->message);
        set_status (self, rv, status);
      }
      break;
    default:
      break;
    }
}

/* The session's events are drained when they arrive: a worker that finds
 * the queue empty makes the wake-up source ready (from its thread), and the
 * main loop runs this.  With nothing arriving the page asks for no frames. */
static gboolean
drain_events (gpointer user_data)
{
  RvTrainingPage *self = user_data;
  RvRunEvent *ev;
  while (self->session && (ev = rv_train_session_pop_event (self->session)))
    {
      handle_event (self, ev);
      rv_run_event_free (ev);
    }
  if (self->wakeup && self->pace)
    rv_wakeup_set_min_interval (self->wakeup, rv_frame_pace_get_interval_ms (self->pace));
  return G_SOURCE_CONTINUE;
}



/* --- the form ------------------------------------------------------------ */

static void
optimizer_changed (RvTrainingPage *self)
{
  RvOptimKind kind = (RvOptimKind) gtk_drop_down_get_selected (self->optimizer);
  RvOptimConfig defaults;
  rv_optim_config_init (&defaults, kind);
  gboolean momentum = rv_optim_kind_uses (kind, "momentum");
  gboolean betas = rv_optim_kind_uses (kind, "beta1");
  gtk_widget_set_visible (GTK_WIDGET (self->momentum), momentum);
  gtk_widget_set_visible (self->momentum_label, momentum);
  gtk_widget_set_visible (GTK_WIDGET (self->beta1), betas);
  gtk_widget_set_visible (self->beta1_label, betas);
  gtk_widget_set_visible (GTK_WIDGET (self->beta2), betas);
  gtk_widget_set_visible (self->beta2_label, betas);
  gtk_spin_button_set_value (self->lr, defaults.lr);
}

static gboolean
read_form (RvTrainingPage *self, RvTrainConfig *cfg, GError **error)
{
  rv_train_config_init_default (cfg);
  cfg->net.act = (RvActivation) gtk_drop_down_get_selected (self->activation);
  if (!rv_net_config_parse_hidden (&cfg->net, gtk_editable_get_text (GTK_EDITABLE (self->hidden)), error))
    return FALSE;
  cfg->init.kind = (RvInitKind) gtk_drop_down_get_selected (self->initializer);
  if (rv_init_kind_takes_value (cfg->init.kind))
    cfg->init.value = cfg->init.kind == RV_INIT_CONST ? 0.005f : 0.01f;
  rv_optim_config_init (&cfg->optim, (RvOptimKind) gtk_drop_down_get_selected (self->optimizer));
  cfg->optim.lr = gtk_spin_button_get_value (self->lr);
  cfg->optim.momentum = gtk_spin_button_get_value (self->momentum);
  cfg->optim.beta1 = gtk_spin_button_get_value (self->beta1);
  cfg->optim.beta2 = gtk_spin_button_get_value (self->beta2);
  cfg->epochs = (uint32_t) gtk_spin_button_get_value_as_int (self->epochs);
  cfg->batch_size = (uint32_t) gtk_spin_button_get_value_as_int (self->batch);
  cfg->seed = (uint64_t) gtk_spin_button_get_value_as_int (self->seed);
  return rv_size_check_network (&cfg->net, cfg->batch_size, error)
         && rv_optim_config_validate (&cfg->optim, error);
}

/* A name that says what the run is, so the same settings reuse its files. */
static char *
run_name (const RvTrainConfig *cfg)
{
  g_autofree char *hidden = rv_net_config_hidden_string (&cfg->net);
  g_autofree char *init = rv_init_to_string (&cfg->init);
  g_strdelimit (hidden, ",", 'x');
  g_strdelimit (init, ":", '-');
  char lr[G_ASCII_DTOSTR_BUF_SIZE];

  /* A file name: the same in every locale ("lr0.1", never "lr0,1"). */
  g_ascii_formatd (lr, sizeof lr, "%g", cfg->optim.lr);
  return g_strdup_printf ("%s_%s_%s_%s_lr%s_e%u_b%u_s%" G_GUINT64_FORMAT, rv_activation_name (cfg->net.act), hidden,
                          init, rv_optim_kind_name (cfg->optim.kind), lr, cfg->epochs, cfg->batch_size,
                          cfg->seed);
}

static void
add_run_clicked (RvTrainingPage *self)
{
  RvTrainConfig cfg;
  g_autoptr (GError) error = NULL;
  if (!read_form (self, &cfg, &error))
    {
      gtk_label_set_label (self->data_note, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->data_note), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->data_note), "error");
  g_autofree char *name = run_name (&cfg);
  rv_training_page_add_run (self, name, &cfg, gtk_check_button_get_active (self->retrain));
}

static void
open_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvTrainingPage *self = user_data;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path && !rv_training_page_open_run (self, path, &error))
        rv_error_dialog_show (GTK_WIDGET (self), _("Could not open the run"), error);
    }
  g_object_unref (chooser);
}

static void
open_run_clicked (RvTrainingPage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Open Saved Run"),
                                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Runs and weights files"));
  gtk_file_filter_add_pattern (filter, "*.config");
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Run configurations"));
  gtk_file_filter_add_pattern (filter, "*.config");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Weights files"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
row_selected (RvTrainingPage *self, GtkListBoxRow *row)
{
  if (row == NULL)
    return;
  rv_training_page_watch (self, (guint) gtk_list_box_row_get_index (row));
}

static void
kind_toggled (RvTrainingPage *self)
{
  show_grid_kind (self);
  show_ridges_kind (self);
}

static void
view_toggled (RvTrainingPage *self)
{
  gtk_stack_set_visible_child_name (self->dist_stack, gtk_toggle_button_get_active (self->show_grid) ? "grid"
                                                      : gtk_toggle_button_get_active (self->show_ridges) ? "ridges"
                                                      : "norms");
}

static void
every_changed (RvTrainingPage *self)
{
  if (self->session && self->watched && rv_run_get_session_index (self->watched->run) != G_MAXUINT)
    rv_train_session_watch (self->session, rv_run_get_session_index (self->watched->run),
                            (guint) gtk_spin_button_get_value_as_int (self->every));
}

/* Steps or seconds along the loss chart. */
static void
loss_time_toggled (RvTrainingPage *self)
{
  gboolean wall_clock = gtk_check_button_get_active (self->loss_time);
  rv_curve_view_set_x_title (self->loss_view, wall_clock ? _("seconds of training") : _("step"));
  rv_curve_view_set_x_integer (self->loss_view, !wall_clock);
  for (guint i = 0; i < n_runs (self); i++)
    update_loss_curve (self, run_at (self, i));
  sync_markers (self);
}

static void
smoothing_changed (RvTrainingPage *self)
{
  for (guint i = 0; i < n_runs (self); i++)
    update_loss_curve (self, run_at (self, i));
}

/* --- public ------------------------------------------------------------ */

/* A run that starts or ends shows at once; the rest at the page's pace. */
static void
wake_for_events (gpointer wakeup, gboolean urgent)
{
  if (urgent)
    rv_wakeup_signal_now (wakeup);
  else
    rv_wakeup_signal (wakeup);
}

static void
update_data_note (RvTrainingPage *self, const char *save_dir)
{
  if (self->data == NULL)
    return;
  g_autofree char *note = self->data->synthetic
    ? g_strdup_printf (_("Training on the synthetic data set (FashionMNIST was not found), %s."), self->device_note)
    : g_strdup_printf (_("Training on FashionMNIST, %s."), self->device_note);
  /* The folder only on demand: it means nothing to a class at a projector. */
  g_autofree char *where = g_strdup_printf (_("Runs are saved in %s"), save_dir);
  gtk_label_set_label (self->data_note, note);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->data_note), where);
}

/* Picks the backend for later runs from the device setting, and says which
 * in the reader's language.  Auto takes a working GPU, else the CPU without
 * a word (no GPU is the usual case); only a GPU asked for and unusable is
 * explained, its reason (rare, and from the CUDA driver) in English. */
static void
apply_device (RvTrainingPage *self)
{
  RvDevice device = RV_DEVICE_AUTO;
  rv_device_from_name (self->device, &device);
  g_autoptr (GError) error = NULL;
  const RvBackend *backend = rv_device_backend (device, NULL, &error);
  g_free (self->device_note);
  if (backend == NULL)
    {
      backend = rv_backend_cpu ();
      /* Translators: why training does not use the GPU, a message in English */
      self->device_note = g_strdup_printf (_("on the CPU, because the GPU cannot be used: %s"), error->message);
    }
  else if (backend->host_memory)
    {
      int cores = g_get_num_processors ();
      self->device_note = g_strdup_printf (ngettext ("on the CPU (OpenBLAS, %d core)", "on the CPU (OpenBLAS, %d cores)",
                                                     cores), cores);
    }
  else
    {
      /* "NVIDIA H200 (compute 9.0, 139 GiB)": a name, as the driver gives it */
      g_autofree char *what = rv_device_describe (backend);
      self->device_note = g_strdup_printf (_("on %s"), what);
    }
  self->backend = backend;
  if (self->session)
    rv_train_session_set_backend (self->session, backend);
}

void
rv_training_page_set_data (RvTrainingPage *self, const RvDataset *data, const char *save_dir)
{
  self->data = data;
  g_free (self->save_dir);
  self->save_dir = g_strdup (save_dir);
  if (self->session)
    {
      /* new data (a download finished): later runs use it */
      rv_train_session_set_data (self->session, data);
    }
  else
    {
      self->session = rv_train_session_new (data, save_dir);
      /* the device was chosen when the setting was read; only tell the session */
      if (self->backend == NULL)
        apply_device (self);
      rv_train_session_set_backend (self->session, self->backend);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_run), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quick_preset), TRUE);
  update_data_note (self, save_dir);
  if (self->wakeup == NULL)
    {
      self->wakeup = rv_wakeup_new (drain_events, self, "ravine training events", TRAINING_REDRAW_MS);
      rv_train_session_set_notify (self->session, wake_for_events, self->wakeup);
      /* events that came before */
      rv_wakeup_signal (self->wakeup);
    }
}

void
rv_training_page_set_device (RvTrainingPage *self, const char *device)
{
  g_free (self->device);
  self->device = g_strdup (device);
  apply_device (self);
  if (self->save_dir)
    update_data_note (self, self->save_dir);
}

void
rv_training_page_shutdown (RvTrainingPage *self)
{
  if (self->session)
    rv_train_session_set_notify (self->session, NULL, NULL);
  /* the workers are joined before the source they may still wake goes */
  g_clear_pointer (&self->session, rv_train_session_free);
  if (self->wakeup)
    {
      g_source_destroy (self->wakeup);
      g_clear_pointer (&self->wakeup, g_source_unref);
    }
  /* nothing drains from now on */
  g_clear_pointer (&self->pace, rv_frame_pace_free);
  if (self->replay_id)
    g_source_remove (self->replay_id);
  self->replay_id = 0;
}

guint
rv_training_page_add_run (RvTrainingPage *self, const char *name, const RvTrainConfig *cfg, gboolean retrain)
{
  g_return_val_if_fail (self->session != NULL, G_MAXUINT);
  RunView *rv = new_run_view (self, name, cfg, FALSE);
  set_status (self, rv, _("waiting for a free core"));
  rv->tracks_sharpness = gtk_check_button_get_active (self->track_sharpness);
  name_series (self, rv);
  update_sharpness_curves (self, rv);
  rv_train_session_set_sharpness_every (self->session, rv->tracks_sharpness ? RV_TRAIN_SESSION_SHARPNESS_AUTO : 0);
  rv_run_set_session_index (rv->run, rv_train_session_add (self->session, name, cfg, retrain));
  guint index = n_runs (self) - 1;
  if (self->watched == NULL)
    gtk_list_box_select_row (self->runs_list, gtk_list_box_get_row_at_index (self->runs_list, (int) index));
  return index;
}

/* The tutorial's three optimizers, named PREFIX_SGD, ...: epochs and
 * train_limit as given (0: the tutorial's 40 and every image). */
static void
add_comparison (RvTrainingPage *self, const char *prefix, uint32_t epochs, uint32_t train_limit)
{
  static const struct {
    const char *name;
    RvOptimKind kind;
    double lr;
  } runs[] = {
    { "SGD", RV_OPTIM_SGD, 0.1 },
    { "SGDMom", RV_OPTIM_MOMENTUM, 0.1 },
    { "Adam", RV_OPTIM_ADAM, 1e-3 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      RvTrainConfig cfg;
      rv_train_config_init_default (&cfg);
      rv_optim_config_init (&cfg.optim, runs[i].kind);
      cfg.optim.lr = runs[i].lr;
      if (epochs)
        cfg.epochs = epochs;
      cfg.train_limit = train_limit;
      g_autofree char *name = g_strdup_printf ("%s_%s%s", prefix, runs[i].name, self->data->synthetic ? "_synthetic" : "");
      if (rv_training_page_has_run (self, name))
        continue;
      /* a cancelled twin trains again in its place */
      gboolean restarted = FALSE;
      for (guint r = 0; r < n_runs (self) && !restarted; r++)
        if (g_str_equal (rv_run_get_name (run_at (self, r)->run), name))
          restarted = rv_training_page_restart (self, r);
      if (!restarted)
        rv_training_page_add_run (self, name, &cfg, gtk_check_button_get_active (self->retrain));
    }
}

void
rv_training_page_add_tutorial_runs (RvTrainingPage *self)
{
  add_comparison (self, "FashionMNIST", 0, 0);
}

/* For a lecture: the same three runs on a subset, about a minute on two
 * cores, with their layer histories as always. */
#define QUICK_EPOCHS 25
#define QUICK_TRAIN_LIMIT 20000

void
rv_training_page_add_quick_runs (RvTrainingPage *self)
{
  add_comparison (self, "Quick", QUICK_EPOCHS, QUICK_TRAIN_LIMIT);
}

/* A bare weights file (any MLP checkpoint): a finished row with its
 * network and nothing else to show. */
static gboolean
open_weights (RvTrainingPage *self, const char *path, const char *name, GError **error)
{
  g_autoptr (RvNet) net = rv_mlp_weights_load (path, RV_ACT_RELU, NULL, error);
  if (net == NULL)
    return FALSE;
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  cfg.net = net->cfg;
  g_autofree char *display = g_filename_display_name (name);
  RunView *rv = new_run_view (self, display, &cfg, TRUE);
  rv_run_set_state (rv->run, RV_RUN_DONE);
  set_history (self, rv, NULL, _("a weights file has no history"));
  GString *sizes = g_string_new (NULL);
  for (uint32_t l = 0; l <= cfg.net.n_linear; l++)
    g_string_append_printf (sizes, "%s%u", l ? "-" : "", cfg.net.sizes[l]);
  /* Translators: the network of a weights file opened on its own, such as
   * "784-512-256-10" and "relu" */
  g_autofree char *status = g_strdup_printf (_("weights only: %s, %s, no training curves"), sizes->str,
                                             rv_activation_name (cfg.net.act));
  g_string_free (sizes, TRUE);
  set_status (self, rv, status);
  rv_run_set_progress (rv->run, 1.0);
  return TRUE;
}

gboolean
rv_training_page_open_run (RvTrainingPage *self, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  gboolean weights = g_str_has_suffix (base, ".safetensors");
  if (!weights && !g_str_has_suffix (base, ".config"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s is neither a run's .config file nor a .safetensors weights file"), base);
      return FALSE;
    }
  base[strlen (base) - strlen (weights ? ".safetensors" : ".config")] = '\0';
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  /* A weights file opens as its run when it is one (its config and results
   * beside it, and they load), else on its own. */
  if (weights && !rv_run_exists (dir, base))
    return open_weights (self, path, base, error);
  if (weights)
    {
      g_autoptr (GError) run_error = NULL;
      if (!rv_run_load (dir, base, &cfg, &res, NULL, &run_error))
        {
          rv_train_results_clear (&res);
          return open_weights (self, path, base, error);
        }
    }
  else if (!rv_run_load (dir, base, &cfg, &res, NULL, error))
    return FALSE;
  RunView *rv = new_run_view (self, base, &cfg, FALSE);
  rv_run_set_state (rv->run, RV_RUN_DONE);
  show_results (self, rv, &res);
  g_autoptr (RvHistory) history = NULL;
  g_autoptr (GError) history_error = NULL;
  (void) rv_run_load_history (dir, base, &history, &history_error);
  g_autofree char *note = history_error
    ? g_strdup_printf (_("its history could not be read (%s)"), history_error->message)
    : history == NULL ? g_strdup (_("no history was saved with this run")) : NULL;
  set_history (self, rv, g_steal_pointer (&history), note);
  g_autofree char *acc = rv_run_format_accuracy (res.test_acc);
  g_autofree char *status = g_strdup_printf (_("opened from %s: test accuracy %s"), dir, acc);
  set_status (self, rv, status);
  rv_run_set_progress (rv->run, 1.0);
  rv_train_results_clear (&res);
  return TRUE;
}

guint
rv_training_page_get_n_runs (RvTrainingPage *self)
{
  return n_runs (self);
}

GListModel *
rv_training_page_get_runs (RvTrainingPage *self)
{
  return G_LIST_MODEL (self->runs);
}

gboolean
rv_training_page_has_run (RvTrainingPage *self, const char *name)
{
  for (guint i = 0; i < n_runs (self); i++)
    {
      RvRun *run = run_at (self, i)->run;
      RvRunState state = rv_run_get_state (run);
      if (g_str_equal (rv_run_get_name (run), name) && !rv_run_get_weights_only (run) && state != RV_RUN_CANCELLED
          && state != RV_RUN_FAILED && state != RV_RUN_DIVERGED)
        return TRUE;
    }
  return FALSE;
}

RvRunState
rv_training_page_get_run_state (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), RV_RUN_FAILED);
  return rv_run_get_state (run_at (self, run)->run);
}

const char *
rv_training_page_get_run_status (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), NULL);
  return rv_run_get_status (run_at (self, run)->run);
}

double
rv_training_page_get_test_acc (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), NAN);
  return rv_run_get_test_accuracy (run_at (self, run)->run);
}

void
rv_training_page_watch (RvTrainingPage *self, guint run)
{
  g_return_if_fail (run == G_MAXUINT || run < n_runs (self));
  RunView *rv = run == G_MAXUINT ? NULL : run_at (self, run);
  if (self->watched == rv)
    return;
  self->watched = rv;
  if (self->compared == rv)
    self->compared = NULL;
  stop_replay (self);
  rv_snapshot_clear (&self->latest);
  self->n_snapshots = 0;
  if (rv == NULL)
    {
      gtk_label_set_label (self->watched_label, "");
      rebuild_layers (self);
      sync_compare_list (self);
      if (self->session)
        rv_train_session_watch (self->session, G_MAXUINT, 0);
      return;
    }
  gtk_check_button_set_active (self->follow, run_is_live (rv));
  rebuild_layers (self);
  sync_watched_label (self);
  sync_compare_list (self);
  if (self->session)
    rv_train_session_watch (self->session, rv_run_get_session_index (rv->run),
                            (guint) gtk_spin_button_get_value_as_int (self->every));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->runs_list, (int) run);
  if (gtk_list_box_get_selected_row (self->runs_list) != row)
    gtk_list_box_select_row (self->runs_list, row);
}

void
rv_training_page_compare (RvTrainingPage *self, guint run)
{
  g_return_if_fail (run == G_MAXUINT || run < n_runs (self));
  RunView *rv = run == G_MAXUINT ? NULL : run_at (self, run);
  if (rv == self->watched)
    rv = NULL;
  if (self->compared == rv)
    return;
  self->compared = rv;
  rebuild_layers (self);
  sync_compare_list (self);
}

const RvHistory *
rv_training_page_get_history (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), NULL);
  return run_at (self, run)->history;
}

const char *
rv_training_page_get_history_note (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), NULL);
  return run_at (self, run)->history_note;
}

GtkLabel *
rv_training_page_get_watched_label (RvTrainingPage *self)
{
  return self->watched_label;
}

GtkRange *
rv_training_page_get_scrubber (RvTrainingPage *self)
{
  return GTK_RANGE (self->scrubber);
}

GtkButton *
rv_training_page_get_play_button (RvTrainingPage *self)
{
  return self->play;
}

GtkDropDown *
rv_training_page_get_compare_list (RvTrainingPage *self)
{
  return self->compare;
}

gboolean
rv_training_page_is_replaying (RvTrainingPage *self)
{
  return self->replay_id != 0;
}

RvReflowBox *
rv_training_page_get_ridges (RvTrainingPage *self)
{
  return self->ridges;
}

RvCurveView *
rv_training_page_get_norm_view (RvTrainingPage *self)
{
  return self->norm_view;
}

RvCurveView *
rv_training_page_get_sharpness_view (RvTrainingPage *self)
{
  return self->sharp_view;
}

GtkCheckButton *
rv_training_page_get_track_sharpness (RvTrainingPage *self)
{
  return self->track_sharpness;
}

static void
name_series (RvTrainingPage *self, RunView *rv)
{
  const char *name = rv_run_get_name (rv->run);
  g_autofree char *train = g_strdup_printf (_("%s, training"), name);
  g_autofree char *val = g_strdup_printf (_("%s, validation"), name);
  gboolean shown = !rv_run_get_hidden (rv->run);
  rv_curve_set_set_name (self->loss_curves, loss_series (self, rv), shown ? name : "");
  rv_curve_set_set_name (self->acc_curves, train_series (self, rv), shown ? train : "");
  rv_curve_set_set_name (self->acc_curves, val_series (self, rv), shown ? val : "");
  gboolean sharp = shown && has_sharpness (rv);
  rv_curve_set_set_name (self->sharp_curves, sharp_series (self, rv), sharp ? name : "");
  g_autofree char *limit = stability_label (rv);
  /* Translators: a run's name and its optimizer's stability limit, "2/η = 20" */
  g_autofree char *line = g_strdup_printf (_("%s: %s"), name, limit);
  rv_curve_set_set_name (self->sharp_curves, stability_series (self, rv),
                         sharp && isfinite (stability_threshold (rv)) ? line : "");
}

void
rv_training_page_set_hidden (RvTrainingPage *self, guint run, gboolean hidden)
{
  g_return_if_fail (run < n_runs (self));
  RunView *rv = run_at (self, run);
  if (rv_run_get_hidden (rv->run) == !!hidden)
    return;
  rv_run_set_hidden (rv->run, hidden);
  /* a hidden run keeps its data; the charts leave out its lines and names */
  name_series (self, rv);
  update_loss_curve (self, rv);
  update_accuracy_curves (self, rv);
  update_sharpness_curves (self, rv);
}

gboolean
rv_training_page_get_hidden (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), FALSE);
  return rv_run_get_hidden (run_at (self, run)->run);
}

void
rv_training_page_remove (RvTrainingPage *self, guint run)
{
  g_return_if_fail (run < n_runs (self));
  RunView *rv = run_at (self, run);
  /* its thread's last events find no run (run_for_session_index) */
  if (run_is_live (rv))
    rv_training_page_cancel (self, run);
  gboolean was_watched = self->watched == rv;
  if (self->compared == rv)
    rv_training_page_compare (self, G_MAXUINT);
  if (was_watched)
    rv_training_page_watch (self, G_MAXUINT);
  /* its series go, and those after it move down with the runs */
  rv_curve_set_remove_series (self->loss_curves, run);
  for (guint k = 0; k < 2; k++)
    {
      rv_curve_set_remove_series (self->acc_curves, 2 * run);
      rv_curve_set_remove_series (self->sharp_curves, 2 * run);
    }
  g_list_store_remove (self->runs, run); /* frees rv */
  if (was_watched && n_runs (self) > 0)
    rv_training_page_watch (self, 0);
  sync_sharpness_view (self);
  sync_compare_list (self);
  sync_empty (self);
}

gboolean
rv_training_page_restart (RvTrainingPage *self, guint run)
{
  g_return_val_if_fail (run < n_runs (self), FALSE);
  RunView *rv = run_at (self, run);
  guint session_index = rv_run_get_session_index (rv->run);
  if (!run_can_restart (rv->run) || !rv_train_session_restart (self->session, session_index))
    return FALSE;
  /* what it trained before is gone: it starts again */
  g_array_set_size (rv->losses, 0);
  rv->loss_stride = 1;
  rv->loss_pending_n = 0;
  rv->loss_pending_sum = 0.0;
  g_array_set_size (rv->train_acc, 0);
  g_array_set_size (rv->val_acc, 0);
  g_array_set_size (rv->step_seconds, 0);
  rv->last_seconds = 0.0;
  rv_run_set_test_accuracy (rv->run, NAN);
  g_array_set_size (rv->sharpness, 0);
  update_loss_curve (self, rv);
  update_accuracy_curves (self, rv);
  update_sharpness_curves (self, rv);
  rv_run_set_progress (rv->run, 0.0);
  set_history (self, rv, NULL, NULL);
  RvRunState state = rv_train_session_get_state (self->session, session_index);
  rv_run_set_state (rv->run, state);
  set_status (self, rv, state == RV_RUN_QUEUED ? _("waiting for a free core") : _("starting…"));
  if (self->watched == rv)
    {
      gtk_check_button_set_active (self->follow, TRUE);
      rv_train_session_watch (self->session, session_index, (guint) gtk_spin_button_get_value_as_int (self->every));
    }
  return TRUE;
}

void
rv_training_page_set_snapshot_every (RvTrainingPage *self, guint k)
{
  gtk_spin_button_set_value (self->every, k);
}

guint
rv_training_page_get_n_snapshots (RvTrainingPage *self)
{
  return self->n_snapshots;
}

void
rv_training_page_set_paused (RvTrainingPage *self, guint run, gboolean paused)
{
  g_return_if_fail (run < n_runs (self));
  RunView *rv = run_at (self, run);
  guint session_index = rv_run_get_session_index (rv->run);
  if (session_index == G_MAXUINT)
    return;
  rv_train_session_set_paused (self->session, session_index, paused);
  RvRunState state = rv_train_session_get_state (self->session, session_index);
  rv_run_set_state (rv->run, state);
  if (state == RV_RUN_PAUSED)
    set_status (self, rv, _("paused: its core trains a waiting run"));
  else if (state == RV_RUN_QUEUED)
    set_status (self, rv, _("waiting for a free core"));
}

void
rv_training_page_cancel (RvTrainingPage *self, guint run)
{
  g_return_if_fail (run < n_runs (self));
  guint session_index = rv_run_get_session_index (run_at (self, run)->run);
  if (session_index != G_MAXUINT)
    rv_train_session_cancel (self->session, session_index);
}

GtkCheckButton *
rv_training_page_get_loss_log (RvTrainingPage *self)
{
  return self->loss_log;
}

GtkCheckButton *
rv_training_page_get_loss_time (RvTrainingPage *self)
{
  return self->loss_time;
}

RvCurveView *
rv_training_page_get_ratio_view (RvTrainingPage *self)
{
  return self->ratio_view;
}

RvCurveView *
rv_training_page_get_loss_view (RvTrainingPage *self)
{
  return self->loss_view;
}

RvCurveView *
rv_training_page_get_accuracy_view (RvTrainingPage *self)
{
  return self->acc_view;
}

RvHistogramGrid *
rv_training_page_get_grid (RvTrainingPage *self)
{
  return self->dist_grid;
}

AdwFlap *
rv_training_page_get_flap (RvTrainingPage *self)
{
  return self->flap;
}

GtkColumnView *
rv_training_page_get_comparison (RvTrainingPage *self)
{
  return self->table;
}

void
rv_training_page_set_run_status (RvTrainingPage *self, guint run, const char *status)
{
  g_return_if_fail (run < n_runs (self));
  set_status (self, run_at (self, run), status);
}

static void
rv_training_page_dispose (GObject *object)
{
  RvTrainingPage *self = RV_TRAINING_PAGE (object);
  rv_training_page_shutdown (self);
  g_clear_object (&self->runs);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->device_note, g_free);
  g_clear_pointer (&self->save_dir, g_free);
  for (int k = 0; k < 3; k++)
    g_clear_pointer (&self->history[k], g_ptr_array_unref);
  g_clear_pointer (&self->history_layers, g_array_unref);
  g_clear_pointer (&self->norm_series, g_array_unref);
  g_clear_pointer (&self->compare_runs, g_ptr_array_unref);
  rv_snapshot_clear (&self->latest);
  g_clear_object (&self->loss_curves);
  g_clear_object (&self->acc_curves);
  g_clear_object (&self->norm_curves);
  g_clear_object (&self->ratio_curves);
  g_clear_object (&self->sharp_curves);
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_TRAINING_PAGE);
  G_OBJECT_CLASS (rv_training_page_parent_class)->dispose (object);
}

static void
rv_training_page_class_init (RvTrainingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = rv_training_page_dispose;
  g_type_ensure (RV_TYPE_CURVE_VIEW);
  g_type_ensure (RV_TYPE_HISTOGRAM_GRID);
  g_type_ensure (RV_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-training-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RvTrainingPage, name)
  BIND (activation); BIND (initializer); BIND (optimizer); BIND (hidden); BIND (lr); BIND (momentum);
  BIND (beta1); BIND (beta2); BIND (epochs); BIND (batch); BIND (seed); BIND (every); BIND (momentum_label);
  BIND (beta1_label); BIND (beta2_label); BIND (retrain); BIND (follow); BIND (recent_range); BIND (add_run);
  BIND (preset); BIND (quick_preset); BIND (open_run); BIND (runs_list); BIND (data_note); BIND (watched_label); BIND (loss_view);
  BIND (acc_view); BIND (norm_view); BIND (ratio_view); BIND (smoothing); BIND (scrubber); BIND (kind_weights);
  BIND (kind_gradients); BIND (kind_activations); BIND (show_grid); BIND (show_ridges); BIND (show_norms);
  BIND (dist_stack); BIND (dist_grid); BIND (ridges); BIND (table); BIND (loss_log); BIND (loss_time);
  BIND (content_stack); BIND (empty_add_run); BIND (empty_preset); BIND (play); BIND (speed); BIND (compare);
  BIND (step_label); BIND (sharp_view); BIND (sharp_note); BIND (track_sharpness);
#undef BIND
  gtk_widget_class_bind_template_child_full (widget_class, "form", FALSE, 0);
}

static void
setup_curve (RvCurveView *view, RvCurveSet **set, const char *title, const char *x, const char *y, gboolean log_y)
{
  *set = rv_curve_set_new ();
  rv_chart_set_model (RV_CHART (view), *set);
  rv_curve_view_set_title (view, title);
  rv_curve_view_set_x_title (view, x);
  rv_curve_view_set_y_title (view, y);
  rv_curve_view_set_log_y (view, log_y);
  /* Every x axis here counts steps or epochs. */
  rv_curve_view_set_x_integer (view, TRUE);
}

static void
rv_training_page_init (RvTrainingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pace = rv_frame_pace_new (GTK_WIDGET (self), TRAINING_REDRAW_MS, TRAINING_REDRAW_MAX_MS);
  /* not a template child: gtk_widget_dispose_template would unparent it
   * under AdwBin, which unparents it again */
  self->flap = ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
  self->runs = g_list_store_new (RV_TYPE_RUN);
  for (int k = 0; k < 3; k++)
    self->history[k] = g_ptr_array_new_with_free_func (g_object_unref);
  self->history_layers = g_array_new (FALSE, FALSE, sizeof (guint));
  self->norm_series = g_array_new (FALSE, FALSE, sizeof (guint));
  self->compare_runs = g_ptr_array_new ();
  self->device = g_strdup ("auto");

  gtk_drop_down_set_model (self->activation, rv_labels_activations ());
  gtk_drop_down_set_model (self->initializer, rv_labels_inits ());
  gtk_drop_down_set_model (self->optimizer, rv_labels_optimizers ());
  gtk_drop_down_set_selected (self->activation, RV_ACT_RELU);
  gtk_drop_down_set_selected (self->initializer, RV_INIT_KAIMING);
  gtk_drop_down_set_selected (self->optimizer, RV_OPTIM_ADAM);
  optimizer_changed (self);

  setup_curve (self->loss_view, &self->loss_curves, _("Training loss"), _("step"), _("loss"), FALSE);
  setup_curve (self->acc_view, &self->acc_curves, _("Accuracy (dashed: training, solid: validation)"), _("epoch"),
               _("accuracy"), FALSE);
  setup_curve (self->norm_view, &self->norm_curves, _("Gradient norm per layer"), _("step"), _("‖∇W‖"), TRUE);
  setup_curve (self->ratio_view, &self->ratio_curves, _("Update-to-weight ratio per layer"), _("step"),
               _("‖ΔW‖ / ‖W‖"), TRUE);
  setup_curve (self->sharp_view, &self->sharp_curves, _("Sharpness (the Hessian's top eigenvalue)"), _("step"),
               _("λ"), FALSE);
  /* The healthy update size: about a thousandth of the weights a step. */
  rv_curve_view_set_band (self->ratio_view, 3e-4, 3e-3, _("healthy ≈ 1e-3"));
  g_object_bind_property (self->loss_log, "active", self->loss_view, "log-y",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  setup_table (self);
  gtk_list_box_bind_model (self->runs_list, G_LIST_MODEL (self->runs), make_row, self, NULL);
  sync_empty (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_run), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quick_preset), FALSE);
  gtk_label_set_label (self->data_note, _("Loading the data…"));
  g_signal_connect_swapped (self->optimizer, "notify::selected", G_CALLBACK (optimizer_changed), self);
  g_signal_connect_swapped (self->add_run, "clicked", G_CALLBACK (add_run_clicked), self);
  g_signal_connect_swapped (self->preset, "clicked", G_CALLBACK (rv_training_page_add_tutorial_runs), self);
  g_signal_connect_swapped (self->quick_preset, "clicked", G_CALLBACK (rv_training_page_add_quick_runs), self);
  /* The placeholder's buttons are the sidebar's, without their mnemonics
   * (those stay with the sidebar's buttons). */
  GtkButton *twins[][2] = { { self->add_run, self->empty_add_run }, { self->preset, self->empty_preset } };
  for (gsize i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      g_autofree char *label = g_strdup (gtk_button_get_label (twins[i][0]));
      char *w = label;
      for (const char *r = label; *r; r++)
        if (*r != '_')
          *w++ = *r;
      *w = '\0';
      gtk_button_set_label (twins[i][1], label);
      g_object_bind_property (twins[i][0], "sensitive", twins[i][1], "sensitive", G_BINDING_SYNC_CREATE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (twins[i][1]), gtk_widget_get_tooltip_text (GTK_WIDGET (twins[i][0])));
    }
  g_signal_connect_swapped (self->empty_add_run, "clicked", G_CALLBACK (add_run_clicked), self);
  g_signal_connect_swapped (self->empty_preset, "clicked", G_CALLBACK (rv_training_page_add_tutorial_runs), self);
  g_signal_connect_swapped (self->open_run, "clicked", G_CALLBACK (open_run_clicked), self);
  g_signal_connect_swapped (self->runs_list, "row-selected", G_CALLBACK (row_selected), self);
  g_signal_connect_swapped (self->smoothing, "value-changed", G_CALLBACK (smoothing_changed), self);
  g_signal_connect_swapped (self->loss_time, "toggled", G_CALLBACK (loss_time_toggled), self);
  g_signal_connect_swapped (self->every, "value-changed", G_CALLBACK (every_changed), self);
  g_signal_connect_swapped (self->scrubber, "value-changed", G_CALLBACK (scrubbed), self);
  g_signal_connect_swapped (self->follow, "toggled", G_CALLBACK (follow_toggled), self);
  g_signal_connect_swapped (self->play, "clicked", G_CALLBACK (play_clicked), self);
  g_signal_connect_swapped (self->speed, "notify::selected", G_CALLBACK (speed_changed), self);
  g_signal_connect_swapped (self->compare, "notify::selected", G_CALLBACK (compare_changed), self);
  sync_compare_list (self);
  g_signal_connect_swapped (self->recent_range, "toggled", G_CALLBACK (ridge_options_changed), self);
  GtkToggleButton *kinds[] = { self->kind_weights, self->kind_gradients, self->kind_activations };
  for (int i = 0; i < 3; i++)
    g_signal_connect_swapped (kinds[i], "toggled", G_CALLBACK (kind_toggled), self);
  GtkToggleButton *views[] = { self->show_grid, self->show_ridges, self->show_norms };
  for (int i = 0; i < 3; i++)
    g_signal_connect_swapped (views[i], "toggled", G_CALLBACK (view_toggled), self);
}

/* --- setups ----------------------------------------------------------------- */

void
rv_training_page_get_setup (RvTrainingPage *self, RvSetupTraining *out)
{
  for (guint i = 0; i < n_runs (self); i++)
    {
      RunView *rv = run_at (self, i);
      /* a bare weights file has no training configuration to share */
      if (!rv_run_get_weights_only (rv->run))
        rv_setup_add_training_run (out, rv_run_get_name (rv->run), &rv->cfg);
    }
  g_clear_pointer (&out->watched, g_free);
  if (self->watched && !rv_run_get_weights_only (self->watched->run))
    out->watched = g_strdup (rv_run_get_name (self->watched->run));
  out->loss_log_y = gtk_check_button_get_active (self->loss_log);
  out->wall_clock = gtk_check_button_get_active (self->loss_time);
}

gboolean
rv_training_page_apply_setup (RvTrainingPage *self, const RvSetupTraining *setup, GError **error)
{
  if (self->session == NULL && setup->runs->len > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The runs cannot be added before the data set has loaded"));
      return FALSE;
    }
  gtk_check_button_set_active (self->loss_log, setup->loss_log_y);
  gtk_check_button_set_active (self->loss_time, setup->wall_clock);
  /* runs already on the page stay as they are; a saved run opens at once,
   * the others train */
  for (guint i = 0; i < setup->runs->len; i++)
    {
      const RvSetupTrainingRun *run = g_ptr_array_index (setup->runs, i);
      if (!rv_training_page_has_run (self, run->name))
        rv_training_page_add_run (self, run->name, &run->config, FALSE);
    }
  for (guint i = 0; setup->watched && i < n_runs (self); i++)
    if (g_str_equal (rv_run_get_name (run_at (self, i)->run), setup->watched))
      rv_training_page_watch (self, i);
  return TRUE;
}
