/* rv-checkpoint.h: a network's parameters as a safetensors file.
 *
 * Linear layer l is saved as "layers.{2l}.weight" [out, in] and
 * "layers.{2l}.bias" [out], the names and shapes of the tutorial model's
 * state_dict, so that in Python
 *   model.load_state_dict (safetensors.torch.load_file ("model.safetensors"))
 * restores it.  The metadata also records "format": "pt",
 * "ravine.hidden": "512,256,256,128" and "ravine.activation": "relu".
 *
 * Saving is atomic (rv-atomic-file): a failed save leaves the previous file
 * as it was.  Loading opens only a regular file no larger than the network's
 * tensors and the format's largest header (a FIFO or /dev/zero is refused,
 * never waited on), and checks every name, shape and value (no NaN or
 * infinity) against the network before copying anything, so a failed load
 * leaves the network as it was.  Errors
 * name the file: one that cannot be read or written is RV_ERROR_IO, one that
 * is corrupt or does not fit the network RV_ERROR_CHECKPOINT ("PATH: missing
 * tensor layers.8.bias"). */
#pragma once

#include <glib.h>

#include "rv-net.h"
#include "rv-safetensors.h"

G_BEGIN_DECLS

/* metadata: extra string-to-string entries to record, or NULL; the keys above
 * are always set by the save itself. */
gboolean rv_checkpoint_save (const RvNet *net, const char *path, GHashTable *metadata,
                             GError **error);

gboolean rv_checkpoint_load (RvNet *net, const char *path, GError **error);

/* The file's metadata (string to string), after checking that the file is
 * sound; for building a network to load it into. */
GHashTable *rv_checkpoint_read_metadata (const char *path, GError **error);

/* The most parameters a network Ravine builds can have (five floats each
 * within RV_NET_MAX_BYTES), which bounds the files it reads. */
#define RV_CHECKPOINT_MAX_PARAMS (RV_NET_MAX_BYTES / (5 * sizeof (float)))

/* Reads path, a regular file no larger than max_params floats and the
 * format's largest header need, as a safetensors file (flags as
 * rv_safetensors_parse_take_full); for readers of other layouts. */
RvSafetensors *rv_checkpoint_read_file (const char *path, uint64_t max_params, RvSafetensorsFlags flags,
                                        GError **error);

/* RV_ERROR_CHECKPOINT naming the first tensor that holds a NaN or an
 * infinity ("PATH: tensor layers.0.weight holds NaN at element 7"). */
gboolean rv_checkpoint_check_finite (const RvSafetensors *st, const char *path, GError **error);

G_END_DECLS
