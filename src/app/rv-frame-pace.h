/* rv-frame-pace.h: how often a page that shows live work may redraw, from
 * what its window's frames cost.
 *
 * A page that redraws as news arrives asks for one frame each time.  Where
 * a frame is cheap (a GPU, or GTK's cairo renderer, which draws only what
 * changed) the page's own cadence holds; where it is dear (a software GL
 * renderer such as llvmpipe repaints the whole window, on the same cores
 * as the training it shows) the page should ask less often.  An
 * RvFramePace times the frames of a widget's window that paint (from the
 * frame clock's before-paint to its after-paint, on the main thread: the
 * layout, the drawing, and the wait for the renderer) and gives the
 * interval at which drawing takes about a fifteenth of the machine's time:
 * never shorter than min_ms, never longer than max_ms.  A software GL
 * renderer's frame is charged once per core: its threads rasterize on all
 * of them, and a training step's threads, which meet at every GEMM, wait
 * for the slowest, so the frame holds up every core for its time. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _RvFramePace RvFramePace;

/* Watches widget's frame clock while it is realized.  Free before the
 * widget goes. */
RvFramePace *rv_frame_pace_new (GtkWidget *widget, guint min_ms, guint max_ms);
void rv_frame_pace_free (RvFramePace *pace);

/* min_ms until a frame has been timed */
guint rv_frame_pace_get_interval_ms (RvFramePace *pace);

/* The rule itself, for a frame of frame_ms milliseconds, drawn by a
 * software renderer or not. */
guint rv_frame_pace_interval_for (double frame_ms, gboolean software, guint min_ms, guint max_ms);

G_END_DECLS
