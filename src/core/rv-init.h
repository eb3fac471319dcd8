/* rv-init.h: the initializers of the tutorial, and a few beyond it.
 *
 * Tutorial ones, exactly as it writes them:
 *   const:V     every parameter, biases too, set to V
 *   normal:S    every parameter, biases too, drawn from N(0, S^2)
 *   equal-var   W ~ N(0, 1/fan_in), b = 0
 *   xavier      W ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)), b = 0
 *   kaiming     W ~ N(0, 2/fan_in), the first layer N(0, 1/fan_in), b = 0
 * Beyond it (g = the activation's gain, 1 for the first layer whose input is
 * not an activation's output):
 *   xavier-normal    W ~ N(0, g^2 * 2 / (fan_in + fan_out))
 *   kaiming-uniform  W ~ U(-a, a), a = g * sqrt(3 / fan_in)
 *   orthogonal       W = g * (a random semi-orthogonal matrix)
 *   lsuv             orthogonal, then each layer rescaled until its output
 *                    variance on a probe batch is 1 (Mishkin & Matas 2016) */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "rv-net.h"

G_BEGIN_DECLS

typedef enum {
  RV_INIT_CONST,
  RV_INIT_NORMAL,
  RV_INIT_EQUAL_VAR,
  RV_INIT_XAVIER,
  RV_INIT_KAIMING,
  RV_INIT_XAVIER_NORMAL,
  RV_INIT_KAIMING_UNIFORM,
  RV_INIT_ORTHOGONAL,
  RV_INIT_LSUV,
  RV_INIT_COUNT
} RvInitKind;

typedef struct {
  RvInitKind kind;
  float value;  /* the fill for const, the std for normal; unused otherwise */
} RvInit;

/* "const:0.005", "normal:0.01", "equal-var", "xavier", "kaiming", ... */
gboolean rv_init_parse (const char *spec, RvInit *out, GError **error);
/* The spec string rv_init_parse takes back. */
char *rv_init_to_string (const RvInit *init);
const char *rv_init_kind_name (RvInitKind kind);
gboolean rv_init_kind_takes_value (RvInitKind kind);

/* The standard deviation of the distribution init draws Linear l's weights
 * from (l = 0 is the first layer, whose input is no activation's output):
 * a / sqrt(3) for U(-a, a); for orthogonal, gain / sqrt(max(fan_in,
 * fan_out)), the root mean square entry of gain times a semi-orthogonal
 * matrix; 0 for const (every weight equal); NaN for lsuv, which scales by
 * the data.  What the Initialization page's formula card shows. */
double rv_init_weight_std (const RvInit *init, RvActivation act, uint32_t l, uint32_t fan_in, uint32_t fan_out);

/* Initializes net->params from (seed, layer) streams.  LSUV needs a probe
 * batch probe_x[probe_batch, 784]; the others ignore it (may be NULL). */
gboolean rv_init_apply (RvNet *net, const RvInit *init, uint64_t seed,
                        const float *probe_x, uint32_t probe_batch, GError **error);

G_END_DECLS
