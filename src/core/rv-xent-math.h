/* rv-xent-math.h: softmax cross-entropy of one row of logits, shared by the
 * CPU backend (rv-backend-cpu.c) and the CUDA kernel
 * (kernels/rv-cuda-xent.cu).  Plain C, no GLib. */
#pragma once

#include <math.h>
#include <stdint.h>

#include "rv-hostdevice.h"

/* For z[classes] with the true class `label`:
 *   loss = logsumexp(z) - z[label], computed around the row maximum so exp
 *          never overflows (in double);
 *   d[c] = (softmax(z)[c] - [c == label]) * inv_batch, when d is non-NULL;
 *   *hit = 1 when the first maximal logit is the label's, else 0.
 * Returns the loss. */
static inline RV_HOST_DEVICE double
rv_xent_row (const float *z, uint8_t label, int classes, float inv_batch, float *d, int *hit)
{
  int argmax = 0;
  for (int c = 1; c < classes; c++)
    if (z[c] > z[argmax])
      argmax = c;
  float zmax = z[argmax];
  double sum = 0.0;
  for (int c = 0; c < classes; c++)
    sum += exp ((double) (z[c] - zmax));
  double lse = (double) zmax + log (sum);
  *hit = argmax == label;
  if (d)
    {
      for (int c = 0; c < classes; c++)
        d[c] = (float) (exp ((double) z[c] - lse)) * inv_batch;
      d[label] -= inv_batch;
    }
  return lse - (double) z[label];
}
