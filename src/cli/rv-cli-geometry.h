/* rv-cli-geometry.h: what `landscape` and `sharpness` share: a saved run,
 * its data set and the loss set of its first K training images on a
 * device. */
#pragma once

#include "rv-cli.h"
#include "rv-loss-set.h"
#include "rv-run-files.h"

G_BEGIN_DECLS

typedef struct {
  RvTrainConfig cfg;
  RvTrainResults res;
  RvNet *best;         /* host memory: θ*, the run's best parameters */
  RvDataset *ds;
  RvNet *eval_net;     /* on the chosen backend; the loss set's workspace */
  RvLossSet *loss_set;
} RvCliGeometry;

/* Loads run `name` from `out`, the data (as rv_cli_open_dataset, with the
 * run's seed) and the first `images` training images onto `device_name`
 * (NULL: auto).  Returns RV_EXIT_OK, or prints the reason and returns
 * RV_EXIT_USAGE (a bad argument: more images than the training file holds,
 * an unknown device, a run that is not there) or RV_EXIT_FAILURE. */
int rv_cli_geometry_open (RvCliGeometry *geo, const char *command, const char *out, const char *name,
                          const char *data, gboolean synthetic, uint32_t images, const char *device_name);
void rv_cli_geometry_clear (RvCliGeometry *geo);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RvCliGeometry, rv_cli_geometry_clear)

G_END_DECLS
