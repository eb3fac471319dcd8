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
      rv_stats_clear (&res->post_activation[l]);
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
    case RV_PROBE_POST_ACTIVATION: return &res->post_activation[l];
    case RV_PROBE_ACTIVATION:
    case RV_PROBE_N_KINDS:
    default: return &res->activation[l];
    }
}

uint32_t
rv_probe_result_n_layers (const RvProbeResult *res, RvProbeKind kind)
{
  if (kind == RV_PROBE_POST_ACTIVATION)
    return res->n_linear > 0 ? res->n_linear - 1 : 0;
  return res->n_linear;
}

gboolean
rv_probe_act_saturates (RvActivation act)
{
  return act == RV_ACT_TANH || act == RV_ACT_SIGMOID;
}

gboolean
rv_probe_act_dies (RvActivation act)
{
  return act == RV_ACT_RELU;
}

double
rv_probe_saturated_fraction (RvActivation act, const float *values, size_t n)
{
  if (!rv_probe_act_saturates (act) || n == 0)
    return NAN;
  /* tanh's range is [-1, 1], sigmoid's [0, 1]: 1 % of the bound's
   * distance from the centre in both cases */
  const double hi = 1.0 - RV_PROBE_SATURATION_MARGIN;
  const double lo = act == RV_ACT_TANH ? -hi : RV_PROBE_SATURATION_MARGIN;
  size_t saturated = 0;
  for (size_t i = 0; i < n; i++)
    saturated += (double) values[i] >= hi || (double) values[i] <= lo;
  return (double) saturated / (double) n;
}

double
rv_probe_dead_fraction (RvActivation act, const float *values, uint32_t batch, uint32_t units)
{
  if (!rv_probe_act_dies (act) || batch == 0 || units == 0)
    return NAN;
  g_autofree gboolean *alive = g_new0 (gboolean, units);
  for (uint32_t i = 0; i < batch; i++)
    for (uint32_t j = 0; j < units; j++)
      alive[j] |= values[(size_t) i * units + j] != 0.0f;
  uint32_t dead = 0;
  for (uint32_t j = 0; j < units; j++)
    dead += !alive[j];
  return (double) dead / units;
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
rv_probe_post_activation_name (uint32_t l)
{
  return g_strdup_printf ("Layer %u", 2 * l + 1);
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

      out->saturated_fraction[l] = out->dead_fraction[l] = NAN;
      if (l + 1 == out->n_linear)
        continue;
      /* the forward pass kept f(z), the next Linear's input */
      const float *h = net->h[l];
      rv_stats_compute (&out->post_activation[l], h, n_act, cfg->bins);
      out->saturated_fraction[l] = rv_probe_saturated_fraction (net->cfg.act, h, n_act);
      out->dead_fraction[l] = rv_probe_dead_fraction (net->cfg.act, h, cfg->batch, out->fan_out[l]);
      if (cfg->kde)
        estimate_density (out, RV_PROBE_POST_ACTIVATION, l, h, n_act);
    }
  for (uint32_t l = out->n_linear; l < RV_MAX_LINEAR; l++)
    out->saturated_fraction[l] = out->dead_fraction[l] = NAN;
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

/* One figure per hidden layer, keyed "Layer 1", "Layer 3", ...: values[l]
 * (NaN, not applicable, as null). */
static void
add_post_activation_figures (JsonBuilder *b, const char *member, const RvProbeResult *res, const double *values)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  for (uint32_t l = 0; l + 1 < res->n_linear; l++)
    {
      g_autofree char *name = rv_probe_post_activation_name (l);
      add_number (b, name, values[l]);
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
  double post_variance[RV_MAX_LINEAR];
  for (uint32_t l = 0; l < res->n_linear; l++)
    post_variance[l] = res->post_activation[l].variance;
  add_post_activation_figures (b, "post_activation_variance", res, post_variance);
  add_post_activation_figures (b, "saturated_fraction", res, res->saturated_fraction);
  add_post_activation_figures (b, "dead_fraction", res, res->dead_fraction);

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
      if (l + 1 < res->n_linear)
        {
          g_autofree char *post_name = rv_probe_post_activation_name (l);
          json_builder_set_member_name (b, "post_activation_name");
          json_builder_add_string_value (b, post_name);
          add_stats (b, "post_activation", &res->post_activation[l]);
          add_number (b, "saturated_fraction", res->saturated_fraction[l]);
          add_number (b, "dead_fraction", res->dead_fraction[l]);
        }
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
  static const char *const kinds[RV_PROBE_N_KINDS] = { "weight", "gradient", "activation", "post_activation" };
  GString *out = g_string_new ("layer,name,fan_in,fan_out,tensor,n,mean,variance,min,max,hist_lo,hist_hi,counts\n");
  for (uint32_t l = 0; l < res->n_linear; l++)
    for (int k = 0; k < RV_PROBE_N_KINDS; k++)
      {
        if (l >= rv_probe_result_n_layers (res, k))
          continue;
        const RvStats *s = rv_probe_result_stats (res, k, l);
        g_autofree char *name = k == RV_PROBE_ACTIVATION ? rv_probe_activation_name (l)
                                : k == RV_PROBE_POST_ACTIVATION ? rv_probe_post_activation_name (l)
                                : rv_probe_weight_name (l);
        char num[6][G_ASCII_DTOSTR_BUF_SIZE];
        const double values[6] = { s->mean, s->variance, s->min, s->max, s->lo, s->hi };
        for (int i = 0; i < 6; i++)
          g_ascii_formatd (num[i], sizeof num[i], "%.17g", values[i]);
        g_string_append_printf (out, "%u,%s,%u,%u,%s,%" G_GUINT64_FORMAT ",%s,%s,%s,%s,%s,%s,",
                                2 * l + (k == RV_PROBE_POST_ACTIVATION), name,
                                res->fan_in[l], res->fan_out[l], kinds[k], s->n,
                                num[0], num[1], num[2], num[3], num[4], num[5]);
        for (uint32_t b = 0; b < s->n_bins; b++)
          g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, b ? " " : "", s->counts[b]);
        g_string_append_c (out, '\n');
      }
  return g_string_free (out, FALSE);
}
