/* widget-test-util.c: temporary images, pixel probes, styles and windows
 * for the chart widget tests. */
#include "widget-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-plot.h"

static char *tmp_dir;

void
widget_test_init (int *argc, char ***argv, const char *tmp_template)
{
  g_autoptr (GError) error = NULL;

  g_setenv ("GTK_A11Y", "test", FALSE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  tmp_dir = g_dir_make_tmp (tmp_template, &error);
  g_assert_no_error (error);
}

void
widget_test_cleanup (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = widget_test_tmp_path (name);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

const char *
widget_test_tmp_dir (void)
{
  return tmp_dir;
}

char *
widget_test_tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

void
widget_test_keep_shot (const char *path)
{
  const char *shots = g_getenv ("RAVINE_TEST_SHOTS");
  g_autofree char *base = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  if (shots == NULL || shots[0] == '\0')
    return;
  g_assert_cmpint (g_mkdir_with_parents (shots, 0755), ==, 0);
  base = g_path_get_basename (path);
  dest = g_build_filename (shots, base, NULL);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (dest, contents, len, &error));
  g_assert_no_error (error);
}

cairo_surface_t *
widget_test_render (const char *name, RvPlotDrawFunc draw, gpointer data, int width, int height)
{
  g_autofree char *path = widget_test_tmp_path (name);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (rv_plot_export (path, draw, data, width, height, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, height);
  widget_test_keep_shot (path);
  return surface;
}

WidgetTestPixel
widget_test_pixel_at (cairo_surface_t *surface, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  guint32 v;

  cairo_surface_flush (surface);
  ix = CLAMP (ix, 0, cairo_image_surface_get_width (surface) - 1);
  iy = CLAMP (iy, 0, cairo_image_surface_get_height (surface) - 1);
  data = cairo_image_surface_get_data (surface);
  memcpy (&v, data + (gsize) iy * stride + (gsize) ix * 4, 4);
  return (WidgetTestPixel) { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
}

double
widget_test_luminance (WidgetTestPixel p)
{
  return (0.2126 * p.r + 0.7152 * p.g + 0.0722 * p.b) / 255.0;
}

void
widget_test_set_dark (GtkWidget *widget, gboolean dark)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  RvPlotStyle style;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  for (;;)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      rv_plot_style_init (&style, widget);
      if (style.dark == dark || g_get_monotonic_time () > deadline)
        break;
      g_usleep (10000);
    }
}

GtkWidget *
widget_test_show (GtkWidget *child, int width, int height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 200 && (gtk_widget_get_width (child) == 0 || !gtk_widget_get_mapped (child)); i++)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  return window;
}

void
widget_test_shoot_window (GtkWidget *window, const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = widget_test_tmp_path (name);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  widget_test_keep_shot (path);
  gsk_render_node_unref (node);
  gsk_renderer_unrealize (renderer);
}

gboolean
widget_test_border_is_clear (cairo_surface_t *surface, int margin)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  WidgetTestPixel bg = widget_test_pixel_at (surface, 0, 0);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        WidgetTestPixel p;

        if (x >= margin && x < width - margin && y >= margin && y < height - margin)
          continue;
        p = widget_test_pixel_at (surface, x, y);
        if (abs (p.r - bg.r) > 8 || abs (p.g - bg.g) > 8 || abs (p.b - bg.b) > 8)
          {
            g_test_message ("pixel (%d, %d) is drawn on: %d %d %d", x, y, p.r, p.g, p.b);
            return FALSE;
          }
      }
  return TRUE;
}
