/* test-backend.c: the backend table's memory and whole-step entries on the
 * CPU backend (each against the core function it must equal), the network's
 * and the trainer's use of them, and choosing a device.  The CUDA table is
 * compared with this one in test-cuda.c. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "rv-backend.h"
#include "rv-config.h"
#include "rv-device.h"
#include "rv-error.h"
#include "rv-hot-loop.h"
#include "rv-optim.h"
#include "rv-rng.h"
#include "rv-stats.h"
#include "rv-train.h"

static RvDataset *data;

static void
test_memory (void)
{
  const RvBackend *be = rv_backend_cpu ();
  g_assert_true (be->host_memory);
  g_assert_cmpstr (be->name, ==, "cpu");

  const size_t n = 1000;
  float *a = be->alloc (n * sizeof (float));
  float *b = be->alloc (n * sizeof (float));
  g_assert_nonnull (a);
  g_assert_cmpuint ((uintptr_t) a % 64, ==, 0);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat (a[i], ==, 0.0f); /* zeroed */

  g_autofree float *host = g_new (float, n);
  g_autofree float *back = g_new0 (float, n);
  rv_rng_fill_normal (host, n, 1, 0, 0.0f, 1.0f);
  be->upload (a, host, n * sizeof (float));
  be->copy (b, a, n * sizeof (float));
  be->download (back, b, n * sizeof (float));
  g_assert_cmpmem (back, n * sizeof (float), host, n * sizeof (float));
  be->zero (b, 10 * sizeof (float));
  g_assert_cmpfloat (b[9], ==, 0.0f);
  g_assert_cmpfloat (b[10], ==, host[10]);
  be->upload (a, host, 0); /* nothing to copy is fine */
  g_assert_true (be->check (NULL));
  be->free (a);
  be->free (b);
}

static void
test_xent_store (void)
{
  const RvBackend *be = rv_backend_cpu ();
  enum { B = 37, C = 10 };
  float logits[B * C], d1[B * C], d2[B * C];
  uint8_t labels[B];
  rv_rng_fill_normal (logits, B * C, 2, 0, 0.0f, 3.0f);
  for (int r = 0; r < B; r++)
    labels[r] = (uint8_t) (rv_rng_u32 (2, 1, r) % C);

  int hits = -1;
  double loss = be->softmax_xent (logits, labels, B, C, d1, &hits);
  double stored = 0.0;
  int32_t stored_hits = -1;
  be->softmax_xent_store (logits, labels, B, C, d2, &stored, &stored_hits);
  g_assert_cmpfloat (stored, ==, loss);
  g_assert_cmpint (stored_hits, ==, hits);
  g_assert_cmpmem (d1, sizeof d1, d2, sizeof d2);

  /* and it is still cross-entropy: row 0 by hand */
  double sum = 0.0;
  for (int c = 0; c < C; c++)
    sum += exp (logits[c]);
  double row0 = log (sum) - logits[labels[0]];
  be->softmax_xent_store (logits, labels, 1, C, NULL, &stored, &stored_hits);
  g_assert_cmpfloat (fabs (stored - row0), <, 1e-9);
}

static void
test_gather (void)
{
  const RvBackend *be = rv_backend_cpu ();
  const RvImageSet *set = data->train_full;
  enum { N = 40 };
  const size_t bytes = (size_t) N * RV_IMAGE_PIXELS * sizeof (float);
  g_autofree float *want = g_malloc (bytes), *got = g_malloc (bytes);
  uint8_t want_labels[N], got_labels[N];

  rv_dataset_gather (set, data->val_index + 3, N, want, want_labels);
  be->gather (set->pixels, set->labels, set->n, data->val_index + 3, 0, N, got, got_labels);
  g_assert_cmpmem (got, bytes, want, bytes);
  g_assert_cmpmem (got_labels, N, want_labels, N);

  /* no indices: rows first .. first + N - 1 */
  uint32_t rows[N];
  for (uint32_t i = 0; i < N; i++)
    rows[i] = 100 + i;
  rv_dataset_gather (set, rows, N, want, want_labels);
  be->gather (set->pixels, set->labels, set->n, NULL, 100, N, got, got_labels);
  g_assert_cmpmem (got, bytes, want, bytes);
  g_assert_cmpmem (got_labels, N, want_labels, N);

  /* the table is the tutorial's normalization */
  float table[256];
  rv_dataset_norm_table (table);
  g_assert_cmpfloat (fabsf (table[0] - (-0.2861f / 0.3530f)), <, 1e-6f);
  g_assert_cmpfloat (fabsf (table[255] - (1.0f - 0.2861f) / 0.3530f), <, 1e-6f);
}

/* The backend's GEMM clears C itself for beta 0 and asks OpenBLAS for
 * beta 1: C's old contents (NaN here) must not leak in, columns past n in a
 * wider C (ldc > n) must stay as they were, and the products must be
 * OpenBLAS's own for beta 0, in every transpose. */
static void
test_gemm_beta_zero (void)
{
  const RvBackend *be = rv_backend_cpu ();
  enum { M = 37, N = 29, K = 53, LDC = N + 3 };
  float a[M * K], b[K * N], got[M * LDC], want[M * LDC];
  rv_rng_fill_normal (a, M * K, 21, 0, 0.0f, 1.0f);
  rv_rng_fill_normal (b, K * N, 21, 1, 0.0f, 1.0f);
  for (int t = 0; t < 4; t++)
    {
      const gboolean ta = t & 1, tb = t >> 1;
      const int lda = ta ? M : K, ldb = tb ? K : N;
      for (int i = 0; i < M * LDC; i++)
        got[i] = want[i] = NAN;
      be->gemm (ta, tb, M, N, K, 0.5f, a, lda, b, ldb, 0.0f, got, LDC);
      cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K,
                   0.5f, a, lda, b, ldb, 0.0f, want, LDC);
      for (int r = 0; r < M; r++)
        for (int c = 0; c < LDC; c++)
          {
            const float g = got[r * LDC + c], w = want[r * LDC + c];
            if (c < N)
              g_assert_cmpfloat (g, ==, w);
            else
              g_assert_true (isnan (g));
          }
    }
}

/* Gather computes each pixel's value rather than looking it up; both
 * copies must give exactly the table's value for every byte (the CUDA
 * backend gathers through the table), from shuffled rows, with the rows'
 * labels. */
static void
test_gather_table (void)
{
  enum { ROWS = 40, COUNT = 29 };
  g_autofree uint8_t *pixels = g_new (uint8_t, (size_t) ROWS * RV_IMAGE_PIXELS);
  uint8_t labels[ROWS];
  for (size_t i = 0; i < (size_t) ROWS * RV_IMAGE_PIXELS; i++)
    pixels[i] = (uint8_t) (i * 37 + i / 256); /* every byte value */
  for (uint32_t r = 0; r < ROWS; r++)
    labels[r] = (uint8_t) (r % 10);
  uint32_t perm[ROWS], rows[COUNT];
  rv_rng_permutation (perm, ROWS, 5, 6);
  for (uint32_t i = 0; i < COUNT; i++)
    rows[i] = perm[i];
  float table[256];
  rv_dataset_norm_table (table);

  typedef void (*Gather) (const uint8_t *, const uint8_t *, uint32_t, const uint32_t *, uint32_t, uint32_t,
                          float *, uint8_t *);
  const Gather copies[] = { rv_dataset_gather_rows_baseline, rv_dataset_gather_rows_avx2 };
  for (gsize c = 0; c < G_N_ELEMENTS (copies); c++)
    {
      if (c == 1 && !rv_hot_loop_use_avx2 ())
        continue;
      g_autofree float *got = g_new (float, (size_t) COUNT * RV_IMAGE_PIXELS);
      uint8_t got_labels[COUNT];
      copies[c] (pixels, labels, ROWS, rows, 0, COUNT, got, got_labels);
      for (uint32_t i = 0; i < COUNT; i++)
        {
          g_assert_cmpuint (got_labels[i], ==, labels[rows[i]]);
          for (int p = 0; p < RV_IMAGE_PIXELS; p++)
            {
              const uint8_t byte = pixels[(size_t) rows[i] * RV_IMAGE_PIXELS + p];
              const float want = table[byte], have = got[(size_t) i * RV_IMAGE_PIXELS + p];
              g_assert_cmpmem (&have, sizeof have, &want, sizeof want);
            }
        }
    }
}

/* rv_optimizer_step (through the backend table) equals rv_optim_update run
 * by hand with rv_optim_scalars, for every kind, with and without clipping. */
static void
test_optim_update (void)
{
  const RvBackend *be = rv_backend_cpu ();
  enum { N = 333, STEPS = 4 };
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    for (int clip = 0; clip < 2; clip++)
      {
        RvOptimConfig c;
        rv_optim_config_init (&c, (RvOptimKind) k);
        c.lr = 0.03;
        c.clip_norm = clip ? 0.5 : 0.0;
        g_autoptr (RvOptimizer) opt = rv_optimizer_new_for_backend (&c, N, be, NULL);
        g_assert_nonnull (opt);
        float w1[N], w2[N], g1[N], g2[N], m[N] = { 0 }, v[N] = { 0 };
        rv_rng_fill_normal (w1, N, 3, k, 0.0f, 1.0f);
        memcpy (w2, w1, sizeof w1);
        for (int t = 1; t <= STEPS; t++)
          {
            rv_rng_fill_normal (g1, N, 4, (uint64_t) (k * 100 + t), 0.0f, 0.2f);
            memcpy (g2, g1, sizeof g1);
            rv_optimizer_step (opt, w1, g1);
            RvOptimScalars s;
            rv_optim_scalars (&c, (uint64_t) t, &s);
            g_assert_cmpint (s.kind, ==, k);
            g_assert_cmpfloat (fabs (s.bc1 - (1.0 - pow (c.beta1, t))), <, 1e-7);
            be->optim_update (&s, w2, g2, m, v, N);
            g_assert_cmpmem (w1, sizeof w1, w2, sizeof w2);
            g_assert_cmpmem (g1, sizeof g1, g2, sizeof g2); /* clipping scaled both alike */
          }
        if (rv_optimizer_get_n_states (opt) > 0)
          g_assert_cmpmem (rv_optimizer_get_state (opt, 0), sizeof m, m, sizeof m);
        if (rv_optimizer_get_n_states (opt) > 1)
          g_assert_cmpmem (rv_optimizer_get_state (opt, 1), sizeof v, v, sizeof v);
        rv_optimizer_reset (opt);
        if (rv_optimizer_get_n_states (opt) > 0)
          g_assert_cmpfloat (rv_optimizer_get_state (opt, 0)[7], ==, 0.0f);
      }
}

static void
assert_same_stats (const RvStats *a, const RvStats *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->n_bins, ==, b->n_bins);
  g_assert_cmpfloat (a->min, ==, b->min);
  g_assert_cmpfloat (a->max, ==, b->max);
  g_assert_cmpfloat (a->lo, ==, b->lo);
  g_assert_cmpfloat (a->hi, ==, b->hi);
  g_assert_true (a->mean == b->mean || (isnan (a->mean) && isnan (b->mean)));
  g_assert_true (a->variance == b->variance || (isnan (a->variance) && isnan (b->variance)));
  g_assert_cmpmem (a->counts, a->n_bins * sizeof (uint64_t), b->counts, b->n_bins * sizeof (uint64_t));
}

/* rv_net_tensor_stats of each tensor equals rv_stats_compute of its slice. */
static void
test_tensor_stats (void)
{
  static const uint32_t hidden[] = { 48, 24 };
  RvNetConfig cfg;
  rv_net_config_init (&cfg, RV_ACT_TANH, hidden, G_N_ELEMENTS (hidden));
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  rv_rng_fill_normal (net->params, net->n_params, 5, 0, 0.0f, 0.1f);
  enum { B = 16 };
  g_autofree float *x = g_new (float, B * RV_INPUT_SIZE);
  uint8_t labels[B];
  rv_dataset_gather (data->train_full, data->train_index, B, x, labels);
  rv_net_zero_grad (net);
  double stored = 0.0;
  int32_t hits = 0;
  rv_net_loss_store (net, x, labels, B, TRUE, &stored, &hits);
  int hits2 = 0;
  g_autofree float *grads = g_memdup2 (net->grads, net->n_params * sizeof (float));
  rv_net_zero_grad (net);
  double loss = rv_net_loss (net, x, labels, B, TRUE, &hits2);
  g_assert_cmpfloat (stored, ==, loss);
  g_assert_cmpint (hits, ==, hits2);
  g_assert_cmpmem (grads, net->n_params * sizeof (float), net->grads, net->n_params * sizeof (float));

  for (uint32_t l = 0; l < cfg.n_linear; l++)
    {
      RvStats got = { 0 }, want = { 0 };
      rv_net_tensor_stats (net, RV_NET_WEIGHT, l, 30, &got);
      rv_stats_compute (&want, net->params + net->w_off[l], rv_net_weight_count (net, l), 30);
      assert_same_stats (&got, &want);
      rv_net_tensor_stats (net, RV_NET_WEIGHT_GRAD, l, 30, &got);
      rv_stats_compute (&want, net->grads + net->w_off[l], rv_net_weight_count (net, l), 30);
      assert_same_stats (&got, &want);
      rv_net_tensor_stats (net, RV_NET_OUTPUT, l, 17, &got);
      rv_stats_compute (&want, net->z[l], (size_t) B * rv_net_fan_out (net, l), 17);
      assert_same_stats (&got, &want);
      rv_stats_clear (&got);
      rv_stats_clear (&want);
    }
}

static void
small_config (RvTrainConfig *cfg)
{
  static const uint32_t hidden[] = { 32 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
  cfg->epochs = 2;
  cfg->batch_size = 50;
  cfg->report_every = 7;
  cfg->train_limit = 1000;
}

/* The trainer on an explicit CPU backend is the default trainer, step for step. */
static void
test_trainer_backend (void)
{
  RvTrainConfig cfg;
  small_config (&cfg);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) a = rv_trainer_new (&cfg, data, &error);
  g_autoptr (RvTrainer) b = rv_trainer_new_for_backend (&cfg, data, rv_backend_cpu (), &error);
  g_assert_no_error (error);
  g_assert_true (rv_trainer_get_backend (b) == rv_backend_cpu ());
  g_assert_true (rv_trainer_run (a, NULL, NULL, &error));
  g_assert_true (rv_trainer_run (b, NULL, NULL, &error));
  g_assert_no_error (error);
  const RvTrainResults *ra = rv_trainer_get_results (a), *rb = rv_trainer_get_results (b);
  g_assert_cmpuint (ra->train_losses->len, ==, 2 * 20);
  g_assert_cmpmem (ra->train_losses->data, ra->train_losses->len * sizeof (float),
                   rb->train_losses->data, rb->train_losses->len * sizeof (float));
  g_assert_cmpfloat (ra->test_acc, ==, rb->test_acc);

  /* per-layer stats of the trained network, computed where it lives */
  RvStats s = { 0 }, want = { 0 };
  RvNet *net = rv_trainer_get_best_net (b);
  rv_trainer_layer_stats (b, RV_NET_WEIGHT, 1, 20, &s);
  rv_stats_compute (&want, net->params + net->w_off[1], rv_net_weight_count (net, 1), 20);
  assert_same_stats (&s, &want);
  rv_stats_clear (&s);
  rv_stats_clear (&want);

  /* evaluating an image set that is not the data set's own */
  double acc = rv_trainer_evaluate (b, data->test, NULL, 100);
  g_autoptr (RvImageSet) copy = g_new0 (RvImageSet, 1);
  copy->n = 100;
  copy->pixels = g_memdup2 (data->test->pixels, 100 * RV_IMAGE_PIXELS);
  copy->labels = g_memdup2 (data->test->labels, 100);
  g_assert_cmpfloat (rv_trainer_evaluate (b, copy, NULL, 100), ==, acc);
}

/* The CPU's entries, declared not to be host memory: the trainer then takes
 * its device path (a twin network, copies of the data, losses read back once
 * per report interval, the best parameters downloaded at the end), which
 * must give the CPU path's results bit for bit. */
static RvBackend pseudo_device;

static void
test_trainer_device_path (void)
{
  pseudo_device = *rv_backend_cpu ();
  pseudo_device.name = "pseudo-device";
  pseudo_device.host_memory = FALSE;

  static const RvOptimKind kinds[] = { RV_OPTIM_ADAM, RV_OPTIM_NESTEROV };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      RvTrainConfig cfg;
      small_config (&cfg);
      rv_optim_config_init (&cfg.optim, kinds[k]);
      cfg.optim.clip_norm = 2.0;
      g_autoptr (GError) error = NULL;
      g_autoptr (RvTrainer) a = rv_trainer_new (&cfg, data, &error);
      g_autoptr (RvTrainer) b = rv_trainer_new_for_backend (&cfg, data, &pseudo_device, &error);
      g_assert_no_error (error);
      size_t n_params = 0;
      g_autofree float *initial = rv_trainer_dup_params (b, &n_params);
      g_autofree float *initial_a = rv_trainer_dup_params (a, NULL);
      g_assert_cmpmem (initial, n_params * 4, initial_a, n_params * 4);

      g_assert_true (rv_trainer_run (a, NULL, NULL, &error));
      g_assert_true (rv_trainer_run (b, NULL, NULL, &error));
      g_assert_no_error (error);
      const RvTrainResults *ra = rv_trainer_get_results (a), *rb = rv_trainer_get_results (b);
      g_assert_cmpmem (ra->train_losses->data, ra->train_losses->len * sizeof (float),
                       rb->train_losses->data, rb->train_losses->len * sizeof (float));
      g_assert_cmpmem (ra->train_scores->data, ra->train_scores->len * sizeof (double),
                       rb->train_scores->data, rb->train_scores->len * sizeof (double));
      g_assert_cmpmem (ra->val_scores->data, ra->val_scores->len * sizeof (double),
                       rb->val_scores->data, rb->val_scores->len * sizeof (double));
      g_assert_cmpfloat (ra->test_acc, ==, rb->test_acc);
      g_assert_cmpuint (ra->best_epoch, ==, rb->best_epoch);
      /* the host network received the best parameters */
      RvNet *host = rv_trainer_get_best_net (b);
      g_assert_cmpuint (host->n_params, ==, n_params);
      g_assert_true (memcmp (initial, host->params, n_params * 4) != 0);
      g_assert_cmpmem (host->params, n_params * 4, rv_trainer_get_best_net (a)->params, n_params * 4);
      /* evaluation through copies of arbitrary index arrays */
      uint32_t some[77];
      for (int i = 0; i < 77; i++)
        some[i] = data->val_index[i + 5];
      g_assert_cmpfloat (rv_trainer_evaluate (a, data->train_full, some, 77), ==,
                         rv_trainer_evaluate (b, data->train_full, some, 77));
    }

  /* divergence is found at the same step, though only read once per interval */
  RvTrainConfig cfg;
  small_config (&cfg);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_SGD);
  cfg.optim.lr = 1e6;
  g_autoptr (GError) e1 = NULL, e2 = NULL;
  g_autoptr (RvTrainer) a = rv_trainer_new (&cfg, data, NULL);
  g_autoptr (RvTrainer) b = rv_trainer_new_for_backend (&cfg, data, &pseudo_device, NULL);
  g_assert_false (rv_trainer_run (a, NULL, NULL, &e1));
  g_assert_false (rv_trainer_run (b, NULL, NULL, &e2));
  g_assert_error (e2, RV_ERROR, RV_ERROR_DIVERGED);
  g_assert_cmpstr (e1->message, ==, e2->message);
}

/* Snapshots taken during a run: every third step, the step before kept for
 * the update ratio. */
typedef struct {
  RvTrainer *trainer;
  GArray *snaps;       /* RvSnapshot */
} SnapWatch;

static void
take_snapshots (const RvTrainEvent *ev, gpointer user_data)
{
  SnapWatch *w = user_data;
  if (ev->kind != RV_TRAIN_EVENT_STEP)
    return;
  if (ev->step % 3 == 0)
    {
      RvSnapshot snap;
      rv_trainer_snapshot_layers (w->trainer, 25, &snap);
      g_assert_cmpuint (snap.step, ==, ev->step);

      /* the weights are the training network's, read back on their own */
      size_t n_params = 0;
      g_autofree float *params = rv_trainer_dup_params (w->trainer, &n_params);
      const RvNet *layout = rv_trainer_get_best_net (w->trainer); /* offsets only */
      g_assert_cmpuint (layout->n_params, ==, n_params);
      for (uint32_t l = 0; l < snap.n_linear; l++)
        {
          RvStats want = { 0 };
          rv_stats_compute (&want, params + layout->w_off[l], rv_net_weight_count (layout, l), 25);
          assert_same_stats (&snap.weight[l], &want);
          rv_stats_clear (&want);
        }
      g_array_append_val (w->snaps, snap);
    }
  if (ev->step % 3 == 2)
    rv_trainer_keep_params (w->trainer);
}

static void
clear_snapshot (gpointer p)
{
  rv_snapshot_clear (p);
}

/* On a device the snapshots come from the network that trains, not from its
 * stale host twin: they move from step to step, carry the last batch's
 * activations and a non-zero update ratio, and equal the CPU run's. */
static void
test_trainer_device_snapshots (void)
{
  pseudo_device = *rv_backend_cpu ();
  pseudo_device.name = "pseudo-device";
  pseudo_device.host_memory = FALSE;

  RvTrainConfig cfg;
  small_config (&cfg);
  cfg.epochs = 1;
  cfg.report_every = 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvTrainer) a = rv_trainer_new (&cfg, data, &error);
  g_autoptr (RvTrainer) b = rv_trainer_new_for_backend (&cfg, data, &pseudo_device, &error);
  g_assert_no_error (error);
  SnapWatch wa = { a, g_array_new (FALSE, TRUE, sizeof (RvSnapshot)) };
  SnapWatch wb = { b, g_array_new (FALSE, TRUE, sizeof (RvSnapshot)) };
  g_array_set_clear_func (wa.snaps, clear_snapshot);
  g_array_set_clear_func (wb.snaps, clear_snapshot);
  g_assert_true (rv_trainer_run (a, take_snapshots, &wa, &error));
  g_assert_true (rv_trainer_run (b, take_snapshots, &wb, &error));
  g_assert_no_error (error);

  const uint32_t steps = 1000 / cfg.batch_size;
  g_assert_cmpuint (wb.snaps->len, ==, steps / 3);
  g_assert_cmpuint (wa.snaps->len, ==, wb.snaps->len);
  for (guint i = 0; i < wb.snaps->len; i++)
    {
      const RvSnapshot *sb = &g_array_index (wb.snaps, RvSnapshot, i);
      const RvSnapshot *sa = &g_array_index (wa.snaps, RvSnapshot, i);
      g_assert_cmpuint (sb->n_linear, ==, 2);
      for (uint32_t l = 0; l < sb->n_linear; l++)
        {
          const uint32_t fan_out = cfg.net.sizes[l + 1];
          g_assert_cmpuint (sb->activation[l].n, ==, (uint64_t) cfg.batch_size * fan_out);
          g_assert_cmpfloat (sb->activation[l].max, >, sb->activation[l].min);
          g_assert_cmpfloat (sb->grad_norm[l], >, 0.0);
          g_assert_true (isfinite (sb->update_ratio[l]));
          g_assert_cmpfloat (sb->update_ratio[l], >, 0.0);
          if (i > 0)
            {
              /* the weights moved since the last snapshot */
              const RvStats *prev = &g_array_index (wb.snaps, RvSnapshot, i - 1).weight[l];
              g_assert_true (sb->weight[l].mean != prev->mean || sb->weight[l].variance != prev->variance);
            }
          assert_same_stats (&sb->weight[l], &sa->weight[l]);
          assert_same_stats (&sb->gradient[l], &sa->gradient[l]);
          assert_same_stats (&sb->activation[l], &sa->activation[l]);
          g_assert_cmpfloat (sb->update_ratio[l], ==, sa->update_ratio[l]);
        }
    }

  /* no kept parameters from the step before: no update ratio */
  RvSnapshot last;
  rv_trainer_snapshot_layers (b, 10, &last);
  g_assert_true (isnan (last.update_ratio[0]));
  rv_snapshot_clear (&last);
  g_array_unref (wa.snaps);
  g_array_unref (wb.snaps);
}

static void
test_device_choice (void)
{
  RvDevice d;
  g_assert_true (rv_device_from_name ("auto", &d) && d == RV_DEVICE_AUTO);
  g_assert_true (rv_device_from_name ("CPU", &d) && d == RV_DEVICE_CPU);
  g_assert_true (rv_device_from_name ("cuda", &d) && d == RV_DEVICE_CUDA);
  g_assert_false (rv_device_from_name ("tpu", &d));
  g_assert_false (rv_device_from_name (NULL, &d));
  g_assert_cmpstr (rv_device_name (RV_DEVICE_CUDA), ==, "cuda");
  g_assert_cmpint (rv_device_cuda_built (), ==, RV_HAVE_CUDA);

  g_autofree char *note = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_device_backend (RV_DEVICE_CPU, &note, &error) == rv_backend_cpu ());
  g_assert_null (note);
  g_autofree char *cpu = rv_device_describe (rv_backend_cpu ());
  g_assert_true (g_str_has_prefix (cpu, "the CPU"));

  const RvBackend *cuda = rv_device_backend (RV_DEVICE_CUDA, NULL, &error);
  const RvBackend *automatic = rv_device_backend (RV_DEVICE_AUTO, &note, NULL);
  if (cuda)
    {
      g_test_message ("a CUDA device is present");
      g_assert_false (cuda->host_memory);
      g_assert_true (automatic == cuda);
      g_assert_null (note);
      return;
    }
  g_assert_error (error, RV_ERROR, RV_ERROR_DEVICE);
  g_test_message ("cuda: %s", error->message);
  g_assert_true (automatic == rv_backend_cpu ());
  if (RV_HAVE_CUDA)
    {
      /* "no usable CUDA device (why); using the CPU" */
      g_assert_nonnull (strstr (error->message, "no usable CUDA device ("));
      g_assert_nonnull (note);
      g_assert_true (g_str_has_prefix (note, "no usable CUDA device ("));
      g_assert_true (g_str_has_suffix (note, "); using the CPU"));
    }
  else
    {
      g_assert_nonnull (strstr (error->message, "no CUDA support"));
      g_assert_null (note); /* nothing to say in a build without CUDA */
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (3000, 500, 7);
  g_test_add_func ("/backend/cpu/memory", test_memory);
  g_test_add_func ("/backend/cpu/softmax-xent-store", test_xent_store);
  g_test_add_func ("/backend/cpu/gemm-beta-zero", test_gemm_beta_zero);
  g_test_add_func ("/backend/cpu/gather", test_gather);
  g_test_add_func ("/backend/cpu/gather-table", test_gather_table);
  g_test_add_func ("/backend/cpu/optim-update", test_optim_update);
  g_test_add_func ("/backend/net/tensor-stats", test_tensor_stats);
  g_test_add_func ("/backend/trainer", test_trainer_backend);
  g_test_add_func ("/backend/trainer/device-path", test_trainer_device_path);
  g_test_add_func ("/backend/trainer/device-snapshots", test_trainer_device_snapshots);
  g_test_add_func ("/backend/device-choice", test_device_choice);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
