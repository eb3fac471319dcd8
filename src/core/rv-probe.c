/* rv-probe.c: one probe batch through a freshly initialized network, or a
 * given one. */
#include "rv-probe.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

void
rv_probe_config_init_default (RvProbeConfig *cfg)
{
  static const uint32_t hidden[] = { 512, 256, 256, 128 };
  memset (cfg, 0, sizeof *cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
  cfg->init.kind = RV_INIT_KAIMING;
  cfg->seed = 42;
  cfg->batch = 1024;
  cfg->source = RV_PROBE_HEAD;
  cfg->bins = RV_DEFAULT_BINS;
}

void
rv_probe_result_clear (RvProbeResult *res)
{
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      rv_stats_clear (&res->activation[l]);
      rv_stats_clear (&res->gradient[l]);
      rv_stats_clear (&res->weight[l]);
    }
  memset (res, 0, sizeof *res);
}

const RvStats *
rv_probe_result_stats (const RvProbeResult *res, RvProbeKind kind, uint32_t l)
{
  switch (kind)
    {
    case RV_PROBE_WEIGHT: return &res->weight[l];
    case RV_PROBE_GRADIENT: return &res->gradient[l];
    case RV_PROBE_ACTIVATION:
    case RV_PROBE_N_KINDS:
    default: return &res->activation[l];
    }
}

static void
estimate_density (RvProbeResult *out, RvProbeKind kind, uint32_t l, const float *values, size_t n)
{
  const RvStats *s = rv_probe_result_stats (out, kind, l);
  double *x = out->kde_x[kind][l];
  for (int i = 0; i < RV_PROBE_KDE_POINTS; i++)
    x[i] = s->lo + (s->hi - s->lo) * i / (RV_PROBE_KDE_POINTS - 1);
  rv_kde_evaluate (values, n, 0.0, x, RV_PROBE_KDE_POINTS, out->kde_y[kind][l]);
}

char *
rv_probe_activation_name (uint32_t l)
{
  return g_strdup_printf ("Layer %u", 2 * l);
}

char *
rv_probe_weight_name (uint32_t l)
{
  return g_strdup_printf ("layers.%u.weight", 2 * l);
}

/* The probe batch that cfg asks for, in x and labels (g_free them). */
static gboolean
gather_batch (const RvProbeConfig *cfg, const RvDataset *data, float **x, uint8_t **labels, GError **error)
{
  const RvImageSet *set = data->train_full;
  const uint32_t available = cfg->source == RV_PROBE_HEAD ? set->n : data->n_train;

  if (cfg->batch < 1 || cfg->batch > available)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "probe batch of %u images: the %s holds %u", cfg->batch,
                   cfg->source == RV_PROBE_HEAD ? "training file" : "training split", available);
      return FALSE;
    }
  if (cfg->bins < 1 || cfg->bins > 10000)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "%u histogram bins: use 1 to 10000", cfg->bins);
      return FALSE;
    }

  g_autofree uint32_t *indices = g_new (uint32_t, cfg->batch);
  for (uint32_t i = 0; i < cfg->batch; i++)
    indices[i] = cfg->source == RV_PROBE_HEAD ? i : data->train_index[i];
  *x = g_new (float, (size_t) cfg->batch * RV_IMAGE_PIXELS);
  *labels = g_new (uint8_t, cfg->batch);
  rv_dataset_gather (set, indices, cfg->batch, *x, *labels);
  return TRUE;
}

/* One batch forward and backward through net, and the figures of it. */
static void
probe_batch (RvNet *net, const RvProbeConfig *cfg, const RvDataset *data, const float *x, const uint8_t *labels,
             RvProbeResult *out)
{
  int correct = 0;

  rv_net_zero_grad (net);
  out->loss = rv_net_loss (net, x, labels, cfg->batch, TRUE, &correct);
  out->correct = (uint32_t) correct;

  out->n_linear = net->cfg.n_linear;
  out->batch = cfg->batch;
  out->synthetic = data->synthetic;
  for (uint32_t l = 0; l < out->n_linear; l++)
    {
      out->fan_in[l] = rv_net_fan_in (net, l);
      out->fan_out[l] = rv_net_fan_out (net, l);
      const size_t n_act = (size_t) cfg->batch * out->fan_out[l], n_w = rv_net_weight_count (net, l);
      const float *w = net->params + net->w_off[l], *g = net->grads + net->w_off[l];
      rv_stats_compute (&out->activation[l], net->z[l], n_act, cfg->bins);
      rv_stats_compute (&out->gradient[l], g, n_w, cfg->bins);
      rv_stats_compute (&out->weight[l], w, n_w, cfg->bins);
      if (cfg->kde)
        {
          estimate_density (out, RV_PROBE_WEIGHT, l, w, n_w);
          estimate_density (out, RV_PROBE_GRADIENT, l, g, n_w);
          estimate_density (out, RV_PROBE_ACTIVATION, l, net->z[l], n_act);
        }
    }
}

gboolean
rv_probe_run (const RvProbeConfig *cfg, const RvDataset *data, RvProbeResult *out, GError **error)
{
  g_autofree float *x = NULL;
  g_autofree uint8_t *labels = NULL;

  memset (out, 0, sizeof *out);
  if (!gather_batch (cfg, data, &x, &labels, error))
    return FALSE;

  g_autoptr (RvNet) net = rv_net_new (&cfg->net, rv_backend_cpu ());
  if (!rv_init_apply (net, &cfg->init, cfg->seed, x, cfg->batch, error))
    return FALSE;
  probe_batch (net, cfg, data, x, labels, out);
  return TRUE;
}

gboolean
rv_probe_run_net (RvNet *net, const RvProbeConfig *cfg, const RvDataset *data, RvProbeResult *out,
                  GError **error)
{
  g_autofree float *x = NULL;
  g_autofree uint8_t *labels = NULL;

  g_return_val_if_fail (net->cfg.n_linear == cfg->net.n_linear, FALSE);

  memset (out, 0, sizeof *out);
  if (!gather_batch (cfg, data, &x, &labels, error))
    return FALSE;
  probe_batch (net, cfg, data, x, labels, out);
  return TRUE;
}

/* JSON has no NaN or Infinity: a non-finite figure is written as null. */
static void
add_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_stats (JsonBuilder *b, const char *member, const RvStats *s)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, (gint64) s->n);
  add_number (b, "mean", s->mean);
  add_number (b, "variance", s->variance);
  add_number (b, "min", s->min);
  add_number (b, "max", s->max);
  json_builder_set_member_name (b, "histogram");
  json_builder_begin_object (b);
  add_number (b, "lo", s->lo);
  add_number (b, "hi", s->hi);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (uint32_t i = 0; i < s->n_bins; i++)
    json_builder_add_int_value (b, (gint64) s->counts[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

typedef enum { PICK_ACTIVATION, PICK_GRADIENT, PICK_WEIGHT } Pick;

static void
add_variances (JsonBuilder *b, const char *member, const RvProbeResult *res, Pick pick)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_autofree char *name = pick == PICK_ACTIVATION ? rv_probe_activation_name (l) : rv_probe_weight_name (l);
      const RvStats *s = pick == PICK_ACTIVATION ? &res->activation[l]
                         : pick == PICK_GRADIENT ? &res->gradient[l] : &res->weight[l];
      add_number (b, name, s->variance);
    }
  json_builder_end_object (b);
}

/* weights: the file the network came from, written in place of "init";
 * NULL for an initialized network. */
static JsonNode *
result_to_json (const RvProbeConfig *cfg, const RvProbeResult *res, const char *weights)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *init = rv_init_to_string (&cfg->init);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_add_string_value (b, res->synthetic ? "synthetic" : "fashion-mnist");
  json_builder_set_member_name (b, "act_fn");
  json_builder_add_string_value (b, rv_activation_name (cfg->net.act));
  json_builder_set_member_name (b, weights ? "weights" : "init");
  json_builder_add_string_value (b, weights ? weights : init);
  json_builder_set_member_name (b, "hidden_sizes");
  json_builder_begin_array (b);
  for (uint32_t l = 1; l < cfg->net.n_linear; l++)
    json_builder_add_int_value (b, cfg->net.sizes[l]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) cfg->seed);
  json_builder_set_member_name (b, "batch");
  json_builder_add_int_value (b, res->batch);
  json_builder_set_member_name (b, "probe");
  json_builder_add_string_value (b, cfg->source == RV_PROBE_HEAD ? "head" : "split");
  add_number (b, "loss", res->loss);
  add_number (b, "accuracy", res->batch ? (double) res->correct / res->batch : 0.0);

  add_variances (b, "activation_variance", res, PICK_ACTIVATION);
  add_variances (b, "gradient_variance", res, PICK_GRADIENT);
  add_variances (b, "weight_variance", res, PICK_WEIGHT);

  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (uint32_t l = 0; l < res->n_linear; l++)
    {
      g_autofree char *act_name = rv_probe_activation_name (l);
      g_autofree char *w_name = rv_probe_weight_name (l);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, act_name);
      json_builder_set_member_name (b, "weight_name");
      json_builder_add_string_value (b, w_name);
      json_builder_set_member_name (b, "fan_in");
      json_builder_add_int_value (b, res->fan_in[l]);
      json_builder_set_member_name (b, "fan_out");
      json_builder_add_int_value (b, res->fan_out[l]);
      add_stats (b, "activation", &res->activation[l]);
      add_stats (b, "gradient", &res->gradient[l]);
      add_stats (b, "weight", &res->weight[l]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
rv_probe_result_to_json (const RvProbeConfig *cfg, const RvProbeResult *res)
{
  return result_to_json (cfg, res, NULL);
}

JsonNode *
rv_probe_weights_result_to_json (const RvProbeConfig *cfg, const RvProbeResult *res, const char *weights)
{
  g_return_val_if_fail (weights != NULL, NULL);

  return result_to_json (cfg, res, weights);
}

char *
rv_probe_result_to_csv (const RvProbeResult *res)
{
  static const char *const kinds[RV_PROBE_N_KINDS] = { "weight", "gradient", "activation" };
  GString *out = g_string_new ("layer,name,fan_in,fan_out,tensor,n,mean,variance,min,max,hist_lo,hist_hi,counts\n");
  for (uint32_t l = 0; l < res->n_linear; l++)
    for (int k = 0; k < RV_PROBE_N_KINDS; k++)
      {
        const RvStats *s = rv_probe_result_stats (res, k, l);
        g_autofree char *name = k == RV_PROBE_ACTIVATION ? rv_probe_activation_name (l) : rv_probe_weight_name (l);
        char num[6][G_ASCII_DTOSTR_BUF_SIZE];
        const double values[6] = { s->mean, s->variance, s->min, s->max, s->lo, s->hi };
        for (int i = 0; i < 6; i++)
          g_ascii_formatd (num[i], sizeof num[i], "%.17g", values[i]);
        g_string_append_printf (out, "%u,%s,%u,%u,%s,%" G_GUINT64_FORMAT ",%s,%s,%s,%s,%s,%s,", 2 * l, name,
                                res->fan_in[l], res->fan_out[l], kinds[k], s->n,
                                num[0], num[1], num[2], num[3], num[4], num[5]);
        for (uint32_t b = 0; b < s->n_bins; b++)
          g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, b ? " " : "", s->counts[b]);
        g_string_append_c (out, '\n');
      }
  return g_string_free (out, FALSE);
}
