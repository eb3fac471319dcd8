/* rv-hot-loop.h: the elementwise passes of a training step get an AVX2 copy
 * that the loader picks where the CPU has it, while the build itself stays
 * baseline x86-64 so the binaries run anywhere.  AVX2 without FMA rounds
 * every operation exactly as the baseline copy does: results do not change. */
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define RV_HOT_LOOP __attribute__ ((target_clones ("avx2", "default")))
#else
#define RV_HOT_LOOP
#endif
