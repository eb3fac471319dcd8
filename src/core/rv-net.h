/* rv-net.h: the MLP, in the manner of llm.c.
 *
 * All parameters live in one flat float buffer and the gradients in a second
 * of the same size; layers are offsets into them.  Linear layer l has weight
 * W_l[out, in] (PyTorch's layout) and bias b_l[out].  Linear layers are named
 * as in the tutorial's module list, where activations sit between them:
 * Linear l is module 2l, so its output is "Layer 2l" and its weight
 * "layers.2l.weight".
 *
 * The buffers are the backend's memory: host memory on the CPU backend, so
 * callers may read net->params, net->z, ... directly there; device memory on
 * the CUDA backend, reached through backend->upload and ->download. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "rv-activation.h"
#include "rv-backend.h"
#include "rv-stats.h"

G_BEGIN_DECLS

#define RV_MAX_LINEAR 16
#define RV_INPUT_SIZE 784

typedef struct {
  uint32_t n_linear;                  /* hidden layers + 1 */
  uint32_t sizes[RV_MAX_LINEAR + 1];  /* sizes[0] = inputs, sizes[n_linear] = classes */
  RvActivation act;
} RvNetConfig;

/* Fills cfg from a hidden-size list such as "512,256,256,128" ("" for none).
 * Each size must be in 1..65536 and there may be at most 15. */
gboolean rv_net_config_parse_hidden (RvNetConfig *cfg, const char *hidden, GError **error);
void rv_net_config_init (RvNetConfig *cfg, RvActivation act, const uint32_t *hidden, uint32_t n_hidden);
/* "512,256,256,128" */
char *rv_net_config_hidden_string (const RvNetConfig *cfg);

/* The most memory one network may need (4 GiB): each width is capped, but
 * widths multiply, so 65536,65536 alone would need tens of GB. */
#define RV_NET_MAX_BYTES ((uint64_t) 4 << 30)

/* What training cfg's network on batches of `batch` rows needs: five floats
 * per parameter (parameters, gradients, two optimizer moments, the best
 * copy) and, for max(batch, 1024) rows (training evaluates 1024 at a time),
 * the input, every layer's output before and after its activation, and the
 * backward pass's two scratch buffers. */
uint64_t rv_net_config_memory (const RvNetConfig *cfg, uint32_t batch);
/* RV_ERROR_ARGUMENT, saying how much it would need, when that is more than
 * RV_NET_MAX_BYTES; call it before building a network from a user's sizes. */
gboolean rv_net_config_check_size (const RvNetConfig *cfg, uint32_t batch, GError **error);

typedef struct {
  RvNetConfig cfg;
  const RvBackend *backend;
  size_t n_params;
  size_t w_off[RV_MAX_LINEAR];  /* offset of W_l in params/grads */
  size_t b_off[RV_MAX_LINEAR];  /* offset of b_l */
  float *params;                /* [n_params] */
  float *grads;                 /* [n_params] */

  /* Activation memory for up to batch_cap rows, kept after forward(). */
  uint32_t batch_cap;
  uint32_t batch;               /* rows of the last forward() */
  float *z[RV_MAX_LINEAR];      /* Linear outputs ("activations") [batch, sizes[l+1]] */
  float *h[RV_MAX_LINEAR];      /* f(z) for hidden layers [batch, sizes[l+1]] */
  float *dbuf[2];               /* backward scratch, [batch_cap, max width] each */
} RvNet;

RvNet *rv_net_new (const RvNetConfig *cfg, const RvBackend *backend);
void rv_net_free (RvNet *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvNet, rv_net_free)

/* Grows the activation memory to hold `batch` rows (no-op if it already does). */
void rv_net_reserve (RvNet *net, uint32_t batch);

static inline uint32_t rv_net_fan_in (const RvNet *net, uint32_t l) { return net->cfg.sizes[l]; }
static inline uint32_t rv_net_fan_out (const RvNet *net, uint32_t l) { return net->cfg.sizes[l + 1]; }
static inline size_t rv_net_weight_count (const RvNet *net, uint32_t l)
{ return (size_t) net->cfg.sizes[l] * net->cfg.sizes[l + 1]; }

/* x[batch, 784] -> logits (= net->z[n_linear-1]); keeps every Linear output. */
const float *rv_net_forward (RvNet *net, const float *x, uint32_t batch);

/* Linear layers first .. n_linear − 1 of the forward pass, x[batch,
 * sizes[first]] being layer first's input (net->h[first − 1] when the
 * layers below were computed by other means, in which case batch must be
 * within net->batch_cap); the same return. */
const float *rv_net_forward_from (RvNet *net, uint32_t first, const float *x, uint32_t batch);

/* Forward, softmax cross-entropy, and (when grads are wanted) backward,
 * accumulating into net->grads.  Returns the mean loss; *correct counts argmax
 * hits when non-NULL. */
double rv_net_loss (RvNet *net, const float *x, const uint8_t *labels, uint32_t batch,
                    gboolean want_grads, int *correct);

/* rv_net_loss without waiting for the result (what a device needs): the mean
 * loss goes to loss_out[0] and the correct count to correct_out[0], both in
 * backend memory.  x and labels are backend memory too. */
void rv_net_loss_store (RvNet *net, const float *x, const uint8_t *labels, uint32_t batch,
                        gboolean want_grads, double *loss_out, int32_t *correct_out);

void rv_net_zero_grad (RvNet *net);

typedef enum {
  RV_NET_WEIGHT,       /* W_l[out, in] */
  RV_NET_WEIGHT_GRAD,  /* dLoss/dW_l, as the last backward pass left it */
  RV_NET_OUTPUT,       /* z_l[batch, out] of the last forward pass ("Layer 2l") */
} RvNetTensor;

/* Moments and histogram (n_bins) of one tensor of Linear layer l, computed
 * by the backend where the tensor lives; the result is host memory. */
void rv_net_tensor_stats (RvNet *net, RvNetTensor tensor, uint32_t l, uint32_t n_bins, RvStats *out);

G_END_DECLS
