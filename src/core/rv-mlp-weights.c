/* rv-mlp-weights.c: reading a PyTorch MLP's state_dict into a network. */
#include "rv-mlp-weights.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-json-read.h"
#include "rv-run-files.h"

/* As rv-run-files reads its configs. */
#define CONFIG_MAX_SIZE ((uint64_t) 16 << 20)
#define MAX_WIDTH 65536

typedef struct {
  guint64 index;
  const RvSafetensor *weight, *bias;
} Layer;

static gboolean fail (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *path, const char *format, ...)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RV_ERROR, RV_ERROR_CHECKPOINT, "%s: %s", name, message);
  return FALSE;
}

void
rv_mlp_weights_info_clear (RvMlpWeightsInfo *info)
{
  g_clear_pointer (&info->prefix, g_free);
  g_clear_pointer (&info->config_path, g_free);
  memset (info, 0, sizeof *info);
}

char *
rv_mlp_weights_tensor_name (const RvMlpWeightsInfo *info, uint32_t layer, gboolean bias)
{
  g_return_val_if_fail (layer < info->n_layers, NULL);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", info->prefix, info->index[layer], bias ? "bias" : "weight");
}

char *
rv_mlp_weights_config_path (const char *path)
{
  if (g_str_has_suffix (path, ".safetensors"))
    {
      g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".safetensors"));
      return g_strconcat (stem, ".config", NULL);
    }
  return g_strconcat (path, ".config", NULL);
}

/* Splits "layers.2.weight" into "layers.", 2 and TRUE (a weight); FALSE for
 * a name that is no Linear layer's weight or bias.  The index is decimal,
 * without leading zeros, so that each layer has one spelling. */
static gboolean
split_name (const char *name, char **prefix, guint64 *index, gboolean *is_weight)
{
  const char *dot = strrchr (name, '.');
  const char *digits;

  if (dot == NULL || (strcmp (dot, ".weight") != 0 && strcmp (dot, ".bias") != 0))
    return FALSE;
  digits = dot;
  while (digits > name && g_ascii_isdigit (digits[-1]))
    digits--;
  if (digits == dot || dot - digits > 9 || (digits[0] == '0' && dot - digits > 1))
    return FALSE;
  *index = g_ascii_strtoull (digits, NULL, 10);
  *prefix = g_strndup (name, digits - name);
  *is_weight = strcmp (dot, ".weight") == 0;
  return TRUE;
}

static int
compare_layers (const void *a, const void *b)
{
  const Layer *x = a, *y = b;

  return x->index < y->index ? -1 : x->index > y->index;
}

/* The file's tensors grouped into layers, in index order; NULL on a name
 * that does not fit. */
static GArray *
collect_layers (const RvSafetensors *st, const char *path, char **prefix_out, GError **error)
{
  g_autoptr (GArray) layers = g_array_new (FALSE, TRUE, sizeof (Layer));
  g_autofree char *prefix = NULL;
  const char *first = NULL;

  for (size_t i = 0; i < rv_safetensors_get_n_tensors (st); i++)
    {
      const RvSafetensor *t = rv_safetensors_get_tensor (st, i);
      g_autofree char *p = NULL;
      guint64 index;
      gboolean is_weight;
      Layer *layer = NULL;

      if (!split_name (t->name, &p, &index, &is_weight))
        {
          fail (error, path, "tensor %s is not a Linear layer's weight or bias: expected names such as "
                "layers.0.weight, 0.bias or fc1.weight", t->name);
          return NULL;
        }
      if (prefix == NULL)
        {
          prefix = g_steal_pointer (&p);
          first = t->name;
        }
      else if (strcmp (p, prefix) != 0)
        {
          fail (error, path, "tensor %s does not belong with %s: expected every tensor to be named "
                "%sN.weight or %sN.bias", t->name, first, prefix, prefix);
          return NULL;
        }

      for (guint k = 0; k < layers->len && layer == NULL; k++)
        if (g_array_index (layers, Layer, k).index == index)
          layer = &g_array_index (layers, Layer, k);
      if (layer == NULL)
        {
          Layer fresh = { index, NULL, NULL };

          if (layers->len == RV_MAX_LINEAR)
            {
              fail (error, path, "tensor %s: the file has more than %d Linear layers, the most Ravine runs",
                    t->name, RV_MAX_LINEAR);
              return NULL;
            }
          g_array_append_val (layers, fresh);
          layer = &g_array_index (layers, Layer, layers->len - 1);
        }
      if (is_weight)
        layer->weight = t;
      else
        layer->bias = t;
    }

  if (layers->len == 0)
    {
      fail (error, path, "the file holds no tensors: expected the weights and biases of Linear layers");
      return NULL;
    }
  g_array_sort (layers, compare_layers);
  *prefix_out = g_steal_pointer (&prefix);
  return g_steal_pointer (&layers);
}

/* Checks that the layers chain 784 -> ... -> 10; fills cfg's sizes. */
static gboolean
check_layers (const GArray *layers, const char *prefix, const char *path, RvNetConfig *cfg, GError **error)
{
  uint32_t hidden[RV_MAX_LINEAR];

  for (guint l = 0; l < layers->len; l++)
    {
      const Layer *layer = &g_array_index (layers, Layer, l);
      const RvSafetensor *w = layer->weight, *b = layer->bias;
      g_autofree char *w_shape = NULL;
      g_autofree char *b_shape = NULL;

      if (w == NULL)
        return fail (error, path, "tensor %s has no weight beside it: expected a tensor %s%" G_GUINT64_FORMAT
                     ".weight [out, in]", b->name, prefix, layer->index);
      w_shape = rv_safetensor_shape_string (w);
      if (w->n_dims != 2)
        return fail (error, path, "tensor %s has shape %s: expected a Linear layer's 2-D weight [out, in]%s",
                     w->name, w_shape, w->n_dims == 4 ? " (a 4-D tensor is a convolution's, which Ravine cannot run)" : "");
      if (w->shape[0] < 1 || w->shape[0] > MAX_WIDTH || w->shape[1] < 1)
        return fail (error, path, "tensor %s has shape %s: expected 1 to %d outputs and at least one input",
                     w->name, w_shape, MAX_WIDTH);
      if (b == NULL)
        return fail (error, path, "tensor %s has no bias: expected a tensor %s%" G_GUINT64_FORMAT
                     ".bias [%" G_GUINT64_FORMAT "] beside it", w->name, prefix, layer->index, w->shape[0]);
      b_shape = rv_safetensor_shape_string (b);
      if (b->n_dims != 1 || b->shape[0] != w->shape[0])
        return fail (error, path, "tensor %s has shape %s: expected [%" G_GUINT64_FORMAT "], one bias for each "
                     "output of %s", b->name, b_shape, w->shape[0], w->name);
      if (l == 0 && w->shape[1] != RV_INPUT_SIZE)
        return fail (error, path, "tensor %s, the first layer's weight, has shape %s: expected %d inputs "
                     "(28 × 28 images), [%" G_GUINT64_FORMAT ", %d]",
                     w->name, w_shape, RV_INPUT_SIZE, w->shape[0], RV_INPUT_SIZE);
      if (l > 0)
        {
          const RvSafetensor *prev = g_array_index (layers, Layer, l - 1).weight;

          if (w->shape[1] != prev->shape[0])
            return fail (error, path, "tensor %s has shape %s: expected [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                         "], since %s gives %" G_GUINT64_FORMAT " outputs",
                         w->name, w_shape, w->shape[0], prev->shape[0], prev->name, prev->shape[0]);
        }
      if (l + 1 == layers->len && w->shape[0] != 10)
        return fail (error, path, "tensor %s, the last layer's weight, has shape %s: expected 10 outputs "
                     "(the classes), [10, %" G_GUINT64_FORMAT "]", w->name, w_shape, w->shape[1]);
      if (l + 1 < layers->len)
        hidden[l] = (uint32_t) w->shape[0];
    }
  rv_net_config_init (cfg, cfg->act, hidden, layers->len - 1);
  return TRUE;
}

static char *
architecture (const RvNetConfig *cfg)
{
  GString *s = g_string_new (NULL);

  for (uint32_t l = 0; l <= cfg->n_linear; l++)
    g_string_append_printf (s, "%s%u", l ? "-" : "", cfg->sizes[l]);
  return g_string_free (s, FALSE);
}

/* The activation from the config beside the file, which must describe the
 * file's layers; *found says whether there is one. */
static gboolean
read_config (const char *path, const char *config_path, RvNetConfig *cfg, gboolean *found, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) local = NULL;
  RvTrainConfig train;

  *found = g_file_test (config_path, G_FILE_TEST_EXISTS);
  if (!*found)
    return TRUE;
  node = rv_json_read_file (config_path, CONFIG_MAX_SIZE, &local);
  if (node == NULL)
    {
      g_set_error_literal (error, RV_ERROR, g_error_matches (local, RV_ERROR, RV_ERROR_IO) ? RV_ERROR_IO
                                                                                           : RV_ERROR_CHECKPOINT,
                           local->message);
      return FALSE;
    }
  if (!rv_train_config_from_json (node, &train, &local))
    return fail (error, config_path, "%s", local->message);
  if (train.net.n_linear != cfg->n_linear
      || memcmp (train.net.sizes, cfg->sizes, (cfg->n_linear + 1) * sizeof cfg->sizes[0]) != 0)
    {
      g_autofree char *have = architecture (cfg);
      g_autofree char *want = architecture (&train.net);
      g_autofree char *name = g_filename_display_name (path);

      return fail (error, config_path, "describes a %s network, but %s beside it holds a %s one", want, name, have);
    }
  cfg->act = train.net.act;
  return TRUE;
}

RvNet *
rv_mlp_weights_load (const char *path, RvActivation act, RvMlpWeightsInfo *info, GError **error)
{
  g_autoptr (RvSafetensors) st = NULL;
  g_autoptr (GArray) layers = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *config_path = NULL;
  g_autoptr (RvNet) net = NULL;
  RvNetConfig cfg = { .act = act };
  gboolean has_config;

  g_return_val_if_fail (path != NULL, NULL);

  st = rv_checkpoint_read_file (path, RV_CHECKPOINT_MAX_PARAMS, RV_SAFETENSORS_ACCEPT_HALF, error);
  if (st == NULL)
    return NULL;
  layers = collect_layers (st, path, &prefix, error);
  if (layers == NULL || !check_layers (layers, prefix, path, &cfg, error))
    return NULL;
  if (!rv_checkpoint_check_finite (st, path, error))
    return NULL;
  if (!rv_net_config_check_size (&cfg, 1, error))
    return NULL;

  config_path = rv_mlp_weights_config_path (path);
  if (!read_config (path, config_path, &cfg, &has_config, error))
    return NULL;

  net = rv_net_new (&cfg, rv_backend_cpu ());
  for (guint l = 0; l < layers->len; l++)
    {
      const Layer *layer = &g_array_index (layers, Layer, l);

      memcpy (net->params + net->w_off[l], layer->weight->data, rv_net_weight_count (net, l) * sizeof (float));
      memcpy (net->params + net->b_off[l], layer->bias->data, rv_net_fan_out (net, l) * sizeof (float));
    }

  if (info != NULL)
    {
      info->prefix = g_steal_pointer (&prefix);
      info->n_layers = layers->len;
      for (guint l = 0; l < layers->len; l++)
        info->index[l] = g_array_index (layers, Layer, l).index;
      info->dtype = g_array_index (layers, Layer, 0).weight->dtype;
      info->config_path = has_config ? g_steal_pointer (&config_path) : NULL;
    }
  return g_steal_pointer (&net);
}
