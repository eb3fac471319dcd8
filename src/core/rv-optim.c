/* rv-optim.c: optimizers over one flat float buffer. */
#include "rv-optim.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "rv-error.h"

static const char *const kind_names[RV_OPTIM_COUNT] = {
  [RV_OPTIM_SGD] = "sgd",
  [RV_OPTIM_MOMENTUM] = "momentum",
  [RV_OPTIM_HEAVY_BALL] = "heavy-ball",
  [RV_OPTIM_NESTEROV] = "nesterov",
  [RV_OPTIM_RMSPROP] = "rmsprop",
  [RV_OPTIM_ADAGRAD] = "adagrad",
  [RV_OPTIM_ADAM] = "adam",
  [RV_OPTIM_ADAMW] = "adamw",
};

/* What a hyper-parameter may be. */
typedef enum {
  RULE_POSITIVE,  /* finite, > 0 */
  RULE_DECAY,     /* in [0, 1) */
  RULE_NONNEG,    /* finite, >= 0 */
} Rule;

#define KIND(k) (1u << (k))
#define ALL_KINDS ((1u << RV_OPTIM_COUNT) - 1)

typedef struct {
  const char *name;
  size_t offset;  /* into RvOptimConfig */
  guint kinds;    /* the kinds that read it, one bit each */
  Rule rule;
} ParamInfo;

/* In the order they are written to JSON. */
static const ParamInfo param_infos[] = {
  { "lr", offsetof (RvOptimConfig, lr), ALL_KINDS, RULE_POSITIVE },
  { "momentum", offsetof (RvOptimConfig, momentum),
    KIND (RV_OPTIM_MOMENTUM) | KIND (RV_OPTIM_HEAVY_BALL) | KIND (RV_OPTIM_NESTEROV), RULE_DECAY },
  { "alpha", offsetof (RvOptimConfig, alpha), KIND (RV_OPTIM_RMSPROP), RULE_DECAY },
  { "beta1", offsetof (RvOptimConfig, beta1), KIND (RV_OPTIM_ADAM) | KIND (RV_OPTIM_ADAMW), RULE_DECAY },
  { "beta2", offsetof (RvOptimConfig, beta2), KIND (RV_OPTIM_ADAM) | KIND (RV_OPTIM_ADAMW), RULE_DECAY },
  { "eps", offsetof (RvOptimConfig, eps),
    KIND (RV_OPTIM_RMSPROP) | KIND (RV_OPTIM_ADAGRAD) | KIND (RV_OPTIM_ADAM) | KIND (RV_OPTIM_ADAMW),
    RULE_POSITIVE },
  { "weight_decay", offsetof (RvOptimConfig, weight_decay), KIND (RV_OPTIM_ADAMW), RULE_NONNEG },
  { "clip_norm", offsetof (RvOptimConfig, clip_norm), ALL_KINDS, RULE_NONNEG },
};

static const ParamInfo *
param_info_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (param_infos); i++)
    if (strcmp (param_infos[i].name, name) == 0)
      return &param_infos[i];
  return NULL;
}

static double *
param_slot (RvOptimConfig *config, const ParamInfo *info)
{
  return (double *) ((char *) config + info->offset);
}

static double
param_value (const RvOptimConfig *config, const ParamInfo *info)
{
  return *(const double *) ((const char *) config + info->offset);
}

void
rv_optim_config_init (RvOptimConfig *config, RvOptimKind kind)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (kind < RV_OPTIM_COUNT);

  /* Every field gets a value, so that switching kind keeps sensible ones. */
  memset (config, 0, sizeof *config);
  config->kind = kind;
  config->momentum = 0.9;
  config->beta1 = 0.9;
  config->beta2 = 0.999;
  config->eps = kind == RV_OPTIM_ADAGRAD ? 1e-10 : 1e-8;
  config->alpha = 0.99;
  config->weight_decay = 0.01;
  config->clip_norm = 0.0;
  switch (kind)
    {
    case RV_OPTIM_SGD:
    case RV_OPTIM_MOMENTUM:
      config->lr = 0.1;
      break;
    case RV_OPTIM_HEAVY_BALL:
    case RV_OPTIM_NESTEROV:
    case RV_OPTIM_RMSPROP:
    case RV_OPTIM_ADAGRAD:
      config->lr = 0.01;
      break;
    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
    case RV_OPTIM_COUNT:
    default:
      config->lr = 0.001;
      break;
    }
}

const char *
rv_optim_kind_name (RvOptimKind kind)
{
  g_return_val_if_fail (kind < RV_OPTIM_COUNT, NULL);
  return kind_names[kind];
}

gboolean
rv_optim_kind_from_name (const char *name, RvOptimKind *out)
{
  if (name == NULL)
    return FALSE;
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    if (strcmp (kind_names[k], name) == 0)
      {
        if (out)
          *out = (RvOptimKind) k;
        return TRUE;
      }
  return FALSE;
}

gboolean
rv_optim_kind_uses (RvOptimKind kind, const char *param)
{
  g_return_val_if_fail (kind < RV_OPTIM_COUNT, FALSE);
  const ParamInfo *info = param ? param_info_lookup (param) : NULL;
  return info != NULL && (info->kinds & KIND (kind)) != 0;
}

gboolean
rv_optim_config_validate (const RvOptimConfig *config, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if ((unsigned) config->kind >= RV_OPTIM_COUNT)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "unknown optimizer kind %d", (int) config->kind);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (param_infos); i++)
    {
      const ParamInfo *info = &param_infos[i];
      if (!(info->kinds & KIND (config->kind)))
        continue;
      double v = param_value (config, info);
      const char *need = NULL;
      switch (info->rule)
        {
        case RULE_POSITIVE:
          if (!isfinite (v) || v <= 0.0)
            need = "a finite number > 0";
          break;
        case RULE_DECAY:
          if (!(v >= 0.0 && v < 1.0))
            need = "in [0, 1)";
          break;
        case RULE_NONNEG:
        default:
          if (!isfinite (v) || v < 0.0)
            need = "a finite number >= 0";
          break;
        }
      if (need)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "%s %s must be %s, not %g",
                       kind_names[config->kind], info->name, need, v);
          return FALSE;
        }
    }
  return TRUE;
}

JsonNode *
rv_optim_config_to_json (const RvOptimConfig *config)
{
  g_return_val_if_fail (config != NULL && config->kind < RV_OPTIM_COUNT, NULL);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, kind_names[config->kind]);
  for (gsize i = 0; i < G_N_ELEMENTS (param_infos); i++)
    {
      const ParamInfo *info = &param_infos[i];
      if (!(info->kinds & KIND (config->kind)))
        continue;
      double v = param_value (config, info);
      if (strcmp (info->name, "clip_norm") == 0 && !(v > 0.0))
        continue;
      json_builder_set_member_name (b, info->name);
      json_builder_add_double_value (b, v);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
rv_optim_config_from_json (JsonObject *object, RvOptimConfig *out, GError **error)
{
  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  JsonNode *name_node = json_object_get_member (object, "name");
  if (name_node == NULL || json_node_get_value_type (name_node) != G_TYPE_STRING)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "optimizer: \"name\" must be a string");
      return FALSE;
    }
  const char *name = json_node_get_string (name_node);
  RvOptimKind kind;
  if (!rv_optim_kind_from_name (name, &kind))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "unknown optimizer \"%s\"", name);
      return FALSE;
    }

  RvOptimConfig config;
  rv_optim_config_init (&config, kind);

  g_autoptr (GList) members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      if (strcmp (member, "name") == 0)
        continue;
      const ParamInfo *info = param_info_lookup (member);
      if (info == NULL || !(info->kinds & KIND (kind)))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "optimizer %s has no parameter \"%s\"",
                       name, member);
          return FALSE;
        }
      JsonNode *node = json_object_get_member (object, member);
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT, "optimizer %s: \"%s\" must be a number",
                       name, member);
          return FALSE;
        }
      *param_slot (&config, info) = json_node_get_double (node);
    }

  if (!rv_optim_config_validate (&config, error))
    return FALSE;
  *out = config;
  return TRUE;
}

struct _RvOptimizer {
  RvOptimConfig config;
  size_t n;
  uint64_t t;        /* steps taken; adam's bias correction uses it after ++ */
  guint n_states;
  float *state[2];   /* n floats each, see rv_optimizer_get_state_name */
};

static guint
kind_n_states (RvOptimKind kind)
{
  switch (kind)
    {
    case RV_OPTIM_SGD:
      return 0;
    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
      return 2;
    case RV_OPTIM_MOMENTUM:
    case RV_OPTIM_HEAVY_BALL:
    case RV_OPTIM_NESTEROV:
    case RV_OPTIM_RMSPROP:
    case RV_OPTIM_ADAGRAD:
    case RV_OPTIM_COUNT:
    default:
      return 1;
    }
}

RvOptimizer *
rv_optimizer_new (const RvOptimConfig *config, size_t n, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);

  if (!rv_optim_config_validate (config, error))
    return NULL;

  RvOptimizer *opt = g_new0 (RvOptimizer, 1);
  opt->config = *config;
  opt->n = n;
  opt->n_states = kind_n_states (config->kind);
  for (guint s = 0; s < opt->n_states; s++)
    opt->state[s] = g_new0 (float, n);
  return opt;
}

void
rv_optimizer_free (RvOptimizer *opt)
{
  if (opt == NULL)
    return;
  for (guint s = 0; s < opt->n_states; s++)
    g_free (opt->state[s]);
  g_free (opt);
}

void
rv_optimizer_reset (RvOptimizer *opt)
{
  g_return_if_fail (opt != NULL);
  opt->t = 0;
  for (guint s = 0; s < opt->n_states; s++)
    if (opt->n > 0)
      memset (opt->state[s], 0, opt->n * sizeof (float));
}

/* Rescales grads to norm c when their global L2 norm exceeds it.  The sum
 * of squares runs in double: in float it loses the small terms of a big
 * buffer. */
static void
clip_by_global_norm (float *grads, size_t n, double c)
{
  double sum = 0.0;
  for (size_t i = 0; i < n; i++)
    sum += (double) grads[i] * grads[i];
  double norm = sqrt (sum);
  if (!(norm > c))
    return;
  float scale = (float) (c / norm);
  for (size_t i = 0; i < n; i++)
    grads[i] *= scale;
}

void
rv_optimizer_step (RvOptimizer *opt, float *params, float *grads)
{
  g_return_if_fail (opt != NULL);
  g_return_if_fail (opt->n == 0 || (params != NULL && grads != NULL));

  const RvOptimConfig *c = &opt->config;
  const size_t n = opt->n;
  float *m = opt->state[0];
  float *v = opt->state[1];

  if (c->clip_norm > 0.0)
    clip_by_global_norm (grads, n, c->clip_norm);

  opt->t++;
  const float lr = (float) c->lr;

  switch (c->kind)
    {
    case RV_OPTIM_SGD:
      /* w -= lr g */
      for (size_t i = 0; i < n; i++)
        params[i] -= lr * grads[i];
      break;

    case RV_OPTIM_MOMENTUM:
      {
        /* m = (1 - b) g + b m;  w -= lr m */
        const float b = (float) c->momentum, one_b = (float) (1.0 - c->momentum);
        for (size_t i = 0; i < n; i++)
          {
            m[i] = one_b * grads[i] + b * m[i];
            params[i] -= lr * m[i];
          }
      }
      break;

    case RV_OPTIM_HEAVY_BALL:
      {
        /* v = mu v + g;  w -= lr v */
        const float mu = (float) c->momentum;
        for (size_t i = 0; i < n; i++)
          {
            m[i] = mu * m[i] + grads[i];
            params[i] -= lr * m[i];
          }
      }
      break;

    case RV_OPTIM_NESTEROV:
      {
        /* v = mu v + g;  w -= lr (g + mu v) */
        const float mu = (float) c->momentum;
        for (size_t i = 0; i < n; i++)
          {
            m[i] = mu * m[i] + grads[i];
            params[i] -= lr * (grads[i] + mu * m[i]);
          }
      }
      break;

    case RV_OPTIM_RMSPROP:
      {
        /* s = a s + (1 - a) g^2;  w -= lr g / (sqrt(s) + eps) */
        const float a = (float) c->alpha, one_a = (float) (1.0 - c->alpha), eps = (float) c->eps;
        for (size_t i = 0; i < n; i++)
          {
            const float g = grads[i];
            m[i] = a * m[i] + one_a * g * g;
            params[i] -= lr * g / (sqrtf (m[i]) + eps);
          }
      }
      break;

    case RV_OPTIM_ADAGRAD:
      {
        /* s += g^2;  w -= lr g / (sqrt(s) + eps) */
        const float eps = (float) c->eps;
        for (size_t i = 0; i < n; i++)
          {
            const float g = grads[i];
            m[i] += g * g;
            params[i] -= lr * g / (sqrtf (m[i]) + eps);
          }
      }
      break;

    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
    case RV_OPTIM_COUNT:
    default:
      {
        /* The bias corrections are scalars of the step: in double, once. */
        const float b1 = (float) c->beta1, one_b1 = (float) (1.0 - c->beta1);
        const float b2 = (float) c->beta2, one_b2 = (float) (1.0 - c->beta2);
        const float bc1 = (float) (1.0 - pow (c->beta1, (double) opt->t));
        const float bc2 = (float) (1.0 - pow (c->beta2, (double) opt->t));
        const float eps = (float) c->eps;
        /* adamw first shrinks w: w -= lr wd w (decoupled from the gradient) */
        const float keep = c->kind == RV_OPTIM_ADAMW ? (float) (1.0 - c->lr * c->weight_decay) : 1.0f;
        for (size_t i = 0; i < n; i++)
          {
            /* m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
             * w -= lr (m / bc1) / (sqrt(v / bc2) + eps) */
            const float g = grads[i];
            m[i] = one_b1 * g + b1 * m[i];
            v[i] = one_b2 * g * g + b2 * v[i];
            const float m_hat = m[i] / bc1;
            const float v_hat = v[i] / bc2;
            params[i] = params[i] * keep - lr * m_hat / (sqrtf (v_hat) + eps);
          }
      }
      break;
    }
}

const RvOptimConfig *
rv_optimizer_get_config (const RvOptimizer *opt)
{
  g_return_val_if_fail (opt != NULL, NULL);
  return &opt->config;
}

size_t
rv_optimizer_get_size (const RvOptimizer *opt)
{
  g_return_val_if_fail (opt != NULL, 0);
  return opt->n;
}

uint64_t
rv_optimizer_get_step_count (const RvOptimizer *opt)
{
  g_return_val_if_fail (opt != NULL, 0);
  return opt->t;
}

void
rv_optimizer_set_step_count (RvOptimizer *opt, uint64_t step_count)
{
  g_return_if_fail (opt != NULL);
  opt->t = step_count;
}

guint
rv_optimizer_get_n_states (const RvOptimizer *opt)
{
  g_return_val_if_fail (opt != NULL, 0);
  return opt->n_states;
}

const char *
rv_optimizer_get_state_name (const RvOptimizer *opt, guint index)
{
  g_return_val_if_fail (opt != NULL && index < opt->n_states, NULL);
  switch (opt->config.kind)
    {
    case RV_OPTIM_MOMENTUM:
      return "m";
    case RV_OPTIM_HEAVY_BALL:
    case RV_OPTIM_NESTEROV:
      return "v";
    case RV_OPTIM_RMSPROP:
    case RV_OPTIM_ADAGRAD:
      return "s";
    case RV_OPTIM_SGD:
    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
    case RV_OPTIM_COUNT:
    default:
      return index == 0 ? "m" : "v";
    }
}

float *
rv_optimizer_get_state (RvOptimizer *opt, guint index)
{
  g_return_val_if_fail (opt != NULL && index < opt->n_states, NULL);
  return opt->state[index];
}
