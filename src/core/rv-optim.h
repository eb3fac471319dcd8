/* rv-optim.h: optimizers over one flat float buffer.
 *
 * A step is one loop over params[n] with grads[n] (one kernel on a GPU); the
 * state buffers are allocated once by rv_optimizer_new, never in a step.  The
 * per-element formulas live in rv-optim-math.h, shared with the CUDA kernels.
 * With g the gradient, w the parameter and t the step count from 1:
 *
 *   sgd         w -= lr g
 *   momentum    m = (1 - b) g + b m;  w -= lr m
 *               (the tutorial's SGDMomentum: an exponential average of the
 *               gradients, not PyTorch's buffer; default b = 0.9)
 *   heavy-ball  v = mu v + g;  w -= lr v           (PyTorch SGD, momentum mu)
 *   nesterov    v = mu v + g;  w -= lr (g + mu v)  (PyTorch SGD, nesterov)
 *   rmsprop     s = a s + (1 - a) g^2;  w -= lr g / (sqrt(s) + eps)
 *               (PyTorch's RMSprop: eps outside the root, a = 0.99,
 *               eps = 1e-8; TensorFlow puts eps inside the root)
 *   adagrad     s += g^2;  w -= lr g / (sqrt(s) + eps)   (PyTorch, eps 1e-10)
 *   adam        m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *               w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *               (the tutorial's Adam: b1 0.9, b2 0.999, eps 1e-8)
 *   adamw       w -= lr wd w, then the adam step (decoupled weight decay,
 *               Loshchilov & Hutter; PyTorch AdamW, wd 0.01)
 *
 * With clip_norm > 0 the whole gradient is first rescaled to norm clip_norm
 * when its global L2 norm exceeds it (the norm is summed in double). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stddef.h>
#include <stdint.h>

#include "rv-optim-math.h" /* RvOptimKind and the per-element formulas */

G_BEGIN_DECLS

/* The hyper-parameters of every kind; each kind reads only its own (see
 * rv_optim_kind_uses). */
typedef struct {
  RvOptimKind kind;
  double lr;
  double momentum;      /* momentum, heavy-ball, nesterov */
  double beta1, beta2;  /* adam, adamw */
  double eps;           /* rmsprop, adagrad, adam, adamw */
  double alpha;         /* rmsprop: decay of the squared average */
  double weight_decay;  /* adamw: decoupled decay */
  double clip_norm;     /* every kind: global-norm clipping, 0 = off */
} RvOptimConfig;

/* Defaults per kind: lr 0.1 for sgd and momentum (the tutorial's network
 * runs), 0.01 for heavy-ball, nesterov, rmsprop and adagrad, 0.001 for adam
 * and adamw; momentum 0.9; beta1 0.9, beta2 0.999; eps 1e-8 (1e-10 for
 * adagrad); alpha 0.99; weight_decay 0.01; clip_norm 0. */
void rv_optim_config_init (RvOptimConfig *config, RvOptimKind kind);

/* "sgd", "momentum", "heavy-ball", "nesterov", "rmsprop", "adagrad", "adam",
 * "adamw". */
const char *rv_optim_kind_name (RvOptimKind kind);
gboolean rv_optim_kind_from_name (const char *name, RvOptimKind *out);

/* Whether kind reads the hyper-parameter of that name ("lr", "momentum",
 * "beta1", "beta2", "eps", "alpha", "weight_decay", "clip_norm"). */
gboolean rv_optim_kind_uses (RvOptimKind kind, const char *param);

/* Rejects, with RV_ERROR_ARGUMENT, values the kind reads that make no sense:
 * lr <= 0, a decay outside [0, 1), eps <= 0, a negative weight decay or clip
 * norm, anything not finite. */
gboolean rv_optim_config_validate (const RvOptimConfig *config, GError **error);

/* {"name": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08}:
 * the name and the hyper-parameters the kind reads; clip_norm only when on. */
JsonNode *rv_optim_config_to_json (const RvOptimConfig *config);
/* The inverse: missing members take the kind's defaults; an unknown member,
 * one the kind does not read, or an invalid value is an error. */
gboolean rv_optim_config_from_json (JsonObject *object, RvOptimConfig *out, GError **error);

/* The sharpness (the Hessian's top eigenvalue) above which the kind's
 * update diverges on the quadratic f(x) = λx²/2, from its iteration's
 * linear map (x, m) → (x', m') being stable exactly when both roots of its
 * characteristic polynomial z² − T z + D lie inside the unit circle
 * (|D| < 1 and |T| < 1 + D):
 *
 *   sgd         2 / lr                         (Cohen et al. 2021's 2/η)
 *   momentum    2 (1 + b) / (lr (1 − b))       (the tutorial's average:
 *               T = 1 + b − lr (1 − b) λ, D = b)
 *   heavy-ball  2 (1 + mu) / lr                (T = 1 + mu − lr λ, D = mu)
 *   nesterov    2 (1 + mu) / (lr (1 + 2 mu))   (T = 1 + mu − lr (1 + mu) λ,
 *               D = mu (1 − lr λ))
 *
 * NaN for rmsprop, adagrad, adam and adamw: their steps are divided by the
 * gradients' own running size, so no fixed sharpness bounds them.  Clipping
 * is left out (it only shortens large steps).  NaN too for a learning rate
 * that is not positive or a momentum outside [0, 1). */
double rv_optim_stability_threshold (const RvOptimConfig *config);

typedef struct _RvOptimizer RvOptimizer;

/* An optimizer for n parameters; NULL with RV_ERROR_ARGUMENT when the config
 * does not validate. */
RvOptimizer *rv_optimizer_new (const RvOptimConfig *config, size_t n, GError **error);
/* The same with its state in the memory of `backend` (an RvBackend,
 * rv-backend.h), whose optim_update then runs each step: params and grads
 * passed to rv_optimizer_step, and the state buffers, are backend memory.
 * rv_optimizer_new uses the CPU backend. */
struct _RvBackend;
RvOptimizer *rv_optimizer_new_for_backend (const RvOptimConfig *config, size_t n,
                                           const struct _RvBackend *backend, GError **error);
void rv_optimizer_free (RvOptimizer *opt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvOptimizer, rv_optimizer_free)

/* One update of params[n] from grads[n].  Clipping scales grads in place. */
void rv_optimizer_step (RvOptimizer *opt, float *params, float *grads);
/* Back to the state of a new optimizer: zero state, step count 0. */
void rv_optimizer_reset (RvOptimizer *opt);

const RvOptimConfig *rv_optimizer_get_config (const RvOptimizer *opt);
size_t rv_optimizer_get_size (const RvOptimizer *opt);
/* Steps taken since creation or reset (adam's t after a step). */
uint64_t rv_optimizer_get_step_count (const RvOptimizer *opt);

/* The state buffers, for checkpoints: 0 for sgd, 1 for momentum ("m"),
 * heavy-ball and nesterov ("v"), rmsprop and adagrad ("s"), 2 for adam and
 * adamw ("m", "v"); each holds n floats of backend memory (host memory for
 * rv_optimizer_new).  A restored optimizer gets its
 * buffers written through rv_optimizer_get_state and its step count set. */
guint rv_optimizer_get_n_states (const RvOptimizer *opt);
const char *rv_optimizer_get_state_name (const RvOptimizer *opt, guint index);
float *rv_optimizer_get_state (RvOptimizer *opt, guint index);
void rv_optimizer_set_step_count (RvOptimizer *opt, uint64_t step_count);

/* The scalars of step t (counted from 1) of config: every hyper-parameter
 * rounded to float once, and Adam's bias corrections 1 - beta^t worked out in
 * double.  What a backend's optim_update takes. */
void rv_optim_scalars (const RvOptimConfig *config, uint64_t t, RvOptimScalars *s);

/* One step over host memory: clipping (when s->clip_norm > 0, the sum of
 * squares in double), then the kind's update of rv-optim-math.h for every
 * element.  The CPU backend's optim_update.  The four buffers must not
 * overlap. */
void rv_optim_update (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n);
/* Its two copies (rv-hot-loop.h), for the CPU backend's two tables. */
void rv_optim_update_baseline (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n);
void rv_optim_update_avx2 (const RvOptimScalars *s, float *params, float *grads, float *m, float *v, size_t n);

G_END_DECLS
