/* app-test-util.h: helpers for the GTK tests. */
#pragma once

#include <gtk/gtk.h>

/* Runs the main loop until done (*flag becomes TRUE) or timeout_s passes;
 * returns *flag. */
gboolean app_test_wait_for (gboolean (*done) (gpointer data), gpointer data, double timeout_s);

/* Renders widget as it is shown on screen into a PNG at path. */
gboolean app_test_screenshot (GtkWidget *widget, const char *path);

/* Saves a screenshot as NAME.png into $RAVINE_TEST_SHOTS when it is set. */
void app_test_maybe_screenshot (GtkWidget *widget, const char *name);
