/* test-cli-device.c: `--device auto|cpu|cuda` of `ravine-cli train` and
 * `ravine-cli bench`, in whatever build and on whatever machine this runs:
 * cpu always trains on the CPU; cuda trains on a working GPU or fails with
 * exit status 1 saying why; auto takes the GPU when one works and otherwise
 * says, in a build with CUDA, that it uses the CPU. */
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"
#include "rv-device.h"

static const char *cli;
static char *out_dir;
static gboolean have_gpu;
static char *no_gpu_reason; /* the error --device cuda must report, when there is no GPU */

#define SMALL_RUN "train", "--synthetic", "--train-limit", "1000", "--epochs", "1", "--hidden", "16", \
                  "--batch-size", "100", "--out", out_dir, "--overwrite"

static void
assert_saved (const char *name, gboolean saved)
{
  g_autofree char *file = g_strconcat (name, ".safetensors", NULL);
  g_autofree char *path = g_build_filename (out_dir, file, NULL);
  g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, saved);
}

static void
test_cpu (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--device", "cpu", "--name", "Cpu", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "CUDA"));
  g_assert_null (strstr (r.err, "training on"));
  assert_saved ("Cpu", TRUE);
  cli_run_clear (&r);
}

static void
test_cuda (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--device", "cuda", "--name", "Cuda", NULL);
  g_test_message ("%s", r.err);
  if (have_gpu)
    {
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.err, "training on"));
      assert_saved ("Cuda", TRUE);
    }
  else
    {
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, no_gpu_reason));
      g_assert_true (g_str_has_prefix (r.err, "ravine-cli train: "));
      assert_saved ("Cuda", FALSE);
    }
  cli_run_clear (&r);
}

static void
test_auto (void)
{
  CliRun r = cli_run (cli, SMALL_RUN, "--name", "Auto", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_saved ("Auto", TRUE);
  if (have_gpu)
    g_assert_nonnull (strstr (r.err, "training on"));
  else if (rv_device_cuda_built ())
    {
      /* "ravine-cli train: no usable CUDA device (why); using the CPU" */
      g_autofree char *note = g_strdup_printf ("ravine-cli train: %s; using the CPU\n", no_gpu_reason);
      g_assert_nonnull (strstr (r.err, note));
    }
  else
    g_assert_null (strstr (r.err, "CUDA"));
  cli_run_clear (&r);
}

static void
test_bad_device (void)
{
  const char *commands[][8] = {
    { "train", "--out", "/tmp", "--name", "x", "--device", "tpu", NULL },
    { "bench", "--synthetic", "--device", "tpu", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      CliRun r = cli_runv (cli, commands[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "unknown device \"tpu\""));
      cli_run_clear (&r);
    }
}

/* Without a GPU, bench --device cuda fails at once, before timing anything. */
static void
test_bench_without_gpu (void)
{
  if (have_gpu)
    {
      g_test_skip ("a GPU is present (build-aux/gpu-check runs the GPU bench)");
      return;
    }
  CliRun r = cli_run (cli, "bench", "--synthetic", "--device", "cuda", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, no_gpu_reason));
  g_assert_cmpstr (r.out, ==, "");
  cli_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-TO-RAVINE-CLI", argv[0]);
  cli = argv[1];
  out_dir = g_dir_make_tmp ("ravine-cli-device-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  have_gpu = rv_device_backend (RV_DEVICE_CUDA, NULL, &error) != NULL;
  if (!have_gpu)
    no_gpu_reason = g_strdup (error->message);
  g_test_message ("GPU: %s", have_gpu ? "yes" : no_gpu_reason);

  g_test_add_func ("/cli/device/cpu", test_cpu);
  g_test_add_func ("/cli/device/cuda", test_cuda);
  g_test_add_func ("/cli/device/auto", test_auto);
  g_test_add_func ("/cli/device/bad-device", test_bad_device);
  g_test_add_func ("/cli/device/bench-without-gpu", test_bench_without_gpu);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", out_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", out_dir);
  g_free (no_gpu_reason);
  return status;
}
