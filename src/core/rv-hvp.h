/* rv-hvp.h: exact Hessian-vector products of the network's loss.
 *
 * Pearlmutter's R-operator ("Fast Exact Multiplication by the Hessian",
 * 1994), forward over reverse: the forward pass and its directional
 * derivative along v (Rz_l = V_l h_{l−1} + W_l Rh_{l−1} + c_l, Rh_l =
 * f'(z_l)·Rz_l), the softmax cross-entropy's (Rδ = (p ⊙ (Rz − p·Rz)) / K),
 * then the backward pass and its directional derivative, which is H·v:
 * R(dW_l) = Rδ_l h_{l−1}ᵀ + δ_l Rh_{l−1}ᵀ, R(dh) = W_lᵀ Rδ_l + V_lᵀ δ_l,
 * Rδ_{l−1} = R(dh)·f'(z) + dh·f''(z)·Rz.  For ReLU-type activations f'' is
 * 0 (the Hessian of the linear piece the parameters lie in), exactly what
 * finite differences of gradients only approximate, and badly where a step
 * flips a unit's sign.
 *
 * A workspace is bound to one point θ and one image set: what does not
 * depend on v (h_l, f'(z_l), δ_l, p, dh·f''(z)) is computed once, in chunks
 * of RV_HVP_CHUNK images, and kept for every product (up to keep_bytes of
 * it; chunks beyond are recomputed each product), so a product costs the
 * R-passes alone: about 3.5 forward passes' worth of GEMMs instead of 5.
 *
 * Host memory, on the CPU backend's sgemm (OpenBLAS), whatever device the
 * loss is otherwise evaluated on; float storage, double where sums run over
 * images (the bias rows, the softmax's p·Rz). */
#pragma once

#include <glib.h>

#include "rv-net.h"

G_BEGIN_DECLS

/* Images per chunk: the GEMMs stay large, each chunk's activations small. */
#define RV_HVP_CHUNK 512
/* What rv_sharpness keeps: all of 2,048 images of the tutorial's network
 * (about 29 MB for ReLU), a few thousand more. */
#define RV_HVP_KEEP_BYTES ((size_t) 256 << 20)

typedef struct _RvHvp RvHvp;

/* The products at params[layout->n_params] of the mean loss over the count
 * images x[count, 784] with labels[count].  Borrows layout (only its shapes
 * are used), params, x and labels, which must not change while it lives.
 * Keeps at most keep_bytes of the v-independent passes, at least one
 * chunk's. */
RvHvp *rv_hvp_new (const RvNet *layout, const float *params, const float *x, const uint8_t *labels, uint32_t count,
                   size_t keep_bytes);
void rv_hvp_free (RvHvp *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvHvp, rv_hvp_free)

/* hv[n_params] = H·v. */
void rv_hvp_compute (RvHvp *h, const float *v, float *hv);

/* f''(x) of each activation (0 for the piecewise-linear ones). */
double rv_hvp_activation_second_derivative (RvActivation act, double x);

G_END_DECLS
