/* test-setup-file.c: File → Save Setup… and Open Setup… on real pages.  A
 * setup saved from one window and opened in a second gives that window the
 * same surface, start, steps, runs and view, the same training runs (the
 * saved run opening as it was), the same Initialization page; saving it
 * again gives the same bytes.  A broken file changes nothing. */
#include "rv-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvApplication *app;
static char *runs_dir;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (data))) != NULL;
}

static gboolean
shown (gpointer data)
{
  RvInitPage *page = RV_INIT_PAGE (rv_window_get_init_page (data));
  return rv_init_page_get_shown_serial (page) == rv_init_page_get_requested_serial (page);
}

static RvWindow *
new_window (void)
{
  RvWindow *window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (app_test_wait_for (data_ready, window, 60));
  g_assert_true (app_test_wait_for (shown, window, 60));
  return window;
}

typedef struct {
  RvTrainingPage *page;
  guint run;
} RunRef;

static gboolean
run_done (gpointer data)
{
  RunRef *r = data;
  return rv_training_page_get_run_state (r->page, r->run) == RV_RUN_DONE;
}

static char *
setup_text (RvWindow *window)
{
  g_autoptr (RvSetup) setup = rv_window_get_setup (window);
  return rv_setup_to_data (setup);
}

static void
test_save_open_save (void)
{
  RvWindow *first = new_window ();

  /* the Initialization page: another network and view */
  RvInitPage *init = RV_INIT_PAGE (rv_window_get_init_page (first));
  g_assert_true (rv_init_page_configure (init, "tanh", "xavier", "128,64", "depth", NULL));
  rv_init_page_set_display (init, FALSE, TRUE, TRUE, FALSE);
  g_assert_true (app_test_wait_for (shown, first, 60));

  /* the Loss surfaces page: the ravine, one rate changed, another start,
   * zoomed in */
  RvSurfacesPage *surfaces = RV_SURFACES_PAGE (rv_window_get_surfaces_page (first));
  rv_window_show_page (first, "surfaces");
  rv_surfaces_page_load_preset (surfaces, RV_SURFACES_PRESET_RAVINE);
  rv_surfaces_page_set_run_lr (surfaces, 1, 0.37);
  rv_surfaces_page_set_start (surfaces, -7.5, -9.25);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  RvSurfaceMap *map = rv_surfaces_page_get_map (surfaces);
  rv_surface_map_zoom_at (map, 200, 150, 1.6);
  g_assert_false (rv_surface_map_get_view_fitted (map));

  /* the Training page: one small run, trained and saved */
  RvTrainingPage *training = RV_TRAINING_PAGE (rv_window_get_training_page (first));
  RvTrainConfig cfg;
  static const uint32_t hidden[] = { 32 };
  rv_train_config_init_default (&cfg);
  rv_net_config_init (&cfg.net, RV_ACT_RELU, hidden, 1);
  cfg.epochs = 1;
  cfg.batch_size = 100;
  cfg.train_limit = 1000;
  RunRef ref = { training, rv_training_page_add_run (training, "SetupRun", &cfg, TRUE) };
  g_assert_true (app_test_wait_for (run_done, &ref, 120));
  gtk_check_button_set_active (rv_training_page_get_loss_log (training), TRUE);

  g_autofree char *path = g_build_filename (runs_dir, "lecture.ravine", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_window_save_setup (first, path, &error));
  g_assert_no_error (error);
  g_autofree char *saved = NULL;
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"lr\": 0.37"));
  g_assert_nonnull (strstr (saved, "\"name\": \"SetupRun\""));
  g_assert_nonnull (strstr (saved, "\"view\": ["));

  /* a second window, opened from the file */
  RvWindow *second = new_window ();
  g_assert_true (rv_window_open_setup (second, path, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait_for (shown, second, 60));
  g_assert_cmpstr (rv_window_get_page (second), ==, "surfaces");

  /* what a person sees there */
  RvSurfacesPage *surfaces2 = RV_SURFACES_PAGE (rv_window_get_surfaces_page (second));
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (surfaces2, 1)->lr, ==, 0.37);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (surfaces2, 2)->lr,
                     ==, rv_surfaces_page_get_run_config (surfaces, 2)->lr);
  double a[4], b[4];
  rv_surface_map_get_view (map, &a[0], &a[1], &a[2], &a[3]);
  rv_surface_map_get_view (rv_surfaces_page_get_map (surfaces2), &b[0], &b[1], &b[2], &b[3]);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-9 * (1 + fabs (a[i])));
  RvTrainingPage *training2 = RV_TRAINING_PAGE (rv_window_get_training_page (second));
  g_assert_true (rv_training_page_has_run (training2, "SetupRun"));
  RunRef ref2 = { training2, 0 };
  /* the run was saved: it opens, it does not train again */
  g_assert_true (app_test_wait_for (run_done, &ref2, 30));
  g_assert_cmpfloat (rv_training_page_get_test_acc (training2, 0), ==, rv_training_page_get_test_acc (training, 0));
  g_assert_true (gtk_check_button_get_active (rv_training_page_get_loss_log (training2)));
  const RvProbeConfig *probe = rv_init_page_get_config (RV_INIT_PAGE (rv_window_get_init_page (second)));
  g_assert_cmpuint (probe->net.n_linear, ==, 3);
  g_assert_cmpuint (probe->net.sizes[1], ==, 128);
  g_assert_true (probe->net.act == RV_ACT_TANH);

  /* save → open → save: the same bytes */
  g_autofree char *again = setup_text (second);
  g_assert_cmpstr (again, ==, saved);

  /* a broken file: an error naming the member, and nothing changed */
  g_autofree char *bad = g_build_filename (runs_dir, "broken.ravine", NULL);
  g_autofree char *broken = g_strdup (saved);
  char *lr = strstr (broken, "\"lr\": 0.37");
  memcpy (lr, "\"lr\": -.37", 10);
  g_assert_true (g_file_set_contents (bad, broken, -1, NULL));
  g_assert_false (rv_window_open_setup (second, bad, &error));
  g_assert_nonnull (strstr (error->message, "broken.ravine"));
  g_clear_error (&error);
  char *at = strstr (broken, "\"lr\": -.37");
  memcpy (at, "\"lr\": -0.3", 10);
  g_assert_true (g_file_set_contents (bad, broken, -1, NULL));
  g_assert_false (rv_window_open_setup (second, bad, &error));
  g_assert_nonnull (strstr (error->message, "surfaces.runs[1]"));
  g_autofree char *after = setup_text (second);
  g_assert_cmpstr (after, ==, saved);

  app_test_maybe_screenshot (GTK_WIDGET (second), "setup-opened");
  gtk_window_destroy (GTK_WINDOW (first));
  gtk_window_destroy (GTK_WINDOW (second));
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  gboolean real = dir && g_file_test (dir, G_FILE_TEST_IS_DIR);
  g_setenv ("RAVINE_DATA_DIR", real ? dir : "/nonexistent-ravine-data", TRUE);
  runs_dir = g_dir_make_tmp ("ravine-setup-XXXXXX", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = rv_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.ravine.Ravine.TestSetup");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/setup-file/save-open-save", test_save_open_save);
  int status = g_test_run ();
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
  return status;
}
