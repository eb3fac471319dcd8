/* fuzz-lesson.c: fuzz target for lesson files.
 *
 * Text goes to rv_lesson_parse (src/app/rv-lesson.c, which needs only GLib
 * and json-glib).  A lesson that loads must have a title and at least one
 * step, and every step a title, a text and one of the four pages; every
 * text must be UTF-8.  Seeds: a small lesson written here and the built-in
 * lessons (given with --corpus). */
#include "fuzz-target.h"

#include <string.h>

#include "rv-expr.h"
#include "rv-lesson.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_JSON;
const char fuzz_target_name[] = "fuzz-lesson";
int fuzz_target_accepted;

static void
check_text (const char *s, gboolean required, const char *what, guint step)
{
  FUZZ_CHECK (s != NULL || !required, "step %u has no %s", step, what);
  FUZZ_CHECK (s == NULL || g_utf8_validate (s, -1, NULL), "step %u: the %s is not UTF-8", step, what);
}

/* The one call into the lesson code, for the lead to adapt if its entry
 * point changes. */
static RvLesson *
parse (const uint8_t *data, size_t size, GError **error)
{
  return rv_lesson_parse ((const char *) data, size, "fuzz", error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLesson) lesson = parse (data, size, &error);

  fuzz_target_accepted = lesson != NULL;
  if (lesson == NULL)
    {
      FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "fuzz: "),
                  "a refused lesson gave no error naming it: %s", error ? error->message : "no error");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "an accepted lesson also set an error");
  fuzz_json_check_strict (data, size);
  FUZZ_CHECK (lesson->title != NULL && g_utf8_validate (lesson->title, -1, NULL), "the lesson has no title");
  FUZZ_CHECK (g_strcmp0 (lesson->source, "fuzz") == 0, "the lesson forgot its source");
  FUZZ_CHECK (lesson->steps != NULL && lesson->steps->len >= 1, "a lesson without steps");
  for (guint i = 0; i < lesson->steps->len; i++)
    {
      const RvLessonStep *s = g_ptr_array_index (lesson->steps, i);
      check_text (s->title, TRUE, "title", i);
      check_text (s->text, TRUE, "text", i);
      check_text (s->formula, FALSE, "formula", i);
      check_text (s->question, FALSE, "question", i);
      FUZZ_CHECK (g_strcmp0 (s->page, "initialization") == 0 || g_strcmp0 (s->page, "training") == 0
                  || g_strcmp0 (s->page, "surfaces") == 0 || g_strcmp0 (s->page, "landscape") == 0,
                  "step %u has the page %s", i, s->page);
      /* the Landscape page takes no setup */
      FUZZ_CHECK (g_strcmp0 (s->page, "landscape") != 0
                  || (!s->activation && !s->init && !s->hidden && !s->view && !s->preset && !s->surface
                      && !s->surface_expr), "step %u sets up the landscape page", i);
      const char *setup[] = { s->activation, s->init, s->hidden, s->view, s->preset, s->surface,
                              s->surface_expr };
      for (guint k = 0; k < G_N_ELEMENTS (setup); k++)
        check_text (setup[k], FALSE, "setup", i);
      /* a typed surface that was accepted is one the page can show */
      g_autoptr (RvExpr) expr = s->surface_expr ? rv_expr_parse (s->surface_expr, NULL) : NULL;
      FUZZ_CHECK (s->surface_expr == NULL || expr != NULL, "step %u: surface_expr \"%s\" does not parse",
                  i, s->surface_expr);
    }
  return 0;
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  static const char lesson[] =
    "{\"format\": \"ravine-lesson\", \"version\": 1,\n"
    " \"title\": {\"en\": \"Fuzz\", \"nl\": \"Fuzz\"},\n"
    " \"steps\": [\n"
    "  {\"title\": \"One\", \"page\": \"initialization\", \"text\": \"Look.\",\n"
    "   \"setup\": {\"activation\": \"tanh\", \"init\": \"xavier\", \"hidden\": \"64,32\", \"view\": \"depth\"},\n"
    "   \"formula\": \"\\\\sigma\", \"question\": \"Why?\"},\n"
    "  {\"title\": \"Two\", \"page\": \"training\", \"text\": {\"en\": \"Run.\"}, \"setup\": {\"preset\": \"tutorial\"}},\n"
    "  {\"title\": \"Three\", \"page\": \"surfaces\", \"text\": \"Roll.\", \"setup\": {\"surface\": \"pathological\"}},\n"
    "  {\"title\": \"Four\", \"page\": \"surfaces\", \"text\": \"Type.\",\n"
    "   \"setup\": {\"surface_expr\": \"(w1-1)^2 + 100*(w2-w1^2)^2 + sin(w1)\"}}\n"
    " ]}\n";
  g_ptr_array_add (seeds, g_bytes_new_static (lesson, strlen (lesson)));
}
