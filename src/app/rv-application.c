/* rv-application.c: the application object: command-line options,
 * settings, the style, the About window, and the window it opens. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-application.h"
#include "rv-preferences.h"
#include "rv-window.h"

struct _RvApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  char *page;      /* from --page, NULL to reopen the last one */
  char *data_dir;  /* from --data */
};

G_DEFINE_FINAL_TYPE (RvApplication, rv_application, ADW_TYPE_APPLICATION)

static const char *const page_names[] = { "initialization", "training", "surfaces", "landscape" };

gboolean
rv_application_is_page_name (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return TRUE;
  return FALSE;
}

static int
rv_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  RvApplication *self = RV_APPLICATION (app);
  const char *page = NULL, *data = NULL;

  /* Ravine opens no files: GApplication would answer an argument with a
   * critical, so it is refused here with a usage line. */
  g_autofree const char **rest = NULL;
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) && rest && rest[0])
    {
      g_printerr (_("ravine: unexpected argument “%s”\n"
                    "Usage: ravine [--page initialization|training|surfaces|landscape] [--data DIR] (see ravine --help)\n"),
                  rest[0]);
      return 2;
    }
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ravine %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      if (!rv_application_is_page_name (page))
        {
          g_printerr (_("ravine: unknown page “%s” (use initialization, training, surfaces or landscape)\n"), page);
          return 2;
        }
      g_free (self->page);
      self->page = g_strdup (page);
    }
  if (g_variant_dict_lookup (options, "data", "^&ay", &data))
    {
      g_free (self->data_dir);
      self->data_dir = g_strdup (data);
    }
  return -1;
}

static void
rv_application_activate (GApplication *app)
{
  RvApplication *self = RV_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (rv_window_new (self));
  if (self->page)
    rv_window_show_page (RV_WINDOW (window), self->page);
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
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RvApplication *self = RV_APPLICATION (user_data);
  GtkWindow *prefs = rv_preferences_new (self->settings);
  gtk_window_set_transient_for (prefs, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (prefs);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "quit", .activate = quit_activated },
};

/* The style follows the setting: the system's, or forced light or dark. */
static void
apply_color_scheme (RvApplication *self)
{
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT,
                                            ADW_COLOR_SCHEME_FORCE_DARK };
  int choice = g_settings_get_enum (self->settings, "color-scheme");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[CLAMP (choice, 0, 2)]);
}

static void
rv_application_startup (GApplication *app)
{
  RvApplication *self = RV_APPLICATION (app);
  G_APPLICATION_CLASS (rv_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed::color-scheme", G_CALLBACK (apply_color_scheme), self);
  apply_color_scheme (self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.page::initialization", { "<Alt>1", NULL } },
    { "win.page::training", { "<Alt>2", NULL } },
    { "win.page::surfaces", { "<Alt>3", NULL } },
    { "win.page::landscape", { "<Alt>4", NULL } },
    { "win.export-plot", { "<Control>e", NULL } },
    { "win.export-numbers", { "<Control><Shift>e", NULL } },
    { "win.reroll-seed", { "<Control>r", NULL } },
    { "win.pin", { "<Control>p", NULL } },
    { "win.open-setup", { "<Control>o", NULL } },
    { "win.save-setup", { "<Control>s", NULL } },
    { "win.lesson", { "F9", NULL } },
    { "win.lesson-step(1)", { "<Alt>Right", NULL } },
    { "win.lesson-step(-1)", { "<Alt>Left", NULL } },
    { "win.presentation", { "F11", NULL } },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
rv_application_finalize (GObject *object)
{
  RvApplication *self = RV_APPLICATION (object);
  g_clear_object (&self->settings);
  g_free (self->page);
  g_free (self->data_dir);
  G_OBJECT_CLASS (rv_application_parent_class)->finalize (object);
}

static void
rv_application_class_init (RvApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = rv_application_finalize;
  app_class->activate = rv_application_activate;
  app_class->startup = rv_application_startup;
  app_class->handle_local_options = rv_application_handle_local_options;
}

static void
rv_application_init (RvApplication *self)
{
  static const GOptionEntry options[] = {
    { "page", 'p', 0, G_OPTION_ARG_STRING, NULL, N_("Open on a page: initialization, training, surfaces or landscape"), N_("PAGE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Read FashionMNIST from this folder"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
    { NULL }
  };
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("See how initialization and optimizers shape deep networks."));
}

RvApplication *
rv_application_new (void)
{
  return g_object_new (RV_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/ravine/Ravine",
                       NULL);
}

GSettings *
rv_application_get_settings (RvApplication *self)
{
  return self->settings;
}

const char *
rv_application_get_data_dir (RvApplication *self)
{
  return self->data_dir;
}
