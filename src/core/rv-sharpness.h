/* rv-sharpness.h: the largest eigenvalue of the loss's Hessian.
 *
 * The loss is the mean cross-entropy of a loss set (rv-loss-set.h) as a
 * function of all the network's parameters.  Its top (largest) eigenvalue
 * comes from the Lanczos iteration, power iteration's Krylov form: the same
 * Hessian-vector products from a seeded Gaussian unit start, orthogonalized
 * by the three-term recurrence, the estimate being the top eigenvalue of
 * the tridiagonal matrix they build (Sturm bisection).  Plain power
 * iteration (PyHessian's) converges to the eigenvalue of largest magnitude
 * and, where a negative one is about as large as the top one, as on ReLU
 * networks early in training, it oscillates between them (46.35 ± 0.3 after
 * 2,000 products on a small trained ReLU net) or stops falsely where two
 * estimates happen to agree; the Lanczos estimate rises monotonically to
 * the top eigenvalue and needs fewer products.  It stops once
 * |λ_k − λ_{k−1}| ≤ tol·|λ_k| at two steps in a row, or after max_iters
 * products.  (Without reorthogonalization; lost orthogonality only repeats
 * converged values, it does not move the top one.)
 *
 * The Hessian-vector products are exact (rv-hvp.h, Pearlmutter's
 * R-operator), on the host, chunk by chunk over the loss set's images, the
 * passes that do not depend on the vector done once per call; the tests
 * check them against central differences of gradients. */
#pragma once

#include <gio/gio.h>

#include "rv-loss-set.h"

G_BEGIN_DECLS

typedef struct {
  uint32_t max_iters;  /* default 100 */
  double tol;          /* default 1e-4 */
  uint64_t seed;       /* default 1: the starting vector */
} RvSharpnessConfig;

void rv_sharpness_config_init_default (RvSharpnessConfig *cfg);

typedef struct {
  double top_eigenvalue;
  uint32_t iterations;     /* Hessian-vector products taken */
  double relative_change;  /* |λ_k − λ_{k−1}| / |λ_k| at the last one (NaN after one) */
  gboolean converged;      /* settled within tol (or an exact invariant space) */
} RvSharpnessResult;

/* hv[n] = H(theta)·v (host memory).  RV_ERROR_DIVERGED when the product
 * is not finite. */
gboolean rv_sharpness_hvp (RvLossSet *ls, const float *theta, const float *v, float *hv, GError **error);

/* The top eigenvalue at theta.  RV_ERROR_ARGUMENT for a bad config,
 * RV_ERROR_DIVERGED for a non-finite product, RV_ERROR_CANCELLED between
 * two products once cancellable is cancelled. */
gboolean rv_sharpness_top_eigenvalue (RvLossSet *ls, const float *theta, const RvSharpnessConfig *cfg,
                                      RvSharpnessResult *out, GCancellable *cancellable, GError **error);

G_END_DECLS
