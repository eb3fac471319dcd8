/* app-test-util.h: helpers for the GTK tests. */
#pragma once

#include <gtk/gtk.h>

#include "rv-curve-view.h"

/* Runs the main loop until done (*flag becomes TRUE) or timeout_s passes;
 * returns *flag. */
gboolean app_test_wait_for (gboolean (*done) (gpointer data), gpointer data, double timeout_s);

/* Renders widget as it is shown on screen into a PNG at path. */
gboolean app_test_screenshot (GtkWidget *widget, const char *path);

/* Saves a screenshot as NAME.png into $RAVINE_TEST_SHOTS when it is set. */
void app_test_maybe_screenshot (GtkWidget *widget, const char *name);

/* Starts an Xvfb of width × height and points DISPLAY at it, so that
 * windows up to 1920×1080 fit whatever screen the suite runs under (CI's
 * xvfb-run has a smaller one).  Returns its pid for
 * app_test_stop_own_display, or 0 where there is no Xvfb or this process
 * already inherited one from its parent test: then the current display is
 * used as it is. */
GPid app_test_start_own_display (int width, int height);
void app_test_stop_own_display (GPid pid);

/* A loss chart's "Log scale" check button (off at first) switches its y
 * axis between linear and log; on log, with a loss that falls over
 * decades, the drawn ticks are powers of ten.  The chart's x ticks are
 * whole steps. */
void app_test_check_log_toggle (RvCurveView *view, GtkCheckButton *toggle);

/* widget's event controller of that name (gtk_event_controller_set_name),
 * or NULL: a page's own gesture, whose signals a test emits as a pointer
 * would. */
GtkEventController *app_test_find_controller (GtkWidget *widget, const char *name);
