/* rv-wakeup.h: a main-loop source that a worker thread makes ready when it
 * has news, so that a page drains its queue only when something arrived
 * (and asks for no frames while nothing does). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Attached to the default main context; drain(data) runs on the main thread
 * after each rv_wakeup_signal, however many came before it ran.  Free with
 * g_source_destroy and g_source_unref once no thread can signal it. */
GSource *rv_wakeup_new (GSourceFunc drain, gpointer data, const char *name);

/* From any thread: run drain soon.  Takes the source as a gpointer so that
 * it fits the workers' notify callbacks. */
void rv_wakeup_signal (gpointer wakeup);

G_END_DECLS
