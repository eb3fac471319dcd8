/* rv-training-page.c: the form, the list of runs, the shared charts, and the
 * watched run's layers, fed by the session's events once per frame. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-comparison-row.h"
#include "rv-curve-set.h"
#include "rv-device.h"
#include "rv-error-dialog.h"
#include "rv-labels.h"
#include "rv-size-check.h"
#include "rv-histogram-history.h"
#include "rv-plot.h"
#include "rv-probe.h"
#include "rv-reflow-box.h"
#include "rv-ridgeline-view.h"
#include "rv-training-page.h"

/* Loss curves keep at most this many points a run: beyond it, neighbours are
 * averaged, so a 40-epoch run's memory stays bounded. */
#define MAX_LOSS_POINTS 4096
#define MAX_NORM_POINTS 2048

typedef struct {
  guint session_index;       /* G_MAXUINT: opened from disk, not in the session */
  char *name;
  RvTrainConfig cfg;
  RvRunState state;
  char *status;
  double test_acc;           /* NaN until known */
  GArray *losses;            /* float; each point covers loss_stride steps */
  guint loss_stride, loss_pending_n;
  double loss_pending_sum;
  GArray *train_acc, *val_acc;  /* double, per epoch */
  guint loss_series, train_series, val_series;
  GdkRGBA color;
  GtkWidget *row, *status_label, *progress, *pause, *cancel;
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
  GtkButton *add_run, *preset, *open_run;
  GtkListBox *runs_list;
  GtkLabel *data_note, *watched_label;
  RvCurveView *loss_view, *acc_view, *norm_view, *ratio_view;
  GtkCheckButton *loss_log;
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

  GListStore *table_rows;    /* RvComparisonRow */

  RvCurveSet *loss_curves, *acc_curves, *norm_curves, *ratio_curves;
  RvTrainSession *session;
  const RvDataset *data;
  GPtrArray *runs;           /* RunView * */
  char *save_dir;
  char *device;              /* "auto", "cpu" or "cuda" */
  char *device_note;         /* which backend, and why, for the data note */
  const RvBackend *backend;  /* where runs added from now on train */
  guint tick_id;
  GtkWidget *ticking;

  guint watched;             /* index into runs, or G_MAXUINT */
  RvSnapshot latest;         /* the watched run's newest snapshot */
  guint n_snapshots;
  GPtrArray *history[3];     /* RvHistogramHistory per layer, per kind */
};

G_DEFINE_FINAL_TYPE (RvTrainingPage, rv_training_page, ADW_TYPE_BIN)

static RunView *
run_at (RvTrainingPage *self, guint i)
{
  return g_ptr_array_index (self->runs, i);
}

static void
run_view_free (gpointer data)
{
  RunView *rv = data;
  g_free (rv->name);
  g_free (rv->status);
  g_array_unref (rv->losses);
  g_array_unref (rv->train_acc);
  g_array_unref (rv->val_acc);
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
  for (guint i = 0; i < n; i++)
    {
      ema = alpha * ema + (1.0 - alpha) * g_array_index (rv->losses, float, i);
      weight = alpha * weight + (1.0 - alpha);
      x[i] = (i + 1.0) * rv->loss_stride;
      y[i] = ema / weight;
    }
  rv_curve_set_set_points (self->loss_curves, rv->loss_series, x, y, n);
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
  rv_curve_set_set_points (self->acc_curves, rv->train_series, x, (double *) rv->train_acc->data, rv->train_acc->len);
  rv_curve_set_set_points (self->acc_curves, rv->val_series, x, (double *) rv->val_acc->data, n);
}

/* --- the comparison table ------------------------------------------- */

/* An accuracy in [0, 1] as a percentage with two decimals: "89.05 %". */
static char *
format_percent (double fraction)
{
  g_autofree char *number = rv_plot_format_number ("%.2f", 100 * fraction);

  /* Translators: a percentage; use your language's spacing ("89,05 %") */
  return g_strdup_printf (_("%s %%"), number);
}

static void
update_table (RvTrainingPage *self)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->runs->len; i++)
    {
      RunView *rv = run_at (self, i);
      double best = 0.0;
      for (guint e = 0; e < rv->val_acc->len; e++)
        best = MAX (best, g_array_index (rv->val_acc, double, e));
      g_autofree char *best_text = rv->val_acc->len ? format_percent (best) : g_strdup ("–");
      g_autofree char *test_text = isnan (rv->test_acc) ? g_strdup ("–") : format_percent (rv->test_acc);
      g_autofree char *lr = rv_plot_format_number ("%g", rv->cfg.optim.lr);
      g_autofree char *optim = g_strdup_printf (_("%s, lr %s"), rv_label_optimizer (rv->cfg.optim.kind), lr);
      const char *cells[RV_COMPARISON_N_COLUMNS] = { rv->name, optim, best_text, test_text, rv->status };
      g_ptr_array_add (rows, rv_comparison_row_new (cells));
    }
  g_list_store_splice (self->table_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->table_rows)),
                       rows->pdata, rows->len);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* short columns keep their text; the status and the name give way */
  gtk_label_set_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (column) == RV_COMPARISON_RUN ? 12 : 6);
  if (GPOINTER_TO_INT (column) == RV_COMPARISON_TEST_ACCURACY
      || GPOINTER_TO_INT (column) == RV_COMPARISON_BEST_VALIDATION)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  RvComparisonRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = rv_comparison_row_get_cell (row, GPOINTER_TO_INT (column));
  gtk_label_set_label (GTK_LABEL (label), text);
  /* the whole text where the column cuts it */
  gtk_widget_set_tooltip_text (label, text);
}

static void
setup_table (RvTrainingPage *self)
{
  const char *headers[RV_COMPARISON_N_COLUMNS] = { _("Run"), _("Optimizer"), _("Best validation"),
                                                   _("Test accuracy"), _("Status") };
  self->table_rows = g_list_store_new (RV_TYPE_COMPARISON_ROW);
  GtkNoSelection *selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->table_rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  for (int c = 0; c < RV_COMPARISON_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (c));
      GtkColumnViewColumn *column = gtk_column_view_column_new (headers[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == RV_COMPARISON_RUN || c == RV_COMPARISON_STATUS);
      gtk_column_view_append_column (self->table, column);
      g_object_unref (column);
    }
}

/* --- the runs list ------------------------------------------------- */

static void
set_status (RvTrainingPage *self, RunView *rv, const char *status)
{
  g_free (rv->status);
  rv->status = g_strdup (status);
  gtk_label_set_label (GTK_LABEL (rv->status_label), status);
  /* the row shows what fits; the whole line on hover */
  gtk_widget_set_tooltip_text (rv->status_label, status);
}

static void
sync_run_buttons (RunView *rv)
{
  gboolean live = rv->state == RV_RUN_TRAINING || rv->state == RV_RUN_PAUSED || rv->state == RV_RUN_QUEUED;
  gtk_widget_set_sensitive (rv->pause, live && rv->session_index != G_MAXUINT);
  gtk_widget_set_sensitive (rv->cancel, live && rv->session_index != G_MAXUINT);
  gtk_button_set_icon_name (GTK_BUTTON (rv->pause), rv->state == RV_RUN_PAUSED ? "media-playback-start-symbolic"
                                                                                : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (rv->pause, rv->state == RV_RUN_PAUSED ? _("Resume") : _("Pause"));
}

static void
pause_clicked (GtkButton *button, RvTrainingPage *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "run"));
  RunView *rv = run_at (self, i);
  rv_training_page_set_paused (self, i, rv->state != RV_RUN_PAUSED);
}

static void
cancel_clicked (GtkButton *button, RvTrainingPage *self)
{
  rv_training_page_cancel (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "run")));
}

static GtkWidget *
make_row (RvTrainingPage *self, RunView *rv, guint index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);

  g_autofree char *markup = rv_label_swatch_markup (&rv->color, rv->name);
  GtkWidget *name = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (name), markup);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  /* a run's name can be long ("relu_512x256x256x128_kaiming_adam_…"):
   * it must not widen the sidebar */
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_widget_set_tooltip_text (name, rv->name);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (top), name);

  rv->pause = gtk_button_new_from_icon_name ("media-playback-pause-symbolic");
  rv->cancel = gtk_button_new_from_icon_name ("process-stop-symbolic");
  gtk_widget_set_tooltip_text (rv->cancel, _("Cancel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (rv->pause), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pause or resume"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (rv->cancel), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel"), -1);
  for (GtkWidget **b = (GtkWidget *[]) { rv->pause, rv->cancel, NULL }; *b; b++)
    {
      gtk_widget_add_css_class (*b, "flat");
      g_object_set_data (G_OBJECT (*b), "run", GUINT_TO_POINTER (index));
      gtk_box_append (GTK_BOX (top), *b);
    }
  g_signal_connect (rv->pause, "clicked", G_CALLBACK (pause_clicked), self);
  g_signal_connect (rv->cancel, "clicked", G_CALLBACK (cancel_clicked), self);
  gtk_box_append (GTK_BOX (box), top);

  rv->progress = gtk_progress_bar_new ();
  gtk_box_append (GTK_BOX (box), rv->progress);
  rv->status_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (rv->status_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (rv->status_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (rv->status_label), 30);
  gtk_widget_set_hexpand (rv->status_label, TRUE);
  gtk_widget_add_css_class (rv->status_label, "caption");
  gtk_widget_add_css_class (rv->status_label, "dim-label");
  gtk_box_append (GTK_BOX (box), rv->status_label);

  GtkWidget *row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "run", GUINT_TO_POINTER (index));
  return row;
}

/* With no runs the charts would be empty axes: say what to do instead. */
static void
sync_empty (RvTrainingPage *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, self->runs->len ? "charts" : "empty");
}

static RunView *
new_run_view (RvTrainingPage *self, const char *name, const RvTrainConfig *cfg)
{
  RunView *rv = g_new0 (RunView, 1);
  guint index = self->runs->len;
  rv->name = g_strdup (name);
  rv->cfg = *cfg;
  rv->session_index = G_MAXUINT;
  rv->test_acc = NAN;
  rv->loss_stride = 1;
  rv->losses = g_array_new (FALSE, FALSE, sizeof (float));
  rv->train_acc = g_array_new (FALSE, FALSE, sizeof (double));
  rv->val_acc = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  rv_plot_palette_color (index, dark, &rv->color);

  rv->loss_series = rv_curve_set_add_series (self->loss_curves, name, &rv->color, FALSE);
  g_autofree char *train = g_strdup_printf (_("%s, training"), name);
  g_autofree char *val = g_strdup_printf (_("%s, validation"), name);
  rv->train_series = rv_curve_set_add_series (self->acc_curves, train, &rv->color, TRUE);
  rv->val_series = rv_curve_set_add_series (self->acc_curves, val, &rv->color, FALSE);
  g_ptr_array_add (self->runs, rv);

  rv->row = make_row (self, rv, index);
  gtk_list_box_append (self->runs_list, rv->row);
  sync_empty (self);
  return rv;
}

/* --- the watched run's layers ----------------------------------------- */

static void
clear_history (RvTrainingPage *self)
{
  for (int k = 0; k < 3; k++)
    g_ptr_array_set_size (self->history[k], 0);
  rv_reflow_box_remove_all (self->ridges);
  rv_curve_set_clear (self->norm_curves);
  rv_curve_set_clear (self->ratio_curves);
  rv_snapshot_clear (&self->latest);
  self->n_snapshots = 0;
}

static void
show_grid_kind (RvTrainingPage *self)
{
  if (self->n_snapshots == 0 || self->watched == G_MAXUINT)
    return;
  RunView *rv = run_at (self, self->watched);
  RvProbeKind kind = shown_kind (self);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  for (uint32_t l = 0; l < self->latest.n_linear; l++)
    {
      g_autofree char *title = layer_title (&rv->cfg, kind, l);
      RvHistogram *h = rv_histogram_new (title);
      rv_histogram_set_stats (h, snapshot_stats (&self->latest, kind, l));
      g_ptr_array_add (list, h);
    }
  rv_histogram_grid_set_histograms (self->dist_grid, list);
}

static void
show_ridges_kind (RvTrainingPage *self)
{
  rv_reflow_box_remove_all (self->ridges);
  GPtrArray *histories = self->history[shown_kind (self)];
  for (guint l = 0; l < histories->len; l++)
    {
      GtkWidget *view = rv_ridgeline_view_new (g_ptr_array_index (histories, l));
      rv_ridgeline_view_set_follow (RV_RIDGELINE_VIEW (view), gtk_check_button_get_active (self->follow));
      rv_ridgeline_view_set_range_mode (RV_RIDGELINE_VIEW (view), gtk_check_button_get_active (self->recent_range)
                                                                    ? RV_RIDGELINE_RANGE_RECENT : RV_RIDGELINE_RANGE_WHOLE);
      rv_reflow_box_append (self->ridges, view);
    }
}

static void
for_each_ridge (RvTrainingPage *self, void (*apply) (RvRidgelineView *, RvTrainingPage *))
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->ridges)); c; c = gtk_widget_get_next_sibling (c))
    apply (RV_RIDGELINE_VIEW (c), self);
}

static void
apply_ridge_options (RvRidgelineView *view, RvTrainingPage *self)
{
  rv_ridgeline_view_set_follow (view, gtk_check_button_get_active (self->follow));
  rv_ridgeline_view_set_range_mode (view, gtk_check_button_get_active (self->recent_range)
                                            ? RV_RIDGELINE_RANGE_RECENT : RV_RIDGELINE_RANGE_WHOLE);
  if (!gtk_check_button_get_active (self->follow))
    rv_ridgeline_view_set_current (view, (guint) gtk_range_get_value (GTK_RANGE (self->scrubber)));
}

static void
ridge_options_changed (RvTrainingPage *self)
{
  for_each_ridge (self, apply_ridge_options);
}

static void
scrubbed (RvTrainingPage *self)
{
  /* sliding back in time stops following the newest */
  if (gtk_check_button_get_active (self->follow)
      && (guint) gtk_range_get_value (GTK_RANGE (self->scrubber)) + 1 < self->n_snapshots)
    gtk_check_button_set_active (self->follow, FALSE);
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

static void
take_snapshot (RvTrainingPage *self, RvRunEvent *ev)
{
  RunView *rv = run_at (self, self->watched);
  RvSnapshot *snap = &ev->snapshot;
  if (self->n_snapshots == 0)
    {
      for (uint32_t l = 0; l < snap->n_linear; l++)
        {
          for (int k = 0; k < 3; k++)
            {
              g_autofree char *title = layer_title (&rv->cfg, k, l);
              g_ptr_array_add (self->history[k], rv_histogram_history_new (title));
            }
          g_autofree char *name = g_strdup_printf ("layers.%u.weight", 2 * l);
          rv_curve_set_add_series (self->norm_curves, name, NULL, FALSE);
          rv_curve_set_add_series (self->ratio_curves, name, NULL, FALSE);
        }
      show_ridges_kind (self);
    }
  for (uint32_t l = 0; l < snap->n_linear; l++)
    {
      for (int k = 0; k < 3; k++)
        rv_histogram_history_append (g_ptr_array_index (self->history[k], l), snap->step,
                                     snapshot_stats (snap, k, l));
      add_norm_point (self->norm_curves, l, (double) snap->step, snap->grad_norm[l]);
      if (isfinite (snap->update_ratio[l]))
        add_norm_point (self->ratio_curves, l, (double) snap->step, snap->update_ratio[l]);
    }
  rv_snapshot_clear (&self->latest);
  self->latest = *snap;
  memset (snap, 0, sizeof *snap); /* the stats' counts now belong to self->latest */
  self->n_snapshots++;
  GPtrArray *first = self->history[0];
  guint kept = first->len ? rv_histogram_history_get_n (g_ptr_array_index (first, 0)) : 0;
  gtk_adjustment_set_upper (gtk_range_get_adjustment (GTK_RANGE (self->scrubber)), MAX (kept, 1) - 1);
  if (gtk_check_button_get_active (self->follow))
    gtk_range_set_value (GTK_RANGE (self->scrubber), MAX (kept, 1) - 1);
  show_grid_kind (self);
}

/* --- events ------------------------------------------------------------ */

static RunView *
run_for_session_index (RvTrainingPage *self, guint index)
{
  for (guint i = 0; i < self->runs->len; i++)
    if (run_at (self, i)->session_index == index)
      return run_at (self, i);
  return NULL;
}

static void
show_results (RvTrainingPage *self, RunView *rv, const RvTrainResults *res)
{
  rv->test_acc = res->test_acc;
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
      rv->state = RV_RUN_TRAINING;
      set_status (self, rv, _("starting…"));
      break;
    case RV_RUN_EVENT_LOSSES:
      {
        for (guint i = 0; i < ev->losses->len; i++)
          append_loss (self, rv, g_array_index (ev->losses, float, i));
        update_loss_curve (self, rv);
        double done = ev->total_steps ? (double) ev->step / ev->total_steps : 0.0;
        double left = done > 0 ? ev->elapsed_seconds * (1 - done) / done : 0.0;
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (rv->progress), done);
        g_autofree char *step = rv_plot_format_count (ev->step);
        g_autofree char *speed = rv_plot_format_count ((guint64) llround (ev->images_per_second));
        g_autofree char *seconds = rv_plot_format_count ((guint64) llround (left));
        /* Translators: epoch, epochs, step, images per second, seconds */
        g_autofree char *status = g_strdup_printf (_("epoch %u/%u · step %s · %s images/s · %s s left"),
                                                   ev->epoch + 1, ev->epochs, step, speed, seconds);
        if (rv->state != RV_RUN_PAUSED)
          set_status (self, rv, status);
      }
      break;
    case RV_RUN_EVENT_EPOCH:
      g_array_append_val (rv->train_acc, ev->train_acc);
      g_array_append_val (rv->val_acc, ev->val_acc);
      update_accuracy_curves (self, rv);
      update_table (self);
      break;
    case RV_RUN_EVENT_SNAPSHOT:
      if (self->watched != G_MAXUINT && run_at (self, self->watched) == rv)
        take_snapshot (self, ev);
      break;
    case RV_RUN_EVENT_FINISHED:
      rv->state = ev->error ? RV_RUN_FAILED : RV_RUN_DONE;
      show_results (self, rv, &ev->results);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (rv->progress), 1.0);
      {
        g_autofree char *acc = format_percent (ev->results.test_acc);
        g_autofree char *status = ev->error
          ? g_strdup_printf (_("trained (test accuracy %s), but not saved: %s; the previous files are kept"),
                             acc, ev->error->message)
          : g_strdup_printf (ev->reused ? _("loaded from disk: test accuracy %s") : _("done: test accuracy %s"), acc);
        set_status (self, rv, status);
      }
      update_table (self);
      break;
    case RV_RUN_EVENT_FAILED:
      rv->state = ev->state;
      {
        g_autofree char *status = ev->state == RV_RUN_DIVERGED ? g_strdup_printf (_("diverged: %s"), ev->error->message)
                                  : ev->state == RV_RUN_CANCELLED ? g_strdup (_("cancelled"))
                                  : g_strdup_printf (_("failed: %s"), ev->error->message);
        set_status (self, rv, status);
      }
      if (ev->state == RV_RUN_DIVERGED)
        gtk_widget_add_css_class (rv->status_label, "error");
      update_table (self);
      break;
    default:
      break;
    }
  sync_run_buttons (rv);
}

static gboolean
drain_events (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  RvTrainingPage *self = user_data;
  RvRunEvent *ev;
  while (self->session && (ev = rv_train_session_pop_event (self->session)))
    {
      handle_event (self, ev);
      rv_run_event_free (ev);
    }
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
  gtk_file_filter_set_name (filter, _("Run configurations"));
  gtk_file_filter_add_pattern (filter, "*.config");
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
  rv_training_page_watch (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "run")));
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
  if (self->session && self->watched != G_MAXUINT && run_at (self, self->watched)->session_index != G_MAXUINT)
    rv_train_session_watch (self->session, run_at (self, self->watched)->session_index,
                            (guint) gtk_spin_button_get_value_as_int (self->every));
}

static void
smoothing_changed (RvTrainingPage *self)
{
  for (guint i = 0; i < self->runs->len; i++)
    update_loss_curve (self, run_at (self, i));
}

/* --- public ------------------------------------------------------------ */

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
  update_data_note (self, save_dir);
  if (self->tick_id == 0)
    {
      GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
      self->ticking = root ? root : GTK_WIDGET (self);
      self->tick_id = gtk_widget_add_tick_callback (self->ticking, drain_events, self, NULL);
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
  if (self->tick_id)
    {
      gtk_widget_remove_tick_callback (self->ticking, self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->session, rv_train_session_free);
}

guint
rv_training_page_add_run (RvTrainingPage *self, const char *name, const RvTrainConfig *cfg, gboolean retrain)
{
  g_return_val_if_fail (self->session != NULL, G_MAXUINT);
  RunView *rv = new_run_view (self, name, cfg);
  rv->state = RV_RUN_QUEUED;
  set_status (self, rv, _("waiting for a free core"));
  rv->session_index = rv_train_session_add (self->session, name, cfg, retrain);
  sync_run_buttons (rv);
  update_table (self);
  guint index = self->runs->len - 1;
  if (self->watched == G_MAXUINT)
    gtk_list_box_select_row (self->runs_list, GTK_LIST_BOX_ROW (rv->row));
  return index;
}

void
rv_training_page_add_tutorial_runs (RvTrainingPage *self)
{
  static const struct {
    const char *name;
    RvOptimKind kind;
    double lr;
  } runs[] = {
    { "FashionMNIST_SGD", RV_OPTIM_SGD, 0.1 },
    { "FashionMNIST_SGDMom", RV_OPTIM_MOMENTUM, 0.1 },
    { "FashionMNIST_Adam", RV_OPTIM_ADAM, 1e-3 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      RvTrainConfig cfg;
      rv_train_config_init_default (&cfg);
      rv_optim_config_init (&cfg.optim, runs[i].kind);
      cfg.optim.lr = runs[i].lr;
      g_autofree char *name = g_strdup_printf ("%s%s", runs[i].name, self->data->synthetic ? "_synthetic" : "");
      if (!rv_training_page_has_run (self, name))
        rv_training_page_add_run (self, name, &cfg, gtk_check_button_get_active (self->retrain));
    }
}

gboolean
rv_training_page_open_run (RvTrainingPage *self, const char *config_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (config_path);
  g_autofree char *base = g_path_get_basename (config_path);
  if (!g_str_has_suffix (base, ".config"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("%s is not a run's .config file"), base);
      return FALSE;
    }
  base[strlen (base) - strlen (".config")] = '\0';
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  if (!rv_run_load (dir, base, &cfg, &res, NULL, error))
    return FALSE;
  RunView *rv = new_run_view (self, base, &cfg);
  rv->state = RV_RUN_DONE;
  show_results (self, rv, &res);
  g_autofree char *acc = format_percent (res.test_acc);
  g_autofree char *status = g_strdup_printf (_("opened from %s: test accuracy %s"), dir, acc);
  set_status (self, rv, status);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (rv->progress), 1.0);
  sync_run_buttons (rv);
  update_table (self);
  rv_train_results_clear (&res);
  return TRUE;
}

guint
rv_training_page_get_n_runs (RvTrainingPage *self)
{
  return self->runs->len;
}

gboolean
rv_training_page_has_run (RvTrainingPage *self, const char *name)
{
  for (guint i = 0; i < self->runs->len; i++)
    {
      RunView *rv = run_at (self, i);
      if (g_str_equal (rv->name, name) && rv->state != RV_RUN_CANCELLED && rv->state != RV_RUN_FAILED
          && rv->state != RV_RUN_DIVERGED)
        return TRUE;
    }
  return FALSE;
}

RvRunState
rv_training_page_get_run_state (RvTrainingPage *self, guint run)
{
  return run_at (self, run)->state;
}

const char *
rv_training_page_get_run_status (RvTrainingPage *self, guint run)
{
  return run_at (self, run)->status;
}

double
rv_training_page_get_test_acc (RvTrainingPage *self, guint run)
{
  return run_at (self, run)->test_acc;
}

void
rv_training_page_watch (RvTrainingPage *self, guint run)
{
  if (self->watched == run)
    return;
  self->watched = run;
  clear_history (self);
  RunView *rv = run_at (self, run);
  g_autofree char *label = g_strdup_printf (_("Layers of %s"), rv->name);
  gtk_label_set_label (self->watched_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->watched_label), label);
  if (self->session)
    rv_train_session_watch (self->session, rv->session_index,
                            (guint) gtk_spin_button_get_value_as_int (self->every));
  GtkListBoxRow *row = GTK_LIST_BOX_ROW (rv->row);
  if (gtk_list_box_get_selected_row (self->runs_list) != row)
    gtk_list_box_select_row (self->runs_list, row);
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
  RunView *rv = run_at (self, run);
  if (rv->session_index == G_MAXUINT)
    return;
  rv_train_session_set_paused (self->session, rv->session_index, paused);
  rv->state = rv_train_session_get_state (self->session, rv->session_index);
  if (rv->state == RV_RUN_PAUSED)
    set_status (self, rv, _("paused"));
  sync_run_buttons (rv);
}

void
rv_training_page_cancel (RvTrainingPage *self, guint run)
{
  RunView *rv = run_at (self, run);
  if (rv->session_index != G_MAXUINT)
    rv_train_session_cancel (self->session, rv->session_index);
}

GtkCheckButton *
rv_training_page_get_loss_log (RvTrainingPage *self)
{
  return self->loss_log;
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
  g_return_if_fail (run < self->runs->len);
  set_status (self, run_at (self, run), status);
  update_table (self);
}

static void
rv_training_page_dispose (GObject *object)
{
  RvTrainingPage *self = RV_TRAINING_PAGE (object);
  rv_training_page_shutdown (self);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->device_note, g_free);
  g_clear_pointer (&self->save_dir, g_free);
  for (int k = 0; k < 3; k++)
    g_clear_pointer (&self->history[k], g_ptr_array_unref);
  rv_snapshot_clear (&self->latest);
  g_clear_object (&self->loss_curves);
  g_clear_object (&self->acc_curves);
  g_clear_object (&self->norm_curves);
  g_clear_object (&self->ratio_curves);
  g_clear_object (&self->table_rows);
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
  BIND (preset); BIND (open_run); BIND (runs_list); BIND (data_note); BIND (watched_label); BIND (loss_view);
  BIND (acc_view); BIND (norm_view); BIND (ratio_view); BIND (smoothing); BIND (scrubber); BIND (kind_weights);
  BIND (kind_gradients); BIND (kind_activations); BIND (show_grid); BIND (show_ridges); BIND (show_norms);
  BIND (dist_stack); BIND (dist_grid); BIND (ridges); BIND (table); BIND (loss_log);
  BIND (content_stack); BIND (empty_add_run); BIND (empty_preset);
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
  /* not a template child: gtk_widget_dispose_template would unparent it
   * under AdwBin, which unparents it again */
  self->flap = ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
  self->runs = g_ptr_array_new_with_free_func (run_view_free);
  for (int k = 0; k < 3; k++)
    self->history[k] = g_ptr_array_new_with_free_func (g_object_unref);
  self->watched = G_MAXUINT;
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
  /* The healthy update size: about a thousandth of the weights a step. */
  rv_curve_view_set_band (self->ratio_view, 3e-4, 3e-3, _("healthy ≈ 1e-3"));
  g_object_bind_property (self->loss_log, "active", self->loss_view, "log-y",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  setup_table (self);
  update_table (self);
  sync_empty (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_run), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset), FALSE);
  gtk_label_set_label (self->data_note, _("Loading the data…"));
  g_signal_connect_swapped (self->optimizer, "notify::selected", G_CALLBACK (optimizer_changed), self);
  g_signal_connect_swapped (self->add_run, "clicked", G_CALLBACK (add_run_clicked), self);
  g_signal_connect_swapped (self->preset, "clicked", G_CALLBACK (rv_training_page_add_tutorial_runs), self);
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
  g_signal_connect_swapped (self->every, "value-changed", G_CALLBACK (every_changed), self);
  g_signal_connect_swapped (self->scrubber, "value-changed", G_CALLBACK (scrubbed), self);
  g_signal_connect_swapped (self->follow, "toggled", G_CALLBACK (ridge_options_changed), self);
  g_signal_connect_swapped (self->recent_range, "toggled", G_CALLBACK (ridge_options_changed), self);
  GtkToggleButton *kinds[] = { self->kind_weights, self->kind_gradients, self->kind_activations };
  for (int i = 0; i < 3; i++)
    g_signal_connect_swapped (kinds[i], "toggled", G_CALLBACK (kind_toggled), self);
  GtkToggleButton *views[] = { self->show_grid, self->show_ridges, self->show_norms };
  for (int i = 0; i < 3; i++)
    g_signal_connect_swapped (views[i], "toggled", G_CALLBACK (view_toggled), self);
}
