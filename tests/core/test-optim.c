/* test-optim.c: every optimizer against its closed-form update, written out
 * here in double, on fixed gradient sequences; clipping; validation; JSON. */
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-json.h"
#include "rv-optim.h"

#define N 5      /* buffer elements */
#define STEPS 4

static const float w_start[N] = { 0.5f, 0.25f, -0.75f, 1.5f, -2.0f };

/* A fixed, varied gradient; element 4 starts at exactly 0 so that eps and
 * zero moments are exercised. */
static float
grad_at (int t, int i)
{
  if (i == 4 && t == 0)
    return 0.0f;
  return (float) (sin (0.9 * t + 1.7 * i + 0.3) * (1.0 + 0.5 * i));
}

/* A config whose hyper-parameters all differ from the defaults, so that a
 * mixed-up field shows. */
static RvOptimConfig
test_config (RvOptimKind kind)
{
  RvOptimConfig c;
  rv_optim_config_init (&c, kind);
  c.lr = 0.05;
  c.momentum = 0.8;
  c.beta1 = 0.85;
  c.beta2 = 0.95;
  c.eps = 1e-6;
  c.alpha = 0.9;
  c.weight_decay = 0.05;
  return c;
}

/* The reference: the update of each kind in double, one element at a time. */
static void
reference_run (const RvOptimConfig *c, double w[N])
{
  double m[N] = { 0 }, v[N] = { 0 };
  for (int i = 0; i < N; i++)
    w[i] = w_start[i];
  for (int t = 1; t <= STEPS; t++)
    for (int i = 0; i < N; i++)
      {
        double g = grad_at (t - 1, i);
        switch (c->kind)
          {
          case RV_OPTIM_SGD:
            w[i] = w[i] - c->lr * g;
            break;
          case RV_OPTIM_MOMENTUM:
            m[i] = (1 - c->momentum) * g + c->momentum * m[i];
            w[i] = w[i] - c->lr * m[i];
            break;
          case RV_OPTIM_HEAVY_BALL:
            m[i] = c->momentum * m[i] + g;
            w[i] = w[i] - c->lr * m[i];
            break;
          case RV_OPTIM_NESTEROV:
            m[i] = c->momentum * m[i] + g;
            w[i] = w[i] - c->lr * (g + c->momentum * m[i]);
            break;
          case RV_OPTIM_RMSPROP:
            v[i] = c->alpha * v[i] + (1 - c->alpha) * g * g;
            w[i] = w[i] - c->lr * g / (sqrt (v[i]) + c->eps);
            break;
          case RV_OPTIM_ADAGRAD:
            v[i] = v[i] + g * g;
            w[i] = w[i] - c->lr * g / (sqrt (v[i]) + c->eps);
            break;
          case RV_OPTIM_ADAM:
          case RV_OPTIM_ADAMW:
          case RV_OPTIM_COUNT:
          default:
            {
              if (c->kind == RV_OPTIM_ADAMW)
                w[i] = w[i] - c->lr * c->weight_decay * w[i];
              m[i] = c->beta1 * m[i] + (1 - c->beta1) * g;
              v[i] = c->beta2 * v[i] + (1 - c->beta2) * g * g;
              double m_hat = m[i] / (1 - pow (c->beta1, t));
              double v_hat = v[i] / (1 - pow (c->beta2, t));
              w[i] = w[i] - c->lr * m_hat / (sqrt (v_hat) + c->eps);
            }
            break;
          }
      }
}

static void
optimizer_run (RvOptimizer *opt, float w[N])
{
  memcpy (w, w_start, sizeof w_start);
  for (int t = 0; t < STEPS; t++)
    {
      float g[N];
      for (int i = 0; i < N; i++)
        g[i] = grad_at (t, i);
      rv_optimizer_step (opt, w, g);
    }
}

static void
assert_close (double got, double want, double tol, const char *what, int i)
{
  if (fabs (got - want) > tol * (1.0 + fabs (want)))
    g_error ("%s[%d]: got %.9g, want %.9g", what, i, got, want);
}

static void
test_closed_form (void)
{
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    {
      RvOptimConfig c = test_config ((RvOptimKind) k);
      g_autoptr (GError) error = NULL;
      g_autoptr (RvOptimizer) opt = rv_optimizer_new (&c, N, &error);
      g_assert_no_error (error);

      float w[N];
      double want[N];
      optimizer_run (opt, w);
      reference_run (&c, want);
      for (int i = 0; i < N; i++)
        assert_close (w[i], want[i], 2e-6, rv_optim_kind_name ((RvOptimKind) k), i);
      g_assert_cmpuint (rv_optimizer_get_step_count (opt), ==, STEPS);

      /* Every element moved: a loop that skipped some would show here. */
      for (int i = 0; i < N; i++)
        g_assert_cmpfloat (w[i], !=, w_start[i]);
    }
}

/* The tutorial's numbers by hand: Adam's first step is lr * sign(g) (up to
 * eps), the EMA momentum's first step is lr (1 - b) g. */
static void
test_first_steps (void)
{
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAM);
  c.lr = 0.5;
  g_autoptr (RvOptimizer) adam = rv_optimizer_new (&c, 2, NULL);
  float w[2] = { 1.0f, 1.0f }, g[2] = { 3.0f, -0.001f };
  rv_optimizer_step (adam, w, g);
  g_assert_cmpfloat_with_epsilon (w[0], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (w[1], 1.5, 1e-4);

  rv_optim_config_init (&c, RV_OPTIM_MOMENTUM);
  c.lr = 10.0;
  g_autoptr (RvOptimizer) mom = rv_optimizer_new (&c, 2, NULL);
  float w2[2] = { 1.0f, 1.0f }, g2[2] = { 0.5f, -1.0f };
  rv_optimizer_step (mom, w2, g2);
  g_assert_cmpfloat_with_epsilon (w2[0], 1.0 - 10.0 * 0.1 * 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (w2[1], 1.0 + 10.0 * 0.1 * 1.0, 1e-6);
}

static void
test_clip (void)
{
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_SGD);
  c.lr = 1.0;

  /* ||(3, 4)|| = 5 > 1: the step is (0.6, 0.8) and grads are rescaled. */
  c.clip_norm = 1.0;
  g_autoptr (RvOptimizer) clipped = rv_optimizer_new (&c, 2, NULL);
  float w[2] = { 0.0f, 0.0f }, g[2] = { 3.0f, 4.0f };
  rv_optimizer_step (clipped, w, g);
  g_assert_cmpfloat_with_epsilon (g[0], 0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (g[1], 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (w[0], -0.6, 1e-6);
  g_assert_cmpfloat_with_epsilon (w[1], -0.8, 1e-6);

  /* Under the threshold nothing changes, exactly. */
  c.clip_norm = 10.0;
  g_autoptr (RvOptimizer) loose = rv_optimizer_new (&c, 2, NULL);
  float w2[2] = { 0.0f, 0.0f }, g2[2] = { 3.0f, 4.0f };
  rv_optimizer_step (loose, w2, g2);
  g_assert_cmpfloat (g2[0], ==, 3.0f);
  g_assert_cmpfloat (g2[1], ==, 4.0f);
  g_assert_cmpfloat (w2[0], ==, -3.0f);

  /* A big buffer: the norm is global, not per element, and ends at c. */
  const size_t n = 100000;
  g_autofree float *wb = g_new0 (float, n);
  g_autofree float *gb = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    gb[i] = (float) ((i % 7) - 3) * 0.01f;
  c.clip_norm = 0.5;
  g_autoptr (RvOptimizer) big = rv_optimizer_new (&c, n, NULL);
  rv_optimizer_step (big, wb, gb);
  double sum = 0.0;
  for (size_t i = 0; i < n; i++)
    sum += (double) gb[i] * gb[i];
  g_assert_cmpfloat_with_epsilon (sqrt (sum), 0.5, 1e-5);

  /* Adam with clipping sees the rescaled gradient. */
  RvOptimConfig a = test_config (RV_OPTIM_ADAM);
  a.clip_norm = 0.1;
  g_autoptr (RvOptimizer) adam_clip = rv_optimizer_new (&a, 2, NULL);
  a.clip_norm = 0.0;
  g_autoptr (RvOptimizer) adam = rv_optimizer_new (&a, 2, NULL);
  float wa[2] = { 1.0f, 2.0f }, wb2[2] = { 1.0f, 2.0f };
  for (int t = 0; t < 3; t++)
    {
      float ga[2] = { 3.0f + t, -4.0f }, gs[2];
      double norm = sqrt ((double) ga[0] * ga[0] + (double) ga[1] * ga[1]);
      gs[0] = ga[0] * (float) (0.1 / norm);
      gs[1] = ga[1] * (float) (0.1 / norm);
      rv_optimizer_step (adam_clip, wa, ga);
      rv_optimizer_step (adam, wb2, gs);
    }
  g_assert_cmpfloat_with_epsilon (wa[0], wb2[0], 1e-6);
  g_assert_cmpfloat_with_epsilon (wa[1], wb2[1], 1e-6);
}

static void
test_reset_and_state (void)
{
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    {
      RvOptimConfig c = test_config ((RvOptimKind) k);
      g_autoptr (RvOptimizer) opt = rv_optimizer_new (&c, N, NULL);
      float first[N], again[N];
      optimizer_run (opt, first);
      rv_optimizer_reset (opt);
      g_assert_cmpuint (rv_optimizer_get_step_count (opt), ==, 0);
      optimizer_run (opt, again);
      g_assert_cmpmem (first, sizeof first, again, sizeof again);

      static const guint n_states[RV_OPTIM_COUNT] = { 0, 1, 1, 1, 1, 1, 2, 2 };
      g_assert_cmpuint (rv_optimizer_get_n_states (opt), ==, n_states[k]);
      g_assert_cmpuint (rv_optimizer_get_size (opt), ==, N);
      for (guint s = 0; s < n_states[k]; s++)
        {
          g_assert_nonnull (rv_optimizer_get_state_name (opt, s));
          g_assert_nonnull (rv_optimizer_get_state (opt, s));
        }
    }

  /* A restored state (buffers and t) continues exactly like the original. */
  RvOptimConfig c = test_config (RV_OPTIM_ADAM);
  g_autoptr (RvOptimizer) a = rv_optimizer_new (&c, N, NULL);
  g_autoptr (RvOptimizer) b = rv_optimizer_new (&c, N, NULL);
  float wa[N];
  optimizer_run (a, wa);
  for (guint s = 0; s < 2; s++)
    memcpy (rv_optimizer_get_state (b, s), rv_optimizer_get_state (a, s), N * sizeof (float));
  rv_optimizer_set_step_count (b, rv_optimizer_get_step_count (a));
  float wb[N];
  memcpy (wb, wa, sizeof wa);
  float ga[N], gb[N];
  for (int i = 0; i < N; i++)
    ga[i] = gb[i] = grad_at (7, i);
  rv_optimizer_step (a, wa, ga);
  rv_optimizer_step (b, wb, gb);
  g_assert_cmpmem (wa, sizeof wa, wb, sizeof wb);
}

static void
test_names_and_defaults (void)
{
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    {
      RvOptimKind back;
      const char *name = rv_optim_kind_name ((RvOptimKind) k);
      g_assert_true (rv_optim_kind_from_name (name, &back));
      g_assert_cmpint (back, ==, k);

      RvOptimConfig c;
      rv_optim_config_init (&c, (RvOptimKind) k);
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_optim_config_validate (&c, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (c.clip_norm, ==, 0.0);
    }
  g_assert_false (rv_optim_kind_from_name ("adamax", NULL));
  g_assert_false (rv_optim_kind_from_name ("", NULL));
  g_assert_false (rv_optim_kind_from_name (NULL, NULL));

  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAM);
  g_assert_cmpfloat (c.lr, ==, 1e-3);
  g_assert_cmpfloat (c.beta1, ==, 0.9);
  g_assert_cmpfloat (c.beta2, ==, 0.999);
  g_assert_cmpfloat (c.eps, ==, 1e-8);
  rv_optim_config_init (&c, RV_OPTIM_MOMENTUM);
  g_assert_cmpfloat (c.momentum, ==, 0.9);
  rv_optim_config_init (&c, RV_OPTIM_RMSPROP);
  g_assert_cmpfloat (c.alpha, ==, 0.99);
  g_assert_cmpfloat (c.eps, ==, 1e-8);
  rv_optim_config_init (&c, RV_OPTIM_ADAGRAD);
  g_assert_cmpfloat (c.eps, ==, 1e-10);
  rv_optim_config_init (&c, RV_OPTIM_ADAMW);
  g_assert_cmpfloat (c.weight_decay, ==, 0.01);

  g_assert_true (rv_optim_kind_uses (RV_OPTIM_ADAM, "beta2"));
  g_assert_false (rv_optim_kind_uses (RV_OPTIM_ADAM, "momentum"));
  g_assert_true (rv_optim_kind_uses (RV_OPTIM_SGD, "clip_norm"));
  g_assert_false (rv_optim_kind_uses (RV_OPTIM_SGD, "eps"));
  g_assert_false (rv_optim_kind_uses (RV_OPTIM_SGD, "bogus"));
}

typedef struct {
  RvOptimKind kind;
  const char *field;
  double value;
} BadCase;

static void
test_validation (void)
{
  static const BadCase cases[] = {
    { RV_OPTIM_SGD, "lr", 0.0 },
    { RV_OPTIM_SGD, "lr", -0.1 },
    { RV_OPTIM_SGD, "lr", NAN },
    { RV_OPTIM_SGD, "lr", INFINITY },
    { RV_OPTIM_MOMENTUM, "momentum", 1.0 },
    { RV_OPTIM_HEAVY_BALL, "momentum", -0.1 },
    { RV_OPTIM_NESTEROV, "momentum", NAN },
    { RV_OPTIM_RMSPROP, "alpha", 1.0 },
    { RV_OPTIM_RMSPROP, "eps", 0.0 },
    { RV_OPTIM_ADAGRAD, "eps", -1e-8 },
    { RV_OPTIM_ADAM, "beta1", 1.0 },
    { RV_OPTIM_ADAM, "beta1", -0.5 },
    { RV_OPTIM_ADAM, "beta2", 1.5 },
    { RV_OPTIM_ADAM, "eps", 0.0 },
    { RV_OPTIM_ADAMW, "weight_decay", -0.01 },
    { RV_OPTIM_ADAMW, "weight_decay", INFINITY },
    { RV_OPTIM_ADAM, "clip_norm", -1.0 },
    { RV_OPTIM_SGD, "clip_norm", NAN },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RvOptimConfig c;
      rv_optim_config_init (&c, cases[i].kind);
      double *slot = strcmp (cases[i].field, "lr") == 0 ? &c.lr
                     : strcmp (cases[i].field, "momentum") == 0 ? &c.momentum
                     : strcmp (cases[i].field, "alpha") == 0 ? &c.alpha
                     : strcmp (cases[i].field, "eps") == 0 ? &c.eps
                     : strcmp (cases[i].field, "beta1") == 0 ? &c.beta1
                     : strcmp (cases[i].field, "beta2") == 0 ? &c.beta2
                     : strcmp (cases[i].field, "weight_decay") == 0 ? &c.weight_decay
                     : &c.clip_norm;
      *slot = cases[i].value;
      g_autoptr (GError) error = NULL;
      g_assert_false (rv_optim_config_validate (&c, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      g_clear_error (&error);
      g_assert_null (rv_optimizer_new (&c, 3, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
    }

  /* Edges that are fine: a zero decay, zero weight decay. */
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAMW);
  c.beta1 = 0.0;
  c.beta2 = 0.0;
  c.weight_decay = 0.0;
  g_assert_true (rv_optim_config_validate (&c, NULL));
  /* A field the kind ignores is not checked. */
  rv_optim_config_init (&c, RV_OPTIM_SGD);
  c.beta1 = 7.0;
  g_assert_true (rv_optim_config_validate (&c, NULL));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_json (void)
{
  /* Only the name and what the kind reads. */
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAM);
  g_autoptr (JsonNode) node = rv_optim_config_to_json (&c);
  JsonObject *o = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (o), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "adam");
  g_assert_cmpfloat (json_object_get_double_member (o, "lr"), ==, 1e-3);
  g_assert_cmpfloat (json_object_get_double_member (o, "beta1"), ==, 0.9);
  g_assert_cmpfloat (json_object_get_double_member (o, "beta2"), ==, 0.999);
  g_assert_cmpfloat (json_object_get_double_member (o, "eps"), ==, 1e-8);

  rv_optim_config_init (&c, RV_OPTIM_SGD);
  g_autoptr (JsonNode) sgd = rv_optim_config_to_json (&c);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (sgd)), ==, 2);
  c.clip_norm = 1.0;
  g_autoptr (JsonNode) sgd_clip = rv_optim_config_to_json (&c);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (sgd_clip), "clip_norm"), ==, 1.0);

  /* Round trips through the project's JSON text, for every kind, with the
   * test values and with the defaults (eps 1e-8 has no decimal point). */
  for (int k = 0; k < 2 * RV_OPTIM_COUNT; k++)
    {
      RvOptimConfig in = test_config ((RvOptimKind) (k % RV_OPTIM_COUNT)), out;
      if (k >= RV_OPTIM_COUNT)
        rv_optim_config_init (&in, (RvOptimKind) (k % RV_OPTIM_COUNT));
      else
        in.clip_norm = 2.5;
      g_autoptr (JsonNode) n = rv_optim_config_to_json (&in);
      g_autofree char *text = rv_json_to_string (n, FALSE);
      g_autoptr (JsonObject) back = parse_object (text);
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_optim_config_from_json (back, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out.kind, ==, in.kind);
      static const char *const fields[] = { "lr", "momentum", "alpha", "beta1", "beta2",
                                            "eps", "weight_decay", "clip_norm" };
      const double in_v[] = { in.lr, in.momentum, in.alpha, in.beta1, in.beta2,
                              in.eps, in.weight_decay, in.clip_norm };
      const double out_v[] = { out.lr, out.momentum, out.alpha, out.beta1, out.beta2,
                               out.eps, out.weight_decay, out.clip_norm };
      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        if (rv_optim_kind_uses (in.kind, fields[f]))
          g_assert_cmpfloat (in_v[f], ==, out_v[f]);
    }

  /* Missing members take the defaults; integers are numbers too. */
  g_autoptr (JsonObject) partial = parse_object ("{\"name\": \"momentum\", \"lr\": 10}");
  g_assert_true (rv_optim_config_from_json (partial, &c, NULL));
  g_assert_cmpint (c.kind, ==, RV_OPTIM_MOMENTUM);
  g_assert_cmpfloat (c.lr, ==, 10.0);
  g_assert_cmpfloat (c.momentum, ==, 0.9);

  static const char *const bad[] = {
    "{\"lr\": 0.1}",
    "{\"name\": 3}",
    "{\"name\": \"adamax\"}",
    "{\"name\": \"sgd\", \"momentum\": 0.9}",
    "{\"name\": \"adam\", \"lr\": \"fast\"}",
    "{\"name\": \"adam\", \"lr\": null}",
    "{\"name\": \"adam\", \"lr\": [1]}",
    "{\"name\": \"adam\", \"lr\": -1}",
    "{\"name\": \"adam\", \"beta1\": 1}",
    "{\"name\": \"adam\", \"typo\": 1}",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) obj = parse_object (bad[i]);
      g_autoptr (GError) error = NULL;
      RvOptimConfig untouched = { .kind = RV_OPTIM_SGD, .lr = 42.0 };
      g_assert_false (rv_optim_config_from_json (obj, &untouched, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
      g_assert_cmpfloat (untouched.lr, ==, 42.0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/optim/closed-form", test_closed_form);
  g_test_add_func ("/optim/first-steps", test_first_steps);
  g_test_add_func ("/optim/clip", test_clip);
  g_test_add_func ("/optim/reset-and-state", test_reset_and_state);
  g_test_add_func ("/optim/names-and-defaults", test_names_and_defaults);
  g_test_add_func ("/optim/validation", test_validation);
  g_test_add_func ("/optim/json", test_json);
  return g_test_run ();
}
