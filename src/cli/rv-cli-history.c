/* rv-cli-history.c: `ravine-cli history`, the layer history a saved run
 * recorded while it trained (rv-history.h), as a summary or as JSON. */
#include "rv-cli.h"

#include <math.h>
#include <stdio.h>

#include "rv-error.h"
#include "rv-history.h"
#include "rv-probe.h"
#include "rv-run-files.h"

#define COMMAND "history"

static void
print_summary (const char *name, const RvHistory *h)
{
  guint n = rv_history_get_n (h);
  const RvSnapshot *first = rv_history_get (h, 0), *last = rv_history_get (h, n - 1);
  printf ("%s: %u snapshots, every %u steps (steps %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
          ", %u per epoch), %u bins\n\n", name, n, h->every, first->step, last->step, h->steps_per_epoch, h->bins);
  printf ("%-18s %-6s %13s %13s %13s %11s %12s\n", "layer", "step", "weight var", "gradient var",
          "activation var", "grad norm", "update ratio");
  for (uint32_t l = 0; l < h->net.n_linear; l++)
    {
      g_autofree char *layer = rv_probe_weight_name (l);
      const RvSnapshot *ends[2] = { first, last };
      for (int e = 0; e < (n > 1 ? 2 : 1); e++)
        {
          const RvSnapshot *s = ends[e];
          printf ("%-18s %-6" G_GUINT64_FORMAT " %13.6g %13.6g %13.6g %11.4g %12.4g\n", e == 0 ? layer : "",
                  s->step, s->weight[l].variance, s->gradient[l].variance, s->activation[l].variance,
                  s->grad_norm[l], s->update_ratio[l]);
        }
    }
}

int
rv_cli_history (int argc, char **argv)
{
  g_autofree char *out = NULL, *name = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder of the saved run (required)", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the run (required)", "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the whole history as one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Prints the layer history that a saved run recorded while it trained "
                     "(NAME_history.json).", entries, &argc, &argv))
    return RV_EXIT_USAGE;
  if (out == NULL || name == NULL)
    return rv_cli_usage_error (COMMAND, "--out DIR and --name NAME are required");

  g_autoptr (GError) error = NULL;
  if (!rv_run_exists (out, name))
    return rv_cli_usage_error (COMMAND, "no run named %s in %s", name, out);
  g_autoptr (RvHistory) history = NULL;
  if (!rv_run_load_history (out, name, &history, &error))
    return rv_cli_failure (COMMAND, error);
  if (history == NULL || rv_history_get_n (history) == 0)
    {
      fprintf (stderr, "ravine-cli %s: %s has no layer history (it was saved before Ravine recorded one, or "
               "trained with --history-every 0)\n", COMMAND, name);
      return RV_EXIT_FAILURE;
    }
  if (json)
    {
      g_autoptr (JsonNode) node = rv_history_to_json (history);
      rv_cli_print_json (node);
    }
  else
    print_summary (name, history);
  return rv_cli_finish_output (COMMAND);
}
