/* fuzz-rand.h: the fuzz drivers' draws, sequential from one rv-rng stream,
 * so a (seed, stream) pair repeats a whole run. */
#pragma once

#include <glib.h>

#include "rv-rng.h"

typedef struct {
  uint64_t seed;
  uint64_t stream;
  uint64_t index;
} Rand;

static inline uint32_t
rand_u32 (Rand *r)
{
  return rv_rng_u32 (r->seed, r->stream, r->index++);
}

/* Uniform in [0, bound), by the multiply-shift that needs no division. */
static inline uint32_t
rand_below (Rand *r, uint32_t bound)
{
  return bound == 0 ? 0 : (uint32_t) (((uint64_t) rand_u32 (r) * bound) >> 32);
}

static inline gboolean
rand_chance (Rand *r, uint32_t percent)
{
  return rand_below (r, 100) < percent;
}
