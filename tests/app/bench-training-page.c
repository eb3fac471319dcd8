/* bench-training-page.c (`meson test --benchmark`): how much slower one
 * training epoch is with the Training page open, watching the run with its
 * histograms on at the default cadence (about twice a second), than the same
 * epoch trained directly as `ravine-cli train` does.  Prints the figures; the
 * target is a ratio of at most 1.15. */
#include "rv-config.h"

#include <stdio.h>
#include <stdlib.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvWindow *window;
static RvTrainingPage *page;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window))) != NULL;
}

static gboolean
settled (gpointer data)
{
  RvRunState s = rv_training_page_get_run_state (page, GPOINTER_TO_UINT (data));
  return s == RV_RUN_DONE || s == RV_RUN_DIVERGED || s == RV_RUN_CANCELLED || s == RV_RUN_FAILED;
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  g_autofree char *runs = g_dir_make_tmp ("ravine-bench-XXXXXX", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs, TRUE);
  gtk_init ();

  RvApplication *app = rv_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "training");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_TRAINING_PAGE (rv_window_get_training_page (window));
  if (!app_test_wait_for (data_ready, NULL, 120))
    g_error ("the data did not load");
  const RvDataset *data = rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window)));

  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  cfg.epochs = 1;

  /* as `ravine-cli train` runs it: no page, no snapshots */
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (RvTrainer) trainer = rv_trainer_new (&cfg, data, &error);
  if (trainer == NULL || !rv_trainer_run (trainer, NULL, NULL, &error)
      || !rv_run_save (runs, "direct", &cfg, rv_trainer_get_results (trainer), rv_trainer_get_best_net (trainer), &error))
    g_error ("%s", error->message);
  double direct = (g_get_monotonic_time () - start) / 1e6;

  /* the same epoch on the page, watched, histograms shown */
  start = g_get_monotonic_time ();
  guint run = rv_training_page_add_run (page, "page", &cfg, TRUE);
  rv_training_page_watch (page, run);
  if (!app_test_wait_for (settled, GUINT_TO_POINTER (run), 600))
    g_error ("the run did not finish");
  double on_page = (g_get_monotonic_time () - start) / 1e6;

  printf ("{\"data\": \"%s\", \"direct_seconds\": %.3f, \"page_seconds\": %.3f, \"snapshots\": %u, "
          "\"ratio\": %.3f}\n", data->synthetic ? "synthetic" : "fashion-mnist", direct, on_page,
          rv_training_page_get_n_snapshots (page), on_page / direct);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs);
  return system (rm) == 0 ? 0 : 1;
}
