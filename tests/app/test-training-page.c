/* test-training-page.c: the Training page under Xvfb: two runs train side
 * by side on a small subset; the charts, the table and the saved files must
 * hold what the runs did, and control (pause, cancel, reuse, a failed save)
 * must behave. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-curve-set.h"
#include "rv-frame-pace.h"
#include "rv-init-page.h"
#include "rv-train-session.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvWindow *window;
static RvTrainingPage *page;
static char *runs_dir;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window))) != NULL;
}

typedef struct {
  guint run;
  RvRunState state;
} WaitState;

static gboolean
run_settled (gpointer data)
{
  guint run = GPOINTER_TO_UINT (data);
  RvRunState s = rv_training_page_get_run_state (page, run);
  return s == RV_RUN_DONE || s == RV_RUN_DIVERGED || s == RV_RUN_CANCELLED || s == RV_RUN_FAILED;
}

static void
wait_settled (guint run)
{
  if (!app_test_wait_for (run_settled, GUINT_TO_POINTER (run), 300))
    g_error ("run %u did not finish: %s", run, rv_training_page_get_run_status (page, run));
}

static void
small_config (RvTrainConfig *cfg, RvOptimKind kind, double lr, uint32_t epochs)
{
  static const uint32_t hidden[] = { 64, 32 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, 2);
  rv_optim_config_init (&cfg->optim, kind);
  cfg->optim.lr = lr;
  cfg->epochs = epochs;
  cfg->batch_size = 100;
  cfg->train_limit = 3000;
}

static char *
run_file (const char *name, const char *suffix)
{
  return rv_run_path (runs_dir, name, suffix);
}

static void
test_two_runs (void)
{
  RvTrainConfig sgd, adam;
  small_config (&sgd, RV_OPTIM_SGD, 0.1, 1);
  small_config (&adam, RV_OPTIM_ADAM, 1e-3, 1);
  /* a short run: snapshots by steps, not by the clock */
  rv_training_page_set_snapshot_every (page, 5);
  guint a = rv_training_page_add_run (page, "SGD", &sgd, FALSE);
  guint b = rv_training_page_add_run (page, "Adam", &adam, FALSE);
  rv_training_page_watch (page, a);
  wait_settled (a);
  wait_settled (b);
  g_assert_cmpint (rv_training_page_get_run_state (page, a), ==, RV_RUN_DONE);
  g_assert_cmpint (rv_training_page_get_run_state (page, b), ==, RV_RUN_DONE);

  /* the charts hold every step's loss and the epoch's accuracies */
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  RvCurveSet *acc = rv_curve_view_get_model (rv_training_page_get_accuracy_view (page));
  for (guint run = 0; run < 2; run++)
    {
      g_assert_cmpuint (rv_curve_set_get_n_points (loss, run), ==, 30);
      g_assert_cmpuint (rv_curve_set_get_n_points (acc, 2 * run + 1), ==, 1);
      double test_acc = rv_training_page_get_test_acc (page, run);
      g_assert_cmpfloat (test_acc, >, 0.3);

      /* the saved files are the CLI's, and agree with the page */
      const char *name = run == 0 ? "SGD" : "Adam";
      RvTrainConfig cfg;
      RvTrainResults res;
      g_autoptr (GError) error = NULL;
      RvNet *net = NULL;
      g_assert_true (rv_run_load (runs_dir, name, &cfg, &res, &net, &error));
      g_assert_cmpfloat (res.test_acc, ==, test_acc);
      g_assert_cmpfloat (g_array_index (res.val_scores, double, 0), ==, rv_curve_set_get_y (acc, 2 * run + 1)[0]);
      g_assert_cmpuint (res.train_losses->len, ==, 30);
      rv_train_results_clear (&res);
      rv_net_free (net);
    }
  /* the watched run sent its layers */
  g_assert_cmpuint (rv_training_page_get_n_snapshots (page), >, 0);
  g_assert_cmpuint (rv_histogram_grid_get_n_views (rv_training_page_get_grid (page)), ==, 3);
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, a), "test accuracy"));
  app_test_maybe_screenshot (GTK_WIDGET (window), "training");
}

static void
test_reuse_and_open (void)
{
  RvTrainConfig sgd;
  small_config (&sgd, RV_OPTIM_SGD, 0.1, 1);
  guint first = 0;
  guint again = rv_training_page_add_run (page, "SGD", &sgd, FALSE);
  wait_settled (again);
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, again), "loaded from disk"));
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, again), ==, rv_training_page_get_test_acc (page, first));

  g_autofree char *config = run_file ("Adam", ".config");
  g_autoptr (GError) error = NULL;
  guint before = rv_training_page_get_n_runs (page);
  g_assert_true (rv_training_page_open_run (page, config, &error));
  g_assert_cmpuint (rv_training_page_get_n_runs (page), ==, before + 1);
  g_assert_cmpfloat (rv_training_page_get_test_acc (page, before), ==, rv_training_page_get_test_acc (page, 1));
  g_assert_false (rv_training_page_open_run (page, "/nonexistent/x.config", &error));
}

static void
test_divergence_marked (void)
{
  RvTrainConfig boom, fine;
  small_config (&boom, RV_OPTIM_SGD, 1e6, 1);
  small_config (&fine, RV_OPTIM_SGD, 0.05, 1);
  guint bad = rv_training_page_add_run (page, "Boom", &boom, TRUE);
  guint good = rv_training_page_add_run (page, "Fine", &fine, TRUE);
  wait_settled (bad);
  wait_settled (good);
  g_assert_cmpint (rv_training_page_get_run_state (page, bad), ==, RV_RUN_DIVERGED);
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, bad), "step"));
  /* the other run is not disturbed */
  g_assert_cmpint (rv_training_page_get_run_state (page, good), ==, RV_RUN_DONE);
  g_autofree char *model = run_file ("Boom", ".safetensors");
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));
}

static gboolean
is_state (gpointer data)
{
  WaitState *w = data;
  return rv_training_page_get_run_state (page, w->run) == w->state;
}

static void
test_pause_resume_cancel (void)
{
  RvTrainConfig cfg;
  /* long enough (3,000 steps) to be seen training: the page takes the runs'
   * news at most four times a second (once where frames are slow), and a
   * few epochs of this small network can be over before it looks */
  small_config (&cfg, RV_OPTIM_SGD, 0.05, 100);
  guint run = rv_training_page_add_run (page, "Paused", &cfg, TRUE);
  WaitState training = { run, RV_RUN_TRAINING };
  g_assert_true (app_test_wait_for (is_state, &training, 60));
  rv_training_page_set_paused (page, run, TRUE);
  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_PAUSED);
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  WaitState never = { run, RV_RUN_DONE };
  /* what came before the pause: the page looks at least once a second */
  app_test_wait_for (is_state, &never, 1.3);
  guint n = rv_curve_set_get_n_points (loss, run);
  app_test_wait_for (is_state, &never, 0.5);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, run), ==, n);
  rv_training_page_set_paused (page, run, FALSE);
  wait_settled (run);
  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_DONE);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, run), ==, 100 * 30);

  small_config (&cfg, RV_OPTIM_SGD, 0.05, 100);
  guint doomed = rv_training_page_add_run (page, "Cancelled", &cfg, TRUE);
  WaitState started = { doomed, RV_RUN_TRAINING };
  g_assert_true (app_test_wait_for (is_state, &started, 60));
  rv_training_page_cancel (page, doomed);
  wait_settled (doomed);
  g_assert_cmpint (rv_training_page_get_run_state (page, doomed), ==, RV_RUN_CANCELLED);
}

/* A save that fails (here a simulated full disk) is reported, and the
 * previous checkpoint stays as it was. */
static void
test_failed_save_keeps_previous (void)
{
  g_autofree char *model = run_file ("SGD", ".safetensors");
  g_autofree char *before = NULL;
  gsize before_len = 0;
  g_assert_true (g_file_get_contents (model, &before, &before_len, NULL));

  g_setenv ("RAVINE_TEST_FAIL_WRITE_AFTER", "64", TRUE);
  RvTrainConfig sgd;
  small_config (&sgd, RV_OPTIM_SGD, 0.1, 1);
  sgd.seed = 7;
  guint run = rv_training_page_add_run (page, "SGD", &sgd, TRUE);
  wait_settled (run);
  g_unsetenv ("RAVINE_TEST_FAIL_WRITE_AFTER");

  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_FAILED);
  g_assert_nonnull (strstr (rv_training_page_get_run_status (page, run), "not saved"));
  g_autofree char *after = NULL;
  gsize after_len = 0;
  g_assert_true (g_file_get_contents (model, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

/* A long run's charts stay bounded: loss points are averaged, histories thinned. */
static void
test_memory_bounded (void)
{
  RvTrainConfig cfg;
  static const uint32_t hidden[] = { 8 };
  rv_train_config_init_default (&cfg);
  rv_net_config_init (&cfg.net, RV_ACT_RELU, hidden, 1);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_SGD);
  cfg.epochs = 40;
  cfg.batch_size = 16;
  cfg.train_limit = 2400; /* 150 steps an epoch, 6000 in all */
  guint run = rv_training_page_add_run (page, "Long", &cfg, TRUE);
  rv_training_page_watch (page, run);
  wait_settled (run);
  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_DONE);
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  guint points = rv_curve_set_get_n_points (loss, run);
  g_test_message ("6000 steps kept as %u loss points", points);
  g_assert_cmpuint (points, <=, 4096);
  g_assert_cmpuint (points, >=, 1500);
  /* the x axis still spans the whole run */
  g_assert_cmpfloat (rv_curve_set_get_x (loss, run)[points - 1], >=, 5000);
}

/* A run on a device (here the CPU's entries declared not to be host memory,
 * which takes the trainer's device path): the watched run's snapshots come
 * from the network that trains, so its histograms move, its activations are
 * there and its update ratios are not 0. */
static void
test_device_snapshots (void)
{
  RvBackend device = *rv_backend_cpu ();
  device.name = "pseudo-device";
  device.host_memory = FALSE;
  g_autoptr (RvDataset) data = rv_dataset_new_synthetic (1200, 200, 3);
  g_autofree char *dir = g_build_filename (runs_dir, "device", NULL);
  g_autoptr (RvTrainSession) session = rv_train_session_new (data, dir);
  rv_train_session_set_backend (session, &device);
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_ADAM, 1e-3, 1);
  cfg.train_limit = 0;
  const uint32_t steps = rv_batch_count (data->n_train, cfg.batch_size, TRUE);
  g_assert_cmpuint (steps, >=, 6);
  rv_train_session_watch (session, 0, 2);
  g_assert_cmpuint (rv_train_session_add (session, "OnDevice", &cfg, TRUE), ==, 0);

  g_autoptr (GPtrArray) snaps = g_ptr_array_new_with_free_func ((GDestroyNotify) rv_run_event_free);
  gboolean finished = FALSE;
  while (!finished)
    {
      RvRunEvent *ev = rv_train_session_wait_event (session, 60000);
      g_assert_nonnull (ev);
      g_assert_cmpint (ev->kind, !=, RV_RUN_EVENT_FAILED);
      finished = ev->kind == RV_RUN_EVENT_FINISHED;
      if (ev->kind == RV_RUN_EVENT_SNAPSHOT)
        g_ptr_array_add (snaps, ev);
      else
        rv_run_event_free (ev);
    }
  g_assert_cmpuint (snaps->len, ==, steps / 2);
  for (guint i = 0; i < snaps->len; i++)
    {
      const RvSnapshot *snap = &((RvRunEvent *) g_ptr_array_index (snaps, i))->snapshot;
      g_assert_cmpuint (snap->step, ==, 2 * (i + 1));
      g_assert_cmpuint (snap->n_linear, ==, 3);
      for (uint32_t l = 0; l < snap->n_linear; l++)
        {
          g_assert_cmpuint (snap->activation[l].n, ==, (uint64_t) cfg.batch_size * cfg.net.sizes[l + 1]);
          g_assert_cmpfloat (snap->grad_norm[l], >, 0.0);
          g_assert_true (isfinite (snap->update_ratio[l]) && snap->update_ratio[l] > 0.0);
          if (i > 0)
            {
              const RvStats *prev = &((RvRunEvent *) g_ptr_array_index (snaps, i - 1))->snapshot.weight[l];
              g_assert_true (snap->weight[l].mean != prev->mean || snap->weight[l].variance != prev->variance);
            }
        }
    }
}

static void
test_loss_log_scale (void)
{
  RvCurveView *ratio = rv_training_page_get_ratio_view (page);
  RvPlotAxis axis;

  app_test_check_log_toggle (rv_training_page_get_loss_view (page), rv_training_page_get_loss_log (page));
  /* The update-to-weight ratio shows its healthy band even with no data. */
  g_assert_true (rv_curve_view_get_log_y (ratio));
  g_assert_true (rv_curve_view_get_axis (ratio, 480, 260, TRUE, &axis));
  g_assert_cmpfloat (axis.scale.lo, <=, 3e-4);
  g_assert_cmpfloat (axis.scale.hi, >=, 3e-3);
}

static void
count_frame (GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* While a watched run trains, the window paints at the page's cadence (at
 * most four drains a second, each a frame and perhaps the one its layout
 * asks for), not at the frame clock's 60 a second that anything animating
 * (a spinner, a pulsing bar, a tick callback) would cost; and it does
 * paint, since the curves move. */
static void
test_frames_while_training (void)
{
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  RvTrainConfig cfg;
  small_config (&cfg, RV_OPTIM_SGD, 0.05, 1000);
  guint run = rv_training_page_add_run (page, "Frames", &cfg, TRUE);
  rv_training_page_watch (page, run);
  WaitState training = { run, RV_RUN_TRAINING };
  g_assert_true (app_test_wait_for (is_state, &training, 60));
  WaitState never = { run, RV_RUN_DONE };
  app_test_wait_for (is_state, &never, 1.0); /* the first snapshot's charts laid out */
  RvCurveSet *loss = rv_curve_view_get_model (rv_training_page_get_loss_view (page));
  guint points = rv_curve_set_get_n_points (loss, run);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0;
  /* after GDK's own handler: frames that paint, not those that only lay out */
  gulong id = g_signal_connect_after (clock, "paint", G_CALLBACK (count_frame), &frames);
  const double seconds = 2.0;
  app_test_wait_for (is_state, &never, seconds);
  g_signal_handler_disconnect (clock, id);
  g_assert_cmpint (rv_training_page_get_run_state (page, run), ==, RV_RUN_TRAINING);
  g_test_message ("%u frames painted in %.0f s of training", frames, seconds);
  g_assert_cmpuint (frames, >=, 1);
  g_assert_cmpuint (frames, <=, (guint) (seconds * 4 * 2) + 4);
  g_assert_cmpuint (rv_curve_set_get_n_points (loss, run), >, points);
  rv_training_page_cancel (page, run);
  wait_settled (run);
}

/* The redraw pace: a frame's cost sets the interval between the clamps,
 * and a software renderer's frame costs once per core, so it never comes
 * sooner than the same frame drawn by a GPU. */
static void
test_pace_rule (void)
{
  const guint cores = g_get_num_processors ();
  g_assert_cmpuint (rv_frame_pace_interval_for (0.0, FALSE, 250, 2000), ==, 250);
  g_assert_cmpuint (rv_frame_pace_interval_for (1.0, TRUE, 250, 2000), ==, MAX (250, MIN (2000, 15 * cores)));
  g_assert_cmpuint (rv_frame_pace_interval_for (40.0, FALSE, 250, 2000), ==, 600);
  g_assert_cmpuint (rv_frame_pace_interval_for (40.0, TRUE, 250, 2000), ==, MIN (2000, 600 * cores));
  g_assert_cmpuint (rv_frame_pace_interval_for (500.0, FALSE, 250, 2000), ==, 2000);
  for (double ms = 1.0; ms < 300.0; ms *= 1.7)
    g_assert_cmpuint (rv_frame_pace_interval_for (ms, TRUE, 250, 2000), >=,
                      rv_frame_pace_interval_for (ms, FALSE, 250, 2000));
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

  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "training");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_TRAINING_PAGE (rv_window_get_training_page (window));
  g_assert_true (app_test_wait_for (data_ready, NULL, 60));

  g_test_add_func ("/training-page/two-runs", test_two_runs);
  g_test_add_func ("/training-page/reuse-and-open", test_reuse_and_open);
  g_test_add_func ("/training-page/divergence-marked", test_divergence_marked);
  g_test_add_func ("/training-page/pause-resume-cancel", test_pause_resume_cancel);
  g_test_add_func ("/training-page/failed-save-keeps-previous", test_failed_save_keeps_previous);
  g_test_add_func ("/training-page/memory-bounded", test_memory_bounded);
  g_test_add_func ("/training-page/device-snapshots", test_device_snapshots);
  g_test_add_func ("/training-page/loss-log-scale", test_loss_log_scale);
  g_test_add_func ("/training-page/frames-while-training", test_frames_while_training);
  g_test_add_func ("/training-page/pace-rule", test_pace_rule);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
  return status;
}
