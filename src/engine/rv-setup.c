/* rv-setup.c: reading, checking and writing setups (rv-setup.h).
 *
 * Reading is strict: an unknown member, a value of the wrong kind or one the
 * page could not show is an error naming the member's path, so that a setup
 * is used whole or not at all.  Writing builds the members in one fixed
 * order and prints numbers in their shortest exact form (rv-json.h), which
 * makes the text canonical. */
#include "rv-config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "rv-activation.h"
#include "rv-atomic-file.h"
#include "rv-error.h"
#include "rv-expr.h"
#include "rv-file.h"
#include "rv-init.h"
#include "rv-json-read.h"
#include "rv-json.h"
#include "rv-lesson.h"
#include "rv-net.h"
#include "rv-run-files.h"
#include "rv-setup.h"
#include "rv-surface.h"

#define FORMAT "ravine-setup"
#define VERSION 1
#define DEFAULT_ACTIVATION "relu"
#define DEFAULT_INIT "kaiming"
#define DEFAULT_HIDDEN "512,256,256,128"
#define DEFAULT_VIEW "activations"
#define DEFAULT_SURFACE "pathological"
#define DEFAULT_STEPS 100

/* The Initialization page's views (rv-init-page.c). */
static const char *const view_names[] = { "weights", "gradients", "activations", "post-activations", "depth" };

gboolean
rv_setup_is_view (const char *name)
{
  for (gsize i = 0; name && i < G_N_ELEMENTS (view_names); i++)
    if (g_str_equal (name, view_names[i]))
      return TRUE;
  return FALSE;
}

/* --- building and freeing ------------------------------------------------- */

static void
network_set (RvSetupNetwork *n, const char *activation, const char *init, const char *hidden)
{
  g_free (n->activation);
  g_free (n->init);
  g_free (n->hidden);
  n->activation = g_strdup (activation);
  n->init = g_strdup (init);
  n->hidden = g_strdup (hidden);
}

static void
network_clear (RvSetupNetwork *n)
{
  network_set (n, NULL, NULL, NULL);
}

static void
pin_free (gpointer data)
{
  RvSetupPin *pin = data;
  g_free (pin->label);
  network_clear (&pin->network);
  g_free (pin);
}

static void
training_run_free (gpointer data)
{
  RvSetupTrainingRun *run = data;
  g_free (run->name);
  g_free (run);
}

RvSetupInitialization *
rv_setup_initialization_new (void)
{
  RvSetupInitialization *init = g_new0 (RvSetupInitialization, 1);
  network_set (&init->network, DEFAULT_ACTIVATION, DEFAULT_INIT, DEFAULT_HIDDEN);
  init->view = g_strdup (DEFAULT_VIEW);
  init->kde = RV_LESSON_DEFAULT_KDE;
  init->density = RV_LESSON_DEFAULT_DENSITY;
  init->log_y = RV_LESSON_DEFAULT_LOG_Y;
  init->same_x_range = RV_LESSON_DEFAULT_SAME_X_RANGE;
  init->pins = g_ptr_array_new_with_free_func (pin_free);
  init->overlay = -1;
  return init;
}

void
rv_setup_initialization_free (RvSetupInitialization *init)
{
  if (init == NULL)
    return;
  network_clear (&init->network);
  g_free (init->view);
  g_ptr_array_unref (init->pins);
  g_free (init);
}

RvSetupTraining *
rv_setup_training_new (void)
{
  RvSetupTraining *t = g_new0 (RvSetupTraining, 1);
  t->runs = g_ptr_array_new_with_free_func (training_run_free);
  return t;
}

void
rv_setup_training_free (RvSetupTraining *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref (t->runs);
  g_free (t->watched);
  g_free (t);
}

RvSetupSurfaces *
rv_setup_surfaces_new (void)
{
  RvSetupSurfaces *s = g_new0 (RvSetupSurfaces, 1);
  const RvSurface *surface = rv_surface_lookup (DEFAULT_SURFACE);
  s->surface = g_strdup (DEFAULT_SURFACE);
  s->start[0] = surface->start[0];
  s->start[1] = surface->start[1];
  s->steps = DEFAULT_STEPS;
  s->runs = g_array_new (FALSE, TRUE, sizeof (RvOptimConfig));
  return s;
}

void
rv_setup_surfaces_free (RvSetupSurfaces *s)
{
  if (s == NULL)
    return;
  g_free (s->surface);
  g_free (s->surface_expr);
  g_array_unref (s->runs);
  g_free (s);
}

RvSetup *
rv_setup_new (void)
{
  return g_new0 (RvSetup, 1);
}

void
rv_setup_free (RvSetup *setup)
{
  if (setup == NULL)
    return;
  g_free (setup->page);
  rv_setup_initialization_free (setup->initialization);
  rv_setup_training_free (setup->training);
  rv_setup_surfaces_free (setup->surfaces);
  g_free (setup);
}

void
rv_setup_add_pin (RvSetupInitialization *init, const char *label, const char *activation, const char *init_spec,
                  const char *hidden)
{
  RvSetupPin *pin = g_new0 (RvSetupPin, 1);
  pin->label = g_strdup (label);
  network_set (&pin->network, activation, init_spec, hidden);
  g_ptr_array_add (init->pins, pin);
}

void
rv_setup_add_training_run (RvSetupTraining *training, const char *name, const RvTrainConfig *config)
{
  RvSetupTrainingRun *run = g_new0 (RvSetupTrainingRun, 1);
  run->name = g_strdup (name);
  run->config = *config;
  g_ptr_array_add (training->runs, run);
}

/* --- reading -------------------------------------------------------------- */

/* Where a value is: the source and the member path, "surfaces.runs[1]". */
typedef struct {
  const char *source;
  GString *path;
} Where;

static gboolean fail (const Where *w, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (const Where *w, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  if (w->path->len > 0)
    g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %s: %s", w->source, w->path->str, what);
  else
    g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %s", w->source, what);
  return FALSE;
}

/* Descends into member (or, with index >= 0, element index of it); returns
 * the old length for leave(). */
static gsize
enter (Where *w, const char *member, int index)
{
  gsize old = w->path->len;
  if (member)
    g_string_append_printf (w->path, "%s%s", old > 0 ? "." : "", member);
  if (index >= 0)
    g_string_append_printf (w->path, "[%d]", index);
  return old;
}

static void
leave (Where *w, gsize old)
{
  g_string_truncate (w->path, old);
}

/* Every member of o is one of the names given (NULL-terminated lists). */
static gboolean
check_members (const Where *w, JsonObject *o, const char *const *known, const char *const *extra, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (o);
  for (GList *m = names; m; m = m->next)
    {
      gboolean found = FALSE;
      for (const char *const *k = known; *k && !found; k++)
        found = g_str_equal (*k, m->data);
      for (const char *const *k = extra; k && *k && !found; k++)
        found = g_str_equal (*k, m->data);
      if (!found)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) known);
          return fail (w, error, "unknown member \"%s\" (known: %s)", (const char *) m->data, list);
        }
    }
  return TRUE;
}

static gboolean
is_kind (JsonNode *n, GType type)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == type;
}

/* A text member: a string of valid UTF-8, at most max characters, without
 * control characters.  Missing leaves *out as it is. */
static gboolean
get_text (Where *w, JsonObject *o, const char *member, glong max, char **out, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL)
    return TRUE;
  gsize at = enter (w, member, -1);
  if (!is_kind (n, G_TYPE_STRING))
    return fail (w, error, "must be a string");
  const char *s = json_node_get_string (n);
  if (!g_utf8_validate (s, -1, NULL))
    return fail (w, error, "is not valid UTF-8");
  if (g_utf8_strlen (s, -1) > max)
    return fail (w, error, "is %ld characters long; at most %ld are allowed", g_utf8_strlen (s, -1), max);
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return fail (w, error, "holds a control character");
  leave (w, at);
  g_free (*out);
  *out = g_strdup (s);
  return TRUE;
}

static gboolean
get_bool (Where *w, JsonObject *o, const char *member, gboolean *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL)
    return TRUE;
  if (!is_kind (n, G_TYPE_BOOLEAN))
    {
      enter (w, member, -1);
      return fail (w, error, "must be true or false");
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

/* A finite number, whole or not. */
static gboolean
node_number (JsonNode *n, double *out)
{
  if (is_kind (n, G_TYPE_INT64))
    *out = (double) json_node_get_int (n);
  else if (is_kind (n, G_TYPE_DOUBLE))
    *out = json_node_get_double (n);
  else
    return FALSE;
  return isfinite (*out);
}

/* An array member of exactly n finite numbers. */
static gboolean
get_numbers (Where *w, JsonObject *o, const char *member, guint n, double *out, gboolean *present, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    return TRUE;
  gsize at = enter (w, member, -1);
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != n)
    return fail (w, error, "must be an array of %u numbers", n);
  JsonArray *a = json_node_get_array (node);
  for (guint i = 0; i < n; i++)
    if (!node_number (json_array_get_element (a, i), &out[i]))
      return fail (w, error, "element %u is not a finite number", i);
  leave (w, at);
  if (present)
    *present = TRUE;
  return TRUE;
}

/* The checks a network gets wherever it appears; the message names the
 * member at fault. */
static gboolean
check_network (Where *w, const RvSetupNetwork *n, GError **error)
{
  g_autoptr (GError) local = NULL;
  RvActivation act;
  RvInit init;
  RvNetConfig net = { 0 };
  const char *member = NULL;
  if (!rv_activation_from_name (n->activation, &act))
    member = "activation";
  else if (!rv_init_parse (n->init, &init, &local))
    member = "init";
  /* The Initialization page probes a batch of 1,024: the whole network must
   * fit in memory for it, not only each width. */
  else if (!rv_net_config_parse_hidden (&net, n->hidden, &local) || !rv_net_config_check_size (&net, 1024, &local))
    member = "hidden";
  if (member == NULL)
    return TRUE;
  enter (w, member, -1);
  if (local)
    return fail (w, error, "%s", local->message);
  return fail (w, error, "unknown activation \"%s\"", n->activation);
}

static gboolean
get_network (Where *w, JsonObject *o, RvSetupNetwork *n, GError **error)
{
  return get_text (w, o, "activation", RV_SETUP_MAX_TEXT, &n->activation, error)
         && get_text (w, o, "init", RV_SETUP_MAX_TEXT, &n->init, error)
         && get_text (w, o, "hidden", RV_SETUP_MAX_TEXT, &n->hidden, error) && check_network (w, n, error);
}

/* An array member, checked for kind and length; NULL when missing. */
static gboolean
get_array (Where *w, JsonObject *o, const char *member, guint max, JsonArray **out, GError **error)
{
  *out = NULL;
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL)
    return TRUE;
  gsize at = enter (w, member, -1);
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return fail (w, error, "must be an array");
  if (json_array_get_length (json_node_get_array (n)) > max)
    return fail (w, error, "holds %u entries; at most %u are allowed", json_array_get_length (json_node_get_array (n)),
                 max);
  leave (w, at);
  *out = json_node_get_array (n);
  return TRUE;
}

static gboolean
parse_initialization (Where *w, JsonObject *o, const char *const *extra, RvSetupInitialization *init,
                      GError **error)
{
  static const char *const members[] = { "activation", "init", "hidden", "view", "kde", "density", "log_y",
                                         "same_x_range", "pins", "overlay", NULL };
  if (!check_members (w, o, members, extra, error) || !get_network (w, o, &init->network, error)
      || !get_text (w, o, "view", RV_SETUP_MAX_TEXT, &init->view, error) || !get_bool (w, o, "kde", &init->kde, error)
      || !get_bool (w, o, "density", &init->density, error) || !get_bool (w, o, "log_y", &init->log_y, error)
      || !get_bool (w, o, "same_x_range", &init->same_x_range, error))
    return FALSE;
  if (!rv_setup_is_view (init->view))
    {
      enter (w, "view", -1);
      return fail (w, error, "unknown view \"%s\" (weights, gradients, activations, post-activations or depth)",
                   init->view);
    }

  JsonArray *pins;
  if (!get_array (w, o, "pins", RV_SETUP_MAX_PINS, &pins, error))
    return FALSE;
  for (guint i = 0; pins && i < json_array_get_length (pins); i++)
    {
      gsize at = enter (w, "pins", (int) i);
      JsonNode *e = json_array_get_element (pins, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (w, error, "must be an object");
      JsonObject *p = json_node_get_object (e);
      static const char *const pin_members[] = { "label", "activation", "init", "hidden", NULL };
      RvSetupPin *pin = g_new0 (RvSetupPin, 1);
      g_ptr_array_add (init->pins, pin);
      network_set (&pin->network, DEFAULT_ACTIVATION, DEFAULT_INIT, DEFAULT_HIDDEN);
      if (!check_members (w, p, pin_members, NULL, error)
          || !get_text (w, p, "label", RV_SETUP_MAX_TEXT, &pin->label, error)
          || !get_network (w, p, &pin->network, error))
        return FALSE;
      if (pin->label == NULL || *pin->label == '\0')
        return fail (w, error, "\"label\" is required");
      leave (w, at);
    }

  JsonNode *overlay = json_object_get_member (o, "overlay");
  if (overlay)
    {
      gsize at = enter (w, "overlay", -1);
      if (!is_kind (overlay, G_TYPE_INT64) || json_node_get_int (overlay) < 0)
        return fail (w, error, "must be the index of a pin, a whole number from 0");
      if (json_node_get_int (overlay) >= (gint64) init->pins->len)
        return fail (w, error, "names pin %" G_GINT64_FORMAT ", but there %s %u (counted from 0)",
                     json_node_get_int (overlay), init->pins->len == 1 ? "is" : "are", init->pins->len);
      init->overlay = (int) json_node_get_int (overlay);
      leave (w, at);
    }
  return TRUE;
}

/* A run name is a plain file name, as rv_run_check_target wants. */
static gboolean
check_run_name (Where *w, const char *name, GError **error)
{
  if (name == NULL || *name == '\0')
    return fail (w, error, "\"name\" is required");
  if (*name == '.' || strchr (name, '/') != NULL)
    return fail (w, error, "the run name \"%s\" must be a plain file name", name);
  return TRUE;
}

static gboolean
parse_training (Where *w, JsonObject *o, const char *const *extra, RvSetupTraining *t, GError **error)
{
  static const char *const members[] = { "runs", "watched", "loss_log_y", "wall_clock", NULL };
  JsonArray *runs;
  if (!check_members (w, o, members, extra, error) || !get_text (w, o, "watched", RV_SETUP_MAX_TEXT, &t->watched, error)
      || !get_bool (w, o, "loss_log_y", &t->loss_log_y, error) || !get_bool (w, o, "wall_clock", &t->wall_clock, error)
      || !get_array (w, o, "runs", RV_SETUP_MAX_RUNS, &runs, error))
    return FALSE;
  for (guint i = 0; runs && i < json_array_get_length (runs); i++)
    {
      gsize at = enter (w, "runs", (int) i);
      JsonNode *e = json_array_get_element (runs, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (w, error, "must be an object");
      JsonObject *r = json_node_get_object (e);
      static const char *const run_members[] = { "name", "config", NULL };
      g_autofree char *name = NULL;
      if (!check_members (w, r, run_members, NULL, error) || !get_text (w, r, "name", RV_SETUP_MAX_TEXT, &name, error)
          || !check_run_name (w, name, error))
        return FALSE;
      for (guint k = 0; k < t->runs->len; k++)
        if (g_str_equal (((RvSetupTrainingRun *) g_ptr_array_index (t->runs, k))->name, name))
          return fail (w, error, "a second run named \"%s\"", name);
      RvTrainConfig cfg;
      g_autoptr (GError) local = NULL;
      JsonNode *config = json_object_get_member (r, "config");
      if (config == NULL)
        return fail (w, error, "\"config\" is required");
      if (!rv_train_config_from_json (config, &cfg, &local))
        return fail (w, error, "\"config\": %s", local->message);
      rv_setup_add_training_run (t, name, &cfg);
      leave (w, at);
    }
  if (t->watched)
    {
      gboolean found = FALSE;
      for (guint k = 0; k < t->runs->len && !found; k++)
        found = g_str_equal (((RvSetupTrainingRun *) g_ptr_array_index (t->runs, k))->name, t->watched);
      if (!found)
        {
          enter (w, "watched", -1);
          return fail (w, error, "names no run of the setup (\"%s\")", t->watched);
        }
    }
  return TRUE;
}

static gboolean
parse_surfaces (Where *w, JsonObject *o, const char *const *extra, RvSetupSurfaces *s, GError **error)
{
  static const char *const members[] = { "surface", "surface_expr", "start", "steps", "runs", "view", NULL };
  if (!check_members (w, o, members, extra, error))
    return FALSE;
  gboolean named = json_object_has_member (o, "surface"), typed = json_object_has_member (o, "surface_expr");
  if (named && typed)
    return fail (w, error, "takes one of \"surface\" and \"surface_expr\"");
  if (typed)
    g_clear_pointer (&s->surface, g_free);
  if (!get_text (w, o, "surface", RV_SETUP_MAX_TEXT, &s->surface, error)
      || !get_text (w, o, "surface_expr", RV_EXPR_MAX_LENGTH, &s->surface_expr, error))
    return FALSE;
  g_autoptr (GError) local = NULL;
  g_autoptr (RvSurface) typed_surface = NULL;
  const RvSurface *surface = NULL;
  if (s->surface_expr)
    {
      typed_surface = rv_surface_new_from_expr (s->surface_expr, NULL, &local);
      if (typed_surface == NULL)
        {
          enter (w, "surface_expr", -1);
          return fail (w, error, "%s", local->message);
        }
      surface = typed_surface;
    }
  else if ((surface = rv_surface_lookup (s->surface)) == NULL)
    {
      enter (w, "surface", -1);
      return fail (w, error, "unknown surface \"%s\" (see ravine-cli surface --list)", s->surface);
    }
  /* A new surface starts where it starts unless the setup says otherwise. */
  s->start[0] = surface->start[0];
  s->start[1] = surface->start[1];
  if (!get_numbers (w, o, "start", 2, s->start, NULL, error)
      || !get_numbers (w, o, "view", 4, s->view, &s->has_view, error))
    return FALSE;
  if (s->has_view && !(s->view[0] < s->view[1] && s->view[2] < s->view[3]))
    {
      enter (w, "view", -1);
      return fail (w, error, "must be [w1 from, w1 to, w2 from, w2 to] with each from below its to");
    }

  JsonNode *steps = json_object_get_member (o, "steps");
  if (steps)
    {
      if (!is_kind (steps, G_TYPE_INT64) || json_node_get_int (steps) < 1
          || json_node_get_int (steps) > RV_SETUP_MAX_STEPS)
        {
          enter (w, "steps", -1);
          return fail (w, error, "must be a whole number from 1 to %d", RV_SETUP_MAX_STEPS);
        }
      s->steps = (guint) json_node_get_int (steps);
    }

  JsonArray *runs;
  if (!get_array (w, o, "runs", RV_SETUP_MAX_RUNS, &runs, error))
    return FALSE;
  for (guint i = 0; runs && i < json_array_get_length (runs); i++)
    {
      gsize at = enter (w, "runs", (int) i);
      JsonNode *e = json_array_get_element (runs, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return fail (w, error, "must be an object");
      RvOptimConfig cfg;
      if (!rv_optim_config_from_json (json_node_get_object (e), &cfg, &local))
        return fail (w, error, "%s", local->message);
      g_array_append_val (s->runs, cfg);
      leave (w, at);
    }
  return TRUE;
}

/* A page object of the setup, or of a lesson step (where = the step). */
typedef gboolean (*PageParser) (Where *w, JsonObject *o, const char *const *extra, gpointer out, GError **error);

static gboolean
parse_page (const char *where, JsonObject *o, const char *const *extra, PageParser parse, gpointer out,
            GError **error)
{
  g_autoptr (GString) path = g_string_new (NULL);
  Where w = { where, path };
  return parse (&w, o, extra, out, error);
}

RvSetupInitialization *
rv_setup_initialization_from_json (JsonObject *o, const char *const *extra, const char *where, GError **error)
{
  g_autoptr (RvSetupInitialization) init = rv_setup_initialization_new ();
  if (!parse_page (where, o, extra, (PageParser) parse_initialization, init, error))
    return NULL;
  return g_steal_pointer (&init);
}

RvSetupTraining *
rv_setup_training_from_json (JsonObject *o, const char *const *extra, const char *where, GError **error)
{
  g_autoptr (RvSetupTraining) t = rv_setup_training_new ();
  if (!parse_page (where, o, extra, (PageParser) parse_training, t, error))
    return NULL;
  return g_steal_pointer (&t);
}

RvSetupSurfaces *
rv_setup_surfaces_from_json (JsonObject *o, const char *const *extra, const char *where, GError **error)
{
  g_autoptr (RvSetupSurfaces) s = rv_setup_surfaces_new ();
  if (!parse_page (where, o, extra, (PageParser) parse_surfaces, s, error))
    return NULL;
  return g_steal_pointer (&s);
}

/* A page member of the file: an object, parsed into a fresh page setup. */
static gboolean
get_page (Where *w, JsonObject *root, const char *member, PageParser parse, gpointer page, GError **error)
{
  JsonNode *n = json_object_get_member (root, member);
  gsize at = enter (w, member, -1);
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return fail (w, error, "must be an object");
  if (!parse (w, json_node_get_object (n), NULL, page, error))
    return FALSE;
  leave (w, at);
  return TRUE;
}

RvSetup *
rv_setup_parse (const char *data, gsize length, const char *source, GError **error)
{
  g_autoptr (GString) path = g_string_new (NULL);
  Where w = { source, path };
  if (length > RV_SETUP_MAX_BYTES)
    {
      fail (&w, error, "%" G_GSIZE_FORMAT " bytes; a setup file may have at most %d", length, RV_SETUP_MAX_BYTES);
      return NULL;
    }
  g_autoptr (JsonNode) root = rv_json_parse (data, length, source, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (&w, error, "not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  if (g_strcmp0 (rv_json_get_string (o, "format"), FORMAT) != 0)
    {
      fail (&w, error, "not a Ravine setup (\"format\" is not \"" FORMAT "\")");
      return NULL;
    }
  JsonNode *version = json_object_get_member (o, "version");
  if (!is_kind (version, G_TYPE_INT64) || json_node_get_int (version) != VERSION)
    {
      fail (&w, error, "\"version\" must be %d (written by a newer Ravine?)", VERSION);
      return NULL;
    }
  static const char *const members[] = { "format", "version", "page", "initialization", "training", "surfaces", NULL };
  g_autoptr (RvSetup) setup = rv_setup_new ();
  if (!check_members (&w, o, members, NULL, error) || !get_text (&w, o, "page", RV_SETUP_MAX_TEXT, &setup->page, error))
    return NULL;
  if (setup->page && !rv_lesson_is_page (setup->page))
    {
      fail (&w, error, "\"page\": unknown page \"%s\" (initialization, training, surfaces or landscape)", setup->page);
      return NULL;
    }
  if (json_object_has_member (o, "initialization"))
    {
      setup->initialization = rv_setup_initialization_new ();
      if (!get_page (&w, o, "initialization", (PageParser) parse_initialization, setup->initialization, error))
        return NULL;
    }
  if (json_object_has_member (o, "training"))
    {
      setup->training = rv_setup_training_new ();
      if (!get_page (&w, o, "training", (PageParser) parse_training, setup->training, error))
        return NULL;
    }
  if (json_object_has_member (o, "surfaces"))
    {
      setup->surfaces = rv_setup_surfaces_new ();
      if (!get_page (&w, o, "surfaces", (PageParser) parse_surfaces, setup->surfaces, error))
        return NULL;
    }
  return g_steal_pointer (&setup);
}

RvSetup *
rv_setup_read_file (const char *path, GError **error)
{
  size_t len;
  g_autofree char *data = rv_file_read_all (path, RV_SETUP_MAX_BYTES, &len, error);
  if (data == NULL)
    return NULL;
  g_autofree char *display = g_filename_display_name (path);
  return rv_setup_parse (data, len, display, error);
}

/* --- writing -------------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *member, gboolean value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

static void
add_numbers (JsonBuilder *b, const char *member, const double *values, guint n)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_network (JsonBuilder *b, const RvSetupNetwork *n)
{
  add_string (b, "activation", n->activation);
  add_string (b, "init", n->init);
  add_string (b, "hidden", n->hidden);
}

static void
build_initialization (JsonBuilder *b, const RvSetupInitialization *init)
{
  json_builder_begin_object (b);
  add_network (b, &init->network);
  add_string (b, "view", init->view);
  add_bool (b, "kde", init->kde);
  add_bool (b, "density", init->density);
  add_bool (b, "log_y", init->log_y);
  add_bool (b, "same_x_range", init->same_x_range);
  json_builder_set_member_name (b, "pins");
  json_builder_begin_array (b);
  for (guint i = 0; i < init->pins->len; i++)
    {
      const RvSetupPin *pin = g_ptr_array_index (init->pins, i);
      json_builder_begin_object (b);
      add_string (b, "label", pin->label);
      add_network (b, &pin->network);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* only when set, so that a setup from before A/B reads back as it was */
  if (init->overlay >= 0)
    {
      json_builder_set_member_name (b, "overlay");
      json_builder_add_int_value (b, init->overlay);
    }
  json_builder_end_object (b);
}

static void
build_training (JsonBuilder *b, const RvSetupTraining *t)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < t->runs->len; i++)
    {
      const RvSetupTrainingRun *run = g_ptr_array_index (t->runs, i);
      json_builder_begin_object (b);
      add_string (b, "name", run->name);
      json_builder_set_member_name (b, "config");
      json_builder_add_value (b, rv_train_config_to_json (&run->config));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (t->watched)
    add_string (b, "watched", t->watched);
  add_bool (b, "loss_log_y", t->loss_log_y);
  add_bool (b, "wall_clock", t->wall_clock);
  json_builder_end_object (b);
}

static void
build_surfaces (JsonBuilder *b, const RvSetupSurfaces *s)
{
  json_builder_begin_object (b);
  if (s->surface_expr)
    add_string (b, "surface_expr", s->surface_expr);
  else
    add_string (b, "surface", s->surface);
  add_numbers (b, "start", s->start, 2);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, s->steps);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->runs->len; i++)
    json_builder_add_value (b, rv_optim_config_to_json (&g_array_index (s->runs, RvOptimConfig, i)));
  json_builder_end_array (b);
  if (s->has_view)
    add_numbers (b, "view", s->view, 4);
  json_builder_end_object (b);
}

char *
rv_setup_to_data (const RvSetup *setup)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "format", FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, VERSION);
  if (setup->page)
    add_string (b, "page", setup->page);
  if (setup->initialization)
    {
      json_builder_set_member_name (b, "initialization");
      build_initialization (b, setup->initialization);
    }
  if (setup->training)
    {
      json_builder_set_member_name (b, "training");
      build_training (b, setup->training);
    }
  if (setup->surfaces)
    {
      json_builder_set_member_name (b, "surfaces");
      build_surfaces (b, setup->surfaces);
    }
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = rv_json_to_string (root, TRUE);
  return g_strconcat (text, "\n", NULL);
}

gboolean
rv_setup_write_file (const RvSetup *setup, const char *path, GError **error)
{
  g_autofree char *data = rv_setup_to_data (setup);
  return rv_atomic_file_write (path, data, strlen (data), error);
}
