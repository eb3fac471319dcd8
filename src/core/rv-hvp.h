/* rv-hvp.h: exact Hessian-vector products of the network's loss.
 *
 * Pearlmutter's R-operator ("Fast Exact Multiplication by the Hessian",
 * 1994), forward over reverse: the forward pass and its directional
 * derivative along v (Rz_l = V_l h_{l−1} + W_l Rh_{l−1} + c_l, Rh_l =
 * f'(z_l)·Rz_l), the softmax cross-entropy's (Rδ = (p ⊙ (Rz − p·Rz)) / B),
 * then the backward pass and its directional derivative, which is H·v:
 * R(dW_l) = Rδ_l h_{l−1}ᵀ + δ_l Rh_{l−1}ᵀ, R(dh) = W_lᵀ Rδ_l + V_lᵀ δ_l,
 * Rδ_{l−1} = R(dh)·f'(z) + dh·f''(z)·Rz.  For ReLU-type activations f'' is
 * 0 (the Hessian of the linear piece the parameters lie in), exactly what
 * finite differences of gradients only approximate, and badly where a step
 * flips a unit's sign.
 *
 * Host memory, on the CPU backend's gemm (OpenBLAS), whatever device the
 * loss is otherwise evaluated on. */
#pragma once

#include <glib.h>

#include "rv-net.h"

G_BEGIN_DECLS

typedef struct _RvHvp RvHvp;

/* Workspace for batches of up to batch_cap rows of layout's network (which
 * must outlive it; only its shapes are used). */
RvHvp *rv_hvp_new (const RvNet *layout, uint32_t batch_cap);
void rv_hvp_free (RvHvp *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvHvp, rv_hvp_free)

/* hv[n_params] += weight · H·v, H the Hessian at params of the mean loss
 * over the batch rows x[batch, 784] with labels[batch]. */
void rv_hvp_accumulate (RvHvp *h, const float *params, const float *v, const float *x, const uint8_t *labels,
                        uint32_t batch, float weight, float *hv);

/* f''(x) of each activation (0 for the piecewise-linear ones). */
double rv_hvp_activation_second_derivative (RvActivation act, double x);

G_END_DECLS
