/* rv-test-hook.c: the save steps' test hooks (rv-test-hook.h). */
#include "rv-test-hook.h"

#include <signal.h>
#include <unistd.h>

void
rv_test_hook_save_step (void)
{
  static gint steps;
  const char *delay = g_getenv ("RAVINE_TEST_SAVE_DELAY_US");
  const char *kill_at = g_getenv ("RAVINE_TEST_SAVE_KILL_AT");
  int step = g_atomic_int_add (&steps, 1) + 1;

  if (kill_at != NULL && *kill_at != '\0' && g_ascii_strtoll (kill_at, NULL, 10) == step)
    kill (getpid (), SIGKILL);
  if (delay != NULL && *delay != '\0')
    g_usleep ((gulong) g_ascii_strtoull (delay, NULL, 10));
}
