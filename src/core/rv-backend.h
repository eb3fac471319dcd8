/* rv-backend.h: the table of compute primitives the network runs on.
 *
 * The training loop does not know which backend it uses; the CPU table runs
 * OpenBLAS, the CUDA table lives in kernels/.  Shapes are given beside each
 * argument; all matrices are row-major. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "rv-activation.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;

  /* C[m,n] = alpha * op(A) op(B) + beta * C, op = transpose when trans_x. */
  void (*gemm) (gboolean trans_a, gboolean trans_b, int m, int n, int k,
                float alpha, const float *a, int lda, const float *b, int ldb,
                float beta, float *c, int ldc);

  /* z[B,n] += bias[n] per row, then y[B,n] = f(z).  y may be NULL (no activation
   * needed, as for the output layer). */
  void (*bias_act_forward) (RvActivation act, float *z, float *y, const float *bias,
                            int batch, int n);

  /* dz[B,n] = dy[B,n] * f'(z[B,n]); dbias[n] += sum over rows of dz.
   * dz may alias dy. */
  void (*bias_act_backward) (RvActivation act, const float *z, const float *dy,
                             float *dz, float *dbias, int batch, int n);

  /* Softmax cross-entropy over logits[B,C] with labels[B]: returns the mean
   * loss, writes dlogits[B,C] = (softmax - onehot) / B (if non-NULL) and the
   * number of correct argmax predictions to *correct (if non-NULL). */
  double (*softmax_xent) (const float *logits, const uint8_t *labels, int batch, int classes,
                          float *dlogits, int *correct);
} RvBackend;

const RvBackend *rv_backend_cpu (void);

G_END_DECLS
