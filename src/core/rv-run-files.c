/* rv-run-files.c: reading and writing NAME.config, NAME.safetensors,
 * NAME_results.json and NAME_history.json, all or none (rv-run-files.h). */
#include "rv-run-files.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-atomic-file.h"
#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-file.h"
#include "rv-json-read.h"
#include "rv-json.h"
#include "rv-test-hook.h"

/* A run's JSON files are a few kB; anything far larger is not one. */
#define RUN_JSON_MAX_SIZE ((uint64_t) 16 << 20)
/* A history at the default cadence is under a megabyte; one recorded at
 * every step of a long run may be far larger, but not this large. */
#define HISTORY_JSON_MAX_SIZE ((uint64_t) 256 << 20)

char *
rv_run_path (const char *dir, const char *name, const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  return g_build_filename (dir, file, NULL);
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
  /* Optional: configs written before it existed train on everything. */
  if (json_object_has_member (o, "train_limit") && !get_uint (o, "train_limit", 0, 60000, &v, error))
    return FALSE;
  cfg->train_limit = json_object_has_member (o, "train_limit") ? (uint32_t) v : 0;

  g_autoptr (GError) size_error = NULL;
  if (!rv_net_config_check_size (&cfg->net, cfg->batch_size, &size_error))
    {
      g_autofree char *what = g_strdup_printf ("\"hidden_sizes\": %s", size_error->message);
      return config_error (error, what);
    }
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
  if (res->sharpness)
    {
      /* [[step, λ], ...]; JSON has no NaN: an unmeasured λ is null. */
      json_builder_set_member_name (b, "sharpness");
      json_builder_begin_array (b);
      for (guint i = 0; i < res->sharpness->len; i++)
        {
          const RvTrainSharpness *p = &g_array_index (res->sharpness, RvTrainSharpness, i);
          json_builder_begin_array (b);
          json_builder_add_int_value (b, (gint64) p->step);
          if (isfinite (p->top_eigenvalue))
            json_builder_add_double_value (b, p->top_eigenvalue);
          else
            json_builder_add_null_value (b);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
    }
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
      /* Finite as written (the strict reader sees to that), and finite
       * again where it is kept as a float32 loss. */
      if (floats && !isfinite ((float) d))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: \"%s\" holds %g, beyond a float32",
                       member, d);
          g_array_unref (out);
          return NULL;
        }
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
  g_clear_pointer (&res->history, rv_history_free);
  g_clear_pointer (&res->sharpness, g_array_unref);
}

/* The optional "sharpness": [[step, λ or null], ...] of results files
 * written with --sharpness-every; older files have none (NULL). */
static gboolean
read_sharpness (JsonObject *o, GArray **out, GError **error)
{
  JsonNode *node = json_object_get_member (o, "sharpness");
  g_autoptr (GArray) points = NULL;
  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto bad;
  JsonArray *a = json_node_get_array (node);
  points = g_array_sized_new (FALSE, FALSE, sizeof (RvTrainSharpness), json_array_get_length (a));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_ARRAY (e) || json_array_get_length (json_node_get_array (e)) != 2)
        goto bad;
      JsonNode *step = json_array_get_element (json_node_get_array (e), 0);
      JsonNode *value = json_array_get_element (json_node_get_array (e), 1);
      if (json_node_get_value_type (step) != G_TYPE_INT64 || json_node_get_int (step) < 0)
        goto bad;
      RvTrainSharpness p = { .step = (uint64_t) json_node_get_int (step), .top_eigenvalue = NAN };
      if (JSON_NODE_HOLDS_VALUE (value)
          && (json_node_get_value_type (value) == G_TYPE_DOUBLE || json_node_get_value_type (value) == G_TYPE_INT64))
        p.top_eigenvalue = json_node_get_double (value);
      else if (!JSON_NODE_HOLDS_NULL (value))
        goto bad;
      g_array_append_val (points, p);
    }
  *out = g_steal_pointer (&points);
  return TRUE;
bad:
  g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
               "results: \"sharpness\" must be a list of [step, eigenvalue] pairs (a whole number of steps, a number or null)");
  return FALSE;
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
  if (!(res->val_scores = read_array (o, "val_scores", FALSE, error))
      || !(res->train_scores = read_array (o, "train_scores", FALSE, error))
      || !(res->train_losses = read_array (o, "train_losses", TRUE, error)))
    {
      rv_train_results_clear (res);
      return FALSE;
    }
  /* An index into val_scores, which readers use without looking again. */
  JsonNode *best = json_object_get_member (o, "best_epoch");
  if (res->val_scores->len == 0
      || (best != NULL && (json_node_get_value_type (best) != G_TYPE_INT64 || json_node_get_int (best) < 0
                           || json_node_get_int (best) >= res->val_scores->len)))
    {
      if (res->val_scores->len == 0)
        g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "results: \"val_scores\" is empty");
      else
        g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                     "results: \"best_epoch\" must be a whole number from 0 to %u (an index into \"val_scores\")",
                     res->val_scores->len - 1);
      rv_train_results_clear (res);
      return FALSE;
    }
  res->best_epoch = best != NULL ? (uint32_t) json_node_get_int (best) : 0;
  if (!read_sharpness (o, &res->sharpness, error))
    {
      rv_train_results_clear (res);
      return FALSE;
    }
  return TRUE;
}


/* ---- The all-or-nothing save ----
 *
 * A save writes the three new files whole (flushed) under staged names
 * (NAME.config.new, ...), then the journal NAME.commit, atomically: from that
 * moment the new run is decided.  It renames the staged files over the
 * current ones and removes the journal.  Whoever next touches the run, under
 * the folder's lock, finishes what a journal says, or (with no journal)
 * removes what a save left before deciding. */

#define N_FILES 4
static const char *const run_suffixes[N_FILES] = { ".config", ".safetensors", "_results.json", "_history.json" };
/* Saves before the history file journalled the first three files only;
 * such a journal is still finished. */
#define N_FILES_V1 3
#define STAGED_SUFFIX ".new"
#define JOURNAL_SUFFIX ".commit"
/* What rv-atomic-file adds to a name for its temporary file: ".XXXXXX.tmp". */
#define ATOMIC_TMP_EXTRA 11

typedef struct {
  char *dir;
  char *final[N_FILES];
  char *staged[N_FILES];
  char *journal;
} RunPaths;

static void
run_paths_init (RunPaths *p, const char *dir, const char *name)
{
  p->dir = g_strdup (dir);
  for (int i = 0; i < N_FILES; i++)
    {
      p->final[i] = rv_run_path (dir, name, run_suffixes[i]);
      p->staged[i] = g_strconcat (p->final[i], STAGED_SUFFIX, NULL);
    }
  p->journal = rv_run_path (dir, name, JOURNAL_SUFFIX);
}

static void
run_paths_clear (RunPaths *p)
{
  g_free (p->dir);
  for (int i = 0; i < N_FILES; i++)
    {
      g_free (p->final[i]);
      g_free (p->staged[i]);
    }
  g_free (p->journal);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunPaths, run_paths_clear)

static gboolean
set_io_error (GError **error, const char *path, const char *what, int errsv)
{
  g_autofree char *display = g_filename_display_name (path);
  g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: %s: %s", display, what, g_strerror (errsv));
  return FALSE;
}

/* The journal's text: which staged file becomes which (the first n_files). */
static char *
journal_text (const RunPaths *p, int n_files)
{
  GString *s = g_string_new (n_files == N_FILES_V1 ? "ravine run save 1\n" : "ravine run save 2\n");
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *from = g_path_get_basename (p->staged[i]);
      g_autofree char *to = g_path_get_basename (p->final[i]);
      g_string_append_printf (s, "%s -> %s\n", from, to);
    }
  return g_string_free (s, FALSE);
}

/* Removes path if it is there. */
static gboolean
remove_if_there (const char *path, GError **error)
{
  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;
  return set_io_error (error, path, "cannot remove it", errno);
}

/* Removes the temporary files ("BASE.XXXXXX.tmp") that rv-atomic-file left
 * for any of the run's names when a save was killed while writing. */
static void
remove_temporaries (const RunPaths *p)
{
  g_autoptr (GDir) d = g_dir_open (p->dir, 0, NULL);
  const char *entry;
  if (d == NULL)
    return;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      size_t len = strlen (entry);
      if (!g_str_has_suffix (entry, ".tmp"))
        continue;
      for (int i = 0; i < 2 * N_FILES + 1; i++)
        {
          const char *path = i < N_FILES ? p->final[i] : i < 2 * N_FILES ? p->staged[i - N_FILES] : p->journal;
          g_autofree char *base = g_path_get_basename (path);
          size_t blen = strlen (base);
          if (len == blen + ATOMIC_TMP_EXTRA && strncmp (entry, base, blen) == 0 && entry[blen] == '.')
            {
              g_autofree char *full = g_build_filename (p->dir, entry, NULL);
              (void) g_unlink (full);
              break;
            }
        }
    }
}

/* Makes the staged files the run's files and removes the journal: the
 * second half of a save, which may run again after any crash in it. */
static gboolean
roll_forward (const RunPaths *p, int n_files, GError **error)
{
  for (int i = 0; i < n_files; i++)
    {
      /* A staged file that is gone was renamed before a crash. */
      if (rename (p->staged[i], p->final[i]) != 0 && errno != ENOENT)
        return set_io_error (error, p->final[i], "cannot finish saving it", errno);
      rv_test_hook_save_step ();
    }
  /* The renames must be on disk before the journal that orders them goes. */
  if (!rv_file_sync_folder (p->dir, error))
    return FALSE;
  rv_test_hook_save_step ();
  if (!remove_if_there (p->journal, error))
    return FALSE;
  rv_test_hook_save_step ();
  return rv_file_sync_folder (p->dir, error);
}

/* Removes what a save left before its journal decided it. */
static gboolean
discard_staged (const RunPaths *p, GError **error)
{
  for (int i = 0; i < N_FILES; i++)
    if (!remove_if_there (p->staged[i], error))
      return FALSE;
  remove_temporaries (p);
  return TRUE;
}

/* Brings the run to a whole state: finishes a save that wrote its journal,
 * drops the leftovers of one that did not.  Call it holding the lock. */
static gboolean
recover (const RunPaths *p, GError **error)
{
  struct stat st;
  if (lstat (p->journal, &st) != 0)
    {
      if (errno != ENOENT)
        return set_io_error (error, p->journal, "cannot read it", errno);
      /* Only writes that can fail: a read-only folder holds nothing to do. */
      for (int i = 0; i < N_FILES; i++)
        if (rv_file_exists_at_all (p->staged[i]))
          return discard_staged (p, error);
      remove_temporaries (p);
      return TRUE;
    }

  g_autoptr (GError) local = NULL;
  g_autofree char *want = journal_text (p, N_FILES);
  g_autofree char *want_v1 = journal_text (p, N_FILES_V1);
  size_t len = 0;
  g_autofree char *have = rv_file_read_all (p->journal, 4096, &len, &local);
  int n_files = have == NULL ? 0
                : len == strlen (want) && memcmp (have, want, len) == 0 ? N_FILES
                : len == strlen (want_v1) && memcmp (have, want_v1, len) == 0 ? N_FILES_V1 : 0;
  if (n_files == 0)
    {
      g_autofree char *display = g_filename_display_name (p->journal);
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                   "%s: is not the journal of an interrupted save (%s); remove it to use the run",
                   display, local ? local->message : "unexpected contents");
      return FALSE;
    }
  if (!roll_forward (p, n_files, error))
    return FALSE;
  remove_temporaries (p);
  return TRUE;
}

/* Holds the folder's lock (flock on the folder itself, so that nothing is
 * left beside the run) until unlock_folder(); -1 when the file system cannot
 * lock, where saves and loads go on without. */
static int
lock_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        close (fd);
        return -1;
      }
  return fd;
}

static void
unlock_folder (int fd)
{
  /* Closing the only descriptor of the open folder releases the lock. */
  if (fd >= 0)
    close (fd);
}

gboolean
rv_run_exists (const char *dir, const char *name)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return FALSE;
  g_auto (RunPaths) p = { 0 };
  run_paths_init (&p, dir, name);
  int lock = lock_folder (dir);
  /* A failed recovery shows in rv_run_load, which tries again. */
  (void) recover (&p, NULL);
  gboolean exists = g_file_test (p.final[1], G_FILE_TEST_EXISTS);
  unlock_folder (lock);
  return exists;
}

static gboolean
write_json (const char *path, JsonNode *node, GError **error)
{
  g_autofree char *text = rv_json_to_string (node, TRUE);
  return rv_atomic_file_write (path, text, strlen (text), error);
}

static gboolean
save_locked (const RunPaths *p, const RvTrainConfig *cfg, const RvTrainResults *res, const RvNet *net,
             RvRunSaveStop stop, gpointer user_data, GError **error)
{
  if (!recover (p, error))
    return FALSE;

  g_autoptr (JsonNode) config = rv_train_config_to_json (cfg);
  g_autoptr (JsonNode) results = rv_train_results_to_json (res);
  /* Always a history file, empty when none was recorded, so that a run
   * saved over another never keeps the other's history. */
  g_autoptr (RvHistory) none = res->history ? NULL : rv_history_new (&cfg->net, 0, 0, RV_HISTORY_BINS);
  g_autoptr (JsonNode) history = rv_history_to_json (res->history ? res->history : none);
  g_autofree char *journal = journal_text (p, N_FILES);
  gboolean staged = write_json (p->staged[0], config, error);
  rv_test_hook_save_step ();
  staged = staged && rv_checkpoint_save (net, p->staged[1], NULL, error);
  rv_test_hook_save_step ();
  staged = staged && write_json (p->staged[2], results, error);
  rv_test_hook_save_step ();
  staged = staged && write_json (p->staged[3], history, error);
  rv_test_hook_save_step ();
  if (staged && stop != NULL && stop (user_data))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CANCELLED, "the save was cancelled");
      staged = FALSE;
    }
  /* The commit point: once the journal is there, the new run is decided. */
  if (!staged || !rv_atomic_file_write (p->journal, journal, strlen (journal), error))
    {
      (void) discard_staged (p, NULL);
      return FALSE;
    }
  rv_test_hook_save_step ();
  if (!roll_forward (p, N_FILES, error))
    {
      g_prefix_error (error, "the new run is saved but not yet in place (the next use of it finishes that): ");
      return FALSE;
    }
  return TRUE;
}

gboolean
rv_run_save_full (const char *dir, const char *name, const RvTrainConfig *cfg, const RvTrainResults *res,
                  const RvNet *net, RvRunSaveStop stop, gpointer user_data, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, RV_ERROR, RV_ERROR_IO, "%s: cannot create the folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_auto (RunPaths) p = { 0 };
  run_paths_init (&p, dir, name);
  g_autoptr (GError) local = NULL;
  int lock = lock_folder (dir);
  gboolean ok = save_locked (&p, cfg, res, net, stop, user_data, &local);
  unlock_folder (lock);
  if (ok)
    return TRUE;
  if (!g_error_matches (local, RV_ERROR, RV_ERROR_CANCELLED))
    g_prefix_error (&local, "cannot save %s in %s (%s): ", name, dir,
                    rv_file_exists_at_all (p.journal) ? "it will be complete the next time it is used"
                                                      : "the previous files, if any, stay as they were");
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
rv_run_save (const char *dir, const char *name, const RvTrainConfig *cfg,
             const RvTrainResults *res, const RvNet *net, GError **error)
{
  return rv_run_save_full (dir, name, cfg, res, net, NULL, NULL, error);
}

static JsonNode *
read_json (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  JsonNode *node = rv_json_read_file (path, RUN_JSON_MAX_SIZE, &local);
  if (node == NULL)
    {
      /* A file that is there but broken is a broken run. */
      g_set_error_literal (error, RV_ERROR, g_error_matches (local, RV_ERROR, RV_ERROR_IO) ? RV_ERROR_IO
                                                                                            : RV_ERROR_CHECKPOINT,
                           local->message);
      return NULL;
    }
  return node;
}

static gboolean
load_locked (const RunPaths *p, RvTrainConfig *cfg, RvTrainResults *res, RvNet **net_out, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (!recover (p, error))
    return FALSE;

  g_autoptr (JsonNode) config = read_json (p->final[0], error);
  if (config == NULL)
    return FALSE;
  if (!rv_train_config_from_json (config, cfg, &local))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", p->final[0], local->message);
      return FALSE;
    }
  g_autoptr (JsonNode) results = read_json (p->final[2], error);
  if (results == NULL)
    return FALSE;
  if (!rv_train_results_from_json (results, res, &local))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", p->final[2], local->message);
      return FALSE;
    }
  if (net_out)
    {
      g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
      if (!rv_checkpoint_load (net, p->final[1], error))
        {
          rv_train_results_clear (res);
          return FALSE;
        }
      *net_out = g_steal_pointer (&net);
    }
  return TRUE;
}

gboolean
rv_run_load (const char *dir, const char *name, RvTrainConfig *cfg, RvTrainResults *res,
             RvNet **net_out, GError **error)
{
  g_auto (RunPaths) p = { 0 };
  run_paths_init (&p, dir, name);
  /* Under the lock, so that a save in another process cannot be seen half
   * way; a missing folder has no lock and fails on its first read. */
  int lock = lock_folder (dir);
  gboolean ok = load_locked (&p, cfg, res, net_out, error);
  unlock_folder (lock);
  return ok;
}

static gboolean
load_history_locked (const RunPaths *p, RvHistory **out, GError **error)
{
  if (!recover (p, error))
    return FALSE;
  if (!rv_file_exists_at_all (p->final[3]))
    return TRUE; /* saved before runs kept their history */
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) node = rv_json_read_file (p->final[3], HISTORY_JSON_MAX_SIZE, &local);
  RvHistory *history = node ? rv_history_from_json (node, &local) : NULL;
  if (history == NULL)
    {
      /* rv-json-read's messages name the file already */
      if (g_str_has_prefix (local->message, p->final[3]))
        g_set_error_literal (error, RV_ERROR, RV_ERROR_CHECKPOINT, local->message);
      else
        g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", p->final[3], local->message);
      return FALSE;
    }
  if (history->every == 0)
    rv_history_free (history); /* recorded without history */
  else
    *out = history;
  return TRUE;
}

gboolean
rv_run_load_history (const char *dir, const char *name, RvHistory **history_out, GError **error)
{
  g_auto (RunPaths) p = { 0 };
  run_paths_init (&p, dir, name);
  *history_out = NULL;
  int lock = lock_folder (dir);
  gboolean ok = load_history_locked (&p, history_out, error);
  unlock_folder (lock);
  return ok;
}

size_t
rv_run_name_extra (void)
{
  size_t extra = strlen (JOURNAL_SUFFIX);
  for (int i = 0; i < N_FILES; i++)
    extra = MAX (extra, strlen (run_suffixes[i]) + strlen (STAGED_SUFFIX));
  return extra + ATOMIC_TMP_EXTRA;
}

gboolean
rv_run_check_target (const char *dir, const char *name, GError **error)
{
  if (dir == NULL || *dir == '\0')
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "the folder for the run is empty; name a folder");
      return FALSE;
    }
  if (name == NULL || *name == '\0' || *name == '.' || strchr (name, '/') != NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "the run name \"%s\" must be a plain file name",
                   name ? name : "");
      return FALSE;
    }

  /* The folder, or the nearest existing folder above it, where saving
   * would create it. */
  g_autofree char *at = g_strdup (dir);
  struct stat st;
  while (stat (at, &st) != 0)
    {
      int errsv = errno;
      g_autofree char *parent = g_path_get_dirname (at);
      if ((errsv != ENOENT && errsv != ENOTDIR) || strcmp (parent, at) == 0)
        return set_io_error (error, at, "cannot use it for the run", errsv);
      g_free (at);
      at = g_steal_pointer (&parent);
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (at);
      if (strcmp (at, dir) == 0)
        g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "%s: is %s, not a folder", display,
                     rv_file_kind (st.st_mode));
      else
        g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "%s: cannot create the folder: %s is %s, not a folder",
                     dir, display, rv_file_kind (st.st_mode));
      return FALSE;
    }

  /* Writable: nothing short of writing there says so (read-only mounts,
   * /proc, ACLs). */
  g_autofree char *probe = g_build_filename (at, ".ravine-probe-XXXXXX", NULL);
  int fd = g_mkstemp_full (probe, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      return set_io_error (error, at, "cannot write in this folder", errsv);
    }
  close (fd);
  (void) g_unlink (probe);

  long name_max = pathconf (at, _PC_NAME_MAX);
  size_t need = strlen (name) + rv_run_name_extra ();
  if (name_max > 0 && need > (size_t) name_max)
    {
      g_autofree char *display = g_filename_display_name (at);
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "the run name is %zu bytes long; its files need names of up to %zu bytes "
                   "(NAME_results.json.new and a temporary suffix), more than the %ld that %s allows",
                   strlen (name), need, name_max, display);
      return FALSE;
    }
  return TRUE;
}
