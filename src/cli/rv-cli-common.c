/* rv-cli-common.c: argument parsing and output shared by the subcommands. */
#include "rv-cli.h"
#include "rv-error.h"
#include "rv-json.h"
#include "rv-probe.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int
rv_cli_usage_error (const char *command, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "ravine-cli %s: %s\n", command, message);
  return RV_EXIT_USAGE;
}

int
rv_cli_failure (const char *command, const GError *error)
{
  fprintf (stderr, "ravine-cli %s: %s\n", command, error->message);
  return RV_EXIT_FAILURE;
}

gboolean
rv_cli_parse (const char *command, const char *summary, GOptionEntry *entries,
              int *argc, char ***argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      rv_cli_usage_error (command, "%s (see --help)", error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      rv_cli_usage_error (command, "unexpected argument \"%s\" (see --help)", (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
rv_cli_parse_double (const char *option, const char *text, double min, double max,
                     double *out, GError **error)
{
  char *end = NULL;
  errno = 0;
  double v = text ? g_ascii_strtod (text, &end) : 0.0;
  if (text == NULL || *text == '\0' || end == text || *end != '\0' || errno == ERANGE || !isfinite (v))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s expects a number, not \"%s\"", option, text ? text : "");
      return FALSE;
    }
  if (v < min || v > max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be between %g and %g, not %s", option, min, max, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
rv_cli_parse_uint (const char *option, const char *text, guint64 min, guint64 max,
                   guint64 *out, GError **error)
{
  guint64 v = 0;
  g_autoptr (GError) local = NULL;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, &v, &local))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s expects a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                   ", not \"%s\"", option, min, max, text ? text : "");
      return FALSE;
    }
  *out = v;
  return TRUE;
}

int
rv_cli_finish_output (const char *command)
{
  int errsv = 0;
  if (fflush (stdout) != 0)
    errsv = errno;
  if (errsv != 0 || ferror (stdout))
    {
      if (errsv != 0)
        fprintf (stderr, "ravine-cli %s: writing the output failed: %s\n", command, g_strerror (errsv));
      else
        fprintf (stderr, "ravine-cli %s: writing the output failed\n", command);
      return RV_EXIT_FAILURE;
    }
  return RV_EXIT_OK;
}

void
rv_cli_print_json (JsonNode *node)
{
  g_autofree char *text = rv_json_to_string (node, FALSE);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

RvDataset *
rv_cli_open_dataset (const char *command, const char *data_dir, gboolean synthetic,
                     guint64 seed, GError **error)
{
  if (synthetic)
    return rv_dataset_new_synthetic (60000, 10000, seed);

  if (data_dir != NULL && *data_dir == '\0')
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "--data is empty; give the FashionMNIST folder");
      return NULL;
    }
  /* The same decision `dataset info` reports. */
  g_autofree char *dir = NULL;
  switch (rv_dataset_plan (data_dir, &dir, NULL, error))
    {
    case RV_DATA_PLAN_SYNTHETIC:
      fprintf (stderr, "ravine-cli %s: FashionMNIST is not in %s; using the synthetic data set "
               "(ravine-cli dataset download fetches it; --data DIR or RAVINE_DATA_DIR names another folder)\n",
               command, dir);
      return rv_dataset_new_synthetic (60000, 10000, seed);
    case RV_DATA_PLAN_ERROR:
      return NULL;
    case RV_DATA_PLAN_FILES:
    default:
      return rv_dataset_load (dir, seed, error);
    }
}

void
rv_cli_print_probe_table (const RvProbeConfig *cfg, const RvProbeResult *res)
{
  /* f(z) of the hidden layers, and the share of it saturated or dead
   * where the activation has such a share */
  const RvActivation act = cfg->net.act;
  const char *fraction = rv_probe_act_saturates (act) ? "saturated" : rv_probe_act_dies (act) ? "dead units" : NULL;
  printf ("%-24s %16s %16s %16s %16s", "layer", "activation var", "gradient var", "weight var", "f(z) var");
  if (fraction)
    printf (" %10s", fraction);
  printf ("\n");
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_autofree char *name = rv_probe_activation_name (l);
      g_autofree char *label = g_strdup_printf ("%s (%u -> %u)", name, res->fan_in[l], res->fan_out[l]);
      printf ("%-24s %16.6g %16.6g %16.6g", label, res->activation[l].variance,
              res->gradient[l].variance, res->weight[l].variance);
      if (l + 1 == res->n_linear)
        {
          /* the logits: no activation follows */
          printf (" %16s", "-");
          if (fraction)
            printf (" %10s", "-");
        }
      else
        {
          printf (" %16.6g", res->post_activation[l].variance);
          if (fraction)
            printf (" %9.1f%%", 100.0 * (rv_probe_act_saturates (act) ? res->saturated_fraction[l]
                                                                      : res->dead_fraction[l]));
        }
      printf ("\n");
    }
}
