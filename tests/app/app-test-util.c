/* app-test-util.c: waiting on the main loop, screenshots, and an X server
 * large enough for the biggest window sizes. */
#include "app-test-util.h"

#include <math.h>
#include <signal.h>
#include <unistd.h>

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

void
app_test_check_log_toggle (RvCurveView *view, GtkCheckButton *toggle)
{
  RvCurveSet *set = rv_curve_view_get_model (view);
  guint s = rv_curve_set_add_series (set, "falling", NULL, FALSE);
  RvPlotAxis axis;

  for (int i = 0; i < 300; i++)
    rv_curve_set_append (set, s, i, 2.3 * exp (-i / 30.0) + 1e-3);
  g_assert_false (gtk_check_button_get_active (toggle));
  g_assert_false (rv_curve_view_get_log_y (view));
  g_assert_true (rv_curve_view_get_x_integer (view));

  gtk_check_button_set_active (toggle, TRUE);
  g_assert_true (rv_curve_view_get_log_y (view));
  g_assert_true (rv_curve_view_get_axis (view, 480, 260, TRUE, &axis));
  g_assert_cmpuint (axis.n_ticks, >=, 2);
  for (guint i = 0; i < axis.n_ticks; i++)
    {
      double e = log10 (axis.ticks[i]);

      g_assert_cmpfloat (fabs (e - round (e)), <, 1e-9);
    }

  gtk_check_button_set_active (toggle, FALSE);
  g_assert_false (rv_curve_view_get_log_y (view));
  rv_curve_set_remove_series (set, s);
}

GtkEventController *
app_test_find_controller (GtkWidget *widget, const char *name)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        return c;
    }
  return NULL;
}

/* The display's number comes back on a pipe (-displayfd), so no number is
 * guessed and none can clash with another test's server; -terminate ends
 * the server with its last client, so a test that crashes leaves none
 * behind. */
GPid
app_test_start_own_display (int width, int height)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  if (xvfb == NULL || g_getenv ("RAVINE_TEST_OWN_DISPLAY") != NULL)
    return 0;
  int fds[2];
  if (pipe (fds) != 0)
    return 0;
  g_autofree char *fd = g_strdup_printf ("%d", fds[1]);
  g_autofree char *screen = g_strdup_printf ("%dx%dx24", width, height);
  const char *argv[] = { xvfb, "-displayfd", fd, "-screen", "0", screen, "-nolisten", "tcp", "-terminate", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid = 0;
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_LEAVE_DESCRIPTORS_OPEN | G_SPAWN_STDOUT_TO_DEV_NULL
                        | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error))
    {
      g_printerr ("no Xvfb of its own: %s\n", error->message);
      close (fds[0]);
      close (fds[1]);
      return 0;
    }
  close (fds[1]);
  char number[16] = { 0 };
  ssize_t n = read (fds[0], number, sizeof number - 1);
  close (fds[0]);
  if (n <= 0)
    {
      kill (pid, SIGTERM);
      g_spawn_close_pid (pid);
      return 0;
    }
  g_strchomp (number);
  g_autofree char *display = g_strdup_printf (":%s", number);
  g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("RAVINE_TEST_OWN_DISPLAY", display, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");
  return pid;
}

void
app_test_stop_own_display (GPid pid)
{
  if (pid == 0)
    return;
  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
}
