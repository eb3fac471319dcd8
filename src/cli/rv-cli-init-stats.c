/* rv-cli-init-stats.c: `ravine-cli init-stats`, the tutorial's first half in
 * one command: initialize, probe one batch, print per-layer variances. */
#include "rv-cli.h"

#include <stdio.h>

#include "rv-error.h"
#include "rv-probe.h"

#define COMMAND "init-stats"

static void
print_table (const RvProbeConfig *cfg, const RvProbeResult *res)
{
  g_autofree char *init = rv_init_to_string (&cfg->init);
  printf ("network ");
  for (uint32_t l = 0; l <= cfg->net.n_linear; l++)
    printf ("%s%u", l ? "-" : "", cfg->net.sizes[l]);
  printf (", %s, init %s, seed %" G_GUINT64_FORMAT "\n", rv_activation_name (cfg->net.act), init, cfg->seed);
  printf ("probe: %u images, %s, %s; cross-entropy loss %.6g\n\n", res->batch,
          cfg->source == RV_PROBE_HEAD ? "head of the training file" : "head of the training split",
          res->synthetic ? "synthetic data" : "FashionMNIST", res->loss);
  rv_cli_print_probe_table (cfg, res);
}

int
rv_cli_init_stats (int argc, char **argv)
{
  g_autofree char *act = NULL, *init = NULL, *hidden = NULL, *batch = NULL, *probe = NULL;
  g_autofree char *seed = NULL, *data = NULL, *bins = NULL;
  gboolean json = FALSE, synthetic = FALSE;
  GOptionEntry entries[] = {
    { "act", 0, 0, G_OPTION_ARG_STRING, &act, "Activation: identity, tanh, relu, leaky-relu, elu, gelu, sigmoid, silu (relu)", "NAME" },
    { "init", 0, 0, G_OPTION_ARG_STRING, &init, "Initializer: const:V, normal:STD, equal-var, xavier, kaiming, xavier-normal, kaiming-uniform, orthogonal, lsuv (kaiming)", "SPEC" },
    { "hidden", 0, 0, G_OPTION_ARG_STRING, &hidden, "Hidden layer sizes (512,256,256,128)", "N,N,..." },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch, "Probe batch size (1024)", "N" },
    { "probe", 0, 0, G_OPTION_ARG_STRING, &probe, "Probe images: head of the training file, or of the shuffled split (head)", "head|split" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed for weights and split (42)", "N" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder (default: $RAVINE_DATA_DIR, then the user cache)", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set", NULL },
    { "bins", 0, 0, G_OPTION_ARG_STRING, &bins, "Histogram bins (50)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Initializes the network, runs one probe batch forward and backward "
                     "with cross-entropy, and prints per-layer variances.", entries, &argc, &argv))
    return RV_EXIT_USAGE;

  RvProbeConfig cfg;
  g_autoptr (GError) error = NULL;
  guint64 v = 0;
  rv_probe_config_init_default (&cfg);
  if (act && !rv_activation_from_name (act, &cfg.net.act))
    return rv_cli_usage_error (COMMAND, "unknown activation \"%s\" (known: identity, tanh, relu, "
                               "leaky-relu, elu, gelu, sigmoid, silu)", act);
  if (hidden && !rv_net_config_parse_hidden (&cfg.net, hidden, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (init && !rv_init_parse (init, &cfg.init, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
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
  /* Before any data is read or memory taken: widths multiply. */
  if (!rv_net_config_check_size (&cfg.net, cfg.batch, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (probe)
    {
      if (g_strcmp0 (probe, "head") == 0)
        cfg.source = RV_PROBE_HEAD;
      else if (g_strcmp0 (probe, "split") == 0)
        cfg.source = RV_PROBE_SPLIT;
      else
        return rv_cli_usage_error (COMMAND, "--probe expects head or split, not \"%s\"", probe);
    }

  g_autoptr (RvDataset) ds = rv_cli_open_dataset (COMMAND, data, synthetic, cfg.seed, &error);
  if (ds == NULL)
    return rv_cli_failure (COMMAND, error);

  RvProbeResult res;
  if (!rv_probe_run (&cfg, ds, &res, &error))
    return g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT)
             ? rv_cli_usage_error (COMMAND, "%s", error->message)
             : rv_cli_failure (COMMAND, error);
  if (json)
    {
      g_autoptr (JsonNode) node = rv_probe_result_to_json (&cfg, &res);
      rv_cli_print_json (node);
    }
  else
    print_table (&cfg, &res);
  rv_probe_result_clear (&res);
  return rv_cli_finish_output (COMMAND);
}
