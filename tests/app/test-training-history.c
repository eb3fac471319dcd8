/* test-training-history.c: the Training page's layer histories under Xvfb:
 * what the page showed while a run trained is what was saved; a saved run
 * replays in the same views, its step marked on the loss chart; two runs'
 * layers side by side at one step; switching runs keeps their histories; a
 * run saved without a history, or with a broken one, says so; a bare
 * weights file opens as a row with no curves, a malformed one names its
 * tensor; runs hide, come back, restart after a cancel and leave the page;
 * the sharpness chart shows what runs with "Track sharpness" measured and
 * saved, with each SGD-type run's stability line at its threshold (2/η for
 * SGD) and none for Adam. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-run.h"
#include "rv-curve-set.h"
#include "rv-histogram-history.h"
#include "rv-init-page.h"
#include "rv-ridgeline-view.h"
#include "rv-run-files.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvWindow *window;
static RvTrainingPage *page;
static char *runs_dir;
static guint sgd_run = G_MAXUINT, adam_run = G_MAXUINT;
static GTimer *test_clock;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window))) != NULL;
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
  if (!app_test_wait_for (run_settled, GUINT_TO_POINTER (run), 300))
    g_error ("run %u did not finish: %s", run, rv_training_page_get_run_status (page, run));
}

/* 3000 images in batches of 100 for 2 epochs: 60 steps, each recorded
 * (the default cadence gives about 100 snapshots). */
static void
small_config (RvTrainConfig *cfg, RvOptimKind kind, double lr, uint32_t epochs)
{
  static const uint32_t hidden[] = { 48, 24 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_TANH, hidden, 2);
  rv_optim_config_init (&cfg->optim, kind);
  cfg->optim.lr = lr;
  cfg->epochs = epochs;
  cfg->batch_size = 100;
  cfg->train_limit = 3000;
}

static void
assert_stats_equal (const RvStats *a, const RvStats *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpfloat (a->variance, ==, b->variance);
  g_assert_cmpfloat (a->min, ==, b->min);
  g_assert_cmpfloat (a->max, ==, b->max);
  g_assert_cmpuint (a->n_bins, ==, b->n_bins);
  for (uint32_t k = 0; k < a->n_bins; k++)
    g_assert_cmpuint (a->counts[k], ==, b->counts[k]);
}

static RvHistogramHistory *
ridge_model (guint i)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (rv_training_page_get_ridges (page)));
  for (; child && i > 0; i--)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return RV_HISTOGRAM_HISTORY (rv_chart_get_model (RV_CHART (child)));
}

static guint
n_ridges (void)
{
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (rv_training_page_get_ridges (page))); c;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* The recorded history, the one on disk and the ridgelines the page drew
 * while the run trained all agree. */
static void
test_live_equals_saved (void)
{
  RvTrainConfig sgd, adam;
  small_config (&sgd, RV_OPTIM_SGD, 0.1, 2);
  small_config (&adam, RV_OPTIM_ADAM, 1e-3, 2);
  sgd_run = rv_training_page_add_run (page, "HistSGD", &sgd, TRUE);
  adam_run = rv_training_page_add_run (page, "HistAdam", &adam, TRUE);
  rv_training_page_watch (page, sgd_run);
  wait_settled (sgd_run);
  wait_settled (adam_run);
  g_assert_cmpint (rv_training_page_get_run_state (page, sgd_run), ==, RV_RUN_DONE);

  const RvHistory *shown = rv_training_page_get_history (page, sgd_run);
  g_assert_nonnull (shown);
  g_assert_cmpuint (rv_history_get_n (shown), ==, 60);
  g_autoptr (RvHistory) saved = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load_history (runs_dir, "HistSGD", &saved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rv_history_get_n (saved), ==, 60);

  /* three Linear layers, one ridgeline each (activations shown) */
  g_assert_cmpuint (n_ridges (), ==, 3);
  for (guint l = 0; l < 3; l++)
    {
      RvHistogramHistory *ridge = ridge_model (l);
      g_assert_cmpuint (rv_histogram_history_get_n (ridge), ==, 60);
      for (guint i = 0; i < 60; i++)
        {
          const RvSnapshot *s = rv_history_get (saved, i);
          g_assert_cmpuint (rv_history_get (shown, i)->step, ==, s->step);
          g_assert_cmpuint (rv_histogram_history_get_step (ridge, i), ==, s->step);
          assert_stats_equal (rv_histogram_history_get_stats (ridge, i), &s->activation[l]);
          assert_stats_equal (&rv_history_get (shown, i)->weight[l], &s->weight[l]);
        }
    }
}

/* The series of the sharpness chart named exactly `name`, or G_MAXUINT. */
static guint
sharp_series (RvCurveSet *set, const char *name)
{
  for (guint i = 0; i < rv_curve_set_get_n_series (set); i++)
    if (g_str_equal (rv_curve_set_get_name (set, i), name))
      return i;
  return G_MAXUINT;
}

/* The chart's stability line of run `name`: the series whose legend name
 * starts with "NAME: ", or G_MAXUINT. */
static guint
stability_series (RvCurveSet *set, const char *name, const char **label)
{
  g_autofree char *prefix = g_strdup_printf ("%s: ", name);
  for (guint i = 0; i < rv_curve_set_get_n_series (set); i++)
    if (g_str_has_prefix (rv_curve_set_get_name (set, i), prefix))
      {
        *label = rv_curve_set_get_name (set, i) + strlen (prefix);
        return i;
      }
  return G_MAXUINT;
}

/* Runs added with "Track sharpness" on: the chart shows the points they
 * saved (steps 0, 3, …, 60: about 20 over 60 steps) and a dashed line at
 * the optimizer's threshold across the run, worked out here from the
 * learning rate and momentum: 2/η for SGD, 2(1 + β)/(η(1 − β)) for the
 * tutorial's momentum, none for Adam.  A run added with it off adds
 * nothing to the chart. */
static void
test_sharpness_chart (void)
{
  RvCurveView *view = rv_training_page_get_sharpness_view (page);
  GtkCheckButton *track = rv_training_page_get_track_sharpness (page);
  g_assert_false (gtk_check_button_get_active (track));
  RvTrainConfig sgd, momentum, adam, plain;
  small_config (&sgd, RV_OPTIM_SGD, 0.1, 2);
  small_config (&momentum, RV_OPTIM_MOMENTUM, 0.05, 2);
  momentum.optim.momentum = 0.8;
  small_config (&adam, RV_OPTIM_ADAM, 1e-3, 2);
  small_config (&plain, RV_OPTIM_SGD, 0.2, 2);
  guint off = rv_training_page_add_run (page, "SharpOff", &plain, TRUE);
  gtk_check_button_set_active (track, TRUE);
  const char *names[] = { "SharpSGD", "SharpMomentum", "SharpAdam" };
  const RvTrainConfig *cfgs[] = { &sgd, &momentum, &adam };
  const double thresholds[] = { 2.0 / 0.1, 2.0 * 1.8 / (0.05 * 0.2), NAN };
  const char *labels[] = { "2/η = ", "2(1+β)/(η(1−β)) = ", NULL };
  guint runs[3];
  for (guint r = 0; r < 3; r++)
    runs[r] = rv_training_page_add_run (page, names[r], cfgs[r], TRUE);
  gtk_check_button_set_active (track, FALSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view)));
  wait_settled (off);
  for (guint r = 0; r < 3; r++)
    wait_settled (runs[r]);

  RvCurveSet *set = RV_CURVE_SET (rv_chart_get_model (RV_CHART (view)));
  g_assert_cmpuint (sharp_series (set, "SharpOff"), ==, G_MAXUINT);
  const char *label = NULL;
  g_assert_cmpuint (stability_series (set, "SharpOff", &label), ==, G_MAXUINT);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpint (rv_training_page_get_run_state (page, runs[r]), ==, RV_RUN_DONE);
      RvTrainConfig cfg;
      RvTrainResults res = { 0 };
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_run_load (runs_dir, names[r], &cfg, &res, NULL, &error));
      g_assert_nonnull (res.sharpness);
      g_assert_cmpuint (res.sharpness->len, ==, 21);
      guint series = sharp_series (set, names[r]);
      g_assert_cmpuint (series, !=, G_MAXUINT);
      g_assert_cmpuint (rv_curve_set_get_n_points (set, series), ==, 21);
      for (guint i = 0; i < 21; i++)
        {
          const RvTrainSharpness *p = &g_array_index (res.sharpness, RvTrainSharpness, i);
          g_assert_cmpuint (p->step, ==, 3 * i);
          g_assert_true (isfinite (p->top_eigenvalue) && p->top_eigenvalue > 0);
          g_assert_cmpfloat (rv_curve_set_get_x (set, series)[i], ==, (double) p->step);
          g_assert_cmpfloat_with_epsilon (rv_curve_set_get_y (set, series)[i], p->top_eigenvalue,
                                          1e-9 * p->top_eigenvalue);
        }
      rv_train_results_clear (&res);

      guint line = stability_series (set, names[r], &label);
      if (isnan (thresholds[r]))
        {
          g_assert_cmpuint (line, ==, G_MAXUINT);
          continue;
        }
      g_assert_cmpuint (line, !=, G_MAXUINT);
      g_assert_true (rv_curve_set_get_dashed (set, line));
      g_assert_true (g_str_has_prefix (label, labels[r]));
      /* the same label drawn on the plot, at the line's end */
      g_assert_cmpstr (rv_curve_set_get_label (set, line), ==, label);
      g_assert_cmpuint (rv_curve_set_get_n_points (set, line), ==, 2);
      const double *x = rv_curve_set_get_x (set, line), *y = rv_curve_set_get_y (set, line);
      g_assert_cmpfloat (x[0], ==, 0.0);
      g_assert_cmpfloat (x[1], ==, 60.0);
      for (guint i = 0; i < 2; i++)
        g_assert_cmpfloat_with_epsilon (y[i], thresholds[r], 1e-9 * thresholds[r]);
    }
  /* the SGD line's label is its value: "2/η = 20" */
  stability_series (set, "SharpSGD", &label);
  g_assert_cmpstr (label, ==, "2/η = 20");
  g_assert_null (rv_curve_set_get_label (set, sharp_series (set, "SharpSGD")));

  /* gone from the list, gone from the chart, which hides once empty
   * (the last first: removing a run moves those after it up) */
  for (guint r = 3; r-- > 0;)
    rv_training_page_remove (page, runs[r]);
  rv_training_page_remove (page, off);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view)));
  g_assert_cmpuint (sharp_series (set, "SharpSGD"), ==, G_MAXUINT);
}

/* The loss over the seconds each run trained: increasing, positive, within
 * the time the test has run; back on steps, the steps again. */
static void
test_wall_clock (void)
{
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  GtkCheckButton *toggle = rv_training_page_get_loss_time (page);
  guint n = rv_curve_set_get_n_points (loss, sgd_run);
  g_assert_cmpuint (n, ==, 60);
  gtk_check_button_set_active (toggle, TRUE);
  const double *x = rv_curve_set_get_x (loss, sgd_run);
  /* no run can have trained longer than the page has existed */
  double since_start = g_timer_elapsed (test_clock, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (isfinite (x[i]) && x[i] > 0);
      g_assert_cmpfloat (x[i], <=, since_start);
      if (i > 0)
        g_assert_cmpfloat (x[i], >=, x[i - 1]);
    }
  gtk_check_button_set_active (toggle, FALSE);
  x = rv_curve_set_get_x (loss, sgd_run);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (x[i], ==, i + 1.0);
}

static gboolean
replay_over (gpointer data)
{
  return !rv_training_page_is_replaying (page);
}

/* The finished run replays: the grid shows the scrubbed step's recorded
 * histograms, the loss chart marks the step, Play runs to the end. */
static void
test_replay (void)
{
  rv_training_page_watch (page, sgd_run);
  const RvHistory *h = rv_training_page_get_history (page, sgd_run);
  GtkRange *scrubber = rv_training_page_get_scrubber (page);
  GtkAdjustment *adj = gtk_range_get_adjustment (scrubber);
  g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 60);

  gtk_range_set_value (scrubber, 12);
  RvHistogramGrid *grid = rv_training_page_get_grid (page);
  g_assert_cmpuint (rv_histogram_grid_get_n_views (grid), ==, 3);
  guint i = rv_history_index_at_step (h, 12);
  for (guint l = 0; l < 3; l++)
    {
      RvHistogram *shown = rv_chart_get_model (RV_CHART (rv_histogram_grid_get_view (grid, l)));
      assert_stats_equal (rv_histogram_get_stats (shown), &rv_history_get (h, i)->activation[l]);
    }
  g_assert_cmpfloat (rv_curve_view_get_marker (rv_training_page_get_loss_view (page)), ==, 12);
  /* 30 steps an epoch: step 12 is 0.4 of the way through the first */
  g_assert_cmpfloat (fabs (rv_curve_view_get_marker (rv_training_page_get_accuracy_view (page)) - 0.4), <, 1e-12);

  g_signal_emit_by_name (rv_training_page_get_play_button (page), "clicked");
  g_assert_true (rv_training_page_is_replaying (page));
  g_assert_true (app_test_wait_for (replay_over, NULL, 60));
  g_assert_cmpfloat (gtk_range_get_value (scrubber), ==, 60);
  g_assert_cmpfloat (rv_curve_view_get_marker (rv_training_page_get_loss_view (page)), ==, 60);
}

/* Two runs' layers side by side, one scrubber for both. */
static void
test_compare (void)
{
  rv_training_page_watch (page, sgd_run);
  rv_training_page_compare (page, adam_run);
  g_assert_cmpuint (n_ridges (), ==, 6);
  GtkRange *scrubber = rv_training_page_get_scrubber (page);
  gtk_range_set_value (scrubber, 31);
  RvHistogramGrid *grid = rv_training_page_get_grid (page);
  g_assert_cmpuint (rv_histogram_grid_get_n_views (grid), ==, 6);
  const RvHistory *runs[2] = { rv_training_page_get_history (page, sgd_run),
                               rv_training_page_get_history (page, adam_run) };
  const char *names[2] = { "HistSGD", "HistAdam" };
  for (guint v = 0; v < 6; v++)
    {
      /* layer by layer, the watched run first */
      guint r = v % 2, l = v / 2;
      RvHistogram *shown = rv_chart_get_model (RV_CHART (rv_histogram_grid_get_view (grid, v)));
      g_assert_nonnull (strstr (rv_histogram_get_title (shown), names[r]));
      const RvSnapshot *s = rv_history_get (runs[r], rv_history_index_at_step (runs[r], 31));
      g_assert_cmpuint (s->step, ==, 31);
      assert_stats_equal (rv_histogram_get_stats (shown), &s->activation[l]);
    }
  /* the list names the compared run */
  GtkDropDown *list = rv_training_page_get_compare_list (page);
  GtkStringObject *item = gtk_drop_down_get_selected_item (list);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "HistAdam");

  /* switching the watched run keeps every history */
  rv_training_page_compare (page, G_MAXUINT);
  rv_training_page_watch (page, adam_run);
  g_assert_cmpuint (n_ridges (), ==, 3);
  rv_training_page_watch (page, sgd_run);
  g_assert_cmpuint (rv_histogram_history_get_n (ridge_model (0)), ==, 60);
}

/* Saved without a history file (as before histories), or with a broken
 * one: the run opens, and the page says why its layers are missing. */
static void
test_missing_and_broken (void)
{
  g_autofree char *config = rv_run_path (runs_dir, "HistAdam", ".config");
  g_autofree char *history = rv_run_path (runs_dir, "HistAdam", "_history.json");
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (history, "{\"format_version\": 1, \"every\"", -1, NULL));
  guint broken = rv_training_page_get_n_runs (page);
  g_assert_true (rv_training_page_open_run (page, config, &error));
  g_assert_no_error (error);
  g_assert_null (rv_training_page_get_history (page, broken));
  const char *note = rv_training_page_get_history_note (page, broken);
  g_assert_nonnull (strstr (note, "could not be read"));
  g_assert_nonnull (strstr (note, "HistAdam_history.json"));
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, broken), ==, rv_training_page_get_test_acc (page, adam_run));

  g_assert_cmpint (g_unlink (history), ==, 0);
  guint old = rv_training_page_get_n_runs (page);
  g_assert_true (rv_training_page_open_run (page, config, &error));
  rv_training_page_watch (page, old);
  g_assert_nonnull (strstr (gtk_label_get_label (rv_training_page_get_watched_label (page)),
                            "no history was saved with this run"));
  g_assert_cmpuint (n_ridges (), ==, 0);
}

static char *
weights_fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "weights", name, NULL);
}

/* "784-8-…-10, relu" from PyTorch's own record of the fixture. */
static char *
reference_network (const char *model)
{
  g_autofree char *path = weights_fixture ("reference.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  JsonObject *ref = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "models"), model);
  JsonArray *hidden = json_object_get_array_member (ref, "hidden_sizes");
  GString *s = g_string_new ("784");
  for (guint i = 0; i < json_array_get_length (hidden); i++)
    g_string_append_printf (s, "-%" G_GINT64_FORMAT, json_array_get_int_element (hidden, i));
  g_string_append_printf (s, "-10, %s", json_object_get_string_member (ref, "act"));
  return g_string_free (s, FALSE);
}

static guint
loss_points_of (const char *name)
{
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  for (guint i = 0; i < rv_curve_set_get_n_series (loss); i++)
    if (g_strcmp0 (rv_curve_set_get_name (loss, i), name) == 0)
      return rv_curve_set_get_n_points (loss, i);
  g_error ("the loss chart has no series %s", name);
}

static RvRun *
table_row (const char *name)
{
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (rv_training_page_get_comparison (page)));
  RvRun *found = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (RvRun) row = g_list_model_get_item (rows, i);
      if (g_strcmp0 (rv_run_get_name (row), name) == 0)
        found = row;
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_cell (RvRun *row, RvRunColumn column, const char *want)
{
  g_autofree char *cell = rv_run_dup_cell (row, column);
  g_assert_cmpstr (cell, ==, want);
}

/* Open Saved Run… with a weights file: a bare one (PyTorch's) becomes a
 * finished row with its network and nothing to plot; one with its run
 * beside it opens as that run; a malformed one is refused naming the
 * tensor. */
static void
test_open_weights (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tutorial = weights_fixture ("tutorial-f32.safetensors");
  guint w = rv_training_page_get_n_runs (page);
  g_assert_true (rv_training_page_open_run (page, tutorial, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, w + 1);
  g_autofree char *network = reference_network ("tutorial-f32");
  g_autofree char *want = g_strdup_printf ("weights only: %s, no training curves", network);
  g_assert_cmpstr (rv_training_page_get_run_status (page, w), ==, want);
  g_assert_cmpint (rv_training_page_get_run_state (page, w), ==, RV_RUN_DONE);
  g_assert_cmpuint (loss_points_of ("tutorial-f32"), ==, 0);
  g_assert_true (isnan (rv_training_page_get_test_acc (page, w)));
  g_assert_null (rv_training_page_get_history (page, w));
  g_assert_cmpstr (rv_training_page_get_history_note (page, w), ==, "a weights file has no history");
  rv_training_page_watch (page, w);
  g_assert_nonnull (strstr (gtk_label_get_label (rv_training_page_get_watched_label (page)),
                            "a weights file has no history"));
  g_assert_cmpuint (n_ridges (), ==, 0);
  RvRun *row = table_row ("tutorial-f32");
  assert_cell (row, RV_RUN_COLUMN_OPTIMIZER, "–");
  assert_cell (row, RV_RUN_COLUMN_BEST_VALIDATION, "–");
  assert_cell (row, RV_RUN_COLUMN_TEST_ACCURACY, "–");
  assert_cell (row, RV_RUN_COLUMN_STATUS, want);

  /* Its config beside it (no results) gives the activation. */
  g_autofree char *sequential = weights_fixture ("sequential-f16.safetensors");
  g_assert_true (rv_training_page_open_run (page, sequential, &error));
  g_autofree char *seq_network = reference_network ("sequential-f16");
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, w + 1), seq_network));

  /* A saved run's weights open as the run, curves and all. */
  g_autofree char *adam = rv_run_path (runs_dir, "HistAdam", ".safetensors");
  guint again = rv_training_page_get_n_runs (page);
  g_assert_true (rv_training_page_open_run (page, adam, &error));
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, again), "opened from"));
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, again), ==, rv_training_page_get_test_acc (page, adam_run));

  /* Malformed: refused, naming the file and the tensor; no row added. */
  g_autofree char *bad = weights_fixture ("bad/missing-bias.safetensors");
  guint before = rv_training_page_get_n_runs (page);
  g_assert_false (rv_training_page_open_run (page, bad, &error));
  g_assert_nonnull (strstr (error->message, "tensor 2.weight has no bias"));
  g_assert_nonnull (strstr (error->message, "missing-bias.safetensors"));
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, before);
  g_clear_error (&error);
  g_assert_false (rv_training_page_open_run (page, "/nonexistent/model.npz", &error));
  g_assert_nonnull (strstr (error->message, ".safetensors"));
}

static gboolean
is_training (gpointer data)
{
  return rv_training_page_get_run_state (page, GPOINTER_TO_UINT (data)) == RV_RUN_TRAINING;
}

/* Hide and show, cancel and restart, remove. */
static void
test_run_controls (void)
{
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  guint points = rv_curve_set_get_n_points (loss, 0);
  g_assert_cmpuint (points, >, 0);
  rv_training_page_set_hidden (page, sgd_run, TRUE);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, 0), ==, 0);
  g_assert_cmpstr (rv_curve_set_get_name (loss, 0), ==, "");
  rv_training_page_set_hidden (page, sgd_run, FALSE);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, 0), ==, points);
  g_assert_cmpstr (rv_curve_set_get_name (loss, 0), ==, "HistSGD");

  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 0.05, 200);
  guint doomed = rv_training_page_add_run (page, "Again", &cfg, TRUE);
  g_assert_true (app_test_wait_for (is_training, GUINT_TO_POINTER (doomed), 60));
  rv_training_page_cancel (page, doomed);
  wait_settled (doomed);
  g_assert_cmpint (rv_training_page_get_run_state (page, doomed), ==, RV_RUN_CANCELLED);
  g_assert_false (rv_training_page_restart (page, sgd_run)); /* done: nothing to restart */
  g_assert_true (rv_training_page_restart (page, doomed));
  g_assert_true (app_test_wait_for (is_training, GUINT_TO_POINTER (doomed), 60));

  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (rv_training_page_get_comparison (page)));
  guint before = g_list_model_get_n_items (rows);
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, before);
  /* the last run: nothing moves */
  g_assert_cmpuint (doomed, ==, before - 1);
  rv_training_page_remove (page, doomed);
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, before - 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, before - 1);
  g_assert_cmpuint (rv_curve_set_get_n_series (loss), ==, before - 1);
}

static void
count_frame (GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* With every run ended, nothing arrives: the page must not keep the
 * window's frame clock running (a tick callback on every frame would). */
static void
test_idle_frame_clock (void)
{
  for (guint i = 0; i < rv_training_page_get_n_runs (page); i++)
    g_assert_true (run_settled (GUINT_TO_POINTER (i)));
  /* a text cursor blinking in the form would draw: that is GTK's, not ours */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert_nonnull (clock);
  app_test_wait_for (never, NULL, 3.5); /* what was still being drawn, and the window hiding its controls */
  guint frames = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &frames);
  app_test_wait_for (never, NULL, 1.0);
  g_signal_handler_disconnect (clock, id);
  g_assert_cmpuint (frames, ==, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  gboolean real = dir && g_file_test (dir, G_FILE_TEST_IS_DIR);
  g_setenv ("RAVINE_DATA_DIR", real ? dir : "/nonexistent-ravine-data", TRUE);
  runs_dir = g_dir_make_tmp ("ravine-runs-XXXXXX", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  test_clock = g_timer_new ();
  RvApplication *app = rv_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.ravine.Ravine.TestHistory");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "training");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_TRAINING_PAGE (rv_window_get_training_page (window));
  g_assert_true (app_test_wait_for (data_ready, NULL, 60));

  g_test_add_func ("/training-history/live-equals-saved", test_live_equals_saved);
  g_test_add_func ("/training-history/wall-clock", test_wall_clock);
  g_test_add_func ("/training-history/replay", test_replay);
  g_test_add_func ("/training-history/compare", test_compare);
  g_test_add_func ("/training-history/missing-and-broken", test_missing_and_broken);
  g_test_add_func ("/training-history/open-weights", test_open_weights);
  g_test_add_func ("/training-history/run-controls", test_run_controls);
  g_test_add_func ("/training-history/idle-frame-clock", test_idle_frame_clock);
  g_test_add_func ("/training-history/sharpness-chart", test_sharpness_chart);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
  return status;
}
