/* test-error-race.c: two threads that ask for the core's error domain first,
 * at once, get the same quark; under ThreadSanitizer (build-aux/dev tsan)
 * the cached quark must not be a data race, as it was with G_DEFINE_QUARK
 * (the app's worker and UI thread did exactly this). */
#include "rv-error.h"

static gint go;

static gpointer
ask (gpointer data)
{
  while (!g_atomic_int_get (&go))
    g_thread_yield ();
  return GUINT_TO_POINTER (rv_error_quark ());
}

static void
test_first_use_from_two_threads (void)
{
  GThread *a = g_thread_new ("ask-a", ask, NULL);
  GThread *b = g_thread_new ("ask-b", ask, NULL);
  g_atomic_int_set (&go, 1);
  GQuark qa = GPOINTER_TO_UINT (g_thread_join (a));
  GQuark qb = GPOINTER_TO_UINT (g_thread_join (b));
  g_assert_cmpuint (qa, !=, 0);
  g_assert_cmpuint (qa, ==, qb);
  g_assert_cmpstr (g_quark_to_string (qa), ==, "rv-error-quark");
  g_assert_cmpuint (RV_ERROR, ==, qa);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/first-use-from-two-threads", test_first_use_from_two_threads);
  return g_test_run ();
}
