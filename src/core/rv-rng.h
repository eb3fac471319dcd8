/* rv-rng.h: the one counter-based random generator (Philox4x32-10).
 *
 * A value depends only on (seed, stream, index), never on call order, so the
 * same seed gives the same weights, split and batch order on any machine, any
 * thread count and on the GPU.  Streams separate independent uses (one per
 * layer, per epoch, ...). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

/* Philox4x32-10 block: counter ctr[4] under key key[2] -> out[4]. */
void rv_philox4x32_10 (const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* The index-th 32-bit word of (seed, stream). */
uint32_t rv_rng_u32 (uint64_t seed, uint64_t stream, uint64_t index);

/* Uniform in the open interval (0, 1), 24-bit resolution. */
float rv_rng_uniform (uint64_t seed, uint64_t stream, uint64_t index);

/* Standard normal (Box-Muller on one Philox block; index 2k and 2k+1 share it). */
float rv_rng_normal (uint64_t seed, uint64_t stream, uint64_t index);

void rv_rng_fill_uniform (float *out, size_t n, uint64_t seed, uint64_t stream, float lo, float hi);
void rv_rng_fill_normal (float *out, size_t n, uint64_t seed, uint64_t stream, float mean, float std);

/* perm[0..n) = a uniformly random permutation of 0..n-1 (Fisher-Yates, whose
 * i-th swap draws word i of the stream). */
void rv_rng_permutation (uint32_t *perm, uint32_t n, uint64_t seed, uint64_t stream);

/* Streams reserved for each use, so that uses never overlap. */
enum {
  RV_STREAM_INIT = 0x100,      /* + 2l for layer l's weight, + 2l+1 for its bias */
  RV_STREAM_SPLIT = 0x200,     /* train/validation split */
  RV_STREAM_EPOCH = 0x10000,   /* + epoch number: batch order */
  RV_STREAM_SYNTHETIC = 0x300, /* the synthetic data set */
  RV_STREAM_LANDSCAPE = 0x400, /* + 0 for a landscape's x direction, + 1 for its y */
  RV_STREAM_SHARPNESS = 0x500, /* the power iteration's starting vector */
};

G_END_DECLS
