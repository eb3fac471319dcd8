/* rv-probe.h: what `init-stats` measures, and the Initialization page shows.
 *
 * One probe batch goes forward and backward with cross-entropy through a
 * freshly initialized network (init-stats) or a given one (inspect, a
 * model loaded from a file); every Linear layer's output, weight gradient
 * and weight is summarized, and every hidden layer's activation output f(z)
 * (what the next Linear receives), with how much of it is saturated or dead.
 *
 * Saturated fraction (tanh and sigmoid only): the share of all the probe's
 * values f(z) of a layer (batch × units) that lie within 1 % of the
 * function's range from a bound: tanh |f| ≥ 0.99, sigmoid f ≤ 0.01 or
 * f ≥ 0.99.  Dead fraction (ReLU only, the one activation here that is
 * exactly 0 on a half-line; leaky ReLU, ELU, GELU and SiLU are not): the
 * share of a layer's units whose f(z) is 0 for every probe image.  Where a
 * fraction does not apply it is NaN (null in JSON). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rv-dataset.h"
#include "rv-init.h"
#include "rv-net.h"
#include "rv-stats.h"

G_BEGIN_DECLS

typedef enum {
  RV_PROBE_HEAD,  /* the first N images of the training file, in file order */
  RV_PROBE_SPLIT, /* the first N images of the (seeded, shuffled) training split */
} RvProbeSource;

typedef struct {
  RvNetConfig net;
  RvInit init;
  uint64_t seed;
  uint32_t batch;       /* probe batch size, default 1024 */
  RvProbeSource source;
  uint32_t bins;        /* histogram bins, default 50 */
  gboolean kde;         /* also estimate each tensor's density (default FALSE) */
} RvProbeConfig;

void rv_probe_config_init_default (RvProbeConfig *cfg);

#define RV_PROBE_KDE_POINTS 96

typedef enum {
  RV_PROBE_WEIGHT,
  RV_PROBE_GRADIENT,
  RV_PROBE_ACTIVATION,
  RV_PROBE_POST_ACTIVATION,  /* hidden layers only: l < n_linear - 1 */
  RV_PROBE_N_KINDS
} RvProbeKind;

#define RV_PROBE_SATURATION_MARGIN 0.01  /* "within 1 % of its bound" */

typedef struct {
  uint32_t n_linear;
  uint32_t fan_in[RV_MAX_LINEAR], fan_out[RV_MAX_LINEAR];
  RvStats activation[RV_MAX_LINEAR];  /* "Layer 2l": Linear l's output */
  RvStats gradient[RV_MAX_LINEAR];    /* "layers.2l.weight"'s gradient */
  RvStats weight[RV_MAX_LINEAR];      /* "layers.2l.weight" */
  /* "Layer 2l+1", the activation module after Linear l: f(z), for
   * l < n_linear - 1 (the last Linear's output, the logits, has none). */
  RvStats post_activation[RV_MAX_LINEAR];
  double saturated_fraction[RV_MAX_LINEAR];  /* in [0, 1], or NaN: see above */
  double dead_fraction[RV_MAX_LINEAR];       /* in [0, 1], or NaN: see above */
  double loss;
  uint32_t correct;                   /* probe images the network classifies right */
  uint32_t batch;
  gboolean synthetic;                 /* probed on the synthetic data set */
  /* With cfg->kde: a Gaussian KDE (Scott's bandwidth) of each tensor on
   * RV_PROBE_KDE_POINTS points spanning its histogram range. */
  double kde_x[RV_PROBE_N_KINDS][RV_MAX_LINEAR][RV_PROBE_KDE_POINTS];
  double kde_y[RV_PROBE_N_KINDS][RV_MAX_LINEAR][RV_PROBE_KDE_POINTS];
} RvProbeResult;

/* The stats of one tensor kind of layer l. */
const RvStats *rv_probe_result_stats (const RvProbeResult *res, RvProbeKind kind, uint32_t l);
/* How many layers kind has: n_linear, or n_linear - 1 for post-activations. */
uint32_t rv_probe_result_n_layers (const RvProbeResult *res, RvProbeKind kind);

/* Whether act has a saturated fraction (tanh, sigmoid) or a dead one (relu). */
gboolean rv_probe_act_saturates (RvActivation act);
gboolean rv_probe_act_dies (RvActivation act);
/* The two fractions of values[batch × units] (row-major, f(z) of one
 * layer), NaN where act has none. */
double rv_probe_saturated_fraction (RvActivation act, const float *values, size_t n);
double rv_probe_dead_fraction (RvActivation act, const float *values, uint32_t batch, uint32_t units);

void rv_probe_result_clear (RvProbeResult *res);

/* Builds the network, initializes it, probes it.  Fails only for a bad
 * configuration (such as a batch larger than the data). */
gboolean rv_probe_run (const RvProbeConfig *cfg, const RvDataset *data, RvProbeResult *out,
                       GError **error);

/* Probes net as it is, with its weights and activation: cfg->net must be
 * net->cfg (the JSON describes it); cfg->init is unused, cfg->seed only
 * shuffles the split.  It leaves net's
 * activations and gradients those of the probe batch. */
gboolean rv_probe_run_net (RvNet *net, const RvProbeConfig *cfg, const RvDataset *data, RvProbeResult *out,
                           GError **error);

/* "Layer 4", "Layer 5" (its activation's output) and "layers.4.weight" for
 * Linear l = 2. */
char *rv_probe_activation_name (uint32_t l);
char *rv_probe_post_activation_name (uint32_t l);
char *rv_probe_weight_name (uint32_t l);

/* The JSON object `ravine-cli init-stats --json` prints and the app exports. */
JsonNode *rv_probe_result_to_json (const RvProbeConfig *cfg, const RvProbeResult *res);
/* The same for a network loaded from a file: "weights": weights (the file's
 * name) in place of "init". */
JsonNode *rv_probe_weights_result_to_json (const RvProbeConfig *cfg, const RvProbeResult *res,
                                           const char *weights);

/* The same figures as CSV: a header, then one row per layer and tensor with
 * its moments and histogram (counts separated by spaces in one field). */
char *rv_probe_result_to_csv (const RvProbeResult *res);

G_END_DECLS
