/* rv-cli-geometry.c: opening a saved run for `landscape` and `sharpness`. */
#include "rv-cli-geometry.h"

#include <stdio.h>
#include <string.h>

#include "rv-device.h"
#include "rv-error.h"

int
rv_cli_geometry_open (RvCliGeometry *geo, const char *command, const char *out, const char *name,
                      const char *data, gboolean synthetic, uint32_t images, const char *device_name)
{
  g_autoptr (GError) error = NULL;

  memset (geo, 0, sizeof *geo);
  if (out == NULL || name == NULL)
    return rv_cli_usage_error (command, "--out DIR and --name NAME are required");
  if (*name == '\0' || *name == '.' || strchr (name, '/') != NULL)
    return rv_cli_usage_error (command, "--name \"%s\" must be a plain file name", name);
  RvDevice device = RV_DEVICE_AUTO;
  if (device_name && !rv_device_from_name (device_name, &device))
    return rv_cli_usage_error (command, "unknown device \"%s\" (known: auto, cpu, cuda)", device_name);
  if (!rv_run_exists (out, name))
    return rv_cli_usage_error (command, "no saved run %s in %s (ravine-cli train --out %s --name %s saves one)",
                               name, out, out, name);
  if (!rv_run_load (out, name, &geo->cfg, &geo->res, &geo->best, &error))
    return rv_cli_failure (command, error);

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

void
rv_cli_geometry_clear (RvCliGeometry *geo)
{
  g_clear_pointer (&geo->loss_set, rv_loss_set_free);
  g_clear_pointer (&geo->eval_net, rv_net_free);
  g_clear_pointer (&geo->best, rv_net_free);
  g_clear_pointer (&geo->ds, rv_dataset_free);
  rv_train_results_clear (&geo->res);
}
