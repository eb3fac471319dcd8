/* test-keys.c: the keyboard in a lecture: mnemonics unique on every page and
 * none on 1, 2 or 3 (Alt+1/2/3 switch pages), the lecture keys (Page Down,
 * Page Up, Space) and, where xdotool can send real keys under Xvfb, the
 * keys themselves. */
#include "rv-config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-lesson-panel.h"
#include "rv-surface-model.h"
#include "rv-landscape-page.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvApplication *app;
static RvWindow *window;

/* A lesson of its own, on the Training page without a setup, so that moving
 * through it starts no computation; it comes after the built-in one. */
#define LIGHT_LESSON 1
static const char light_lesson[] =
  "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"Keys\", \"steps\": ["
  "{\"title\": \"One\", \"text\": \"a\", \"page\": \"training\"},"
  "{\"title\": \"Two\", \"text\": \"b\", \"page\": \"training\"},"
  "{\"title\": \"Three\", \"text\": \"c\", \"page\": \"training\"}]}";

static GtkWidget *
child (GtkWidget *page, const char *name)
{
  GObject *object = gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), name);
  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/* Lets the window lay out and map what was just shown. */
static void
settle (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Every mnemonic a person can reach now: mapped labels with use-underline
 * (buttons and check buttons hold one); popovers have their own. */
static guint n_conflicts;

static void
collect_mnemonics (GtkWidget *widget, GHashTable *seen, const char *where)
{
  if (!gtk_widget_get_mapped (widget) || GTK_IS_POPOVER (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint key = gtk_label_get_mnemonic_keyval (GTK_LABEL (widget));
      if (key != GDK_KEY_VoidSymbol)
        {
          key = gdk_keyval_to_lower (key);
          const char *text = gtk_label_get_label (GTK_LABEL (widget));
          const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));
          if (key >= GDK_KEY_1 && key <= GDK_KEY_4)
            g_printerr ("%s: \"%s\" takes Alt+%s from the page shortcuts\n", where, text, gdk_keyval_name (key));
          else if (other)
            g_printerr ("%s: \"%s\" and \"%s\" share Alt+%s\n", where, other, text, gdk_keyval_name (key));
          n_conflicts += (key >= GDK_KEY_1 && key <= GDK_KEY_4) || other;
          g_hash_table_insert (seen, GUINT_TO_POINTER (key), (gpointer) text);
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_mnemonics (c, seen, where);
}

static guint
check_mnemonics (const char *where)
{
  settle ();
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  collect_mnemonics (GTK_WIDGET (window), seen, where);
  return g_hash_table_size (seen);
}

/* Each page in each state that shows other controls: every optimizer (its
 * parameters come and go), the Training page's three distribution views,
 * with the lesson panel closed and open. */
/* Shows a page with its controls out, folded over the content or not:
 * a folded flap (the lesson beside it) hides them, and they must not
 * clash with what stays when they come out. */
static void
show_page_with_controls (const char *name, AdwFlap *flap)
{
  rv_window_show_page (window, name);
  adw_flap_set_reveal_flap (flap, TRUE);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_mnemonics (void)
{
  GtkWidget *training = rv_window_get_training_page (window);
  GtkWidget *surfaces = rv_window_get_surfaces_page (window);
  const char *views[] = { "show_grid", "show_ridges", "show_norms" };
  for (int lesson = 0; lesson < 2; lesson++)
    {
      if (lesson)
        {
          g_action_group_change_action_state (G_ACTION_GROUP (window), "lesson", g_variant_new_boolean (TRUE));
        }
      show_page_with_controls ("initialization", rv_init_page_get_flap (RV_INIT_PAGE (rv_window_get_init_page (window))));
      g_assert_cmpuint (check_mnemonics ("Initialization page"), >=, 10);

      show_page_with_controls ("training", rv_training_page_get_flap (RV_TRAINING_PAGE (training)));
      /* the charts and their options, as with runs (without, a placeholder) */
      gtk_stack_set_visible_child_name (GTK_STACK (child (training, "content_stack")), "charts");
      GtkDropDown *optimizer = GTK_DROP_DOWN (child (training, "optimizer"));
      guint n = g_list_model_get_n_items (gtk_drop_down_get_model (optimizer));
      g_assert_cmpuint (n, >=, 3);
      for (guint o = 0; o < n; o++)
        for (gsize v = 0; v < G_N_ELEMENTS (views); v++)
          {
            gtk_drop_down_set_selected (optimizer, o);
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (training, views[v])), TRUE);
            g_autofree char *where = g_strdup_printf ("Training page, optimizer %u, %s", o, views[v]);
            g_assert_cmpuint (check_mnemonics (where), >=, 15);
          }
      gtk_drop_down_set_selected (optimizer, 0);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (training, "show_grid")), TRUE);

      show_page_with_controls ("surfaces", rv_surfaces_page_get_flap (RV_SURFACES_PAGE (surfaces)));
      optimizer = GTK_DROP_DOWN (child (surfaces, "optimizer"));
      n = g_list_model_get_n_items (gtk_drop_down_get_model (optimizer));
      for (guint o = 0; o < n; o++)
        {
          gtk_drop_down_set_selected (optimizer, o);
          g_autofree char *where = g_strdup_printf ("Loss surfaces page, optimizer %u", o);
          g_assert_cmpuint (check_mnemonics (where), >=, 10);
        }
      gtk_drop_down_set_selected (optimizer, 0);

      GtkWidget *landscape = rv_window_get_landscape_page (window);
      show_page_with_controls ("landscape", rv_landscape_page_get_flap (RV_LANDSCAPE_PAGE (landscape)));
      g_assert_cmpuint (check_mnemonics ("Landscape page"), >=, 10);
    }
  g_action_group_change_action_state (G_ACTION_GROUP (window), "lesson", g_variant_new_boolean (FALSE));
  g_assert_cmpuint (n_conflicts, ==, 0);
}

/* <Alt>1, 2, 3, 4 are the pages' shortcuts (and, above, no mnemonic takes them). */
static void
test_page_accels (void)
{
  static const char *pages[] = { "initialization", "training", "surfaces", "landscape" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      g_auto (GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);
      g_assert_cmpuint (g_strv_length (actions), ==, 1);
      g_autofree char *name = NULL;
      g_autoptr (GVariant) target = NULL;
      g_assert_true (g_action_parse_detailed_name (actions[0], &name, &target, NULL));
      g_assert_cmpstr (name, ==, "win.page");
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, pages[i]);
    }
}

static gboolean
surfaces_playing (gpointer data)
{
  return rv_surfaces_page_get_playing (data);
}

static guint
revealed (RvSurfacesPage *page)
{
  return rv_surface_model_get_revealed (rv_surfaces_page_get_model (page));
}

/* win.lecture-next / -previous: lesson steps when the lesson is open, else
 * play and step on the Loss surfaces page, and nothing on the others. */
static void
test_lecture_actions (void)
{
  GActionGroup *actions = G_ACTION_GROUP (window);
  RvLessonPanel *panel = RV_LESSON_PANEL (rv_window_get_lesson_panel (window));
  RvSurfacesPage *surfaces = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));

  g_action_group_change_action_state (actions, "lesson", g_variant_new_boolean (TRUE));
  rv_lesson_panel_go_to (panel, LIGHT_LESSON, 0);
  g_assert_cmpstr (rv_lesson_panel_get_lesson (panel)->title, ==, "Keys");
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 1);
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 2);
  g_action_group_activate_action (actions, "lecture-previous", NULL);
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 1);
  /* with the lesson open, the surfaces page does not play */
  rv_window_show_page (window, "surfaces");
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 2);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  rv_lesson_panel_go_to (panel, LIGHT_LESSON, 0);
  g_action_group_change_action_state (actions, "lesson", g_variant_new_boolean (FALSE));

  rv_window_show_page (window, "surfaces");
  rv_surfaces_page_reset (surfaces);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_true (rv_surfaces_page_get_playing (surfaces));
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  guint before = revealed (surfaces);
  g_action_group_activate_action (actions, "lecture-previous", NULL);
  g_assert_cmpuint (revealed (surfaces), ==, before + 1);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));

  /* elsewhere without a lesson the keys are left alone */
  rv_window_show_page (window, "initialization");
  g_action_group_activate_action (actions, "lecture-next", NULL);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 0);
  rv_surfaces_page_reset (surfaces);
}

/* --- real keys, sent by xdotool to the window under Xvfb ----------------------- */

static char *xdotool;

static gboolean
can_send_keys (void)
{
  if (xdotool == NULL || g_getenv ("DISPLAY") == NULL
      || !g_str_has_prefix (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11"))
    {
      g_test_skip ("real keys need xdotool and an X display (Xvfb)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

typedef struct {
  gboolean done;
  int status;
} KeyProcess;

static void
process_exited (GPid pid, int status, gpointer data)
{
  KeyProcess *k = data;
  k->status = status;
  k->done = TRUE;
  g_spawn_close_pid (pid);
}

static gboolean
process_done (gpointer data)
{
  return ((KeyProcess *) data)->done;
}

/* Sends one key (xdotool's name for it, e.g. "alt+1") to the focused window
 * and runs the main loop until xdotool is done.  Spawned without fork():
 * GLib uses posix_spawn() when descriptors stay open and there is no child
 * setup, and so OpenBLAS's fork handler, which joins its threads and can
 * hang while they wait (OpenBLAS 0.3.21), never runs. */
static void
send_key (const char *key)
{
  const char *argv[] = { xdotool, "key", "--clearmodifiers", key, NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  gboolean spawned = g_spawn_async (NULL, (char **) argv, NULL,
                                    G_SPAWN_LEAVE_DESCRIPTORS_OPEN | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (spawned);
  KeyProcess k = { FALSE, 0 };
  g_child_watch_add (pid, process_exited, &k);
  g_assert_true (app_test_wait_for (process_done, &k, 30));
  gboolean succeeded = g_spawn_check_wait_status (k.status, &error);
  g_assert_no_error (error);
  g_assert_true (succeeded);
}

static gboolean
page_shown (gpointer data)
{
  return g_strcmp0 (rv_window_get_page (window), data) == 0;
}

static void
focus (GtkWidget *widget)
{
  g_assert_true (gtk_widget_grab_focus (widget));
  g_assert_true (gtk_widget_is_focus (widget) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), widget));
  /* Focus selects an entry's text; GTK 4.8 warns when its cursor blinks
   * over a selection, so the cursor goes to the end without one. */
  if (GTK_IS_EDITABLE (widget))
    gtk_editable_set_position (GTK_EDITABLE (widget), -1);
}

static gboolean
window_focused (void)
{
  gtk_window_present (GTK_WINDOW (window));
  return app_test_wait_for (window_active, window, 30);
}

/* Alt+1/2/3 from a text entry or a spin button on each page. */
static void
test_page_keys (void)
{
  if (!can_send_keys ())
    return;
  g_assert_true (window_focused ());
  static const struct { const char *from, *focus, *key, *to; } cases[] = {
    { "training", "hidden", "alt+1", "initialization" },
    { "initialization", "hidden", "alt+3", "surfaces" },
    { "surfaces", "start_w1", "alt+2", "training" },
    { "surfaces", "start_w2", "alt+1", "initialization" },
    { "initialization", "seed", "alt+2", "training" },
    { "training", "lr", "alt+3", "surfaces" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      rv_window_show_page (window, cases[i].from);
      settle ();
      GtkWidget *page = g_str_equal (cases[i].from, "initialization") ? rv_window_get_init_page (window)
                        : g_str_equal (cases[i].from, "training")     ? rv_window_get_training_page (window)
                                                                      : rv_window_get_surfaces_page (window);
      focus (child (page, cases[i].focus));
      send_key (cases[i].key);
      if (!app_test_wait_for (page_shown, (gpointer) cases[i].to, 10))
        g_error ("%s from %s on the %s page: still on %s", cases[i].key, cases[i].focus, cases[i].from,
                 rv_window_get_page (window));
    }
}

static gboolean
step_is (gpointer data)
{
  RvLessonPanel *panel = RV_LESSON_PANEL (rv_window_get_lesson_panel (window));
  return rv_lesson_panel_get_step (panel) == GPOINTER_TO_UINT (data);
}

typedef struct { GtkSpinButton *spin; double from; } SpinMoved;
typedef struct { RvSurfacesPage *page; guint n; } RevealedWanted;

static gboolean
revealed_is (gpointer data)
{
  RevealedWanted *w = data;
  return revealed (w->page) == w->n;
}

static gboolean
surfaces_stopped (gpointer data)
{
  return !rv_surfaces_page_get_playing (data);
}

static gboolean
spin_moved (gpointer data)
{
  SpinMoved *m = data;
  return gtk_spin_button_get_value (m->spin) != m->from;
}

/* Page Down / Page Up / Space as a clicker sends them, and a spin button and
 * a button keeping theirs. */
static void
test_lecture_keys (void)
{
  if (!can_send_keys ())
    return;
  g_assert_true (window_focused ());
  RvLessonPanel *panel = RV_LESSON_PANEL (rv_window_get_lesson_panel (window));
  RvSurfacesPage *surfaces = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));
  GtkWidget *page = GTK_WIDGET (surfaces);

  /* the lesson: from wherever the focus is, except in text */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "lesson", g_variant_new_boolean (TRUE));
  rv_lesson_panel_go_to (panel, LIGHT_LESSON, 0);
  settle ();
  GtkWidget *training = rv_window_get_training_page (window);
  g_assert_true (page_shown ("training"));
  focus (child (training, "add_run"));
  send_key ("Next");
  g_assert_true (app_test_wait_for (step_is, GUINT_TO_POINTER (1), 10));
  send_key ("Next");
  g_assert_true (app_test_wait_for (step_is, GUINT_TO_POINTER (2), 10));
  send_key ("Prior");
  g_assert_true (app_test_wait_for (step_is, GUINT_TO_POINTER (1), 10));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  send_key ("space");
  g_assert_true (app_test_wait_for (step_is, GUINT_TO_POINTER (2), 10));
  /* in the hidden sizes entry Page Down stays with the text: once Alt+3,
   * sent after it, has arrived, the step is still the same */
  focus (child (training, "hidden"));
  send_key ("Next");
  send_key ("alt+3");
  g_assert_true (app_test_wait_for (page_shown, "surfaces", 10));
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, 2);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  rv_lesson_panel_go_to (panel, LIGHT_LESSON, 0);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "lesson", g_variant_new_boolean (FALSE));

  /* the Loss surfaces page: Page Down plays, Page Up steps, even from a
   * button in the scrolled form (which would scroll) */
  rv_window_show_page (window, "surfaces");
  rv_surfaces_page_reset (surfaces);
  settle ();
  focus (child (page, "add_run"));
  send_key ("Next");
  g_assert_true (app_test_wait_for (surfaces_playing, surfaces, 10));
  send_key ("Next");
  g_assert_true (app_test_wait_for (surfaces_stopped, surfaces, 10));
  RevealedWanted want = { surfaces, revealed (surfaces) + 1 };
  send_key ("Prior");
  g_assert_true (app_test_wait_for (revealed_is, &want, 10));

  /* a focused spin button keeps Page Up for its value */
  GtkSpinButton *start = GTK_SPIN_BUTTON (child (page, "start_w1"));
  focus (GTK_WIDGET (start));
  SpinMoved moved = { start, gtk_spin_button_get_value (start) };
  send_key ("Prior");
  g_assert_true (app_test_wait_for (spin_moved, &moved, 10));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (start), moved.from + 1, 1e-9);
  g_assert_false (rv_surfaces_page_get_playing (surfaces));

  /* and a focused button keeps Space: the Step button steps, nothing plays */
  rv_surfaces_page_reset (surfaces);
  focus (child (page, "step"));
  want.n = 1;
  send_key ("space");
  g_assert_true (app_test_wait_for (revealed_is, &want, 10));
  g_assert_false (rv_surfaces_page_get_playing (surfaces));
  rv_surfaces_page_reset (surfaces);
}

int
main (int argc, char **argv)
{
  /* RAVINE_KEYS_LANGUAGE=de checks a translation's mnemonics */
  const char *language = g_getenv ("RAVINE_KEYS_LANGUAGE");
  g_setenv ("LANGUAGE", language ? language : "en", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *real = g_getenv ("RAVINE_TEST_DATA_DIR");
  g_setenv ("RAVINE_DATA_DIR", real && g_file_test (real, G_FILE_TEST_IS_DIR) ? real : "/nonexistent-ravine-data", TRUE);
  g_autofree char *home = g_dir_make_tmp ("ravine-keys-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_autofree char *runs = g_build_filename (home, "runs", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs, TRUE);
  g_autofree char *lessons = g_build_filename (home, "ravine", "lessons", NULL);
  g_mkdir_with_parents (lessons, 0755);
  g_autofree char *light = g_build_filename (lessons, "keys.json", NULL);
  g_assert_true (g_file_set_contents (light, light_lesson, -1, NULL));
  gtk_test_init (&argc, &argv, NULL);
  /* GTK 4.8 warns (fatally, in tests) when an entry's cursor blinks over
   * a selection, as the keys sent here leave it; the blink is not tested. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  xdotool = g_find_program_in_path ("xdotool");

  app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  settle ();

  g_test_add_func ("/keys/mnemonics", test_mnemonics);
  g_test_add_func ("/keys/page-accels", test_page_accels);
  g_test_add_func ("/keys/lecture-actions", test_lecture_actions);
  g_test_add_func ("/keys/page-keys", test_page_keys);
  g_test_add_func ("/keys/lecture-keys", test_lecture_keys);
  int status = g_test_run ();

  /* The window stays and the process ends without exit handlers: the
   * Initialization page may still be computing the lesson's first step
   * (minutes on a busy machine), and destroying the window or the BLAS
   * library's exit handler would wait for it; this test is about keys. */
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  if (system (rm) != 0)
    g_warning ("could not remove %s", home);
  g_free (xdotool);
  fflush (stdout);
  fflush (stderr);
  _exit (status);
}
