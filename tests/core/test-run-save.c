/* test-run-save.c: a run's three files are saved all or nothing.  A save
 * killed (SIGKILL) at every one of its steps and at 100 random moments, one
 * that runs out of disk at several points, one cancelled, and two processes
 * saving the same run at once always leave the previous run whole or the
 * new one whole, never a mix, and the next use leaves no staged or
 * temporary file behind.  And every member of the config and results that
 * used to crash a load, or pass silently, is an error naming the file. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run-save-variant.h"
#include "rv-error.h"
#include "rv-run-files.h"

#define NAME "r1"

static const char *helper;

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("ravine-run-save-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  GDir *dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_dir_close (dir);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* "a b c": the folder's entries, sorted. */
static char *
list_dir (const char *path)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

#define WHOLE_LISTING NAME ".config " NAME ".safetensors " NAME "_history.json " NAME "_results.json"

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("expected “%s” in the message: %s", part, text);
}

static void
save_variant (const char *dir, char which)
{
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  run_variant_make (which, &cfg, &res, &net);
  g_assert_true (rv_run_save (dir, NAME, &cfg, &res, net, &error));
  g_assert_no_error (error);
  rv_train_results_clear (&res);
}

/* Loads the run and says which one it is, wholly; fails the test on a
 * mix, a load error or anything left beside the three files. */
static char
load_whole_maybe_busy (const char *dir, gboolean busy)
{
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  if (!rv_run_load (dir, NAME, &cfg, &res, &net, &error))
    g_error ("the run does not load: %s", error->message);
  char which = run_variant_identify (&cfg, &res, net);
  rv_train_results_clear (&res);
  if (which == 0)
    g_error ("the run loads but is a mix of A and B");
  if (busy)
    return which;  /* another process may be saving now */
  g_autofree char *listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, WHOLE_LISTING);
  return which;
}

static char
load_whole (const char *dir)
{
  return load_whole_maybe_busy (dir, FALSE);
}

/* Starts the helper saving LETTERS COUNT times, with extra environment. */
static GPid
start_helper (const char *dir, const char *letters, const char *count, const char *const *env)
{
  g_auto (GStrv) envp = g_get_environ ();
  for (const char *const *e = env; e && *e; e += 2)
    envp = g_environ_setenv (envp, e[0], e[1], TRUE);
  const char *argv[] = { helper, dir, NAME, letters, count, NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  g_assert_true (g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static int
wait_helper (GPid pid)
{
  int status;
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return status;
}

static gboolean
journal_there (const char *dir)
{
  g_autofree char *journal = g_build_filename (dir, NAME ".commit", NULL);
  return g_file_test (journal, G_FILE_TEST_EXISTS);
}

/* SIGKILL at step k of a save of B over A, for every k: before the journal
 * the run is A, from it on B; never anything else.  Where a kill left a
 * journal, a second save killed while finishing it changes nothing. */
static void
test_kill_every_step (Fixture *f, gconstpointer data)
{
  int kills = 0, rolled = 0;
  char last = 'A';
  save_variant (f->dir, 'A');
  for (int k = 1;; k++)
    {
      g_autofree char *at = g_strdup_printf ("%d", k);
      const char *env[] = { "RAVINE_TEST_SAVE_KILL_AT", at, NULL };
      int status = wait_helper (start_helper (f->dir, "B", "1", env));
      if (WIFEXITED (status))
        {
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          g_assert_cmpint (load_whole (f->dir), ==, 'B');
          break;
        }
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      kills++;
      if (journal_there (f->dir))
        {
          /* Killed again at each of the finishing renames. */
          rolled++;
          for (int j = 1; j <= 3 && journal_there (f->dir); j++)
            {
              g_autofree char *again = g_strdup_printf ("%d", j);
              const char *env2[] = { "RAVINE_TEST_SAVE_KILL_AT", again, NULL };
              wait_helper (start_helper (f->dir, "A", "1", env2));
            }
        }
      char which = load_whole (f->dir);
      /* A...A B...B: once decided, a kill never takes the save back. */
      g_assert_true (which == 'A' || which == 'B');
      if (last == 'B')
        g_assert_cmpint (which, ==, 'B');
      last = which;
      g_test_message ("killed at step %d: %c", k, which);
      if (which == 'B')
        save_variant (f->dir, 'A'), last = 'B';
      g_assert_cmpint (k, <, 100);
    }
  g_test_message ("%d steps, %d of them after the commit point", kills, rolled);
  g_assert_cmpint (kills, >=, 10);
  g_assert_cmpint (rolled, >=, 3);
}

/* SIGKILL at 100 random moments of a helper that saves B, A, B, ... with
 * every step slowed: each time the run loads whole as A or as B. */
static void
test_kill_random (Fixture *f, gconstpointer data)
{
  int counts[2] = { 0, 0 }, journals = 0;
  const char *env[] = { "RAVINE_TEST_SAVE_DELAY_US", "1500", NULL };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  save_variant (f->dir, 'A');
  for (int i = 0; i < 100; i++)
    {
      GPid pid = start_helper (f->dir, i % 2 ? "AB" : "BA", "0", env);
      g_usleep (g_rand_int_range (rand, 0, 80000));
      kill (pid, SIGKILL);
      int status = wait_helper (pid);
      g_assert_true (WIFSIGNALED (status));
      journals += journal_there (f->dir);
      counts[load_whole (f->dir) - 'A']++;
    }
  g_test_message ("100 kills: %d left A, %d left B, %d left a journal to finish", counts[0], counts[1], journals);
}

/* A full disk (RAVINE_TEST_FAIL_WRITE_AFTER) in the config, in the weights
 * and, with enough room for everything but the journal's flush, nowhere:
 * the previous run stays whole; a first save that fails leaves nothing. */
static void
test_full_disk (Fixture *f, gconstpointer data)
{
  const char *points[] = { "0", "1", "100", "1000", "20000", "100000" };
  save_variant (f->dir, 'A');
  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      RvTrainConfig cfg;
      RvTrainResults res;
      g_autoptr (RvNet) net = NULL;
      g_autoptr (GError) error = NULL;
      run_variant_make ('B', &cfg, &res, &net);
      g_setenv ("RAVINE_TEST_FAIL_WRITE_AFTER", points[i], TRUE);
      g_assert_false (rv_run_save (f->dir, NAME, &cfg, &res, net, &error));
      g_unsetenv ("RAVINE_TEST_FAIL_WRITE_AFTER");
      g_assert_error (error, RV_ERROR, RV_ERROR_IO);
      g_test_message ("%s", error->message);
      assert_contains (error->message, g_strerror (ENOSPC));
      assert_contains (error->message, "previous files");
      g_assert_cmpint (load_whole (f->dir), ==, 'A');
      rv_train_results_clear (&res);
    }

  g_autofree char *fresh = g_build_filename (f->dir, "fresh", NULL);
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  run_variant_make ('B', &cfg, &res, &net);
  g_setenv ("RAVINE_TEST_FAIL_WRITE_AFTER", "1000", TRUE);
  g_assert_false (rv_run_save (fresh, NAME, &cfg, &res, net, &error));
  g_unsetenv ("RAVINE_TEST_FAIL_WRITE_AFTER");
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_autofree char *listing = list_dir (fresh);
  g_assert_cmpstr (listing, ==, "");
  g_assert_false (rv_run_exists (fresh, NAME));
  g_assert_cmpint (g_rmdir (fresh), ==, 0);
  rv_train_results_clear (&res);
}

static gboolean
always_stop (gpointer data)
{
  return TRUE;
}

/* A save stopped before its commit point (Ctrl-C in ravine-cli train)
 * changes nothing and leaves nothing. */
static void
test_cancel (Fixture *f, gconstpointer data)
{
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  save_variant (f->dir, 'A');
  run_variant_make ('B', &cfg, &res, &net);
  g_assert_false (rv_run_save_full (f->dir, NAME, &cfg, &res, net, always_stop, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CANCELLED);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, WHOLE_LISTING);
  g_assert_cmpint (load_whole (f->dir), ==, 'A');
  rv_train_results_clear (&res);
}

/* What a killed save of an older Ravine or of this one leaves before its
 * journal (staged files, temporary files) goes at the next load; a journal
 * that is not one is refused, naming it. */
static void
test_leftovers (Fixture *f, gconstpointer data)
{
  const char *junk[] = { NAME ".config.new", NAME ".safetensors.new", NAME ".config.Ab12Cd.tmp",
                         NAME ".safetensors.new.XyZ123.tmp", NAME "_results.json.qwerty.tmp",
                         NAME ".commit.abcdef.tmp" };
  save_variant (f->dir, 'A');
  for (gsize i = 0; i < G_N_ELEMENTS (junk); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, junk[i], NULL);
      g_assert_true (g_file_set_contents (path, "half", -1, NULL));
    }
  /* Another run's files, and names that only look alike, stay. */
  g_autofree char *other = g_build_filename (f->dir, "r10.config.Ab12Cd.tmp", NULL);
  g_assert_true (g_file_set_contents (other, "x", -1, NULL));
  g_assert_true (rv_run_exists (f->dir, NAME));
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, NAME ".config " NAME ".safetensors r10.config.Ab12Cd.tmp " NAME "_history.json " NAME "_results.json");
  g_assert_cmpint (g_unlink (other), ==, 0);
  g_assert_cmpint (load_whole (f->dir), ==, 'A');

  g_autofree char *journal = g_build_filename (f->dir, NAME ".commit", NULL);
  g_assert_true (g_file_set_contents (journal, "not a journal", -1, NULL));
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_run_load (f->dir, NAME, &cfg, &res, NULL, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_CHECKPOINT);
  assert_contains (error->message, journal);
  g_assert_cmpint (g_unlink (journal), ==, 0);
}

/* Two processes saving the same run at once, 15 times each, while this one
 * loads it: the lock makes them take turns, so every load sees one whole
 * run and both finish without error. */
static void
test_concurrent (Fixture *f, gconstpointer data)
{
  const char *env[] = { "RAVINE_TEST_SAVE_DELAY_US", "200", NULL };
  save_variant (f->dir, 'A');
  GPid a = start_helper (f->dir, "A", "15", env);
  GPid b = start_helper (f->dir, "B", "15", env);
  int loads = 0;
  for (; loads < 30; loads++)
    load_whole_maybe_busy (f->dir, TRUE);
  int sa = wait_helper (a), sb = wait_helper (b);
  g_assert_true (WIFEXITED (sa) && WEXITSTATUS (sa) == 0);
  g_assert_true (WIFEXITED (sb) && WEXITSTATUS (sb) == 0);
  load_whole (f->dir);
}

static char *
write_run_file (const char *dir, const char *suffix, const char *text)
{
  g_autofree char *file = g_strconcat (NAME, suffix, NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Replaces member's value in the saved JSON text by value. */
static char *
edit_member (const char *text, const char *member, const char *value)
{
  g_autofree char *key = g_strdup_printf ("\"%s\": ", member);
  const char *at = strstr (text, key);
  g_assert_nonnull (at);
  const char *start = at + strlen (key);
  const char *end = start;
  int depth = 0;
  for (; *end && (depth > 0 || (*end != ',' && *end != '\n' && *end != '}')); end++)
    depth += (*end == '[') - (*end == ']');
  return g_strdup_printf ("%.*s%s%s", (int) (start - text), text, value, end);
}

/* Each broken config or results file is an error that names the file (and
 * the member), never a crash, a hang or a silent load. */
static void
test_bad_members (Fixture *f, gconstpointer data)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *deep_close = g_strnfill (100000, ']');
  g_autofree char *deep_text = g_strconcat (deep, deep_close, NULL);
  struct {
    const char *suffix, *member, *value, *whole, *expect;
  } cases[] = {
    { ".config", NULL, NULL, "", "empty" },
    { ".config", NULL, NULL, " \n\t ", "empty" },
    { "_results.json", NULL, NULL, "", "empty" },
    { "_results.json", NULL, NULL, "\n\n", "empty" },
    { ".config", NULL, NULL, deep_text, "nested too deeply" },
    { "_results.json", NULL, NULL, deep_text, "nested too deeply" },
    { ".config", "seed", "1 } garbage", NULL, "more data after" },
    { "_results.json", "best_epoch", "-1", NULL, "best_epoch" },
    { "_results.json", "best_epoch", "1e20", NULL, "best_epoch" },
    { "_results.json", "best_epoch", "\"1\"", NULL, "best_epoch" },
    { "_results.json", "best_epoch", "1.5", NULL, "best_epoch" },
    { "_results.json", "best_epoch", "2", NULL, "best_epoch" },
    { "_results.json", "val_scores", "[]", NULL, "val_scores" },
    { ".config", "train_limit", "-1", NULL, "train_limit" },
    { ".config", "train_limit", "\"many\"", NULL, "train_limit" },
    { ".config", "train_limit", "1e9", NULL, "train_limit" },
    { ".config", "hidden_sizes", "[65536, 65536]", NULL, "would need" },
  };
  save_variant (f->dir, 'A');
  g_autofree char *good_config = NULL, *good_results = NULL;
  g_autofree char *config_path = g_build_filename (f->dir, NAME ".config", NULL);
  g_autofree char *results_path = g_build_filename (f->dir, NAME "_results.json", NULL);
  g_assert_true (g_file_get_contents (config_path, &good_config, NULL, NULL));
  g_assert_true (g_file_get_contents (results_path, &good_results, NULL, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean is_config = g_str_equal (cases[i].suffix, ".config");
      g_autofree char *text = cases[i].whole ? g_strdup (cases[i].whole)
                                             : edit_member (is_config ? good_config : good_results,
                                                            cases[i].member, cases[i].value);
      g_autofree char *path = write_run_file (f->dir, cases[i].suffix, text);
      RvTrainConfig cfg;
      RvTrainResults res = { 0 };
      g_autoptr (GError) error = NULL;
      g_assert_false (rv_run_load (f->dir, NAME, &cfg, &res, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      assert_contains (error->message, path);
      assert_contains (error->message, cases[i].expect);
      g_assert_true (g_file_set_contents (path, is_config ? good_config : good_results, -1, NULL));
    }
  g_assert_cmpint (load_whole (f->dir), ==, 'A');
}

/* A FIFO (no writer) or a /dev/zero link as any of the three files is
 * refused at once, naming it. */
static void
test_not_regular (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { ".config", ".safetensors", "_results.json" };
  save_variant (f->dir, 'A');
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    for (int kind = 0; kind < 2; kind++)
      {
        g_autofree char *file = g_strconcat (NAME, suffixes[i], NULL);
        g_autofree char *path = g_build_filename (f->dir, file, NULL);
        g_autofree char *saved = g_strconcat (path, ".saved", NULL);
        g_assert_cmpint (g_rename (path, saved), ==, 0);
        if (kind == 0)
          g_assert_cmpint (mkfifo (path, 0600), ==, 0);
        else
          g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
        RvTrainConfig cfg;
        RvTrainResults res = { 0 };
        g_autoptr (RvNet) net = NULL;
        g_autoptr (GError) error = NULL;
        g_assert_false (rv_run_load (f->dir, NAME, &cfg, &res, &net, &error));
        g_assert_nonnull (error);
        g_test_message ("%s", error->message);
        assert_contains (error->message, path);
        assert_contains (error->message, "not a regular file");
        g_assert_cmpint (g_unlink (path), ==, 0);
        g_assert_cmpint (g_rename (saved, path), ==, 0);
      }
  g_assert_cmpint (load_whole (f->dir), ==, 'A');
}

/* The target check: a file, "", a read-only folder and a name too long for
 * the file system are refused before any work, leaving nothing. */
static void
test_check_target (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = write_run_file (f->dir, ".txt", "x");
  g_autofree char *below_file = g_build_filename (file, "sub", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "new", "deeper", NULL);

  g_assert_true (rv_run_check_target (f->dir, NAME, &error));
  g_assert_no_error (error);
  g_assert_true (rv_run_check_target (missing, NAME, &error));
  g_assert_no_error (error);

  g_assert_false (rv_run_check_target (file, NAME, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  assert_contains (error->message, "not a folder");
  g_clear_error (&error);
  g_assert_false (rv_run_check_target (below_file, NAME, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  assert_contains (error->message, "not a folder");
  g_clear_error (&error);
  g_assert_false (rv_run_check_target ("", NAME, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_clear_error (&error);

  long name_max = pathconf (f->dir, _PC_NAME_MAX);
  g_autofree char *longest = g_strnfill (name_max - rv_run_name_extra (), 'n');
  g_autofree char *too_long = g_strnfill (name_max - rv_run_name_extra () + 1, 'n');
  g_assert_true (rv_run_check_target (f->dir, longest, &error));
  g_assert_no_error (error);
  g_assert_false (rv_run_check_target (f->dir, too_long, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_ARGUMENT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The longest name that passes saves and loads. */
  RvTrainConfig cfg;
  RvTrainResults res;
  g_autoptr (RvNet) net = NULL;
  run_variant_make ('B', &cfg, &res, &net);
  g_assert_true (rv_run_save (f->dir, longest, &cfg, &res, net, &error));
  g_assert_no_error (error);
  rv_train_results_clear (&res);
  g_assert_true (rv_run_exists (f->dir, longest));

  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (f->dir, "ro", NULL);
      g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
      g_assert_false (rv_run_check_target (ro, NAME, &error));
      g_assert_error (error, RV_ERROR, RV_ERROR_IO);
      assert_contains (error->message, ro);
      g_clear_error (&error);
      g_autofree char *listing = list_dir (ro);
      g_assert_cmpstr (listing, ==, "");
      g_assert_cmpint (g_rmdir (ro), ==, 0);
    }
  g_autofree char *new_dir = g_build_filename (f->dir, "new", NULL);
  g_assert_false (g_file_test (new_dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: test-run-save RUN-SAVE-HELPER");
  helper = argv[1];
  g_unsetenv ("RAVINE_TEST_FAIL_WRITE_AFTER");
  g_unsetenv ("RAVINE_TEST_SAVE_DELAY_US");
  g_unsetenv ("RAVINE_TEST_SAVE_KILL_AT");

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/run-save/kill-every-step", test_kill_every_step);
  ADD ("/run-save/kill-random", test_kill_random);
  ADD ("/run-save/full-disk", test_full_disk);
  ADD ("/run-save/cancel", test_cancel);
  ADD ("/run-save/leftovers", test_leftovers);
  ADD ("/run-save/concurrent", test_concurrent);
  ADD ("/run-save/bad-members", test_bad_members);
  ADD ("/run-save/not-regular", test_not_regular);
  ADD ("/run-save/check-target", test_check_target);
  return g_test_run ();
}
