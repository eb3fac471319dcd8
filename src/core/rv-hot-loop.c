/* rv-hot-loop.c: which copy of the elementwise passes runs. */
#include "rv-hot-loop.h"

#include <pthread.h>

static pthread_once_t choice_once = PTHREAD_ONCE_INIT;
static gboolean choice_avx2;

/* pthread_once rather than g_once: ThreadSanitizer sees its ordering even
 * where GLib itself is not instrumented. */
static void
choose (void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init ();
  choice_avx2 = __builtin_cpu_supports ("avx2") != 0;
#else
  choice_avx2 = FALSE;
#endif
}

gboolean
rv_hot_loop_use_avx2 (void)
{
  pthread_once (&choice_once, choose);
  return choice_avx2;
}
