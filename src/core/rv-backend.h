/* rv-backend.h: the table of compute primitives the network runs on.
 *
 * The training loop does not know which backend it uses; the CPU table runs
 * OpenBLAS, the CUDA table (rv-backend-cuda.c) the kernels of kernels/.
 * Shapes are given beside each argument; all matrices are row-major.
 *
 * Every pointer an entry takes is backend memory (from `alloc`) unless said
 * otherwise.  On the CPU that is ordinary host memory and every entry has
 * finished when it returns; on a device, entries are queued in order and run
 * later, and only `download`, `check`, `softmax_xent` and `stats` wait for
 * them.  A device entry that fails records the failure, which the next
 * `check` reports; the caller checks at its sync points. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "rv-activation.h"
#include "rv-optim-math.h"
#include "rv-stats.h"

G_BEGIN_DECLS

typedef struct _RvBackend RvBackend;

struct _RvBackend {
  const char *name;
  /* TRUE when backend memory is host memory that callers may read and write
   * directly (the CPU backend). */
  gboolean host_memory;

  /* Memory.  alloc returns `bytes` zeroed bytes, aligned to 64, or NULL
   * (recorded for `check`).  upload copies host memory to backend memory;
   * its source may be reused when it returns.  download copies backend
   * memory to the host after the work queued before it is done.  copy and
   * zero stay within backend memory.  Sizes are in bytes. */
  void *(*alloc) (size_t bytes);
  void (*free) (void *p);
  void (*upload) (void *dst, const void *src, size_t bytes);
  void (*download) (void *dst, const void *src, size_t bytes);
  void (*copy) (void *dst, const void *src, size_t bytes);
  void (*zero) (void *p, size_t bytes);

  /* Waits for the queued work; FALSE with RV_ERROR_DEVICE for the first
   * failure since the last check (which it clears). */
  gboolean (*check) (GError **error);

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

  /* The same without waiting: the mean loss goes to loss[0] and the count of
   * correct predictions to correct[0], both backend memory. */
  void (*softmax_xent_store) (const float *logits, const uint8_t *labels, int batch, int classes,
                              float *dlogits, double *loss, int32_t *correct);

  /* x[count, 784] = the normalized images (rv_dataset_gather's formula) of
   * rows indices[0..count) of pixels[n_rows, 784], or of rows first ..
   * first+count-1 when indices is NULL; labels_out[count] their labels. */
  void (*gather) (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                  const uint32_t *indices, uint32_t first, uint32_t count,
                  float *x, uint8_t *labels_out);

  /* One optimizer step over the flat buffers params[n] and grads[n] (scaled
   * in place when clipping) with the kind's state m[n] and v[n] (NULL when
   * unused); the scalars come from rv_optim_scalars (rv-optim.h). */
  void (*optim_update) (const RvOptimScalars *s, float *params, float *grads, float *m, float *v,
                        size_t n);

  /* rv_stats_compute of x[n]: moments, min and max, and an n_bins histogram,
   * into host memory (waits). */
  void (*stats) (RvStats *stats, const float *x, size_t n, uint32_t n_bins);
};

const RvBackend *rv_backend_cpu (void);
/* How many threads the CPU backend's GEMMs use from now on (OpenBLAS's
 * pool, shared by every thread of the process): at most OPENBLAS_NUM_THREADS
 * when that is set, at least 1.  Runs that train side by side each take a
 * share of the cores instead of all of them, which would oversubscribe. */
void rv_backend_cpu_set_threads (int n_threads);

/* The CUDA backend, set up on first use; NULL with RV_ERROR_DEVICE ("no
 * usable CUDA device (...)") when there is no working GPU.  Only in builds
 * with CUDA (RV_HAVE_CUDA in rv-config.h); rv-device.h chooses portably. */
const RvBackend *rv_backend_cuda (GError **error);

G_END_DECLS
