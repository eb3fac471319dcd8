/* rv-window.c: the main window: a view switcher over the three pages, the
 * data banner, and the window state kept in GSettings. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-dataset.h"
#include "rv-download-dialog.h"
#include "rv-init-page.h"
#include "rv-lesson-panel.h"
#include "rv-plot.h"
#include "rv-surface-3d.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-download.h"
#include "rv-window.h"

struct _RvWindow
{
  AdwApplicationWindow parent_instance;

  AdwViewStack *stack;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  GtkWidget *download_button;
  RvInitPage *init_page;
  RvTrainingPage *training_page;
  RvSurfacesPage *surfaces_page;
  AdwFlap *lesson_flap;
  RvLessonPanel *lesson_panel;
  const RvLessonStep *applied_step;  /* the step shown last, only compared: where a step comes from */
  GtkRevealer *header_revealer;
  guint hide_controls_id;
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
rv_window_get_lesson_panel (RvWindow *self)
{
  return GTK_WIDGET (self->lesson_panel);
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
  const char *folder = rv_init_page_get_data_source (self->init_page);
  g_autofree char *where = folder != NULL ? g_strdup_printf (_("Read from %s"), folder) : NULL;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_label), where);
  gtk_revealer_set_reveal_child (self->banner, text != NULL);
  gboolean synthetic = text != NULL && rv_init_page_is_synthetic (self->init_page);
  gtk_widget_set_visible (self->download_button, synthetic);
  if (synthetic)
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

static void
device_changed (RvWindow *self)
{
  g_autofree char *device = g_settings_get_string (self->settings, "device");
  rv_training_page_set_device (self->training_page, device);
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
  g_signal_connect_swapped (self->settings, "changed::device", G_CALLBACK (device_changed), self);
  device_changed (self);
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
  g_clear_handle_id (&self->hide_controls_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_WINDOW);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
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
  g_type_ensure (RV_TYPE_LESSON_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RvWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, download_button);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, init_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, surfaces_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, lesson_flap);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, lesson_panel);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, header_revealer);
}

/* --- the data download --------------------------------------------------------- */

static void
download_finished (RvWindow *self, gboolean ok)
{
  if (!ok)
    return;
  RvApplication *app = RV_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  rv_init_page_reload_data (self->init_page, rv_application_get_data_dir (app));
  data_changed (self);
}

RvDownloadDialog *
rv_window_download_data (RvWindow *self)
{
  RvApplication *app = RV_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *dir = rv_dataset_find_dir (rv_application_get_data_dir (app));
  RvDownloadDialog *dialog = rv_download_dialog_new (GTK_WINDOW (self), dir, NULL);
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (download_finished), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
download_confirmed (AdwMessageDialog *dialog, const char *response, RvWindow *self)
{
  if (g_str_equal (response, "download"))
    rv_window_download_data (self);
}

/* Nothing leaves the machine unless the user agrees. */
static void
download_data_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  RvApplication *app = RV_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *dir = rv_dataset_find_dir (rv_application_get_data_dir (app));
  g_autofree char *body = g_strdup_printf (_("The four files (about 30 MB) come from the data set's official mirror, "
                                             "%s, and go to %s. Each is checked against its SHA-256 before it is used."),
                                           rv_download_base_url (NULL), dir);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Download FashionMNIST?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "download", _("_Download"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "download", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "download");
  g_signal_connect (dialog, "response", G_CALLBACK (download_confirmed), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- lessons --------------------------------------------------------------- */

/* An Initialization step sets every control and display option (the parser
 * fills in the defaults it leaves out), so no earlier step's settings or pin
 * linger.  A step with "pin" keeps the pin; with none, it pins what the step
 * before it showed, when that is where the reader comes from. */
static void
apply_init_step (RvWindow *self, const RvLessonStep *s, gboolean from_previous)
{
  if (!s->pin)
    rv_init_page_clear_pin (self->init_page);
  else if (rv_init_page_get_pin_label (self->init_page) == NULL && from_previous)
    rv_init_page_pin (self->init_page);
  rv_init_page_set_display (self->init_page, s->kde, s->density, s->log_y, s->same_x_range);
  g_autoptr (GError) error = NULL;
  if (!rv_init_page_configure (self->init_page, s->activation, s->init, s->hidden, s->view, &error))
    g_warning ("lesson %s: %s", rv_lesson_panel_get_lesson (self->lesson_panel)->source, error->message);
}

/* Sets up the experiment a lesson step talks about. */
static void
apply_lesson_step (RvWindow *self)
{
  const RvLessonStep *s = rv_lesson_panel_get_current (self->lesson_panel);
  if (s == NULL)
    return;
  const RvLessonStep *before = self->applied_step;
  self->applied_step = s;
  const RvLesson *lesson = rv_lesson_panel_get_lesson (self->lesson_panel);
  guint step = rv_lesson_panel_get_step (self->lesson_panel);
  gboolean from_previous = before != NULL && step > 0 && g_ptr_array_index (lesson->steps, step - 1) == before;
  rv_window_show_page (self, s->page);
  if (g_str_equal (s->page, "initialization"))
    apply_init_step (self, s, from_previous);
  else if (g_str_equal (s->page, "training"))
    {
      if (g_strcmp0 (s->preset, "tutorial") == 0 && rv_init_page_get_dataset (self->init_page))
        rv_training_page_add_tutorial_runs (self->training_page);
    }
  else
    {
      if (g_strcmp0 (s->preset, "ravine") == 0)
        rv_surfaces_page_load_preset (self->surfaces_page, RV_SURFACES_PRESET_RAVINE);
      else if (g_strcmp0 (s->preset, "steep") == 0)
        rv_surfaces_page_load_preset (self->surfaces_page, RV_SURFACES_PRESET_STEEP);
      else if (s->surface)
        rv_surfaces_page_set_surface (self->surfaces_page, s->surface);
      /* Each step starts from the default camera, whatever the last one left. */
      rv_surface_3d_reset_camera (rv_surfaces_page_get_3d (self->surfaces_page));
    }
}

static void
lesson_changed (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  gboolean on = g_variant_get_boolean (state);
  g_simple_action_set_state (action, state);
  if (on && rv_lesson_panel_get_n_lessons (self->lesson_panel) == 0)
    {
      rv_lesson_panel_set_lessons (self->lesson_panel, rv_lesson_load_all ());
      apply_lesson_step (self);
    }
  adw_flap_set_reveal_flap (self->lesson_flap, on);
}

static void
lesson_step_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  if (!adw_flap_get_reveal_flap (self->lesson_flap))
    return;
  if (g_variant_get_int32 (parameter) > 0)
    rv_lesson_panel_next (self->lesson_panel);
  else
    rv_lesson_panel_previous (self->lesson_panel);
}

/* --- the lecture keys -------------------------------------------------------- */

/* A presenter's clicker sends Page Down and Page Up. With a lesson open they
 * move its steps; on the Loss surfaces page they play and step. Returns
 * whether there was anything to move, so that the key goes on otherwise. */
static gboolean
lecture_move (RvWindow *self, gboolean forward)
{
  if (adw_flap_get_reveal_flap (self->lesson_flap))
    {
      if (forward)
        rv_lesson_panel_next (self->lesson_panel);
      else
        rv_lesson_panel_previous (self->lesson_panel);
      return TRUE;
    }
  if (g_strcmp0 (rv_window_get_page (self), "surfaces") != 0)
    return FALSE;
  if (forward)
    rv_surfaces_page_set_playing (self->surfaces_page, !rv_surfaces_page_get_playing (self->surfaces_page));
  else
    rv_surfaces_page_step (self->surfaces_page);
  return TRUE;
}

static void
lecture_next_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  lecture_move (RV_WINDOW (user_data), TRUE);
}

static void
lecture_previous_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  lecture_move (RV_WINDOW (user_data), FALSE);
}

/* Whether the focused widget has its own use for the key: Page Up/Down
 * change a spin button or a scale and move the cursor in text; Space
 * types into text and presses a button. */
static gboolean
focus_keeps_key (GtkWidget *focus, gboolean space)
{
  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER))
    return TRUE;
  if (!space)
    return GTK_IS_RANGE (focus);
  return GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus) || GTK_IS_SWITCH (focus)
         || GTK_IS_LIST_BOX_ROW (focus) || GTK_IS_FLOW_BOX_CHILD (focus);
}

/* In the capture phase, before a scrolled form takes Page Down to scroll. */
static gboolean
lecture_key_pressed (RvWindow *self, guint keyval, guint keycode, GdkModifierType state)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
    return FALSE;
  gboolean forward, space = FALSE;
  switch (keyval)
    {
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      forward = TRUE;
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      forward = FALSE;
      break;
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      forward = space = TRUE;
      break;
    default:
      return FALSE;
    }
  if (focus_keeps_key (gtk_root_get_focus (GTK_ROOT (self)), space))
    return FALSE;
  return lecture_move (self, forward);
}

/* --- presentation mode ------------------------------------------------------- */

static gboolean
hide_controls (gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  gtk_revealer_set_reveal_child (self->header_revealer, FALSE);
  self->hide_controls_id = 0;
  return G_SOURCE_REMOVE;
}

/* In presentation mode the header hides, and comes back while the pointer moves. */
static void
pointer_moved (RvWindow *self)
{
  if (!gtk_widget_has_css_class (GTK_WIDGET (self), "presentation"))
    return;
  gtk_revealer_set_reveal_child (self->header_revealer, TRUE);
  if (self->hide_controls_id)
    g_source_remove (self->hide_controls_id);
  self->hide_controls_id = g_timeout_add_seconds (3, hide_controls, self);
}

static void
presentation_changed (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  gboolean on = g_variant_get_boolean (state);
  g_simple_action_set_state (action, state);
  if (on)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      rv_plot_set_presentation (TRUE);
      gtk_window_fullscreen (GTK_WINDOW (self));
      pointer_moved (self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      rv_plot_set_presentation (FALSE);
      gtk_window_unfullscreen (GTK_WINDOW (self));
      g_clear_handle_id (&self->hide_controls_id, g_source_remove);
      gtk_revealer_set_reveal_child (self->header_revealer, TRUE);
    }
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
  { .name = "lesson", .state = "false", .change_state = lesson_changed },
  { .name = "download-data", .activate = download_data_activated },
  { .name = "lesson-step", .activate = lesson_step_activated, .parameter_type = "i" },
  { .name = "presentation", .state = "false", .change_state = presentation_changed },
  { .name = "lecture-next", .activate = lecture_next_activated },
  { .name = "lecture-previous", .activate = lecture_previous_activated },
};

static void
rv_window_init (RvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  g_signal_connect_swapped (self->lesson_panel, "step-changed", G_CALLBACK (apply_lesson_step), self);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (pointer_moved), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (lecture_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

RvWindow *
rv_window_new (RvApplication *app)
{
  RvWindow *self = g_object_new (RV_TYPE_WINDOW, "application", app, NULL);
  setup (self, app);
  return self;
}
