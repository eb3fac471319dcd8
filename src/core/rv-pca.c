/* rv-pca.c: principal directions of a trajectory through its Gram matrix. */
#include "rv-pca.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"

void
rv_pca_symmetric_eigen (double *a, size_t n, double *values, double *vectors)
{
  g_autofree double *v = g_new0 (double, n * n);  /* columns are the eigenvectors */
  for (size_t i = 0; i < n; i++)
    v[i * n + i] = 1.0;

  for (int sweep = 0; sweep < 100; sweep++)
    {
      double off = 0.0, diag = 0.0;
      for (size_t p = 0; p < n; p++)
        {
          diag += a[p * n + p] * a[p * n + p];
          for (size_t q = p + 1; q < n; q++)
            off += a[p * n + q] * a[p * n + q];
        }
      if (off <= 1e-30 * diag || off == 0.0)
        break;
      for (size_t p = 0; p < n; p++)
        for (size_t q = p + 1; q < n; q++)
          {
            double apq = a[p * n + q];
            if (apq == 0.0)
              continue;
            /* The rotation that zeroes a[p][q] (Golub & Van Loan, 8.4). */
            double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
            double t = (theta >= 0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta + 1.0));
            double c = 1.0 / sqrt (t * t + 1.0), s = t * c;
            for (size_t k = 0; k < n; k++)
              {
                double akp = a[k * n + p], akq = a[k * n + q];
                a[k * n + p] = c * akp - s * akq;
                a[k * n + q] = s * akp + c * akq;
              }
            for (size_t k = 0; k < n; k++)
              {
                double apk = a[p * n + k], aqk = a[q * n + k];
                a[p * n + k] = c * apk - s * aqk;
                a[q * n + k] = s * apk + c * aqk;
              }
            for (size_t k = 0; k < n; k++)
              {
                double vkp = v[k * n + p], vkq = v[k * n + q];
                v[k * n + p] = c * vkp - s * vkq;
                v[k * n + q] = s * vkp + c * vkq;
              }
          }
    }

  /* Sorted by value, descending (n is small: selection sort). */
  g_autofree size_t *order = g_new (size_t, n);
  for (size_t i = 0; i < n; i++)
    order[i] = i;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (a[order[j] * n + order[j]] > a[order[i] * n + order[i]])
        {
          size_t t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
  for (size_t k = 0; k < n; k++)
    {
      values[k] = a[order[k] * n + order[k]];
      for (size_t i = 0; i < n; i++)
        vectors[k * n + i] = v[i * n + order[k]];
    }
}

gboolean
rv_pca_plane (const float *const *snapshots, size_t n, size_t d, const float *centre, float *x, float *y,
              double *path, double *explained, GError **error)
{
  if (n < 3)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "%zu parameter snapshots span at most one direction; PCA needs at least 3", n);
      return FALSE;
    }
  /* The mean difference from the centre, which the Gram matrix removes. */
  g_autofree double *mean = g_new0 (double, d);
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < d; i++)
      mean[i] += ((double) snapshots[k][i] - centre[i]) / n;

  g_autofree double *gram = g_new0 (double, n * n);
  for (size_t k = 0; k < n; k++)
    for (size_t l = k; l < n; l++)
      {
        double s = 0.0;
        for (size_t i = 0; i < d; i++)
          s += ((double) snapshots[k][i] - centre[i] - mean[i]) * ((double) snapshots[l][i] - centre[i] - mean[i]);
        gram[k * n + l] = gram[l * n + k] = s;
      }
  double total = 0.0;
  for (size_t k = 0; k < n; k++)
    total += gram[k * n + k];

  g_autofree double *values = g_new (double, n);
  g_autofree double *vectors = g_new (double, n * n);
  rv_pca_symmetric_eigen (gram, n, values, vectors);
  /* The second direction must stand out from rounding noise. */
  if (!(values[1] > 1e-12 * values[0]) || !(values[0] > 0.0))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "the %zu parameter snapshots lie on a line: they span fewer than two directions", n);
      return FALSE;
    }
  if (explained)
    *explained = total > 0.0 ? (values[0] + values[1]) / total : 0.0;

  /* u_c = Mᵀ w_c / ‖Mᵀ w_c‖, accumulated in double. */
  g_autofree double *u = g_new0 (double, 2 * d);
  for (int c = 0; c < 2; c++)
    {
      double *uc = u + c * d, norm = 0.0;
      for (size_t k = 0; k < n; k++)
        {
          double w = vectors[c * n + k];
          for (size_t i = 0; i < d; i++)
            uc[i] += w * ((double) snapshots[k][i] - centre[i] - mean[i]);
        }
      for (size_t i = 0; i < d; i++)
        norm += uc[i] * uc[i];
      norm = sqrt (norm);
      for (size_t i = 0; i < d; i++)
        uc[i] /= norm;
    }

  /* Projections of the uncentred differences: the centre is the origin. */
  double scale = 0.0;
  for (size_t k = 0; k < n; k++)
    for (int c = 0; c < 2; c++)
      {
        double s = 0.0;
        for (size_t i = 0; i < d; i++)
          s += ((double) snapshots[k][i] - centre[i]) * u[c * d + i];
        path[2 * k + c] = s;
      }
  for (int c = 0; c < 2; c++)
    {
      double sign = path[c] > 0.0 ? -1.0 : 1.0;
      for (size_t k = 0; k < n; k++)
        {
          path[2 * k + c] *= sign;
          scale = MAX (scale, fabs (path[2 * k + c]));
        }
      for (size_t i = 0; i < d; i++)
        u[c * d + i] *= sign;
    }
  if (!(scale > 0.0))
    scale = 1.0;
  for (size_t k = 0; k < 2 * n; k++)
    path[k] = path[k] / scale + 0.0; /* + 0.0: no −0 */
  for (size_t i = 0; i < d; i++)
    {
      x[i] = (float) (u[i] * scale);
      y[i] = (float) (u[d + i] * scale);
    }
  return TRUE;
}
