/* test-landscape-page.c: the Landscape page under Xvfb, as a person uses it:
 * a tiny run trained here and saved with its snapshots is chosen, its pca
 * landscape computed on a 5 × 5 grid; the map's model then holds the grid,
 * whose centre is the run's own loss on those images and whose corner is
 * the loss at θ* + x − y, both computed here with the core alone; the
 * training path is drawn with one point per snapshot, the loss along it
 * matching each snapshot's loss; the recorded sharpness is drawn with the
 * 2/η line; Cancel stops a long computation; a run without snapshots makes
 * pca insensitive and says why, and one without sharpness says how to
 * record it. */
#include "rv-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-landscape-page.h"
#include "rv-landscape.h"
#include "rv-loss-set.h"
#include "rv-pca.h"
#include "rv-run-files.h"
#include "rv-run-trajectory.h"
#include "rv-train.h"
#include "rv-window.h"

#define IMAGES 256
#define LR 0.1

static RvWindow *window;
static RvLandscapePage *page;
static char *runs_dir;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window))) != NULL;
}

static const RvDataset *
dataset (void)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window)));
}

static gboolean
settled (gpointer data)
{
  return rv_landscape_page_get_state (page) != RV_LANDSCAPE_JOB_RUNNING;
}

static void
settle (void)
{
  for (int i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct {
  RvTrainer *trainer;
  GPtrArray *snapshots;
  GArray *epochs;
} Keep;

static void
on_event (const RvTrainEvent *ev, gpointer user_data)
{
  Keep *k = user_data;
  if (ev->kind == RV_TRAIN_EVENT_EPOCH)
    {
      uint32_t epoch = ev->epoch + 1;
      g_ptr_array_add (k->snapshots, rv_trainer_dup_params (k->trainer, NULL));
      g_array_append_val (k->epochs, epoch);
    }
}

/* A small network trained briefly with SGD, saved as the CLI saves it;
 * with_geometry adds the snapshots and a recorded sharpness. */
static void
train_run (const char *dir, const char *name, gboolean with_geometry)
{
  static const uint32_t hidden[] = { 16, 12 };
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  rv_net_config_init (&cfg.net, RV_ACT_TANH, hidden, 2);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_SGD);
  cfg.optim.lr = LR;
  cfg.epochs = 3;
  cfg.batch_size = 100;
  cfg.train_limit = 2000;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) trainer = rv_trainer_new (&cfg, dataset (), &error);
  g_assert_no_error (error);
  Keep keep = { trainer, g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE, sizeof (uint32_t)) };
  uint32_t zero = 0;
  g_ptr_array_add (keep.snapshots, rv_trainer_dup_params (trainer, NULL));
  g_array_append_val (keep.epochs, zero);
  g_assert_true (rv_trainer_run (trainer, on_event, &keep, &error));
  g_assert_no_error (error);

  RvTrainResults res = *rv_trainer_get_results (trainer);
  g_autoptr (GArray) sharpness = g_array_new (FALSE, FALSE, sizeof (RvTrainSharpness));
  if (with_geometry)
    for (uint64_t step = 0; step <= 60; step += 20)
      {
        RvTrainSharpness p = { .step = step, .top_eigenvalue = 1.0 + step / 10.0 };
        g_array_append_val (sharpness, p);
      }
  res.sharpness = with_geometry ? sharpness : NULL;
  RvNet *best = rv_trainer_get_best_net (trainer);
  g_assert_true (rv_run_save (dir, name, &cfg, &res, best, &error));
  g_assert_no_error (error);
  if (with_geometry)
    {
      g_assert_true (rv_run_trajectory_save (dir, name, best, (const float *const *) keep.snapshots->pdata,
                                             (const uint32_t *) (void *) keep.epochs->data, keep.snapshots->len,
                                             best->params, &error));
      g_assert_no_error (error);
    }
  g_ptr_array_unref (keep.snapshots);
  g_array_unref (keep.epochs);
}

/* The loss of the first IMAGES training images at params, with the core alone. */
static double
core_loss (const RvNet *layout, const float *params)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvNet) net = rv_net_new (&layout->cfg, rv_backend_cpu ());
  g_autoptr (RvLossSet) ls = rv_loss_set_new (net, dataset ()->train_full, IMAGES, &error);
  g_assert_no_error (error);
  double loss = NAN;
  g_assert_true (rv_loss_set_loss (ls, params, &loss, &error));
  g_assert_no_error (error);
  return loss;
}

static void
set_controls (guint directions, int grid, double span, int images)
{
  GtkWidget *p = GTK_WIDGET (page);
  gtk_drop_down_set_selected (rv_landscape_page_get_directions (page), directions);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (p, RV_TYPE_LANDSCAPE_PAGE, "grid")), grid);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (p, RV_TYPE_LANDSCAPE_PAGE, "span")), span);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (p, RV_TYPE_LANDSCAPE_PAGE, "images")),
                             images);
}

static GtkWidget *
compute_button (void)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_LANDSCAPE_PAGE, "compute"));
}

static void
compute_and_wait (void)
{
  g_assert_true (gtk_widget_get_sensitive (compute_button ()));
  g_signal_emit_by_name (compute_button (), "clicked");
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_RUNNING);
  g_assert_true (app_test_wait_for (settled, NULL, 120));
  settle ();
}

static void
test_pca_landscape (void)
{
  g_assert_true (rv_landscape_page_select_run (page, runs_dir, "tiny"));
  settle ();
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (rv_landscape_page_get_directions (page))));
  g_assert_false (gtk_widget_get_visible (rv_landscape_page_get_pca_note (page)));
  set_controls (1, 5, 1.0, IMAGES);
  compute_and_wait ();
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_DONE);

  /* the run as the core reads it, and its plane */
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  g_autoptr (GError) error = NULL;
  RvNet *loaded = NULL;
  g_assert_true (rv_run_load (runs_dir, "tiny", &cfg, &res, &loaded, &error));
  g_autoptr (RvNet) best = loaded;
  rv_train_results_clear (&res);
  g_autoptr (RvRunTrajectory) traj = rv_run_trajectory_load (runs_dir, "tiny", best, &error);
  g_assert_no_error (error);
  const size_t d = best->n_params;
  g_autofree float *x = g_new (float, d), *y = g_new (float, d), *point = g_new (float, d);
  g_autofree double *coords = g_new (double, 2 * traj->n);
  g_assert_true (rv_pca_plane ((const float *const *) traj->params, traj->n, d, best->params, x, y, coords, NULL,
                               &error));

  /* what the map and the 3-D view draw */
  RvSurfaceModel *model = rv_landscape_page_get_model (page);
  const RvSurface *surface = rv_surface_model_get_surface (model);
  g_assert_nonnull (surface);
  g_assert_cmpstr (surface->axis_names[0], ==, "α");
  g_assert_cmpstr (surface->axis_names[1], ==, "β");
  g_assert_cmpuint (rv_surface_model_get_grid_n (model), ==, 5);
  const double *grid = rv_surface_model_get_grid (model);
  const double *w1 = rv_surface_model_get_grid_w1 (model), *w2 = rv_surface_model_get_grid_w2 (model);
  g_assert_cmpfloat_with_epsilon (w1[0], -1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (w2[4], 1.0, 1e-12);
  double centre = core_loss (best, best->params);
  g_assert_cmpfloat_with_epsilon (grid[2 * 5 + 2], centre, 1e-6 * MAX (1.0, centre));
  /* row 0 is β = −1, column 4 is α = +1 */
  rv_landscape_point (best->params, x, y, d, 1.0, -1.0, point);
  double corner = core_loss (best, point);
  g_assert_cmpfloat_with_epsilon (grid[0 * 5 + 4], corner, 1e-6 * MAX (1.0, corner));
  g_assert_cmpfloat (fabs (corner - centre), >, 1e-6);

  /* the path: one point per snapshot, where it projects, with its loss */
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 1);
  guint n = 0;
  const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, 0, &n);
  g_assert_cmpuint (n, ==, traj->n);
  g_assert_cmpuint (n, ==, cfg.epochs + 1);
  for (guint k = 0; k < n; k += n - 1)
    {
      g_assert_cmpfloat_with_epsilon (p[k].w1, coords[2 * k], 1e-9);
      g_assert_cmpfloat_with_epsilon (p[k].w2, coords[2 * k + 1], 1e-9);
      double own = core_loss (best, traj->params[k]);
      g_assert_cmpfloat_with_epsilon (p[k].loss, own, 1e-6 * MAX (1.0, own));
    }
  RvCurveSet *path = rv_curve_view_get_model (rv_landscape_page_get_path_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_series (path), ==, 1);
  g_assert_cmpuint (rv_curve_set_get_n_points (path, 0), ==, n);
  g_assert_cmpfloat (rv_curve_set_get_x (path, 0)[n - 1], ==, cfg.epochs);
  g_assert_cmpfloat (rv_curve_set_get_y (path, 0)[0], ==, p[0].loss);

  /* the sharpness it recorded, and plain SGD's threshold 2/η */
  RvCurveSet *sharp = rv_curve_view_get_model (rv_landscape_page_get_sharpness_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_series (sharp), ==, 2);
  g_assert_cmpuint (rv_curve_set_get_n_points (sharp, 0), ==, 4);
  g_assert_cmpfloat (rv_curve_set_get_y (sharp, 0)[3], ==, 1.0 + 60 / 10.0);
  g_assert_cmpfloat_with_epsilon (rv_curve_set_get_y (sharp, 1)[0], 2.0 / LR, 1e-9);
  g_assert_false (gtk_widget_get_mapped (rv_landscape_page_get_sharpness_placeholder (page)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (rv_landscape_page_get_sharpness_view (page))));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (rv_landscape_page_get_path_view (page))));
}

/* The thresholds of the momentum kinds reduce to 2/η without momentum. */
static void
test_thresholds (void)
{
  for (int kind = RV_OPTIM_SGD; kind <= RV_OPTIM_NESTEROV; kind++)
    g_assert_cmpfloat_with_epsilon (rv_landscape_stability_threshold (kind, 0.5, 0.0), 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rv_landscape_stability_threshold (RV_OPTIM_HEAVY_BALL, 0.1, 0.9), 38.0, 1e-9);
  g_assert_true (isnan (rv_landscape_stability_threshold (RV_OPTIM_ADAM, 0.001, 0.0)));
}

static gboolean
first_news (gpointer data)
{
  const char *status = gtk_label_get_label (rv_landscape_page_get_status (page));
  return g_str_has_prefix (status, "Pass") || settled (NULL);
}

static void
test_cancel (void)
{
  g_assert_true (rv_landscape_page_select_run (page, runs_dir, "tiny"));
  set_controls (0, 101, 1.0, 2048);
  g_signal_emit_by_name (compute_button (), "clicked");
  g_assert_true (app_test_wait_for (first_news, NULL, 60));
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_RUNNING);
  GtkWidget *cancel = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_LANDSCAPE_PAGE, "cancel"));
  g_assert_true (gtk_widget_get_sensitive (cancel));
  g_assert_false (gtk_widget_get_sensitive (compute_button ()));
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_true (app_test_wait_for (settled, NULL, 30));
  settle ();
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_CANCELLED);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (rv_landscape_page_get_status (page)), "Cancelled"));
  g_assert_true (gtk_widget_get_sensitive (compute_button ()));
  g_assert_false (gtk_widget_get_sensitive (cancel));
}

static void
test_without_geometry (void)
{
  g_assert_true (rv_landscape_page_select_run (page, runs_dir, "plain"));
  settle ();
  GtkDropDown *directions = rv_landscape_page_get_directions (page);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (directions)));
  g_assert_cmpuint (gtk_drop_down_get_selected (directions), ==, 0);
  GtkWidget *note = rv_landscape_page_get_pca_note (page);
  g_assert_true (gtk_widget_get_mapped (note));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (note)), "snapshots"));
  GtkWidget *sharp_note = rv_landscape_page_get_sharpness_placeholder (page);
  g_assert_true (gtk_widget_get_mapped (sharp_note));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (sharp_note)), "--sharpness-every"));
  RvCurveSet *sharp = rv_curve_view_get_model (rv_landscape_page_get_sharpness_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_series (sharp), ==, 0);
  /* random directions still work */
  set_controls (0, 5, 0.5, IMAGES);
  compute_and_wait ();
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_DONE);
  RvSurfaceModel *model = rv_landscape_page_get_model (page);
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 0);
  g_assert_nonnull (strstr (rv_surface_model_get_surface (model)->display_name, "plain"));
}

/* A run from another folder (Open Saved Run…) joins the chooser after the
 * runs folder's and stays through a rescan. */
static void
test_other_folder (void)
{
  g_autofree char *other = g_dir_make_tmp ("ravine-other-XXXXXX", NULL);
  train_run (other, "elsewhere", FALSE);
  g_assert_true (rv_landscape_page_select_run (page, other, "elsewhere"));
  g_assert_false (rv_landscape_page_select_run (page, other, "missing"));
  GtkDropDown *run = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_LANDSCAPE_PAGE, "run"));
  GListModel *names = gtk_drop_down_get_model (run);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  g_assert_cmpuint (gtk_drop_down_get_selected (run), ==, 2);
  g_autofree char *base = g_path_get_basename (other);
  g_autofree char *want = g_strdup_printf ("elsewhere (%s)", base);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 2), ==, want);
  rv_landscape_page_rescan (page);
  g_assert_true (rv_landscape_page_select_run (page, runs_dir, "plain"));
  names = gtk_drop_down_get_model (run);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "plain");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "tiny");
  g_assert_cmpuint (gtk_drop_down_get_selected (run), ==, 0);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", other);
  g_assert_cmpint (system (rm), ==, 0);
}

static gboolean
window_is (gpointer data)
{
  const int *size = data;
  return gtk_widget_get_width (GTK_WIDGET (window)) == size[0] && gtk_widget_get_height (GTK_WIDGET (window)) == size[1];
}

/* What a person sees: the tiny run's pca landscape at two screen sizes. */
static void
test_screenshots (void)
{
  g_assert_true (rv_landscape_page_select_run (page, runs_dir, "tiny"));
  set_controls (1, 21, 1.0, IMAGES);
  compute_and_wait ();
  g_assert_cmpint (rv_landscape_page_get_state (page), ==, RV_LANDSCAPE_JOB_DONE);
  static const int sizes[][2] = { { 1024, 600 }, { 1920, 1080 } };
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i][0], sizes[i][1]);
      app_test_wait_for (window_is, (gpointer) sizes[i], 5);
      settle ();
      g_autofree char *name = g_strdup_printf ("landscape-%dx%d", sizes[i][0], sizes[i][1]);
      app_test_maybe_screenshot (GTK_WIDGET (window), name);
    }
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-data", TRUE);
  runs_dir = g_dir_make_tmp ("ravine-runs-XXXXXX", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  RvApplication *app = rv_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.ravine.Ravine.TestLandscape");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "landscape");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_LANDSCAPE_PAGE (rv_window_get_landscape_page (window));
  g_assert_true (app_test_wait_for (data_ready, NULL, 60));
  train_run (runs_dir, "tiny", TRUE);
  train_run (runs_dir, "plain", FALSE);
  rv_landscape_page_rescan (page);

  g_test_add_func ("/landscape-page/pca-landscape", test_pca_landscape);
  g_test_add_func ("/landscape-page/thresholds", test_thresholds);
  g_test_add_func ("/landscape-page/cancel", test_cancel);
  g_test_add_func ("/landscape-page/without-geometry", test_without_geometry);
  g_test_add_func ("/landscape-page/other-folder", test_other_folder);
  g_test_add_func ("/landscape-page/screenshots", test_screenshots);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
  return status;
}
