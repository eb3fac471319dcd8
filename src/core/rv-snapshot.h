/* rv-snapshot.h: a network's per-layer state during training, summarized:
 * the distributions of weights, gradients and activations, each layer's
 * gradient norm, and the size of its last update relative to its weights. */
#pragma once

#include <glib.h>

#include "rv-net.h"
#include "rv-stats.h"

G_BEGIN_DECLS

typedef struct {
  uint64_t step;
  uint32_t n_linear;
  RvStats weight[RV_MAX_LINEAR];
  RvStats gradient[RV_MAX_LINEAR];
  RvStats activation[RV_MAX_LINEAR];   /* the Linear outputs of the last batch */
  double grad_norm[RV_MAX_LINEAR];     /* ||dL/dW_l|| */
  double update_ratio[RV_MAX_LINEAR];  /* ||W_l - W_l before|| / ||W_l before||, or NaN */
} RvSnapshot;

/* Summarizes net (after a step: its params updated, its grads and
 * activations those of that step).  params_before is the parameter buffer
 * before the step, or NULL when unknown. */
void rv_snapshot_take (RvSnapshot *snap, const RvNet *net, const float *params_before, uint64_t step,
                       uint32_t bins);
void rv_snapshot_clear (RvSnapshot *snap);
/* Makes dest a deep copy of src (dest's old contents are overwritten, not freed). */
void rv_snapshot_copy (RvSnapshot *dest, const RvSnapshot *src);

G_END_DECLS
