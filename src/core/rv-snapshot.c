/* rv-snapshot.c: per-layer summaries of a network in training. */
#include "rv-snapshot.h"

#include <math.h>
#include <string.h>

void
rv_snapshot_take (RvSnapshot *snap, const RvNet *net, const float *params_before, uint64_t step, uint32_t bins)
{
  memset (snap, 0, sizeof *snap);
  snap->step = step;
  snap->n_linear = net->cfg.n_linear;
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      const size_t n = rv_net_weight_count (net, l);
      const float *w = net->params + net->w_off[l], *g = net->grads + net->w_off[l];
      rv_stats_compute (&snap->weight[l], w, n, bins);
      rv_stats_compute (&snap->gradient[l], g, n, bins);
      rv_stats_compute (&snap->activation[l], net->z[l], (size_t) net->batch * rv_net_fan_out (net, l), bins);

      double g2 = 0.0, d2 = 0.0, w2 = 0.0;
      for (size_t i = 0; i < n; i++)
        g2 += (double) g[i] * g[i];
      snap->grad_norm[l] = sqrt (g2);
      if (params_before)
        {
          const float *before = params_before + net->w_off[l];
          for (size_t i = 0; i < n; i++)
            {
              double d = (double) w[i] - before[i];
              d2 += d * d;
              w2 += (double) before[i] * before[i];
            }
          snap->update_ratio[l] = w2 > 0.0 ? sqrt (d2 / w2) : NAN;
        }
      else
        snap->update_ratio[l] = NAN;
    }
}

void
rv_snapshot_clear (RvSnapshot *snap)
{
  for (uint32_t l = 0; l < RV_MAX_LINEAR; l++)
    {
      rv_stats_clear (&snap->weight[l]);
      rv_stats_clear (&snap->gradient[l]);
      rv_stats_clear (&snap->activation[l]);
    }
  memset (snap, 0, sizeof *snap);
}

void
rv_snapshot_copy (RvSnapshot *dest, const RvSnapshot *src)
{
  *dest = *src;
  for (uint32_t l = 0; l < src->n_linear; l++)
    {
      rv_stats_copy (&dest->weight[l], &src->weight[l]);
      rv_stats_copy (&dest->gradient[l], &src->gradient[l]);
      rv_stats_copy (&dest->activation[l], &src->activation[l]);
    }
}
