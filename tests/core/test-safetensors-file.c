/* test-safetensors-file.c: rv_safetensors_read reads regular files only:
 * a FIFO or a /dev/zero link in place of NAME.safetensors
 * is an error that names it, at once, not a hang or a multi-GB allocation. */
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "rv-checkpoint.h"
#include "rv-error.h"
#include "rv-safetensors.h"

static char *
scratch_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ravine-st-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
assert_refused (const char *path, const char *kind)
{
  g_autoptr (GError) error = NULL;
  /* Before the fix the read blocked (FIFO) or ran out of memory (/dev/zero);
   * the alarm turns either into a failure instead of a hang. */
  alarm (20);
  g_autoptr (RvSafetensors) st = rv_safetensors_read (path, &error);
  alarm (0);
  g_assert_null (st);
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, kind));

  RvNetConfig cfg;
  uint32_t hidden[] = { 4 };
  rv_net_config_init (&cfg, RV_ACT_RELU, hidden, 1);
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  g_clear_error (&error);
  alarm (20);
  g_assert_false (rv_checkpoint_load (net, path, &error));
  alarm (0);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
}

static void
test_fifo (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "run.safetensors", NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_refused (path, "FIFO");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_dev_zero (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "run.safetensors", NULL);
  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  assert_refused (path, "device");
  g_unlink (path);
  g_rmdir (dir);
}

/* A real checkpoint, and a symlink to one, still load. */
static void
test_regular (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "run.safetensors", NULL);
  g_autofree char *link = g_build_filename (dir, "link.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  RvNetConfig cfg;
  uint32_t hidden[] = { 4 };
  rv_net_config_init (&cfg, RV_ACT_RELU, hidden, 1);
  g_autoptr (RvNet) net = rv_net_new (&cfg, rv_backend_cpu ());
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] = (float) i / 8.0f;
  g_assert_true (rv_checkpoint_save (net, path, NULL, &error));
  g_assert_cmpint (symlink (path, link), ==, 0);

  g_autoptr (RvNet) back = rv_net_new (&cfg, rv_backend_cpu ());
  g_assert_true (rv_checkpoint_load (back, link, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back->params, back->n_params * sizeof (float), net->params, net->n_params * sizeof (float));
  g_unlink (link);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safetensors-file/fifo", test_fifo);
  g_test_add_func ("/safetensors-file/dev-zero", test_dev_zero);
  g_test_add_func ("/safetensors-file/regular", test_regular);
  return g_test_run ();
}
