/* widget-test-util.h: helpers for the chart widget tests.
 *
 * The tests draw widgets into PNGs in a temporary folder, read them back
 * and probe their pixels; the images are also copied to $RAVINE_TEST_SHOTS
 * when it names a folder, for people to look at. */
#pragma once

#include <gtk/gtk.h>

#include "rv-plot-export.h"

G_BEGIN_DECLS

/* A pixel of an exported image: exports paint an opaque background, so
 * premultiplication is moot. */
typedef struct
{
  int r, g, b;
} WidgetTestPixel;

/* Sets up GTK with its test accessibility backend (accessible properties
 * can be read back), libadwaita in the light style whatever the desktop
 * prefers, and a temporary folder named after tmp_template
 * (g_dir_make_tmp). */
void widget_test_init (int *argc, char ***argv, const char *tmp_template);

/* Removes the temporary folder and the files in it. */
void widget_test_cleanup (void);

const char *widget_test_tmp_dir (void);

/* name inside the temporary folder. */
char *widget_test_tmp_path (const char *name);

/* Copies the file at path to $RAVINE_TEST_SHOTS, if that is set. */
void widget_test_keep_shot (const char *path);

/* Exports draw (data) through rv_plot_export to name (a PNG) in the
 * temporary folder, reads it back and checks its size. */
cairo_surface_t *widget_test_render (const char *name, RvPlotDrawFunc draw, gpointer data,
                                     int width, int height);

/* The pixel holding (x, y), clamped to the image. */
WidgetTestPixel widget_test_pixel_at (cairo_surface_t *surface, double x, double y);

/* Relative luminance in [0, 1]. */
double widget_test_luminance (WidgetTestPixel p);

/* Forces the dark or the light style and waits until it reaches widget:
 * the style manager applies it from the main loop, and the new CSS
 * reaches widgets some iterations later. */
void widget_test_set_dark (GtkWidget *widget, gboolean dark);

/* Presents a new window of default size width × height holding child and
 * waits until child is mapped and has a size; returns the window. */
GtkWidget *widget_test_show (GtkWidget *child, int width, int height);

/* Draws window as GTK does, through GSK's cairo renderer, into name (a
 * PNG) in the temporary folder, and keeps the image. */
void widget_test_shoot_window (GtkWidget *window, const char *name);

/* Whether the outermost margin pixels of an export are all its
 * background (the corner's colour): nothing drawn runs into the edge,
 * so nothing is cut off there. */
gboolean widget_test_border_is_clear (cairo_surface_t *surface, int margin);

G_END_DECLS
