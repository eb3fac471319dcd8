/* test-app-args.c: `ravine` refuses arguments it does not take with a usage
 * line and exit status 2, never a GLib critical. */
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

static const char *ravine_path;

static void
test_stray_argument (void)
{
  static const char *const cases[][3] = { { "foo", NULL }, { "--", "--page" }, { "lesson.json", "more" } };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { ravine_path, cases[i][0], cases[i][1], NULL };
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;
      g_autoptr (GError) error = NULL;
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                                   &error));
      g_assert_no_error (error);
      g_test_message ("ravine %s: %s", cases[i][0], err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_nonnull (strstr (err, "unexpected argument"));
      g_assert_nonnull (strstr (err, "Usage: ravine"));
      g_assert_null (strstr (err, "CRITICAL"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: test-app-args PATH-TO-RAVINE");
  ravine_path = argv[1];
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_add_func ("/app/stray-argument", test_stray_argument);
  return g_test_run ();
}
