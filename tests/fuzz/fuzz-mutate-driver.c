/* fuzz-mutate-driver.c: runs a fuzz target without libFuzzer, for `meson test`.
 *
 * Starts from the target's seeds (fuzz_target_seeds) and any files in the
 * --corpus folders (regression inputs), runs each as it is, then mutates them
 * deterministically: bit flips, byte sets, insertions, deletions, truncation,
 * duplication, splicing and 64-bit integer sets; for JSON, also value
 * replacement (numbers at the edges of every integer type, huge and NaN-ish
 * literals, strings, booleans, null, arrays, objects, nesting around the depth
 * limit), deletion, duplication and transplanting of members; for
 * safetensors the same on the header, whose length is then mostly fixed up.
 * Usage: fuzz-NAME [--iterations N] [--seed S] [--corpus DIR]... [--write-seeds DIR]
 * --write-seeds writes the seeds for a libFuzzer run and exits. */
#include "fuzz-target.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-rand.h"

/* ---- The input being run, kept for a crash ---- */

static const uint8_t *current_data;
static size_t current_len;
static char crash_path[256];

/* Writes the input that crashed to fuzz-crash-NAME (in the working
 * folder), with async-signal-safe calls only, then dies of the signal. */
static void
on_fatal_signal (int sig)
{
  int fd = open (crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0)
    {
      size_t done = 0;
      while (done < current_len)
        {
          ssize_t n = write (fd, current_data + done, current_len - done);
          if (n <= 0)
            break;
          done += (size_t) n;
        }
      close (fd);
    }
  static const char msg[] = "fuzz driver: the failing input is in ";
  if (write (STDERR_FILENO, msg, sizeof msg - 1) < 0
      || write (STDERR_FILENO, crash_path, strlen (crash_path)) < 0
      || write (STDERR_FILENO, "\n", 1) < 0)
    {
      /* nothing more to say */
    }
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
run_one (const uint8_t *data, size_t len)
{
  current_data = data;
  current_len = len;
  fuzz_target_accepted = -1;
  LLVMFuzzerTestOneInput (data, len);
}

/* ---- Byte-level mutations ---- */

static void
insert_bytes (GByteArray *b, guint at, const void *bytes, guint count)
{
  if (count == 0)
    return;  /* bytes may be NULL then, which memcpy must never see */
  at = MIN (at, b->len);
  g_byte_array_set_size (b, b->len + count);
  memmove (b->data + at + count, b->data + at, b->len - count - at);
  memcpy (b->data + at, bytes, count);
}

static void
delete_bytes (GByteArray *b, guint at, guint count)
{
  if (at >= b->len)
    return;
  count = MIN (count, b->len - at);
  g_byte_array_remove_range (b, at, count);
}

static const uint64_t interesting_u64[] = {
  0, 1, 2, 7, 8, 15, 16, 63, 64, 65, 127, 128, 255, 256, 4095, 4096, 65535, 65536,
  0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 100000000, 100000001,
  0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
};

static void
mutate_bytes (Rand *r, GByteArray *b, GPtrArray *seeds)
{
  static const uint8_t special[] = { 0, 0xff, 0x7f, 0x80, 0xc0, 0xed, '"', '\\', '{', '}', '[', ']',
                                     ',', ':', '0', '-', 'e', '.', ' ', '\n' };
  guint len = b->len;

  switch (rand_below (r, 9))
    {
    case 0: /* bit flip */
      if (len > 0)
        b->data[rand_below (r, len)] ^= (uint8_t) (1u << rand_below (r, 8));
      break;
    case 1: /* byte set */
      if (len > 0)
        b->data[rand_below (r, len)] = rand_chance (r, 50) ? special[rand_below (r, sizeof special)]
                                                            : (uint8_t) rand_u32 (r);
      break;
    case 2: /* insertion of up to 16 bytes */
      {
        uint8_t bytes[16];
        guint count = 1 + rand_below (r, 16);
        for (guint i = 0; i < count; i++)
          bytes[i] = rand_chance (r, 50) ? special[rand_below (r, sizeof special)] : (uint8_t) rand_u32 (r);
        insert_bytes (b, rand_below (r, len + 1), bytes, count);
      }
      break;
    case 3: /* deletion of up to 32 bytes */
      delete_bytes (b, rand_below (r, len), 1 + rand_below (r, 32));
      break;
    case 4: /* truncation */
      g_byte_array_set_size (b, rand_below (r, len + 1));
      break;
    case 5: /* a range repeated */
      if (len > 0)
        {
          guint at = rand_below (r, len);
          guint count = 1 + rand_below (r, MIN (len - at, 64));
          g_autofree uint8_t *copy = g_memdup2 (b->data + at, count);
          insert_bytes (b, rand_below (r, len + 1), copy, count);
        }
      break;
    case 6: /* splice: this input's head, another seed's tail */
      {
        GBytes *other = g_ptr_array_index (seeds, rand_below (r, seeds->len));
        gsize other_len = 0;
        const uint8_t *o = g_bytes_get_data (other, &other_len);
        guint head = rand_below (r, len + 1);
        guint from = rand_below (r, (uint32_t) other_len + 1);
        g_byte_array_set_size (b, head);
        g_byte_array_append (b, o + from, (guint) (other_len - from));
      }
      break;
    case 7: /* a 64-bit little-endian integer, at the start most often */
      if (len >= 8)
        {
          uint64_t v = interesting_u64[rand_below (r, G_N_ELEMENTS (interesting_u64))];
          if (rand_chance (r, 30))
            v += (uint64_t) rand_below (r, 17) - 8;
          guint at = rand_chance (r, 50) ? 0 : rand_below (r, len - 7);
          for (int k = 0; k < 8; k++)
            b->data[at + k] = (uint8_t) (v >> (8 * k));
        }
      break;
    default: /* appended bytes */
      {
        uint8_t bytes[4];
        guint count = 1 + rand_below (r, 4);
        for (guint i = 0; i < count; i++)
          bytes[i] = special[rand_below (r, sizeof special)];
        g_byte_array_append (b, bytes, count);
      }
      break;
    }
}

/* ---- JSON-aware mutations ---- */

/* A value at [start, end); item_start is where its member ("key": value)
 * or array element begins. */
typedef struct {
  guint start, end, item_start;
} Span;

#define SCAN_MAX_DEPTH 200

static guint
skip_space (const char *s, guint len, guint i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

static guint
scan_string (const char *s, guint len, guint i)
{
  for (i++; i < len; i++)
    {
      if (s[i] == '\\')
        i++;
      else if (s[i] == '"')
        return i + 1;
    }
  return len;
}

/* A forgiving scanner: records every value it can find, even in broken text. */
static guint
scan_value (const char *s, guint len, guint i, int depth, guint item_start, GArray *spans)
{
  i = skip_space (s, len, i);
  if (i >= len || depth > SCAN_MAX_DEPTH)
    return len;
  guint start = i;
  char c = s[i];
  if (c == '{' || c == '[')
    {
      gboolean object = c == '{';
      i++;
      for (;;)
        {
          i = skip_space (s, len, i);
          if (i >= len)
            break;
          if (s[i] == (object ? '}' : ']'))
            {
              i++;
              break;
            }
          guint item = i;
          if (object)
            {
              if (s[i] != '"')
                break;
              i = skip_space (s, len, scan_string (s, len, i));
              if (i >= len || s[i] != ':')
                break;
              i++;
            }
          i = scan_value (s, len, i, depth + 1, item, spans);
          i = skip_space (s, len, i);
          if (i < len && s[i] == ',')
            i++;
          else if (i < len && s[i] == (object ? '}' : ']'))
            {
              i++;
              break;
            }
          else
            break;
        }
    }
  else if (c == '"')
    i = scan_string (s, len, i);
  else
    {
      while (i < len && (g_ascii_isalnum (s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
      if (i == start)
        return i + 1;
    }
  Span span = { start, MIN (i, len), item_start };
  g_array_append_val (spans, span);
  return i;
}

static GArray *
scan (const GByteArray *b)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  scan_value ((const char *) b->data, b->len, 0, 0, 0, spans);
  return spans;
}

static void
append_nesting (Rand *r, GString *out)
{
  static const guint depths[] = { 62, 63, 64, 65, 66, 100, 1000 };
  guint depth = depths[rand_below (r, G_N_ELEMENTS (depths))];
  gboolean objects = rand_chance (r, 50);
  for (guint i = 0; i < depth; i++)
    g_string_append (out, objects ? "{\"a\":" : "[");
  g_string_append (out, rand_chance (r, 50) ? "1" : "[]");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (out, objects ? '}' : ']');
}

/* A replacement value: any kind of JSON, and some text that only looks like it. */
static void
make_value (Rand *r, GString *out, GPtrArray *seeds)
{
  static const char *const literals[] = {
    "0", "1", "-1", "2", "10", "784", "65536", "65537", "60000", "60001", "100000", "100001",
    "127", "128", "255", "256", "2147483647", "2147483648", "-2147483649", "4294967295",
    "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "1e20", "-1e20", "1e308", "1e309",
    "-1e309", "1e-400", "4.9e-324", "-0", "-0.0", "0.5", "1.5", "0.1", "1e-8", "1E2", "1.0",
    "01", "1.", ".5", "+1", "0x10", "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf",
    "-inf", "1e999999", "true", "false", "null", "\"\"", "\"x\"", "\"relu\"", "\"tanh\"",
    "\"sgd\"", "\"adam\"", "\"kaiming\"", "\"F32\"", "\"F16\"", "\"I32\"", "\"initialization\"",
    "\"training\"", "\"surfaces\"", "\"tutorial\"", "\"ravine\"", "\"1,2,3\"", "\"\\u0000\"",
    "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\\"\"", "\"a\\nb\"", "\"\xc3\xa9\"", "[]", "{}",
    "[0]", "[1, 2]", "[-1]", "[0, 0]", "[[]]", "[null]", "[\"a\"]", "[1e400]", "[0.5, 1.5]",
    "{\"en\": \"x\"}", "{\"en\": 1}", "{\"nl\": \"y\"}", "{\"a\": 1}", "{\"name\": \"relu\"}",
    "{\"name\": \"sgd\", \"lr\": 0.1}",
  };

  switch (rand_below (r, 10))
    {
    case 0:
      append_nesting (r, out);
      break;
    case 1: /* a random integer of random size */
      {
        uint64_t v = ((uint64_t) rand_u32 (r) << 32 | rand_u32 (r)) >> rand_below (r, 64);
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, rand_chance (r, 30) ? "-" : "", v);
      }
      break;
    case 2: /* a long string */
      {
        guint n = 1 + rand_below (r, 2000);
        g_string_append_c (out, '"');
        for (guint i = 0; i < n; i++)
          g_string_append_c (out, (char) ('a' + i % 26));
        g_string_append_c (out, '"');
      }
      break;
    case 3: /* a value from a seed */
      {
        GBytes *seed = g_ptr_array_index (seeds, rand_below (r, seeds->len));
        gsize len = 0;
        const uint8_t *d = g_bytes_get_data (seed, &len);
        g_autoptr (GByteArray) b = g_byte_array_new ();
        g_byte_array_append (b, d, (guint) len);
        g_autoptr (GArray) spans = scan (b);
        if (spans->len > 0)
          {
            Span *s = &g_array_index (spans, Span, rand_below (r, spans->len));
            g_string_append_len (out, (const char *) b->data + s->start, s->end - s->start);
            break;
          }
      }
      G_GNUC_FALLTHROUGH;
    default:
      g_string_append (out, literals[rand_below (r, G_N_ELEMENTS (literals))]);
      break;
    }
}

static void
replace_range (GByteArray *b, guint start, guint end, const char *text, gsize text_len)
{
  delete_bytes (b, start, end - start);
  insert_bytes (b, start, text, (guint) text_len);
}

static void
mutate_json (Rand *r, GByteArray *b, GPtrArray *seeds)
{
  g_autoptr (GArray) spans = scan (b);
  if (spans->len == 0)
    {
      mutate_bytes (r, b, seeds);
      return;
    }
  Span s = g_array_index (spans, Span, rand_below (r, spans->len));
  g_autoptr (GString) text = g_string_new (NULL);

  switch (rand_below (r, 8))
    {
    case 0: /* the member or element deleted, with a comma */
      {
        guint start = s.item_start, end = s.end;
        guint after = skip_space ((const char *) b->data, b->len, end);
        if (after < b->len && b->data[after] == ',')
          end = after + 1;
        else
          {
            guint before = start;
            while (before > 0 && g_ascii_isspace (b->data[before - 1]))
              before--;
            if (before > 0 && b->data[before - 1] == ',')
              start = before - 1;
          }
        delete_bytes (b, start, end - start);
      }
      break;
    case 1: /* the member or element twice (a key twice, for objects) */
      g_string_append_c (text, ',');
      g_string_append_len (text, (const char *) b->data + s.item_start, s.end - s.item_start);
      insert_bytes (b, s.end, text->str, (guint) text->len);
      break;
    case 2: /* wrapped in an array or an object */
      if (rand_chance (r, 50))
        {
          insert_bytes (b, s.end, "]", 1);
          insert_bytes (b, s.start, "[", 1);
        }
      else
        {
          insert_bytes (b, s.end, "}", 1);
          insert_bytes (b, s.start, "{\"en\": ", 7);
        }
      break;
    case 3: /* a member added to an object */
      if (b->data[s.start] == '{' && s.end - s.start >= 2)
        {
          static const char *const keys[] = { "\"__metadata__\"", "\"name\"", "\"lr\"", "\"x\"",
                                               "\"train_limit\"", "\"best_epoch\"", "\"setup\"",
                                               "\"page\"", "\"dtype\"", "\"shape\"", "\"\"" };
          g_string_append (text, keys[rand_below (r, G_N_ELEMENTS (keys))]);
          g_string_append (text, ": ");
          make_value (r, text, seeds);
          gboolean empty = skip_space ((const char *) b->data, b->len, s.start + 1) == s.end - 1;
          if (!empty)
            g_string_append_c (text, ',');
          insert_bytes (b, s.start + 1, text->str, (guint) text->len);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default: /* the value replaced */
      make_value (r, text, seeds);
      replace_range (b, s.start, s.end, text->str, text->len);
      break;
    }
}

/* The header of a safetensors file mutated as JSON; its length fixed up
 * most of the time so that the reader gets past the first check. */
static void
mutate_safetensors (Rand *r, GByteArray *b, GPtrArray *seeds)
{
  if (b->len < 8)
    {
      mutate_bytes (r, b, seeds);
      return;
    }
  uint64_t header_len = 0;
  for (int k = 0; k < 8; k++)
    header_len |= (uint64_t) b->data[k] << (8 * k);
  if (header_len > b->len - 8)
    {
      mutate_bytes (r, b, seeds);
      return;
    }
  g_autoptr (GByteArray) header = g_byte_array_new ();
  g_byte_array_append (header, b->data + 8, (guint) header_len);
  mutate_json (r, header, seeds);
  uint64_t new_len = rand_chance (r, 90) ? header->len : header_len;
  replace_range (b, 8, 8 + (guint) header_len, (const char *) header->data, header->len);
  for (int k = 0; k < 8; k++)
    b->data[k] = (uint8_t) (new_len >> (8 * k));
}

static GByteArray *
make_input (Rand *r, GPtrArray *seeds)
{
  GBytes *seed = g_ptr_array_index (seeds, rand_below (r, seeds->len));
  gsize len = 0;
  const uint8_t *d = g_bytes_get_data (seed, &len);
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, d, (guint) len);

  for (guint k = 1 + rand_below (r, 4); k > 0; k--)
    {
      gboolean structured = fuzz_target_format != FUZZ_FORMAT_BINARY && rand_chance (r, 70);
      if (!structured)
        mutate_bytes (r, b, seeds);
      else if (fuzz_target_format == FUZZ_FORMAT_JSON)
        mutate_json (r, b, seeds);
      else
        mutate_safetensors (r, b, seeds);
    }
  return b;
}

/* ---- Seeds ---- */

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
add_corpus (GPtrArray *seeds, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      fprintf (stderr, "%s: %s\n", fuzz_target_name, error->message);
      exit (2);
    }
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    {
      const char *path = g_ptr_array_index (names, i);
      char *contents = NULL;
      gsize len = 0;
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_str_has_suffix (path, ".md"))
        continue;
      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          fprintf (stderr, "%s: %s\n", fuzz_target_name, error->message);
          exit (2);
        }
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
    }
}

static void
write_seeds (GPtrArray *seeds, const char *dir)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      fprintf (stderr, "%s: cannot create %s: %s\n", fuzz_target_name, dir, g_strerror (errno));
      exit (2);
    }
  for (guint i = 0; i < seeds->len; i++)
    {
      g_autofree char *file = g_strdup_printf ("seed-%02u", i);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      gsize len = 0;
      const char *d = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      g_autoptr (GError) error = NULL;
      if (!g_file_set_contents (path, d, (gssize) len, &error))
        {
          fprintf (stderr, "%s: %s\n", fuzz_target_name, error->message);
          exit (2);
        }
    }
  printf ("%s: wrote %u seeds to %s\n", fuzz_target_name, seeds->len, dir);
}

int
main (int argc, char **argv)
{
  guint64 iterations = 1000, seed = 1;
  g_autoptr (GPtrArray) corpora = g_ptr_array_new ();
  const char *seeds_out = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        iterations = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--corpus") == 0 && i + 1 < argc)
        g_ptr_array_add (corpora, argv[++i]);
      else if (strcmp (argv[i], "--write-seeds") == 0 && i + 1 < argc)
        seeds_out = argv[++i];
      else
        {
          fprintf (stderr, "usage: %s [--iterations N] [--seed S] [--corpus DIR]... [--write-seeds DIR]\n",
                   argv[0]);
          return 2;
        }
    }

  g_snprintf (crash_path, sizeof crash_path, "fuzz-crash-%s", fuzz_target_name);
  signal (SIGABRT, on_fatal_signal);
  signal (SIGSEGV, on_fatal_signal);
  signal (SIGBUS, on_fatal_signal);
  signal (SIGFPE, on_fatal_signal);
  signal (SIGILL, on_fatal_signal);
  signal (SIGTRAP, on_fatal_signal);

  g_autoptr (GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fuzz_target_seeds (seeds);
  guint n_own = seeds->len;
  if (n_own == 0)
    {
      fprintf (stderr, "%s: the target has no seeds\n", fuzz_target_name);
      return 1;
    }
  if (seeds_out != NULL)
    {
      write_seeds (seeds, seeds_out);
      return 0;
    }
  for (guint i = 0; i < corpora->len; i++)
    add_corpus (seeds, g_ptr_array_index (corpora, i));

  /* Untouched seeds must load, or the run would only exercise refusals;
   * regression inputs from the corpus only must not break an invariant. */
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len = 0;
      const uint8_t *d = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      run_one (d, len);
      if (i < n_own && fuzz_target_accepted != 1)
        {
          fprintf (stderr, "%s: seed %u was refused\n", fuzz_target_name, i);
          return 1;
        }
    }

  Rand r = { seed, 1, 0 };
  guint64 accepted = 0;
  for (guint64 i = 0; i < iterations; i++)
    {
      g_autoptr (GByteArray) in = make_input (&r, seeds);
      run_one (in->data, in->len);
      if (fuzz_target_accepted == 1)
        accepted++;
    }
  printf ("%s: ran %u seeds and %" G_GUINT64_FORMAT " mutated inputs (seed %" G_GUINT64_FORMAT
          "), %" G_GUINT64_FORMAT " accepted, every invariant held\n",
          fuzz_target_name, seeds->len, iterations, seed, accepted);
  return 0;
}
