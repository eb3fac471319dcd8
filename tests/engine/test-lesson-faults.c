/* test-lesson-faults.c: broken and hostile lesson files are refused when
 * they are read, each with a message naming the file, the step and the
 * fault; none crashes, hangs or warns on the way. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-lesson.h"

static char *home, *user_dir;

#define HEAD "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": "

/* A lesson of one step on page with the given setup members. */
static char *
one_step (const char *page, const char *setup)
{
  return g_strdup_printf (HEAD "[{\"title\": \"a\", \"text\": \"b\", \"page\": %s%s%s}]}", page,
                          setup ? ", \"setup\": " : "", setup ? setup : "");
}

static void
assert_refused (const char *json, gsize len, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLesson) lesson = rv_lesson_parse (json, len, "custom.json", &error);
  g_assert_null (lesson);
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL || !g_str_has_prefix (error->message, "custom.json"))
    g_error ("\"%.200s\": the message \"%s\" lacks \"%s\"", json, error->message, needle);
}

/* A page that is not a string was read as NULL and compared with
 * g_str_equal when lesson mode opened. */
static void
test_page_types (void)
{
  static const char *const pages[] = { "3", "true", "null", "{}", "[\"training\"]", "\"\"", "\"Training\"" };
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *json = one_step (pages[i], NULL);
      assert_refused (json, strlen (json), "step 1: \"page\" must be initialization, training, surfaces or landscape");
    }
  /* a missing page too */
  const char *json = HEAD "[{\"title\": \"a\", \"text\": \"b\"}]}";
  assert_refused (json, strlen (json), "step 1: \"page\"");
}

/* Members of the wrong type are faults, never criticals from json-glib. */
static void
test_member_types (void)
{
  static const struct { const char *json, *needle; } bad[] = {
    { "{\"format\": {}, \"version\": 1}", "not a Ravine lesson" },
    { "{\"format\": \"ravine-lesson\", \"version\": \"1\"}", "not a Ravine lesson" },
    { "{\"format\": \"ravine-lesson\", \"version\": [1]}", "not a Ravine lesson" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1.5}", "not a Ravine lesson" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"T\", \"steps\": {}}", "at least one step" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": [], \"steps\": [{}]}", "\"title\" is neither" },
    { HEAD "[3]}", "step 1: a step must be an object" },
    { HEAD "[{\"title\": \"a\", \"text\": {\"en\": 3}, \"page\": \"training\"}]}", "translation \"en\" of \"text\"" },
    { HEAD "[{\"title\": \"a\", \"text\": {\"fr\": \"b\"}, \"page\": \"training\"}]}", "no English" },
    { HEAD "[{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\", \"qustion\": \"?\"}]}",
      "step 1: unknown member \"qustion\"" },
    { "[]", "not a JSON object" },
    { "", "custom.json" },
    { "   \n", "custom.json" },
    { "{\"format\": \"ravine-lesson\"} trailing", "custom.json" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i].json, strlen (bad[i].json), bad[i].needle);
}

/* Every setup value is checked when the file is read: each of these was
 * ignored, or failed only when its step was shown (a critical naming no
 * file for an unknown surface). */
static void
test_setup_checked (void)
{
  static const struct { const char *page, *setup, *needle; } bad[] = {
    { "\"surfaces\"", "{\"surface\": \"mountain\"}", "step 1: setup \"surface\": unknown surface \"mountain\"" },
    { "\"surfaces\"", "{\"preset\": \"valley\"}", "step 1: setup \"preset\": unknown surfaces preset \"valley\"" },
    { "\"surfaces\"", "{\"preset\": \"ravine\", \"surface\": \"steep\"}",
      "setup takes one of \"preset\", \"surface\" and \"surface_expr\"" },
    { "\"training\"", "{\"preset\": \"fast\"}", "step 1: setup \"preset\": unknown training preset \"fast\"" },
    { "\"training\"", "[\"tutorial\"]", "step 1: \"setup\" must be an object" },
    { "\"training\"", "\"tutorial\"", "step 1: \"setup\" must be an object" },
    { "\"training\"", "null", "step 1: \"setup\" must be an object" },
    { "\"training\"", "{\"preset\": 1}", "setup \"preset\" must be a string" },
    { "\"training\"", "{\"view\": \"depth\"}", "setup \"view\" does not apply to the training page" },
    { "\"initialization\"", "{\"preset\": \"tutorial\"}", "setup \"preset\" does not apply to the initialization" },
    { "\"initialization\"", "{\"surface\": \"steep\"}", "setup \"surface\" does not apply" },
    { "\"landscape\"", "{\"preset\": \"ravine\"}", "setup \"preset\" does not apply to the landscape page" },
    { "\"landscape\"", "{\"surface\": \"steep\"}", "setup \"surface\" does not apply to the landscape page" },
    { "\"initialization\"", "{\"activation\": \"swish\"}", "setup \"activation\": unknown activation \"swish\"" },
    { "\"initialization\"", "{\"init\": \"const:abc\"}", "step 1: setup \"init\": " },
    { "\"initialization\"", "{\"init\": \"magic\"}", "step 1: setup \"init\": " },
    { "\"initialization\"", "{\"hidden\": \"0\"}", "step 1: setup \"hidden\": " },
    { "\"initialization\"", "{\"hidden\": \"64,x\"}", "step 1: setup \"hidden\": " },
    { "\"initialization\"", "{\"hidden\": \"70000\"}", "step 1: setup \"hidden\": " },
    { "\"initialization\"", "{\"hidden\": \"65536,65536\"}", "would need" },
    { "\"initialization\"", "{\"view\": \"colours\"}", "step 1: setup \"view\": unknown view \"colours\"" },
    { "\"initialization\"", "{\"colour\": \"red\"}", "step 1: unknown setup \"colour\"" },
    { "\"initialization\"", "{\"log_y\": \"yes\"}", "step 1: setup \"log_y\" must be true or false" },
    { "\"initialization\"", "{\"same_x_range\": 1}", "step 1: setup \"same_x_range\" must be true or false" },
    { "\"initialization\"", "{\"kde\": null}", "step 1: setup \"kde\" must be true or false" },
    { "\"initialization\"", "{\"density\": [true]}", "step 1: setup \"density\" must be true or false" },
    { "\"initialization\"", "{\"pin\": {}}", "step 1: setup \"pin\" must be true or false" },
    { "\"initialization\"", "{\"logy\": true}", "step 1: unknown setup \"logy\"" },
    { "\"surfaces\"", "{\"log_y\": true}", "setup \"log_y\" does not apply to the surfaces page" },
    { "\"training\"", "{\"pin\": false}", "setup \"pin\" does not apply to the training page" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = one_step (bad[i].page, bad[i].setup);
      assert_refused (json, strlen (json), bad[i].needle);
    }

  /* and every value that a page takes is accepted */
  static const struct { const char *page, *setup; } good[] = {
    { "\"initialization\"", "{\"activation\": \"tanh\", \"init\": \"const:0.005\", \"hidden\": \"64,32\", \"view\": \"weights\"}" },
    { "\"initialization\"", "{\"view\": \"gradients\"}" },
    { "\"initialization\"", "{\"view\": \"activations\"}" },
    { "\"initialization\"", "{\"view\": \"depth\", \"hidden\": \"\"}" },
    { "\"initialization\"", "{}" },
    { "\"training\"", "{\"preset\": \"tutorial\"}" },
    { "\"surfaces\"", "{\"preset\": \"ravine\"}" },
    { "\"surfaces\"", "{\"preset\": \"steep\"}" },
    { "\"surfaces\"", "{\"surface\": \"pathological\"}" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *json = one_step (good[i].page, good[i].setup);
      g_autoptr (GError) error = NULL;
      g_autoptr (RvLesson) lesson = rv_lesson_parse (json, strlen (json), "good.json", &error);
      g_assert_no_error (error);
      g_assert_nonnull (lesson);
    }
}

static RvLessonStep *
first_step (RvLesson *lesson)
{
  return g_ptr_array_index (lesson->steps, 0);
}

/* An initialization step that says nothing of a control or a display option
 * gets the default, so that no step inherits the one before it; one that
 * sets them gets what it says. */
/* A surface typed as a formula: checked to parse when the file is read, the
 * fault named by file, step and column. */
static void
test_surface_expr (void)
{
  static const struct { const char *page, *setup, *message; } bad[] = {
    { "\"surfaces\"", "{\"surface_expr\": \"w1^2 + (w2\"}",
      "custom.json: step 1: setup \"surface_expr\": column 11: expected ')'" },
    { "\"surfaces\"", "{\"surface_expr\": \"w1^2 + x\"}",
      "custom.json: step 1: setup \"surface_expr\": column 8: unknown name 'x' (expected w1, w2, pi, e or a function)" },
    { "\"surfaces\"", "{\"surface_expr\": \"\"}",
      "custom.json: step 1: setup \"surface_expr\": column 1: the formula is empty" },
    { "\"surfaces\"", "{\"surface_expr\": 3}", "custom.json: step 1: setup \"surface_expr\" must be a string" },
    { "\"surfaces\"", "{\"surface_expr\": \"w1\", \"surface\": \"steep\"}",
      "custom.json: step 1: setup takes one of \"preset\", \"surface\" and \"surface_expr\"" },
    { "\"surfaces\"", "{\"surface_expr\": \"w1\", \"preset\": \"ravine\"}",
      "custom.json: step 1: setup takes one of \"preset\", \"surface\" and \"surface_expr\"" },
    { "\"initialization\"", "{\"surface_expr\": \"w1\"}",
      "custom.json: step 1: setup \"surface_expr\" does not apply to the initialization page" },
    { "\"training\"", "{\"surface_expr\": \"w1\"}",
      "custom.json: step 1: setup \"surface_expr\" does not apply to the training page" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = one_step (bad[i].page, bad[i].setup);
      g_autoptr (GError) error = NULL;
      g_autoptr (RvLesson) lesson = rv_lesson_parse (json, strlen (json), "custom.json", &error);
      g_assert_null (lesson);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }

  /* The step is named: the second of two. */
  const char *two = HEAD "[{\"title\": \"a\", \"text\": \"b\", \"page\": \"surfaces\","
                    " \"setup\": {\"surface_expr\": \"w1^2 + 10*w2^2\"}},"
                    " {\"title\": \"c\", \"text\": \"d\", \"page\": \"surfaces\","
                    " \"setup\": {\"surface_expr\": \"sin(w1 * w2\"}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLesson) refused = rv_lesson_parse (two, strlen (two), "custom.json", &error);
  g_assert_null (refused);
  g_assert_cmpstr (error->message, ==, "custom.json: step 2: setup \"surface_expr\": column 12: expected ')'");
  g_clear_error (&error);

  /* A good one is kept as written, up to the parser's length. */
  g_autofree char *good = one_step ("\"surfaces\"", "{\"surface_expr\": \"w1^2 + 10*w2^2\"}");
  g_autoptr (RvLesson) lesson = rv_lesson_parse (good, strlen (good), "good.json", &error);
  g_assert_no_error (error);
  const RvLessonStep *step = g_ptr_array_index (lesson->steps, 0);
  g_assert_cmpstr (step->surface_expr, ==, "w1^2 + 10*w2^2");
  g_assert_null (step->surface);
  g_assert_null (step->preset);

  GString *sum = g_string_new ("w1");
  while (sum->len < 999)
    g_string_append (sum, "+1");  /* to 1000 characters, over a setup value's 200 */
  g_autofree char *setup = g_strdup_printf ("{\"surface_expr\": \"%s\"}", sum->str);
  g_autofree char *longest = one_step ("\"surfaces\"", setup);
  g_autoptr (RvLesson) long_lesson = rv_lesson_parse (longest, strlen (longest), "good.json", &error);
  g_assert_no_error (error);
  g_string_append (sum, "+1");
  g_autofree char *setup2 = g_strdup_printf ("{\"surface_expr\": \"%s\"}", sum->str);
  g_autofree char *too_long = one_step ("\"surfaces\"", setup2);
  g_autoptr (RvLesson) refused_long = rv_lesson_parse (too_long, strlen (too_long), "custom.json", &error);
  g_assert_null (refused_long);
  g_assert_nonnull (strstr (error->message, "at most 1000"));
  g_string_free (sum, TRUE);
}

static void
test_setup_defaults (void)
{
  g_autofree char *bare = one_step ("\"initialization\"", NULL);
  g_autoptr (RvLesson) plain = rv_lesson_parse (bare, strlen (bare), "plain.json", NULL);
  g_assert_nonnull (plain);
  RvLessonStep *s = first_step (plain);
  g_assert_cmpstr (s->activation, ==, RV_LESSON_DEFAULT_ACTIVATION);
  g_assert_cmpstr (s->init, ==, RV_LESSON_DEFAULT_INIT);
  g_assert_cmpstr (s->hidden, ==, RV_LESSON_DEFAULT_HIDDEN);
  g_assert_cmpstr (s->view, ==, RV_LESSON_DEFAULT_VIEW);
  g_assert_cmpint (s->kde, ==, RV_LESSON_DEFAULT_KDE);
  g_assert_cmpint (s->density, ==, RV_LESSON_DEFAULT_DENSITY);
  g_assert_cmpint (s->log_y, ==, RV_LESSON_DEFAULT_LOG_Y);
  g_assert_cmpint (s->same_x_range, ==, RV_LESSON_DEFAULT_SAME_X_RANGE);
  g_assert_cmpint (s->pin, ==, RV_LESSON_DEFAULT_PIN);

  g_autofree char *set = one_step ("\"initialization\"", "{\"activation\": \"tanh\", \"kde\": false, "
                                   "\"density\": true, \"log_y\": true, \"same_x_range\": true, \"pin\": true}");
  g_autoptr (RvLesson) options = rv_lesson_parse (set, strlen (set), "options.json", NULL);
  g_assert_nonnull (options);
  s = first_step (options);
  g_assert_cmpstr (s->activation, ==, "tanh");
  g_assert_cmpstr (s->init, ==, RV_LESSON_DEFAULT_INIT);
  g_assert_false (s->kde);
  g_assert_true (s->density && s->log_y && s->same_x_range && s->pin);

  /* other pages keep their unset fields unset */
  g_autofree char *training = one_step ("\"training\"", NULL);
  g_autoptr (RvLesson) other = rv_lesson_parse (training, strlen (training), "training.json", NULL);
  g_assert_nonnull (other);
  g_assert_null (first_step (other)->activation);
  g_assert_null (first_step (other)->view);
}

/* Deep nesting overflowed json-glib's recursion. */
static void
test_deep_nesting (void)
{
  const gsize depth = 100000;
  g_autofree char *json = g_malloc (2 * depth + 1);
  memset (json, '[', depth);
  memset (json + depth, ']', depth);
  json[2 * depth] = '\0';
  assert_refused (json, 2 * depth, "custom.json");

  /* and inside a step */
  g_autoptr (GString) s = g_string_new (HEAD "[{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\", \"setup\": ");
  for (gsize i = 0; i < 10000; i++)
    g_string_append (s, "{\"x\": ");
  g_string_append (s, "1");
  for (gsize i = 0; i < 10000; i++)
    g_string_append_c (s, '}');
  g_string_append (s, "}]}");
  assert_refused (s->str, s->len, "custom.json");
}

/* Texts too long to lay out or draw are refused: a 1 MB title ended the app
 * (X BadAlloc) and a 60 MB text froze it in Pango. */
static void
test_text_limits (void)
{
  static const struct { const char *member; guint max; } fields[] = {
    { "title", RV_LESSON_MAX_TITLE }, { "text", RV_LESSON_MAX_TEXT },
    { "formula", RV_LESSON_MAX_NOTE }, { "question", RV_LESSON_MAX_NOTE },
  };
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    for (guint extra = 0; extra <= 1; extra++)
      {
        /* "é" is two bytes and one character: the limit counts characters */
        g_autoptr (GString) big = g_string_new (NULL);
        for (guint i = 0; i < fields[f].max + extra; i++)
          g_string_append (big, i % 2 ? "é" : "w");
        g_autoptr (GString) json = g_string_new (HEAD "[{\"page\": \"training\"");
        for (gsize g = 0; g < G_N_ELEMENTS (fields); g++)
          g_string_append_printf (json, ", \"%s\": \"%s\"", fields[g].member, g == f ? big->str : "x");
        g_string_append (json, "}]}");
        g_autoptr (GError) error = NULL;
        g_autoptr (RvLesson) lesson = rv_lesson_parse (json->str, json->len, "custom.json", &error);
        if (extra == 0)
          {
            g_assert_no_error (error);
            g_assert_nonnull (lesson);
            continue;
          }
        g_assert_null (lesson);
        g_autofree char *needle = g_strdup_printf ("step 1: \"%s\" is %u characters long; at most %u",
                                                   fields[f].member, fields[f].max + 1, fields[f].max);
        if (strstr (error->message, needle) == NULL)
          g_error ("\"%s\" lacks \"%s\"", error->message, needle);
      }

  /* the lesson's own title, and one in a translation */
  g_autofree char *long_title = g_strnfill (1000000, 'T');
  g_autofree char *json = g_strdup_printf ("{\"format\": \"ravine-lesson\", \"version\": 1, \"title\": \"%s\", "
                                           "\"steps\": [{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\"}]}",
                                           long_title);
  assert_refused (json, strlen (json), "custom.json: \"title\" is 1000000 characters long");
  g_autofree char *long_nl = g_strnfill (300, 'n');
  g_autofree char *translated = g_strdup_printf (HEAD "[{\"title\": {\"en\": \"a\", \"nl\": \"%s\"}, \"text\": \"b\", "
                                                 "\"page\": \"training\"}]}", long_nl);
  assert_refused (translated, strlen (translated), "step 1: the \"nl\" text of \"title\" is 300 characters long");

  /* too many steps */
  g_autoptr (GString) many = g_string_new (HEAD "[");
  for (guint i = 0; i <= RV_LESSON_MAX_STEPS; i++)
    g_string_append_printf (many, "%s{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\"}", i ? ", " : "");
  g_string_append (many, "]}");
  assert_refused (many->str, many->len, "201 steps; a lesson may have at most 200");

  /* more bytes than a lesson file may have, even as white space */
  gsize n = RV_LESSON_MAX_BYTES + 1;
  g_autofree char *huge = g_malloc (n);
  memset (huge, ' ', n);
  memcpy (huge, "{}", 2);
  assert_refused (huge, n, "a lesson file may have at most");
}

static char *
user_file (const char *name)
{
  return g_build_filename (user_dir, name, NULL);
}

/* Only regular files of at most 1 MiB are read: a FIFO blocked the window
 * for good; a folder or a huge file is skipped, naming it. */
static void
test_files (void)
{
  g_autofree char *fifo = user_file ("a-fifo.json");
  g_autofree char *folder = user_file ("b-folder.json");
  g_autofree char *big = user_file ("c-big.json");
  g_autofree char *good = user_file ("d-good.json");
  g_autofree char *bad = user_file ("e-bad.json");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_autofree char *padding = g_strnfill (RV_LESSON_MAX_BYTES, ' ');
  g_autofree char *big_text = g_strdup_printf (HEAD "[{\"title\": \"a\", \"text\": \"b\", \"page\": \"training\"}]}%s",
                                               padding);
  g_assert_true (g_file_set_contents (big, big_text, -1, NULL));
  g_autofree char *good_text = one_step ("\"surfaces\"", "{\"surface\": \"steep\"}");
  g_assert_true (g_file_set_contents (good, good_text, -1, NULL));
  g_autofree char *bad_text = one_step ("\"surfaces\"", "{\"surface\": \"mountain\"}");
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));

  g_autoptr (GError) error = NULL;
  g_autoptr (RvLesson) from_fifo = rv_lesson_read_file (fifo, &error);
  g_assert_null (from_fifo);
  g_assert_true (g_str_has_prefix (error->message, fifo));
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);

  g_autoptr (RvLesson) from_good = rv_lesson_read_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_good->source, ==, good);
  g_assert_cmpstr (((RvLessonStep *) g_ptr_array_index (from_good->steps, 0))->surface, ==, "steep");

  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*a-fifo.json*FIFO*");
  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*b-folder.json*");
  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*c-big.json*");
  g_test_expect_message ("Ravine", G_LOG_LEVEL_WARNING, "*e-bad.json: step 1: setup \"surface\": unknown surface*");
  g_autoptr (GPtrArray) lessons = rv_lesson_load_all ();
  g_test_assert_expected_messages ();
  /* the built-in lesson and the good one */
  g_assert_cmpuint (lessons->len, ==, 2);
  g_assert_cmpstr (((RvLesson *) g_ptr_array_index (lessons, 1))->source, ==, good);
}

/* A step may give a setup file's page object (rv-setup.h): it is read by
 * the same code, so its faults name the member, and a step without those
 * members keeps its old meaning. */
static void
test_page_objects (void)
{
  g_autofree char *ok = one_step ("\"surfaces\"", "{\"surface\": \"rosenbrock\", \"start\": [0.5, -1], "
                                  "\"steps\": 40, \"runs\": [{\"name\": \"momentum\", \"lr\": 0.01}]}");
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLesson) lesson = rv_lesson_parse (ok, strlen (ok), "custom.json", &error);
  g_assert_no_error (error);
  const RvLessonStep *s = g_ptr_array_index (lesson->steps, 0);
  g_assert_nonnull (s->surfaces_setup);
  g_assert_cmpstr (s->surfaces_setup->surface, ==, "rosenbrock");
  g_assert_cmpuint (s->surfaces_setup->steps, ==, 40);
  g_assert_cmpuint (s->surfaces_setup->runs->len, ==, 1);
  g_assert_true (g_array_index (s->surfaces_setup->runs, RvOptimConfig, 0).lr == 0.01);
  g_assert_true (s->surfaces_setup->start[0] == 0.5 && s->surfaces_setup->start[1] == -1);

  g_autofree char *plain = one_step ("\"surfaces\"", "{\"surface\": \"rosenbrock\"}");
  g_autoptr (RvLesson) plain_lesson = rv_lesson_parse (plain, strlen (plain), "custom.json", NULL);
  g_assert_null (((RvLessonStep *) g_ptr_array_index (plain_lesson->steps, 0))->surfaces_setup);

  static const struct {
    const char *page, *setup, *needle;
  } bad[] = {
    { "\"surfaces\"", "{\"runs\": [{\"name\": \"adam\", \"lr\": 0}]}",
      "custom.json: step 1: setup: runs[0]: adam lr must be a finite number > 0" },
    { "\"surfaces\"", "{\"preset\": \"ravine\", \"steps\": 10}", "setup \"preset\" sets up the page itself" },
    { "\"surfaces\"", "{\"view\": [1, 0, 0, 1]}", "step 1: setup: view: must be" },
    { "\"training\"", "{\"watched\": \"nobody\"}", "step 1: setup: watched: names no run" },
    { "\"initialization\"", "{\"pins\": [{\"init\": \"xavier\"}]}", "step 1: setup: pins[0]: \"label\" is required" },
    { "\"landscape\"", "{\"runs\": []}", "unknown setup \"runs\"" },
    { "\"initialization\"", "{\"pin\": true, \"pins\": []}", "with \"pins\" the step gives its own" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = one_step (bad[i].page, bad[i].setup);
      assert_refused (json, strlen (json), bad[i].needle);
    }
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  home = g_dir_make_tmp ("ravine-lesson-faults-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  user_dir = g_build_filename (home, "ravine", "lessons", NULL);
  g_mkdir_with_parents (user_dir, 0755);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lesson-faults/page-types", test_page_types);
  g_test_add_func ("/lesson-faults/member-types", test_member_types);
  g_test_add_func ("/lesson-faults/setup-checked", test_setup_checked);
  g_test_add_func ("/lesson-faults/setup-defaults", test_setup_defaults);
  g_test_add_func ("/lesson-faults/surface-expr", test_surface_expr);
  g_test_add_func ("/lesson-faults/deep-nesting", test_deep_nesting);
  g_test_add_func ("/lesson-faults/text-limits", test_text_limits);
  g_test_add_func ("/lesson-faults/files", test_files);
  g_test_add_func ("/lesson-faults/page-objects", test_page_objects);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  if (system (rm) != 0)
    g_warning ("could not remove %s", home);
  g_free (user_dir);
  g_free (home);
  return status;
}
