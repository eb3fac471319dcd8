/* rv-history.h: a run's layer history, the snapshots (rv-snapshot.h) taken
 * every `every` steps while it trained.
 *
 * Recorded by the trainer (RvTrainConfig.history_every), saved with the run
 * as NAME_history.json (rv-run-files.h) and replayed by the Training page.
 * The file is one JSON object, the one `ravine-cli history --json` prints:
 *
 *   {"format_version": 1, "every": 78, "steps_per_epoch": 195, "bins": 40,
 *    "sizes": [784, 512, 256, 256, 128, 10],
 *    "steps": [1, 79, ...],
 *    "layers": [{"name": "layers.0.weight",
 *                "weights":     {"counts": [[...bins...], ...one per step],
 *                                "n": [...], "min": [...], "max": [...], "lo": [...], "hi": [...],
 *                                "mean": [...], "variance": [...]},
 *                "gradients":   {...the same...},
 *                "activations": {...the same: the Linear outputs of the step's batch...},
 *                "grad_norm": [...], "update_ratio": [...]}, ...]}
 *
 * Layers are in network order; every array has one entry per step.  A
 * histogram's bins split [lo, hi] evenly (lo = min and hi = max, except that a
 * tensor of one value widens them by 0.5 either way) and its counts add up to
 * n, the tensor's element count (batch × width for activations), less any
 * values that were not finite.  A number that is not finite (an update ratio
 * at a step whose predecessor was not kept, a diverged variance) is null.
 * "every": 0 with no steps is a run recorded without history.
 *
 * Memory: a snapshot holds 3 × bins counts per Linear layer, 4.8 kB for the
 * tutorial's network at 40 bins; the default cadence keeps about 100 of them
 * (under 0.5 MB per run) whatever the run's length. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rv-net.h"
#include "rv-snapshot.h"

G_BEGIN_DECLS

#define RV_HISTORY_FORMAT_VERSION 1
#define RV_HISTORY_BINS 40
/* RvTrainConfig.history_every: pick the cadence that gives about
 * RV_HISTORY_TARGET snapshots. */
#define RV_HISTORY_AUTO G_MAXUINT32
#define RV_HISTORY_TARGET 100

typedef struct {
  uint32_t every;            /* steps between snapshots; 0: none recorded */
  uint32_t steps_per_epoch;
  uint32_t bins;
  RvNetConfig net;           /* the widths (the activation is not kept) */
  GPtrArray *snapshots;      /* RvSnapshot *, by increasing step */
} RvHistory;

RvHistory *rv_history_new (const RvNetConfig *net, uint32_t every, uint32_t steps_per_epoch, uint32_t bins);
void rv_history_free (RvHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvHistory, rv_history_free)
RvHistory *rv_history_copy (const RvHistory *history);

/* The cadence for a run of total_steps: `every` itself unless it is
 * RV_HISTORY_AUTO, then the smallest that keeps the count near the target. */
uint32_t rv_history_resolve_every (uint32_t every, uint64_t total_steps);
/* Whether a run recorded every `every` steps takes a snapshot at step (1 is
 * the first step): the first, every `every`-th after it, and the last. */
gboolean rv_history_records_step (uint32_t every, uint64_t step, uint64_t total_steps);

/* Moves snap's contents (its counts) into the history; snap is left cleared. */
void rv_history_take (RvHistory *history, RvSnapshot *snap);
guint rv_history_get_n (const RvHistory *history);
const RvSnapshot *rv_history_get (const RvHistory *history, guint i);
/* The index of the last snapshot at or before step (0 when there is none). */
guint rv_history_index_at_step (const RvHistory *history, uint64_t step);

JsonNode *rv_history_to_json (const RvHistory *history);
/* Checks everything the header above promises (lengths, widths, bin counts
 * and their sums, increasing steps); errors say which member is wrong. */
RvHistory *rv_history_from_json (JsonNode *node, GError **error);

G_END_DECLS
