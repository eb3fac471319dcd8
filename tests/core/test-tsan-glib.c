/* test-tsan-glib.c: ThreadSanitizer builds only.  A counter that two threads
 * bump under a GMutex, and one handed over through a GAsyncQueue, must give
 * no report (without rv-tsan-glib.c TSan cannot see GLib's futexes and calls
 * both races); with "race" a third counter is bumped with no lock at all,
 * and that must still be reported (the test is registered should_fail). */
#include <glib.h>

static GMutex lock;
static int guarded, handed_over, unguarded;
static gboolean race;

static gpointer
worker (gpointer data)
{
  GAsyncQueue *queue = data;
  g_mutex_lock (&lock);
  guarded++;
  g_mutex_unlock (&lock);
  handed_over++;
  g_async_queue_push (queue, GINT_TO_POINTER (1));
  if (race)
    unguarded++;
  return NULL;
}

int
main (int argc, char **argv)
{
  race = argc > 1 && g_str_equal (argv[1], "race");
  g_autoptr (GAsyncQueue) queue = g_async_queue_new ();
  GThread *thread = g_thread_new ("tsan-glib", worker, queue);
  g_usleep (50 * 1000); /* the worker first, most of the time */
  g_mutex_lock (&lock);
  guarded++;
  g_mutex_unlock (&lock);
  g_async_queue_pop (queue);
  handed_over++;
  if (race)
    unguarded++;
  g_thread_join (thread);
  g_print ("guarded %d, handed over %d\n", guarded, handed_over);
  return guarded == 2 && handed_over == 2 ? 0 : 1;
}
