/* test-file.c: rv-file (regular files only, capped, no symlink written
 * through) and rv-json-read (depth, emptiness, trailing bytes). */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-error.h"
#include "rv-file.h"
#include "rv-json-read.h"

static char *tmp;

static char *
path_in (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static void
test_read_kinds (void)
{
  g_autofree char *reg = path_in ("regular");
  g_autofree char *fifo = path_in ("fifo");
  g_autofree char *zero = path_in ("zero");
  g_autoptr (GError) error = NULL;
  size_t len;

  g_assert_true (g_file_set_contents (reg, "hello", 5, NULL));
  g_autofree char *text = rv_file_read_all (reg, 100, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 5);
  g_assert_cmpstr (text, ==, "hello");

  /* Too big for its cap: refused before reading. */
  g_assert_null (rv_file_read_all (reg, 4, &len, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "5 bytes"));
  g_clear_error (&error);

  /* A FIFO with no writer must not hang the reader. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (rv_file_open_read (fifo, 100, NULL, &error), ==, -1);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "a FIFO"));
  g_clear_error (&error);

  /* A link to /dev/zero: a device, not a file of endless zeros. */
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_null (rv_file_read_all (zero, 1 << 20, &len, &error));
  g_assert_nonnull (strstr (error->message, "character device"));
  g_clear_error (&error);

  g_assert_null (rv_file_read_all (tmp, 100, &len, &error));
  g_assert_nonnull (strstr (error->message, "a folder"));
  g_clear_error (&error);

  g_autofree char *missing = path_in ("missing");
  g_assert_null (rv_file_read_all (missing, 100, &len, &error));
  g_assert_error (error, RV_ERROR, RV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
}

static void
test_write_no_symlink (void)
{
  g_autofree char *target = path_in ("target");
  g_autofree char *link = path_in ("link.part");
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (target, "keep", 4, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (rv_file_open_write (link, TRUE, &error), ==, -1);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_clear_error (&error);
  g_autofree char *kept = NULL;
  g_assert_true (g_file_get_contents (target, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "keep");

  /* A plain file is opened, kept or truncated as asked. */
  int fd = rv_file_open_write (target, FALSE, &error);
  g_assert_no_error (error);
  struct stat st;
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 4);
  close (fd);
  fd = rv_file_open_write (target, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  close (fd);
}

static void
expect_json_error (const char *text, size_t len, const char *words)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = rv_json_parse (text, len, "x.json", &error);
  g_assert_null (node);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, "x.json: "));
  if (strstr (error->message, words) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, words);
}

static void
test_json_limits (void)
{
  expect_json_error ("", 0, "empty");
  expect_json_error (" \n\t ", 4, "empty");
  expect_json_error ("42", 2, "not a JSON object");
  expect_json_error ("{\"a\": 1} {}", 11, "more data after");
  expect_json_error ("{\"a\": 1} x", 10, "more data after");
  /* Numbers json-glib would misread: octal, hexadecimal, past 64 bits (it
   * wraps 18446744073709551658 to 42), past a double, without digits. */
  expect_json_error ("{\"a\": 010}", 10, "at byte 7");
  expect_json_error ("{\"a\": 0x10}", 11, "at byte 7");
  expect_json_error ("{\"a\": 18446744073709551658}", 27, "beyond 64 bits");
  expect_json_error ("{\"a\": -9223372036854775809}", 27, "beyond 64 bits");
  expect_json_error ("{\"a\": 1e400}", 12, "beyond a double");
  /* The exponent's digits come after 70 of the mantissa's: all are read. */
  const char *late = "{\"a\": 5.4977777777777777777777777777777777777777777777777777777777777777777777e777}";
  expect_json_error (late, strlen (late), "beyond a double");
  const char *long_exp = "[-1e0000000000000000000000000000000000000000000000000000000000000000000636]";
  expect_json_error (long_exp, strlen (long_exp), "beyond a double");
  expect_json_error ("{\"a\": .5}", 9, "unexpected character");
  expect_json_error ("{\"a\": 1.}", 9, "malformed number");
  expect_json_error ("{\"a\": \"x\\ud800y\"}", 17, "surrogate");
  expect_json_error ("{\"a\": \"\xff\"}", 10, "UTF-8");
  expect_json_error ("{\"a\": tru}", 10, "unexpected character");
  expect_json_error ("{\"a\": [1, 2}", 12, "");
  expect_json_error ("{\"a\": \"\\\"}\"", 11, "at byte 11");
  expect_json_error ("{\"a\": \"abc", 10, "unterminated string");
  expect_json_error ("{\"a\": \0}", 8, "NUL");

  /* 100,000 brackets deep: refused by the scan, json-glib never recurses. */
  size_t n = 100000;
  g_autofree char *deep = g_malloc (2 * n);
  memset (deep, '[', n);
  memset (deep + n, ']', n);
  expect_json_error (deep, 2 * n, "nested too deeply");

  /* RV_JSON_MAX_DEPTH levels parse; brackets inside strings do not count. */
  GString *ok = g_string_new ("{\"s\": \"[[[[{{{{\\\"]]\", \"a\": ");
  for (int i = 1; i < RV_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (int i = 1; i < RV_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  g_string_append (ok, ", \"big\": 9223372036854775807, \"small\": -9223372036854775808, \"d\": 1.5e308}\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rv_json_parse (ok->str, ok->len, "ok.json", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  JsonObject *o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==, "[[[[{{{{\"]]");
  g_assert_cmpint (json_object_get_int_member (o, "big"), ==, G_MAXINT64);
  g_assert_cmpint (json_object_get_int_member (o, "small"), ==, G_MININT64);
  g_assert_cmpfloat (json_object_get_double_member (o, "d"), ==, 1.5e308);

  /* One level more than the limit is refused. */
  GString *over = g_string_new (NULL);
  for (int i = 0; i <= RV_JSON_MAX_DEPTH; i++)
    g_string_append_c (over, '[');
  for (int i = 0; i <= RV_JSON_MAX_DEPTH; i++)
    g_string_append_c (over, ']');
  expect_json_error (over->str, over->len, "nested too deeply");
  g_string_free (over, TRUE);
  g_string_free (ok, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("ravine-test-file-XXXXXX", NULL);
  g_test_add_func ("/file/read-kinds", test_read_kinds);
  g_test_add_func ("/file/write-no-symlink", test_write_no_symlink);
  g_test_add_func ("/file/json-limits", test_json_limits);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  (void) !system (cmd);
  return status;
}
