/* rv-mlp-weights.h: any MLP checkpoint, as PyTorch saves one, as a network.
 *
 * The file is a safetensors file (rv-safetensors.h) whose tensors are all
 * Linear layers: PREFIX{i}.weight [out, in] and PREFIX{i}.bias [out] for some
 * indices i, with one PREFIX for every tensor, such as "layers." (the
 * tutorial's ModuleList, "layers.0.weight"), "" (an nn.Sequential,
 * "0.weight") or "fc" ("fc1.weight", "fc2.weight").  The layers run in
 * the order of their indices: the first takes 784 inputs, each next one the
 * previous one's outputs, the last gives the 10 classes.  Tensors may be F32,
 * F16 or BF16, converted to float32 exactly.  The hidden sizes follow from
 * the shapes.
 *
 * The activation, which the file does not hold, comes from the Ravine run
 * config beside it (DIR/NAME.config for DIR/NAME.safetensors, rv-run-files.h)
 * when there is one, which must then describe the same layers; otherwise it
 * is the caller's.
 *
 * A file that cannot be read is RV_ERROR_IO; anything else that is wrong
 * (a convolution's 4-D tensor, a shape chain that does not connect, a
 * missing bias, an integer tensor, a NaN, a broken config) is
 * RV_ERROR_CHECKPOINT, worded "PATH: tensor NAME ...: expected ...". */
#pragma once

#include <glib.h>

#include "rv-activation.h"
#include "rv-net.h"
#include "rv-safetensors.h"

G_BEGIN_DECLS

typedef struct {
  char *prefix;               /* "layers.", "", "fc" */
  uint32_t n_layers;
  guint64 index[RV_MAX_LINEAR]; /* layer l's N in PREFIX{N}.weight, ascending */
  RvSafetensorDtype dtype;    /* of the first layer's weight */
  char *config_path;          /* the config the activation came from, or NULL */
} RvMlpWeightsInfo;

void rv_mlp_weights_info_clear (RvMlpWeightsInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RvMlpWeightsInfo, rv_mlp_weights_info_clear)

/* Builds the network the file holds (CPU backend) with its weights.  act is
 * the activation when no config is beside the file.  info, when non-NULL,
 * is filled on success; clear it with rv_mlp_weights_info_clear(). */
RvNet *rv_mlp_weights_load (const char *path, RvActivation act, RvMlpWeightsInfo *info, GError **error);

/* The file's own name of layer l's weight (bias: FALSE) or bias (TRUE),
 * such as "fc2.bias". */
char *rv_mlp_weights_tensor_name (const RvMlpWeightsInfo *info, uint32_t layer, gboolean bias);

/* DIR/NAME.config for DIR/NAME.safetensors (PATH.config for another name). */
char *rv_mlp_weights_config_path (const char *path);

G_END_DECLS
