/* rv-backend-cpu.c: the CPU backend, OpenBLAS for the GEMMs and fused
 * single-pass loops for everything elementwise.  Its memory is host memory,
 * so the memory entries are plain allocations and memcpy; the whole-step
 * entries reuse the core's own loops (rv_dataset_gather_rows,
 * rv_optim_update, rv_stats_compute). */
#include "rv-backend.h"
#include "rv-hot-loop.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-dataset.h"
#include "rv-optim.h"
#include "rv-xent-math.h"

static void *
cpu_alloc (size_t bytes)
{
  /* 64-byte alignment suits AVX-512 loads. */
  return g_aligned_alloc0 (bytes ? bytes : 1, 1, 64);
}

static void
cpu_free (void *p)
{
  g_aligned_free (p);
}

static void
cpu_memcpy (void *dst, const void *src, size_t bytes)
{
  if (bytes > 0)
    memcpy (dst, src, bytes);
}

static void
cpu_zero (void *p, size_t bytes)
{
  if (bytes > 0)
    memset (p, 0, bytes);
}

static gboolean
cpu_check (GError **error)
{
  return TRUE;
}

/* For beta 0 OpenBLAS first clears C in a pass of its own (sgemm_beta),
 * then adds the products to it; clearing C with memset and asking for beta
 * 1 adds the same products to the same zeros, and memset was the cheaper
 * clear in the profile (sgemm_beta was 4-6 % of a 2-thread epoch). */
static void
cpu_gemm (gboolean trans_a, gboolean trans_b, int m, int n, int k,
          float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc)
{
  if (beta == 0.0f && m > 0 && n > 0)
    {
      if (ldc == n)
        memset (c, 0, (size_t) m * n * sizeof (float));
      else
        for (int r = 0; r < m; r++)
          memset (c + (size_t) r * ldc, 0, (size_t) n * sizeof (float));
      beta = 1.0f;
    }
  cblas_sgemm (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
               m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* Inlined with a constant `act` in each switch case below, so every
 * activation gets its own branch-free loop. */
static inline __attribute__ ((always_inline)) void
bias_act_rows (RvActivation act, float *z, float *y, const float *bias, int batch, int n)
{
  for (int r = 0; r < batch; r++)
    {
      float *zr = z + (size_t) r * n;
      float *yr = y ? y + (size_t) r * n : NULL;
      for (int j = 0; j < n; j++)
        zr[j] += bias[j];
      if (yr)
        for (int j = 0; j < n; j++)
          yr[j] = rv_activation_apply (act, zr[j]);
    }
}

static inline __attribute__ ((always_inline)) void
cpu_bias_act_forward_body (RvActivation act, float *z, float *y, const float *bias, int batch, int n)
{
  switch (act)
    {
    case RV_ACT_IDENTITY: bias_act_rows (RV_ACT_IDENTITY, z, y, bias, batch, n); break;
    case RV_ACT_TANH: bias_act_rows (RV_ACT_TANH, z, y, bias, batch, n); break;
    case RV_ACT_RELU: bias_act_rows (RV_ACT_RELU, z, y, bias, batch, n); break;
    case RV_ACT_LEAKY_RELU: bias_act_rows (RV_ACT_LEAKY_RELU, z, y, bias, batch, n); break;
    case RV_ACT_ELU: bias_act_rows (RV_ACT_ELU, z, y, bias, batch, n); break;
    case RV_ACT_GELU: bias_act_rows (RV_ACT_GELU, z, y, bias, batch, n); break;
    case RV_ACT_SIGMOID: bias_act_rows (RV_ACT_SIGMOID, z, y, bias, batch, n); break;
    case RV_ACT_SILU: bias_act_rows (RV_ACT_SILU, z, y, bias, batch, n); break;
    case RV_ACT_COUNT:
    default: g_return_if_reached ();
    }
}

/* The backward pass over rows, with every pointer restrict so that the
 * loop vectorizes: the vectorizer's run-time overlap check would fail on the
 * in-place call (dz == dy, which the network always makes) and fall back to
 * the scalar loop, so that case gets its own copy with one pointer. */
static inline __attribute__ ((always_inline)) void
bias_act_backward_rows (RvActivation act, const float *restrict z, const float *restrict dy,
                        float *restrict dz, float *restrict dbias, int batch, int n)
{
  for (int r = 0; r < batch; r++)
    {
      const float *restrict zr = z + (size_t) r * n;
      const float *restrict dyr = dy + (size_t) r * n;
      float *restrict dzr = dz + (size_t) r * n;
      for (int j = 0; j < n; j++)
        {
          float d = rv_activation_backward (act, zr[j], dyr[j]);
          dzr[j] = d;
          dbias[j] += d;
        }
    }
}

static inline __attribute__ ((always_inline)) void
bias_act_backward_rows_in_place (RvActivation act, const float *restrict z, float *restrict dz,
                                 float *restrict dbias, int batch, int n)
{
  for (int r = 0; r < batch; r++)
    {
      const float *restrict zr = z + (size_t) r * n;
      float *restrict dzr = dz + (size_t) r * n;
      for (int j = 0; j < n; j++)
        {
          float d = rv_activation_backward (act, zr[j], dzr[j]);
          dzr[j] = d;
          dbias[j] += d;
        }
    }
}

static inline __attribute__ ((always_inline)) void
bias_act_backward_any (RvActivation act, const float *z, const float *dy, float *dz,
                       float *dbias, int batch, int n)
{
  if (dz == dy)
    bias_act_backward_rows_in_place (act, z, dz, dbias, batch, n);
  else
    bias_act_backward_rows (act, z, dy, dz, dbias, batch, n);
}

static inline __attribute__ ((always_inline)) void
cpu_bias_act_backward_body (RvActivation act, const float *z, const float *dy, float *dz,
                       float *dbias, int batch, int n)
{
  switch (act)
    {
    case RV_ACT_IDENTITY: bias_act_backward_any (RV_ACT_IDENTITY, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_TANH: bias_act_backward_any (RV_ACT_TANH, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_RELU: bias_act_backward_any (RV_ACT_RELU, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_LEAKY_RELU: bias_act_backward_any (RV_ACT_LEAKY_RELU, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_ELU: bias_act_backward_any (RV_ACT_ELU, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_GELU: bias_act_backward_any (RV_ACT_GELU, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_SIGMOID: bias_act_backward_any (RV_ACT_SIGMOID, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_SILU: bias_act_backward_any (RV_ACT_SILU, z, dy, dz, dbias, batch, n); break;
    case RV_ACT_COUNT:
    default: g_return_if_reached ();
    }
}

RV_HOT_LOOP_VARIANTS (static, cpu_bias_act_forward,
                      (RvActivation act, float *z, float *y, const float *bias, int batch, int n),
                      (act, z, y, bias, batch, n))
RV_HOT_LOOP_VARIANTS (static, cpu_bias_act_backward,
                      (RvActivation act, const float *z, const float *dy, float *dz,
                       float *dbias, int batch, int n),
                      (act, z, dy, dz, dbias, batch, n))

/* Per row: loss = logsumexp(z) - z[label] and the gradient softmax minus
 * the one-hot label (rv_xent_row, shared with the CUDA kernel). */
static double
cpu_softmax_xent (const float *logits, const uint8_t *labels, int batch, int classes,
                  float *dlogits, int *correct)
{
  double total = 0.0;
  int hits = 0;
  const float inv_batch = 1.0f / (float) batch;

  for (int r = 0; r < batch; r++)
    {
      int hit;
      total += rv_xent_row (logits + (size_t) r * classes, labels[r], classes, inv_batch,
                            dlogits ? dlogits + (size_t) r * classes : NULL, &hit);
      hits += hit;
    }
  if (correct)
    *correct = hits;
  return total / batch;
}

static void
cpu_softmax_xent_store (const float *logits, const uint8_t *labels, int batch, int classes,
                        float *dlogits, double *loss, int32_t *correct)
{
  int hits = 0;
  *loss = cpu_softmax_xent (logits, labels, batch, classes, dlogits, &hits);
  *correct = hits;
}

/* One table per copy of the elementwise passes; both constant, so that
 * nothing is patched at start-up. */
#define CPU_BACKEND_TABLE(variant) \
  { \
    .name = "cpu", \
    .host_memory = TRUE, \
    .alloc = cpu_alloc, \
    .free = cpu_free, \
    .upload = cpu_memcpy, \
    .download = cpu_memcpy, \
    .copy = cpu_memcpy, \
    .zero = cpu_zero, \
    .check = cpu_check, \
    .gemm = cpu_gemm, \
    .bias_act_forward = cpu_bias_act_forward_##variant, \
    .bias_act_backward = cpu_bias_act_backward_##variant, \
    .softmax_xent = cpu_softmax_xent, \
    .softmax_xent_store = cpu_softmax_xent_store, \
    .gather = rv_dataset_gather_rows_##variant, \
    .optim_update = rv_optim_update_##variant, \
    .stats = rv_stats_compute, \
  }

static const RvBackend cpu_backend_baseline = CPU_BACKEND_TABLE (baseline);
static const RvBackend cpu_backend_avx2 = CPU_BACKEND_TABLE (avx2);

const RvBackend *
rv_backend_cpu_baseline (void)
{
  return &cpu_backend_baseline;
}

const RvBackend *
rv_backend_cpu (void)
{
  return rv_hot_loop_use_avx2 () ? &cpu_backend_avx2 : &cpu_backend_baseline;
}

void
rv_backend_cpu_set_threads (int n_threads)
{
  const char *env = g_getenv ("OPENBLAS_NUM_THREADS");
  int cap = env && atoi (env) > 0 ? atoi (env) : G_MAXINT;
  openblas_set_num_threads (CLAMP (n_threads, 1, cap));
}
