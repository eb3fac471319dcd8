/* rv-lesson-panel.h: the lesson sidebar: one step at a time, with its
 * explanation, formula and question, and buttons to move on. */
#pragma once

#include <gtk/gtk.h>

#include "rv-lesson.h"

G_BEGIN_DECLS

#define RV_TYPE_LESSON_PANEL (rv_lesson_panel_get_type ())
G_DECLARE_FINAL_TYPE (RvLessonPanel, rv_lesson_panel, RV, LESSON_PANEL, GtkWidget)

GtkWidget *rv_lesson_panel_new (void);

/* Takes the lessons (RvLesson *); shows the first lesson's first step. */
void rv_lesson_panel_set_lessons (RvLessonPanel *self, GPtrArray *lessons);
guint rv_lesson_panel_get_n_lessons (RvLessonPanel *self);
const RvLesson *rv_lesson_panel_get_lesson (RvLessonPanel *self);

/* Moves to a step; emits "step-changed" so the window sets it up. */
void rv_lesson_panel_go_to (RvLessonPanel *self, guint lesson, guint step);
void rv_lesson_panel_next (RvLessonPanel *self);
void rv_lesson_panel_previous (RvLessonPanel *self);
guint rv_lesson_panel_get_step (RvLessonPanel *self);
const RvLessonStep *rv_lesson_panel_get_current (RvLessonPanel *self);

G_END_DECLS
