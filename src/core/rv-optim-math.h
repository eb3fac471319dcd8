/* rv-optim-math.h: one optimizer update of one element, the formulas that
 * the CPU loop (rv_optim_update in rv-optim.c) and the CUDA kernels
 * (kernels/rv-cuda-optim.cu) share.  Plain C, no GLib; rv-optim.h has the
 * rest of the optimizer API.
 *
 * The scalars of a step (learning rate, decays, Adam's bias corrections) are
 * worked out once per step on the host, in double and then rounded to float,
 * by rv_optim_scalars; the per-element updates below use only them. */
#pragma once

#include <math.h>

#include "rv-hostdevice.h"

typedef enum {
  RV_OPTIM_SGD,
  RV_OPTIM_MOMENTUM,
  RV_OPTIM_HEAVY_BALL,
  RV_OPTIM_NESTEROV,
  RV_OPTIM_RMSPROP,
  RV_OPTIM_ADAGRAD,
  RV_OPTIM_ADAM,
  RV_OPTIM_ADAMW,
  RV_OPTIM_COUNT
} RvOptimKind;

typedef struct {
  RvOptimKind kind;
  float lr;
  float mu, one_mu;         /* momentum b and 1 - b (momentum, heavy-ball, nesterov) */
  float alpha, one_alpha;   /* rmsprop's decay a and 1 - a */
  float b1, one_b1;         /* adam's beta1 and 1 - beta1 */
  float b2, one_b2;         /* adam's beta2 and 1 - beta2 */
  float bc1, bc2;           /* adam's bias corrections 1 - beta1^t, 1 - beta2^t */
  float eps;
  float keep;               /* adamw's decoupled decay 1 - lr wd; 1 for adam */
  double clip_norm;         /* > 0: first rescale the gradient to this global norm */
} RvOptimScalars;

/* sgd:  w -= lr g */
static inline RV_HOST_DEVICE void
rv_optim_sgd_update (float *w, float g, float lr)
{
  *w -= lr * g;
}

/* momentum (the tutorial's):  m = (1 - b) g + b m;  w -= lr m */
static inline RV_HOST_DEVICE void
rv_optim_momentum_update (float *w, float *m, float g, float lr, float b, float one_b)
{
  *m = one_b * g + b * *m;
  *w -= lr * *m;
}

/* heavy-ball:  v = mu v + g;  w -= lr v */
static inline RV_HOST_DEVICE void
rv_optim_heavy_ball_update (float *w, float *v, float g, float lr, float mu)
{
  *v = mu * *v + g;
  *w -= lr * *v;
}

/* nesterov:  v = mu v + g;  w -= lr (g + mu v) */
static inline RV_HOST_DEVICE void
rv_optim_nesterov_update (float *w, float *v, float g, float lr, float mu)
{
  *v = mu * *v + g;
  *w -= lr * (g + mu * *v);
}

/* rmsprop:  s = a s + (1 - a) g^2;  w -= lr g / (sqrt(s) + eps) */
static inline RV_HOST_DEVICE void
rv_optim_rmsprop_update (float *w, float *s, float g, float lr, float a, float one_a, float eps)
{
  *s = a * *s + one_a * g * g;
  *w -= lr * g / (sqrtf (*s) + eps);
}

/* adagrad:  s += g^2;  w -= lr g / (sqrt(s) + eps) */
static inline RV_HOST_DEVICE void
rv_optim_adagrad_update (float *w, float *s, float g, float lr, float eps)
{
  *s += g * g;
  *w -= lr * g / (sqrtf (*s) + eps);
}

/* adam and adamw:  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 * w = keep w - lr (m / bc1) / (sqrt(v / bc2) + eps), keep = 1 - lr wd for
 * adamw (decoupled decay, applied to the old w) and 1 for adam. */
static inline RV_HOST_DEVICE void
rv_optim_adam_update (float *w, float *m, float *v, float g, float lr, float b1, float one_b1,
                      float b2, float one_b2, float bc1, float bc2, float eps, float keep)
{
  *m = one_b1 * g + b1 * *m;
  *v = one_b2 * g * g + b2 * *v;
  const float m_hat = *m / bc1;
  const float v_hat = *v / bc2;
  *w = *w * keep - lr * m_hat / (sqrtf (v_hat) + eps);
}
