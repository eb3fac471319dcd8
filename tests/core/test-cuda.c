/* test-cuda.c (suite cuda): every entry of the CUDA backend against the CPU
 * backend on random inputs — GEMM shapes, bias + activation forward and
 * backward for every activation, softmax cross-entropy, each optimizer over a
 * few steps, histograms, gather — then whole networks and a short training
 * run, which must match the CPU's within tolerances.  Exits 77 (skipped)
 * where there is no usable GPU. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv-backend.h"
#include "rv-cuda.h"
#include "rv-device.h"
#include "rv-error.h"
#include "rv-optim.h"
#include "rv-rng.h"
#include "rv-stats.h"
#include "rv-train.h"

static const RvBackend *cpu, *gpu;
static RvDataset *data;

/* Backend memory from host memory, and back. */
static void *
to_gpu (const void *host, size_t bytes)
{
  void *p = gpu->alloc (bytes);
  g_assert_nonnull (p);
  gpu->upload (p, host, bytes);
  return p;
}

static void
from_gpu (void *host, const void *dev, size_t bytes)
{
  gpu->download (host, dev, bytes);
  g_autoptr (GError) error = NULL;
  if (!gpu->check (&error))
    g_error ("%s", error->message);
}

static float *
random_floats (size_t n, uint64_t stream, float std)
{
  float *x = g_new (float, n);
  rv_rng_fill_normal (x, n, 2024, stream, 0.0f, std);
  return x;
}

/* got[i] within abs_tol + rel * |want[i]| of want[i] (NaN matches NaN). */
static void
assert_close (const char *what, const float *got, const float *want, size_t n, double rel, double abs_tol)
{
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (isnan (got[i]) && isnan (want[i]))
        continue;
      double d = fabs ((double) got[i] - want[i]);
      if (!(d <= abs_tol + rel * fabs (want[i])))
        {
          if (bad++ == 0)
            first = i;
        }
    }
  if (bad)
    g_error ("%s: %zu of %zu values differ; first [%zu]: GPU %.9g, CPU %.9g", what, bad, n, first,
             got[first], want[first]);
}

static size_t
count_equal (const float *a, const float *b, size_t n)
{
  size_t same = 0;
  for (size_t i = 0; i < n; i++)
    same += memcmp (&a[i], &b[i], sizeof (float)) == 0;
  return same;
}

static void
test_memory (void)
{
  g_assert_false (gpu->host_memory);
  const size_t n = 100000;
  g_autofree float *host = random_floats (n, 1, 1.0f), *back = g_new (float, n);
  float *a = gpu->alloc (n * sizeof (float)), *b = gpu->alloc (n * sizeof (float));
  from_gpu (back, a, n * sizeof (float));
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat (back[i], ==, 0.0f); /* zeroed */
  gpu->upload (a, host, n * sizeof (float));
  gpu->copy (b, a, n * sizeof (float));
  gpu->zero (b, 100 * sizeof (float));
  from_gpu (back, b, n * sizeof (float));
  g_assert_cmpfloat (back[99], ==, 0.0f);
  g_assert_cmpmem (back + 100, (n - 100) * sizeof (float), host + 100, (n - 100) * sizeof (float));
  gpu->free (a);
  gpu->free (b);
  g_assert_true (gpu->check (NULL));
}

static void
test_gemm (void)
{
  static const int shapes[][3] = { { 1, 1, 1 }, { 7, 5, 3 }, { 64, 33, 129 }, { 256, 512, 784 }, { 10, 128, 256 },
                                   { 512, 784, 256 }, { 3, 1000, 17 } };
  static const float coef[][2] = { { 1.0f, 0.0f }, { 0.5f, 1.5f } };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int ta = 0; ta < 2; ta++)
      for (int tb = 0; tb < 2; tb++)
        for (gsize c = 0; c < G_N_ELEMENTS (coef); c++)
          {
            const int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
            /* stored shapes and padded leading dimensions */
            const int a_rows = ta ? k : m, a_cols = ta ? m : k, lda = a_cols + 3;
            const int b_rows = tb ? n : k, b_cols = tb ? k : n, ldb = b_cols + 2;
            const int ldc = n + 1;
            const size_t a_n = (size_t) a_rows * lda, b_n = (size_t) b_rows * ldb, c_n = (size_t) m * ldc;
            g_autofree float *a = random_floats (a_n, 10 + s, 1.0f);
            g_autofree float *b = random_floats (b_n, 20 + s, 1.0f);
            g_autofree float *want = random_floats (c_n, 30 + s, 1.0f);
            g_autofree float *got = g_new (float, c_n);
            float *da = to_gpu (a, a_n * 4), *db = to_gpu (b, b_n * 4), *dc = to_gpu (want, c_n * 4);
            cpu->gemm (ta, tb, m, n, k, coef[c][0], a, lda, b, ldb, coef[c][1], want, ldc);
            gpu->gemm (ta, tb, m, n, k, coef[c][0], da, lda, db, ldb, coef[c][1], dc, ldc);
            from_gpu (got, dc, c_n * 4);
            g_autofree char *what = g_strdup_printf ("gemm %s%s m=%d n=%d k=%d alpha=%g beta=%g", ta ? "T" : "N",
                                                     tb ? "T" : "N", m, n, k, coef[c][0], coef[c][1]);
            /* sums of k products of N(0,1) values: errors grow like sqrt(k) */
            assert_close (what, got, want, c_n, 1e-5, 2e-6 * k);
            gpu->free (da);
            gpu->free (db);
            gpu->free (dc);
          }
}

static void
test_bias_act (void)
{
  enum { B = 300, N = 45 };
  const size_t total = (size_t) B * N;
  for (int act = 0; act < RV_ACT_COUNT; act++)
    {
      const char *name = rv_activation_name ((RvActivation) act);
      g_autofree float *z = random_floats (total, 40 + act, 2.0f);
      g_autofree float *bias = random_floats (N, 50 + act, 0.5f);
      g_autofree float *dy = random_floats (total, 60 + act, 1.0f);
      g_autofree float *dbias = random_floats (N, 70 + act, 0.1f);
      g_autofree float *got = g_new (float, total), *got_b = g_new (float, N);
      float *dz_gpu = to_gpu (z, total * 4), *dbias_gpu = to_gpu (bias, N * 4), *dy_gpu = to_gpu (dy, total * 4);
      float *y_gpu = gpu->alloc (total * 4), *dd_gpu = to_gpu (dbias, N * 4), *dzout_gpu = gpu->alloc (total * 4);
      g_autofree float *y = g_new (float, total), *dz = g_new (float, total);

      /* forward: z += b, y = f(z) */
      cpu->bias_act_forward ((RvActivation) act, z, y, bias, B, N);
      gpu->bias_act_forward ((RvActivation) act, dz_gpu, y_gpu, dbias_gpu, B, N);
      from_gpu (got, dz_gpu, total * 4);
      g_autofree char *wz = g_strdup_printf ("%s forward z", name);
      assert_close (wz, got, z, total, 0.0, 0.0); /* one addition: exact */
      from_gpu (got, y_gpu, total * 4);
      g_autofree char *wy = g_strdup_printf ("%s forward y", name);
      assert_close (wy, got, y, total, 4e-6, 1e-6); /* device expf, tanhf, erff: a few ulp */
      g_test_message ("%s: forward %zu of %zu values bit-identical", name, count_equal (got, y, total), total);

      /* forward without y (the output layer) */
      g_autofree float *z2 = g_memdup2 (z, total * 4);
      cpu->bias_act_forward ((RvActivation) act, z2, NULL, bias, B, N);
      gpu->bias_act_forward ((RvActivation) act, dz_gpu, NULL, dbias_gpu, B, N);
      from_gpu (got, dz_gpu, total * 4);
      assert_close (wz, got, z2, total, 0.0, 0.0);

      /* backward into a separate dz, then in place (dz = dy) */
      cpu->bias_act_backward ((RvActivation) act, z, dy, dz, dbias, B, N);
      gpu->upload (dz_gpu, z, total * 4);
      gpu->bias_act_backward ((RvActivation) act, dz_gpu, dy_gpu, dzout_gpu, dd_gpu, B, N);
      from_gpu (got, dzout_gpu, total * 4);
      g_autofree char *wd = g_strdup_printf ("%s backward dz", name);
      assert_close (wd, got, dz, total, 4e-6, 1e-6);
      from_gpu (got_b, dd_gpu, N * 4);
      g_autofree char *wb = g_strdup_printf ("%s backward dbias", name);
      assert_close (wb, got_b, dbias, N, 1e-5, 1e-4); /* sums of 300 rows in another order */

      g_autofree float *dz2 = g_memdup2 (dy, total * 4);
      cpu->bias_act_backward ((RvActivation) act, z, dz2, dz2, dbias, B, N);
      gpu->bias_act_backward ((RvActivation) act, dz_gpu, dy_gpu, dy_gpu, dd_gpu, B, N);
      from_gpu (got, dy_gpu, total * 4);
      g_autofree char *wa = g_strdup_printf ("%s backward in place", name);
      assert_close (wa, got, dz2, total, 4e-6, 1e-6);
      from_gpu (got_b, dd_gpu, N * 4);
      assert_close (wb, got_b, dbias, N, 1e-5, 2e-4);

      gpu->free (dz_gpu);
      gpu->free (dbias_gpu);
      gpu->free (dy_gpu);
      gpu->free (y_gpu);
      gpu->free (dd_gpu);
      gpu->free (dzout_gpu);
    }
}

static void
test_softmax_xent (void)
{
  static const int batches[] = { 1, 64, 256, 300, 1024 };
  enum { C = 10 };
  for (gsize i = 0; i < G_N_ELEMENTS (batches); i++)
    {
      const int B = batches[i];
      g_autofree float *logits = random_floats ((size_t) B * C, 80 + i, 3.0f);
      g_autofree uint8_t *labels = g_new (uint8_t, B);
      for (int r = 0; r < B; r++)
        labels[r] = (uint8_t) (rv_rng_u32 (9, i, r) % C);
      g_autofree float *d = g_new (float, (size_t) B * C), *got = g_new (float, (size_t) B * C);
      int hits = 0;
      double loss = cpu->softmax_xent (logits, labels, B, C, d, &hits);

      float *dl = to_gpu (logits, (size_t) B * C * 4), *dd = gpu->alloc ((size_t) B * C * 4);
      uint8_t *dlab = to_gpu (labels, B);
      double *dloss = gpu->alloc (sizeof (double));
      int32_t *dhits = gpu->alloc (sizeof (int32_t));
      gpu->softmax_xent_store (dl, dlab, B, C, dd, dloss, dhits);
      double got_loss = 0.0;
      int32_t got_hits = -1;
      from_gpu (&got_loss, dloss, sizeof got_loss);
      from_gpu (&got_hits, dhits, sizeof got_hits);
      from_gpu (got, dd, (size_t) B * C * 4);
      g_assert_cmpint (got_hits, ==, hits);
      g_assert_cmpfloat (fabs (got_loss - loss), <=, 1e-12 * fabs (loss) + 1e-15);
      assert_close ("dlogits", got, d, (size_t) B * C, 1e-6, 1e-9);

      /* the waiting form, without dlogits */
      int hits2 = -1;
      double loss2 = gpu->softmax_xent (dl, dlab, B, C, NULL, &hits2);
      g_assert_cmpint (hits2, ==, hits);
      g_assert_cmpfloat (fabs (loss2 - loss), <=, 1e-12 * fabs (loss) + 1e-15);

      gpu->free (dl);
      gpu->free (dd);
      gpu->free (dlab);
      gpu->free (dloss);
      gpu->free (dhits);
    }
}

static void
test_gather (void)
{
  const RvImageSet *set = data->train_full;
  enum { N = 300 };
  const size_t bytes = (size_t) N * RV_IMAGE_PIXELS * 4;
  uint8_t *pixels = to_gpu (set->pixels, (size_t) set->n * RV_IMAGE_PIXELS);
  uint8_t *labels = to_gpu (set->labels, set->n);
  uint32_t *index = to_gpu (data->train_index, (size_t) data->n_train * 4);
  float *x = gpu->alloc (bytes);
  uint8_t *lab = gpu->alloc (N);
  g_autofree float *want = g_malloc (bytes), *got = g_malloc (bytes);
  uint8_t want_labels[N], got_labels[N];

  /* rows from an index array (as training does), and rows first.. (as evaluation does) */
  cpu->gather (set->pixels, set->labels, set->n, data->train_index + 17, 0, N, want, want_labels);
  gpu->gather (pixels, labels, set->n, index + 17, 0, N, x, lab);
  from_gpu (got, x, bytes);
  from_gpu (got_labels, lab, N);
  g_assert_cmpmem (got, bytes, want, bytes); /* the same table: bit-identical */
  g_assert_cmpmem (got_labels, N, want_labels, N);
  cpu->gather (set->pixels, set->labels, set->n, NULL, 1000, N, want, want_labels);
  gpu->gather (pixels, labels, set->n, NULL, 1000, N, x, lab);
  from_gpu (got, x, bytes);
  from_gpu (got_labels, lab, N);
  g_assert_cmpmem (got, bytes, want, bytes);
  g_assert_cmpmem (got_labels, N, want_labels, N);

  gpu->free (pixels);
  gpu->free (labels);
  gpu->free (index);
  gpu->free (x);
  gpu->free (lab);
}

/* Each optimizer, with and without clipping, for a few steps over an odd-sized
 * flat buffer: parameters, clipped gradients and state agree with the CPU. */
static void
test_optimizers (void)
{
  const size_t n = 100003;
  enum { STEPS = 5 };
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    for (int clip = 0; clip < 2; clip++)
      {
        RvOptimConfig c;
        rv_optim_config_init (&c, (RvOptimKind) k);
        c.lr = 0.01;
        c.clip_norm = clip ? 1.0 : 0.0; /* the gradients' norm is ~30: clipping acts */
        g_autoptr (RvOptimizer) oc = rv_optimizer_new (&c, n, NULL);
        g_autoptr (RvOptimizer) og = rv_optimizer_new_for_backend (&c, n, gpu, NULL);
        g_autofree float *w = random_floats (n, 100 + k, 1.0f), *got = g_new (float, n);
        float *dw = to_gpu (w, n * 4), *dg = gpu->alloc (n * 4);
        for (int t = 0; t < STEPS; t++)
          {
            g_autofree float *g = random_floats (n, 200 + 10 * k + t, 0.1f);
            gpu->upload (dg, g, n * 4);
            rv_optimizer_step (oc, w, g);
            rv_optimizer_step (og, dw, dg);
            const char *name = rv_optim_kind_name ((RvOptimKind) k);
            g_autofree char *what = g_strdup_printf ("%s%s step %d", name, clip ? " (clipped)" : "", t + 1);
            from_gpu (got, dg, n * 4);
            assert_close (what, got, g, n, clip ? 1e-6 : 0.0, 0.0);
            from_gpu (got, dw, n * 4);
            assert_close (what, got, w, n, 1e-6, 1e-7);
            if (t == STEPS - 1)
              g_test_message ("%s: %zu of %zu parameters bit-identical after %d steps", what,
                              count_equal (got, w, n), n, STEPS);
            for (guint s = 0; s < rv_optimizer_get_n_states (oc); s++)
              {
                from_gpu (got, rv_optimizer_get_state (og, s), n * 4);
                assert_close (what, got, rv_optimizer_get_state (oc, s), n, 1e-6, 1e-9);
              }
          }
        gpu->free (dw);
        gpu->free (dg);
      }
}

static void
assert_same_stats (const char *what, const RvStats *got, const RvStats *want)
{
  g_test_message ("%s: n %" G_GUINT64_FORMAT ", mean %g / %g, variance %g / %g", what, got->n, got->mean,
                  want->mean, got->variance, want->variance);
  g_assert_cmpuint (got->n, ==, want->n);
  g_assert_cmpuint (got->n_bins, ==, want->n_bins);
  g_assert_cmpfloat (got->min, ==, want->min);
  g_assert_cmpfloat (got->max, ==, want->max);
  g_assert_cmpfloat (got->lo, ==, want->lo);
  g_assert_cmpfloat (got->hi, ==, want->hi);
  if (isnan (want->mean))
    g_assert_true (isnan (got->mean));
  else
    g_assert_cmpfloat (fabs (got->mean - want->mean), <=, 1e-12 * (fabs (want->mean) + sqrt (want->variance)) + 1e-300);
  if (isnan (want->variance))
    g_assert_true (isnan (got->variance));
  else
    g_assert_cmpfloat (fabs (got->variance - want->variance), <=, 1e-9 * want->variance + 1e-300);
  for (uint32_t b = 0; b < want->n_bins; b++)
    if (got->counts[b] != want->counts[b])
      g_error ("%s: bin %u holds %" G_GUINT64_FORMAT " on the GPU, %" G_GUINT64_FORMAT " on the CPU", what, b,
               got->counts[b], want->counts[b]);
}

static void
test_stats (void)
{
  const size_t n = 300007;
  g_autofree float *x = random_floats (n, 300, 0.05f);
  /* a few non-finite values, and integers (values on bin edges) */
  g_autofree float *bad = g_memdup2 (x, n * 4);
  bad[5] = NAN;
  bad[77] = INFINITY;
  bad[n - 1] = -INFINITY;
  g_autofree float *ints = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    ints[i] = (float) (rv_rng_u32 (3, 3, i) % 101);
  float constant[1000];
  for (int i = 0; i < 1000; i++)
    constant[i] = 0.25f;
  float nans[3] = { NAN, NAN, INFINITY };

  struct {
    const char *what;
    const float *x;
    size_t n;
    uint32_t bins;
  } cases[] = {
    { "normal, 50 bins", x, n, 50 },
    { "normal, 1 bin", x, n, 1 },
    { "normal, 6000 bins (global counts)", x, n, 6000 },
    { "with NaN and infinities", bad, n, 50 },
    { "integers 0..100 in 50 bins", ints, n, 50 },
    { "constant", constant, 1000, 50 },
    { "one value", x, 1, 10 },
    { "nothing finite", nans, 3, 10 },
    { "empty", x, 0, 50 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RvStats got = { 0 }, want = { 0 };
      float *dx = to_gpu (cases[i].x, MAX (cases[i].n, 1) * 4);
      cpu->stats (&want, cases[i].x, cases[i].n, cases[i].bins);
      gpu->stats (&got, dx, cases[i].n, cases[i].bins);
      g_assert_true (gpu->check (NULL));
      assert_same_stats (cases[i].what, &got, &want);
      /* again into the same struct (its counts reused) */
      gpu->stats (&got, dx, cases[i].n, cases[i].bins);
      assert_same_stats (cases[i].what, &got, &want);
      rv_stats_clear (&got);
      rv_stats_clear (&want);
      gpu->free (dx);
    }
}

/* ||got - want|| / ||want|| of n values, in double. */
static double
relative_norm (const float *got, const float *want, size_t n)
{
  double d = 0.0, w = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      d += ((double) got[i] - want[i]) * ((double) got[i] - want[i]);
      w += (double) want[i] * want[i];
    }
  return w > 0.0 ? sqrt (d / w) : sqrt (d);
}

/* Each layer's weight and bias gradients from the GPU against the CPU's, as
 * ||g_gpu - g_cpu|| / ||g_cpu|| per tensor (elementwise comparisons break on
 * one ReLU whose pre-activation, ~1e-6, changes sign between the two).
 * The bound: a GEMM of inner size k rounds each sum of random-sign products
 * to about sqrt(k) u relative (u = 2^-24), a few times that at worst; a
 * layer's gradient passes through at most 2 L such products (the forward
 * pass up, the backward pass down), so 16 * 2 L sqrt(k_max) u covers the
 * rounding; a sign flip of one (sample, unit) pair moves one of the
 * batch * fan_out comparable terms of a layer's gradient, and two of them
 * are allowed: 2 / sqrt(batch * fan_out).  A wrong layout or a missing term
 * is off by O(1). */
static void
assert_layer_grads (const char *what, const RvNet *hn, const float *grads, int batch)
{
  const uint32_t L = hn->cfg.n_linear;
  uint32_t k_max = 1;
  for (uint32_t l = 0; l < L; l++)
    k_max = MAX (k_max, MAX (rv_net_fan_in (hn, l), rv_net_fan_out (hn, l)));
  k_max = MAX (k_max, (uint32_t) batch); /* the weight gradients sum over the batch */
  const double rounding = 16.0 * 2 * L * sqrt ((double) k_max) * (FLT_EPSILON / 2);
  for (uint32_t l = 0; l < L; l++)
    {
      const uint32_t in = rv_net_fan_in (hn, l), out = rv_net_fan_out (hn, l);
      const double tol = rounding + 2.0 / sqrt ((double) batch * out);
      double rw = relative_norm (grads + hn->w_off[l], hn->grads + hn->w_off[l], (size_t) in * out);
      double rb = relative_norm (grads + hn->b_off[l], hn->grads + hn->b_off[l], out);
      g_test_message ("%s: layer %u gradients: weights %.3g, biases %.3g relative (bound %.3g)", what, l, rw, rb,
                      tol);
      if (!(rw <= tol && rb <= tol))
        g_error ("%s: layer %u: the GPU's gradients differ from the CPU's by %.3g (weights) and %.3g (biases) "
                 "relative, more than %.3g", what, l, rw, rb, tol);
    }
}

/* A whole forward and backward pass: the same network, the same batch. */
static void
test_net (void)
{
  static const uint32_t hidden[] = { 512, 256, 128 };
  for (int act = 0; act < RV_ACT_COUNT; act++)
    {
      RvNetConfig cfg;
      rv_net_config_init (&cfg, (RvActivation) act, hidden, G_N_ELEMENTS (hidden));
      g_autoptr (RvNet) hn = rv_net_new (&cfg, cpu);
      g_autoptr (RvNet) dn = rv_net_new (&cfg, gpu);
      RvInit init = { .kind = RV_INIT_XAVIER };
      g_assert_true (rv_init_apply (hn, &init, 5, NULL, 0, NULL));
      gpu->upload (dn->params, hn->params, hn->n_params * 4);

      enum { B = 200 };
      g_autofree float *x = g_new (float, (size_t) B * RV_INPUT_SIZE);
      uint8_t labels[B];
      rv_dataset_gather (data->train_full, data->train_index, B, x, labels);
      float *dx = to_gpu (x, (size_t) B * RV_INPUT_SIZE * 4);
      uint8_t *dl = to_gpu (labels, B);
      int hits = 0, dhits = 0;
      rv_net_zero_grad (hn);
      rv_net_zero_grad (dn);
      double loss = rv_net_loss (hn, x, labels, B, TRUE, &hits);
      double dloss = rv_net_loss (dn, dx, dl, B, TRUE, &dhits);
      g_test_message ("%s: loss %.9f (CPU) %.9f (GPU)", rv_activation_name ((RvActivation) act), loss, dloss);
      g_assert_cmpfloat (fabs (dloss - loss), <=, 1e-5 * loss);
      g_assert_cmpint (abs (dhits - hits), <=, 2); /* a near tie may flip */
      g_autofree float *grads = g_new (float, hn->n_params);
      from_gpu (grads, dn->grads, hn->n_params * 4);
      assert_layer_grads (rv_activation_name ((RvActivation) act), hn, grads, B);

      /* per-layer stats where the tensors live: weights are identical */
      for (uint32_t l = 0; l < cfg.n_linear; l++)
        {
          RvStats got = { 0 }, want = { 0 };
          rv_net_tensor_stats (dn, RV_NET_WEIGHT, l, 50, &got);
          rv_net_tensor_stats (hn, RV_NET_WEIGHT, l, 50, &want);
          assert_same_stats ("weights", &got, &want);
          rv_stats_clear (&got);
          rv_stats_clear (&want);
        }
      gpu->free (dx);
      gpu->free (dl);
    }
}

typedef struct {
  RvTrainer *trainer;
  int cancel_at_step;
  int steps_seen;
} Watch;

static void
watch (const RvTrainEvent *ev, gpointer user_data)
{
  Watch *w = user_data;
  if (ev->kind == RV_TRAIN_EVENT_STEP)
    w->steps_seen++;
  if (w->cancel_at_step && ev->step == (uint64_t) w->cancel_at_step)
    rv_trainer_cancel (w->trainer);
}

static void
train_config (RvTrainConfig *cfg, RvOptimKind kind, double lr)
{
  static const uint32_t hidden[] = { 128, 64 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
  rv_optim_config_init (&cfg->optim, kind);
  cfg->optim.lr = lr;
  cfg->epochs = 2;
  cfg->batch_size = 64;
  cfg->report_every = 10;
}

/* A short run on the GPU matches the CPU's: the same initial weights bit for
 * bit, the first losses nearly equal, the accuracies within a point or two. */
static void
test_training (gconstpointer user_data)
{
  RvOptimKind kind = GPOINTER_TO_INT (user_data);
  RvTrainConfig cfg;
  train_config (&cfg, kind, kind == RV_OPTIM_ADAM ? 1e-3 : 0.05);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) tc = rv_trainer_new (&cfg, data, &error);
  g_autoptr (RvTrainer) tg = rv_trainer_new_for_backend (&cfg, data, gpu, &error);
  g_assert_no_error (error);

  RvNet *hn = rv_trainer_get_best_net (tg);
  g_autofree float *initial = rv_trainer_dup_params (tg, NULL);
  g_autofree float *initial_cpu = rv_trainer_dup_params (tc, NULL);
  g_assert_cmpmem (initial, hn->n_params * 4, initial_cpu, hn->n_params * 4);

  /* device-side per-layer histograms of the initial weights equal the CPU's */
  RvStats got = { 0 }, want = { 0 };
  rv_trainer_layer_stats (tg, RV_NET_WEIGHT, 0, 50, &got);
  rv_trainer_layer_stats (tc, RV_NET_WEIGHT, 0, 50, &want);
  assert_same_stats ("initial weights", &got, &want);
  rv_stats_clear (&got);
  rv_stats_clear (&want);

  Watch w = { .trainer = tg };
  g_autoptr (GTimer) timer = g_timer_new ();
  g_assert_true (rv_trainer_run (tc, NULL, NULL, &error));
  double cpu_s = g_timer_elapsed (timer, NULL);
  g_timer_start (timer);
  g_assert_true (rv_trainer_run (tg, watch, &w, &error));
  double gpu_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);

  const RvTrainResults *rc = rv_trainer_get_results (tc), *rg = rv_trainer_get_results (tg);
  g_assert_cmpuint (rg->train_losses->len, ==, rc->train_losses->len);
  for (guint i = 0; i < 5; i++)
    {
      float a = g_array_index (rc->train_losses, float, i), b = g_array_index (rg->train_losses, float, i);
      g_assert_cmpfloat (fabsf (a - b), <=, 1e-3f * a);
    }
  double cv = g_array_index (rc->val_scores, double, 1), gv = g_array_index (rg->val_scores, double, 1);
  g_test_message ("%s: CPU val %.4f test %.4f (%.2f s); GPU val %.4f test %.4f (%.2f s)",
                  rv_optim_kind_name (kind), cv, rc->test_acc, cpu_s, gv, rg->test_acc, gpu_s);
  g_assert_cmpfloat (fabs (cv - gv), <=, 0.02);
  g_assert_cmpfloat (fabs (rc->test_acc - rg->test_acc), <=, 0.02);
  g_assert_cmpfloat (rg->test_acc, >, 0.5);
  /* a step event every report_every steps and at each epoch's end */
  const uint32_t steps = rv_batch_count (data->n_train, cfg.batch_size, TRUE);
  int events = 0;
  for (uint64_t step = 1; step <= (uint64_t) steps * cfg.epochs; step++)
    events += step % cfg.report_every == 0 || step % steps == 0;
  g_assert_cmpint (w.steps_seen, ==, events);

  /* the host network got the best parameters back, and they score as reported */
  g_assert_true (memcmp (initial, hn->params, hn->n_params * 4) != 0);
  g_autoptr (RvNet) check = rv_net_new (&cfg.net, cpu);
  memcpy (check->params, hn->params, hn->n_params * 4);
  g_autofree float *x = g_new (float, (size_t) data->test->n * RV_INPUT_SIZE);
  g_autofree uint8_t *labels = g_new (uint8_t, data->test->n);
  g_autofree uint32_t *all = g_new (uint32_t, data->test->n);
  for (uint32_t i = 0; i < data->test->n; i++)
    all[i] = i;
  rv_dataset_gather (data->test, all, data->test->n, x, labels);
  int hits = 0;
  rv_net_loss (check, x, labels, data->test->n, FALSE, &hits);
  g_assert_cmpfloat (fabs ((double) hits / data->test->n - rg->test_acc), <=, 0.005);

  /* evaluating an image set the trainer has not seen */
  g_autoptr (RvImageSet) copy = g_new0 (RvImageSet, 1);
  copy->n = 500;
  copy->pixels = g_memdup2 (data->test->pixels, 500 * RV_IMAGE_PIXELS);
  copy->labels = g_memdup2 (data->test->labels, 500);
  double a = rv_trainer_evaluate (tg, copy, NULL, 500), b = rv_trainer_evaluate (tg, data->test, all, 500);
  g_assert_cmpfloat (a, ==, b);
}

static void
test_divergence_and_cancel (void)
{
  RvTrainConfig cfg;
  train_config (&cfg, RV_OPTIM_SGD, 1e6);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) t = rv_trainer_new_for_backend (&cfg, data, gpu, &error);
  g_assert_false (rv_trainer_run (t, NULL, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DIVERGED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  train_config (&cfg, RV_OPTIM_SGD, 0.05);
  cfg.report_every = 5;
  g_autoptr (RvTrainer) u = rv_trainer_new_for_backend (&cfg, data, gpu, &error);
  Watch w = { .trainer = u, .cancel_at_step = 10 };
  g_assert_false (rv_trainer_run (u, watch, &w, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CANCELLED);
  g_assert_cmpuint (rv_trainer_get_results (u)->train_losses->len, ==, 10);
}

/* A clipped Adam step and a histogram, once with the memory pools and once
 * after cudaMallocAsync was refused: the fallback to cudaMalloc gives the
 * same bits and no error. */
static void
clipped_step_and_stats (float *out, size_t n, RvStats *stats)
{
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAM);
  c.clip_norm = 1.0;
  g_autoptr (RvOptimizer) o = rv_optimizer_new_for_backend (&c, n, gpu, NULL);
  g_autofree float *w = random_floats (n, 300, 1.0f), *g = random_floats (n, 301, 0.1f);
  float *dw = to_gpu (w, n * 4), *dg = to_gpu (g, n * 4);
  rv_optimizer_step (o, dw, dg);
  gpu->stats (stats, dw, n, 40);
  from_gpu (out, dw, n * 4);
  gpu->free (dw);
  gpu->free (dg);
}

static void
test_scratch_fallback (void)
{
  const size_t n = 50001;
  g_autofree float *pooled = g_new (float, n), *plain = g_new (float, n);
  RvStats a = { 0 }, b = { 0 };
  clipped_step_and_stats (pooled, n, &a);
  g_test_message ("scratch memory from pools: %s", rv_cuda_async_alloc_in_use () ? "yes" : "no");
  rv_cuda_test_refuse_async_alloc ();
  clipped_step_and_stats (plain, n, &b);
  g_assert_false (rv_cuda_async_alloc_in_use ());
  g_assert_true (gpu->check (NULL));
  g_assert_cmpmem (plain, n * 4, pooled, n * 4);
  assert_same_stats ("after the fallback", &b, &a);
  rv_stats_clear (&a);
  rv_stats_clear (&b);
}

/* Two trainers on two threads at once, each with its own stream and error
 * state: a failure this thread leaves unreported is not theirs, and theirs
 * run as one run alone does (no float atomics: bit for bit). */
typedef struct {
  RvTrainConfig cfg;
  double test_acc;
  GArray *losses;
  GError *error;
} ThreadRun;

static gpointer
thread_run (gpointer user_data)
{
  ThreadRun *r = user_data;
  g_autoptr (RvTrainer) t = rv_trainer_new_for_backend (&r->cfg, data, gpu, &r->error);
  if (t && rv_trainer_run (t, NULL, NULL, &r->error))
    {
      r->test_acc = rv_trainer_get_results (t)->test_acc;
      r->losses = g_array_copy (rv_trainer_get_results (t)->train_losses);
    }
  return NULL;
}

static void
test_threads (void)
{
  ThreadRun alone, runs[2];
  memset (&alone, 0, sizeof alone);
  memset (runs, 0, sizeof runs);
  train_config (&alone.cfg, RV_OPTIM_ADAM, 1e-3);
  alone.cfg.epochs = 1;
  thread_run (&alone);
  g_assert_no_error (alone.error);

  /* a failure of this thread, not yet checked */
  g_assert_null (gpu->alloc ((size_t) 1 << 60));

  GThread *threads[2];
  for (int i = 0; i < 2; i++)
    {
      runs[i].cfg = alone.cfg;
      threads[i] = g_thread_new ("cuda-run", thread_run, &runs[i]);
    }
  for (int i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (runs[i].error);
      g_assert_cmpfloat (runs[i].test_acc, ==, alone.test_acc);
      g_assert_cmpmem (runs[i].losses->data, runs[i].losses->len * 4, alone.losses->data, alone.losses->len * 4);
      g_array_unref (runs[i].losses);
    }
  g_array_unref (alone.losses);

  /* ... and this thread still has it */
  g_autoptr (GError) error = NULL;
  g_assert_false (gpu->check (&error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DEVICE);
  g_test_message ("this thread's own failure: %s", error->message);
  g_assert_true (gpu->check (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  gpu = rv_device_backend (RV_DEVICE_CUDA, NULL, &error);
  if (gpu == NULL)
    {
      printf ("1..0 # SKIP %s\n", error->message);
      return 77;
    }
  cpu = rv_backend_cpu ();
  g_autofree char *what = rv_device_describe (gpu);
  g_test_message ("GPU: %s", what);
  data = rv_dataset_new_synthetic (6000, 1000, 42);

  g_test_add_func ("/cuda/memory", test_memory);
  g_test_add_func ("/cuda/gemm", test_gemm);
  g_test_add_func ("/cuda/bias-act", test_bias_act);
  g_test_add_func ("/cuda/softmax-xent", test_softmax_xent);
  g_test_add_func ("/cuda/gather", test_gather);
  g_test_add_func ("/cuda/optimizers", test_optimizers);
  g_test_add_func ("/cuda/stats", test_stats);
  g_test_add_func ("/cuda/net", test_net);
  g_test_add_data_func ("/cuda/training/adam", GINT_TO_POINTER (RV_OPTIM_ADAM), test_training);
  g_test_add_data_func ("/cuda/training/momentum", GINT_TO_POINTER (RV_OPTIM_MOMENTUM), test_training);
  g_test_add_func ("/cuda/training/divergence-and-cancel", test_divergence_and_cancel);
  g_test_add_func ("/cuda/scratch-fallback", test_scratch_fallback);
  g_test_add_func ("/cuda/threads", test_threads);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
