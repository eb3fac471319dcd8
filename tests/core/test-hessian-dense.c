/* test-hessian-dense.c: on a tiny network (784-2-10, 1,600 parameters) the
 * sharpness equals the top eigenvalue of the Hessian built column by column
 * from central differences of gradients, found by LAPACK's dsyev (a
 * different algorithm from the one under test). */
#include <math.h>
#include <string.h>

#include "rv-loss-set.h"
#include "rv-rng.h"
#include "rv-sharpness.h"

#define K 8

extern void dsyev_ (const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
                    double *work, const int *lwork, int *info);

static void
check_activation (RvActivation act)
{
  g_autoptr (RvDataset) data = rv_dataset_new_synthetic (200, 50, 8);
  RvNetConfig cfg;
  const uint32_t hidden[] = { 2 };
  rv_net_config_init (&cfg, act, hidden, 1);
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  g_autoptr (RvNet) work = rv_net_new (&cfg, rv_backend_cpu ());
  rv_rng_fill_normal (net->params, net->n_params, 4, 1, 0.0f, 0.1f);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, data->train_full, K, &error);
  g_assert_no_error (error);

  const int n = (int) net->n_params;
  const double eps = 1e-3;
  g_autofree double *h = g_new (double, (size_t) n * n);
  g_autofree float *point = g_memdup2 (net->params, n * sizeof (float));
  g_autofree float *gp = g_new (float, n), *gm = g_new (float, n);
  for (int j = 0; j < n; j++)
    {
      double loss;
      point[j] = (float) (net->params[j] + eps);
      double up = (double) point[j] - net->params[j];
      g_assert_true (rv_loss_set_gradient (ls, point, &loss, gp, &error));
      point[j] = (float) (net->params[j] - eps);
      double down = (double) net->params[j] - point[j];
      g_assert_true (rv_loss_set_gradient (ls, point, &loss, gm, &error));
      point[j] = net->params[j];
      for (int i = 0; i < n; i++)
        h[(size_t) j * n + i] = ((double) gp[i] - gm[i]) / (up + down);
    }
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      h[(size_t) i * n + j] = h[(size_t) j * n + i] = 0.5 * (h[(size_t) i * n + j] + h[(size_t) j * n + i]);

  g_autofree double *w = g_new (double, n);
  int lwork = -1, info = 0;
  double query;
  dsyev_ ("N", "U", &n, h, &n, w, &query, &lwork, &info);
  lwork = (int) query;
  g_autofree double *scratch = g_new (double, lwork);
  dsyev_ ("N", "U", &n, h, &n, w, scratch, &lwork, &info);
  g_assert_cmpint (info, ==, 0);
  double top = w[n - 1], bottom = w[0];

  RvSharpnessConfig scfg;
  RvSharpnessResult res;
  rv_sharpness_config_init_default (&scfg);
  scfg.max_iters = 300;
  scfg.tol = 1e-7;
  g_assert_true (rv_sharpness_top_eigenvalue (ls, net->params, &scfg, &res, NULL, &error));
  g_test_message ("%s: dense Hessian's eigenvalues %.6g .. %.6g; sharpness %.6g after %u products",
                  rv_activation_name (act), bottom, top, res.top_eigenvalue, res.iterations);
  g_assert_true (res.converged);
  g_assert_cmpfloat_with_epsilon (res.top_eigenvalue, top, 2e-3 * fabs (top));
}

static void
test_tanh (void)
{
  check_activation (RV_ACT_TANH);
}

static void
test_relu (void)
{
  check_activation (RV_ACT_RELU);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hessian-dense/tanh", test_tanh);
  g_test_add_func ("/hessian-dense/relu", test_relu);
  return g_test_run ();
}
