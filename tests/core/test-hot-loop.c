/* test-hot-loop.c: the AVX2 and baseline copies of the elementwise passes
 * (rv-hot-loop.h) give the same bits, for every activation and optimizer,
 * over lengths that leave loop tails; and the choice between them is made
 * once.  AVX2 has no FMA here, so every operation rounds alike: any
 * difference is a build fault (contraction, a vector libm), not the CPU. */
#include <string.h>

#include "rv-backend.h"
#include "rv-hot-loop.h"
#include "rv-optim.h"
#include "rv-rng.h"

enum { BATCH = 7, N = 37 };

static void
test_choice (void)
{
  const RvBackend *be = rv_backend_cpu ();
  g_assert_true (be == rv_backend_cpu ());
  g_assert_cmpstr (be->name, ==, rv_backend_cpu_baseline ()->name);
  if (!rv_hot_loop_use_avx2 ())
    g_assert_true (be == rv_backend_cpu_baseline ());
  else
    g_assert_true (be != rv_backend_cpu_baseline ());
}

static void
test_bias_act (void)
{
  if (!rv_hot_loop_use_avx2 ())
    {
      g_test_skip ("this CPU has no AVX2: only the baseline copy runs");
      return;
    }
  const RvBackend *fast = rv_backend_cpu ();
  const RvBackend *base = rv_backend_cpu_baseline ();
  const size_t len = (size_t) BATCH * N;

  for (int a = 0; a < RV_ACT_COUNT; a++)
    {
      float z0[BATCH * N], bias[N], dy[BATCH * N];
      float z1[BATCH * N], y1[BATCH * N], dz1[BATCH * N], db1[N] = { 0 };
      float z2[BATCH * N], y2[BATCH * N], dz2[BATCH * N], db2[N] = { 0 };
      /* wide enough to reach every branch and the saturating tails */
      rv_rng_fill_uniform (z0, len, 11, (uint64_t) a, -9.0f, 9.0f);
      rv_rng_fill_normal (bias, N, 12, (uint64_t) a, 0.0f, 0.5f);
      rv_rng_fill_normal (dy, len, 13, (uint64_t) a, 0.0f, 1.0f);
      memcpy (z1, z0, sizeof z0);
      memcpy (z2, z0, sizeof z0);

      fast->bias_act_forward ((RvActivation) a, z1, y1, bias, BATCH, N);
      base->bias_act_forward ((RvActivation) a, z2, y2, bias, BATCH, N);
      g_assert_cmpmem (z1, sizeof z1, z2, sizeof z2);
      g_assert_cmpmem (y1, sizeof y1, y2, sizeof y2);

      fast->bias_act_backward ((RvActivation) a, z1, dy, dz1, db1, BATCH, N);
      base->bias_act_backward ((RvActivation) a, z2, dy, dz2, db2, BATCH, N);
      g_assert_cmpmem (dz1, sizeof dz1, dz2, sizeof dz2);
      g_assert_cmpmem (db1, sizeof db1, db2, sizeof db2);
    }
}

static void
test_optim (void)
{
  if (!rv_hot_loop_use_avx2 ())
    {
      g_test_skip ("this CPU has no AVX2: only the baseline copy runs");
      return;
    }
  const size_t n = 333;
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    for (int clip = 0; clip < 2; clip++)
      {
        RvOptimConfig c;
        rv_optim_config_init (&c, (RvOptimKind) k);
        c.lr = 0.03;
        c.weight_decay = 0.01;
        c.clip_norm = clip ? 0.5 : 0.0;
        float w1[333], g1[333], m1[333] = { 0 }, v1[333] = { 0 };
        float w2[333], g2[333], m2[333] = { 0 }, v2[333] = { 0 };
        rv_rng_fill_normal (w1, n, 3, (uint64_t) k, 0.0f, 1.0f);
        memcpy (w2, w1, sizeof w1);
        for (uint64_t t = 1; t <= 5; t++)
          {
            rv_rng_fill_normal (g1, n, 4, (uint64_t) k * 100 + t, 0.0f, 0.2f);
            memcpy (g2, g1, sizeof g1);
            RvOptimScalars s;
            rv_optim_scalars (&c, t, &s);
            rv_optim_update_avx2 (&s, w1, g1, m1, v1, n);
            rv_optim_update_baseline (&s, w2, g2, m2, v2, n);
            g_assert_cmpmem (w1, sizeof w1, w2, sizeof w2);
            g_assert_cmpmem (g1, sizeof g1, g2, sizeof g2);
            g_assert_cmpmem (m1, sizeof m1, m2, sizeof m2);
            g_assert_cmpmem (v1, sizeof v1, v2, sizeof v2);
          }
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hot-loop/choice", test_choice);
  g_test_add_func ("/hot-loop/bias-act", test_bias_act);
  g_test_add_func ("/hot-loop/optim", test_optim);
  return g_test_run ();
}
