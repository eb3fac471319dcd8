/* rv-lesson.h: a lesson, read from a data file.
 *
 * A lesson is a JSON file: {"format": "ravine-lesson", "version": 1,
 * "title": ..., "steps": [{"title", "page", "setup", "text", "formula",
 * "question"}, ...]}.  "page" is initialization, training, surfaces or
 * landscape (which takes no setup);
 * "setup" says what that page shows (see README.md, "Writing a lesson").
 * Any text may instead be an object of translations, {"en": ..., "nl": ...},
 * from which the user's language is picked. */
#pragma once

#include <json-glib/json-glib.h>

#include "rv-setup.h"

G_BEGIN_DECLS

/* Limits, so that a lesson can neither stall the window (reading or laying
 * out text) nor make it too big to draw; anything larger is refused. */
#define RV_LESSON_MAX_BYTES (1024 * 1024)  /* one file */
#define RV_LESSON_MAX_STEPS 200
#define RV_LESSON_MAX_TITLE 200            /* characters: titles and setup values */
#define RV_LESSON_MAX_TEXT 20000           /* a step's text */
#define RV_LESSON_MAX_NOTE 2000            /* its formula and question */

/* What a step on the Initialization page shows where its setup says
 * nothing: a step never inherits the previous step's (or the reader's)
 * settings, so that every step looks the same however it was reached. */
#define RV_LESSON_DEFAULT_ACTIVATION "relu"
#define RV_LESSON_DEFAULT_INIT "kaiming"
#define RV_LESSON_DEFAULT_HIDDEN "512,256,256,128"
#define RV_LESSON_DEFAULT_VIEW "activations"
#define RV_LESSON_DEFAULT_KDE TRUE
#define RV_LESSON_DEFAULT_DENSITY FALSE
#define RV_LESSON_DEFAULT_LOG_Y FALSE
#define RV_LESSON_DEFAULT_SAME_X_RANGE FALSE
#define RV_LESSON_DEFAULT_PIN FALSE

typedef struct {
  char *title;
  char *page;        /* "initialization", "training", "surfaces" or "landscape" */
  /* setup, for initialization: activation, init, hidden, view, and the
   * histograms' display options; for training: preset ("tutorial"); for
   * surfaces: preset ("ravine" or "steep"), surface (a name) or
   * surface_expr (a formula, rv-expr.h; checked to parse).  On an
   * initialization step every field is set, to the RV_LESSON_DEFAULT_*
   * value where the file leaves it out; other unset fields are NULL. */
  char *activation, *init, *hidden, *view, *preset, *surface, *surface_expr;
  /* pin: keep the comparison pinned on the depth chart (pinning what the
   * previous step showed if there is none); FALSE clears it. */
  gboolean kde, density, log_y, same_x_range, pin;
  char *text, *formula, *question;
  /* A step whose setup gives members of a setup file's page object
   * (rv-setup.h) that the fields above do not hold (pins; start, steps,
   * runs, view; a training step's runs, watched, loss_log_y, wall_clock) has
   * its whole setup read as that object here; otherwise these are NULL. */
  RvSetupInitialization *initialization_setup;
  RvSetupTraining *training_setup;
  RvSetupSurfaces *surfaces_setup;
} RvLessonStep;

typedef struct {
  char *title;
  char *source;      /* where it was read from, for messages */
  GPtrArray *steps;  /* RvLessonStep * */
} RvLesson;

void rv_lesson_free (RvLesson *lesson);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvLesson, rv_lesson_free)

/* Parses and checks a lesson held in memory (length bytes, no terminator
 * needed): its texts, its pages and every setup value, so that each step can
 * be shown as it is.  The error (RV_ERROR_DATA) names the source, the step
 * and what is wrong.  GLib and json-glib only: callable without GTK. */
RvLesson *rv_lesson_parse (const char *data, gsize length, const char *source, GError **error);
/* Reads a lesson file: only a regular file of at most RV_LESSON_MAX_BYTES. */
RvLesson *rv_lesson_read_file (const char *path, GError **error);

/* TRUE for "initialization", "training" and "surfaces". */
gboolean rv_lesson_is_page (const char *name);

/* The built-in lessons and those in $XDG_DATA_HOME/ravine/lessons (files ending .json), in
 * that order; a file that cannot be read or is not a valid lesson is skipped
 * with a warning naming it, the step and the fault. */
GPtrArray *rv_lesson_load_all (void);

G_END_DECLS
