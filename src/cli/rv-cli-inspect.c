/* rv-cli-inspect.c: `ravine-cli inspect`, init-stats for a trained model:
 * one probe batch through the weights of a file (any MLP checkpoint,
 * rv-mlp-weights.h), and the same per-layer statistics. */
#include "rv-cli.h"

#include <stdio.h>

#include "rv-error.h"
#include "rv-mlp-weights.h"
#include "rv-probe.h"

#define COMMAND "inspect"

static void
print_table (const RvProbeConfig *cfg, const RvProbeResult *res, const char *weights, const RvMlpWeightsInfo *info)
{
  g_autofree char *config = info->config_path ? g_filename_display_name (info->config_path) : NULL;

  printf ("network ");
  for (uint32_t l = 0; l <= cfg->net.n_linear; l++)
    printf ("%s%u", l ? "-" : "", cfg->net.sizes[l]);
  printf (" from %s (%s), %s", weights, rv_safetensor_dtype_name (info->dtype), rv_activation_name (cfg->net.act));
  if (config != NULL)
    printf (" (from %s)", config);
  printf ("\nprobe: %u images, %s, %s; cross-entropy loss %.6g, accuracy %.4g%%\n\n", res->batch,
          cfg->source == RV_PROBE_HEAD ? "head of the training file" : "head of the training split",
          res->synthetic ? "synthetic data" : "FashionMNIST", res->loss, 100.0 * res->correct / res->batch);
  rv_cli_print_probe_table (cfg, res);
}

int
rv_cli_inspect (int argc, char **argv)
{
  g_autofree char *weights = NULL, *act = NULL, *batch = NULL, *probe = NULL;
  g_autofree char *seed = NULL, *data = NULL, *bins = NULL;
  gboolean json = FALSE, synthetic = FALSE;
  GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights, "The model: a safetensors file of Linear layers (required)", "FILE" },
    { "act", 0, 0, G_OPTION_ARG_STRING, &act, "Activation when no FILE's .config is beside it: identity, tanh, relu, leaky-relu, elu, gelu, sigmoid, silu (relu)", "NAME" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch, "Probe batch size (1024)", "N" },
    { "probe", 0, 0, G_OPTION_ARG_STRING, &probe, "Probe images: head of the training file, or of the shuffled split (head)", "head|split" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed for the split (42)", "N" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder (default: $RAVINE_DATA_DIR, then the user cache)", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set", NULL },
    { "bins", 0, 0, G_OPTION_ARG_STRING, &bins, "Histogram bins (50)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Loads a model's weights (a PyTorch state_dict saved as safetensors), runs one "
                     "probe batch forward and backward with cross-entropy, and prints per-layer variances.",
                     entries, &argc, &argv))
    return RV_EXIT_USAGE;

  RvProbeConfig cfg;
  RvActivation fallback = RV_ACT_RELU;
  g_autoptr (GError) error = NULL;
  guint64 v = 0;
  rv_probe_config_init_default (&cfg);
  if (weights == NULL || *weights == '\0')
    return rv_cli_usage_error (COMMAND, "--weights FILE is required: the safetensors file of the model");
  if (act && !rv_activation_from_name (act, &fallback))
    return rv_cli_usage_error (COMMAND, "unknown activation \"%s\" (known: identity, tanh, relu, "
                               "leaky-relu, elu, gelu, sigmoid, silu)", act);
  if (batch)
    {
      if (!rv_cli_parse_uint ("--batch", batch, 1, 60000, &v, &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
      cfg.batch = (uint32_t) v;
    }
  if (bins)
    {
      if (!rv_cli_parse_uint ("--bins", bins, 1, 10000, &v, &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
      cfg.bins = (uint32_t) v;
    }
  if (seed)
    {
      if (!rv_cli_parse_uint ("--seed", seed, 0, G_MAXUINT64, &v, &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
      cfg.seed = v;
    }
  if (probe)
    {
      if (g_strcmp0 (probe, "head") == 0)
        cfg.source = RV_PROBE_HEAD;
      else if (g_strcmp0 (probe, "split") == 0)
        cfg.source = RV_PROBE_SPLIT;
      else
        return rv_cli_usage_error (COMMAND, "--probe expects head or split, not \"%s\"", probe);
    }

  /* The model first: a wrong file is found before any data is read. */
  g_auto (RvMlpWeightsInfo) info = { 0 };
  g_autoptr (RvNet) net = rv_mlp_weights_load (weights, fallback, &info, &error);
  if (net == NULL)
    return rv_cli_failure (COMMAND, error);
  cfg.net = net->cfg;
  if (!rv_net_config_check_size (&cfg.net, cfg.batch, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  g_autoptr (RvDataset) ds = rv_cli_open_dataset (COMMAND, data, synthetic, cfg.seed, &error);
  if (ds == NULL)
    return rv_cli_failure (COMMAND, error);

  RvProbeResult res;
  if (!rv_probe_run_net (net, &cfg, ds, &res, &error))
    return g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT)
             ? rv_cli_usage_error (COMMAND, "%s", error->message)
             : rv_cli_failure (COMMAND, error);
  g_autofree char *name = g_filename_display_name (weights);
  if (json)
    {
      g_autoptr (JsonNode) node = rv_probe_weights_result_to_json (&cfg, &res, name);
      rv_cli_print_json (node);
    }
  else
    print_table (&cfg, &res, name, &info);
  rv_probe_result_clear (&res);
  return rv_cli_finish_output (COMMAND);
}
