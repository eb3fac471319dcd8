/* rv-run-trajectory.c: saving and loading a run's parameter snapshots. */
#include "rv-run-trajectory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rv-error.h"
#include "rv-run-files.h"
#include "rv-safetensors.h"

gboolean
rv_run_trajectory_keeps_epoch (uint32_t epoch, uint32_t epochs)
{
  uint32_t every = (epochs + RV_RUN_TRAJECTORY_MAX_POINTS - 1) / RV_RUN_TRAJECTORY_MAX_POINTS;
  return epoch == 0 || epoch == epochs || (every > 0 && epoch % every == 0);
}

char *
rv_run_trajectory_params_hash (const float *params, size_t n)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) params, n * sizeof (float));
}

/* Tensor t (0 .. 2·n_linear − 1) of a snapshot: W_l for even t, b_l for odd. */
static void
describe (const RvNet *layout, uint32_t t, const float *params, uint32_t epoch, RvSafetensor *out)
{
  uint32_t l = t / 2;
  memset (out, 0, sizeof *out);
  if (t % 2 == 0)
    {
      out->name = g_strdup_printf ("epoch.%u.layers.%u.weight", epoch, 2 * l);
      out->n_dims = 2;
      out->shape[0] = rv_net_fan_out (layout, l);
      out->shape[1] = rv_net_fan_in (layout, l);
      out->data = params ? params + layout->w_off[l] : NULL;
    }
  else
    {
      out->name = g_strdup_printf ("epoch.%u.layers.%u.bias", epoch, 2 * l);
      out->n_dims = 1;
      out->shape[0] = rv_net_fan_out (layout, l);
      out->data = params ? params + layout->b_off[l] : NULL;
    }
}

gboolean
rv_run_trajectory_save (const char *dir, const char *name, const RvNet *layout, const float *const *snapshots,
                        const uint32_t *epochs, uint32_t n, const float *best, GError **error)
{
  const uint32_t per = 2 * layout->cfg.n_linear;
  g_autofree RvSafetensor *tensors = g_new0 (RvSafetensor, (size_t) n * per);
  g_autoptr (GString) list = g_string_new (NULL);
  for (uint32_t k = 0; k < n; k++)
    {
      g_string_append_printf (list, "%s%u", k ? "," : "", epochs[k]);
      for (uint32_t t = 0; t < per; t++)
        describe (layout, t, snapshots[k], epochs[k], &tensors[(size_t) k * per + t]);
    }
  g_autofree char *hidden = rv_net_config_hidden_string (&layout->cfg);
  g_autofree char *hash = rv_run_trajectory_params_hash (best, layout->n_params);
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (meta, "format", "ravine-trajectory");
  g_hash_table_insert (meta, "ravine.hidden", hidden);
  g_hash_table_insert (meta, "ravine.activation", (char *) rv_activation_name (layout->cfg.act));
  g_hash_table_insert (meta, "ravine.epochs", list->str);
  g_hash_table_insert (meta, "ravine.params_sha256", hash);

  g_autofree char *path = rv_run_path (dir, name, RV_RUN_TRAJECTORY_SUFFIX);
  gboolean ok = rv_safetensors_write (path, tensors, (size_t) n * per, meta, error);
  for (size_t i = 0; i < (size_t) n * per; i++)
    g_free ((char *) tensors[i].name);
  return ok;
}

void
rv_run_trajectory_free (RvRunTrajectory *traj)
{
  if (traj == NULL)
    return;
  for (uint32_t k = 0; k < traj->n; k++)
    g_free (traj->params[k]);
  g_free (traj->params);
  g_free (traj->epochs);
  g_free (traj);
}

static int
compare_u32 (const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
  return x < y ? -1 : x > y;
}

/* The epoch k of a tensor named "epoch.<k>.<rest>", with *rest pointing
 * after the second dot; FALSE for any other name. */
static gboolean
parse_name (const char *name, uint32_t *k, const char **rest)
{
  if (!g_str_has_prefix (name, "epoch."))
    return FALSE;
  const char *digits = name + strlen ("epoch."), *dot = strchr (digits, '.');
  if (dot == NULL || dot == digits || dot - digits > 6)
    return FALSE;
  g_autofree char *number = g_strndup (digits, dot - digits);
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (number, 10, 0, 999999, &v, NULL))
    return FALSE;
  *k = (uint32_t) v;
  *rest = dot + 1;
  return TRUE;
}

RvRunTrajectory *
rv_run_trajectory_load (const char *dir, const char *name, const RvNet *net, GError **error)
{
  g_autofree char *path = rv_run_path (dir, name, RV_RUN_TRAJECTORY_SUFFIX);
  g_autofree char *shown = g_filename_display_name (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "run %s has no parameter snapshots (%s does not exist): use --directions random, or "
                   "retrain it (ravine-cli train --overwrite) to record them", name, shown);
      return NULL;
    }
  g_autoptr (RvSafetensors) st = rv_safetensors_read (path, error);
  if (st == NULL)
    return NULL;

  const uint32_t per = 2 * net->cfg.n_linear;
  const size_t n_tensors = rv_safetensors_get_n_tensors (st);
  if (n_tensors == 0 || n_tensors % per != 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                   "%s: %zu tensors, not a whole number of snapshots of %u tensors each", shown, n_tensors, per);
      return NULL;
    }
  /* The epochs are those of the weight tensors of layer 0. */
  g_autoptr (RvRunTrajectory) traj = g_new0 (RvRunTrajectory, 1);
  traj->epochs = g_new (uint32_t, n_tensors / per);
  for (size_t i = 0; i < n_tensors; i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);
      uint32_t k;
      const char *rest;
      if (!parse_name (t->name, &k, &rest))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: unexpected tensor %s", shown, t->name);
          return NULL;
        }
      if (strcmp (rest, "layers.0.weight") == 0 && traj->n < n_tensors / per)
        traj->epochs[traj->n++] = k;
    }
  qsort (traj->epochs, traj->n, sizeof (uint32_t), compare_u32);
  for (uint32_t k = 0; k + 1 < traj->n; k++)
    if (traj->epochs[k] == traj->epochs[k + 1])
      traj->n = 0; /* caught as a count mismatch below */
  if ((size_t) traj->n * per != n_tensors)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: the snapshots' tensors do not fit together", shown);
      traj->n = 0;
      return NULL;
    }

  /* Every snapshot has every tensor of the network, finite; with the count
   * above, nothing else is there. */
  const uint32_t n = traj->n;
  traj->params = g_new0 (float *, n);
  traj->n = 0;
  for (uint32_t k = 0; k < n; k++)
    {
      traj->params[k] = g_new (float, net->n_params);
      traj->n = k + 1;
      for (uint32_t t = 0; t < per; t++)
        {
          RvSafetensor want;
          describe (net, t, NULL, traj->epochs[k], &want);
          g_autofree char *want_name = (char *) want.name;
          const RvSafetensor *have = rv_safetensors_lookup (st, want_name);
          if (have == NULL || have->n_dims != want.n_dims
              || memcmp (have->shape, want.shape, want.n_dims * sizeof want.shape[0]) != 0)
            {
              g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s %s", shown, want_name,
                           have ? "does not have the network's shape" : "is missing");
              return NULL;
            }
          uint64_t count = rv_safetensor_n_elements (have);
          for (uint64_t e = 0; e < count; e++)
            if (!isfinite (have->data[e]))
              {
                g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s holds a non-finite value at element %"
                             G_GUINT64_FORMAT, shown, want_name, e);
                return NULL;
              }
          size_t off = t % 2 == 0 ? net->w_off[t / 2] : net->b_off[t / 2];
          memcpy (traj->params[k] + off, have->data, count * sizeof (float));
        }
    }

  const char *hash = g_hash_table_lookup (rv_safetensors_get_metadata (st), "ravine.params_sha256");
  g_autofree char *want_hash = rv_run_trajectory_params_hash (net->params, net->n_params);
  if (hash == NULL || strcmp (hash, want_hash) != 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                   "%s belongs to another training of %s (its recorded parameters are not those of %s.safetensors): "
                   "retrain it (ravine-cli train --overwrite) or use --directions random", shown, name, name);
      return NULL;
    }
  return g_steal_pointer (&traj);
}
