/* bench-geometry.c (`meson test --benchmark`): the real network's geometry
 * on the tutorial's network (784-512-256-256-128-10, ReLU) and 2,048
 * FashionMNIST images (synthetic ones when the data is absent: the work is
 * the same): 100 Lanczos steps of the sharpness, and a 21×21 landscape with
 * the time of its first, coarse pass.  Prints the figures; the targets (2
 * cores) are 20 s, 30 s and 2 s.  `bench-geometry DIR NAME` measures at a
 * saved run's best parameters instead of freshly initialized ones. */
#include <stdio.h>

#include "rv-init.h"
#include "rv-landscape.h"
#include "rv-run-files.h"
#include "rv-sharpness.h"

#define IMAGES 2048
#define PRODUCTS 100
#define GRID 21

typedef struct {
  GTimer *timer;
  double first_pass_seconds;
} PassClock;

static void
on_cell (uint32_t i, uint32_t j, double loss, uint32_t pass, uint32_t done, uint32_t total, gpointer user_data)
{
  PassClock *clock = user_data;
  if (pass == 0)
    clock->first_pass_seconds = g_timer_elapsed (clock->timer, NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvDataset) ds = NULL;
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    ds = rv_dataset_load (dir, 42, &error);
  if (ds == NULL)
    ds = rv_dataset_new_synthetic (IMAGES, 100, 42);

  g_autoptr (RvNet) theta = NULL;
  if (argc == 3)
    {
      RvTrainConfig cfg;
      RvTrainResults res;
      if (!rv_run_load (argv[1], argv[2], &cfg, &res, &theta, &error))
        g_error ("%s", error->message);
      rv_train_results_clear (&res);
    }
  else
    {
      RvNetConfig cfg;
      const uint32_t hidden[] = { 512, 256, 256, 128 };
      rv_net_config_init (&cfg, RV_ACT_RELU, hidden, G_N_ELEMENTS (hidden));
      theta = rv_net_new (&cfg, rv_backend_cpu ());
      RvInit init;
      if (!rv_init_parse ("kaiming", &init, &error) || !rv_init_apply (theta, &init, 42, NULL, 0, &error))
        g_error ("%s", error->message);
    }
  g_autoptr (RvNet) work = rv_net_new (&theta->cfg, rv_backend_cpu ());
  g_autoptr (RvLossSet) ls = rv_loss_set_new (work, ds->train_full, IMAGES, &error);
  if (ls == NULL)
    g_error ("%s", error->message);
  printf ("%s, %u images, %s parameters, %d processors\n", ds->synthetic ? "synthetic data" : "FashionMNIST",
          IMAGES, argc == 3 ? argv[2] : "Kaiming-initialized", g_get_num_processors ());

  /* tol 0: every step, unless the estimate repeats exactly twice. */
  RvSharpnessConfig scfg;
  rv_sharpness_config_init_default (&scfg);
  scfg.max_iters = PRODUCTS;
  scfg.tol = 0.0;
  RvSharpnessResult sres;
  g_autoptr (GTimer) timer = g_timer_new ();
  if (!rv_sharpness_top_eigenvalue (ls, theta->params, &scfg, &sres, NULL, &error))
    g_error ("%s", error->message);
  double sharp = g_timer_elapsed (timer, NULL);
  printf ("sharpness: %u products in %.2f s (%.3f s each; %u products: %.1f s, target 20 s), λ = %.4f\n",
          sres.iterations, sharp, sharp / sres.iterations, PRODUCTS, sharp / sres.iterations * PRODUCTS,
          sres.top_eigenvalue);

  const size_t n = theta->n_params;
  g_autofree float *x = g_new (float, n), *y = g_new (float, n);
  g_autofree double *loss = g_new (double, GRID * GRID);
  rv_landscape_random_direction (theta, theta->params, 1, 0, x);
  rv_landscape_random_direction (theta, theta->params, 1, 1, y);
  uint32_t first = 0;
  for (uint32_t i = 0; i < GRID; i++)
    for (uint32_t j = 0; j < GRID; j++)
      first += rv_landscape_cell_pass (i, j, GRID) == 0;
  PassClock clock = { .timer = timer };
  g_timer_start (timer);
  if (!rv_landscape_compute (ls, theta->params, x, y, GRID, 1.0, loss, on_cell, &clock, NULL, &error))
    g_error ("%s", error->message);
  double land = g_timer_elapsed (timer, NULL);
  printf ("landscape %d×%d: %.2f s (target 30 s); first pass (%u cells) %.2f s (target 2 s); centre %.4f\n", GRID,
          GRID, land, first, clock.first_pass_seconds, loss[(GRID / 2) * GRID + GRID / 2]);
  return 0;
}
