/* rv-cli-geometry.h: what `landscape` and `sharpness` share: the network
 * they look at, either a saved run's best parameters (--out DIR --name
 * NAME) or any MLP checkpoint (--weights FILE [--act NAME],
 * rv-mlp-weights.h), its data set and the loss set of its first K training
 * images on a device. */
#pragma once

#include "rv-cli.h"
#include "rv-loss-set.h"
#include "rv-mlp-weights.h"
#include "rv-run-files.h"

G_BEGIN_DECLS

/* Which network to open: a run, or a weights file (then out and name are
 * NULL; act may be). */
typedef struct {
  const char *out, *name;
  const char *weights, *act;
} RvCliGeometrySource;

typedef struct {
  RvTrainConfig cfg;   /* a weights file: its network, the other fields default */
  RvTrainResults res;  /* a weights file: empty */
  RvNet *best;         /* host memory: θ*, the run's best parameters or the file's */
  char *name;          /* the run's name, or the file's without .safetensors */
  gboolean from_weights;
  RvMlpWeightsInfo info;  /* from_weights only: the file's tensor names */
  RvDataset *ds;
  RvNet *eval_net;     /* on the chosen backend; the loss set's workspace */
  RvLossSet *loss_set;
} RvCliGeometry;

/* Opens the network of `src`, the data (as rv_cli_open_dataset, with the
 * run's seed) and the first `images` training images onto `device_name`
 * (NULL: auto).  Returns RV_EXIT_OK, or prints the reason and returns
 * RV_EXIT_USAGE (a bad argument: --weights together with --out or --name,
 * neither, more images than the training file holds, an unknown device or
 * activation, a run that is not there) or RV_EXIT_FAILURE (also a weights
 * file that is not an MLP's, naming the tensor). */
int rv_cli_geometry_open (RvCliGeometry *geo, const char *command, const RvCliGeometrySource *src,
                          const char *data, gboolean synthetic, uint32_t images, const char *device_name);

/* The name of layer l's weight (bias: FALSE) or bias in the network's own
 * file: Ravine's "layers.2l.weight" for a run, the file's own otherwise. */
char *rv_cli_geometry_tensor_name (const RvCliGeometry *geo, uint32_t layer, gboolean bias);

void rv_cli_geometry_clear (RvCliGeometry *geo);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RvCliGeometry, rv_cli_geometry_clear)

G_END_DECLS
