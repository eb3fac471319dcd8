/* test-history.c: the layer history the trainer records, through JSON and
 * through a run's files, and every broken member of a history file named. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-error.h"
#include "rv-history.h"
#include "rv-json.h"
#include "rv-run-files.h"
#include "rv-train.h"

static RvDataset *data;

/* A small run: 1500 images in batches of 100 for 2 epochs (30 steps),
 * recorded every 7 steps. */
static RvTrainer *
train_small (uint32_t every)
{
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  const uint32_t hidden[] = { 24, 12 };
  rv_net_config_init (&cfg.net, RV_ACT_TANH, hidden, 2);
  cfg.epochs = 2;
  cfg.batch_size = 100;
  cfg.train_limit = 1500;
  cfg.history_every = every;
  g_autoptr (GError) error = NULL;
  RvTrainer *t = rv_trainer_new (&cfg, data, &error);
  g_assert_no_error (error);
  g_assert_true (rv_trainer_run (t, NULL, NULL, &error));
  g_assert_no_error (error);
  return t;
}

static void
assert_double_same (double a, double b)
{
  if (isnan (a) || isnan (b))
    g_assert_true (isnan (a) && isnan (b));
  else
    g_assert_cmpfloat (a, ==, b);
}

static void
assert_stats_same (const RvStats *a, const RvStats *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  assert_double_same (a->mean, b->mean);
  assert_double_same (a->variance, b->variance);
  assert_double_same (a->min, b->min);
  assert_double_same (a->max, b->max);
  assert_double_same (a->lo, b->lo);
  assert_double_same (a->hi, b->hi);
  g_assert_cmpuint (a->n_bins, ==, b->n_bins);
  for (uint32_t k = 0; k < a->n_bins; k++)
    g_assert_cmpuint (a->counts[k], ==, b->counts[k]);
}

static void
assert_history_same (const RvHistory *a, const RvHistory *b)
{
  g_assert_cmpuint (a->every, ==, b->every);
  g_assert_cmpuint (a->steps_per_epoch, ==, b->steps_per_epoch);
  g_assert_cmpuint (a->bins, ==, b->bins);
  g_assert_cmpuint (a->net.n_linear, ==, b->net.n_linear);
  for (uint32_t l = 0; l <= a->net.n_linear; l++)
    g_assert_cmpuint (a->net.sizes[l], ==, b->net.sizes[l]);
  g_assert_cmpuint (rv_history_get_n (a), ==, rv_history_get_n (b));
  for (guint i = 0; i < rv_history_get_n (a); i++)
    {
      const RvSnapshot *x = rv_history_get (a, i), *y = rv_history_get (b, i);
      g_assert_cmpuint (x->step, ==, y->step);
      for (uint32_t l = 0; l < a->net.n_linear; l++)
        {
          assert_stats_same (&x->weight[l], &y->weight[l]);
          assert_stats_same (&x->gradient[l], &y->gradient[l]);
          assert_stats_same (&x->activation[l], &y->activation[l]);
          assert_double_same (x->grad_norm[l], y->grad_norm[l]);
          assert_double_same (x->update_ratio[l], y->update_ratio[l]);
        }
    }
}

static void
test_recorded_steps (void)
{
  g_autoptr (RvTrainer) t = train_small (7);
  const RvHistory *h = rv_trainer_get_results (t)->history;
  g_assert_nonnull (h);
  const uint64_t want[] = { 1, 8, 15, 22, 29, 30 };
  g_assert_cmpuint (rv_history_get_n (h), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpuint (rv_history_get (h, i)->step, ==, want[i]);
  g_assert_cmpuint (h->steps_per_epoch, ==, 15);
  g_assert_cmpuint (rv_history_index_at_step (h, 14), ==, 1);
  g_assert_cmpuint (rv_history_index_at_step (h, 15), ==, 2);
  g_assert_cmpuint (rv_history_index_at_step (h, 1000), ==, 5);

  /* element counts: weights fan_in × fan_out, activations batch × width */
  const RvSnapshot *last = rv_history_get (h, rv_history_get_n (h) - 1);
  for (uint32_t l = 0; l < h->net.n_linear; l++)
    {
      g_assert_cmpuint (last->weight[l].n, ==, (uint64_t) h->net.sizes[l] * h->net.sizes[l + 1]);
      g_assert_cmpuint (last->activation[l].n, ==, 100u * h->net.sizes[l + 1]);
      g_assert_true (isfinite (last->update_ratio[l]) && last->update_ratio[l] > 0);
    }

  /* no history when asked for none; about 100 by default */
  g_autoptr (RvTrainer) none = train_small (0);
  g_assert_null (rv_trainer_get_results (none)->history);
  g_assert_cmpuint (rv_history_resolve_every (RV_HISTORY_AUTO, 7800), ==, 78);
  g_assert_cmpuint (rv_history_resolve_every (RV_HISTORY_AUTO, 30), ==, 1);
  g_assert_cmpuint (rv_history_resolve_every (5, 7800), ==, 5);
}

static void
test_json_round_trip (void)
{
  g_autoptr (RvTrainer) t = train_small (4);
  const RvHistory *h = rv_trainer_get_results (t)->history;
  g_autoptr (JsonNode) node = rv_history_to_json (h);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvHistory) back = rv_history_from_json (node, &error);
  g_assert_no_error (error);
  assert_history_same (h, back);
  g_autoptr (RvHistory) copy = rv_history_copy (h);
  assert_history_same (h, copy);
}

static void
test_run_files (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ravine-history-XXXXXX", &error);
  g_assert_no_error (error);
  g_autoptr (RvTrainer) t = train_small (5);
  const RvTrainResults *res = rv_trainer_get_results (t);
  g_assert_true (rv_run_save (dir, "h", rv_trainer_get_config (t), res, rv_trainer_get_best_net (t), &error));
  g_assert_no_error (error);
  g_autoptr (RvHistory) loaded = NULL;
  g_assert_true (rv_run_load_history (dir, "h", &loaded, &error));
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  assert_history_same (res->history, loaded);

  /* saved over without a history: the old one must not stay */
  RvTrainResults bare = *res;
  bare.history = NULL;
  g_assert_true (rv_run_save (dir, "h", rv_trainer_get_config (t), &bare, rv_trainer_get_best_net (t), &error));
  g_clear_pointer (&loaded, rv_history_free);
  g_assert_true (rv_run_load_history (dir, "h", &loaded, &error));
  g_assert_null (loaded);

  /* A journal of a save from before histories (three files) is finished. */
  RvTrainConfig cfg = *rv_trainer_get_config (t);
  cfg.seed = 7;
  g_autoptr (JsonNode) config = rv_train_config_to_json (&cfg);
  g_autofree char *text = rv_json_to_string (config, TRUE);
  g_autofree char *staged = g_build_filename (dir, "h.config.new", NULL);
  g_assert_true (g_file_set_contents (staged, text, -1, NULL));
  const char *other[] = { ".safetensors", "_results.json" };
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *from = rv_run_path (dir, "h", other[i]);
      g_autofree char *to = g_strconcat (from, ".new", NULL);
      g_autofree char *bytes = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (from, &bytes, &len, NULL));
      g_assert_true (g_file_set_contents (to, bytes, (gssize) len, NULL));
    }
  g_autofree char *journal = g_build_filename (dir, "h.commit", NULL);
  g_assert_true (g_file_set_contents (journal, "ravine run save 1\nh.config.new -> h.config\n"
                                      "h.safetensors.new -> h.safetensors\nh_results.json.new -> h_results.json\n",
                                      -1, NULL));
  RvTrainConfig got;
  RvTrainResults got_res = { 0 };
  g_assert_true (rv_run_load (dir, "h", &got, &got_res, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got.seed, ==, 7);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (staged, G_FILE_TEST_EXISTS));
  rv_train_results_clear (&got_res);

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* Each broken member is refused with a message that names it. */
static void
test_broken_members (void)
{
  g_autoptr (RvTrainer) t = train_small (10);
  g_autoptr (JsonNode) good = rv_history_to_json (rv_trainer_get_results (t)->history);
  g_autofree char *good_text = rv_json_to_string (good, FALSE);
  struct {
    const char *path;   /* a member, as "layers.1.gradients.counts.0.3" */
    const char *value;  /* JSON to put there */
    const char *want;
  } cases[] = {
    { "format_version", "2", "format_version" },
    { "bins", "0", "\"bins\"" },
    { "sizes", "[784]", "\"sizes\"" },
    { "sizes.1", "0", "\"sizes\"[1]" },
    { "steps.1", "1", "\"steps\"[1]" },
    { "steps", "[]", "one entry per step" },
    { "every", "0", "\"every\" is 0" },
    { "layers", "[]", "one entry per Linear layer" },
    { "layers.1.name", "\"layers.0.weight\"", "should be named \"layers.2.weight\"" },
    { "layers.0.weights.counts.0", "[1]", "layers.0.weight.weights: \"counts\"[0] does not have" },
    { "layers.2.gradients.counts.1.0", "-1", "layers.4.weight.gradients: \"counts\"[1][0]" },
    { "layers.2.activations.counts.1.0", "1e30", "layers.4.weight.activations: \"counts\"[1][0]" },
    { "layers.1.weights.variance.0", "\"x\"", "\"variance\"[0] is not a number" },
    { "layers.1.weights.lo.0", "5", "range [lo, hi]" },
    { "layers.0.activations.n", "[1, 2]", "\"n\" is missing or does not have one entry per step" },
    { "layers.0.update_ratio", "{}", "\"update_ratio\"" },
  };
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, good_text, -1, NULL));
      JsonNode *root = json_parser_get_root (parser);
      g_auto (GStrv) parts = g_strsplit (cases[c].path, ".", -1);
      JsonNode *parent = root, *node = root;
      guint n_parts = g_strv_length (parts);
      for (guint i = 0; i < n_parts; i++)
        {
          parent = node;
          node = JSON_NODE_HOLDS_ARRAY (parent)
                   ? json_array_get_element (json_node_get_array (parent), (guint) atoi (parts[i]))
                   : json_object_get_member (json_node_get_object (parent), parts[i]);
          g_assert_nonnull (node);
        }
      g_autoptr (JsonParser) vp = json_parser_new ();
      g_assert_true (json_parser_load_from_data (vp, cases[c].value, -1, NULL));
      JsonNode *value = json_node_copy (json_parser_get_root (vp));
      const char *last = parts[n_parts - 1];
      if (JSON_NODE_HOLDS_ARRAY (parent))
        {
          JsonArray *a = json_node_get_array (parent);
          guint idx = (guint) atoi (last);
          /* JsonArray has no setter: rebuild it */
          g_autoptr (JsonArray) rebuilt = json_array_new ();
          for (guint i = 0; i < json_array_get_length (a); i++)
            json_array_add_element (rebuilt, i == idx ? value : json_node_copy (json_array_get_element (a, i)));
          json_node_set_array (parent, rebuilt);
        }
      else
        json_object_set_member (json_node_get_object (parent), last, value);

      g_autoptr (GError) error = NULL;
      g_autoptr (RvHistory) h = rv_history_from_json (root, &error);
      g_assert_null (h);
      g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
      if (strstr (error->message, cases[c].want) == NULL)
        g_error ("%s = %s: expected \"%s\" in \"%s\"", cases[c].path, cases[c].value, cases[c].want, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (2000, 200, 3);
  g_test_add_func ("/history/recorded-steps", test_recorded_steps);
  g_test_add_func ("/history/json-round-trip", test_json_round_trip);
  g_test_add_func ("/history/run-files", test_run_files);
  g_test_add_func ("/history/broken-members", test_broken_members);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
