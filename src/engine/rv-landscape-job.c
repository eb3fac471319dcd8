/* rv-landscape-job.c: the landscape worker, one thread per computation. */
#include "rv-landscape-job.h"

#include <math.h>
#include <string.h>

#include "rv-device.h"
#include "rv-error.h"
#include "rv-landscape.h"
#include "rv-loss-set.h"
#include "rv-pca.h"
#include "rv-run-files.h"
#include "rv-run-trajectory.h"

struct _RvLandscapeJob
{
  /* the request, copied */
  char *dir, *name;
  gboolean pca;
  guint grid, images;
  double span;
  guint64 seed;
  const RvImageSet *set;
  RvDevice device;
  void (*notify) (gpointer data);
  gpointer notify_data;

  GThread *thread;
  GCancellable *cancellable;

  GMutex lock;  /* guards what follows */
  RvLandscapeJobState state;
  char *message;
  double *loss;
  gboolean *computed;
  guint passes_done;
  gint64 last_news_us;
  /* set once, before it is announced, then only read */
  guint n_path;
  double *path, *path_loss, explained;
  guint32 *epochs;
};

static void
announce (RvLandscapeJob *job)
{
  if (job->notify)
    job->notify (job->notify_data);
}

/* News at each pass's end, and twice a second within a long one. */
#define CELL_NEWS_US 500000

static void
on_cell (uint32_t i, uint32_t j, double loss, uint32_t pass, uint32_t done, uint32_t total, gpointer user_data)
{
  RvLandscapeJob *job = user_data;
  gboolean news = FALSE;
  gint64 now = g_get_monotonic_time ();
  g_mutex_lock (&job->lock);
  job->loss[(gsize) i * job->grid + j] = loss;
  job->computed[(gsize) i * job->grid + j] = TRUE;
  /* cells come pass by pass: the first of pass p means passes 0 .. p − 1 are done */
  if (done == total)
    job->passes_done = RV_LANDSCAPE_PASSES;
  if (done == total || pass > job->passes_done || now - job->last_news_us >= CELL_NEWS_US)
    {
      job->passes_done = MAX (job->passes_done, pass);
      job->last_news_us = now;
      news = TRUE;
    }
  g_mutex_unlock (&job->lock);
  if (news)
    announce (job);
}

/* The path in the pca plane and each snapshot's loss. */
static gboolean
make_pca (RvLandscapeJob *job, RvLossSet *ls, const RvNet *best, float *x, float *y, GError **error)
{
  g_autoptr (RvRunTrajectory) traj = rv_run_trajectory_load (job->dir, job->name, best, error);
  if (traj == NULL)
    return FALSE;
  g_autofree double *coords = g_new (double, 2 * traj->n);
  double explained = 0.0;
  if (!rv_pca_plane ((const float *const *) traj->params, traj->n, best->n_params, best->params, x, y, coords,
                     &explained, error))
    return FALSE;
  g_autofree double *losses = g_new (double, traj->n);
  for (guint k = 0; k < traj->n; k++)
    {
      if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
        return FALSE;
      if (!rv_loss_set_loss (ls, traj->params[k], &losses[k], error))
        return FALSE;
    }
  g_mutex_lock (&job->lock);
  job->path = g_steal_pointer (&coords);
  job->path_loss = g_steal_pointer (&losses);
  job->epochs = g_memdup2 (traj->epochs, traj->n * sizeof (guint32));
  job->explained = explained;
  job->n_path = traj->n;
  g_mutex_unlock (&job->lock);
  announce (job);
  return TRUE;
}

static gboolean
compute (RvLandscapeJob *job, GError **error)
{
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  RvNet *loaded = NULL;
  if (!rv_run_load (job->dir, job->name, &cfg, &res, &loaded, error))
    return FALSE;
  rv_train_results_clear (&res);
  g_autoptr (RvNet) best = loaded;

  g_autofree char *note = NULL;
  const RvBackend *backend = rv_device_backend (job->device, &note, error);
  if (backend == NULL)
    return FALSE;
  g_autoptr (RvNet) eval_net = rv_net_new (&cfg.net, backend);
  g_autoptr (RvLossSet) ls = rv_loss_set_new (eval_net, job->set, job->images, error);
  if (ls == NULL)
    return FALSE;

  const size_t d = best->n_params;
  g_autofree float *x = g_new (float, d), *y = g_new (float, d);
  if (job->pca)
    {
      if (!make_pca (job, ls, best, x, y, error))
        return FALSE;
    }
  else
    {
      rv_landscape_random_direction (best, best->params, job->seed, 0, x);
      rv_landscape_random_direction (best, best->params, job->seed, 1, y);
    }
  /* rv_landscape_compute writes NaN into cells it has not reached: its own buffer */
  g_autofree double *loss = g_new (double, (gsize) job->grid * job->grid);
  return rv_landscape_compute (ls, best->params, x, y, job->grid, job->span, loss, on_cell, job,
                               job->cancellable, error);
}

static gpointer
job_thread (gpointer data)
{
  RvLandscapeJob *job = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = compute (job, &error);
  g_mutex_lock (&job->lock);
  if (ok)
    job->state = RV_LANDSCAPE_JOB_DONE;
  else if (g_cancellable_is_cancelled (job->cancellable))
    job->state = RV_LANDSCAPE_JOB_CANCELLED;
  else
    {
      job->state = RV_LANDSCAPE_JOB_FAILED;
      job->message = g_strdup (error->message);
    }
  g_mutex_unlock (&job->lock);
  announce (job);
  return NULL;
}

RvLandscapeJob *
rv_landscape_job_new (const RvLandscapeRequest *request, void (*notify) (gpointer data), gpointer notify_data)
{
  g_return_val_if_fail (request->grid >= 2 && request->span > 0 && request->set != NULL, NULL);
  RvLandscapeJob *job = g_new0 (RvLandscapeJob, 1);
  job->dir = g_strdup (request->dir);
  job->name = g_strdup (request->name);
  job->pca = request->pca;
  job->grid = request->grid;
  job->span = request->span;
  job->images = request->images;
  job->seed = request->seed;
  job->set = request->set;
  job->device = request->device;
  job->notify = notify;
  job->notify_data = notify_data;
  job->cancellable = g_cancellable_new ();
  g_mutex_init (&job->lock);
  job->state = RV_LANDSCAPE_JOB_RUNNING;
  const gsize cells = (gsize) job->grid * job->grid;
  job->loss = g_new (double, cells);
  for (gsize c = 0; c < cells; c++)
    job->loss[c] = NAN;
  job->computed = g_new0 (gboolean, cells);
  job->last_news_us = g_get_monotonic_time ();
  job->thread = g_thread_new ("ravine-landscape", job_thread, job);
  return job;
}

void
rv_landscape_job_cancel (RvLandscapeJob *job)
{
  g_cancellable_cancel (job->cancellable);
}

void
rv_landscape_job_free (RvLandscapeJob *job)
{
  if (job == NULL)
    return;
  g_cancellable_cancel (job->cancellable);
  g_thread_join (job->thread);
  g_object_unref (job->cancellable);
  g_mutex_clear (&job->lock);
  g_free (job->dir);
  g_free (job->name);
  g_free (job->message);
  g_free (job->loss);
  g_free (job->computed);
  g_free (job->path);
  g_free (job->path_loss);
  g_free (job->epochs);
  g_free (job);
}

RvLandscapeJobState
rv_landscape_job_get_state (RvLandscapeJob *job, char **message)
{
  g_mutex_lock (&job->lock);
  RvLandscapeJobState state = job->state;
  if (message)
    *message = g_strdup (job->message);
  g_mutex_unlock (&job->lock);
  return state;
}

guint
rv_landscape_job_get_grid (RvLandscapeJob *job)
{
  return job->grid;
}

double
rv_landscape_job_get_span (RvLandscapeJob *job)
{
  return job->span;
}

guint
rv_landscape_job_read (RvLandscapeJob *job, double *loss, gboolean *computed)
{
  const gsize cells = (gsize) job->grid * job->grid;
  g_mutex_lock (&job->lock);
  memcpy (loss, job->loss, cells * sizeof *loss);
  if (computed)
    memcpy (computed, job->computed, cells * sizeof *computed);
  guint passes = job->passes_done;
  g_mutex_unlock (&job->lock);
  return passes;
}

guint
rv_landscape_job_get_path (RvLandscapeJob *job, const double **path, const double **path_loss,
                           const guint32 **epochs, double *explained)
{
  g_mutex_lock (&job->lock);
  guint n = job->n_path;
  if (path)
    *path = job->path;
  if (path_loss)
    *path_loss = job->path_loss;
  if (epochs)
    *epochs = job->epochs;
  if (explained)
    *explained = job->explained;
  g_mutex_unlock (&job->lock);
  return n;
}

guint
rv_landscape_job_get_passes (RvLandscapeJob *job)
{
  g_mutex_lock (&job->lock);
  guint passes = job->passes_done;
  g_mutex_unlock (&job->lock);
  return passes;
}
