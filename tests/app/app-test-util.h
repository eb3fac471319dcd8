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

/* A loss chart's "Log scale" check button (off at first) switches its y
 * axis between linear and log; on log, with a loss that falls over
 * decades, the drawn ticks are powers of ten.  The chart's x ticks are
 * whole steps. */
void app_test_check_log_toggle (RvCurveView *view, GtkCheckButton *toggle);

/* widget's event controller of that name (gtk_event_controller_set_name),
 * or NULL: a page's own gesture, whose signals a test emits as a pointer
 * would. */
GtkEventController *app_test_find_controller (GtkWidget *widget, const char *name);
