/* rv-wakeup.c: a source made ready from other threads (rv-wakeup.h). */
#include "rv-wakeup.h"

static gboolean
wakeup_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  /* ready once per signal: the next signal makes it ready again */
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs wakeup_funcs = { .dispatch = wakeup_dispatch };

GSource *
rv_wakeup_new (GSourceFunc drain, gpointer data, const char *name)
{
  GSource *source = g_source_new (&wakeup_funcs, sizeof (GSource));
  g_source_set_callback (source, drain, data, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, NULL);
  return source;
}

void
rv_wakeup_signal (gpointer wakeup)
{
  /* safe from any thread: GLib locks the context and wakes it (as
   * GCancellable's source does from the cancelling thread) */
  g_source_set_ready_time (wakeup, 0);
}
