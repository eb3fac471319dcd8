/* rv-cuda-kernels.h: the compute kernels behind the CUDA backend's table,
 * one function per RvBackend entry (src/core/rv-backend.h has the contract of
 * each).  Plain C; every pointer is device memory unless said otherwise, and
 * every call is queued on the one stream without waiting, except the
 * histogram's, which return their sums to the host.
 *
 * The formulas are the CPU's own: the per-element functions of
 * src/core/rv-activation-math.h, rv-optim-math.h, rv-xent-math.h and
 * rv-stats-math.h are compiled into these kernels. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "rv-activation-math.h"
#include "rv-optim-math.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Row-major C[m,n] = alpha op(A) op(B) + beta C through cuBLAS (full FP32). */
void rv_cuda_gemm (int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc);

/* z[batch,n] += bias[n]; y = f(z) when y is non-NULL. */
void rv_cuda_bias_act_forward (RvActivation act, float *z, float *y, const float *bias, int batch, int n);

/* dz = dy * f'(z) (dz may alias dy); dbias[n] += column sums of dz, summed in
 * a fixed order (the same result on every run). */
void rv_cuda_bias_act_backward (RvActivation act, const float *z, const float *dy, float *dz, float *dbias,
                                int batch, int n);

/* Softmax cross-entropy of logits[batch,classes]: loss[0] = mean loss,
 * correct[0] = argmax hits, dlogits = (softmax - onehot) / batch when
 * non-NULL. */
void rv_cuda_softmax_xent (const float *logits, const uint8_t *labels, int batch, int classes,
                           float *dlogits, double *loss, int32_t *correct);

/* The byte-to-float table every gather uses (host memory, 256 floats),
 * copied to the device once. */
void rv_cuda_set_norm_table (const float *table);

/* x[count,784] = table[pixels[row]], labels_out[i] = labels[row], row =
 * indices[i] or first + i; a row past n_rows gives zeros and label 0. */
void rv_cuda_gather (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows, const uint32_t *indices,
                     uint32_t first, uint32_t count, float *x, uint8_t *labels_out);

/* One optimizer step: clipping (s->clip_norm > 0: the global norm summed in
 * double, then grads scaled in place), then one kernel for the kind. */
void rv_cuda_optim_update (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n);

/* Pass 1 of a histogram: over the finite values of x[n], their count, min,
 * max and sum (in double).  Waits; returns 0 on failure. */
int rv_cuda_stats_range (const float *x, size_t n, uint64_t *n_finite, double *vmin, double *vmax,
                         double *sum);

/* Pass 2: counts[n_bins] (host memory, added to) of the finite values in
 * rv_stats_bin_index's bins over [lo, hi], binned in shared memory; and,
 * when moments, ss = sum (v - mean)^2 and dev = sum (v - mean).  Waits;
 * returns 0 on failure. */
int rv_cuda_stats_bins (const float *x, size_t n, double lo, double hi, double scale, uint32_t n_bins,
                        int moments, double mean, uint64_t *counts, double *ss, double *dev);

#ifdef __cplusplus
}
#endif
