/* test-lesson.c: lessons as data files, and lesson mode walked from the
 * first step to the last under Xvfb. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-labels.h"
#include "rv-lesson-panel.h"
#include "rv-plot.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

static char *user_dir;

static void
test_parse_errors (void)
{
  static const struct { const char *json, *needle; } bad[] = {
    { "{", "custom.json" },
    { "{\"format\": \"other\", \"version\": 1}", "not a Ravine lesson" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": []}", "at least one step" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": [{\"title\": \"a\", \"text\": \"b\", \"page\": \"kitchen\"}]}",
      "step 1: \"page\"" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": [{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\"}, {\"title\": \"a\", \"text\": 3, \"page\": \"training\"}]}",
      "step 2" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": [{\"title\": \"a\", \"text\": \"b\", \"page\": \"surfaces\", \"setup\": {\"colour\": \"red\"}}]}",
      "unknown setup \"colour\"" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RvLesson) lesson = rv_lesson_parse (bad[i].json, strlen (bad[i].json), "custom.json", &error);
      g_assert_null (lesson);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].needle) == NULL || strstr (error->message, "custom.json") == NULL)
        g_error ("case %zu: \"%s\" lacks \"%s\"", i, error->message, bad[i].needle);
    }
}

static void
test_translations (void)
{
  const char *json = "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": {\"en\": \"Hello\", \"nl\": \"Hallo\"}, "
                     "\"steps\": [{\"title\": \"a\", \"text\": {\"de\": \"Guten Tag\", \"en\": \"Good day\"}, \"page\": \"training\"}]}";
  g_autoptr (RvLesson) lesson = rv_lesson_parse (json, strlen (json), "t.json", NULL);
  g_assert_nonnull (lesson);
  /* LANGUAGE=nl was set in main: Dutch where there is Dutch, else English */
  g_assert_cmpstr (lesson->title, ==, "Hallo");
  g_assert_cmpstr (((RvLessonStep *) g_ptr_array_index (lesson->steps, 0))->text, ==, "Good day");
}

/* The built-in lesson and a teacher's own are found; a broken file is skipped. */
static void
test_load_all (void)
{
  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*broken.json*");
  g_autoptr (GPtrArray) lessons = rv_lesson_load_all ();
  g_test_assert_expected_messages ();
  g_assert_cmpuint (lessons->len, ==, 2);
  const RvLesson *tutorial = g_ptr_array_index (lessons, 0);
  g_assert_cmpuint (tutorial->steps->len, ==, 11);
  g_assert_cmpstr (((RvLesson *) g_ptr_array_index (lessons, 1))->title, ==, "Deeper networks");
}

/* The longest texts a lesson may hold, each one unbroken word, still fit
 * the panel: a word is broken rather than laid out as one line thousands
 * of pixels wide. */
static void
test_long_words (void)
{
  g_autofree char *title = g_strnfill (RV_LESSON_MAX_TITLE, 'T');
  g_autofree char *text = g_strnfill (RV_LESSON_MAX_TEXT, 'w');
  g_autofree char *note = g_strnfill (RV_LESSON_MAX_NOTE, 'q');
  g_autofree char *json = g_strdup_printf ("{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"%s\", "
                                           "\"steps\": [{\"title\": \"%s\", \"text\": \"%s\", \"formula\": \"%s\", "
                                           "\"question\": \"%s\", \"page\": \"training\"}]}", title, title, text, note,
                                           note);
  g_autoptr (GError) error = NULL;
  RvLesson *lesson = rv_lesson_parse (json, strlen (json), "long.json", &error);
  g_assert_no_error (error);
  GPtrArray *lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) rv_lesson_free);
  g_ptr_array_add (lessons, lesson);
  GtkWidget *panel = g_object_ref_sink (rv_lesson_panel_new ());
  rv_lesson_panel_set_lessons (RV_LESSON_PANEL (panel), lessons);
  int min = 0, nat = 0;
  gtk_widget_measure (panel, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_test_message ("lesson panel: minimum width %d, natural %d", min, nat);
  g_assert_cmpint (min, <, 1000);
  /* A 200-character lesson title in the chooser does not widen it either. */
  g_assert_cmpint (nat, <, 1000);
  g_object_unref (panel);
}

static gboolean
result_current (gpointer page)
{
  return rv_init_page_get_requested_serial (page) > 0
         && rv_init_page_get_shown_serial (page) == rv_init_page_get_requested_serial (page);
}

static gboolean
data_ready (gpointer page)
{
  return rv_init_page_get_dataset (page) != NULL;
}

/* An Initialization step shows its controls and display options: what it
 * sets, and the defaults where it says nothing, whatever came before. */
static void
assert_init_step (RvInitPage *init, const RvLessonStep *s)
{
  g_assert_true (app_test_wait_for (result_current, init, 120));
  const RvProbeConfig *cfg = rv_init_page_get_config (init);
  RvActivation act;
  RvInit want;
  g_assert_true (rv_activation_from_name (s->activation, &act));
  g_assert_true (rv_init_parse (s->init, &want, NULL));
  g_assert_cmpint (cfg->net.act, ==, act);
  g_assert_cmpint (cfg->init.kind, ==, want.kind);
  g_assert_cmpfloat (cfg->init.value, ==, want.value);
  for (RvProbeKind k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      RvHistogramGrid *grid = rv_init_page_get_grid (init, k);
      g_assert_cmpint (rv_histogram_grid_get_shared_x (grid), ==, s->same_x_range);
      g_assert_cmpint (rv_histogram_grid_get_log_y (grid), ==, s->log_y);
      g_assert_cmpint (rv_histogram_grid_get_show_kde (grid), ==, s->kde);
      g_assert_cmpint (rv_histogram_grid_get_y_mode (grid), ==,
                       s->density ? RV_HISTOGRAM_Y_DENSITY : RV_HISTOGRAM_Y_COUNT);
    }
  if (!s->pin)
    g_assert_null (rv_init_page_get_pin_label (init));
}

/* Lesson mode from the first step to the last: each step shows its page
 * and sets up its experiment. */
static void
test_walk (void)
{
  /* the walk reads in English (the Dutch texts were checked above) */
  g_setenv ("LANGUAGE", "en", TRUE);
  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  RvWindow *window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  gtk_window_present (GTK_WINDOW (window));
  RvInitPage *init = RV_INIT_PAGE (rv_window_get_init_page (window));
  RvTrainingPage *training = RV_TRAINING_PAGE (rv_window_get_training_page (window));
  RvSurfacesPage *surfaces = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));
  RvLessonPanel *panel = RV_LESSON_PANEL (rv_window_get_lesson_panel (window));
  g_assert_true (app_test_wait_for (data_ready, init, 60));

  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*broken.json*");
  g_action_group_change_action_state (G_ACTION_GROUP (window), "lesson", g_variant_new_boolean (TRUE));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (rv_lesson_panel_get_n_lessons (panel), >=, 1);
  rv_lesson_panel_go_to (panel, 0, 0);
  const RvLesson *lesson = rv_lesson_panel_get_lesson (panel);
  g_autofree char *pinned_xavier_linear = g_strdup_printf ("%s, xavier", rv_label_activation (RV_ACT_IDENTITY));
  for (guint i = 0; i < lesson->steps->len; i++)
    {
      g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, i);
      const RvLessonStep *s = rv_lesson_panel_get_current (panel);
      g_assert_cmpstr (rv_window_get_page (window), ==, s->page);
      if (g_str_equal (s->page, "initialization"))
        assert_init_step (init, s);
      else if (g_str_equal (s->page, "training"))
        {
          g_assert_cmpuint (rv_training_page_get_n_runs (training), ==, 3);
          for (guint r = 0; r < 3; r++)
            rv_training_page_cancel (training, r);
        }
      else if (g_str_equal (s->page, "landscape"))
        g_assert_null (s->preset);  /* the page only shows: the reader picks a run */
      else
        {
          const char *want = g_str_equal (s->preset, "ravine") ? "pathological" : "steep";
          g_assert_cmpstr (rv_surface_model_get_surface (rv_surfaces_page_get_model (surfaces))->name, ==, want);
        }
      if (i == 0)
        app_test_maybe_screenshot (GTK_WIDGET (window), "lesson");
      g_action_group_activate_action (G_ACTION_GROUP (window), "lesson-step", g_variant_new_int32 (1));
    }
  /* Next on the last step stays there */
  g_assert_cmpuint (rv_lesson_panel_get_step (panel), ==, lesson->steps->len - 1);

  /* and back again: the training runs are not added a second time */
  rv_lesson_panel_go_to (panel, 0, 7);
  g_assert_cmpuint (rv_training_page_get_n_runs (training), ==, 3);

  /* The variance comparisons share one x range, as their texts ask. */
  for (guint i = 1; i <= 3; i++)
    g_assert_true (((RvLessonStep *) g_ptr_array_index (lesson->steps, i))->same_x_range);
  g_assert_false (((RvLessonStep *) g_ptr_array_index (lesson->steps, 0))->same_x_range);

  /* Step 5 asks the reader to pin; going back and forth again leaves no
   * stale pin on it, and step 6 compares with step 5's network. */
  rv_lesson_panel_go_to (panel, 0, 4);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 4));
  rv_init_page_pin (init);
  g_assert_nonnull (rv_init_page_get_pin_label (init));
  rv_lesson_panel_previous (panel);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 3));
  g_assert_null (rv_init_page_get_pin_label (init));
  rv_lesson_panel_next (panel);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 4));
  g_assert_null (rv_init_page_get_pin_label (init));
  /* not pinned this time: step 6 pins what step 5 showed */
  rv_lesson_panel_next (panel);
  const RvLessonStep *tanh_step = g_ptr_array_index (lesson->steps, 5);
  g_assert_true (tanh_step->pin);
  assert_init_step (init, tanh_step);
  g_assert_cmpstr (rv_init_page_get_pin_label (init), ==, pinned_xavier_linear);
  /* on the depth chart, where the pin is drawn */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (rv_init_page_get_depth_view (init))));
  /* the reader's own pin in step 5 is the one step 6 keeps */
  rv_lesson_panel_previous (panel);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 4));
  rv_init_page_pin (init);
  rv_lesson_panel_next (panel);
  assert_init_step (init, tanh_step);
  g_assert_cmpstr (rv_init_page_get_pin_label (init), ==, pinned_xavier_linear);
  /* and step 7 drops it */
  rv_lesson_panel_next (panel);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 6));
  g_assert_null (rv_init_page_get_pin_label (init));

  /* A teacher's lesson turns on a log y axis in one step: the step after it,
   * which says nothing of it, turns it off again, either way round. */
  rv_lesson_panel_go_to (panel, 1, 0);
  const RvLesson *deeper = rv_lesson_panel_get_lesson (panel);
  g_assert_true (((RvLessonStep *) g_ptr_array_index (deeper->steps, 0))->log_y);
  assert_init_step (init, g_ptr_array_index (deeper->steps, 0));
  g_assert_true (rv_histogram_grid_get_log_y (rv_init_page_get_grid (init, RV_PROBE_ACTIVATION)));
  rv_lesson_panel_next (panel);
  assert_init_step (init, g_ptr_array_index (deeper->steps, 1));
  g_assert_false (rv_histogram_grid_get_log_y (rv_init_page_get_grid (init, RV_PROBE_ACTIVATION)));
  rv_lesson_panel_previous (panel);
  assert_init_step (init, g_ptr_array_index (deeper->steps, 0));
  /* a step that types its surface as a formula shows it, in the entry too */
  rv_lesson_panel_go_to (panel, 1, 2);
  g_assert_cmpstr (rv_window_get_page (window), ==, "surfaces");
  const RvSurface *typed_surface = rv_surface_model_get_surface (rv_surfaces_page_get_model (surfaces));
  g_assert_cmpstr (typed_surface->name, ==, "expr");
  g_assert_cmpstr (typed_surface->formula, ==, "w1^2 + 10*w2^2");
  g_assert_cmpfloat (rv_surface_eval (typed_surface, 1, 2, NULL, NULL), ==, 41);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rv_surfaces_page_get_formula_entry (surfaces))), ==,
                   "w1^2 + 10*w2^2");
  rv_lesson_panel_go_to (panel, 0, 4);
  assert_init_step (init, g_ptr_array_index (lesson->steps, 4));
  g_assert_false (rv_histogram_grid_get_log_y (rv_init_page_get_grid (init, RV_PROBE_ACTIVATION)));
  g_assert_true (rv_histogram_grid_get_show_kde (rv_init_page_get_grid (init, RV_PROBE_ACTIVATION)));

  /* presentation mode: full screen with large text, and back */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (TRUE));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_cmpfloat (rv_plot_line (1.0), ==, 2.0);
  app_test_maybe_screenshot (GTK_WIDGET (window), "presentation");
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (FALSE));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_cmpfloat (rv_plot_line (1.0), ==, 1.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "nl", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *real = g_getenv ("RAVINE_TEST_DATA_DIR");
  g_setenv ("RAVINE_DATA_DIR", real && g_file_test (real, G_FILE_TEST_IS_DIR) ? real : "/nonexistent-ravine-data", TRUE);
  g_autofree char *home = g_dir_make_tmp ("ravine-lessons-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_autofree char *runs = g_build_filename (home, "runs", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs, TRUE);
  user_dir = g_build_filename (home, "ravine", "lessons", NULL);
  g_mkdir_with_parents (user_dir, 0755);
  g_autofree char *mine = g_build_filename (user_dir, "deeper.json", NULL);
  g_file_set_contents (mine, "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"Deeper networks\", \"steps\": "
                             "[{\"title\": \"Ten layers\", \"text\": \"Kaiming still holds.\", \"page\": \"initialization\", "
                             "\"setup\": {\"activation\": \"relu\", \"init\": \"kaiming\", \"hidden\": \"256,256,256,256,256,256,256,256,256\", "
                             "\"log_y\": true, \"kde\": false, \"density\": true}}, "
                             "{\"title\": \"Linear\", \"text\": \"Small values.\", \"page\": \"initialization\", "
                             "\"setup\": {\"activation\": \"identity\", \"init\": \"xavier\"}}, "
                             "{\"title\": \"A bowl\", \"text\": \"Typed.\", \"page\": \"surfaces\", "
                             "\"setup\": {\"surface_expr\": \"w1^2 + 10*w2^2\"}}]}",
                       -1, NULL);
  g_autofree char *broken = g_build_filename (user_dir, "broken.json", NULL);
  g_file_set_contents (broken, "{\"format\": \"ravine-lesson\"", -1, NULL);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lesson/parse-errors", test_parse_errors);
  g_test_add_func ("/lesson/translations", test_translations);
  g_test_add_func ("/lesson/load-all", test_load_all);
  g_test_add_func ("/lesson/long-words", test_long_words);
  g_test_add_func ("/lesson/walk", test_walk);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  if (system (rm) != 0)
    g_warning ("could not remove %s", home);
  return status;
}
