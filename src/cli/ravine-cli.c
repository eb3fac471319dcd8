/* ravine-cli: the headless face of Ravine.  Every subcommand runs the same
 * core the app runs. */
#include "rv-config.h"
#include "rv-cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*main) (int argc, char **argv);
  const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "init-stats", rv_cli_init_stats, "initialize a network and print per-layer statistics of one probe batch" },
  { "inspect", rv_cli_inspect, "load a model's weights file and print per-layer statistics of one probe batch" },
  { "dataset", rv_cli_dataset, "download, verify and describe the FashionMNIST files" },
  { "train", rv_cli_train, "train the network and save its checkpoint and results" },
  { "history", rv_cli_history, "print the layer history a saved run recorded while it trained" },
  { "bench", rv_cli_bench, "measure sgemm throughput and a training epoch against it" },
  { "landscape", rv_cli_landscape, "the loss of a saved run on a plane through its best parameters" },
  { "sharpness", rv_cli_sharpness, "the top eigenvalue of the loss's Hessian at a saved run's parameters" },
  { "surface", rv_cli_surface, "optimizer trajectories and grids on two-parameter loss surfaces" },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: ravine-cli SUBCOMMAND [OPTION...]\n\nSubcommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-12s %s\n", subcommands[i].name, subcommands[i].summary);
  fprintf (out, "\nRun \"ravine-cli SUBCOMMAND --help\" for its options.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? RV_EXIT_USAGE : RV_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("ravine-cli %s\n", PACKAGE_VERSION);
      return RV_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        /* The subcommand sees "ravine-cli NAME" as its program name. */
        g_autofree char *prgname = g_strdup_printf ("ravine-cli %s", subcommands[i].name);
        g_set_prgname (prgname);
        argv[1] = argv[0];
        return subcommands[i].main (argc - 1, argv + 1);
      }

  fprintf (stderr, "ravine-cli: unknown subcommand \"%s\" (see ravine-cli --help)\n", argv[1]);
  return RV_EXIT_USAGE;
}
