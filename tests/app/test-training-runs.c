/* test-training-runs.c: the Training page's runs as a list model (the RvRun
 * items of rv_training_page_get_runs), under Xvfb, on a small synthetic data
 * set.  The model follows adding and removing, from the page's API and from
 * a row's own button; removing the middle of three runs leaves the other two
 * with what a person sees of them right (their rows, the table's cells, their
 * curves and legend entries, their layer history); a cancelled run trains
 * again in its own place; a run removed while it trains sends its last events
 * from its thread, and they land on no other run. */
#include "rv-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-curve-set.h"
#include "rv-run.h"
#include "rv-train-session.h"
#include "rv-training-page.h"

static RvTrainingPage *page;
static char *runs_dir;

static void
small_config (RvTrainConfig *cfg, RvOptimKind kind, double lr, uint32_t epochs)
{
  static const uint32_t hidden[] = { 16 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, 1);
  rv_optim_config_init (&cfg->optim, kind);
  cfg->optim.lr = lr;
  cfg->epochs = epochs;
  cfg->batch_size = 100;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

typedef struct {
  guint run;
  RvRunState state;
} WaitState;

static gboolean
is_state (gpointer data)
{
  WaitState *w = data;
  return w->run < rv_training_page_get_n_runs (page) && rv_training_page_get_run_state (page, w->run) == w->state;
}

static gboolean
run_settled (gpointer data)
{
  RvRunState s = rv_training_page_get_run_state (page, GPOINTER_TO_UINT (data));
  return s == RV_RUN_DONE || s == RV_RUN_DIVERGED || s == RV_RUN_CANCELLED || s == RV_RUN_FAILED;
}

static void
wait_settled (guint run)
{
  if (!app_test_wait_for (run_settled, GUINT_TO_POINTER (run), 120))
    g_error ("run %u did not finish: %s", run, rv_training_page_get_run_status (page, run));
}

static void
wait_state (guint run, RvRunState state)
{
  WaitState w = { run, state };
  if (!app_test_wait_for (is_state, &w, 60))
    g_error ("run %u is not in state %d: %s", run, state, rv_training_page_get_run_status (page, run));
}

static RvRun *
run_item (guint i)
{
  g_autoptr (RvRun) run = g_list_model_get_item (rv_training_page_get_runs (page), i);
  return run; /* the model holds it */
}

static GtkListBox *
runs_list (void)
{
  return GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_TRAINING_PAGE, "runs_list"));
}

/* The texts of the labels under widget, as shown (markup stripped). */
static void
collect_labels (GtkWidget *widget, GPtrArray *texts)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_visible (c))
        continue;
      if (GTK_IS_LABEL (c))
        g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (c)));
      collect_labels (c, texts);
    }
}

static gboolean
shows_label (GtkWidget *widget, const char *text)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  collect_labels (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

/* The run's row in the list shows its name (after its colour swatch) and
 * its status line. */
static void
assert_row_shows (guint i, const char *name, const char *status)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (runs_list (), (int) i);
  g_assert_nonnull (row);
  g_autofree char *swatched = g_strdup_printf ("● %s", name);
  g_assert_true (shows_label (GTK_WIDGET (row), swatched));
  g_assert_true (shows_label (GTK_WIDGET (row), status));
}

/* The row's button with this icon (and whether it shows). */
static GtkWidget *
row_button (guint i, const char *icon)
{
  GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (runs_list (), (int) i));
  g_assert_nonnull (row);
  GPtrArray *stack = g_ptr_array_new ();
  g_ptr_array_add (stack, row);
  GtkWidget *found = NULL;
  while (stack->len && !found)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (w)), icon) == 0)
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);
  return found;
}

static guint
series_named (RvCurveSet *set, const char *name)
{
  for (guint i = 0; i < rv_curve_set_get_n_series (set); i++)
    if (g_strcmp0 (rv_curve_set_get_name (set, i), name) == 0)
      return i;
  return G_MAXUINT;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, GArray *log)
{
  guint change[3] = { position, removed, added };
  g_array_append_vals (log, change, 3);
}

/* Adding appends to the model (and a row); removing, here with the row's
 * own button, takes the run out of both. */
static void
test_model_follows (void)
{
  GListModel *model = rv_training_page_get_runs (page);
  GtkStack *content = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_TRAINING_PAGE,
                                                                "content_stack"));
  g_assert_true (g_list_model_get_item_type (model) == RV_TYPE_RUN);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "empty");
  g_autoptr (GArray) log = g_array_new (FALSE, FALSE, sizeof (guint));
  gulong id = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);

  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 0.1, 1);
  guint first = rv_training_page_add_run (page, "First", &cfg, TRUE);
  guint second = rv_training_page_add_run (page, "Second", &cfg, TRUE);
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (second, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, 2);
  g_assert_cmpstr (rv_run_get_name (run_item (0)), ==, "First");
  g_assert_cmpstr (rv_run_get_name (run_item (1)), ==, "Second");
  g_assert_nonnull (gtk_list_box_get_row_at_index (runs_list (), 1));
  g_assert_null (gtk_list_box_get_row_at_index (runs_list (), 2));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "charts");
  wait_settled (0);
  wait_settled (1);

  /* what a person does: the first row's trash button */
  GtkWidget *trash = row_button (0, "user-trash-symbolic");
  g_assert_true (gtk_widget_get_visible (trash));
  g_signal_emit_by_name (trash, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (rv_run_get_name (run_item (0)), ==, "Second");
  assert_row_shows (0, "Second", rv_run_get_status (run_item (0)));
  g_assert_null (gtk_list_box_get_row_at_index (runs_list (), 1));
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, 1);
  g_assert_cmpstr (rv_curve_set_get_name (loss, 0), ==, "Second");

  rv_training_page_remove (page, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "empty");
  g_signal_handler_disconnect (model, id);

  /* two appends at the end, then the first and the (moved up) second out */
  const guint want[][3] = { { 0, 0, 1 }, { 1, 0, 1 }, { 0, 1, 0 }, { 0, 1, 0 } };
  g_assert_cmpuint (log->len, ==, 3 * G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    for (guint k = 0; k < 3; k++)
      g_assert_cmpuint (g_array_index (log, guint, 3 * i + k), ==, want[i][k]);
}

typedef struct {
  RvRun *run;
  const RvHistory *history;
  char *status;
  guint n_loss, n_val;
  double *loss_x, *loss_y, *val_y;
  double test_acc;
} Kept;

static void
keep (Kept *k, guint i)
{
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  RvCurveSet *acc = rv_curve_view_get_model (rv_training_page_get_accuracy_view (page));
  k->run = run_item (i);
  k->history = rv_training_page_get_history (page, i);
  k->status = g_strdup (rv_training_page_get_run_status (page, i));
  k->n_loss = rv_curve_set_get_n_points (loss, i);
  k->loss_x = g_memdup2 (rv_curve_set_get_x (loss, i), k->n_loss * sizeof (double));
  k->loss_y = g_memdup2 (rv_curve_set_get_y (loss, i), k->n_loss * sizeof (double));
  k->n_val = rv_curve_set_get_n_points (acc, 2 * i + 1);
  k->val_y = g_memdup2 (rv_curve_set_get_y (acc, 2 * i + 1), k->n_val * sizeof (double));
  k->test_acc = rv_training_page_get_test_acc (page, i);
}

static void
kept_clear (Kept *k)
{
  g_free (k->status);
  g_free (k->loss_x);
  g_free (k->loss_y);
  g_free (k->val_y);
}

/* The run kept as k is now at place i, with all it had, and the legend and
 * the table name it. */
static void
assert_kept_at (const Kept *k, guint i, const char *name)
{
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  RvCurveSet *acc = rv_curve_view_get_model (rv_training_page_get_accuracy_view (page));
  g_assert_true (run_item (i) == k->run);
  g_assert_cmpstr (rv_run_get_name (k->run), ==, name);
  g_assert_true (rv_training_page_get_history (page, i) == k->history);
  g_assert_nonnull (k->history);
  g_assert_cmpstr (rv_training_page_get_run_status (page, i), ==, k->status);
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, i), ==, k->test_acc);

  /* its curves, under its own name and colour */
  g_assert_cmpuint (series_named (loss, name), ==, i);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, i), ==, k->n_loss);
  g_assert_cmpmem (rv_curve_set_get_x (loss, i), k->n_loss * sizeof (double), k->loss_x, k->n_loss * sizeof (double));
  g_assert_cmpmem (rv_curve_set_get_y (loss, i), k->n_loss * sizeof (double), k->loss_y, k->n_loss * sizeof (double));
  g_autofree char *val_name = g_strdup_printf ("%s, validation", name);
  g_assert_cmpuint (series_named (acc, val_name), ==, 2 * i + 1);
  g_assert_cmpuint (rv_curve_set_get_n_points (acc, 2 * i + 1), ==, k->n_val);
  g_assert_cmpmem (rv_curve_set_get_y (acc, 2 * i + 1), k->n_val * sizeof (double), k->val_y, k->n_val * sizeof (double));
  GdkRGBA color;
  g_assert_true (rv_curve_set_get_color (loss, i, &color));
  g_assert_true (gdk_rgba_equal (&color, rv_run_get_color (k->run)));

  assert_row_shows (i, name, k->status);

  /* the table's cells: the name, and the best validation accuracy worked
   * out here from the results file the run saved */
  GtkWidget *table = GTK_WIDGET (rv_training_page_get_comparison (page));
  g_assert_true (shows_label (table, name));
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (runs_dir, name, &cfg, &res, NULL, &error));
  double best = 0.0;
  for (guint e = 0; e < res.val_scores->len; e++)
    best = MAX (best, g_array_index (res.val_scores, double, e));
  g_autofree char *best_text = rv_run_format_accuracy (best);
  g_autofree char *test_text = rv_run_format_accuracy (res.test_acc);
  g_autofree char *best_cell = rv_run_dup_cell (k->run, RV_RUN_COLUMN_BEST_VALIDATION);
  g_assert_cmpstr (best_cell, ==, best_text);
  g_assert_true (shows_label (table, best_text));
  g_assert_true (shows_label (table, test_text));
  rv_train_results_clear (&res);
}

/* Three finished runs; the middle one, watched, goes: the first and the
 * last keep what they had, the last one place up. */
static void
test_remove_middle (void)
{
  const char *names[] = { "RunA", "RunB", "RunC" };
  const RvOptimKind kinds[] = { RV_OPTIM_SGD, RV_OPTIM_MOMENTUM, RV_OPTIM_ADAM };
  const double lrs[] = { 0.1, 0.05, 1e-3 };
  guint base = rv_training_page_get_n_runs (page);
  g_assert_cmpuint (base, ==, 0);
  for (guint r = 0; r < 3; r++)
    {
      RvTrainConfig cfg;
      small_config (&cfg, kinds[r], lrs[r], 3);
      g_assert_cmpuint (rv_training_page_add_run (page, names[r], &cfg, TRUE), ==, r);
    }
  for (guint r = 0; r < 3; r++)
    {
      wait_settled (r);
      g_assert_cmpint (rv_training_page_get_run_state (page, r), ==, RV_RUN_DONE);
    }
  rv_training_page_watch (page, 1);
  rv_training_page_compare (page, 2);
  app_test_wait_for (never, NULL, 0.3);

  Kept a, c;
  keep (&a, 0);
  keep (&c, 2);
  RvRun *b = run_item (1);
  g_object_add_weak_pointer (G_OBJECT (b), (gpointer *) &b);
  assert_kept_at (&a, 0, "RunA");
  assert_kept_at (&c, 2, "RunC");
  g_assert_true (shows_label (GTK_WIDGET (rv_training_page_get_comparison (page)), "RunB"));

  rv_training_page_remove (page, 1);
  app_test_wait_for (never, NULL, 0.3); /* the table lays out its rows again */
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, 2);
  g_assert_null (gtk_list_box_get_row_at_index (runs_list (), 2));
  assert_kept_at (&a, 0, "RunA");
  assert_kept_at (&c, 1, "RunC");
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  RvCurveSet *acc = rv_curve_view_get_model (rv_training_page_get_accuracy_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, 2);
  g_assert_cmpuint (rv_curve_set_get_n_series (acc), ==, 4);
  g_assert_cmpuint (series_named (loss, "RunB"), ==, G_MAXUINT);
  g_assert_false (shows_label (GTK_WIDGET (rv_training_page_get_comparison (page)), "RunB"));
  /* nothing holds the removed run any more */
  g_assert_null (b);

  /* the watched run went: the first is watched, and the list to compare
   * with offers the other */
  g_assert_cmpstr (gtk_label_get_label (rv_training_page_get_watched_label (page)), ==, "Layers of RunA");
  GListModel *offered = gtk_drop_down_get_model (rv_training_page_get_compare_list (page));
  g_assert_cmpuint (g_list_model_get_n_items (offered), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (offered), 1), ==, "RunC");
  rv_training_page_compare (page, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (rv_training_page_get_compare_list (page)), ==, 1);
  rv_training_page_compare (page, G_MAXUINT);

  kept_clear (&a);
  kept_clear (&c);
  while (rv_training_page_get_n_runs (page))
    rv_training_page_remove (page, 0);
}

/* Cancelled, a run restarts from its row's button in the same place, as the
 * same item, from nothing. */
static void
test_restart_after_cancel (void)
{
  RvTrainConfig cfg, before;
  small_config (&before, RV_OPTIM_SGD, 0.1, 1);
  small_config (&cfg, RV_OPTIM_SGD, 0.05, 5000);
  rv_training_page_add_run (page, "Before", &before, TRUE);
  guint run = rv_training_page_add_run (page, "Restarted", &cfg, TRUE);
  wait_state (run, RV_RUN_TRAINING);
  rv_training_page_cancel (page, run);
  wait_settled (run);
  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_CANCELLED);
  RvRun *item = run_item (run);
  g_assert_cmpstr (rv_run_get_status (item), ==, "cancelled");
  g_assert_cmpuint (rv_run_get_session_index (item), !=, G_MAXUINT);
  assert_row_shows (run, "Restarted", "cancelled");
  GtkWidget *restart = row_button (run, "view-refresh-symbolic");
  g_assert_true (gtk_widget_get_visible (restart));
  g_assert_false (gtk_widget_get_visible (row_button (run, "process-stop-symbolic")));
  guint n = rv_training_page_get_n_runs (page);

  g_signal_emit_by_name (restart, "clicked");
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, n);
  g_assert_true (run_item (run) == item);
  RvRunState state = rv_run_get_state (item);
  g_assert_true (state == RV_RUN_QUEUED || state == RV_RUN_TRAINING);
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, run), ==, 0);
  g_assert_true (isnan (rv_run_get_test_accuracy (item)));
  g_assert_cmpfloat (rv_run_get_progress (item), ==, 0.0);
  wait_state (run, RV_RUN_TRAINING);
  g_assert_true (run_item (run) == item);
  g_assert_false (gtk_widget_get_visible (row_button (run, "view-refresh-symbolic")));
  g_assert_true (gtk_widget_get_visible (row_button (run, "process-stop-symbolic")));
  g_assert_cmpstr (rv_curve_set_get_name (loss, run), ==, "Restarted");

  rv_training_page_cancel (page, run);
  wait_settled (run);
  while (rv_training_page_get_n_runs (page))
    rv_training_page_remove (page, 0);
}

/* Removed while it trains, a run is cancelled; its thread's last events
 * (the cancel, losses on their way) must not reach the run that takes its
 * place, which trains to its end with exactly its own steps. */
static void
test_removed_run_late_events (void)
{
  RvTrainConfig doomed, survivor;
  small_config (&doomed, RV_OPTIM_SGD, 0.05, 5000);
  small_config (&survivor, RV_OPTIM_ADAM, 1e-3, 4);
  guint d = rv_training_page_add_run (page, "Doomed", &doomed, TRUE);
  guint s = rv_training_page_add_run (page, "Survivor", &survivor, TRUE);
  g_assert_cmpuint (s, ==, d + 1);
  wait_state (d, RV_RUN_TRAINING);
  rv_training_page_remove (page, d);
  g_assert_cmpstr (rv_run_get_name (run_item (d)), ==, "Survivor");
  wait_settled (d);
  /* whatever the removed run still had to say has had time to arrive */
  app_test_wait_for (never, NULL, 1.0);
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, 1);
  g_assert_cmpint (rv_training_page_get_run_state (page, d), ==, RV_RUN_DONE);
  g_assert_true (g_str_has_prefix (rv_training_page_get_run_status (page, d), "done: test accuracy"));
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  RvCurveSet *acc = rv_curve_view_get_model (rv_training_page_get_accuracy_view (page));
  /* its curves hold its own steps and epochs, as it saved them */
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (runs_dir, "Survivor", &cfg, &res, NULL, &error));
  g_assert_cmpuint (res.val_scores->len, ==, 4);
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, 1);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, d), ==, res.train_losses->len);
  g_assert_cmpuint (rv_curve_set_get_n_points (acc, 2 * d + 1), ==, 4);
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, d), ==, res.test_acc);
  rv_train_results_clear (&res);
  /* the removed run saved no weights: it was cancelled */
  g_autofree char *model = rv_run_path (runs_dir, "Doomed", ".safetensors");
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));
  rv_training_page_remove (page, d);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_autoptr (RvDataset) data = rv_dataset_new_synthetic (1200, 200, 3);
  runs_dir = g_dir_make_tmp ("ravine-training-runs-XXXXXX", NULL);
  page = g_object_ref_sink (g_object_new (RV_TYPE_TRAINING_PAGE, NULL));
  rv_training_page_set_device (page, "cpu");
  rv_training_page_set_data (page, data, runs_dir);
  GtkWidget *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  app_test_wait_for (never, NULL, 0.3);

  g_test_add_func ("/training-runs/model-follows", test_model_follows);
  g_test_add_func ("/training-runs/remove-middle", test_remove_middle);
  g_test_add_func ("/training-runs/restart-after-cancel", test_restart_after_cancel);
  g_test_add_func ("/training-runs/removed-run-late-events", test_removed_run_late_events);
  int status = g_test_run ();

  rv_training_page_shutdown (page);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
  return status;
}
