/* rv-wakeup.c: a source made ready from other threads (rv-wakeup.h). */
#include "rv-wakeup.h"

typedef struct {
  GSource source;
  gint64 interval_us;
  gint64 next_allowed;  /* monotonic µs; read by signalling threads */
} Wakeup;

static gboolean
wakeup_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  Wakeup *w = (Wakeup *) source;
  /* ready once per signal: the next signal makes it ready again */
  g_source_set_ready_time (source, -1);
  __atomic_store_n (&w->next_allowed, g_get_monotonic_time () + w->interval_us, __ATOMIC_RELAXED);
  return callback (user_data);
}

static GSourceFuncs wakeup_funcs = { .dispatch = wakeup_dispatch };

GSource *
rv_wakeup_new (GSourceFunc drain, gpointer data, const char *name, guint min_interval_ms)
{
  GSource *source = g_source_new (&wakeup_funcs, sizeof (Wakeup));
  ((Wakeup *) source)->interval_us = (gint64) min_interval_ms * 1000;
  g_source_set_callback (source, drain, data, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, NULL);
  return source;
}

void
rv_wakeup_set_min_interval (GSource *wakeup, guint min_interval_ms)
{
  /* read only by dispatch, on this thread */
  ((Wakeup *) wakeup)->interval_us = (gint64) min_interval_ms * 1000;
}

void
rv_wakeup_signal (gpointer wakeup)
{
  Wakeup *w = wakeup;
  /* Safe from any thread: GLib locks the context and wakes it (as
   * GCancellable's source does from the cancelling thread).  A time in the
   * past means at once. */
  g_source_set_ready_time (&w->source, __atomic_load_n (&w->next_allowed, __ATOMIC_RELAXED));
}

void
rv_wakeup_signal_now (gpointer wakeup)
{
  g_source_set_ready_time (&((Wakeup *) wakeup)->source, 0);
}
