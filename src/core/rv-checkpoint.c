/* rv-checkpoint.c: saving and loading a network's parameters as safetensors. */
#include "rv-checkpoint.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-file.h"
#include "rv-safetensors.h"

/* The largest file that can hold n_params floats: the length, the largest
 * header the format allows, the data. */
static uint64_t
max_file_size (uint64_t n_params)
{
  return 8 + (uint64_t) RV_SAFETENSORS_MAX_HEADER + n_params * sizeof (float);
}

RvSafetensors *
rv_checkpoint_read_file (const char *path, uint64_t max_params, RvSafetensorsFlags flags, GError **error)
{
  size_t len = 0;
  /* Never a FIFO or a device, which would hang or never end. */
  char *contents = rv_file_read_all (path, max_file_size (max_params), &len, error);
  if (contents == NULL)
    return NULL;
  g_autofree char *name = g_filename_display_name (path);
  return rv_safetensors_parse_take_full (contents, len, name, flags, error);
}

gboolean
rv_checkpoint_check_finite (const RvSafetensors *st, const char *path, GError **error)
{
  for (size_t i = 0; i < rv_safetensors_get_n_tensors (st); i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);
      uint64_t count = rv_safetensor_n_elements (t);
      for (uint64_t k = 0; k < count; k++)
        if (!isfinite (t->data[k]))
          {
            g_autofree char *name = g_filename_display_name (path);
            g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                         "%s: tensor %s holds %s at element %" G_GUINT64_FORMAT, name, t->name,
                         isnan (t->data[k]) ? "NaN" : "an infinite value", k);
            return FALSE;
          }
    }
  return TRUE;
}

/* The network's tensors as the tutorial's state_dict names them (Linear l is
 * module 2l of its ModuleList): tensors[2l] is W_l, tensors[2l + 1] is b_l,
 * both pointing into net->params.  Returns their number; free the names with
 * free_names(). */
static size_t
net_tensors (const RvNet *net, RvSafetensor tensors[2 * RV_MAX_LINEAR])
{
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      RvSafetensor *w = &tensors[2 * l];
      RvSafetensor *b = &tensors[2 * l + 1];

      memset (w, 0, sizeof *w);
      w->name = g_strdup_printf ("layers.%u.weight", 2 * l);
      w->n_dims = 2;
      w->shape[0] = rv_net_fan_out (net, l);
      w->shape[1] = rv_net_fan_in (net, l);
      w->data = net->params + net->w_off[l];

      memset (b, 0, sizeof *b);
      b->name = g_strdup_printf ("layers.%u.bias", 2 * l);
      b->n_dims = 1;
      b->shape[0] = rv_net_fan_out (net, l);
      b->data = net->params + net->b_off[l];
    }
  return 2 * (size_t) net->cfg.n_linear;
}

static void
free_names (RvSafetensor *tensors, size_t n)
{
  for (size_t i = 0; i < n; i++)
    g_free ((char *) tensors[i].name);
}

gboolean
rv_checkpoint_save (const RvNet *net, const char *path, GHashTable *metadata, GError **error)
{
  RvSafetensor tensors[2 * RV_MAX_LINEAR];
  g_autoptr (GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *hidden = NULL;
  size_t n;
  gboolean ok;

  g_return_val_if_fail (net != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (metadata != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (all, key, value);
    }
  /* "pt" is what PyTorch tools expect of a state_dict file; the rest lets a
   * reader build the network before loading it. */
  hidden = rv_net_config_hidden_string (&net->cfg);
  g_hash_table_insert (all, "format", "pt");
  g_hash_table_insert (all, "ravine.hidden", hidden);
  g_hash_table_insert (all, "ravine.activation", (char *) rv_activation_name (net->cfg.act));

  n = net_tensors (net, tensors);
  ok = rv_safetensors_write (path, tensors, n, all, error);
  free_names (tensors, n);
  return ok;
}

/* "784-512-256-10" from the file's layers.0.weight, layers.2.weight, ... when
 * they chain up into a network; NULL when they do not. */
static char *
file_architecture (const RvSafetensors *st)
{
  g_autoptr (GString) s = NULL;
  uint64_t prev_out = 0;

  for (uint32_t l = 0;; l++)
    {
      g_autofree char *name = g_strdup_printf ("layers.%u.weight", 2 * l);
      const RvSafetensor *w = rv_safetensors_lookup (st, name);

      if (w == NULL)
        break;
      if (w->n_dims != 2 || (s != NULL && w->shape[1] != prev_out))
        return NULL;
      if (s == NULL)
        s = g_string_new (NULL);
      if (s->len == 0)
        g_string_append_printf (s, "%" G_GUINT64_FORMAT, w->shape[1]);
      g_string_append_printf (s, "-%" G_GUINT64_FORMAT, w->shape[0]);
      prev_out = w->shape[0];
    }
  return s != NULL ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static char *
net_architecture (const RvNet *net)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%u", net->cfg.sizes[0]);
  for (uint32_t l = 1; l <= net->cfg.n_linear; l++)
    g_string_append_printf (s, "-%u", net->cfg.sizes[l]);
  return g_string_free (s, FALSE);
}

static gboolean
same_shape (const RvSafetensor *a, const RvSafetensor *b)
{
  return a->n_dims == b->n_dims
         && memcmp (a->shape, b->shape, a->n_dims * sizeof a->shape[0]) == 0;
}

static gboolean
is_wanted (const char *name, const RvSafetensor *want, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (name, want[i].name) == 0)
      return TRUE;
  return FALSE;
}

/* The first way the file does not fit the network, or NULL when it fits. */
static char *
find_mismatch (const RvSafetensors *st, const RvSafetensor *want, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      const RvSafetensor *have = rv_safetensors_lookup (st, want[i].name);

      if (have == NULL)
        return g_strdup_printf ("missing tensor %s", want[i].name);
      if (!same_shape (have, &want[i]))
        {
          g_autofree char *have_shape = rv_safetensor_shape_string (have);
          g_autofree char *want_shape = rv_safetensor_shape_string (&want[i]);

          return g_strdup_printf ("%s has shape %s in the file but the network expects %s",
                                  want[i].name, have_shape, want_shape);
        }
    }

  for (size_t i = 0; i < rv_safetensors_get_n_tensors (st); i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);

      if (!is_wanted (t->name, want, n))
        return g_strdup_printf ("unexpected tensor %s", t->name);
    }
  return NULL;
}

gboolean
rv_checkpoint_load (RvNet *net, const char *path, GError **error)
{
  g_autoptr (RvSafetensors) st = NULL;
  RvSafetensor want[2 * RV_MAX_LINEAR];
  g_autofree char *problem = NULL;
  size_t n;

  g_return_val_if_fail (net != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  st = rv_checkpoint_read_file (path, net->n_params, RV_SAFETENSORS_F32_ONLY, error);
  if (st == NULL)
    return FALSE;

  n = net_tensors (net, want);
  problem = find_mismatch (st, want, n);
  free_names (want, n);

  if (problem != NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_autofree char *file_arch = file_architecture (st);
      g_autofree char *net_arch = net_architecture (net);

      /* When the layer sizes differ, say so: that is the usual cause. */
      if (file_arch != NULL && strcmp (file_arch, net_arch) != 0)
        g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT,
                     "%s: %s (the file holds a %s network; this one is %s)",
                     name, problem, file_arch, net_arch);
      else
        g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", name, problem);
      return FALSE;
    }

  /* A NaN or an infinity would train or evaluate to garbage silently. */
  if (!rv_checkpoint_check_finite (st, path, error))
    return FALSE;

  /* Everything fits: only now touch the network. */
  n = net_tensors (net, want);
  for (size_t i = 0; i < n; i++)
    {
      const RvSafetensor *have = rv_safetensors_lookup (st, want[i].name);

      /* want[i].data points into net->params, which is ours to write. */
      memcpy ((float *) want[i].data, have->data, rv_safetensor_n_elements (have) * sizeof (float));
    }
  free_names (want, n);
  return TRUE;
}

GHashTable *
rv_checkpoint_read_metadata (const char *path, GError **error)
{
  /* The largest network Ravine builds bounds the file. */
  g_autoptr (RvSafetensors) st = rv_checkpoint_read_file (path, RV_CHECKPOINT_MAX_PARAMS, RV_SAFETENSORS_F32_ONLY,
                                                          error);

  if (st == NULL)
    return NULL;
  return g_hash_table_ref (rv_safetensors_get_metadata (st));
}
