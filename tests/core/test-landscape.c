/* test-landscape.c: the loss on a plane through a network's parameters,
 * checked against a forward pass written out here in double precision;
 * filter-normalized directions; the progressive, cancellable grid; the PCA
 * plane of a trajectory; the trajectory file. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-landscape.h"
#include "rv-loss-set.h"
#include "rv-pca.h"
#include "rv-rng.h"
#include "rv-run-trajectory.h"

#define K 24

static RvDataset *data;

/* A 784-4-3-10 tanh network with seeded parameters of a moderate size. */
static RvNet *
tiny_net_with (RvActivation act, uint64_t seed)
{
  RvNetConfig cfg;
  const uint32_t hidden[] = { 4, 3 };
  rv_net_config_init (&cfg, act, hidden, 2);
  RvNet *net = rv_net_new (&cfg, rv_backend_cpu ());
  rv_rng_fill_normal (net->params, net->n_params, seed, 7, 0.0f, 0.08f);
  return net;
}

static RvNet *
tiny_net (uint64_t seed)
{
  return tiny_net_with (RV_ACT_TANH, seed);
}

/* The mean cross-entropy of the first `count` images at params, by a plain
 * double-precision forward pass over the network's layout (tanh or ReLU). */
static double
direct_loss (const RvNet *layout, const float *params, uint32_t count)
{
  const RvImageSet *set = data->train_full;
  double total = 0.0;
  for (uint32_t n = 0; n < count; n++)
    {
      double in[RV_IMAGE_PIXELS], out[RV_IMAGE_PIXELS];
      uint32_t width = RV_IMAGE_PIXELS;
      for (uint32_t p = 0; p < RV_IMAGE_PIXELS; p++)
        in[p] = (set->pixels[(size_t) n * RV_IMAGE_PIXELS + p] / 255.0 - 0.2861) / 0.3530;
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
      total += m + log (s) - in[set->labels[n]];
    }
  return total / count;
}

static void
test_loss_set_matches_direct (void)
{
  g_autoptr (RvNet) net = tiny_net (1);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, data->train_full, K, &error);
  g_assert_no_error (error);
  double loss;
  g_assert_true (rv_loss_set_loss (ls, net->params, &loss, &error));
  g_assert_cmpfloat_with_epsilon (loss, direct_loss (net, net->params, K), 1e-5);

  /* More images than the file holds, or none, are refused. */
  g_autoptr (RvLossSet) none = rv_loss_set_new (work, data->train_full, data->train_full->n + 1, &error);
  g_assert_null (none);
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
}

/* More images than one batch: each batch's mean weighted by its share,
 * for the loss, the gradient and the Hessian-vector product alike. */
static void
test_loss_set_batches (void)
{
  const uint32_t count = RV_LOSS_SET_BATCH + 300;
  g_autoptr (RvDataset) big = rv_dataset_new_synthetic (count + 100, 50, 4);
  RvDataset *small = data;
  data = big;
  g_autoptr (RvNet) net = tiny_net (6);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, big->train_full, count, &error);
  g_assert_no_error (error);
  const size_t d = net->n_params;
  g_autofree float *grad = g_new (float, d);
  double loss, loss2;
  g_assert_true (rv_loss_set_gradient (ls, net->params, &loss, grad, &error));
  g_assert_true (rv_loss_set_loss (ls, net->params, &loss2, &error));
  g_assert_cmpfloat_with_epsilon (loss, direct_loss (net, net->params, count), 1e-5);
  g_assert_cmpfloat (loss, ==, loss2);

  /* The whole set as one batch of a network of its own. */
  g_autoptr (RvNet) one = rv_net_new (&net->cfg, rv_backend_cpu ());
  memcpy (one->params, net->params, d * sizeof (float));
  g_autofree float *x = g_new (float, (size_t) count * RV_IMAGE_PIXELS);
  g_autofree uint8_t *labels = g_new (uint8_t, count);
  g_autofree uint32_t *rows = g_new (uint32_t, count);
  for (uint32_t i = 0; i < count; i++)
    rows[i] = i;
  rv_dataset_gather (big->train_full, rows, count, x, labels);
  rv_net_zero_grad (one);
  double whole = rv_net_loss (one, x, labels, count, TRUE, NULL);
  g_assert_cmpfloat_with_epsilon (loss, whole, 1e-6);
  double err = 0, size = 0;
  for (size_t i = 0; i < d; i++)
    {
      err = MAX (err, fabs ((double) grad[i] - one->grads[i]));
      size = MAX (size, fabs (one->grads[i]));
    }
  g_assert_cmpfloat (err, <, 1e-4 * size);

  /* The plane's points over both batches: the first layer's products
   * taken once and summed agree with the loss at the point itself. */
  g_autofree float *dx = g_new (float, d), *dy = g_new (float, d), *point = g_new (float, d);
  rv_landscape_random_direction (net, net->params, 2, 0, dx);
  rv_landscape_random_direction (net, net->params, 2, 1, dy);
  g_assert_true (rv_loss_set_set_plane (ls, net->params, dx, dy, &error));
  const double ab[][2] = { { 0.0, 0.0 }, { 0.7, -0.3 }, { -1.0, 1.0 } };
  for (gsize k = 0; k < G_N_ELEMENTS (ab); k++)
    {
      rv_landscape_point (net->params, dx, dy, d, ab[k][0], ab[k][1], point);
      g_assert_true (rv_loss_set_plane_loss (ls, point, ab[k][0], ab[k][1], &loss, &error));
      g_assert_cmpfloat_with_epsilon (loss, direct_loss (net, point, count), 1e-5);
      if (k == 0)
        g_assert_cmpfloat_with_epsilon (loss, loss2, 1e-6);
    }
  data = small;
}

static void
test_random_direction_filter_normalized (void)
{
  g_autoptr (RvNet) net = tiny_net (2);
  g_autofree float *x = g_new (float, net->n_params), *y = g_new (float, net->n_params);
  g_autofree float *again = g_new (float, net->n_params);
  rv_landscape_random_direction (net, net->params, 5, 0, x);
  rv_landscape_random_direction (net, net->params, 5, 1, y);
  rv_landscape_random_direction (net, net->params, 5, 0, again);
  g_assert_cmpmem (x, net->n_params * sizeof (float), again, net->n_params * sizeof (float));

  double dot = 0.0;
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      uint32_t cols = rv_net_fan_in (net, l);
      for (uint32_t r = 0; r < rv_net_fan_out (net, l); r++)
        {
          const size_t at = net->w_off[l] + (size_t) r * cols;
          double nt = 0, nx = 0, ny = 0;
          for (uint32_t c = 0; c < cols; c++)
            {
              nt += (double) net->params[at + c] * net->params[at + c];
              nx += (double) x[at + c] * x[at + c];
              ny += (double) y[at + c] * y[at + c];
              dot += (double) x[at + c] * y[at + c];
            }
          g_assert_cmpfloat_with_epsilon (sqrt (nx), sqrt (nt), 1e-5 * sqrt (nt));
          g_assert_cmpfloat_with_epsilon (sqrt (ny), sqrt (nt), 1e-5 * sqrt (nt));
        }
      for (uint32_t r = 0; r < rv_net_fan_out (net, l); r++)
        {
          g_assert_cmpfloat (x[net->b_off[l] + r], ==, 0.0f);
          g_assert_cmpfloat (y[net->b_off[l] + r], ==, 0.0f);
        }
    }
  /* x and y are different draws: nowhere near parallel in 3000 dimensions. */
  double nx = 0, ny = 0;
  for (size_t i = 0; i < net->n_params; i++)
    {
      nx += (double) x[i] * x[i];
      ny += (double) y[i] * y[i];
    }
  g_assert_cmpfloat (fabs (dot) / sqrt (nx * ny), <, 0.2);
}

typedef struct {
  uint32_t calls, last_pass;
  gboolean in_order;
  uint8_t seen[9 * 9];
  GCancellable *cancel_after_3;
} Cells;

static void
on_cell (uint32_t i, uint32_t j, double loss, uint32_t pass, uint32_t done, uint32_t total, gpointer user_data)
{
  Cells *c = user_data;
  c->calls++;
  g_assert_cmpuint (done, ==, c->calls);
  g_assert_cmpuint (pass, ==, rv_landscape_cell_pass (i, j, 9));
  if (pass < c->last_pass)
    c->in_order = FALSE;
  c->last_pass = pass;
  c->seen[i * 9 + j]++;
  if (c->cancel_after_3 && done == 3)
    g_cancellable_cancel (c->cancel_after_3);
}

static void
test_grid_against_direct (void)
{
  g_autoptr (RvNet) net = tiny_net (3);
  g_autoptr (RvNet) work = rv_net_new (&net->cfg, rv_backend_cpu ());
  g_autoptr (GError) error = NULL;
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, data->train_full, K, &error);
  const size_t d = net->n_params;
  g_autofree float *x = g_new (float, d), *y = g_new (float, d), *point = g_new (float, d);
  rv_landscape_random_direction (net, net->params, 1, 0, x);
  rv_landscape_random_direction (net, net->params, 1, 1, y);
  const uint32_t grid = 9;
  const double span = 0.75;
  double loss[9 * 9];
  Cells cells = { .in_order = TRUE };
  g_assert_true (rv_landscape_compute (ls, net->params, x, y, grid, span, loss, on_cell, &cells, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cells.calls, ==, grid * grid);
  g_assert_true (cells.in_order);
  for (uint32_t c = 0; c < grid * grid; c++)
    g_assert_cmpuint (cells.seen[c], ==, 1);
  /* The first pass is coarse: every 4th row and column and the last. */
  g_assert_cmpuint (rv_landscape_cell_pass (0, 0, grid), ==, 0);
  g_assert_cmpuint (rv_landscape_cell_pass (4, 8, grid), ==, 0);
  g_assert_cmpuint (rv_landscape_cell_pass (2, 4, grid), ==, 1);
  g_assert_cmpuint (rv_landscape_cell_pass (1, 4, grid), ==, 2);

  /* The centre cell is θ* itself. */
  g_assert_cmpfloat (rv_landscape_coordinate (4, grid, span), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (loss[4 * grid + 4], direct_loss (net, net->params, K), 1e-5);
  /* Row i is beta[i], column j alpha[j]: an off-diagonal cell, the plane's
   * point built here. */
  const uint32_t i = 1, j = 6;
  double a = -span + 2 * span * j / (grid - 1), b = -span + 2 * span * i / (grid - 1);
  for (size_t k = 0; k < d; k++)
    point[k] = (float) (net->params[k] + a * x[k] + b * y[k]);
  g_assert_cmpfloat_with_epsilon (loss[i * grid + j], direct_loss (net, point, K), 1e-5);
  for (size_t k = 0; k < d; k++)
    point[k] = (float) (net->params[k] + b * x[k] + a * y[k]);
  g_assert_cmpfloat (fabs (loss[i * grid + j] - direct_loss (net, point, K)), >, 1e-3);
  /* Along x alone, the middle row is the loss along the direction. */
  for (uint32_t jj = 0; jj < grid; jj++)
    {
      double aa = rv_landscape_coordinate (jj, grid, span);
      for (size_t k = 0; k < d; k++)
        point[k] = (float) (net->params[k] + aa * x[k]);
      g_assert_cmpfloat_with_epsilon (loss[4 * grid + jj], direct_loss (net, point, K), 1e-5);
    }

  /* Cancelled after 3 cells: those stay, the rest are NaN. */
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Cells some = { .in_order = TRUE, .cancel_after_3 = cancellable };
  g_assert_false (rv_landscape_compute (ls, net->params, x, y, grid, span, loss, on_cell, &some, cancellable,
                                        &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CANCELLED);
  g_clear_error (&error);
  uint32_t finite = 0;
  for (uint32_t c = 0; c < grid * grid; c++)
    finite += isfinite (loss[c]);
  g_assert_cmpuint (finite, ==, 3);

  /* A grid under 2 or a span that is not positive is refused. */
  g_assert_false (rv_landscape_compute (ls, net->params, x, y, 1, span, loss, NULL, NULL, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rv_landscape_compute (ls, net->params, x, y, 3, 0.0, loss, NULL, NULL, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);

  /* A span that blows a ReLU network's parameters up (tanh would bound
   * them) marks cells diverged, no more. */
  g_autoptr (RvNet) relu = tiny_net_with (RV_ACT_RELU, 3);
  g_autoptr (RvNet) relu_work = rv_net_new (&relu->cfg, rv_backend_cpu ());
  g_autoptr (RvLossSet) relu_ls = rv_loss_set_new (relu_work, data->train_full, K, &error);
  rv_landscape_random_direction (relu, relu->params, 1, 0, x);
  rv_landscape_random_direction (relu, relu->params, 1, 1, y);
  g_assert_true (rv_landscape_compute (relu_ls, relu->params, x, y, 3, 1e30, loss, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (loss[4], direct_loss (relu, relu->params, K), 1e-5);
  g_assert_false (isfinite (loss[0]));
}

static void
test_symmetric_eigen (void)
{
  /* Q diag(5, 2, -1) Qᵀ for a rotation Q: the eigenpairs come back. */
  const double c = cos (0.7), s = sin (0.7);
  const double q[3][3] = { { c, -s, 0 }, { s * 0.6, c * 0.6, 0.8 }, { -s * 0.8, -c * 0.8, 0.6 } };
  const double lam[3] = { 2, 5, -1 };
  double a[9], values[3], vectors[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        a[i * 3 + j] = 0;
        for (int k = 0; k < 3; k++)
          a[i * 3 + j] += q[i][k] * lam[k] * q[j][k];
      }
  double copy[9];
  memcpy (copy, a, sizeof a);
  rv_pca_symmetric_eigen (a, 3, values, vectors);
  g_assert_cmpfloat_with_epsilon (values[0], 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (values[1], 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (values[2], -1, 1e-12);
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < 3; i++)
      {
        double av = 0;
        for (int j = 0; j < 3; j++)
          av += copy[i * 3 + j] * vectors[k * 3 + j];
        g_assert_cmpfloat_with_epsilon (av, values[k] * vectors[k * 3 + i], 1e-12);
      }
}

static void
test_pca_recovers_plane (void)
{
  const size_t d = 300, n = 7;
  g_autofree float *centre = g_new (float, d), *u = g_new (float, d), *w = g_new (float, d);
  g_autofree float *x = g_new (float, d), *y = g_new (float, d);
  g_autofree float *snaps = g_new (float, n * d);
  const float *ptrs[7];
  rv_rng_fill_normal (centre, d, 11, 0, 0.0f, 1.0f);
  rv_rng_fill_normal (u, d, 11, 1, 0.0f, 0.1f);
  rv_rng_fill_normal (w, d, 11, 2, 0.0f, 0.1f);
  /* A curved path in span(u, w) that ends at the centre. */
  const double a[7] = { -3, -2.2, -1.1, -0.4, 0.3, 0.2, 0 }, b[7] = { 1, 1.8, 1.6, 1.0, 0.5, 0.1, 0 };
  for (size_t k = 0; k < n; k++)
    {
      for (size_t i = 0; i < d; i++)
        snaps[k * d + i] = (float) (centre[i] + a[k] * u[i] + b[k] * w[i]);
      ptrs[k] = snaps + k * d;
    }
  double path[14], explained = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_pca_plane (ptrs, n, d, centre, x, y, path, &explained, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (explained, >, 0.999999);
  /* Every snapshot, the first and the last included, is its point in the plane. */
  for (size_t k = 0; k < n; k++)
    {
      double err = 0, size = 0;
      for (size_t i = 0; i < d; i++)
        {
          double p = centre[i] + path[2 * k] * x[i] + path[2 * k + 1] * y[i];
          err = MAX (err, fabs (p - snaps[k * d + i]));
          size = MAX (size, fabs (snaps[k * d + i] - centre[i]));
        }
      g_assert_cmpfloat (err, <, 1e-5 * MAX (size, 1.0));
      g_assert_cmpfloat (fabs (path[2 * k]), <=, 1.0 + 1e-12);
      g_assert_cmpfloat (fabs (path[2 * k + 1]), <=, 1.0 + 1e-12);
    }
  g_assert_cmpfloat (path[0], <=, 0.0);
  g_assert_cmpfloat (path[1], <=, 0.0);
  g_assert_cmpfloat (fabs (path[2 * (n - 1)]), <, 1e-6);
  /* x ⟂ y, and the same length. */
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < d; i++)
    {
      xy += (double) x[i] * y[i];
      xx += (double) x[i] * x[i];
      yy += (double) y[i] * y[i];
    }
  g_assert_cmpfloat (fabs (xy), <, 1e-5 * xx);
  g_assert_cmpfloat_with_epsilon (xx, yy, 1e-5 * xx);

  /* Points on a line span one direction: refused. */
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < d; i++)
      snaps[k * d + i] = (float) (centre[i] + a[k] * u[i]);
  g_assert_false (rv_pca_plane (ptrs, n, d, centre, x, y, path, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rv_pca_plane (ptrs, 2, d, centre, x, y, path, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
}

static void
test_trajectory_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ravine-traj-XXXXXX", NULL);
  g_autoptr (RvNet) net = tiny_net (4);
  g_autoptr (RvNet) other = tiny_net (5);
  g_autoptr (GError) error = NULL;
  const uint32_t epochs[3] = { 0, 2, 4 };
  const float *snaps[3] = { other->params, net->params, other->params };

  g_assert_true (rv_run_trajectory_keeps_epoch (0, 40));
  g_assert_true (rv_run_trajectory_keeps_epoch (2, 40));
  g_assert_false (rv_run_trajectory_keeps_epoch (3, 40));
  g_assert_true (rv_run_trajectory_keeps_epoch (3, 3));
  g_assert_true (rv_run_trajectory_keeps_epoch (39, 41) || rv_run_trajectory_keeps_epoch (41, 41));

  /* No file: an argument error that points to the way out. */
  g_assert_null (rv_run_trajectory_load (dir, "T", net, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "random"));
  g_clear_error (&error);

  g_assert_true (rv_run_trajectory_save (dir, "T", net, snaps, epochs, 3, net->params, &error));
  g_autoptr (RvRunTrajectory) traj = rv_run_trajectory_load (dir, "T", net, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (traj->n, ==, 3);
  for (uint32_t k = 0; k < 3; k++)
    {
      g_assert_cmpuint (traj->epochs[k], ==, epochs[k]);
      g_assert_cmpmem (traj->params[k], net->n_params * sizeof (float), snaps[k], net->n_params * sizeof (float));
    }

  /* A trajectory of another training (other best parameters) is stale. */
  g_assert_null (rv_run_trajectory_load (dir, "T", other, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "another training"));
  g_clear_error (&error);

  g_autofree char *path = g_build_filename (dir, "T_trajectory.safetensors", NULL);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (400, 50, 3);
  g_test_add_func ("/landscape/loss-set", test_loss_set_matches_direct);
  g_test_add_func ("/landscape/loss-set-batches", test_loss_set_batches);
  g_test_add_func ("/landscape/filter-normalized", test_random_direction_filter_normalized);
  g_test_add_func ("/landscape/grid", test_grid_against_direct);
  g_test_add_func ("/landscape/eigen", test_symmetric_eigen);
  g_test_add_func ("/landscape/pca-plane", test_pca_recovers_plane);
  g_test_add_func ("/landscape/trajectory-file", test_trajectory_file);
  int status = g_test_run ();
  rv_dataset_free (data);
  return status;
}
