/* bench-training-comparison.c (`meson test --benchmark`): the Quick
 * Comparison (with RAVINE_BENCH_FULL=1 the full Tutorial Comparison) on the
 * Training page, its runs sharing the cores as the page schedules them,
 * against the same three runs trained back to back as `ravine-cli train`
 * trains them.  Prints the figures; the target is a ratio of at most 1.2. */
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
all_settled (gpointer data)
{
  guint n = rv_training_page_get_n_runs (page);
  for (guint i = 0; i < n; i++)
    {
      RvRunState s = rv_training_page_get_run_state (page, i);
      if (s != RV_RUN_DONE && s != RV_RUN_DIVERGED && s != RV_RUN_CANCELLED && s != RV_RUN_FAILED)
        return FALSE;
    }
  return n > 0;
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  gboolean full = g_strcmp0 (g_getenv ("RAVINE_BENCH_FULL"), "1") == 0;
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

  /* the page's three runs first, so that the direct ones below cannot be
   * reused from their files */
  gint64 start = g_get_monotonic_time ();
  if (full)
    rv_training_page_add_tutorial_runs (page);
  else
    rv_training_page_add_quick_runs (page);
  if (!app_test_wait_for (all_settled, NULL, 3600))
    g_error ("the runs did not finish");
  double on_page = (g_get_monotonic_time () - start) / 1e6;

  /* the same three, back to back, as `ravine-cli train` runs them */
  const struct { RvOptimKind kind; double lr; } optims[] = {
    { RV_OPTIM_SGD, 0.1 }, { RV_OPTIM_MOMENTUM, 0.1 }, { RV_OPTIM_ADAM, 1e-3 },
  };
  g_autoptr (GError) error = NULL;
  start = g_get_monotonic_time ();
  for (gsize i = 0; i < G_N_ELEMENTS (optims); i++)
    {
      RvTrainConfig cfg;
      rv_train_config_init_default (&cfg);
      rv_optim_config_init (&cfg.optim, optims[i].kind);
      cfg.optim.lr = optims[i].lr;
      if (!full)
        {
          cfg.epochs = 25;
          cfg.train_limit = 20000;
        }
      g_autofree char *name = g_strdup_printf ("direct%zu", i);
      g_autoptr (RvTrainer) trainer = rv_trainer_new (&cfg, data, &error);
      if (trainer == NULL || !rv_trainer_run (trainer, NULL, NULL, &error)
          || !rv_run_save (runs, name, &cfg, rv_trainer_get_results (trainer), rv_trainer_get_best_net (trainer),
                           &error))
        g_error ("%s", error->message);
    }
  double direct = (g_get_monotonic_time () - start) / 1e6;

  printf ("{\"comparison\": \"%s\", \"data\": \"%s\", \"cores\": %d, \"direct_seconds\": %.1f, "
          "\"page_seconds\": %.1f, \"ratio\": %.3f}\n", full ? "tutorial" : "quick",
          data->synthetic ? "synthetic" : "fashion-mnist", g_get_num_processors (), direct, on_page,
          on_page / direct);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs);
  return system (rm) == 0 ? 0 : 1;
}
