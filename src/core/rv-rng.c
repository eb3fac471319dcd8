/* rv-rng.c: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3", SC 2011).  Counter = (index lo, index hi, stream lo, stream hi),
 * key = (seed lo, seed hi). */
#include "rv-rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline uint32_t
mulhilo (uint32_t a, uint32_t b, uint32_t *hi)
{
  uint64_t p = (uint64_t) a * b;
  *hi = (uint32_t) (p >> 32);
  return (uint32_t) p;
}

void
rv_philox4x32_10 (const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];

  for (int round = 0; round < 10; round++)
    {
      uint32_t hi0, hi1;
      uint32_t lo0 = mulhilo (PHILOX_M0, c0, &hi0);
      uint32_t lo1 = mulhilo (PHILOX_M1, c2, &hi1);
      uint32_t n0 = hi1 ^ c1 ^ k0;
      uint32_t n2 = hi0 ^ c3 ^ k1;
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

static inline void
block (uint64_t seed, uint64_t stream, uint64_t block_index, uint32_t out[4])
{
  const uint32_t ctr[4] = { (uint32_t) block_index, (uint32_t) (block_index >> 32),
                            (uint32_t) stream, (uint32_t) (stream >> 32) };
  const uint32_t key[2] = { (uint32_t) seed, (uint32_t) (seed >> 32) };
  rv_philox4x32_10 (ctr, key, out);
}

uint32_t
rv_rng_u32 (uint64_t seed, uint64_t stream, uint64_t index)
{
  uint32_t out[4];
  block (seed, stream, index / 4, out);
  return out[index % 4];
}

/* (0, 1): the top 24 bits, offset by half a step so 0 never appears. */
static inline float
u32_to_open_unit (uint32_t u)
{
  return ((float) (u >> 8) + 0.5f) * (1.0f / 16777216.0f);
}

float
rv_rng_uniform (uint64_t seed, uint64_t stream, uint64_t index)
{
  return u32_to_open_unit (rv_rng_u32 (seed, stream, index));
}

/* Box-Muller in double from two 32-bit words of block pair: the radius
 * and angle that indices 2·pair (cosine) and 2·pair + 1 (sine) share. */
static void
box_muller (uint64_t seed, uint64_t stream, uint64_t pair, double *r, double *theta)
{
  uint32_t out[4];
  block (seed, stream, pair, out);
  double u1 = ((double) out[0] + 0.5) * (1.0 / 4294967296.0);
  double u2 = ((double) out[1] + 0.5) * (1.0 / 4294967296.0);
  *r = sqrt (-2.0 * log (u1));
  *theta = 2.0 * G_PI * u2;
}

float
rv_rng_normal (uint64_t seed, uint64_t stream, uint64_t index)
{
  double r, theta;
  box_muller (seed, stream, index / 2, &r, &theta);
  return (float) (index % 2 == 0 ? r * cos (theta) : r * sin (theta));
}

void
rv_rng_fill_uniform (float *out, size_t n, uint64_t seed, uint64_t stream, float lo, float hi)
{
  for (size_t i = 0; i < n; i += 4)
    {
      uint32_t words[4];
      block (seed, stream, i / 4, words);
      for (size_t j = 0; j < 4 && i + j < n; j++)
        out[i + j] = lo + (hi - lo) * u32_to_open_unit (words[j]);
    }
}

/* The numbers of rv_rng_normal, but each block and its logarithm once for
 * the pair that shares it: half the work of calling it per index. */
void
rv_rng_fill_normal (float *out, size_t n, uint64_t seed, uint64_t stream, float mean, float std)
{
  for (size_t i = 0; i < n; i += 2)
    {
      double r, theta;
      box_muller (seed, stream, i / 2, &r, &theta);
      float even = (float) (r * cos (theta));
      out[i] = mean + std * even;
      if (i + 1 < n)
        {
          float odd = (float) (r * sin (theta));
          out[i + 1] = mean + std * odd;
        }
    }
}

/* Uniform in [0, bound) without modulo bias worth mentioning: a 64-bit
 * multiply-shift of two words (bias below 2^-32 for bound < 2^32). */
static inline uint32_t
bounded (uint64_t seed, uint64_t stream, uint64_t i, uint32_t bound)
{
  uint32_t out[4];
  block (seed, stream, i, out);
  uint64_t x = ((uint64_t) out[0] << 32) | out[1];
  return (uint32_t) (((unsigned __int128) x * bound) >> 64);
}

void
rv_rng_permutation (uint32_t *perm, uint32_t n, uint64_t seed, uint64_t stream)
{
  for (uint32_t i = 0; i < n; i++)
    perm[i] = i;
  for (uint32_t i = n; i > 1; i--)
    {
      uint32_t j = bounded (seed, stream, i - 1, i);
      uint32_t t = perm[i - 1];
      perm[i - 1] = perm[j];
      perm[j] = t;
    }
}
