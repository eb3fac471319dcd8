/* rv-test-hook.h: slowing or stopping a run save at its steps, for the tests
 * that kill a save half way.  Only tests set these variables:
 *
 *   RAVINE_TEST_SAVE_DELAY_US=N   sleep N microseconds at every step
 *   RAVINE_TEST_SAVE_KILL_AT=K    SIGKILL this process at the K-th step (1 is
 *                                 the first step of the process's first save)
 *
 * A step is each point between two writes, flushes or renames of a save. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void rv_test_hook_save_step (void);

G_END_DECLS
