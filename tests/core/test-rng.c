/* test-rng.c: Philox known answers, distributions, order independence. */
#include <math.h>
#include <string.h>

#include "rv-rng.h"

/* Known-answer vectors published with Random123 (kat_vectors, philox4x32_10). */
static void
test_philox_known_answers (void)
{
  static const struct {
    uint32_t ctr[4], key[2], expect[4];
  } kat[] = {
    { { 0, 0, 0, 0 }, { 0, 0 }, { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
    { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
      { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
    { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
      { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (kat); i++)
    {
      uint32_t out[4];
      rv_philox4x32_10 (kat[i].ctr, kat[i].key, out);
      for (int j = 0; j < 4; j++)
        g_assert_cmphex (out[j], ==, kat[i].expect[j]);
    }
}

static void
test_uniform_moments (void)
{
  const size_t n = 1000000;
  double sum = 0, sum2 = 0, lo = 1, hi = 0;
  for (size_t i = 0; i < n; i++)
    {
      double u = rv_rng_uniform (7, 1, i);
      g_assert_cmpfloat (u, >, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
      sum2 += u * u;
      lo = MIN (lo, u);
      hi = MAX (hi, u);
    }
  double mean = sum / n, var = sum2 / n - mean * mean;
  g_assert_cmpfloat_with_epsilon (mean, 0.5, 0.002);
  g_assert_cmpfloat_with_epsilon (var, 1.0 / 12.0, 0.001);
  g_assert_cmpfloat (lo, <, 1e-4);
  g_assert_cmpfloat (hi, >, 1 - 1e-4);
}

static void
test_normal_moments (void)
{
  const size_t n = 1000000;
  float *x = g_new (float, n);
  rv_rng_fill_normal (x, n, 42, 3, 0.0f, 1.0f);
  double m1 = 0, m2 = 0, m4 = 0;
  for (size_t i = 0; i < n; i++)
    m1 += x[i];
  m1 /= n;
  for (size_t i = 0; i < n; i++)
    {
      double d = x[i] - m1;
      m2 += d * d;
      m4 += d * d * d * d;
    }
  m2 /= n;
  m4 /= n;
  g_assert_cmpfloat_with_epsilon (m1, 0.0, 0.005);
  g_assert_cmpfloat_with_epsilon (m2, 1.0, 0.01);
  g_assert_cmpfloat_with_epsilon (m4 / (m2 * m2), 3.0, 0.05); /* Gaussian kurtosis */
  /* Neighbours sharing a Box-Muller pair must be uncorrelated. */
  double c = 0;
  for (size_t i = 0; i + 1 < n; i += 2)
    c += (double) x[i] * x[i + 1];
  g_assert_cmpfloat_with_epsilon (c / (n / 2), 0.0, 0.01);
  g_free (x);
}

/* A value depends on (seed, stream, index) alone: filling in pieces, or
 * asking one index at a time, gives the same numbers. */
static void
test_order_independence (void)
{
  float whole[1001], parts[1001];
  rv_rng_fill_uniform (whole, 1001, 5, 9, -2.0f, 3.0f);
  for (int i = 0; i < 1001; i++)
    g_assert_cmpfloat (whole[i], ==, -2.0f + 5.0f * rv_rng_uniform (5, 9, i));
  rv_rng_fill_normal (whole, 1001, 5, 9, 1.0f, 2.0f);
  for (int i = 1000; i >= 0; i--)
    parts[i] = 1.0f + 2.0f * rv_rng_normal (5, 9, i);
  g_assert_cmpmem (whole, sizeof whole, parts, sizeof parts);

  g_assert_cmpuint (rv_rng_u32 (1, 2, 3), !=, rv_rng_u32 (1, 3, 3));
  g_assert_cmpuint (rv_rng_u32 (1, 2, 3), !=, rv_rng_u32 (2, 2, 3));
  g_assert_cmpuint (rv_rng_u32 (1ull << 40, 2, 3), !=, rv_rng_u32 (0, 2, 3));
}

static void
test_permutation (void)
{
  const uint32_t n = 60000;
  uint32_t *p = g_new (uint32_t, n), *q = g_new (uint32_t, n);
  gboolean *seen = g_new0 (gboolean, n);
  rv_rng_permutation (p, n, 42, 1);
  for (uint32_t i = 0; i < n; i++)
    {
      g_assert_cmpuint (p[i], <, n);
      g_assert_false (seen[p[i]]);
      seen[p[i]] = TRUE;
    }
  rv_rng_permutation (q, n, 42, 1);
  g_assert_cmpmem (p, n * 4, q, n * 4);
  rv_rng_permutation (q, n, 43, 1);
  g_assert_true (memcmp (p, q, n * 4) != 0);

  /* Every element is equally likely to land first. */
  uint32_t counts[5] = { 0 }, small[5];
  for (uint64_t seed = 0; seed < 50000; seed++)
    {
      rv_rng_permutation (small, 5, seed, 0);
      counts[small[0]]++;
    }
  for (int i = 0; i < 5; i++)
    {
      g_assert_cmpuint (counts[i], >, 9500);
      g_assert_cmpuint (counts[i], <, 10500);
    }
  g_free (p);
  g_free (q);
  g_free (seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rng/philox-known-answers", test_philox_known_answers);
  g_test_add_func ("/rng/uniform-moments", test_uniform_moments);
  g_test_add_func ("/rng/normal-moments", test_normal_moments);
  g_test_add_func ("/rng/order-independence", test_order_independence);
  g_test_add_func ("/rng/permutation", test_permutation);
  return g_test_run ();
}
