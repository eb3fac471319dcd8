/* test-locale-nl.c: the app follows the user's language.  Under Xvfb, with
 * the catalogues the build compiled (RAVINE_LOCALEDIR, as main.c reads it),
 * LANGUAGE=nl makes the real widgets and the built-in lesson Dutch, and
 * LANGUAGE=de makes them German.
 *
 * Each language runs in a subprocess of its own, so that neither gettext's
 * nor GLib's caches of the first language can leak into the second.
 * gettext ignores LANGUAGE under the plain C locale, so the test runs under
 * C.UTF-8, which glibc always provides: no installed nl_NL or de_DE locale is
 * needed. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-lesson.h"
#include "rv-plot.h"
#include "rv-window.h"

typedef struct {
  const char *language;
  /* what the widgets must show, without mnemonic underscores */
  const char *pages[3];     /* the view switcher: Initialization, Training, Loss Surfaces */
  const char *activation;   /* the Initialization page's "_Activation" label */
  const char *weights;      /* its "_Weights" toggle */
  const char *identity;     /* the first activation in the drop-down */
  const char *lesson;       /* the built-in lesson's title */
  const char *first_step;   /* and its first step's title */
  const char *layer_0;      /* the variance table's first layer */
  const char *pathological; /* the first surface in the Loss surfaces page's drop-down */
  /* numbers as a reader of the language writes them */
  const char *fifty_thousand, *point_972, *count, *negative;
} Expected;

static const Expected dutch = {
  "nl",
  { "Initialisatie", "Training", "Verliesoppervlakken" },
  "Activatie", "Gewichten", "Identiteit",
  "Initialisatie en optimalisatie", "Constante initialisatie",
  "Laag 0", "Pathologische kromming",
  "50.000", "0,972", "1.234.567", "−1,5",
};

static const Expected german = {
  "de",
  { "Initialisierung", "Training", "Verlustflächen" },
  "Aktivierung", "Gewichte", "Identität",
  "Initialisierung und Optimierung", "Konstante Initialisierung",
  "Schicht 0", "Pathologische Krümmung",
  "50.000", "0,972", "1.234.567", "−1,5",
};

static char *
without_mnemonic (const char *label)
{
  GString *s = g_string_new (NULL);
  for (const char *p = label; *p; p++)
    if (*p != '_')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
assert_label (const char *what, const char *shown, const char *want)
{
  g_assert_nonnull (shown);
  g_autofree char *plain = without_mnemonic (shown);
  if (g_strcmp0 (plain, want) != 0)
    g_error ("%s shows “%s”, not “%s”: is the catalogue for LANGUAGE=%s built and complete?", what, shown, want,
             g_getenv ("LANGUAGE"));
}

/* The label in the controls grid whose mnemonic widget is control. */
static GtkLabel *
label_for (GtkWidget *grid, GtkWidget *control)
{
  for (GtkWidget *w = gtk_widget_get_first_child (grid); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && gtk_label_get_mnemonic_widget (GTK_LABEL (w)) == control)
      return GTK_LABEL (w);
  return NULL;
}

static void
on_result_shown (RvInitPage *page, gboolean *shown)
{
  *shown = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Whether text has a digit, c, digit anywhere. */
static gboolean
has_digit_char_digit (const char *text, char c)
{
  for (const char *p = text; p[0] != '\0' && p[1] != '\0' && p[2] != '\0'; p++)
    if (g_ascii_isdigit (p[0]) && p[1] == c && g_ascii_isdigit (p[2]))
      return TRUE;
  return FALSE;
}

/* Ticks, captions and tables in the language's style (under C.UTF-8, so
 * from the catalogue, not from a numeric locale); the exported numbers in
 * the C locale, whatever the language. */
static void
check_numbers (const Expected *want, RvWindow *window)
{
  g_autofree char *tick = rv_plot_format_tick (50000, 10000);
  g_autofree char *value = rv_plot_format_value (0.9717);
  g_autofree char *count = rv_plot_format_count (1234567);
  g_autofree char *negative = rv_plot_format_number ("%.1f", -1.5);
  g_assert_cmpstr (tick, ==, want->fifty_thousand);
  g_assert_cmpstr (value, ==, want->point_972);
  g_assert_cmpstr (count, ==, want->count);
  g_assert_cmpstr (negative, ==, want->negative);

  /* The Initialization page's variance table, after its first probe. */
  RvInitPage *init = RV_INIT_PAGE (rv_window_get_init_page (window));
  gboolean shown = FALSE;
  g_signal_connect (init, "result-shown", G_CALLBACK (on_result_shown), &shown);
  g_assert_true (app_test_wait_for (is_true, &shown, 120));
  GtkLabel *summary = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (init), RV_TYPE_INIT_PAGE, "summary"));
  const char *table = gtk_label_get_text (summary);
  if (!has_digit_char_digit (table, ',') || has_digit_char_digit (table, '.'))
    g_error ("the variance table is not in the %s style:\n%s", want->language, table);
  /* its layers by their translated names, once the catalogue has them */
  if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, "Layer %u"), "Layer %u") != 0 && strstr (table, want->layer_0) == NULL)
    g_error ("the variance table does not name “%s”:\n%s", want->layer_0, table);

  g_autofree char *dir = g_dir_make_tmp ("ravine-locale-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "numbers.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_page_export_numbers (init, csv_path, &error));
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (has_digit_char_digit (csv, '.'));
  g_assert_null (strstr (csv, "−"));
  g_unlink (csv_path);
  g_rmdir (dir);
}

static void
check_language (const Expected *want)
{
  g_setenv ("LANGUAGE", want->language, TRUE);

  /* the catalogue itself: a translated header and a translated string */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Initialization"), !=, "Initialization");
  g_autofree char *language_line = g_strdup_printf ("Language: %s\n", want->language);
  g_assert_nonnull (strstr (g_dgettext (GETTEXT_PACKAGE, ""), language_line));

  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  RvWindow *window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));

  /* the view switcher's pages */
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), RV_TYPE_WINDOW, "stack"));
  GtkWidget *pages[] = { rv_window_get_init_page (window), rv_window_get_training_page (window),
                         rv_window_get_surfaces_page (window) };
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (stack, pages[i]);
      g_assert_nonnull (page);
      assert_label ("a view switcher page", adw_view_stack_page_get_title (page), want->pages[i]);
    }

  /* the Initialization page: a label from its template, a toggle, and a
   * drop-down item translated in code */
  GtkWidget *init = rv_window_get_init_page (window);
  GtkWidget *grid = GTK_WIDGET (gtk_widget_get_template_child (init, G_OBJECT_TYPE (init), "controls"));
  GtkWidget *activation = GTK_WIDGET (gtk_widget_get_template_child (init, G_OBJECT_TYPE (init), "activation"));
  GtkLabel *label = label_for (grid, activation);
  g_assert_nonnull (label);
  assert_label ("the activation label", gtk_label_get_text (label), want->activation);
  GtkWidget *weights = GTK_WIDGET (gtk_widget_get_template_child (init, G_OBJECT_TYPE (init), "show_weights"));
  assert_label ("the weights toggle", gtk_button_get_label (GTK_BUTTON (weights)), want->weights);
  GListModel *items = gtk_drop_down_get_model (GTK_DROP_DOWN (activation));
  assert_label ("the first activation", gtk_string_list_get_string (GTK_STRING_LIST (items), 0), want->identity);
  app_test_maybe_screenshot (GTK_WIDGET (window), want->language);
  check_numbers (want, window);

  /* the surfaces by their translated names, once the catalogue has them */
  GtkWidget *surfaces = rv_window_get_surfaces_page (window);
  GtkWidget *surface = GTK_WIDGET (gtk_widget_get_template_child (surfaces, G_OBJECT_TYPE (surfaces), "surface"));
  GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (surface));
  if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, "Pathological curvature"), "Pathological curvature") != 0)
    assert_label ("the first surface", gtk_string_list_get_string (GTK_STRING_LIST (names), 0), want->pathological);

  /* the built-in lesson picks its texts in the same language */
  g_autoptr (GPtrArray) lessons = rv_lesson_load_all ();
  g_assert_cmpuint (lessons->len, >=, 1);
  const RvLesson *lesson = g_ptr_array_index (lessons, 0);
  assert_label ("the lesson's title", lesson->title, want->lesson);
  const RvLessonStep *step = g_ptr_array_index (lesson->steps, 0);
  assert_label ("the lesson's first step", step->title, want->first_step);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

static void
test_dutch (void)
{
  if (g_test_subprocess ())
    {
      check_language (&dutch);
      return;
    }
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_german (void)
{
  if (g_test_subprocess ())
    {
      check_language (&german);
      return;
    }
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-data", TRUE);
  /* only the built-in lesson, none of the user's */
  g_autofree char *home = g_dir_make_tmp ("ravine-locale-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("the C.UTF-8 locale is missing");

  /* as main.c does */
  const char *localedir = g_getenv ("RAVINE_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    g_error ("RAVINE_LOCALEDIR is not set: run this test with meson test");
  const char *languages[] = { "nl", "de" };
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *mo = g_build_filename (localedir, languages[i], "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
        g_error ("%s is missing: the catalogues are not built", mo);
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/locale/nl", test_dutch);
  g_test_add_func ("/locale/de", test_german);
  int status = g_test_run ();
  g_rmdir (home);
  return status;
}
