/* rv-train-geometry.c: the trajectory and sharpness a run records between
 * steps. */
#include "rv-train-geometry.h"

#include <glib/gstdio.h>
#include <math.h>

#include "rv-error.h"
#include "rv-loss-set.h"
#include "rv-run-files.h"
#include "rv-run-trajectory.h"
#include "rv-sharpness.h"

struct _RvTrainGeometry
{
  GPtrArray *snapshots;    /* float[n_params] each; NULL: no trajectory */
  GArray *epochs;          /* uint32_t, the epoch after which each was taken */
  uint32_t sharpness_every;
  RvNet *eval_net;         /* a CPU network the loss set evaluates on */
  RvLossSet *loss_set;
  GArray *sharpness;       /* RvTrainSharpness; NULL: not tracked */
};

RvTrainGeometry *
rv_train_geometry_new (void)
{
  return g_new0 (RvTrainGeometry, 1);
}

void
rv_train_geometry_free (RvTrainGeometry *g)
{
  if (g == NULL)
    return;
  g_clear_pointer (&g->snapshots, g_ptr_array_unref);
  g_clear_pointer (&g->epochs, g_array_unref);
  /* the loss set borrows the network */
  g_clear_pointer (&g->loss_set, rv_loss_set_free);
  g_clear_pointer (&g->eval_net, rv_net_free);
  g_clear_pointer (&g->sharpness, g_array_unref);
  g_free (g);
}

static void
keep_snapshot (RvTrainGeometry *g, RvTrainer *trainer, uint32_t epoch)
{
  g_ptr_array_add (g->snapshots, rv_trainer_dup_params (trainer, NULL));
  g_array_append_val (g->epochs, epoch);
}

gboolean
rv_train_geometry_keep_trajectory (RvTrainGeometry *g, RvTrainer *trainer, char **why)
{
  const RvTrainConfig *cfg = rv_trainer_get_config (trainer);
  uint32_t kept = 0;
  for (uint32_t e = 0; e <= cfg->epochs; e++)
    kept += rv_run_trajectory_keeps_epoch (e, cfg->epochs);
  guint64 bytes = (guint64) kept * rv_trainer_get_best_net (trainer)->n_params * sizeof (float);
  if (bytes > RV_TRAIN_GEOMETRY_TRAJECTORY_MAX_BYTES)
    {
      if (why)
        {
          g_autofree char *size = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
          *why = g_strdup_printf ("%u of them would take %s (more than 1 GiB)", kept, size);
        }
      return FALSE;
    }
  g_clear_pointer (&g->snapshots, g_ptr_array_unref);
  g_clear_pointer (&g->epochs, g_array_unref);
  g->snapshots = g_ptr_array_new_with_free_func (g_free);
  g->epochs = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  keep_snapshot (g, trainer, 0);
  return TRUE;
}

gboolean
rv_train_geometry_keeps_trajectory (const RvTrainGeometry *g)
{
  return g->snapshots != NULL;
}

gboolean
rv_train_geometry_track_sharpness (RvTrainGeometry *g, const RvTrainConfig *cfg, const RvDataset *data,
                                   uint32_t every, uint32_t images, GError **error)
{
  g_return_val_if_fail (every > 0, FALSE);
  g_return_val_if_fail (g->loss_set == NULL, FALSE);
  /* The Hessian-vector products run on the host (rv-hvp.h). */
  g->eval_net = rv_net_new (&cfg->net, rv_backend_cpu ());
  g->loss_set = rv_loss_set_new (g->eval_net, data->train_full, images, error);
  if (g->loss_set == NULL)
    {
      g_clear_pointer (&g->eval_net, rv_net_free);
      return FALSE;
    }
  g->sharpness_every = every;
  g->sharpness = g_array_new (FALSE, FALSE, sizeof (RvTrainSharpness));
  return TRUE;
}

uint32_t
rv_train_geometry_get_sharpness_every (const RvTrainGeometry *g)
{
  return g->sharpness_every;
}

uint32_t
rv_train_geometry_report_every (uint32_t report_every, uint32_t every)
{
  uint32_t a = report_every, b = every;
  while (b)
    {
      uint32_t t = a % b;
      a = b;
      b = t;
    }
  return a;
}

uint32_t
rv_train_geometry_sharpness_every_for (uint64_t total_steps, uint32_t points)
{
  g_return_val_if_fail (points > 0, 1);
  uint64_t every = (total_steps + points - 1) / points;
  return (uint32_t) CLAMP (every, 1, G_MAXUINT32);
}

void
rv_train_geometry_on_event (RvTrainGeometry *g, RvTrainer *trainer, const RvTrainEvent *ev)
{
  if (ev->kind == RV_TRAIN_EVENT_EPOCH && g->snapshots && rv_run_trajectory_keeps_epoch (ev->epoch + 1, ev->epochs))
    keep_snapshot (g, trainer, ev->epoch + 1);
}

gboolean
rv_train_geometry_measures_step (const RvTrainGeometry *g, uint64_t step)
{
  return g->sharpness_every && step % g->sharpness_every == 0;
}

gboolean
rv_train_geometry_measure (RvTrainGeometry *g, RvTrainer *trainer, uint64_t step, GCancellable *cancellable,
                           RvTrainSharpness *point, GError **error)
{
  g_return_val_if_fail (g->loss_set != NULL, FALSE);
  RvSharpnessConfig cfg;
  RvSharpnessResult res;
  g_autoptr (GError) local = NULL;
  g_autofree float *params = rv_trainer_dup_params (trainer, NULL);
  rv_sharpness_config_init_default (&cfg);
  cfg.max_iters = RV_TRAIN_SHARPNESS_ITERS;
  cfg.tol = RV_TRAIN_SHARPNESS_TOL;
  RvTrainSharpness p = { .step = step, .top_eigenvalue = NAN };
  gboolean ok = rv_sharpness_top_eigenvalue (g->loss_set, params, &cfg, &res, cancellable, &local);
  if (!ok && g_error_matches (local, RV_ERROR, RV_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (ok)
    p.top_eigenvalue = res.top_eigenvalue;
  g_array_append_val (g->sharpness, p);
  if (point)
    *point = p;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

const GArray *
rv_train_geometry_get_sharpness (const RvTrainGeometry *g)
{
  return g->sharpness;
}

GArray *
rv_train_geometry_steal_sharpness (RvTrainGeometry *g)
{
  return g_steal_pointer (&g->sharpness);
}

gboolean
rv_train_geometry_save_trajectory (RvTrainGeometry *g, const char *dir, const char *name, const RvNet *best,
                                   GError **error)
{
  if (g->snapshots == NULL)
    {
      g_autofree char *stale = rv_run_path (dir, name, RV_RUN_TRAJECTORY_SUFFIX);
      g_unlink (stale);
      return TRUE;
    }
  return rv_run_trajectory_save (dir, name, best, (const float *const *) g->snapshots->pdata,
                                 (const uint32_t *) (void *) g->epochs->data, g->snapshots->len, best->params,
                                 error);
}
