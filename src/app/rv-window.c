/* rv-window.c: the main window: a view switcher over the three pages, the
 * data banner, and the window state kept in GSettings. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-init-page.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

struct _RvWindow
{
  AdwApplicationWindow parent_instance;

  AdwViewStack *stack;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  RvInitPage *init_page;
  RvTrainingPage *training_page;
  RvSurfacesPage *surfaces_page;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (RvWindow, rv_window, ADW_TYPE_APPLICATION_WINDOW)

void
rv_window_show_page (RvWindow *self, const char *name)
{
  if (rv_application_is_page_name (name))
    adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
rv_window_get_page (RvWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->stack);
}

GtkWidget *
rv_window_get_init_page (RvWindow *self)
{
  return GTK_WIDGET (self->init_page);
}

GtkWidget *
rv_window_get_training_page (RvWindow *self)
{
  return GTK_WIDGET (self->training_page);
}

GtkWidget *
rv_window_get_surfaces_page (RvWindow *self)
{
  return GTK_WIDGET (self->surfaces_page);
}

/* Runs are kept where `ravine-cli train --out` would put them for this user. */
static char *
runs_folder (void)
{
  const char *env = g_getenv ("RAVINE_RUNS_DIR");
  if (env && *env)
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "ravine", "runs", NULL);
}

static void
page_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_window_show_page (RV_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

/* The banner says which data set is in use, and how to get the real one. */
static void
data_changed (RvWindow *self)
{
  g_autofree char *text = rv_init_page_describe_data (self->init_page);
  gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner, text != NULL);
  if (rv_init_page_is_synthetic (self->init_page))
    gtk_widget_add_css_class (GTK_WIDGET (self->banner_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->banner_label), "warning");
  /* the Training page trains on the same data, loaded once */
  const RvDataset *data = rv_init_page_get_dataset (self->init_page);
  if (data)
    {
      g_autofree char *runs = runs_folder ();
      rv_training_page_set_data (self->training_page, data, runs);
    }
}

static void
visible_page_changed (RvWindow *self)
{
  const char *name = rv_window_get_page (self);
  if (name)
    g_settings_set_string (self->settings, "page", name);
}

static gboolean
rv_window_close_request (GtkWindow *window)
{
  RvWindow *self = RV_WINDOW (window);
  int width = 0, height = 0;
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (rv_window_parent_class)->close_request (window);
}

/* After construction, when the application (a plain property) is set. */
static void
setup (RvWindow *self, RvApplication *app)
{
  self->settings = g_object_ref (rv_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_autofree char *page = g_settings_get_string (self->settings, "page");
  rv_window_show_page (self, page);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (visible_page_changed), self);

  rv_init_page_start (self->init_page, self->settings, rv_application_get_data_dir (app));
  g_signal_connect_swapped (self->init_page, "data-changed", G_CALLBACK (data_changed), self);
  data_changed (self);
}

static void
rv_window_dispose (GObject *object)
{
  RvWindow *self = RV_WINDOW (object);
  /* the training threads read the init page's data: stop them first */
  if (self->training_page)
    rv_training_page_shutdown (self->training_page);
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_WINDOW);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rv_window_parent_class)->dispose (object);
}

static void
rv_window_class_init (RvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = rv_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = rv_window_close_request;

  g_type_ensure (RV_TYPE_INIT_PAGE);
  g_type_ensure (RV_TYPE_TRAINING_PAGE);
  g_type_ensure (RV_TYPE_SURFACES_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RvWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, init_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, surfaces_page);
}

static void
export_plot_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_init_page_choose_plot_file (RV_WINDOW (user_data)->init_page);
}

static void
export_numbers_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_init_page_choose_numbers_file (RV_WINDOW (user_data)->init_page);
}

static void
reroll_seed_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_init_page_reroll_seed (RV_WINDOW (user_data)->init_page);
}

static void
pin_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_init_page_pin (RV_WINDOW (user_data)->init_page);
}

static const GActionEntry win_actions[] = {
  { .name = "page", .activate = page_activated, .parameter_type = "s" },
  { .name = "export-plot", .activate = export_plot_activated },
  { .name = "export-numbers", .activate = export_numbers_activated },
  { .name = "reroll-seed", .activate = reroll_seed_activated },
  { .name = "pin", .activate = pin_activated },
};

static void
rv_window_init (RvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
}

RvWindow *
rv_window_new (RvApplication *app)
{
  RvWindow *self = g_object_new (RV_TYPE_WINDOW, "application", app, NULL);
  setup (self, app);
  return self;
}
