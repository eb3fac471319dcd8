/* rv-landscape-job.h: a saved run's loss landscape, computed on a thread.
 *
 * What `ravine-cli landscape` computes (rv-landscape.h), for a page: the
 * job loads run NAME from dir (its best parameters θ*), takes the first
 * `images` images of the given image set, picks the directions (random and
 * filter-normalized, or pca of the run's snapshots, whose projected path and
 * per-snapshot losses it computes first) and fills the grid pass by pass on
 * a thread of its own.  It calls notify (from that thread) whenever there is
 * news: the path, each finished pass, the end; the page then reads the
 * state under the job's lock with the functions below, on its own thread.
 *
 * Freeing the job cancels it and waits for its thread, which stops between
 * two cells. */
#pragma once

#include <glib.h>

#include "rv-dataset.h"
#include "rv-device.h"

G_BEGIN_DECLS

typedef struct {
  const char *dir, *name;
  gboolean pca;
  guint grid;       /* >= 2 */
  double span;      /* > 0 */
  guint images;     /* the first K images of set */
  guint64 seed;     /* of the random directions */
  const RvImageSet *set;  /* borrowed: it must outlive the job */
  RvDevice device;        /* where the loss is evaluated (RV_DEVICE_AUTO: 0) */
} RvLandscapeRequest;

typedef enum {
  RV_LANDSCAPE_JOB_RUNNING,
  RV_LANDSCAPE_JOB_DONE,
  RV_LANDSCAPE_JOB_CANCELLED,
  RV_LANDSCAPE_JOB_FAILED,
} RvLandscapeJobState;

typedef struct _RvLandscapeJob RvLandscapeJob;

/* Starts the thread; notify (may be NULL) is called from it. */
RvLandscapeJob *rv_landscape_job_new (const RvLandscapeRequest *request, void (*notify) (gpointer data),
                                      gpointer notify_data);
/* Cancels and waits for the thread (NULL is ignored). */
void rv_landscape_job_free (RvLandscapeJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvLandscapeJob, rv_landscape_job_free)

/* Asks the thread to stop; the state turns CANCELLED soon after. */
void rv_landscape_job_cancel (RvLandscapeJob *job);

/* The state, and with FAILED the reason (a copy, or NULL). */
RvLandscapeJobState rv_landscape_job_get_state (RvLandscapeJob *job, char **message);

guint rv_landscape_job_get_grid (RvLandscapeJob *job);
double rv_landscape_job_get_span (RvLandscapeJob *job);

/* Copies the grid so far into loss[grid²] (row i is beta[i], column j
 * alpha[j]) and which cells are computed into computed[grid²] (may be NULL);
 * returns how many passes are finished (0 .. RV_LANDSCAPE_PASSES). */
guint rv_landscape_job_read (RvLandscapeJob *job, double *loss, gboolean *computed);

/* How many passes are finished. */
guint rv_landscape_job_get_passes (RvLandscapeJob *job);

/* With pca, once known (else 0): the snapshots' points in the plane
 * path[2k], path[2k + 1] (α, β), their losses and epochs, and the share of
 * the variance the plane holds.  The arrays stay valid as long as the job. */
guint rv_landscape_job_get_path (RvLandscapeJob *job, const double **path, const double **path_loss,
                                 const guint32 **epochs, double *explained);

G_END_DECLS
