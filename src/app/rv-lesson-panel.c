/* rv-lesson-panel.c: the lesson sidebar. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-lesson-panel.h"

struct _RvLessonPanel
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkDropDown *chooser;
  GtkLabel *position, *title, *text, *formula, *question;
  GtkWidget *previous, *next;

  GPtrArray *lessons;  /* RvLesson * */
  guint lesson, step;
  gboolean choosing;   /* the chooser is being set by code */
};

G_DEFINE_FINAL_TYPE (RvLessonPanel, rv_lesson_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_STEP_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

const RvLesson *
rv_lesson_panel_get_lesson (RvLessonPanel *self)
{
  return self->lessons && self->lesson < self->lessons->len ? g_ptr_array_index (self->lessons, self->lesson) : NULL;
}

const RvLessonStep *
rv_lesson_panel_get_current (RvLessonPanel *self)
{
  const RvLesson *lesson = rv_lesson_panel_get_lesson (self);
  return lesson ? g_ptr_array_index (lesson->steps, self->step) : NULL;
}

static void
show_step (RvLessonPanel *self)
{
  const RvLesson *lesson = rv_lesson_panel_get_lesson (self);
  const RvLessonStep *s = rv_lesson_panel_get_current (self);
  if (s == NULL)
    return;
  g_autofree char *position = g_strdup_printf (_("Step %u of %u"), self->step + 1, lesson->steps->len);
  gtk_label_set_label (self->position, position);
  gtk_label_set_label (self->title, s->title);
  gtk_label_set_label (self->text, s->text);
  gtk_label_set_label (self->formula, s->formula ? s->formula : "");
  gtk_widget_set_visible (GTK_WIDGET (self->formula), s->formula != NULL);
  g_autofree char *question = s->question ? g_markup_printf_escaped ("<i>%s</i>", s->question) : NULL;
  gtk_label_set_markup (self->question, question ? question : "");
  gtk_widget_set_visible (GTK_WIDGET (self->question), s->question != NULL);
  gtk_widget_set_sensitive (self->previous, self->step > 0);
  gtk_widget_set_sensitive (self->next, self->step + 1 < lesson->steps->len);
}

void
rv_lesson_panel_go_to (RvLessonPanel *self, guint lesson, guint step)
{
  if (self->lessons == NULL || lesson >= self->lessons->len)
    return;
  const RvLesson *l = g_ptr_array_index (self->lessons, lesson);
  self->lesson = lesson;
  self->step = MIN (step, l->steps->len - 1);
  self->choosing = TRUE;
  gtk_drop_down_set_selected (self->chooser, lesson);
  self->choosing = FALSE;
  show_step (self);
  g_signal_emit (self, signals[SIGNAL_STEP_CHANGED], 0);
}

void
rv_lesson_panel_next (RvLessonPanel *self)
{
  rv_lesson_panel_go_to (self, self->lesson, self->step + 1);
}

void
rv_lesson_panel_previous (RvLessonPanel *self)
{
  if (self->step > 0)
    rv_lesson_panel_go_to (self, self->lesson, self->step - 1);
}

guint
rv_lesson_panel_get_step (RvLessonPanel *self)
{
  return self->step;
}

guint
rv_lesson_panel_get_n_lessons (RvLessonPanel *self)
{
  return self->lessons ? self->lessons->len : 0;
}

static void
lesson_chosen (RvLessonPanel *self)
{
  if (!self->choosing)
    rv_lesson_panel_go_to (self, gtk_drop_down_get_selected (self->chooser), 0);
}

void
rv_lesson_panel_set_lessons (RvLessonPanel *self, GPtrArray *lessons)
{
  g_clear_pointer (&self->lessons, g_ptr_array_unref);
  self->lessons = lessons;
  GtkStringList *titles = gtk_string_list_new (NULL);
  for (guint i = 0; i < lessons->len; i++)
    gtk_string_list_append (titles, ((RvLesson *) g_ptr_array_index (lessons, i))->title);
  self->choosing = TRUE;
  gtk_drop_down_set_model (self->chooser, G_LIST_MODEL (titles));
  self->choosing = FALSE;
  g_object_unref (titles);
  self->lesson = 0;
  self->step = 0;
  show_step (self);
}

static GtkLabel *
add_label (GtkWidget *box, const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* a word longer than the panel is broken too, not laid out as one line
   * (a lesson's longest text would otherwise be 200,000 pixels wide) */
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (css)
    gtk_widget_add_css_class (label, css);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
rv_lesson_panel_dispose (GObject *object)
{
  RvLessonPanel *self = RV_LESSON_PANEL (object);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->lessons, g_ptr_array_unref);
  G_OBJECT_CLASS (rv_lesson_panel_parent_class)->dispose (object);
}

static void
rv_lesson_panel_class_init (RvLessonPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = rv_lesson_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  signals[SIGNAL_STEP_CHANGED] = g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rv_lesson_panel_init (RvLessonPanel *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_size_request (self->box, 320, -1);
  gtk_widget_set_margin_top (self->box, 18);
  gtk_widget_set_margin_bottom (self->box, 18);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);

  /* No mnemonics here: the panel sits beside every page, whose letters it
   * would take; its steps have the lecture keys (Page Up/Down, Space). */
  GtkWidget *choose_label = gtk_label_new (_("Lesson"));
  gtk_label_set_xalign (GTK_LABEL (choose_label), 0);
  gtk_widget_add_css_class (choose_label, "heading");
  gtk_box_append (GTK_BOX (self->box), choose_label);
  self->chooser = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_label_set_mnemonic_widget (GTK_LABEL (choose_label), GTK_WIDGET (self->chooser));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->chooser));
  g_signal_connect_swapped (self->chooser, "notify::selected", G_CALLBACK (lesson_chosen), self);

  self->position = add_label (self->box, "dim-label");
  self->title = add_label (self->box, "title-3");
  self->text = add_label (self->box, NULL);
  self->formula = add_label (self->box, "monospace");
  self->question = add_label (self->box, NULL);

  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_widget_set_vexpand (buttons, TRUE);
  gtk_widget_set_valign (buttons, GTK_ALIGN_END);
  self->previous = gtk_button_new_with_label (_("Previous"));
  self->next = gtk_button_new_with_label (_("Next"));
  gtk_widget_add_css_class (self->next, "suggested-action");
  gtk_widget_set_tooltip_text (self->previous, _("Previous step (Page Up or Alt+Left)"));
  gtk_widget_set_tooltip_text (self->next, _("Next step (Page Down, Space or Alt+Right)"));
  g_signal_connect_swapped (self->previous, "clicked", G_CALLBACK (rv_lesson_panel_previous), self);
  g_signal_connect_swapped (self->next, "clicked", G_CALLBACK (rv_lesson_panel_next), self);
  gtk_box_append (GTK_BOX (buttons), self->previous);
  gtk_box_append (GTK_BOX (buttons), self->next);
  gtk_box_append (GTK_BOX (self->box), buttons);
}

GtkWidget *
rv_lesson_panel_new (void)
{
  return g_object_new (RV_TYPE_LESSON_PANEL, NULL);
}
