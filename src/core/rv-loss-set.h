/* rv-loss-set.h: the mean cross-entropy of a network over a fixed set of
 * images, at any parameters: what the landscape and the sharpness measure.
 *
 * The images are the first `count` images of an image set (for a run, the
 * training file in file order, as RV_PROBE_HEAD picks them), normalized as
 * always, copied once to the network's backend.  Parameters are given in
 * host memory and uploaded before each evaluation, so the same code runs on
 * the CPU and on a device.  The loss is the mean over all `count` images,
 * evaluated in batches of at most RV_LOSS_SET_BATCH rows (each batch's mean
 * weighted by its share), which bounds the activation memory.
 *
 * A loss set borrows the network (its parameters and gradients are
 * overwritten by every call) and must not outlive it.  Not thread-safe. */
#pragma once

#include <glib.h>

#include "rv-dataset.h"
#include "rv-net.h"

G_BEGIN_DECLS

#define RV_LOSS_SET_BATCH 2048

typedef struct _RvLossSet RvLossSet;

/* RV_ERROR_ARGUMENT when count is 0 or more than set->n ("2048 images: the
 * training file holds 1000"); RV_ERROR_DEVICE when the backend cannot hold
 * them. */
RvLossSet *rv_loss_set_new (RvNet *net, const RvImageSet *set, uint32_t count, GError **error);
void rv_loss_set_free (RvLossSet *ls);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvLossSet, rv_loss_set_free)

uint32_t rv_loss_set_get_count (const RvLossSet *ls);
/* The normalized images [count, 784] and labels [count] in host memory. */
const float *rv_loss_set_get_host_images (const RvLossSet *ls);
const uint8_t *rv_loss_set_get_host_labels (const RvLossSet *ls);
RvNet *rv_loss_set_get_net (RvLossSet *ls);

/* *loss = the mean loss at params[net->n_params] (host memory).  A loss
 * that is NaN or infinite is returned as it is (the caller decides what a
 * diverged point means); FALSE only for a device failure. */
gboolean rv_loss_set_loss (RvLossSet *ls, const float *params, double *loss, GError **error);

/* The same, also writing the gradient of that mean loss to grad[n_params]
 * (host memory). */
gboolean rv_loss_set_gradient (RvLossSet *ls, const float *params, double *loss, float *grad,
                               GError **error);

/* The loss on one plane θ + a·x + b·y, point after point, for the
 * landscape.  The first layer's z = X (W + a·X_W + b·Y_W)ᵀ is linear in
 * (a, b), so its three products with the images, X Wᵀ, X X_Wᵀ and X Y_Wᵀ,
 * are taken once here; a point then costs their sum and the layers above
 * the first: for the tutorial's network 37 % of a forward pass (the first
 * layer holds 63 % of its multiplications).  They are kept in backend
 * memory, 3 × count × the first layer's width floats (12 MB for 2,048
 * images); RV_ERROR_DEVICE when it cannot hold them.  theta, x and y are
 * host memory [n_params], copied. */
gboolean rv_loss_set_set_plane (RvLossSet *ls, const float *theta, const float *x, const float *y, GError **error);

/* *loss at the plane's point (a, b).  point[n_params] must be that point
 * (rv_landscape_point's, host memory): the biases and the layers above the
 * first come from it.  The first layer sums the products in float, which
 * differs from the product of the point's rounded weights by rounding
 * alone.  Where the point's first-layer weights are not finite (a span that
 * overflows float) it is evaluated as rv_loss_set_loss does, so a diverged
 * cell stays diverged. */
gboolean rv_loss_set_plane_loss (RvLossSet *ls, const float *point, double a, double b, double *loss,
                                 GError **error);

G_END_DECLS
