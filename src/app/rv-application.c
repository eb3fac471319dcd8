/* rv-application.c: the application object: actions, the About dialog,
 * and the window it opens. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-application.h"
#include "rv-window.h"

struct _RvApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (RvApplication, rv_application, ADW_TYPE_APPLICATION)

static void
rv_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (rv_window_new (RV_APPLICATION (app)));
  gtk_window_present (window);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Ravine developers", NULL };
  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Ravine"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("See how initialization and optimizers shape deep networks"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_activated },
  { .name = "quit", .activate = quit_activated },
};

static void
rv_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (rv_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  const char *quit_accels[] = { "<Control>q", NULL };
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
rv_application_class_init (RvApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  app_class->activate = rv_application_activate;
  app_class->startup = rv_application_startup;
}

static void
rv_application_init (RvApplication *self)
{
}

RvApplication *
rv_application_new (void)
{
  return g_object_new (RV_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/ravine/Ravine",
                       NULL);
}
