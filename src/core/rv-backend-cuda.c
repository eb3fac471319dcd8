/* rv-backend-cuda.c: the CUDA backend's table: the kernels of kernels/
 * behind the core's RvBackend, their recorded failures turned into GErrors.
 * Built only with CUDA (RV_HAVE_CUDA).
 *
 * The kernels take their formulas from the same headers as the CPU backend
 * (rv-activation-math.h, rv-optim-math.h, rv-xent-math.h, rv-stats-math.h),
 * the optimizer scalars from rv_optim_scalars, the pixel table from
 * rv_dataset_norm_table and the histogram's conventions from
 * rv-stats-private.h; see kernels/rv-cuda-kernels.h. */
#include "rv-backend.h"

#include <math.h>

#include "rv-cuda-kernels.h"
#include "rv-cuda.h"
#include "rv-dataset.h"
#include "rv-error.h"
#include "rv-stats-private.h"

static gboolean
cuda_check (GError **error)
{
  char why[512];
  if (!rv_cuda_take_error (why, sizeof why))
    return TRUE;
  g_set_error (error, RV_ERROR, RV_ERROR_DEVICE, "CUDA: %s", why);
  return FALSE;
}

/* The waiting form, for rv_net_loss: the kernel into the thread's small
 * device buffer (no allocation, whose free would synchronize), then one
 * download of both results. */
typedef struct {
  double loss;
  int32_t correct;
} XentResult;

G_STATIC_ASSERT (sizeof (XentResult) <= RV_CUDA_SMALL_BYTES);

static double
cuda_softmax_xent (const float *logits, const uint8_t *labels, int batch, int classes, float *dlogits,
                   int *correct)
{
  XentResult result = { NAN, 0 };
  char *small = rv_cuda_small_buffer ();
  if (small)
    {
      rv_cuda_softmax_xent (logits, labels, batch, classes, dlogits,
                            (double *) (small + G_STRUCT_OFFSET (XentResult, loss)),
                            (int32_t *) (small + G_STRUCT_OFFSET (XentResult, correct)));
      rv_cuda_download (&result, small, sizeof result);
    }
  if (correct)
    *correct = result.correct;
  return result.loss;
}

/* Pass 1 and pass 2 on the GPU, the rules of rv-stats.c on the host.  On a
 * device failure (recorded for check) the result is that of an empty tensor. */
static void
cuda_stats (RvStats *stats, const float *x, size_t n, uint32_t n_bins)
{
  g_return_if_fail (stats != NULL && n_bins >= 1);

  RvStatsRange range = { .n = n };
  RvStatsPlan plan;
  double ss = 0.0, dev = 0.0;
  uint64_t *counts = rv_stats_take_counts (stats, n_bins);

  if (!rv_cuda_stats_range (x, n, &range.n_finite, &range.vmin, &range.vmax, &range.sum))
    goto failed;
  rv_stats_plan (&range, n_bins, &plan);
  if (!rv_cuda_stats_bins (x, n, plan.lo, plan.hi, plan.scale, n_bins, plan.moments, plan.mean, counts, &ss, &dev))
    goto failed;
  rv_stats_finish (stats, &range, &plan, n_bins, counts, ss, dev);
  return;

failed:
  stats->counts = counts;
  stats->n_bins = n_bins;
  rv_stats_compute (stats, NULL, 0, n_bins);
}

static const RvBackend cuda_backend = {
  .name = "cuda",
  .host_memory = FALSE,
  .alloc = rv_cuda_alloc,
  .free = rv_cuda_free,
  .upload = rv_cuda_upload,
  .download = rv_cuda_download,
  .copy = rv_cuda_copy,
  .zero = rv_cuda_zero,
  .check = cuda_check,
  .gemm = rv_cuda_gemm,
  .bias_act_forward = rv_cuda_bias_act_forward,
  .bias_act_backward = rv_cuda_bias_act_backward,
  .softmax_xent = cuda_softmax_xent,
  .softmax_xent_store = rv_cuda_softmax_xent,
  .gather = rv_cuda_gather,
  .optim_update = rv_cuda_optim_update,
  .stats = cuda_stats,
};

/* Set up once: the device, then the pixel table every gather uses. */
static char *
init_once (void)
{
  char why[512];
  if (!rv_cuda_init (why, sizeof why))
    return g_strdup (why);
  float table[256];
  rv_dataset_norm_table (table);
  rv_cuda_set_norm_table (table);
  if (rv_cuda_take_error (why, sizeof why))
    return g_strdup (why);
  return NULL;
}

const RvBackend *
rv_backend_cuda (GError **error)
{
  static gsize done = 0;
  static char *init_error;

  if (g_once_init_enter (&done))
    {
      init_error = init_once ();
      g_once_init_leave (&done, 1);
    }
  if (init_error)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DEVICE, "no usable CUDA device (%s)", init_error);
      return NULL;
    }
  return &cuda_backend;
}
