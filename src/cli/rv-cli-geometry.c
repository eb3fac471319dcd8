/* rv-cli-geometry.c: opening a saved run or a weights file for `landscape`
 * and `sharpness`. */
#include "rv-cli-geometry.h"

#include <stdio.h>
#include <string.h>

#include "rv-device.h"
#include "rv-error.h"

/* The run's network and best parameters; RV_EXIT_OK or the exit status. */
static int
open_run (RvCliGeometry *geo, const char *command, const char *out, const char *name)
{
  g_autoptr (GError) error = NULL;

  if (out == NULL || name == NULL)
    return rv_cli_usage_error (command, "either --out DIR and --name NAME (a saved run) or --weights FILE "
                               "(a model's weights) is required");
  if (*name == '\0' || *name == '.' || strchr (name, '/') != NULL)
    return rv_cli_usage_error (command, "--name \"%s\" must be a plain file name", name);
  if (!rv_run_exists (out, name))
    return rv_cli_usage_error (command, "no saved run %s in %s (ravine-cli train --out %s --name %s saves one)",
                               name, out, out, name);
  if (!rv_run_load (out, name, &geo->cfg, &geo->res, &geo->best, &error))
    return rv_cli_failure (command, error);
  geo->name = g_strdup (name);
  return RV_EXIT_OK;
}

/* Any MLP checkpoint: its network, with the default seed for the data. */
static int
open_weights (RvCliGeometry *geo, const char *command, const char *weights, const char *act_name)
{
  g_autoptr (GError) error = NULL;
  RvActivation act = RV_ACT_RELU;

  if (*weights == '\0')
    return rv_cli_usage_error (command, "--weights needs a file: the safetensors file of the model");
  if (act_name && !rv_activation_from_name (act_name, &act))
    return rv_cli_usage_error (command, "unknown activation \"%s\" (known: identity, tanh, relu, "
                               "leaky-relu, elu, gelu, sigmoid, silu)", act_name);
  geo->best = rv_mlp_weights_load (weights, act, &geo->info, &error);
  if (geo->best == NULL)
    return rv_cli_failure (command, error);
  rv_train_config_init_default (&geo->cfg);
  geo->cfg.net = geo->best->cfg;
  g_autofree char *base = g_path_get_basename (weights);
  if (g_str_has_suffix (base, ".safetensors") && strlen (base) > strlen (".safetensors"))
    base[strlen (base) - strlen (".safetensors")] = '\0';
  geo->name = g_filename_display_name (base);
  geo->from_weights = TRUE;
  return RV_EXIT_OK;
}

int
rv_cli_geometry_open (RvCliGeometry *geo, const char *command, const RvCliGeometrySource *src,
                      const char *data, gboolean synthetic, uint32_t images, const char *device_name)
{
  g_autoptr (GError) error = NULL;

  memset (geo, 0, sizeof *geo);
  if (src->weights && (src->out || src->name))
    return rv_cli_usage_error (command, "--weights FILE takes the place of --out and --name: give one or the other");
  if (!src->weights && src->act)
    return rv_cli_usage_error (command, "--act is for --weights FILE; a saved run knows its activation");
  RvDevice device = RV_DEVICE_AUTO;
  if (device_name && !rv_device_from_name (device_name, &device))
    return rv_cli_usage_error (command, "unknown device \"%s\" (known: auto, cpu, cuda)", device_name);
  int status = src->weights ? open_weights (geo, command, src->weights, src->act)
                            : open_run (geo, command, src->out, src->name);
  if (status != RV_EXIT_OK)
    return status;

  geo->ds = rv_cli_open_dataset (command, data, synthetic, geo->cfg.seed, &error);
  if (geo->ds == NULL)
    return rv_cli_failure (command, error);
  if (images > geo->ds->train_full->n)
    return rv_cli_usage_error (command, "--images %u: the training file holds %u images", images,
                               geo->ds->train_full->n);

  g_autofree char *note = NULL;
  const RvBackend *backend = rv_device_backend (device, &note, &error);
  if (backend == NULL)
    return rv_cli_failure (command, error);
  if (note)
    fprintf (stderr, "ravine-cli %s: %s\n", command, note);
  geo->eval_net = rv_net_new (&geo->cfg.net, backend);
  geo->loss_set = rv_loss_set_new (geo->eval_net, geo->ds->train_full, images, &error);
  if (geo->loss_set == NULL)
    return rv_cli_failure (command, error);
  return RV_EXIT_OK;
}

char *
rv_cli_geometry_tensor_name (const RvCliGeometry *geo, uint32_t layer, gboolean bias)
{
  if (geo->from_weights)
    return rv_mlp_weights_tensor_name (&geo->info, layer, bias);
  /* As rv-checkpoint saves a run: the tutorial's ModuleList, Linear l at 2l. */
  return g_strdup_printf ("layers.%u.%s", 2 * layer, bias ? "bias" : "weight");
}

void
rv_cli_geometry_clear (RvCliGeometry *geo)
{
  g_clear_pointer (&geo->loss_set, rv_loss_set_free);
  g_clear_pointer (&geo->eval_net, rv_net_free);
  g_clear_pointer (&geo->best, rv_net_free);
  g_clear_pointer (&geo->ds, rv_dataset_free);
  g_clear_pointer (&geo->name, g_free);
  rv_mlp_weights_info_clear (&geo->info);
  rv_train_results_clear (&geo->res);
}
