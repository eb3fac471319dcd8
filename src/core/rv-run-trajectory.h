/* rv-run-trajectory.h: a run's parameter snapshots, NAME_trajectory.safetensors.
 *
 * `ravine-cli train` keeps the parameters at the start (epoch 0) and after
 * every ceil(epochs / 20)-th epoch and the last one: at most 21 snapshots
 * plus the last, e.g. 0, 2, 4, ..., 40 of the tutorial's 40 epochs (21 ×
 * 570k float32 ≈ 48 MB).  They are what the landscape's pca directions and
 * the projected training path come from.
 *
 * The file is safetensors (float32): snapshot after epoch k holds tensors
 * "epoch.<k>.layers.<2l>.weight" [out, in] and "epoch.<k>.layers.<2l>.bias"
 * [out], the checkpoint's names and shapes behind the prefix, so that
 *   {k: v for k, v in load_file (f).items () if k.startswith ("epoch.40.")}
 * is a state_dict.  The metadata holds "format": "ravine-trajectory",
 * "ravine.hidden", "ravine.activation", "ravine.epochs" ("0,2,4") and
 * "ravine.params_sha256", the SHA-256 of the run's best parameters (the
 * float32 bytes of NAME.safetensors' tensors in the network's order), by
 * which a load tells a trajectory of this training from a stale one.
 *
 * Written atomically (rv-safetensors-write, rv-atomic-file) after the run
 * itself is saved. */
#pragma once

#include <glib.h>

#include "rv-net.h"

G_BEGIN_DECLS

#define RV_RUN_TRAJECTORY_SUFFIX "_trajectory.safetensors"
#define RV_RUN_TRAJECTORY_MAX_POINTS 20

/* Whether training keeps the parameters after `epoch` (1-based; 0 is the
 * start, always kept) of `epochs`. */
gboolean rv_run_trajectory_keeps_epoch (uint32_t epoch, uint32_t epochs);

/* The hex SHA-256 of params[n] as above. */
char *rv_run_trajectory_params_hash (const float *params, size_t n);

/* Writes dir/NAME_trajectory.safetensors: snapshots[k] (laid out as
 * layout's parameters) after epoch epochs[k], for the run whose best
 * parameters are best[layout->n_params]. */
gboolean rv_run_trajectory_save (const char *dir, const char *name, const RvNet *layout,
                                 const float *const *snapshots, const uint32_t *epochs, uint32_t n,
                                 const float *best, GError **error);

typedef struct {
  uint32_t n;
  uint32_t *epochs;  /* [n], ascending */
  float **params;    /* [n][n_params] */
} RvRunTrajectory;

void rv_run_trajectory_free (RvRunTrajectory *traj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvRunTrajectory, rv_run_trajectory_free)

/* Reads NAME's snapshots for net (the run's network with its best
 * parameters loaded) and checks every name, shape and value, and that they
 * belong to this training of NAME.  RV_ERROR_ARGUMENT when the run has no
 * trajectory file; RV_ERROR_CHECKPOINT when it is corrupt, does not fit or
 * is stale; each message names the file. */
RvRunTrajectory *rv_run_trajectory_load (const char *dir, const char *name, const RvNet *net, GError **error);

G_END_DECLS
