/* rv-train-geometry.h: what a training run records of its geometry between
 * steps, for `ravine-cli train` and the app's training sessions alike.
 *
 * - The trajectory: the parameters at the start (epoch 0) and after the
 *   epochs rv_run_trajectory_keeps_epoch picks, saved beside the run as
 *   NAME_trajectory.safetensors (rv-run-trajectory.h), what the landscape's
 *   pca directions come from.  Runs whose snapshots would take more than
 *   RV_TRAIN_GEOMETRY_TRAJECTORY_MAX_BYTES go without.
 * - Optionally the sharpness: the Hessian's top eigenvalue (rv-sharpness.h)
 *   of the mean loss of the first K images of the training file, at the
 *   start and every N steps, with at most RV_TRAIN_SHARPNESS_ITERS Lanczos
 *   steps to a tolerance of RV_TRAIN_SHARPNESS_TOL; the points go into the
 *   results as "sharpness" (RvTrainSharpness).  The products run on the
 *   host, on a CPU copy of the network, whatever the trainer's backend.
 *
 * Call everything on the training thread, between steps (from the
 * trainer's callback): snapshots and measurements read the training
 * network's current parameters. */
#pragma once

#include <gio/gio.h>

#include "rv-train.h"

G_BEGIN_DECLS

/* The most memory (and file) the snapshots may take. */
#define RV_TRAIN_GEOMETRY_TRAJECTORY_MAX_BYTES ((guint64) 1 << 30)

/* Lanczos steps during training: a measurement costs about 2 gradients a
 * step, and 30 settle the top eigenvalue to 1e-3 in most cases. */
#define RV_TRAIN_SHARPNESS_ITERS 30
#define RV_TRAIN_SHARPNESS_TOL 1e-3

typedef struct _RvTrainGeometry RvTrainGeometry;

/* Records nothing until told what to keep. */
RvTrainGeometry *rv_train_geometry_new (void);
void rv_train_geometry_free (RvTrainGeometry *geometry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvTrainGeometry, rv_train_geometry_free)

/* Keeps the trajectory of trainer's run, taking the start's snapshot now.
 * FALSE, keeping nothing, when the snapshots would take more than
 * RV_TRAIN_GEOMETRY_TRAJECTORY_MAX_BYTES; *why (when not NULL) then says
 * so ("21 of them would take 2.0 GiB"). */
gboolean rv_train_geometry_keep_trajectory (RvTrainGeometry *geometry, RvTrainer *trainer, char **why);
gboolean rv_train_geometry_keeps_trajectory (const RvTrainGeometry *geometry);

/* Measures the sharpness every `every` (> 0) steps on the first `images`
 * images of data's training file; does not measure yet (call
 * rv_train_geometry_measure for step 0).  RV_ERROR_ARGUMENT when the file
 * holds fewer images ("--sharpness-images"-style callers check first). */
gboolean rv_train_geometry_track_sharpness (RvTrainGeometry *geometry, const RvTrainConfig *cfg,
                                            const RvDataset *data, uint32_t every, uint32_t images,
                                            GError **error);
uint32_t rv_train_geometry_get_sharpness_every (const RvTrainGeometry *geometry);

/* The steps between step events that fall on every measurement: the
 * greatest common divisor of report_every and every (report_every when
 * every is 0). */
uint32_t rv_train_geometry_report_every (uint32_t report_every, uint32_t every);

/* About `points` measurements after the start's over total_steps steps:
 * ceil(total_steps / points), at least 1. */
uint32_t rv_train_geometry_sharpness_every_for (uint64_t total_steps, uint32_t points);

/* Feeds one trainer event: after an epoch the trajectory keeps a snapshot
 * when it is one to keep.  Step events are the caller's to measure (see
 * rv_train_geometry_measures_step), which lets it time and cancel them. */
void rv_train_geometry_on_event (RvTrainGeometry *geometry, RvTrainer *trainer, const RvTrainEvent *event);

/* Whether a measurement falls on `step` (0, every, 2 every, …). */
gboolean rv_train_geometry_measures_step (const RvTrainGeometry *geometry, uint64_t step);

/* Measures at the trainer's current parameters and records (step, λ) in
 * *point and in the list.  A measurement that fails (a non-finite product)
 * records λ = NaN and returns FALSE with the reason; one cancelled through
 * cancellable (between two products) records nothing and returns FALSE with
 * RV_ERROR_CANCELLED, so that it can be taken again. */
gboolean rv_train_geometry_measure (RvTrainGeometry *geometry, RvTrainer *trainer, uint64_t step,
                                    GCancellable *cancellable, RvTrainSharpness *point, GError **error);

/* The points measured so far (RvTrainSharpness), or NULL when sharpness is
 * not tracked; steal hands them over (the geometry keeps none after). */
const GArray *rv_train_geometry_get_sharpness (const RvTrainGeometry *geometry);
GArray *rv_train_geometry_steal_sharpness (RvTrainGeometry *geometry);

/* After the run is saved as dir/NAME: writes its trajectory beside it for
 * best (the saved network), or, when none was kept, removes a stale
 * trajectory of an earlier training of that name (which would only be
 * refused later). */
gboolean rv_train_geometry_save_trajectory (RvTrainGeometry *geometry, const char *dir, const char *name,
                                            const RvNet *best, GError **error);

G_END_DECLS
