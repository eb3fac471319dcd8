/* rv-lesson.c: reading lessons.
 *
 * Everything a step will set up is checked here, when the file is read, so
 * that a broken lesson is skipped with a message naming the file, the step
 * and the fault instead of failing (or being half ignored) when its step is
 * shown.  Only GLib and json-glib are used: the fuzz target links this file
 * alone. */
#include "rv-config.h"

#include <stdarg.h>

#include "rv-activation.h"
#include "rv-error.h"
#include "rv-file.h"
#include "rv-init.h"
#include "rv-json-read.h"
#include "rv-json.h"
#include "rv-lesson.h"
#include "rv-net.h"
#include "rv-setup.h"
#include "rv-surface.h"

#define BUILTIN_LESSONS "/io/github/ravine/Ravine/lessons"


static void
step_free (gpointer data)
{
  RvLessonStep *s = data;
  g_free (s->title);
  g_free (s->page);
  g_free (s->activation);
  g_free (s->init);
  g_free (s->hidden);
  g_free (s->view);
  g_free (s->preset);
  g_free (s->surface);
  g_free (s->surface_expr);
  g_free (s->text);
  g_free (s->formula);
  g_free (s->question);
  rv_setup_initialization_free (s->initialization_setup);
  rv_setup_training_free (s->training_setup);
  rv_setup_surfaces_free (s->surfaces_setup);
  g_free (s);
}

void
rv_lesson_free (RvLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->title);
  g_free (lesson->source);
  if (lesson->steps)
    g_ptr_array_unref (lesson->steps);
  g_free (lesson);
}

/* Where a fault is: the file, and the step (G_MAXUINT for the lesson). */
typedef struct {
  const char *source;
  guint step;
} Where;

static gboolean fail (const Where *w, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (const Where *w, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  if (w->step == G_MAXUINT)
    g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %s", w->source, what);
  else
    g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: step %u: %s", w->source, w->step + 1, what);
  return FALSE;
}

static gboolean
is_string (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

/* Valid UTF-8 of at most max_chars characters; what names it, quoted. */
static gboolean
check_text (const Where *w, const char *what, const char *text, glong max_chars, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return fail (w, error, "%s is not valid UTF-8", what);
  glong chars = g_utf8_strlen (text, -1);
  if (chars > max_chars)
    return fail (w, error, "%s is %ld characters long; at most %ld are allowed", what, chars, max_chars);
  return TRUE;
}

/* A string member, or the best translation in an object of them: every
 * translation must be a string of at most max_chars, so that a lesson reads
 * the same in any language.  *out stays NULL when the member is missing. */
static gboolean
localized (const Where *w, JsonObject *o, const char *member, glong max_chars, char **out, GError **error)
{
  *out = NULL;
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (is_string (n))
    {
      g_autofree char *what = g_strdup_printf ("\"%s\"", member);
      if (!check_text (w, what, json_node_get_string (n), max_chars, error))
        return FALSE;
      *out = g_strdup (json_node_get_string (n));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return fail (w, error, "\"%s\" is neither a string nor an object of translations", member);

  JsonObject *t = json_node_get_object (n);
  g_autoptr (GList) langs = json_object_get_members (t);
  for (GList *l = langs; l; l = l->next)
    {
      g_autofree char *what = g_strdup_printf ("the \"%s\" text of \"%s\"", (const char *) l->data, member);
      JsonNode *v = json_object_get_member (t, l->data);
      if (!is_string (v))
        return fail (w, error, "the translation \"%s\" of \"%s\" is not a string", (const char *) l->data, member);
      if (!check_text (w, what, json_node_get_string (v), max_chars, error))
        return FALSE;
    }
  for (const char *const *lang = g_get_language_names (); *lang; lang++)
    if (rv_json_get_string (t, *lang))
      {
        *out = g_strdup (rv_json_get_string (t, *lang));
        return TRUE;
      }
  if (rv_json_get_string (t, "en"))
    {
      *out = g_strdup (rv_json_get_string (t, "en"));
      return TRUE;
    }
  return fail (w, error, "\"%s\" has no text in the user's language and no English (\"en\") one", member);
}

static gboolean
in_list (const char *name, const char *const *list, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (name, list[i]))
      return TRUE;
  return FALSE;
}

/* The setup must make sense for its page: what the page would otherwise
 * find only when the step is shown. */
static gboolean
check_setup (const Where *w, RvLessonStep *s, GError **error)
{
  const char *page = s->page;
  const struct { const char *key, *value, *page; } fields[] = {
    { "activation", s->activation, "initialization" },
    { "init", s->init, "initialization" },
    { "hidden", s->hidden, "initialization" },
    { "view", s->view, "initialization" },
    { "preset", s->preset, NULL },  /* training and surfaces (the landscape page takes no setup) */
    { "surface", s->surface, "surfaces" },
    { "surface_expr", s->surface_expr, "surfaces" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].value
        && (fields[i].page ? !g_str_equal (page, fields[i].page)
                           : g_str_equal (page, "initialization") || g_str_equal (page, "landscape")))
      return fail (w, error, "setup \"%s\" does not apply to the %s page", fields[i].key, page);

  g_autoptr (GError) local = NULL;
  RvActivation act;
  if (s->activation && !rv_activation_from_name (s->activation, &act))
    return fail (w, error, "setup \"activation\": unknown activation \"%s\"", s->activation);
  RvInit init;
  if (s->init && !rv_init_parse (s->init, &init, &local))
    return fail (w, error, "setup \"init\": %s", local->message);
  RvNetConfig net = { 0 };
  if (s->hidden && !rv_net_config_parse_hidden (&net, s->hidden, &local))
    return fail (w, error, "setup \"hidden\": %s", local->message);
  /* The Initialization page probes a batch of 1,024: the whole network must
   * fit in memory for it, not only each width. */
  if (s->hidden && !rv_net_config_check_size (&net, 1024, &local))
    return fail (w, error, "setup \"hidden\": %s", local->message);
  if (s->view && !rv_setup_is_view (s->view))
    return fail (w, error, "setup \"view\": unknown view \"%s\" (weights, gradients, activations, "
                 "post-activations or depth)",
                 s->view);

  if (s->preset && g_str_equal (page, "training") && !g_str_equal (s->preset, "tutorial"))
    return fail (w, error, "setup \"preset\": unknown training preset \"%s\" (only \"tutorial\")", s->preset);
  if (s->preset && g_str_equal (page, "surfaces") && !g_str_equal (s->preset, "ravine")
      && !g_str_equal (s->preset, "steep"))
    return fail (w, error, "setup \"preset\": unknown surfaces preset \"%s\" (ravine or steep)", s->preset);
  if ((s->preset != NULL) + (s->surface != NULL) + (s->surface_expr != NULL) > 1)
    return fail (w, error, "setup takes one of \"preset\", \"surface\" and \"surface_expr\"");
  if (s->surface && rv_surface_lookup (s->surface) == NULL)
    return fail (w, error, "setup \"surface\": unknown surface \"%s\" (see ravine-cli surface --list)", s->surface);
  g_autoptr (RvExpr) expr = s->surface_expr ? rv_expr_parse (s->surface_expr, &local) : NULL;
  if (s->surface_expr && expr == NULL)
    return fail (w, error, "setup \"surface_expr\": %s", local->message);
  return TRUE;
}

/* An initialization step sets every control: what it leaves out returns
 * to the default.  (The display flags got theirs before the setup was read.) */
static gboolean
fill_defaults (RvLessonStep *s)
{
  if (!g_str_equal (s->page, "initialization"))
    return TRUE;
  struct { char **field; const char *value; } defaults[] = {
    { &s->activation, RV_LESSON_DEFAULT_ACTIVATION }, { &s->init, RV_LESSON_DEFAULT_INIT },
    { &s->hidden, RV_LESSON_DEFAULT_HIDDEN }, { &s->view, RV_LESSON_DEFAULT_VIEW },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (*defaults[i].field == NULL)
      *defaults[i].field = g_strdup (defaults[i].value);
  return TRUE;
}

/* The members of a page's setup object (rv-setup.h) that only setup files
 * had before lessons took them: a step may give them too. */
static gboolean
is_setup_only (const char *page, const char *member)
{
  static const char *const initialization[] = { "pins" };
  static const char *const surfaces[] = { "start", "steps", "runs", "view" };
  static const char *const training[] = { "runs", "watched", "loss_log_y", "wall_clock" };
  if (g_str_equal (page, "initialization"))
    return in_list (member, initialization, G_N_ELEMENTS (initialization));
  if (g_str_equal (page, "surfaces"))
    return in_list (member, surfaces, G_N_ELEMENTS (surfaces));
  if (g_str_equal (page, "training"))
    return in_list (member, training, G_N_ELEMENTS (training));
  return FALSE;
}

/* A step that gives any of those reads its whole setup as the page object,
 * with the code that reads setup files, and keeps it to apply. */
static gboolean
read_page_setup (const Where *w, RvLessonStep *s, JsonObject *setup, GError **error)
{
  gboolean any = FALSE;
  g_autoptr (GList) members = json_object_get_members (setup);
  for (GList *m = members; m; m = m->next)
    any |= is_setup_only (s->page, m->data);
  if (!any)
    return TRUE;
  if (s->preset)
    return fail (w, error, "setup \"preset\" sets up the page itself: leave it out to give its runs");
  if (json_object_has_member (setup, "pin"))
    return fail (w, error, "setup \"pin\" keeps the pin shown; with \"pins\" the step gives its own");
  static const char *const init_extra[] = { "pin", NULL };
  static const char *const preset_extra[] = { "preset", NULL };
  g_autofree char *where = g_strdup_printf ("%s: step %u: setup", w->source, w->step + 1);
  GError *local = NULL;
  if (g_str_equal (s->page, "initialization"))
    s->initialization_setup = rv_setup_initialization_from_json (setup, init_extra, where, &local);
  else if (g_str_equal (s->page, "surfaces"))
    s->surfaces_setup = rv_setup_surfaces_from_json (setup, preset_extra, where, &local);
  else
    s->training_setup = rv_setup_training_from_json (setup, preset_extra, where, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_step (JsonObject *o, RvLessonStep *s, const Where *w, GError **error)
{
  static const char *const members[] = { "title", "page", "setup", "text", "formula", "question" };
  g_autoptr (GList) names = json_object_get_members (o);
  for (GList *m = names; m; m = m->next)
    if (!in_list (m->data, members, G_N_ELEMENTS (members)))
      return fail (w, error, "unknown member \"%s\" (a step has %s)", (const char *) m->data,
                   "title, page, setup, text, formula and question");

  if (!localized (w, o, "title", RV_LESSON_MAX_TITLE, &s->title, error)
      || !localized (w, o, "text", RV_LESSON_MAX_TEXT, &s->text, error)
      || !localized (w, o, "formula", RV_LESSON_MAX_NOTE, &s->formula, error)
      || !localized (w, o, "question", RV_LESSON_MAX_NOTE, &s->question, error))
    return FALSE;
  if (s->title == NULL || s->text == NULL)
    return fail (w, error, "\"title\" and \"text\" are required");
  const char *page = rv_json_get_string (o, "page");
  if (page == NULL || !rv_lesson_is_page (page))
    return fail (w, error, "\"page\" must be initialization, training, surfaces or landscape");
  s->page = g_strdup (page);

  if (g_str_equal (page, "initialization"))
    {
      s->kde = RV_LESSON_DEFAULT_KDE;
      s->density = RV_LESSON_DEFAULT_DENSITY;
      s->log_y = RV_LESSON_DEFAULT_LOG_Y;
      s->same_x_range = RV_LESSON_DEFAULT_SAME_X_RANGE;
      s->pin = RV_LESSON_DEFAULT_PIN;
    }

  JsonNode *setup_node = json_object_get_member (o, "setup");
  if (setup_node == NULL)
    return fill_defaults (s);
  if (!JSON_NODE_HOLDS_OBJECT (setup_node))
    return fail (w, error, "\"setup\" must be an object");
  JsonObject *setup = json_node_get_object (setup_node);
  static const char *const keys[] = { "activation", "init", "hidden", "view", "preset", "surface", "surface_expr" };
  char **fields[] = { &s->activation, &s->init, &s->hidden, &s->view, &s->preset, &s->surface, &s->surface_expr };
  /* the Initialization page's display options */
  static const char *const flag_keys[] = { "kde", "density", "log_y", "same_x_range", "pin" };
  gboolean *flags[] = { &s->kde, &s->density, &s->log_y, &s->same_x_range, &s->pin };
  g_autoptr (GList) setup_members = json_object_get_members (setup);
  for (GList *m = setup_members; m; m = m->next)
    {
      gsize f = 0;
      while (f < G_N_ELEMENTS (flag_keys) && !g_str_equal (m->data, flag_keys[f]))
        f++;
      if (f < G_N_ELEMENTS (flag_keys))
        {
          JsonNode *v = json_object_get_member (setup, flag_keys[f]);
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
            return fail (w, error, "setup \"%s\" must be true or false", flag_keys[f]);
          if (!g_str_equal (s->page, "initialization"))
            return fail (w, error, "setup \"%s\" does not apply to the %s page", flag_keys[f], s->page);
          *flags[f] = json_node_get_boolean (v);
          continue;
        }
      if (is_setup_only (s->page, m->data))
        continue; /* read below, as a setup file's page object */
      gsize k = 0;
      while (k < G_N_ELEMENTS (keys) && !g_str_equal (m->data, keys[k]))
        k++;
      if (k == G_N_ELEMENTS (keys))
        return fail (w, error, "unknown setup \"%s\"", (const char *) m->data);
      JsonNode *v = json_object_get_member (setup, keys[k]);
      if (!is_string (v))
        return fail (w, error, "setup \"%s\" must be a string", keys[k]);
      g_autofree char *what = g_strdup_printf ("setup \"%s\"", keys[k]);
      /* a formula may be as long as the parser takes */
      glong max_chars = g_str_equal (keys[k], "surface_expr") ? RV_EXPR_MAX_LENGTH : RV_LESSON_MAX_TITLE;
      if (!check_text (w, what, json_node_get_string (v), max_chars, error))
        return FALSE;
      *fields[k] = g_strdup (json_node_get_string (v));
    }
  return check_setup (w, s, error) && read_page_setup (w, s, setup, error) && fill_defaults (s);
}

gboolean
rv_lesson_is_page (const char *name)
{
  static const char *const pages[] = { "initialization", "training", "surfaces", "landscape" };
  return name && in_list (name, pages, G_N_ELEMENTS (pages));
}

RvLesson *
rv_lesson_parse (const char *data, gsize length, const char *source, GError **error)
{
  const Where lesson_where = { source, G_MAXUINT };
  if (length > RV_LESSON_MAX_BYTES)
    {
      fail (&lesson_where, error, "%" G_GSIZE_FORMAT " bytes; a lesson file may have at most %d",
            length, RV_LESSON_MAX_BYTES);
      return NULL;
    }
  /* depth-limited: json-glib would recurse through any nesting */
  g_autoptr (JsonNode) root = rv_json_parse (data, length, source, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (&lesson_where, error, "not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  JsonNode *version = json_object_get_member (o, "version");
  if (g_strcmp0 (rv_json_get_string (o, "format"), "ravine-lesson") != 0 || version == NULL
      || !JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64
      || json_node_get_int (version) != 1)
    {
      fail (&lesson_where, error, "not a Ravine lesson (\"format\": \"ravine-lesson\", \"version\": 1)");
      return NULL;
    }
  g_autoptr (RvLesson) lesson = g_new0 (RvLesson, 1);
  lesson->source = g_strdup (source);
  lesson->steps = g_ptr_array_new_with_free_func (step_free);
  if (!localized (&lesson_where, o, "title", RV_LESSON_MAX_TITLE, &lesson->title, error))
    return NULL;
  JsonArray *steps = rv_json_get_array (o, "steps");
  if (lesson->title == NULL || steps == NULL || json_array_get_length (steps) == 0)
    {
      fail (&lesson_where, error, "a lesson needs a \"title\" and at least one step");
      return NULL;
    }
  if (json_array_get_length (steps) > RV_LESSON_MAX_STEPS)
    {
      fail (&lesson_where, error, "%u steps; a lesson may have at most %d", json_array_get_length (steps),
            RV_LESSON_MAX_STEPS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      const Where w = { source, i };
      JsonNode *n = json_array_get_element (steps, i);
      RvLessonStep *s = g_new0 (RvLessonStep, 1);
      g_ptr_array_add (lesson->steps, s);
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          fail (&w, error, "a step must be an object");
          return NULL;
        }
      if (!parse_step (json_node_get_object (n), s, &w, error))
        return NULL;
    }
  return g_steal_pointer (&lesson);
}

RvLesson *
rv_lesson_read_file (const char *path, GError **error)
{
  size_t len = 0;
  /* a regular file only (a FIFO would block the window), and not too big */
  g_autofree char *text = rv_file_read_all (path, RV_LESSON_MAX_BYTES, &len, error);
  if (text == NULL)
    return NULL;
  return rv_lesson_parse (text, len, path, error);
}

static void
add_from_bytes (GPtrArray *out, GBytes *bytes, const char *source)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr (GError) error = NULL;
  RvLesson *lesson = rv_lesson_parse (data, len, source, &error);
  if (lesson)
    g_ptr_array_add (out, lesson);
  else
    g_warning ("skipping a lesson: %s", error->message);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
rv_lesson_load_all (void)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) rv_lesson_free);
  g_auto (GStrv) builtin = g_resources_enumerate_children (BUILTIN_LESSONS, 0, NULL);
  for (char **name = builtin; name && *name; name++)
    {
      g_autofree char *path = g_build_path ("/", BUILTIN_LESSONS, *name, NULL);
      g_autoptr (GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      if (bytes)
        add_from_bytes (out, bytes, *name);
    }

  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "ravine", "lessons", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (GError) error = NULL;
      RvLesson *lesson = rv_lesson_read_file (g_ptr_array_index (files, i), &error);
      if (lesson)
        g_ptr_array_add (out, lesson);
      else
        g_warning ("skipping a lesson: %s", error->message);
    }
  return out;
}
