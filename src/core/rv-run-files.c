/* rv-run-files.c: reading and writing NAME.config, NAME.safetensors and
 * NAME_results.json. */
#include "rv-run-files.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rv-atomic-file.h"
#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-json.h"

char *
rv_run_path (const char *dir, const char *name, const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  return g_build_filename (dir, file, NULL);
}

gboolean
rv_run_exists (const char *dir, const char *name)
{
  g_autofree char *path = rv_run_path (dir, name, ".safetensors");
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

JsonNode *
rv_train_config_to_json (const RvTrainConfig *cfg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *init = rv_init_to_string (&cfg->init);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, RV_RUN_FORMAT_VERSION);
  /* {"name": ...} as in the tutorial's saved configs, which load_model pops */
  json_builder_set_member_name (b, "act_fn");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, rv_activation_name (cfg->net.act));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "input_size");
  json_builder_add_int_value (b, cfg->net.sizes[0]);
  json_builder_set_member_name (b, "num_classes");
  json_builder_add_int_value (b, cfg->net.sizes[cfg->net.n_linear]);
  json_builder_set_member_name (b, "hidden_sizes");
  json_builder_begin_array (b);
  for (uint32_t l = 1; l < cfg->net.n_linear; l++)
    json_builder_add_int_value (b, cfg->net.sizes[l]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "init");
  json_builder_add_string_value (b, init);
  json_builder_set_member_name (b, "optimizer");
  json_builder_add_value (b, rv_optim_config_to_json (&cfg->optim));
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) cfg->seed);
  json_builder_set_member_name (b, "epochs");
  json_builder_add_int_value (b, cfg->epochs);
  json_builder_set_member_name (b, "batch_size");
  json_builder_add_int_value (b, cfg->batch_size);
  json_builder_set_member_name (b, "train_limit");
  json_builder_add_int_value (b, cfg->train_limit);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
config_error (GError **error, const char *what)
{
  g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "config: %s", what);
  return FALSE;
}

/* An integer member in [min, max]. */
static gboolean
get_uint (JsonObject *o, const char *member, gint64 min, gint64 max, gint64 *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, member);
  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < min || json_node_get_int (n) > max)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" is missing or not a whole number from %" G_GINT64_FORMAT
                                               " to %" G_GINT64_FORMAT, member, min, max);
      return config_error (error, what);
    }
  *out = json_node_get_int (n);
  return TRUE;
}

gboolean
rv_train_config_from_json (JsonNode *node, RvTrainConfig *cfg, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return config_error (error, "not a JSON object");
  JsonObject *o = json_node_get_object (node);
  gint64 v;

  rv_train_config_init_default (cfg);
  if (!get_uint (o, "format_version", 1, RV_RUN_FORMAT_VERSION, &v, error))
    return FALSE;

  JsonObject *act = rv_json_get_object (o, "act_fn");
  const char *act_name = rv_json_get_string (act, "name");
  if (!rv_activation_from_name (act_name, &cfg->net.act))
    return config_error (error, "\"act_fn\" does not name a known activation");

  if (!get_uint (o, "input_size", RV_INPUT_SIZE, RV_INPUT_SIZE, &v, error)
      || !get_uint (o, "num_classes", 10, 10, &v, error))
    return FALSE;

  JsonArray *hidden = rv_json_get_array (o, "hidden_sizes");
  if (hidden == NULL || json_array_get_length (hidden) >= RV_MAX_LINEAR)
    return config_error (error, "\"hidden_sizes\" is missing or too long");
  uint32_t sizes[RV_MAX_LINEAR];
  guint n_hidden = json_array_get_length (hidden);
  for (guint i = 0; i < n_hidden; i++)
    {
      JsonNode *e = json_array_get_element (hidden, i);
      if (json_node_get_value_type (e) != G_TYPE_INT64 || json_node_get_int (e) < 1 || json_node_get_int (e) > 65536)
        return config_error (error, "\"hidden_sizes\" holds something that is not a layer width");
      sizes[i] = (uint32_t) json_node_get_int (e);
    }
  rv_net_config_init (&cfg->net, cfg->net.act, sizes, n_hidden);

  const char *init = rv_json_get_string (o, "init");
  g_autoptr (GError) local = NULL;
  if (init == NULL || !rv_init_parse (init, &cfg->init, &local))
    return config_error (error, local ? local->message : "\"init\" is missing");

  JsonObject *optim = rv_json_get_object (o, "optimizer");
  if (optim == NULL)
    return config_error (error, "\"optimizer\" is missing");
  if (!rv_optim_config_from_json (optim, &cfg->optim, &local))
    return config_error (error, local->message);

  if (!get_uint (o, "seed", 0, G_MAXINT64, &v, error))
    return FALSE;
  cfg->seed = (uint64_t) v;
  if (!get_uint (o, "epochs", 1, 100000, &v, error))
    return FALSE;
  cfg->epochs = (uint32_t) v;
  if (!get_uint (o, "batch_size", 1, 60000, &v, error))
    return FALSE;
  cfg->batch_size = (uint32_t) v;
  cfg->train_limit = (uint32_t) json_object_get_int_member_with_default (o, "train_limit", 0);
  return TRUE;
}

static void
add_double_array (JsonBuilder *b, const char *member, GArray *a, gboolean floats)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < a->len; i++)
    json_builder_add_double_value (b, floats ? g_array_index (a, float, i) : g_array_index (a, double, i));
  json_builder_end_array (b);
}

JsonNode *
rv_train_results_to_json (const RvTrainResults *res)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "test_acc");
  json_builder_add_double_value (b, res->test_acc);
  add_double_array (b, "val_scores", res->val_scores, FALSE);
  add_double_array (b, "train_losses", res->train_losses, TRUE);
  add_double_array (b, "train_scores", res->train_scores, FALSE);
  json_builder_set_member_name (b, "best_epoch");
  json_builder_add_int_value (b, res->best_epoch);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static GArray *
read_array (JsonObject *o, const char *member, gboolean floats, GError **error)
{
  JsonArray *a = rv_json_get_array (o, member);
  if (a == NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: \"%s\" is missing", member);
      return NULL;
    }
  GArray *out = g_array_sized_new (FALSE, FALSE, floats ? sizeof (float) : sizeof (double), json_array_get_length (a));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      GType t = json_node_get_value_type (e);
      if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: \"%s\" holds a non-number", member);
          g_array_unref (out);
          return NULL;
        }
      double d = json_node_get_double (e);
      if (floats)
        {
          float f = (float) d;
          g_array_append_val (out, f);
        }
      else
        g_array_append_val (out, d);
    }
  return out;
}

void
rv_train_results_clear (RvTrainResults *res)
{
  g_clear_pointer (&res->val_scores, g_array_unref);
  g_clear_pointer (&res->train_scores, g_array_unref);
  g_clear_pointer (&res->train_losses, g_array_unref);
}

gboolean
rv_train_results_from_json (JsonNode *node, RvTrainResults *res, GError **error)
{
  memset (res, 0, sizeof *res);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: not a JSON object");
      return FALSE;
    }
  JsonObject *o = json_node_get_object (node);
  JsonNode *acc = json_object_get_member (o, "test_acc");
  if (acc == NULL || (json_node_get_value_type (acc) != G_TYPE_DOUBLE && json_node_get_value_type (acc) != G_TYPE_INT64))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: \"test_acc\" is missing");
      return FALSE;
    }
  res->test_acc = json_node_get_double (acc);
  res->best_epoch = (uint32_t) json_object_get_int_member_with_default (o, "best_epoch", 0);
  if (!(res->val_scores = read_array (o, "val_scores", FALSE, error))
      || !(res->train_scores = read_array (o, "train_scores", FALSE, error))
      || !(res->train_losses = read_array (o, "train_losses", TRUE, error)))
    {
      rv_train_results_clear (res);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_json (const char *path, JsonNode *node, GError **error)
{
  g_autofree char *text = rv_json_to_string (node, TRUE);
  return rv_atomic_file_write (path, text, strlen (text), error);
}

gboolean
rv_run_save (const char *dir, const char *name, const RvTrainConfig *cfg,
             const RvTrainResults *res, const RvNet *net, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: cannot create the folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_autofree char *config_path = rv_run_path (dir, name, ".config");
  g_autofree char *model_path = rv_run_path (dir, name, ".safetensors");
  g_autofree char *results_path = rv_run_path (dir, name, "_results.json");
  g_autoptr (JsonNode) config = rv_train_config_to_json (cfg);
  g_autoptr (JsonNode) results = rv_train_results_to_json (res);

  return write_json (config_path, config, error)
         && rv_checkpoint_save (net, model_path, NULL, error)
         && write_json (results_path, results, error);
}

static JsonNode *
read_json (const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_mapped_file (parser, path, &local))
    {
      g_set_error (error, RV_ERROR, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? RV_ERROR_IO : RV_ERROR_CHECKPOINT,
                   "%s: %s", path, local->message);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

gboolean
rv_run_load (const char *dir, const char *name, RvTrainConfig *cfg, RvTrainResults *res,
             RvNet **net_out, GError **error)
{
  g_autofree char *config_path = rv_run_path (dir, name, ".config");
  g_autofree char *model_path = rv_run_path (dir, name, ".safetensors");
  g_autofree char *results_path = rv_run_path (dir, name, "_results.json");
  g_autoptr (GError) local = NULL;

  g_autoptr (JsonNode) config = read_json (config_path, error);
  if (config == NULL)
    return FALSE;
  if (!rv_train_config_from_json (config, cfg, &local))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", config_path, local->message);
      return FALSE;
    }
  g_autoptr (JsonNode) results = read_json (results_path, error);
  if (results == NULL)
    return FALSE;
  if (!rv_train_results_from_json (results, res, &local))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", results_path, local->message);
      return FALSE;
    }
  if (net_out)
    {
      g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
      if (!rv_checkpoint_load (net, model_path, error))
        {
          rv_train_results_clear (res);
          return FALSE;
        }
      *net_out = g_steal_pointer (&net);
    }
  return TRUE;
}
