/* rv-wakeup.h: a main-loop source that a worker thread makes ready when it
 * has news, so that a page drains its queue only when something arrived
 * (and asks for no frames while nothing does). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Attached to the default main context; drain(data) runs on the main thread
 * after each rv_wakeup_signal, however many came before it ran, and at most
 * once every min_interval_ms (0: at once), so that a stream of small events
 * costs a bounded number of redraws.  Free with g_source_destroy and
 * g_source_unref once no thread can signal it. */
GSource *rv_wakeup_new (GSourceFunc drain, gpointer data, const char *name, guint min_interval_ms);

/* On the main thread: the least time between two drains from now on. */
void rv_wakeup_set_min_interval (GSource *wakeup, guint min_interval_ms);

/* From any thread: run drain soon.  Takes the source as a gpointer so that
 * it fits the workers' notify callbacks. */
void rv_wakeup_signal (gpointer wakeup);

/* From any thread: run drain at once, whatever the least interval. */
void rv_wakeup_signal_now (gpointer wakeup);

G_END_DECLS
