/* test-landscape-job.c: the landscape worker without a window.  Its grid
 * equals rv_landscape_compute's, run here on the same directions; news
 * comes with the passes in order; the pca path is the snapshots projected
 * with rv_pca_plane and their losses; cancelling stops it; a pca request
 * for a run without snapshots fails saying so. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-init.h"
#include "rv-landscape-job.h"
#include "rv-landscape.h"
#include "rv-loss-set.h"
#include "rv-pca.h"
#include "rv-run-files.h"
#include "rv-run-trajectory.h"

#define IMAGES 200

static RvDataset *data;
static char *dir;

typedef struct {
  GMutex lock;
  guint news;
  RvLandscapeJob *job;
  guint last_passes;
  gboolean out_of_order;
} News;

static void
notified (gpointer user_data)
{
  News *n = user_data;
  g_mutex_lock (&n->lock);
  n->news++;
  g_mutex_unlock (&n->lock);
}

static void
wait_done (RvLandscapeJob *job, News *news)
{
  for (int i = 0; i < 60000 && rv_landscape_job_get_state (job, NULL) == RV_LANDSCAPE_JOB_RUNNING; i++)
    {
      guint passes = rv_landscape_job_get_passes (job);
      if (news && passes < news->last_passes)
        news->out_of_order = TRUE;
      if (news)
        news->last_passes = passes;
      g_usleep (1000);
    }
  g_assert_cmpint (rv_landscape_job_get_state (job, NULL), !=, RV_LANDSCAPE_JOB_RUNNING);
}

static void
save_run (const char *name, gboolean snapshots)
{
  static const uint32_t hidden[] = { 8 };
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  rv_net_config_init (&cfg.net, RV_ACT_TANH, hidden, 1);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_SGD);
  cfg.epochs = 1;
  /* no training: an initialized network and three made-up snapshots around it */
  g_autoptr (RvNet) net = rv_net_new (&cfg.net, rv_backend_cpu ());
  g_assert_true (rv_init_apply (net, &cfg.init, cfg.seed, NULL, 0, NULL));
  RvTrainResults res = { 0 };
  res.val_scores = g_array_new (FALSE, TRUE, sizeof (double));
  res.train_scores = g_array_new (FALSE, TRUE, sizeof (double));
  res.train_losses = g_array_new (FALSE, TRUE, sizeof (float));
  double score = 0.1;
  g_array_append_val (res.val_scores, score);
  g_array_append_val (res.train_scores, score);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_save (dir, name, &cfg, &res, net, &error));
  rv_train_results_clear (&res);
  if (!snapshots)
    return;
  float *snap[3];
  uint32_t epochs[3] = { 0, 1, 2 };
  for (int k = 0; k < 3; k++)
    {
      snap[k] = g_memdup2 (net->params, net->n_params * sizeof (float));
      for (size_t p = 0; p < net->n_params; p++)
        snap[k][p] += (float) ((2 - k) * 0.01 * sin (p * (k + 1.0)));
    }
  g_assert_true (rv_run_trajectory_save (dir, name, net, (const float *const *) snap, epochs, 3, net->params,
                                         &error));
  for (int k = 0; k < 3; k++)
    g_free (snap[k]);
}

static RvNet *
load_best (const char *name)
{
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  RvNet *best = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (dir, name, &cfg, &res, &best, &error));
  rv_train_results_clear (&res);
  return best;
}

static void
test_random_equals_core (void)
{
  News news = { 0 };
  g_mutex_init (&news.lock);
  RvLandscapeRequest req = { .dir = dir, .name = "r", .grid = 9, .span = 0.7, .images = IMAGES, .seed = 3,
                             .set = data->train_full };
  g_autoptr (RvLandscapeJob) job = rv_landscape_job_new (&req, notified, &news);
  wait_done (job, &news);
  g_assert_cmpint (rv_landscape_job_get_state (job, NULL), ==, RV_LANDSCAPE_JOB_DONE);
  g_assert_false (news.out_of_order);
  g_assert_cmpuint (rv_landscape_job_get_passes (job), ==, RV_LANDSCAPE_PASSES);
  g_assert_cmpuint (news.news, >=, RV_LANDSCAPE_PASSES);
  double got[81];
  gboolean computed[81];
  rv_landscape_job_read (job, got, computed);

  g_autoptr (RvNet) best = load_best ("r");
  g_autofree float *x = g_new (float, best->n_params), *y = g_new (float, best->n_params);
  rv_landscape_random_direction (best, best->params, 3, 0, x);
  rv_landscape_random_direction (best, best->params, 3, 1, y);
  g_autofree float *point = g_new (float, best->n_params);
  g_autoptr (RvNet) eval = rv_net_new (&best->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (eval, data->train_full, IMAGES, &error);
  /* cell by cell, at θ* + α x + β y, row i being β */
  for (guint i = 0; i < 9; i++)
    for (guint j = 0; j < 9; j++)
      {
        double want;
        rv_landscape_point (best->params, x, y, best->n_params, rv_landscape_coordinate (j, 9, 0.7),
                            rv_landscape_coordinate (i, 9, 0.7), point);
        g_assert_true (rv_loss_set_loss (ls, point, &want, &error));
        g_assert_true (computed[i * 9 + j]);
        /* The core sums the first layer's products on the plane
         * (rv_loss_set_plane_loss): the same loss up to float rounding. */
        g_assert_cmpfloat_with_epsilon (got[i * 9 + j], want, 1e-6 * MAX (1.0, want));
      }
  g_assert_cmpuint (rv_landscape_job_get_path (job, NULL, NULL, NULL, NULL), ==, 0);
  g_mutex_clear (&news.lock);
}

static void
test_pca_path (void)
{
  RvLandscapeRequest req = { .dir = dir, .name = "p", .pca = TRUE, .grid = 3, .span = 1, .images = IMAGES,
                             .set = data->train_full };
  g_autoptr (RvLandscapeJob) job = rv_landscape_job_new (&req, NULL, NULL);
  wait_done (job, NULL);
  g_autofree char *message = NULL;
  g_assert_cmpint (rv_landscape_job_get_state (job, &message), ==, RV_LANDSCAPE_JOB_DONE);
  const double *path, *loss;
  const guint32 *epochs;
  g_assert_cmpuint (rv_landscape_job_get_path (job, &path, &loss, &epochs, NULL), ==, 3);

  g_autoptr (RvNet) best = load_best ("p");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvRunTrajectory) traj = rv_run_trajectory_load (dir, "p", best, &error);
  g_assert_no_error (error);
  size_t d = best->n_params;
  g_autofree float *x = g_new (float, d), *y = g_new (float, d);
  double coords[6];
  g_assert_true (rv_pca_plane ((const float *const *) traj->params, 3, d, best->params, x, y, coords, NULL, &error));
  g_autoptr (RvNet) eval = rv_net_new (&best->cfg, rv_backend_cpu ());
  g_autoptr (RvLossSet) ls = rv_loss_set_new (eval, data->train_full, IMAGES, &error);
  for (int k = 0; k < 3; k++)
    {
      double want;
      g_assert_cmpuint (epochs[k], ==, k);
      g_assert_cmpfloat (path[2 * k], ==, coords[2 * k]);
      g_assert_cmpfloat (path[2 * k + 1], ==, coords[2 * k + 1]);
      g_assert_true (rv_loss_set_loss (ls, traj->params[k], &want, &error));
      g_assert_cmpfloat_with_epsilon (loss[k], want, 1e-9 * MAX (1.0, want));
    }
  /* the centre cell is θ* itself */
  double grid[9], at_best;
  rv_landscape_job_read (job, grid, NULL);
  g_assert_true (rv_loss_set_loss (ls, best->params, &at_best, &error));
  g_assert_cmpfloat_with_epsilon (grid[4], at_best, 1e-9 * MAX (1.0, at_best));
}

static void
test_cancel (void)
{
  RvLandscapeRequest req = { .dir = dir, .name = "r", .grid = 301, .span = 1, .images = IMAGES,
                             .set = data->train_full };
  g_autoptr (RvLandscapeJob) job = rv_landscape_job_new (&req, NULL, NULL);
  rv_landscape_job_cancel (job);
  wait_done (job, NULL);
  g_assert_cmpint (rv_landscape_job_get_state (job, NULL), ==, RV_LANDSCAPE_JOB_CANCELLED);
  g_assert_cmpuint (rv_landscape_job_get_passes (job), <, RV_LANDSCAPE_PASSES);
}

static void
test_pca_without_snapshots (void)
{
  RvLandscapeRequest req = { .dir = dir, .name = "r", .pca = TRUE, .grid = 3, .span = 1, .images = IMAGES,
                             .set = data->train_full };
  g_autoptr (RvLandscapeJob) job = rv_landscape_job_new (&req, NULL, NULL);
  wait_done (job, NULL);
  g_autofree char *message = NULL;
  g_assert_cmpint (rv_landscape_job_get_state (job, &message), ==, RV_LANDSCAPE_JOB_FAILED);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "trajectory"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (20000, 1000, 7);
  dir = g_dir_make_tmp ("ravine-landscape-job-XXXXXX", NULL);
  save_run ("r", FALSE);
  save_run ("p", TRUE);
  g_test_add_func ("/landscape-job/random-equals-core", test_random_equals_core);
  g_test_add_func ("/landscape-job/pca-path", test_pca_path);
  g_test_add_func ("/landscape-job/cancel", test_cancel);
  g_test_add_func ("/landscape-job/pca-without-snapshots", test_pca_without_snapshots);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", dir);
  rv_dataset_free (data);
  return status;
}
