/* run-save-helper.c: saves runs A and B (run-save-variant.h) for the tests
 * that kill a save half way (RAVINE_TEST_SAVE_DELAY_US, ..._KILL_AT) or run
 * two saves at once.
 *
 *   run-save-helper DIR NAME LETTERS COUNT
 *
 * saves the runs LETTERS names in turn ("BA": B, A, B, ...), COUNT saves in
 * all (0: until killed); exits 1 with a message when a save fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run-save-variant.h"
#include "rv-run-files.h"

int
main (int argc, char **argv)
{
  if (argc != 5 || strspn (argv[3], "AB") != strlen (argv[3]) || argv[3][0] == '\0')
    {
      fprintf (stderr, "usage: run-save-helper DIR NAME LETTERS COUNT\n");
      return 2;
    }
  long count = strtol (argv[4], NULL, 10);
  size_t n_letters = strlen (argv[3]);
  for (long i = 0; count == 0 || i < count; i++)
    {
      RvTrainConfig cfg;
      RvTrainResults res;
      g_autoptr (RvNet) net = NULL;
      g_autoptr (GError) error = NULL;
      run_variant_make (argv[3][i % n_letters], &cfg, &res, &net);
      gboolean ok = rv_run_save (argv[1], argv[2], &cfg, &res, net, &error);
      rv_train_results_clear (&res);
      if (!ok)
        {
          fprintf (stderr, "run-save-helper: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}
