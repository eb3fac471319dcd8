/* rv-run-files.h: a finished training run on disk, as the tutorial keeps it.
 *
 *   NAME.config         JSON: act_fn, input_size, num_classes, hidden_sizes,
 *                       init, optimizer (with its hyper-parameters), seed,
 *                       epochs, batch_size and format_version
 *   NAME.safetensors    the best-validation weights (rv-checkpoint.h)
 *   NAME_results.json   JSON: test_acc, val_scores, train_losses, train_scores
 *   NAME_history.json   the layer history (rv-history.h); "every": 0 when the
 *                       run recorded none.  Runs saved before Ravine kept
 *                       histories have no such file, and load without one.
 *
 * A save is all or nothing across the four files: a failure, a signal, a
 * kill -9 or a full disk at any moment leaves either the previous run whole
 * or the new one whole.  The new files are written and flushed under staged
 * names (NAME.config.new, ...); then the journal NAME.commit is written
 * atomically, which decides the save; then the staged files are renamed into
 * place and the journal removed.  Every save, load and rv_run_exists() first
 * finishes a save whose journal is there, or removes what a save left before
 * writing its journal, so no staged or temporary file outlives the next use.
 *
 * Saves and loads hold an exclusive flock() on the run's folder: a second
 * process (or thread) saving or loading a run in the same folder waits until
 * the first is done.  On a file system without locks they go on unlocked. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rv-train.h"

G_BEGIN_DECLS

#define RV_RUN_FORMAT_VERSION 1

char *rv_run_path (const char *dir, const char *name, const char *suffix);

/* TRUE when NAME's weights are in dir (the tutorial's test for "trained
 * already"), after finishing or undoing an interrupted save. */
gboolean rv_run_exists (const char *dir, const char *name);

JsonNode *rv_train_config_to_json (const RvTrainConfig *cfg);
gboolean rv_train_config_from_json (JsonNode *node, RvTrainConfig *cfg, GError **error);

JsonNode *rv_train_results_to_json (const RvTrainResults *res);
/* Fills res with newly allocated arrays; free them with rv_train_results_clear. */
gboolean rv_train_results_from_json (JsonNode *node, RvTrainResults *res, GError **error);
void rv_train_results_clear (RvTrainResults *res);

/* Writes the four files (creating dir), all or nothing; the history file
 * holds res->history, or says there is none.  A failure before
 * the commit point leaves the previous files as they were; errors name the
 * run and the file ("cannot save r1 in DIR (...): DIR/r1.safetensors.new:
 * cannot write: No space left on device"). */
gboolean rv_run_save (const char *dir, const char *name, const RvTrainConfig *cfg,
                      const RvTrainResults *res, const RvNet *net, GError **error);

/* Asked once the new files are written and before the commit point; TRUE
 * abandons the save (RV_ERROR_CANCELLED, the previous files stay).  It may
 * only read a flag, as a signal handler sets one. */
typedef gboolean (*RvRunSaveStop) (gpointer user_data);
gboolean rv_run_save_full (const char *dir, const char *name, const RvTrainConfig *cfg,
                           const RvTrainResults *res, const RvNet *net, RvRunSaveStop stop,
                           gpointer user_data, GError **error);

/* Checks, before the work that ends in a save, that dir (or, when it does
 * not exist yet, the nearest folder above it) is a folder Ravine can write
 * in and that every file of the run, staged and temporary names included,
 * fits the file system's name length.  RV_ERROR_ARGUMENT for a bad name or a
 * non-folder, RV_ERROR_IO for a folder that cannot be written; nothing is
 * left behind. */
gboolean rv_run_check_target (const char *dir, const char *name, GError **error);
/* How many bytes the longest of a run's file names adds to NAME. */
size_t rv_run_name_extra (void);

/* Reads the config and the results (each at most 16 MiB of JSON, checked
 * member by member: best_epoch indexes val_scores, hidden_sizes passes
 * rv_net_config_check_size); then, when net_out is non-NULL, builds the
 * network the config describes and loads its weights. */
gboolean rv_run_load (const char *dir, const char *name, RvTrainConfig *cfg, RvTrainResults *res,
                      RvNet **net_out, GError **error);

/* The run's layer history: *history_out is NULL, and the call succeeds,
 * when the run has none (saved before histories, or recorded without one).
 * A history file that is there but broken is RV_ERROR_CHECKPOINT naming the
 * file; the rest of the run still loads with rv_run_load. */
gboolean rv_run_load_history (const char *dir, const char *name, RvHistory **history_out, GError **error);

G_END_DECLS
