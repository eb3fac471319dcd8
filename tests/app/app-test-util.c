/* app-test-util.c: waiting on the main loop, and screenshots. */
#include "app-test-util.h"

gboolean
app_test_wait_for (gboolean (*done) (gpointer data), gpointer data, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!done (data) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return done (data);
}

gboolean
app_test_screenshot (GtkWidget *widget, const char *path)
{
  /* let layout and drawing settle */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    return FALSE;
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkTexture) texture = gsk_renderer_render_texture (renderer, node,
                                                                &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

void
app_test_maybe_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("RAVINE_TEST_SHOTS");
  if (dir == NULL || *dir == '\0')
    return;
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  if (!app_test_screenshot (widget, path))
    g_test_message ("could not save the screenshot %s", path);
}
