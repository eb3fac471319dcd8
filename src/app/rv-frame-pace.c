/* rv-frame-pace.c: a redraw cadence from the frames' cost (rv-frame-pace.h). */
#include "rv-frame-pace.h"

#include <epoxy/gl.h>
#include <string.h>

/* drawing takes at most 1/DRAW_SHARE of the machine's time */
#define DRAW_SHARE 15.0
/* each timed frame's weight in the running mean: one slow frame (the first
 * one uploads every chart) does not set the pace alone */
#define FRAME_WEIGHT 0.25

struct _RvFramePace
{
  GtkWidget *widget;
  guint min_ms, max_ms;
  GdkFrameClock *clock;      /* a reference while realized, else NULL */
  gulong before_id, paint_id, after_id, realize_id, unrealize_id;
  gint64 frame_start;        /* µs, of the frame under way */
  gboolean painted;          /* it got to the paint phase */
  double frame_ms;           /* the running mean; 0 until one was timed */
  gboolean software;         /* the window is drawn with GL on the CPU */
  gboolean software_known;   /* asked since realized */
};

guint
rv_frame_pace_interval_for (double frame_ms, gboolean software, guint min_ms, guint max_ms)
{
  double ms = frame_ms * DRAW_SHARE * (software ? g_get_num_processors () : 1);
  return ms <= min_ms ? min_ms : ms >= max_ms ? max_ms : (guint) ms;
}

/* Whether GTK draws widget's window with a GPU renderer whose GPU is the
 * CPU (Mesa's llvmpipe, softpipe or swrast, as under Xvfb or in a virtual
 * machine): asked of a GL context of the window's own (a renderer
 * other than GL, as newer GTKs choose, runs on the same driver).  The cairo
 * renderer draws on the CPU too, but only what changed. */
static gboolean
renders_in_software (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  if (native == NULL || GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (native)))
    return FALSE;
  g_autoptr (GdkGLContext) context = gdk_surface_create_gl_context (gtk_native_get_surface (native), NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return FALSE;
  gdk_gl_context_make_current (context);
  const char *name = (const char *) glGetString (GL_RENDERER);
  gboolean software = name && (strstr (name, "llvmpipe") || strstr (name, "softpipe") || strstr (name, "swrast"));
  gdk_gl_context_clear_current ();
  return software;
}

static void
before_paint (GdkFrameClock *clock, RvFramePace *pace)
{
  pace->frame_start = g_get_monotonic_time ();
  pace->painted = FALSE;
}

static void
painting (GdkFrameClock *clock, RvFramePace *pace)
{
  pace->painted = TRUE;
}

static void
after_paint (GdkFrameClock *clock, RvFramePace *pace)
{
  /* a frame that only laid out drew nothing: it says nothing of the cost */
  if (!pace->painted || pace->frame_start == 0)
    return;
  double ms = (g_get_monotonic_time () - pace->frame_start) / 1e3;
  pace->frame_ms = pace->frame_ms == 0.0 ? ms : (1 - FRAME_WEIGHT) * pace->frame_ms + FRAME_WEIGHT * ms;
  pace->painted = FALSE;
}

static void
unwatch (GtkWidget *widget, RvFramePace *pace)
{
  if (pace->clock == NULL)
    return;
  g_clear_signal_handler (&pace->before_id, pace->clock);
  g_clear_signal_handler (&pace->paint_id, pace->clock);
  g_clear_signal_handler (&pace->after_id, pace->clock);
  g_clear_object (&pace->clock);
  pace->frame_start = 0;
}

static void
watch (GtkWidget *widget, RvFramePace *pace)
{
  unwatch (widget, pace);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  if (clock == NULL)
    return;
  pace->clock = g_object_ref (clock);
  pace->software_known = FALSE;
  pace->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint), pace);
  /* after GDK's own handler, which renders */
  pace->paint_id = g_signal_connect_after (clock, "paint", G_CALLBACK (painting), pace);
  pace->after_id = g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint), pace);
}

RvFramePace *
rv_frame_pace_new (GtkWidget *widget, guint min_ms, guint max_ms)
{
  RvFramePace *pace = g_new0 (RvFramePace, 1);
  pace->widget = widget;
  pace->min_ms = min_ms;
  pace->max_ms = MAX (min_ms, max_ms);
  pace->realize_id = g_signal_connect_after (widget, "realize", G_CALLBACK (watch), pace);
  pace->unrealize_id = g_signal_connect (widget, "unrealize", G_CALLBACK (unwatch), pace);
  if (gtk_widget_get_realized (widget))
    watch (widget, pace);
  return pace;
}

void
rv_frame_pace_free (RvFramePace *pace)
{
  if (pace == NULL)
    return;
  unwatch (pace->widget, pace);
  g_clear_signal_handler (&pace->realize_id, pace->widget);
  g_clear_signal_handler (&pace->unrealize_id, pace->widget);
  g_free (pace);
}

guint
rv_frame_pace_get_interval_ms (RvFramePace *pace)
{
  /* asked when first needed, not while the window opens (a GL context
   * costs about 12 ms under llvmpipe) */
  if (pace->frame_ms > 0.0 && !pace->software_known && pace->clock != NULL)
    {
      pace->software = renders_in_software (pace->widget);
      pace->software_known = TRUE;
    }
  return rv_frame_pace_interval_for (pace->frame_ms, pace->software, pace->min_ms, pace->max_ms);
}
