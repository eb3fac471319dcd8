/* rv-lesson.h: a lesson, read from a data file.
 *
 * A lesson is a JSON file: {"format": "ravine-lesson", "version": 1,
 * "title": ..., "steps": [{"title", "page", "setup", "text", "formula",
 * "question"}, ...]}.  "page" is initialization, training or surfaces;
 * "setup" says what that page shows (see README.md, "Writing a lesson").
 * Any text may instead be an object of translations, {"en": ..., "nl": ...},
 * from which the user's language is picked. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char *title;
  char *page;        /* "initialization", "training" or "surfaces" */
  /* setup, for initialization: activation, init, hidden, view; for
   * training: preset ("tutorial"); for surfaces: preset ("ravine" or "steep")
   * or surface.  Unset fields are NULL. */
  char *activation, *init, *hidden, *view, *preset, *surface;
  char *text, *formula, *question;
} RvLessonStep;

typedef struct {
  char *title;
  char *source;      /* where it was read from, for messages */
  GPtrArray *steps;  /* RvLessonStep * */
} RvLesson;

void rv_lesson_free (RvLesson *lesson);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvLesson, rv_lesson_free)

/* Parses and checks a lesson; the error names the source, the step and what
 * is wrong. */
RvLesson *rv_lesson_parse (const char *data, gsize length, const char *source, GError **error);

/* The built-in lessons and those in $XDG_DATA_HOME/ravine/lessons (files ending .json), in
 * that order; a file that does not parse is skipped with a warning. */
GPtrArray *rv_lesson_load_all (void);

G_END_DECLS
