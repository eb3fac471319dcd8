/* rv-probe.h: what `init-stats` measures, and the Initialization page shows.
 *
 * One probe batch goes forward and backward with cross-entropy through a
 * freshly initialized network (init-stats) or a given one (inspect, a
 * model loaded from a file); every Linear layer's output, weight gradient
 * and weight is summarized. */
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

typedef enum { RV_PROBE_WEIGHT, RV_PROBE_GRADIENT, RV_PROBE_ACTIVATION, RV_PROBE_N_KINDS } RvProbeKind;

typedef struct {
  uint32_t n_linear;
  uint32_t fan_in[RV_MAX_LINEAR], fan_out[RV_MAX_LINEAR];
  RvStats activation[RV_MAX_LINEAR];  /* "Layer 2l": Linear l's output */
  RvStats gradient[RV_MAX_LINEAR];    /* "layers.2l.weight"'s gradient */
  RvStats weight[RV_MAX_LINEAR];      /* "layers.2l.weight" */
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

/* "Layer 4" and "layers.4.weight" for Linear l = 2. */
char *rv_probe_activation_name (uint32_t l);
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
