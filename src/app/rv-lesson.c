/* rv-lesson.c: reading lessons. */
#include "rv-config.h"

#include "rv-json.h"
#include "rv-lesson.h"

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
  g_free (s->text);
  g_free (s->formula);
  g_free (s->question);
  g_free (s);
}

void
rv_lesson_free (RvLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->title);
  g_free (lesson->source);
  g_ptr_array_unref (lesson->steps);
  g_free (lesson);
}

/* A string member, or the best translation in an object of them. */
static char *
localized (JsonObject *o, const char *member, gboolean *bad)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *t = json_node_get_object (n);
      for (const char *const *lang = g_get_language_names (); *lang; lang++)
        if (rv_json_get_string (t, *lang))
          return g_strdup (rv_json_get_string (t, *lang));
      if (rv_json_get_string (t, "en"))
        return g_strdup (rv_json_get_string (t, "en"));
    }
  *bad = TRUE;
  return NULL;
}

static gboolean
fail (GError **error, const char *source, guint step, const char *what)
{
  if (step == G_MAXUINT)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", source, what);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: step %u: %s", source, step + 1, what);
  return FALSE;
}

static gboolean
parse_step (JsonObject *o, RvLessonStep *s, const char *source, guint index, GError **error)
{
  gboolean bad = FALSE;
  s->title = localized (o, "title", &bad);
  s->text = localized (o, "text", &bad);
  s->formula = localized (o, "formula", &bad);
  s->question = localized (o, "question", &bad);
  if (bad)
    return fail (error, source, index, "a text is neither a string nor an object of translations");
  if (s->title == NULL || s->text == NULL)
    return fail (error, source, index, "\"title\" and \"text\" are required");
  const char *page = json_object_get_string_member_with_default (o, "page", "");
  if (!g_str_equal (page, "initialization") && !g_str_equal (page, "training") && !g_str_equal (page, "surfaces"))
    return fail (error, source, index, "\"page\" must be initialization, training or surfaces");
  s->page = g_strdup (page);

  JsonObject *setup = rv_json_get_object (o, "setup");
  if (setup == NULL)
    return TRUE;
  static const char *const keys[] = { "activation", "init", "hidden", "view", "preset", "surface" };
  char **fields[] = { &s->activation, &s->init, &s->hidden, &s->view, &s->preset, &s->surface };
  GList *members = json_object_get_members (setup);
  for (GList *m = members; m; m = m->next)
    {
      gboolean known = FALSE;
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
        if (g_str_equal (m->data, keys[k]))
          {
            JsonNode *v = json_object_get_member (setup, keys[k]);
            if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
              {
                g_list_free (members);
                g_autofree char *what = g_strdup_printf ("setup \"%s\" must be a string", keys[k]);
                return fail (error, source, index, what);
              }
            *fields[k] = g_strdup (json_node_get_string (v));
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *what = g_strdup_printf ("unknown setup \"%s\"", (const char *) m->data);
          g_list_free (members);
          return fail (error, source, index, what);
        }
    }
  g_list_free (members);
  return TRUE;
}

RvLesson *
rv_lesson_parse (const char *data, gsize length, const char *source, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      fail (error, source, G_MAXUINT, local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, source, G_MAXUINT, "not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "format", ""), "ravine-lesson") != 0
      || json_object_get_int_member_with_default (o, "version", 0) != 1)
    {
      fail (error, source, G_MAXUINT, "not a Ravine lesson (\"format\": \"ravine-lesson\", \"version\": 1)");
      return NULL;
    }
  g_autoptr (RvLesson) lesson = g_new0 (RvLesson, 1);
  gboolean bad = FALSE;
  lesson->source = g_strdup (source);
  lesson->steps = g_ptr_array_new_with_free_func (step_free);
  lesson->title = localized (o, "title", &bad);
  JsonArray *steps = rv_json_get_array (o, "steps");
  if (lesson->title == NULL || bad || steps == NULL || json_array_get_length (steps) == 0)
    {
      fail (error, source, G_MAXUINT, "a lesson needs a \"title\" and at least one step");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *n = json_array_get_element (steps, i);
      RvLessonStep *s = g_new0 (RvLessonStep, 1);
      g_ptr_array_add (lesson->steps, s);
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          fail (error, source, i, "a step must be an object");
          return NULL;
        }
      if (!parse_step (json_node_get_object (n), s, source, i, error))
        return NULL;
    }
  return g_steal_pointer (&lesson);
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
      g_autofree char *contents = NULL;
      gsize len = 0;
      if (g_file_get_contents (g_ptr_array_index (files, i), &contents, &len, NULL))
        {
          g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
          add_from_bytes (out, bytes, g_ptr_array_index (files, i));
        }
    }
  return out;
}
