/* test-sharpness.c: Hessian-vector products and the power iteration,
 * against the softmax regression's Hessian written out in closed form and
 * against second differences of a double-precision loss. */
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-hvp.h"
#include "rv-loss-set.h"
#include "rv-pca.h"
#include "rv-rng.h"
#include "rv-sharpness.h"

#define K 8
#define C RV_NUM_CLASSES
#define P (RV_IMAGE_PIXELS + 1) /* the pixels and the bias's 1 */

static RvDataset *data;

/* Image n, normalized, with a trailing 1 for the bias. */
static void
image (uint32_t n, double *x)
{
  const RvImageSet *set = data->train_full;
  for (uint32_t p = 0; p < RV_IMAGE_PIXELS; p++)
    x[p] = (set->pixels[(size_t) n * RV_IMAGE_PIXELS + p] / 255.0 - 0.2861) / 0.3530;
  x[RV_IMAGE_PIXELS] = 1.0;
}

/* The mean cross-entropy of the first `count` images, in double. */
static double
direct_loss (const RvNet *layout, const float *params, uint32_t count)
{
  double total = 0.0;
  for (uint32_t n = 0; n < count; n++)
    {
      double in[P], out[P];
      uint32_t width = RV_IMAGE_PIXELS;
      image (n, in);
      for (uint32_t l = 0; l < layout->cfg.n_linear; l++)
        {
          uint32_t fan_out = rv_net_fan_out (layout, l);
          for (uint32_t r = 0; r < fan_out; r++)
            {
              double z = params[layout->b_off[l] + r];
              for (uint32_t c = 0; c < width; c++)
                z += params[layout->w_off[l] + (size_t) r * width + c] * in[c];
              out[r] = l + 1 == layout->cfg.n_linear ? z : layout->cfg.act == RV_ACT_RELU ? MAX (z, 0.0) : tanh (z);
            }
          memcpy (in, out, fan_out * sizeof (double));
          width = fan_out;
        }
      double m = in[0], s = 0.0;
      for (uint32_t c = 1; c < width; c++)
        m = MAX (m, in[c]);
      for (uint32_t c = 0; c < width; c++)
        s += exp (in[c] - m);
      total += m + log (s) - in[data->train_full->labels[n]];
    }
  return total / count;
}

static RvActivation net_act = RV_ACT_TANH;

static RvNet *
make_net (const uint32_t *hidden, uint32_t n_hidden, uint64_t seed, float std)
{
  RvNetConfig cfg;
  rv_net_config_init (&cfg, net_act, hidden, n_hidden);
  RvNet *net = rv_net_new (&cfg, rv_backend_cpu ());
  rv_rng_fill_normal (net->params, net->n_params, seed, 9, 0.0f, std);
  return net;
}

/* Softmax regression z = W x + b: the Hessian of the mean loss is
 * (1/K) Σ_n S_n ⊗ x̃_n x̃_nᵀ with S_n = diag(p_n) − p_n p_nᵀ.  Writing
 * S_n = R_nᵀ R_n, it is BᵀB for B's rows (R_n ⊗ x̃_nᵀ)/√K, and its nonzero
 * eigenvalues are those of the (10K)² matrix BBᵀ, whose entries are
 * (R_n R_mᵀ)_ab (x̃_n·x̃_m) / K. */
typedef struct {
  double x[K][P];
  double p[K][C];
  double r[K][C][C];
} Regression;

static void
regression_init (Regression *reg, const RvNet *net)
{
  for (uint32_t n = 0; n < K; n++)
    {
      image (n, reg->x[n]);
      double z[C], m = -INFINITY, s = 0;
      for (uint32_t c = 0; c < C; c++)
        {
          z[c] = net->params[net->b_off[0] + c];
          for (uint32_t i = 0; i < RV_IMAGE_PIXELS; i++)
            z[c] += net->params[net->w_off[0] + (size_t) c * RV_IMAGE_PIXELS + i] * reg->x[n][i];
          m = MAX (m, z[c]);
        }
      for (uint32_t c = 0; c < C; c++)
        s += exp (z[c] - m);
      for (uint32_t c = 0; c < C; c++)
        reg->p[n][c] = exp (z[c] - m) / s;
      /* R = diag(√λ) Vᵀ from S's eigenpairs. */
      double sm[C * C], values[C], vectors[C * C];
      for (uint32_t a = 0; a < C; a++)
        for (uint32_t b = 0; b < C; b++)
          sm[a * C + b] = (a == b ? reg->p[n][a] : 0.0) - reg->p[n][a] * reg->p[n][b];
      rv_pca_symmetric_eigen (sm, C, values, vectors);
      for (uint32_t k = 0; k < C; k++)
        for (uint32_t c = 0; c < C; c++)
          reg->r[n][k][c] = sqrt (MAX (values[k], 0.0)) * vectors[k * C + c];
    }
}

static double
regression_top_eigenvalue (const Regression *reg)
{
  const uint32_t m = K * C;
  g_autofree double *g = g_new (double, m * m), *values = g_new (double, m), *vectors = g_new (double, m * m);
  for (uint32_t n = 0; n < K; n++)
    for (uint32_t n2 = 0; n2 < K; n2++)
      {
        double xx = 0;
        for (uint32_t i = 0; i < P; i++)
          xx += reg->x[n][i] * reg->x[n2][i];
        for (uint32_t a = 0; a < C; a++)
          for (uint32_t b = 0; b < C; b++)
            {
              double rr = 0;
              for (uint32_t c = 0; c < C; c++)
                rr += reg->r[n][a][c] * reg->r[n2][b][c];
              g[(n * C + a) * m + n2 * C + b] = rr * xx / K;
            }
      }
  rv_pca_symmetric_eigen (g, m, values, vectors);
  return values[0];
}

/* vᵀHv = (1/K) Σ_n u_nᵀ S_n u_n with u_n = V x̃_n, V = v as [10, 785]. */
static double
regression_curvature (const Regression *reg, const RvNet *net, const float *v)
{
  double total = 0;
  for (uint32_t n = 0; n < K; n++)
    {
      double u[C], pu = 0, quad = 0;
      for (uint32_t c = 0; c < C; c++)
        {
          u[c] = v[net->b_off[0] + c];
          for (uint32_t i = 0; i < RV_IMAGE_PIXELS; i++)
            u[c] += v[net->w_off[0] + (size_t) c * RV_IMAGE_PIXELS + i] * reg->x[n][i];
          pu += reg->p[n][c] * u[c];
        }
      for (uint32_t c = 0; c < C; c++)
        quad += reg->p[n][c] * u[c] * u[c];
      total += quad - pu * pu;
    }
  return total / K;
}

static void
unit_random (float *v, size_t n, uint64_t seed)
{
  rv_rng_fill_normal (v, n, seed, 3, 0.0f, 1.0f);
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (double) v[i] * v[i];
  for (size_t i = 0; i < n; i++)
    v[i] = (float) (v[i] / sqrt (s));
}

static void
test_regression_known_hessian (void)
{
  g_autoptr (RvNet) net = make_net (NULL, 0, 1, 0.02f);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, data->train_full, K, &error);
  g_autofree Regression *reg = g_new (Regression, 1);
  regression_init (reg, net);

  /* Directional curvature of the product against the closed form. */
  const size_t d = net->n_params;
  g_autofree float *v = g_new (float, d), *hv = g_new (float, d);
  for (uint64_t seed = 1; seed <= 3; seed++)
    {
      unit_random (v, d, seed);
      g_assert_true (rv_sharpness_hvp (ls, net->params, v, hv, &error));
      double vhv = 0;
      for (size_t i = 0; i < d; i++)
        vhv += (double) v[i] * hv[i];
      double want = regression_curvature (reg, net, v);
      g_test_message ("v·Hv %.6g, closed form %.6g", vhv, want);
      g_assert_cmpfloat_with_epsilon (vhv, want, 2e-3 * fabs (want) + 1e-5);
    }

  /* The power iteration's eigenvalue against the closed form's. */
  RvSharpnessConfig cfg;
  RvSharpnessResult res;
  rv_sharpness_config_init_default (&cfg);
  /* The products' float32 noise floors the relative change near 1e-7. */
  cfg.max_iters = 2000;
  cfg.tol = 1e-6;
  g_assert_true (rv_sharpness_top_eigenvalue (ls, net->params, &cfg, &res, NULL, &error));
  g_assert_no_error (error);
  double want = regression_top_eigenvalue (reg);
  g_test_message ("top eigenvalue %.8g after %u iterations, closed form %.8g", res.top_eigenvalue, res.iterations,
                  want);
  g_assert_true (res.converged);
  g_assert_cmpfloat (res.relative_change, <=, cfg.tol);
  g_assert_cmpfloat_with_epsilon (res.top_eigenvalue, want, 2e-3 * want);
}

static void
test_hidden_curvature_and_convergence (void)
{
  const uint32_t hidden[] = { 6, 5 };
  g_autoptr (RvNet) net = make_net (hidden, 2, 2, 0.15f);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, data->train_full, K, &error);
  const size_t d = net->n_params;
  g_autofree float *v = g_new (float, d), *hv = g_new (float, d), *point = g_new (float, d);

  /* vᵀHv against the second difference of the double-precision loss. */
  const double h = 0.02;
  for (uint64_t seed = 1; seed <= 3; seed++)
    {
      unit_random (v, d, seed + 10);
      g_assert_true (rv_sharpness_hvp (ls, net->params, v, hv, &error));
      double vhv = 0;
      for (size_t i = 0; i < d; i++)
        vhv += (double) v[i] * hv[i];
      double l0 = direct_loss (net, net->params, K), lp, lm;
      for (size_t i = 0; i < d; i++)
        point[i] = (float) (net->params[i] + h * v[i]);
      lp = direct_loss (net, point, K);
      for (size_t i = 0; i < d; i++)
        point[i] = (float) (net->params[i] - h * v[i]);
      lm = direct_loss (net, point, K);
      double second = (lp - 2 * l0 + lm) / (h * h);
      g_test_message ("v·Hv %.6g, second difference %.6g", vhv, second);
      g_assert_cmpfloat_with_epsilon (vhv, second, 0.02 * fabs (second) + 1e-3);
    }

  /* The whole product against central differences of the gradients. */
  {
    const double eps = 1e-3;
    g_autofree float *gp = g_new (float, d), *gm = g_new (float, d);
    double loss, err = 0, size = 0;
    unit_random (v, d, 21);
    g_assert_true (rv_sharpness_hvp (ls, net->params, v, hv, &error));
    for (size_t i = 0; i < d; i++)
      point[i] = (float) (net->params[i] + eps * v[i]);
    g_assert_true (rv_loss_set_gradient (ls, point, &loss, gp, &error));
    for (size_t i = 0; i < d; i++)
      point[i] = (float) (net->params[i] - eps * v[i]);
    g_assert_true (rv_loss_set_gradient (ls, point, &loss, gm, &error));
    for (size_t i = 0; i < d; i++)
      {
        double fd = ((double) gp[i] - gm[i]) / (2 * eps);
        err += (fd - hv[i]) * (fd - hv[i]);
        size += (double) hv[i] * hv[i];
      }
    g_test_message ("‖Hv − finite differences‖ / ‖Hv‖ = %.3g", sqrt (err / size));
    g_assert_cmpfloat (sqrt (err / size), <, 0.02);
  }

  /* Converged, and no other method finds more curvature: plain power
   * iteration's Rayleigh quotients and random directions stay below it
   * (a Rayleigh quotient never exceeds the top eigenvalue). */
  RvSharpnessConfig cfg;
  RvSharpnessResult res, other;
  rv_sharpness_config_init_default (&cfg);
  cfg.max_iters = 300;
  cfg.tol = 1e-6;
  g_assert_true (rv_sharpness_top_eigenvalue (ls, net->params, &cfg, &res, NULL, &error));
  g_test_message ("λ %.6g after %u iterations, relative change %.3g", res.top_eigenvalue, res.iterations,
                  res.relative_change);
  g_assert_true (res.converged);
  g_assert_cmpfloat (res.top_eigenvalue, >, 0.0);
  unit_random (v, d, 77);
  double best_quotient = -INFINITY;
  for (int k = 0; k < 300; k++)
    {
      g_assert_true (rv_sharpness_hvp (ls, net->params, v, hv, &error));
      double vhv = 0, norm = 0;
      for (size_t i = 0; i < d; i++)
        {
          vhv += (double) v[i] * hv[i];
          norm += (double) hv[i] * hv[i];
        }
      best_quotient = MAX (best_quotient, vhv);
      for (size_t i = 0; i < d; i++)
        v[i] = (float) (hv[i] / sqrt (norm));
    }
  g_test_message ("power iteration's largest Rayleigh quotient %.6g", best_quotient);
  g_assert_cmpfloat (best_quotient, <=, res.top_eigenvalue * (1 + 1e-3));
  /* Another start agrees. */
  cfg.seed = 2;
  g_assert_true (rv_sharpness_top_eigenvalue (ls, net->params, &cfg, &other, NULL, &error));
  g_assert_cmpfloat_with_epsilon (other.top_eigenvalue, res.top_eigenvalue, 1e-3 * res.top_eigenvalue);

  /* A bad config and cancellation. */
  cfg.max_iters = 0;
  g_assert_false (rv_sharpness_top_eigenvalue (ls, net->params, &cfg, &res, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);
  cfg.max_iters = 10;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_assert_false (rv_sharpness_top_eigenvalue (ls, net->params, &cfg, &res, cancellable, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CANCELLED);
}

/* Over more images than one batch the product still matches the central
 * differences of the (batch-weighted) gradients. */
static void
test_batches (void)
{
  const uint32_t count = RV_LOSS_SET_BATCH + 300;
  g_autoptr (RvDataset) big = rv_dataset_new_synthetic (count + 100, 50, 6);
  const uint32_t hidden[] = { 6, 5 };
  g_autoptr (RvNet) net = make_net (hidden, 2, 3, 0.15f);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, big->train_full, count, &error);
  const size_t d = net->n_params;
  const double eps = 1e-3;
  g_autofree float *v = g_new (float, d), *hv = g_new (float, d), *point = g_new (float, d);
  g_autofree float *gp = g_new (float, d), *gm = g_new (float, d);
  double loss, err = 0, size = 0;
  unit_random (v, d, 31);
  g_assert_true (rv_sharpness_hvp (ls, net->params, v, hv, &error));
  for (size_t i = 0; i < d; i++)
    point[i] = (float) (net->params[i] + eps * v[i]);
  g_assert_true (rv_loss_set_gradient (ls, point, &loss, gp, &error));
  for (size_t i = 0; i < d; i++)
    point[i] = (float) (net->params[i] - eps * v[i]);
  g_assert_true (rv_loss_set_gradient (ls, point, &loss, gm, &error));
  for (size_t i = 0; i < d; i++)
    {
      double fd = ((double) gp[i] - gm[i]) / (2 * eps);
      err += (fd - hv[i]) * (fd - hv[i]);
      size += (double) hv[i] * hv[i];
    }
  g_test_message ("%u images: ‖Hv − finite differences‖ / ‖Hv‖ = %.3g", count, sqrt (err / size));
  g_assert_cmpfloat (sqrt (err / size), <, 0.02);
}

/* A workspace that keeps every chunk's v-independent passes gives the
 * products of one that recomputes them for each (which "batches" checks
 * against finite differences), product after product. */
static void
test_kept_chunks (void)
{
  const uint32_t count = 3 * RV_HVP_CHUNK + 7;
  g_autoptr (RvDataset) big = rv_dataset_new_synthetic (count + 100, 50, 7);
  const uint32_t hidden[] = { 6, 5 };
  g_autoptr (RvNet) net = make_net (hidden, 2, 5, 0.15f);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, big->train_full, count, &error);
  const float *x = rv_loss_set_get_host_images (ls);
  const uint8_t *labels = rv_loss_set_get_host_labels (ls);
  g_autoptr (RvHvp) kept = rv_hvp_new (net, net->params, x, labels, count, RV_HVP_KEEP_BYTES);
  g_autoptr (RvHvp) redone = rv_hvp_new (net, net->params, x, labels, count, 0);
  const size_t d = net->n_params;
  g_autofree float *v = g_new (float, d), *a = g_new (float, d), *b = g_new (float, d);
  for (uint64_t seed = 40; seed < 43; seed++)
    {
      unit_random (v, d, seed);
      rv_hvp_compute (kept, v, a);
      rv_hvp_compute (redone, v, b);
      double err = 0, size = 0;
      for (size_t i = 0; i < d; i++)
        {
          err = MAX (err, fabs ((double) a[i] - b[i]));
          size = MAX (size, fabs ((double) b[i]));
        }
      g_assert_cmpfloat (size, >, 0.0);
      g_assert_cmpfloat (err, <=, 1e-6 * size);
    }
}

/* The same for ReLU, whose kinks the steps seldom cross. */
static void
test_hidden_relu (void)
{
  net_act = RV_ACT_RELU;
  test_hidden_curvature_and_convergence ();
  net_act = RV_ACT_TANH;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (200, 50, 5);
  g_test_add_func ("/sharpness/regression-hessian", test_regression_known_hessian);
  g_test_add_func ("/sharpness/hidden-curvature", test_hidden_curvature_and_convergence);
  g_test_add_func ("/sharpness/hidden-curvature-relu", test_hidden_relu);
  g_test_add_func ("/sharpness/batches", test_batches);
  g_test_add_func ("/sharpness/kept-chunks", test_kept_chunks);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
