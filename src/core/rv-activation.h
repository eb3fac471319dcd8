/* rv-activation.h: the activation functions and their initialization gains.
 * The functions themselves, f and f', are in rv-activation-math.h, which the
 * CUDA kernels share. */
#pragma once

#include <glib.h>
#include <math.h>

#include "rv-activation-math.h"

G_BEGIN_DECLS

/* "relu", "tanh", ...; the name the CLI takes and the config stores. */
const char *rv_activation_name (RvActivation act);
/* The class name PyTorch gives it ("ReLU", "Tanh", "Identity", ...). */
const char *rv_activation_torch_name (RvActivation act);
/* Accepts either name, case-insensitively. */
gboolean rv_activation_from_name (const char *name, RvActivation *out);

/* The gain torch.nn.init.calculate_gain gives (leaky ReLU with its slope);
 * for ELU, GELU and SiLU, which it does not cover, 1/sqrt(E[f(z)^2]) with
 * z ~ N(0,1), the value that preserves the second moment. */
float rv_activation_gain (RvActivation act);

G_END_DECLS
