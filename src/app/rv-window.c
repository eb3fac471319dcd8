/* rv-window.c: the main window: a view switcher over the four pages, the
 * data banner, the header's toggle for the visible page's controls,
 * presentation mode with its focus view of one chart, and the window state
 * kept in GSettings. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-chart.h"
#include "rv-dataset.h"
#include "rv-download-dialog.h"
#include "rv-init-page.h"
#include "rv-landscape-page.h"
#include "rv-lesson-panel.h"
#include "rv-plot.h"
#include "rv-reflow-box.h"
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
  RvLandscapePage *landscape_page;
  AdwFlap *lesson_flap;
  RvLessonPanel *lesson_panel;
  const RvLessonStep *applied_step;  /* the step shown last, only compared: where a step comes from */
  GtkRevealer *header_revealer;
  guint hide_controls_id;
  GSettings *settings;

  /* the header's toggle, bound to the visible page's controls flap */
  GtkWidget *controls_button;
  AdwFlap *controls_flap;     /* the visible page's, watched, or NULL */
  GBinding *controls_reveal;
  guint controls_idle_id;

  /* presentation mode's type sizes */
  GtkCssProvider *presentation_css;

  /* the focus view: one chart alone, and where it came from */
  GtkStack *shell;
  AdwBin *focus_bin;
  GtkWidget *focused;          /* the chart shown alone, owned, or NULL */
  GtkWidget *focus_parent;     /* its own parent, owned */
  GtkWidget *focus_sibling;    /* in a GtkBox, the child before it (owned), or NULL: first */
  int focus_cell[4];           /* in a GtkGrid: column, row, width, height */
  const char *focus_property;  /* the parent's property that held it ("child", "start-child" …), or NULL */
  gboolean focus_overlaid;     /* a GtkOverlay's overlay child, not its main one */
};

G_DEFINE_FINAL_TYPE (RvWindow, rv_window, ADW_TYPE_APPLICATION_WINDOW)

static void presentation_scale_changed (RvWindow *self);

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

GtkWidget *
rv_window_get_landscape_page (RvWindow *self)
{
  return GTK_WIDGET (self->landscape_page);
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
      rv_landscape_page_set_data (self->landscape_page, data, runs);
    }
}

/* The visible page's controls sidebar: the page's AdwFlap (each page puts
 * its controls in one, as its root child or below it), or NULL. */
static AdwFlap *
find_flap (GtkWidget *widget)
{
  if (ADW_IS_FLAP (widget))
    return ADW_FLAP (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwFlap *flap = find_flap (c);
      if (flap)
        return flap;
    }
  return NULL;
}

static gboolean
sync_controls_button (gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  self->controls_idle_id = 0;
  gtk_widget_set_visible (self->controls_button, self->controls_flap && adw_flap_get_folded (self->controls_flap));
  return G_SOURCE_REMOVE;
}

/* A flap folds while it is allocated, when the header has been too: the
 * toggle shows or hides after that allocation, not during it. */
static void
controls_folded (RvWindow *self)
{
  if (self->controls_idle_id == 0)
    self->controls_idle_id = g_idle_add (sync_controls_button, self);
}

static void
unbind_controls_button (RvWindow *self)
{
  g_clear_pointer (&self->controls_reveal, g_binding_unbind);
  if (self->controls_flap)
    {
      g_signal_handlers_disconnect_by_data (self->controls_flap, self);
      g_clear_weak_pointer (&self->controls_flap);
    }
  g_clear_handle_id (&self->controls_idle_id, g_source_remove);
}

/* One toggle in the header for every page: it shows while the page is too
 * narrow for its controls beside the content, and reveals them over it. */
static void
bind_controls_button (RvWindow *self)
{
  unbind_controls_button (self);
  GtkWidget *page = adw_view_stack_get_visible_child (self->stack);
  AdwFlap *flap = page ? find_flap (page) : NULL;
  if (flap)
    {
      g_set_weak_pointer (&self->controls_flap, flap);
      self->controls_reveal = g_object_bind_property (flap, "reveal-flap", self->controls_button, "active",
                                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_signal_connect_swapped (flap, "notify::folded", G_CALLBACK (controls_folded), self);
    }
  sync_controls_button (self);
}

GtkWidget *
rv_window_get_controls_button (RvWindow *self)
{
  return self->controls_button;
}

static void
visible_page_changed (RvWindow *self)
{
  const char *name = rv_window_get_page (self);
  bind_controls_button (self);
  if (name && rv_application_is_page_name (name))
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
  rv_landscape_page_set_device (self->landscape_page, device);
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
  bind_controls_button (self);
  g_signal_connect_swapped (self->settings, "changed::presentation-text-scale",
                            G_CALLBACK (presentation_scale_changed), self);
  presentation_scale_changed (self);

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
  if (self->landscape_page)
    rv_landscape_page_shutdown (self->landscape_page);
  g_clear_handle_id (&self->hide_controls_id, g_source_remove);
  rv_window_unfocus_chart (self);
  unbind_controls_button (self);
  if (self->presentation_css)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->presentation_css));
      g_clear_object (&self->presentation_css);
    }
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
  g_type_ensure (RV_TYPE_LANDSCAPE_PAGE);
  g_type_ensure (RV_TYPE_LESSON_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RvWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, download_button);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, init_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, surfaces_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, landscape_page);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, lesson_flap);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, lesson_panel);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, controls_button);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, shell);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, focus_bin);
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
  if (s->initialization_setup) /* pins of its own: the whole page object, checked when read */
    {
      g_autoptr (GError) error = NULL;
      if (!rv_init_page_apply_setup (self->init_page, s->initialization_setup, &error))
        g_warning ("lesson %s: %s", rv_lesson_panel_get_lesson (self->lesson_panel)->source, error->message);
      return;
    }
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
      g_autoptr (GError) error = NULL;
      if (g_strcmp0 (s->preset, "tutorial") == 0 && rv_init_page_get_dataset (self->init_page))
        rv_training_page_add_tutorial_runs (self->training_page);
      else if (s->training_setup && !rv_training_page_apply_setup (self->training_page, s->training_setup, &error))
        g_warning ("lesson %s: %s", lesson->source, error->message);
    }
  else if (g_str_equal (s->page, "landscape"))
    rv_landscape_page_rescan (self->landscape_page);  /* the reader picks a run and computes */
  else
    {
      if (g_strcmp0 (s->preset, "ravine") == 0)
        rv_surfaces_page_load_preset (self->surfaces_page, RV_SURFACES_PRESET_RAVINE);
      else if (g_strcmp0 (s->preset, "steep") == 0)
        rv_surfaces_page_load_preset (self->surfaces_page, RV_SURFACES_PRESET_STEEP);
      else if (s->surfaces_setup) /* a whole page object, checked when the lesson was read */
        rv_surfaces_page_apply_setup (self->surfaces_page, s->surfaces_setup, NULL);
      else if (s->surface)
        rv_surfaces_page_set_surface (self->surfaces_page, s->surface);
      else if (s->surface_expr) /* checked to parse when the lesson was read */
        rv_surfaces_page_set_formula (self->surfaces_page, s->surface_expr, NULL);
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

/* Type sizes for the back row, all scaled together so that headings stay
 * above body text: libadwaita gives its heading and title classes fixed
 * sizes, so each gets its own here.  scale is the Preferences' choice. */
static char *
presentation_css (double scale)
{
  static const struct { const char *selector; double pt; const char *extra; } sizes[] = {
    { "", 16, "" },
    /* libadwaita fixes .body at 11pt (a status page's description) */
    { " .body", 16, "" },
    { " .caption, window.presentation .caption-heading", 13, "" },
    { " .heading", 18, "font-weight: bold;" },
    { " .title-4", 20, "" },
    { " .title-3", 22, "" },
    { " .title-2", 24, "" },
    { " .title-1", 30, "" },
    { " .large-title", 36, "" },
    /* buttons and entries keep the body size even where a theme shrinks them */
    { " button, window.presentation entry, window.presentation spinbutton, window.presentation dropdown", 16, "" },
    /* tables of figures, such as the variance table, are read from the back too */
    { " .monospace, window.presentation .numeric", 16, "" },
  };
  GString *css = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      char pt[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (pt, sizeof pt, "%.1f", sizes[i].pt * scale);
      g_string_append_printf (css, "window.presentation%s { font-size: %spt; %s}\n", sizes[i].selector, pt,
                              sizes[i].extra);
    }
  return g_string_free (css, FALSE);
}

static void
presentation_scale_changed (RvWindow *self)
{
  int percent = g_settings_get_int (self->settings, "presentation-text-scale");
  g_autofree char *css = presentation_css (percent / 100.0);
  if (self->presentation_css == NULL)
    {
      self->presentation_css = gtk_css_provider_new ();
      /* above the application's own style sheet */
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (self->presentation_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->presentation_css, css, -1);
  rv_plot_set_presentation_scale (percent / 100.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

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
  /* the audience needs the charts, not where the data came from */
  gtk_widget_set_visible (GTK_WIDGET (self->banner), !on);
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
  /* the charts draw with rv_plot_line and the palette, which CSS does not reach */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- the focus view: one chart alone ------------------------------------------ */

static RvChart *
chart_at_or_above (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    if (RV_IS_CHART (w))
      return RV_CHART (w);
  return NULL;
}

/* The property of parent (one that holds a single widget) that holds child. */
static const char *
holding_property (GtkWidget *parent, GtkWidget *child)
{
  static const char *const names[] = { "child", "start-child", "end-child", "content", "flap" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (parent), names[i]);
      if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE) || !g_type_is_a (pspec->value_type, GTK_TYPE_WIDGET))
        continue;
      g_autoptr (GtkWidget) held = NULL;
      g_object_get (parent, names[i], &held, NULL);
      if (held == child)
        return names[i];
    }
  return NULL;
}

/* Takes chart out of its place, remembering the place; FALSE (chart left
 * alone) for a parent whose place this cannot put it back into. */
static gboolean
take_out (RvWindow *self, GtkWidget *chart)
{
  GtkWidget *parent = gtk_widget_get_parent (chart);
  self->focus_property = NULL;
  self->focus_overlaid = FALSE;
  g_clear_object (&self->focus_sibling);
  if (GTK_IS_BOX (parent) || RV_IS_REFLOW_BOX (parent))
    {
      GtkWidget *before = gtk_widget_get_prev_sibling (chart);
      self->focus_sibling = before ? g_object_ref (before) : NULL;
      g_object_ref (chart);
      if (GTK_IS_BOX (parent))
        gtk_box_remove (GTK_BOX (parent), chart);
      else
        rv_reflow_box_remove (RV_REFLOW_BOX (parent), chart);
    }
  else if (GTK_IS_GRID (parent))
    {
      int *c = self->focus_cell;
      gtk_grid_query_child (GTK_GRID (parent), chart, &c[0], &c[1], &c[2], &c[3]);
      g_object_ref (chart);
      gtk_grid_remove (GTK_GRID (parent), chart);
    }
  else if (GTK_IS_OVERLAY (parent) && gtk_overlay_get_child (GTK_OVERLAY (parent)) != chart)
    {
      self->focus_overlaid = TRUE;
      g_object_ref (chart);
      gtk_overlay_remove_overlay (GTK_OVERLAY (parent), chart);
    }
  else if (parent && (self->focus_property = holding_property (parent, chart)) != NULL)
    {
      g_object_ref (chart);
      g_object_set (parent, self->focus_property, NULL, NULL);
    }
  else
    return FALSE;
  self->focused = chart;
  self->focus_parent = g_object_ref (parent);
  return TRUE;
}

static void
put_back (RvWindow *self)
{
  GtkWidget *chart = self->focused, *parent = self->focus_parent;
  if (GTK_IS_BOX (parent) || RV_IS_REFLOW_BOX (parent))
    {
      /* the sibling before it may have gone meanwhile: then it goes first */
      GtkWidget *before = self->focus_sibling && gtk_widget_get_parent (self->focus_sibling) == parent
                            ? self->focus_sibling : NULL;
      if (GTK_IS_BOX (parent))
        gtk_box_insert_child_after (GTK_BOX (parent), chart, before);
      else
        rv_reflow_box_insert_after (RV_REFLOW_BOX (parent), chart, before);
    }
  else if (GTK_IS_GRID (parent))
    {
      int *c = self->focus_cell;
      gtk_grid_attach (GTK_GRID (parent), chart, c[0], c[1], c[2], c[3]);
    }
  else if (self->focus_overlaid)
    gtk_overlay_add_overlay (GTK_OVERLAY (parent), chart);
  else
    g_object_set (parent, self->focus_property, chart, NULL);
  g_clear_object (&self->focus_sibling);
  g_clear_object (&self->focus_parent);
  self->focused = NULL;
  g_object_unref (chart);
}

static void
set_focus_state (RvWindow *self, gboolean on)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "focus-chart");
  if (action)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
}

/* Moves the chart itself (no copy, no blurry picture of it) into the focus
 * view, filling the window; rv_window_unfocus_chart puts it back where it was. */
gboolean
rv_window_focus_chart (RvWindow *self, GtkWidget *chart)
{
  g_return_val_if_fail (RV_IS_CHART (chart), FALSE);
  if (self->focused == chart)
    return TRUE;
  rv_window_unfocus_chart (self);
  if (!take_out (self, chart))
    return FALSE;
  adw_bin_set_child (self->focus_bin, chart);
  gtk_stack_set_visible_child_name (self->shell, "focus");
  gtk_widget_grab_focus (chart);
  set_focus_state (self, TRUE);
  return TRUE;
}

void
rv_window_unfocus_chart (RvWindow *self)
{
  if (self->focused == NULL)
    return;
  GtkWidget *chart = self->focused;
  adw_bin_set_child (self->focus_bin, NULL);
  put_back (self);
  gtk_stack_set_visible_child_name (self->shell, "main");
  gtk_widget_grab_focus (chart);
  set_focus_state (self, FALSE);
}

GtkWidget *
rv_window_get_focused_chart (RvWindow *self)
{
  return self->focused;
}

/* On: the chart with the keyboard focus alone; off: back to the page. */
static void
focus_chart_changed (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (user_data);
  if (!g_variant_get_boolean (state))
    {
      rv_window_unfocus_chart (self);
      return;
    }
  RvChart *chart = chart_at_or_above (gtk_root_get_focus (GTK_ROOT (self)));
  if (chart)
    rv_window_focus_chart (self, GTK_WIDGET (chart));
}

/* A double click on a chart shows it alone; on the lone chart, goes back. */
static void
double_clicked (GtkGestureClick *gesture, int n_press, double x, double y, RvWindow *self)
{
  if (n_press != 2)
    return;
  if (self->focused)
    {
      rv_window_unfocus_chart (self);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  RvChart *chart = chart_at_or_above (gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT));
  if (chart && rv_window_focus_chart (self, GTK_WIDGET (chart)))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Enter on a chart with the keyboard focus shows it alone. */
static gboolean
enter_pressed (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (widget);
  RvChart *chart = chart_at_or_above (gtk_root_get_focus (GTK_ROOT (self)));
  if (chart == NULL || self->focused)
    return FALSE;
  return rv_window_focus_chart (self, GTK_WIDGET (chart));
}

static gboolean
escape_pressed (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  RvWindow *self = RV_WINDOW (widget);
  if (self->focused == NULL)
    return FALSE;
  rv_window_unfocus_chart (self);
  return TRUE;
}

static void
add_focus_controllers (RvWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (double_clicked), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  GtkEventController *keys = gtk_shortcut_controller_new ();
  const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  for (gsize i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], 0),
                                                            gtk_callback_action_new (enter_pressed, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_pressed, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
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

static void
open_setup_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_window_choose_setup_file (RV_WINDOW (user_data), FALSE);
}

static void
save_setup_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  rv_window_choose_setup_file (RV_WINDOW (user_data), TRUE);
}

static const GActionEntry win_actions[] = {
  { .name = "open-setup", .activate = open_setup_activated },
  { .name = "save-setup", .activate = save_setup_activated },
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
  { .name = "focus-chart", .state = "false", .change_state = focus_chart_changed },
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
  add_focus_controllers (self);
}

RvWindow *
rv_window_new (RvApplication *app)
{
  RvWindow *self = g_object_new (RV_TYPE_WINDOW, "application", app, NULL);
  setup (self, app);
  return self;
}
