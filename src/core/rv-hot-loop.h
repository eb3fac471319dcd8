/* rv-hot-loop.h: the elementwise passes of a training step get an AVX2 copy
 * beside the baseline one, and the copy to run is chosen once, on first use,
 * from what the CPU reports; the build itself stays baseline x86-64 so the
 * binaries run anywhere.  No ifunc: a resolver runs inside the dynamic loader
 * before sanitizer runtimes are up, which crashed every TSan build.  AVX2
 * without FMA rounds every operation exactly as the baseline copy does, so
 * results do not change with the choice. */
#pragma once

#include <glib.h>

#include "rv-backend.h"

G_BEGIN_DECLS

#if defined(__x86_64__) && defined(__GNUC__)
#define RV_HOT_LOOP_AVX2 __attribute__ ((target ("avx2")))
#else
/* elsewhere the "AVX2" copy is a second baseline copy, never chosen */
#define RV_HOT_LOOP_AVX2
#endif

/* From NAME_body (static inline, always_inline), the two copies
 * STORAGE void NAME_baseline PARAMS and STORAGE void NAME_avx2 PARAMS; ARGS
 * repeats the parameter names in parentheses. */
#define RV_HOT_LOOP_VARIANTS(storage, name, params, args) \
  storage void name##_baseline params { name##_body args; } \
  RV_HOT_LOOP_AVX2 storage void name##_avx2 params { name##_body args; }

/* TRUE where the AVX2 copies run (the CPU has AVX2).  Worked out once; the
 * same answer for the whole process. */
gboolean rv_hot_loop_use_avx2 (void);

/* The CPU backend with the baseline copies whatever the CPU, for the test
 * that both copies give the same bits (rv-backend-cpu.c). */
const RvBackend *rv_backend_cpu_baseline (void);

G_END_DECLS
