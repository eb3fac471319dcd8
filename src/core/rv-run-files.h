/* rv-run-files.h: a finished training run on disk, as the tutorial keeps it.
 *
 *   NAME.config         JSON: act_fn, input_size, num_classes, hidden_sizes,
 *                       init, optimizer (with its hyper-parameters), seed,
 *                       epochs, batch_size and format_version
 *   NAME.safetensors    the best-validation weights (rv-checkpoint.h)
 *   NAME_results.json   JSON: test_acc, val_scores, train_losses, train_scores
 *
 * Every file is written atomically; the results file goes last, so a run
 * whose results file exists is complete. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rv-train.h"

G_BEGIN_DECLS

#define RV_RUN_FORMAT_VERSION 1

char *rv_run_path (const char *dir, const char *name, const char *suffix);

/* TRUE when NAME's weights are in dir (the tutorial's test for "trained already"). */
gboolean rv_run_exists (const char *dir, const char *name);

JsonNode *rv_train_config_to_json (const RvTrainConfig *cfg);
gboolean rv_train_config_from_json (JsonNode *node, RvTrainConfig *cfg, GError **error);

JsonNode *rv_train_results_to_json (const RvTrainResults *res);
/* Fills res with newly allocated arrays; free them with rv_train_results_clear. */
gboolean rv_train_results_from_json (JsonNode *node, RvTrainResults *res, GError **error);
void rv_train_results_clear (RvTrainResults *res);

/* Writes the three files (creating dir). */
gboolean rv_run_save (const char *dir, const char *name, const RvTrainConfig *cfg,
                      const RvTrainResults *res, const RvNet *net, GError **error);

/* Reads the config and the results; then, when net_out is non-NULL, builds the
 * network the config describes and loads its weights. */
gboolean rv_run_load (const char *dir, const char *name, RvTrainConfig *cfg, RvTrainResults *res,
                      RvNet **net_out, GError **error);

G_END_DECLS
