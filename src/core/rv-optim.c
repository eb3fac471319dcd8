/* rv-optim.c: optimizers over one flat float buffer. */
#include "rv-optim.h"
#include "rv-hot-loop.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "rv-backend.h"
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

double
rv_optim_stability_threshold (const RvOptimConfig *config)
{
  const double lr = config->lr, b = config->momentum;
  if (!(lr > 0) || (rv_optim_kind_uses (config->kind, "momentum") && !(b >= 0 && b < 1)))
    return NAN;
  switch (config->kind)
    {
    case RV_OPTIM_SGD:
      return 2.0 / lr;
    case RV_OPTIM_MOMENTUM:
      return 2.0 * (1.0 + b) / (lr * (1.0 - b));
    case RV_OPTIM_HEAVY_BALL:
      return 2.0 * (1.0 + b) / lr;
    case RV_OPTIM_NESTEROV:
      return 2.0 * (1.0 + b) / (lr * (1.0 + 2.0 * b));
    default:
      return NAN;
    }
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
  const RvBackend *backend;  /* where the state lives and the step runs */
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
  return rv_optimizer_new_for_backend (config, n, rv_backend_cpu (), error);
}

RvOptimizer *
rv_optimizer_new_for_backend (const RvOptimConfig *config, size_t n, const RvBackend *backend,
                              GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (backend != NULL, NULL);

  if (!rv_optim_config_validate (config, error))
    return NULL;

  RvOptimizer *opt = g_new0 (RvOptimizer, 1);
  opt->config = *config;
  opt->backend = backend;
  opt->n = n;
  opt->n_states = kind_n_states (config->kind);
  for (guint s = 0; s < opt->n_states; s++)
    opt->state[s] = backend->alloc (n * sizeof (float));
  return opt;
}

void
rv_optimizer_free (RvOptimizer *opt)
{
  if (opt == NULL)
    return;
  for (guint s = 0; s < opt->n_states; s++)
    opt->backend->free (opt->state[s]);
  g_free (opt);
}

void
rv_optimizer_reset (RvOptimizer *opt)
{
  g_return_if_fail (opt != NULL);
  opt->t = 0;
  for (guint s = 0; s < opt->n_states; s++)
    if (opt->n > 0)
      opt->backend->zero (opt->state[s], opt->n * sizeof (float));
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
rv_optim_scalars (const RvOptimConfig *c, uint64_t t, RvOptimScalars *s)
{
  memset (s, 0, sizeof *s);
  s->kind = c->kind;
  s->lr = (float) c->lr;
  s->mu = (float) c->momentum;
  s->one_mu = (float) (1.0 - c->momentum);
  s->alpha = (float) c->alpha;
  s->one_alpha = (float) (1.0 - c->alpha);
  s->b1 = (float) c->beta1;
  s->one_b1 = (float) (1.0 - c->beta1);
  s->b2 = (float) c->beta2;
  s->one_b2 = (float) (1.0 - c->beta2);
  /* The bias corrections are scalars of the step: in double, once. */
  s->bc1 = (float) (1.0 - pow (c->beta1, (double) t));
  s->bc2 = (float) (1.0 - pow (c->beta2, (double) t));
  s->eps = (float) c->eps;
  /* adamw first shrinks w: w -= lr wd w (decoupled from the gradient) */
  s->keep = c->kind == RV_OPTIM_ADAMW ? (float) (1.0 - c->lr * c->weight_decay) : 1.0f;
  s->clip_norm = c->clip_norm;
}

/* Each case copies its scalars into locals first: a float store through
 * params could otherwise alias them and keep the loop from vectorizing. */
static inline __attribute__ ((always_inline)) void
rv_optim_update_body (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n)
{
  if (s->clip_norm > 0.0)
    clip_by_global_norm (grads, n, s->clip_norm);

  const float lr = s->lr;

  switch (s->kind)
    {
    case RV_OPTIM_SGD:
      for (size_t i = 0; i < n; i++)
        rv_optim_sgd_update (&params[i], grads[i], lr);
      break;

    case RV_OPTIM_MOMENTUM:
      {
        const float b = s->mu, one_b = s->one_mu;
        for (size_t i = 0; i < n; i++)
          rv_optim_momentum_update (&params[i], &m[i], grads[i], lr, b, one_b);
      }
      break;

    case RV_OPTIM_HEAVY_BALL:
      {
        const float mu = s->mu;
        for (size_t i = 0; i < n; i++)
          rv_optim_heavy_ball_update (&params[i], &m[i], grads[i], lr, mu);
      }
      break;

    case RV_OPTIM_NESTEROV:
      {
        const float mu = s->mu;
        for (size_t i = 0; i < n; i++)
          rv_optim_nesterov_update (&params[i], &m[i], grads[i], lr, mu);
      }
      break;

    case RV_OPTIM_RMSPROP:
      {
        const float a = s->alpha, one_a = s->one_alpha, eps = s->eps;
        for (size_t i = 0; i < n; i++)
          rv_optim_rmsprop_update (&params[i], &m[i], grads[i], lr, a, one_a, eps);
      }
      break;

    case RV_OPTIM_ADAGRAD:
      {
        const float eps = s->eps;
        for (size_t i = 0; i < n; i++)
          rv_optim_adagrad_update (&params[i], &m[i], grads[i], lr, eps);
      }
      break;

    case RV_OPTIM_ADAM:
    case RV_OPTIM_ADAMW:
    case RV_OPTIM_COUNT:
    default:
      {
        const float b1 = s->b1, one_b1 = s->one_b1, b2 = s->b2, one_b2 = s->one_b2;
        const float bc1 = s->bc1, bc2 = s->bc2, eps = s->eps, keep = s->keep;
        for (size_t i = 0; i < n; i++)
          rv_optim_adam_update (&params[i], &m[i], &v[i], grads[i], lr, b1, one_b1, b2, one_b2,
                                bc1, bc2, eps, keep);
      }
      break;
    }
}

/* The four buffers are distinct (the state is the optimizer's own), which
 * restrict tells GCC here (on the body's parameters it is lost in
 * inlining), so each loop runs vectorized with no run-time overlap check
 * and scalar fallback. */
RV_HOT_LOOP_VARIANTS (, rv_optim_update,
                      (const RvOptimScalars *s, float *restrict params, float *restrict grads,
                       float *restrict m, float *restrict v, size_t n),
                      (s, params, grads, m, v, n))

void
rv_optim_update (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n)
{
  if (rv_hot_loop_use_avx2 ())
    rv_optim_update_avx2 (s, params, grads, m, v, n);
  else
    rv_optim_update_baseline (s, params, grads, m, v, n);
}

void
rv_optimizer_step (RvOptimizer *opt, float *params, float *grads)
{
  g_return_if_fail (opt != NULL);
  g_return_if_fail (opt->n == 0 || (params != NULL && grads != NULL));

  RvOptimScalars s;
  opt->t++;
  rv_optim_scalars (&opt->config, opt->t, &s);
  opt->backend->optim_update (&s, params, grads, opt->state[0], opt->state[1], opt->n);
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
