/* test-dataset.c: the IDX reader on files made here (valid and broken in
 * every way we can name), the split, batch order, normalization, the data
 * folder lookup, the synthetic stand-in, and the real FashionMNIST files
 * when RAVINE_TEST_DATA_DIR points at them. */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include <sys/stat.h>
#include <unistd.h>

#include "rv-dataset.h"
#include "rv-dataset-files.h"
#include "rv-dataset-private.h"
#include "rv-error.h"
#include "rv-rng.h"

#define TRAIN_IMAGES "train-images-idx3-ubyte.gz"
#define TRAIN_LABELS "train-labels-idx1-ubyte.gz"
#define TEST_IMAGES "t10k-images-idx3-ubyte.gz"
#define TEST_LABELS "t10k-labels-idx1-ubyte.gz"

/* ---- making IDX files ---- */

static uint8_t
pixel_value (uint32_t image, uint32_t p)
{
  return (uint8_t) (image * 37u + p * 11u);
}

static uint8_t
label_value (uint32_t image)
{
  return (uint8_t) ((image * 3u) % 10u);
}

static void
append_be32 (GByteArray *b, uint32_t v)
{
  uint8_t bytes[4] = { (uint8_t) (v >> 24), (uint8_t) (v >> 16), (uint8_t) (v >> 8), (uint8_t) v };
  g_byte_array_append (b, bytes, 4);
}

static void
put_be32 (GByteArray *b, guint at, uint32_t v)
{
  g_assert_cmpuint (at + 4, <=, b->len);
  b->data[at] = (uint8_t) (v >> 24);
  b->data[at + 1] = (uint8_t) (v >> 16);
  b->data[at + 2] = (uint8_t) (v >> 8);
  b->data[at + 3] = (uint8_t) v;
}

static GByteArray *
make_images (uint32_t n, uint32_t rows, uint32_t cols)
{
  GByteArray *b = g_byte_array_new ();
  append_be32 (b, 0x00000803);
  append_be32 (b, n);
  append_be32 (b, rows);
  append_be32 (b, cols);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t p = 0; p < rows * cols; p++)
      {
        uint8_t v = pixel_value (i, p);
        g_byte_array_append (b, &v, 1);
      }
  return b;
}

static GByteArray *
make_labels (uint32_t n)
{
  GByteArray *b = g_byte_array_new ();
  append_be32 (b, 0x00000801);
  append_be32 (b, n);
  for (uint32_t i = 0; i < n; i++)
    {
      uint8_t v = label_value (i);
      g_byte_array_append (b, &v, 1);
    }
  return b;
}

/* One gzip member, as GNU gzip would write it (zlib's gzip wrapper). */
static GByteArray *
gzip_bytes (const uint8_t *data, size_t len)
{
  z_stream z = { 0 };
  g_assert_cmpint (deflateInit2 (&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  size_t bound = deflateBound (&z, len) + 32;
  GByteArray *out = g_byte_array_sized_new ((guint) bound);
  g_byte_array_set_size (out, (guint) bound);
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  z.next_out = out->data;
  z.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  g_byte_array_set_size (out, (guint) (bound - z.avail_out));
  deflateEnd (&z);
  return out;
}

static void
write_bytes (const char *path, const GByteArray *b)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, &error));
  g_assert_no_error (error);
}

/* Writes through zlib's gzFile API, the other way gzip files get made. */
static void
write_gzfile (const char *path, const GByteArray *b)
{
  gzFile f = gzopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpint (gzwrite (f, b->data, b->len), ==, (int) b->len);
  g_assert_cmpint (gzclose (f), ==, Z_OK);
}

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ravine-test-dataset-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tmp_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_unlink (path);
        }
      g_dir_close (d);
    }
  g_rmdir (dir);
}

static void
assert_set_matches (const RvImageSet *set, uint32_t n)
{
  g_assert_nonnull (set);
  g_assert_cmpuint (set->n, ==, n);
  for (uint32_t i = 0; i < n; i++)
    {
      g_assert_cmpuint (set->labels[i], ==, label_value (i));
      for (uint32_t p = 0; p < RV_IMAGE_PIXELS; p++)
        g_assert_cmpuint (set->pixels[(size_t) i * RV_IMAGE_PIXELS + p], ==, pixel_value (i, p));
    }
}

/* ---- valid files ---- */

static void
test_load_valid (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels", NULL);
  g_autoptr (GByteArray) img = make_images (7, 28, 28);
  g_autoptr (GByteArray) lab = make_labels (7);

  /* Plain, both kinds of gzip writer, and mixed. */
  for (int mode = 0; mode < 4; mode++)
    {
      g_autoptr (GError) error = NULL;
      if (mode == 0)
        {
          write_bytes (images, img);
          write_bytes (labels, lab);
        }
      else if (mode == 1)
        {
          write_gzfile (images, img);
          write_gzfile (labels, lab);
        }
      else
        {
          g_autoptr (GByteArray) gz = gzip_bytes (img->data, img->len);
          write_bytes (images, mode == 2 ? gz : img);
          if (mode == 2)
            write_bytes (labels, lab);
          else
            write_gzfile (labels, lab);
        }
      g_autoptr (RvImageSet) set = rv_image_set_load (images, labels, &error);
      g_assert_no_error (error);
      assert_set_matches (set, 7);
    }
  remove_tmp_dir (dir);
}

/* gzip allows several members back to back; GNU gzip reads them as one. */
static void
test_load_multi_member_gzip (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *images = g_build_filename (dir, "images.gz", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.gz", NULL);
  g_autoptr (GByteArray) img = make_images (3, 28, 28);
  g_autoptr (GByteArray) lab = make_labels (3);
  g_autoptr (GByteArray) a = gzip_bytes (img->data, 1000);
  g_autoptr (GByteArray) b = gzip_bytes (img->data + 1000, img->len - 1000);
  g_autoptr (GError) error = NULL;

  g_byte_array_append (a, b->data, b->len);
  write_bytes (images, a);
  write_gzfile (labels, lab);
  g_autoptr (RvImageSet) set = rv_image_set_load (images, labels, &error);
  g_assert_no_error (error);
  assert_set_matches (set, 3);
  remove_tmp_dir (dir);
}

static void
test_parse_names_source (void)
{
  g_autoptr (GByteArray) img = make_images (2, 28, 28);
  g_autoptr (GByteArray) lab = make_labels (2);
  g_autoptr (GByteArray) lab3 = make_labels (3);
  g_autoptr (GError) error = NULL;

  g_autoptr (RvImageSet) ok = rv_image_set_parse (img->data, img->len, lab->data, lab->len, "mem", &error);
  g_assert_no_error (error);
  assert_set_matches (ok, 2);

  g_autoptr (RvImageSet) bad = rv_image_set_parse (img->data, img->len, lab3->data, lab3->len, "mem", &error);
  g_assert_null (bad);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, "mem (labels): "));
  g_assert_nonnull (strstr (error->message, "mem (images)"));
}

/* ---- broken files: each fault, its own message, nothing returned ---- */

typedef struct {
  const char *path;
  /* Edits the plain bytes and picks compression (TRUE: gzip). */
  void (*setup) (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels);
  /* Damages the final bytes (after compression) of the faulty file. */
  void (*damage) (GByteArray *file);
  gboolean labels_at_fault;
  const char *phrase; /* expected in the message, after the file's path */
} Fault;

static void
setup_plain (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
}

static void
setup_gzip (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  *gz_images = *gz_labels = TRUE;
}

static void
setup_image_magic (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 0, 0x00000804);
}

static void
setup_label_magic (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (labels, 0, 0x00000803);
  *gz_labels = TRUE;
}

static void
setup_27x28 (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 8, 27);
  g_byte_array_set_size (images, 16 + 6 * 27 * 28);
}

static void
setup_truncated_images (GByteArray *images, GByteArray *labels, gboolean *gz_images,
                        gboolean *gz_labels)
{
  g_byte_array_set_size (images, images->len - 100);
}

static void
setup_truncated_images_gz (GByteArray *images, GByteArray *labels, gboolean *gz_images,
                           gboolean *gz_labels)
{
  g_byte_array_set_size (images, images->len - 784);
  *gz_images = TRUE;
}

static void
setup_trailing_images (GByteArray *images, GByteArray *labels, gboolean *gz_images,
                       gboolean *gz_labels)
{
  static const uint8_t extra[5] = { 1, 2, 3, 4, 5 };
  g_byte_array_append (images, extra, sizeof extra);
}

static void
setup_trailing_labels_gz (GByteArray *images, GByteArray *labels, gboolean *gz_images,
                          gboolean *gz_labels)
{
  static const uint8_t extra[2] = { 0, 0 };
  g_byte_array_append (labels, extra, sizeof extra);
  *gz_images = *gz_labels = TRUE;
}

static void
setup_count_mismatch (GByteArray *images, GByteArray *labels, gboolean *gz_images,
                      gboolean *gz_labels)
{
  put_be32 (labels, 4, 5);
  g_byte_array_set_size (labels, 8 + 5);
  *gz_labels = TRUE;
}

static void
setup_label_range (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  labels->data[8 + 3] = 12;
  *gz_labels = TRUE;
}

static void
setup_zero_count (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 4, 0);
  g_byte_array_set_size (images, 16);
}

static void
setup_huge_count (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 4, 0xffffffffu);
  *gz_images = TRUE;
}

/* Large but under the reader's bound: it must fail on the missing data
 * without first allocating for 3.9 million images. */
static void
setup_big_count_gz (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 4, 200000);
  *gz_images = TRUE;
}

/* One past the cap: what decompression may produce is bounded. */
static void
setup_over_cap_gz (GByteArray *images, GByteArray *labels, gboolean *gz_images, gboolean *gz_labels)
{
  put_be32 (images, 4, 262145);
  *gz_images = TRUE;
}

static void
damage_truncate_half (GByteArray *file)
{
  g_byte_array_set_size (file, file->len / 2);
}

static void
damage_drop_trailer (GByteArray *file)
{
  g_byte_array_set_size (file, file->len - 4);
}

static void
damage_crc (GByteArray *file)
{
  file->data[file->len - 6] ^= 0x40; /* inside the CRC-32 of the trailer */
}

static void
damage_random (GByteArray *file)
{
  for (guint i = 0; i < file->len; i++)
    file->data[i] = (uint8_t) rv_rng_u32 (7, 0, i);
  file->data[0] = 0x5a; /* not the gzip magic, whatever the draw */
}

static void
damage_gzip_magic_garbage (GByteArray *file)
{
  for (guint i = 2; i < file->len; i++)
    file->data[i] = (uint8_t) rv_rng_u32 (8, 0, i);
}

static void
damage_trailing_garbage (GByteArray *file)
{
  static const uint8_t junk[] = "junk";
  g_byte_array_append (file, junk, 4);
}

static void
damage_empty (GByteArray *file)
{
  g_byte_array_set_size (file, 0);
}

static const Fault faults[] = {
  { "/idx/fault/image-magic", setup_image_magic, NULL, FALSE,
    "magic number 0x00000804 is not 0x00000803" },
  { "/idx/fault/label-magic", setup_label_magic, NULL, TRUE,
    "magic number 0x00000803 is not 0x00000801 (IDX unsigned-byte labels, 1 dimension); "
    "this looks like an image file" },
  { "/idx/fault/27x28", setup_27x28, NULL, FALSE, "images are 27x28, expected 28x28" },
  { "/idx/fault/truncated-images", setup_truncated_images, NULL, FALSE,
    "truncated: the header declares 6 images (4704 bytes) but only 4604 are present" },
  { "/idx/fault/truncated-images-gz", setup_truncated_images_gz, NULL, FALSE,
    "truncated: the header declares 6 images (4704 bytes) but only 3920 are present" },
  { "/idx/fault/trailing-bytes", setup_trailing_images, NULL, FALSE,
    "5 unexpected trailing bytes after the 6 declared images" },
  { "/idx/fault/trailing-bytes-gz", setup_trailing_labels_gz, NULL, TRUE,
    "2 unexpected trailing bytes after the 6 declared labels" },
  { "/idx/fault/truncated-gzip", setup_gzip, damage_truncate_half, FALSE,
    "the gzip stream is truncated" },
  { "/idx/fault/truncated-gzip-trailer", setup_gzip, damage_drop_trailer, TRUE,
    "the gzip stream is truncated" },
  { "/idx/fault/gzip-crc", setup_gzip, damage_crc, FALSE, "corrupt gzip data (incorrect data check)" },
  { "/idx/fault/garbage", setup_plain, damage_random, FALSE, "this is not an IDX file" },
  { "/idx/fault/gzip-magic-garbage", setup_gzip, damage_gzip_magic_garbage, TRUE,
    "corrupt gzip data" },
  { "/idx/fault/gzip-trailing-garbage", setup_gzip, damage_trailing_garbage, FALSE,
    "4 bytes of trailing garbage after the gzip stream" },
  { "/idx/fault/count-mismatch", setup_count_mismatch, NULL, TRUE, "declares 5 labels but " },
  { "/idx/fault/label-range", setup_label_range, NULL, TRUE, "label 12 at index 3 is outside 0..9" },
  { "/idx/fault/empty-file", setup_plain, damage_empty, FALSE,
    "truncated in the 16-byte IDX image header (0 of 16 bytes)" },
  { "/idx/fault/empty-labels-gz", setup_gzip, damage_empty, TRUE,
    "truncated in the 8-byte IDX label header (0 of 8 bytes)" },
  { "/idx/fault/zero-count", setup_zero_count, NULL, FALSE, "the header declares 0 images" },
  { "/idx/fault/huge-count", setup_huge_count, NULL, FALSE,
    "declares 4294967295 images, more than the" },
  { "/idx/fault/big-count", setup_big_count_gz, NULL, FALSE,
    "the header declares 200000 images (156800000 bytes) but only 4704 are present" },
  { "/idx/fault/over-cap", setup_over_cap_gz, NULL, FALSE,
    "the header declares 262145 images, more than the 262144 this reader accepts" },
};

static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GByteArray) img = make_images (6, 28, 28);
  g_autoptr (GByteArray) lab = make_labels (6);
  gboolean gz_images = FALSE, gz_labels = FALSE;

  fault->setup (img, lab, &gz_images, &gz_labels);
  g_autoptr (GByteArray) img_file = gz_images ? gzip_bytes (img->data, img->len) : g_byte_array_ref (img);
  g_autoptr (GByteArray) lab_file = gz_labels ? gzip_bytes (lab->data, lab->len) : g_byte_array_ref (lab);
  if (fault->damage != NULL)
    fault->damage (fault->labels_at_fault ? lab_file : img_file);

  g_autofree char *images =
    g_build_filename (dir, gz_images ? TRAIN_IMAGES : "train-images-idx3-ubyte", NULL);
  g_autofree char *labels =
    g_build_filename (dir, gz_labels ? TRAIN_LABELS : "train-labels-idx1-ubyte", NULL);
  write_bytes (images, img_file);
  write_bytes (labels, lab_file);

  g_autoptr (GError) error = NULL;
  RvImageSet *set = rv_image_set_load (images, labels, &error);
  g_assert_null (set);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);

  /* "<full path of the faulty file>: <what is wrong>" */
  g_autofree char *prefix = g_strdup_printf ("%s: ", fault->labels_at_fault ? labels : images);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message + strlen (prefix), fault->phrase));
  remove_tmp_dir (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *images = g_build_filename (dir, TRAIN_IMAGES, NULL);
  g_autofree char *labels = g_build_filename (dir, TRAIN_LABELS, NULL);
  g_autoptr (GByteArray) img = make_images (2, 28, 28);
  g_autoptr (GError) error = NULL;

  write_gzfile (images, img);
  RvImageSet *set = rv_image_set_load (images, labels, &error);
  g_assert_null (set);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_autofree char *expect = g_strdup_printf ("%s: file not found", labels);
  g_assert_cmpstr (error->message, ==, expect);
  remove_tmp_dir (dir);
}

/* ---- rv_dataset_load on a folder ---- */

static void
write_folder (const char *dir, uint32_t n_train, uint32_t n_test)
{
  const char *names[4] = { TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS };
  for (int k = 0; k < 4; k++)
    {
      uint32_t n = k < 2 ? n_train : n_test;
      g_autoptr (GByteArray) b = (k % 2 == 0) ? make_images (n, 28, 28) : make_labels (n);
      g_autofree char *path = g_build_filename (dir, names[k], NULL);
      write_gzfile (path, b);
    }
}

static void
test_dataset_load_folder (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GError) error = NULL;

  write_folder (dir, 60, 15);
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 5, &error);
  g_assert_no_error (error);
  assert_set_matches (ds->train_full, 60);
  assert_set_matches (ds->test, 15);
  g_assert_cmpuint (ds->n_train, ==, 48); /* under 20,000: a fifth validates */
  g_assert_cmpuint (ds->n_val, ==, 12);
  g_assert_false (ds->synthetic);
  g_assert_cmpstr (ds->source, ==, dir);

  /* A broken file in the folder is reported by its own path. */
  g_autofree char *labels = g_build_filename (dir, TEST_LABELS, NULL);
  g_autoptr (GByteArray) lab = make_labels (14);
  write_gzfile (labels, lab);
  g_autoptr (RvDataset) broken = rv_dataset_load (dir, 5, &error);
  g_assert_null (broken);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, labels));
  remove_tmp_dir (dir);
}

static void
test_dataset_missing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GError) error = NULL;

  write_folder (dir, 10, 10);
  g_autofree char *gone = g_build_filename (dir, TEST_LABELS, NULL);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 1, &error);
  g_assert_null (ds);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, TEST_LABELS " is missing from the FashionMNIST folder "));
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_nonnull (strstr (error->message, "zalandoresearch/fashion-mnist"));
  g_assert_nonnull (strstr (error->message, "RAVINE_DATA_DIR"));
  g_clear_error (&error);

  remove_tmp_dir (dir);
  g_autoptr (RvDataset) none = rv_dataset_load (dir, 1, &error);
  g_assert_null (none);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);
  g_autofree char *expect = g_strdup_printf ("FashionMNIST folder %s does not exist", dir);
  g_assert_true (g_str_has_prefix (error->message, expect));
  g_assert_nonnull (strstr (error->message, "RAVINE_DATA_DIR"));
}

/* ---- split, order, batches, normalization ---- */

static RvImageSet *
blank_set (uint32_t n)
{
  RvImageSet *set = g_new0 (RvImageSet, 1);
  set->n = n;
  set->pixels = g_malloc0 ((size_t) n * RV_IMAGE_PIXELS);
  set->labels = g_malloc0 (n);
  return set;
}

static void
assert_partition (const RvDataset *ds)
{
  uint32_t n = ds->train_full->n;
  g_assert_cmpuint (ds->n_train + ds->n_val, ==, n);
  g_autofree uint8_t *seen = g_malloc0 (n);
  for (uint32_t i = 0; i < ds->n_train; i++)
    {
      g_assert_cmpuint (ds->train_index[i], <, n);
      g_assert_cmpuint (seen[ds->train_index[i]]++, ==, 0);
    }
  for (uint32_t i = 0; i < ds->n_val; i++)
    {
      g_assert_cmpuint (ds->val_index[i], <, n);
      g_assert_cmpuint (seen[ds->val_index[i]]++, ==, 0);
    }
}

static void
test_split (void)
{
  g_autoptr (RvDataset) a = rv_dataset_new_from_sets (blank_set (60000), blank_set (1), 42, FALSE, "x");
  g_autoptr (RvDataset) b = rv_dataset_new_from_sets (blank_set (60000), blank_set (1), 42, FALSE, "x");
  g_autoptr (RvDataset) c = rv_dataset_new_from_sets (blank_set (60000), blank_set (1), 43, FALSE, "x");

  g_assert_cmpuint (a->n_train, ==, RV_TRAIN_SIZE);
  g_assert_cmpuint (a->n_val, ==, 10000);
  assert_partition (a);
  assert_partition (c);
  g_assert_cmpmem (a->train_index, 50000 * 4, b->train_index, 50000 * 4);
  g_assert_cmpmem (a->val_index, 10000 * 4, b->val_index, 10000 * 4);
  g_assert_true (memcmp (a->train_index, c->train_index, 50000 * 4) != 0);

  /* The head of the seeded permutation trains, its tail validates. */
  g_autofree uint32_t *perm = g_new (uint32_t, 60000);
  rv_rng_permutation (perm, 60000, 42, RV_STREAM_SPLIT);
  g_assert_cmpmem (a->train_index, 50000 * 4, perm, 50000 * 4);
  g_assert_cmpmem (a->val_index, 10000 * 4, perm + 50000, 10000 * 4);

  g_assert_cmpuint (rv_dataset_val_size (60000), ==, 10000);
  g_assert_cmpuint (rv_dataset_val_size (20000), ==, 10000);
  g_assert_cmpuint (rv_dataset_val_size (19999), ==, 3999);
  g_assert_cmpuint (rv_dataset_val_size (100), ==, 20);
  g_assert_cmpuint (rv_dataset_val_size (4), ==, 0);
}

static gboolean
is_permutation_of (const uint32_t *order, const uint32_t *indices, uint32_t n)
{
  g_autofree uint32_t *a = g_memdup2 (order, (gsize) n * 4);
  g_autofree uint32_t *b = g_memdup2 (indices, (gsize) n * 4);
  /* Indices here are < 4n: count occurrences instead of sorting. */
  g_autofree int *count = g_new0 (int, (gsize) 4 * n);
  for (uint32_t i = 0; i < n; i++)
    {
      count[a[i]]++;
      count[b[i]]--;
    }
  for (uint32_t i = 0; i < 4 * n; i++)
    if (count[i] != 0)
      return FALSE;
  return TRUE;
}

static void
test_epoch_order (void)
{
  const uint32_t n = 5000;
  g_autofree uint32_t *indices = g_new (uint32_t, n);
  g_autofree uint32_t *o1 = g_new (uint32_t, n);
  g_autofree uint32_t *o2 = g_new (uint32_t, n);
  g_autofree uint32_t *o3 = g_new (uint32_t, n);
  g_autofree uint32_t *o4 = g_new (uint32_t, n);
  for (uint32_t i = 0; i < n; i++)
    indices[i] = 3 * i + 1;

  rv_epoch_order (o1, indices, n, 9, 0);
  rv_epoch_order (o2, indices, n, 9, 0);
  rv_epoch_order (o3, indices, n, 9, 1);
  rv_epoch_order (o4, indices, n, 10, 0);
  g_assert_true (is_permutation_of (o1, indices, n));
  g_assert_true (is_permutation_of (o3, indices, n));
  g_assert_cmpmem (o1, n * 4, o2, n * 4);
  g_assert_true (memcmp (o1, o3, n * 4) != 0);
  g_assert_true (memcmp (o1, o4, n * 4) != 0);
  g_assert_true (memcmp (o1, indices, n * 4) != 0);

  /* Built from the epoch's stream, shuffling in place gives the same order. */
  g_autofree uint32_t *perm = g_new (uint32_t, n);
  rv_rng_permutation (perm, n, 9, RV_STREAM_EPOCH + 1);
  for (uint32_t i = 0; i < n; i++)
    g_assert_cmpuint (o3[i], ==, indices[perm[i]]);
  rv_epoch_order (indices, indices, n, 9, 1);
  g_assert_cmpmem (indices, n * 4, o3, n * 4);
}

static void
test_batch_count (void)
{
  g_assert_cmpuint (rv_batch_count (50000, 256, FALSE), ==, 196);
  g_assert_cmpuint (rv_batch_count (50000, 256, TRUE), ==, 195);
  g_assert_cmpuint (rv_batch_count (512, 256, FALSE), ==, 2);
  g_assert_cmpuint (rv_batch_count (512, 256, TRUE), ==, 2);
  g_assert_cmpuint (rv_batch_count (1, 256, FALSE), ==, 1);
  g_assert_cmpuint (rv_batch_count (1, 256, TRUE), ==, 0);
  g_assert_cmpuint (rv_batch_count (0, 256, FALSE), ==, 0);
  g_assert_cmpuint (rv_batch_count (G_MAXUINT32, 1, FALSE), ==, G_MAXUINT32);
  g_assert_cmpuint (rv_batch_count (G_MAXUINT32, 2, FALSE), ==, 1u << 31);
  g_assert_cmpuint (rv_batch_count (G_MAXUINT32, 2, TRUE), ==, (1u << 31) - 1);
}

static void
test_gather (void)
{
  g_autoptr (RvImageSet) set = blank_set (3);
  for (uint32_t p = 0; p < RV_IMAGE_PIXELS; p++)
    {
      set->pixels[p] = 0;
      set->pixels[RV_IMAGE_PIXELS + p] = 255;
      set->pixels[2 * RV_IMAGE_PIXELS + p] = (uint8_t) p;
    }
  set->labels[0] = 4;
  set->labels[1] = 9;
  set->labels[2] = 1;

  const uint32_t idx[4] = { 2, 0, 1, 2 };
  g_autofree float *out = g_new (float, 4 * RV_IMAGE_PIXELS);
  uint8_t labels[4] = { 0 };
  rv_dataset_gather (set, idx, 4, out, labels);
  g_assert_cmpuint (labels[0], ==, 1);
  g_assert_cmpuint (labels[1], ==, 4);
  g_assert_cmpuint (labels[2], ==, 9);
  g_assert_cmpuint (labels[3], ==, 1);
  g_assert_cmpfloat_with_epsilon (out[RV_IMAGE_PIXELS], -0.2861 / 0.3530, 1e-5);    /* 0 */
  g_assert_cmpfloat_with_epsilon (out[2 * RV_IMAGE_PIXELS], (1.0 - 0.2861) / 0.3530, 1e-5);
  for (uint32_t p = 0; p < RV_IMAGE_PIXELS; p++)
    {
      double expect = ((double) (uint8_t) p / 255.0 - 0.2861) / 0.3530;
      g_assert_cmpfloat_with_epsilon (out[p], expect, 1e-5);
      g_assert_cmpfloat (out[3 * RV_IMAGE_PIXELS + p], ==, out[p]);
    }

  /* Labels are optional. */
  float one[RV_IMAGE_PIXELS];
  rv_dataset_gather (set, idx + 2, 1, one, NULL);
  g_assert_cmpfloat_with_epsilon (one[0], (1.0 - 0.2861) / 0.3530, 1e-5);
}

static void
test_find_dir (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("RAVINE_DATA_DIR"));
  g_autofree char *fallback = g_build_filename (g_get_user_cache_dir (), "ravine", "fashion-mnist", NULL);

  g_setenv ("RAVINE_DATA_DIR", "/from/env", TRUE);
  g_autofree char *a = rv_dataset_find_dir ("/from/cli");
  g_autofree char *b = rv_dataset_find_dir (NULL);
  g_autofree char *c = rv_dataset_find_dir ("");
  g_unsetenv ("RAVINE_DATA_DIR");
  g_autofree char *d = rv_dataset_find_dir (NULL);
  g_autofree char *e = rv_dataset_find_dir ("/from/cli");
  g_setenv ("RAVINE_DATA_DIR", "", TRUE);
  g_autofree char *f = rv_dataset_find_dir (NULL);

  g_assert_cmpstr (a, ==, "/from/cli");
  g_assert_cmpstr (b, ==, "/from/env");
  g_assert_cmpstr (c, ==, "/from/env");
  g_assert_cmpstr (d, ==, fallback);
  g_assert_cmpstr (e, ==, "/from/cli");
  g_assert_cmpstr (f, ==, fallback);

  if (saved != NULL)
    g_setenv ("RAVINE_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("RAVINE_DATA_DIR");
}

/* ---- the synthetic stand-in ---- */

static void
pixel_moments (const RvImageSet *set, double *mean, double *std)
{
  size_t count = (size_t) set->n * RV_IMAGE_PIXELS;
  double s = 0.0, s2 = 0.0;
  for (size_t i = 0; i < count; i++)
    {
      double v = set->pixels[i] / 255.0;
      s += v;
      s2 += v * v;
    }
  *mean = s / (double) count;
  *std = sqrt ((s2 - s * s / (double) count) / (double) (count - 1));
}

static void
test_synthetic_deterministic (void)
{
  g_autoptr (RvDataset) a = rv_dataset_new_synthetic (5000, 1000, 11);
  g_autoptr (RvDataset) b = rv_dataset_new_synthetic (5000, 1000, 11);
  g_autoptr (RvDataset) c = rv_dataset_new_synthetic (5000, 1000, 12);
  g_autoptr (RvDataset) small = rv_dataset_new_synthetic (300, 20, 11);

  g_assert_true (a->synthetic);
  g_assert_cmpstr (a->source, ==, "synthetic");
  g_assert_cmpuint (a->n_val, ==, 1000);
  g_assert_cmpuint (a->n_train, ==, 4000);
  assert_partition (a);
  g_assert_cmpmem (a->train_full->pixels, 5000 * RV_IMAGE_PIXELS,
                   b->train_full->pixels, 5000 * RV_IMAGE_PIXELS);
  g_assert_cmpmem (a->train_full->labels, 5000, b->train_full->labels, 5000);
  g_assert_cmpmem (a->test->pixels, 1000 * RV_IMAGE_PIXELS, b->test->pixels, 1000 * RV_IMAGE_PIXELS);
  g_assert_cmpmem (a->train_index, 4000 * 4, b->train_index, 4000 * 4);
  g_assert_true (memcmp (a->train_full->pixels, c->train_full->pixels, 5000 * RV_IMAGE_PIXELS) != 0);
  g_assert_true (memcmp (a->train_index, c->train_index, 4000 * 4) != 0);

  /* An image depends on its number only: not on the set's size, nor on the
   * threads that drew it (5000 images use several, 300 one). */
  g_assert_cmpmem (a->train_full->pixels, 300 * RV_IMAGE_PIXELS,
                   small->train_full->pixels, 300 * RV_IMAGE_PIXELS);
  g_assert_cmpmem (a->test->pixels, 20 * RV_IMAGE_PIXELS, small->test->pixels, 20 * RV_IMAGE_PIXELS);
  /* Test images are not training images. */
  g_assert_true (memcmp (a->train_full->pixels, a->test->pixels, RV_IMAGE_PIXELS) != 0);
}

static void
test_synthetic_statistics (void)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (RvDataset) ds = rv_dataset_new_synthetic (60000, 10000, 3);
  g_test_message ("generated 60,000 + 10,000 synthetic images in %.3f s",
                  (double) (g_get_monotonic_time () - t0) / 1e6);
  const RvImageSet *set = ds->train_full;

  g_assert_cmpuint (ds->n_train, ==, RV_TRAIN_SIZE);
  g_assert_cmpuint (ds->n_val, ==, 10000);
  g_assert_cmpuint (ds->test->n, ==, 10000);
  assert_partition (ds);

  uint32_t count[RV_NUM_CLASSES] = { 0 };
  for (uint32_t i = 0; i < set->n; i++)
    {
      g_assert_cmpuint (set->labels[i], <, RV_NUM_CLASSES);
      count[set->labels[i]]++;
    }
  for (int k = 0; k < RV_NUM_CLASSES; k++)
    {
      g_assert_cmpuint (count[k], >, 5400);
      g_assert_cmpuint (count[k], <, 6600);
    }

  /* Close to FashionMNIST's 0.2860 and 0.3530. */
  double mean, std;
  pixel_moments (set, &mean, &std);
  g_test_message ("synthetic x/255: mean %.4f, std %.4f", mean, std);
  g_assert_cmpfloat (mean, >, 0.25);
  g_assert_cmpfloat (mean, <, 0.33);
  g_assert_cmpfloat (std, >, 0.31);
  g_assert_cmpfloat (std, <, 0.40);

  /* So normalized inputs sit near mean 0, variance 1. */
  const uint32_t batch = 512;
  g_autofree float *x = g_new (float, (size_t) batch * RV_IMAGE_PIXELS);
  rv_dataset_gather (set, ds->train_index, batch, x, NULL);
  double s = 0.0, s2 = 0.0;
  for (size_t i = 0; i < (size_t) batch * RV_IMAGE_PIXELS; i++)
    {
      s += x[i];
      s2 += (double) x[i] * x[i];
    }
  double m = s / (batch * RV_IMAGE_PIXELS), var = s2 / (batch * RV_IMAGE_PIXELS) - m * m;
  g_assert_cmpfloat (fabs (m), <, 0.2);
  g_assert_cmpfloat (var, >, 0.75);
  g_assert_cmpfloat (var, <, 1.3);
}

static double
distance2 (const uint8_t *a, const uint8_t *b)
{
  double d = 0.0;
  for (int p = 0; p < RV_IMAGE_PIXELS; p++)
    {
      double e = (double) a[p] - (double) b[p];
      d += e * e;
    }
  return d;
}

/* Classes must be told apart, but not trivially: images of one class are
 * closer than images of two; nearest class mean beats chance by far and
 * still errs. */
static void
test_synthetic_classes (void)
{
  g_autoptr (RvDataset) ds = rv_dataset_new_synthetic (10000, 2000, 5);
  const RvImageSet *train = ds->train_full, *test = ds->test;

  double same = 0.0, diff = 0.0;
  int n_same = 0, n_diff = 0;
  for (uint32_t k = 0; k < 20000; k++)
    {
      uint32_t i = rv_rng_u32 (1, 0, 2 * k) % train->n, j = rv_rng_u32 (1, 0, 2 * k + 1) % train->n;
      if (i == j)
        continue;
      double d = distance2 (train->pixels + (size_t) i * RV_IMAGE_PIXELS,
                            train->pixels + (size_t) j * RV_IMAGE_PIXELS);
      if (train->labels[i] == train->labels[j])
        {
          same += d;
          n_same++;
        }
      else
        {
          diff += d;
          n_diff++;
        }
    }
  same /= n_same;
  diff /= n_diff;
  g_test_message ("mean squared distance: same class %.0f, different classes %.0f", same, diff);
  g_assert_cmpfloat (same, <, 0.7 * diff);

  g_autofree double *centroid = g_new0 (double, RV_NUM_CLASSES * RV_IMAGE_PIXELS);
  uint32_t count[RV_NUM_CLASSES] = { 0 };
  for (uint32_t i = 0; i < train->n; i++)
    {
      count[train->labels[i]]++;
      for (int p = 0; p < RV_IMAGE_PIXELS; p++)
        centroid[train->labels[i] * RV_IMAGE_PIXELS + p] += train->pixels[(size_t) i * RV_IMAGE_PIXELS + p];
    }
  for (int k = 0; k < RV_NUM_CLASSES; k++)
    {
      g_assert_cmpuint (count[k], >, 0);
      for (int p = 0; p < RV_IMAGE_PIXELS; p++)
        centroid[k * RV_IMAGE_PIXELS + p] /= count[k];
    }
  uint32_t right = 0;
  for (uint32_t i = 0; i < test->n; i++)
    {
      int best = 0;
      double best_d = G_MAXDOUBLE;
      for (int k = 0; k < RV_NUM_CLASSES; k++)
        {
          double d = 0.0;
          for (int p = 0; p < RV_IMAGE_PIXELS; p++)
            {
              double e = test->pixels[(size_t) i * RV_IMAGE_PIXELS + p]
                         - centroid[k * RV_IMAGE_PIXELS + p];
              d += e * e;
            }
          if (d < best_d)
            {
              best_d = d;
              best = k;
            }
        }
      right += best == test->labels[i];
    }
  double accuracy = (double) right / test->n;
  g_test_message ("nearest class mean accuracy on synthetic test images: %.3f", accuracy);
  g_assert_cmpfloat (accuracy, >, 0.6);
  g_assert_cmpfloat (accuracy, <, 0.97);
}

/* ---- the real FashionMNIST files ---- */

/* The folder named by RAVINE_TEST_DATA_DIR if it holds all four files, else
 * NULL after marking the test skipped with where it looked. */
static char *
real_data_dir (void)
{
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir == NULL || dir[0] == '\0')
    {
      g_test_skip ("RAVINE_TEST_DATA_DIR is not set; "
                   "point it at a folder with the four FashionMNIST .gz files");
      return NULL;
    }
  const char *names[4] = { TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS };
  for (int k = 0; k < 4; k++)
    {
      g_autofree char *path = g_build_filename (dir, names[k], NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *why =
            g_strdup_printf ("no FashionMNIST data: %s not found (RAVINE_TEST_DATA_DIR)", path);
          g_test_skip (why);
          return NULL;
        }
    }
  return g_strdup (dir);
}

static void
test_real_data (void)
{
  g_autofree char *dir = real_data_dir ();
  if (dir == NULL)
    return;

  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 0, &error);
  g_test_message ("loaded FashionMNIST from %s in %.3f s", dir,
                  (double) (g_get_monotonic_time () - t0) / 1e6);
  g_assert_no_error (error);
  g_assert_false (ds->synthetic);
  g_assert_cmpuint (ds->train_full->n, ==, 60000);
  g_assert_cmpuint (ds->test->n, ==, 10000);
  g_assert_cmpuint (ds->n_train, ==, 50000);
  g_assert_cmpuint (ds->n_val, ==, 10000);
  assert_partition (ds);

  /* The tutorial's figures (and the provenance note's exact ones). */
  double mean, std;
  pixel_moments (ds->train_full, &mean, &std);
  g_test_message ("FashionMNIST train x/255: mean %.6f, std %.6f", mean, std);
  g_assert_cmpfloat_with_epsilon (mean, 0.2860, 0.001);
  g_assert_cmpfloat_with_epsilon (std, 0.3530, 0.001);

  uint32_t train_count[RV_NUM_CLASSES] = { 0 }, test_count[RV_NUM_CLASSES] = { 0 };
  for (uint32_t i = 0; i < ds->train_full->n; i++)
    train_count[ds->train_full->labels[i]]++;
  for (uint32_t i = 0; i < ds->test->n; i++)
    test_count[ds->test->labels[i]]++;
  for (int k = 0; k < RV_NUM_CLASSES; k++)
    {
      g_assert_cmpuint (train_count[k], ==, 6000);
      g_assert_cmpuint (test_count[k], ==, 1000);
    }
}

static void
test_real_checksums (void)
{
  g_autofree char *dir = real_data_dir ();
  if (dir == NULL)
    return;
  g_autofree char *sums_path = g_build_filename (dir, "SHA256SUMS", NULL);
  g_autofree char *sums = NULL;
  if (!g_file_get_contents (sums_path, &sums, NULL, NULL))
    {
      g_autofree char *why = g_strdup_printf ("no checksums: %s not found", sums_path);
      g_test_skip (why);
      return;
    }

  int checked = 0;
  g_auto (GStrv) lines = g_strsplit (sums, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      if (line[0] == '\0')
        continue;
      /* "<64 hex digits>  <name>" (a '*' before the name marks binary mode). */
      g_assert_cmpuint (strlen (line), >, 66);
      g_autofree char *expect = g_strndup (line, 64);
      const char *name = g_strchug (line + 64);
      if (name[0] == '*')
        name++;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr (GError) error = NULL;
      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      g_assert_no_error (error);
      g_autofree char *actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_autofree char *expect_lower = g_ascii_strdown (expect, -1);
      g_test_message ("%s: sha256 %s", name, actual);
      g_assert_cmpstr (actual, ==, expect_lower);
      checked++;
    }
  g_assert_cmpint (checked, >=, 4);
}

/* ---- what stands in a data file's place ---- */

/* Puts something that is not a regular file at path. */
static void
plant (const char *path, const char *what)
{
  if (g_str_equal (what, "folder"))
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  else if (g_str_equal (what, "fifo"))
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
  else if (g_str_equal (what, "loop"))
    g_assert_cmpint (symlink (path, path), ==, 0);
  else if (g_str_equal (what, "dangling"))
    g_assert_cmpint (symlink ("/nonexistent-ravine-target", path), ==, 0);
  else if (g_str_equal (what, "zero"))
    g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  else if (g_str_equal (what, "unreadable"))
    {
      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
      g_assert_cmpint (g_chmod (path, 0), ==, 0);
    }
  else
    g_assert_not_reached ();
}

static const char *const planted_kinds[][2] = {
  { "folder", "is a folder, not a regular file" },
  { "fifo", "is a FIFO, not a regular file" },
  { "loop", "is a symbolic link that loops" },
  { "dangling", "is a symbolic link to /nonexistent-ravine-target, which does not exist" },
  { "zero", "is a character device, not a regular file" },
  { "unreadable", "cannot be read: Permission denied" },
};

/* Each is called what it is, never "missing", by the folder check, the
 * IDX reader, the checksum check and the header peek, and none of them
 * hangs on the FIFO or reads /dev/zero without end. */
static void
test_not_regular (gconstpointer data)
{
  const char *const *kind = data;
  if (g_str_equal (kind[0], "unreadable") && geteuid () == 0)
    {
      g_test_skip ("root reads any file");
      return;
    }
  g_autofree char *dir = make_tmp_dir ();
  write_folder (dir, 10, 10);
  g_autofree char *path = g_build_filename (dir, TRAIN_IMAGES, NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  plant (path, kind[0]);
  g_autofree char *labels = g_build_filename (dir, TRAIN_LABELS, NULL);
  g_autofree char *expect = g_strdup_printf ("%s: %s", path, kind[1]);

  g_autoptr (GError) error = NULL;
  g_autoptr (RvDataset) ds = rv_dataset_load (dir, 1, &error);
  g_assert_null (ds);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==, expect);
  g_clear_error (&error);

  g_autoptr (RvImageSet) set = rv_image_set_load (path, labels, &error);
  g_assert_null (set);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, expect);
  g_clear_error (&error);

  const RvDatasetFile *official = rv_dataset_files_official ();
  g_assert_cmpint (rv_dataset_file_check (dir, &official[0], NULL, NULL, &error), ==, RV_DATASET_FILE_UNREADABLE);
  g_autofree char *expect_short = g_strdup_printf ("%s: %s", TRAIN_IMAGES, kind[1]);
  g_assert_cmpstr (error->message, ==, expect_short);
  g_clear_error (&error);

  g_autofree char *sum = rv_dataset_file_sha256 (path, NULL, &error);
  g_assert_null (sum);
  g_assert_cmpstr (error->message, ==, expect);
  g_clear_error (&error);

  RvIdxHeader header;
  g_assert_false (rv_dataset_file_peek_header (path, &header, &error));
  g_assert_cmpstr (error->message, ==, expect);
  g_clear_error (&error);

  if (g_str_equal (kind[0], "folder"))
    g_rmdir (path);
  remove_tmp_dir (dir);
}

/* A regular file given as the folder is called that, not "does not exist". */
static void
test_dataset_file_as_folder (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (RvDataset) ds = rv_dataset_load (file, 1, &error);
  g_assert_null (ds);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);
  g_autofree char *expect = g_strdup_printf ("FashionMNIST folder %s is a regular file, not a folder", file);
  g_assert_true (g_str_has_prefix (error->message, expect));
  g_assert_null (strstr (error->message, "does not exist"));
  g_assert_null (strstr (error->message, "create it"));
  remove_tmp_dir (dir);
}

/* More trailing bytes than are worth counting: refused without draining
 * them all (a gzip bomb would take minutes). */
static void
test_trailing_capped (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *images = g_build_filename (dir, TRAIN_IMAGES, NULL);
  g_autofree char *labels = g_build_filename (dir, TRAIN_LABELS, NULL);
  g_autoptr (GByteArray) img = make_images (2, 28, 28);
  g_byte_array_set_size (img, img->len + (2u << 20));
  memset (img->data + 16 + 2 * 784, 0, 2u << 20);
  write_gzfile (images, img);
  g_autoptr (GByteArray) lab = make_labels (2);
  write_gzfile (labels, lab);
  g_autoptr (GError) error = NULL;
  g_autoptr (RvImageSet) set = rv_image_set_load (images, labels, &error);
  g_assert_null (set);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "more than 1048576 unexpected trailing bytes after the 2 declared images"));
  remove_tmp_dir (dir);
}

/* What ravine-cli does about each place; `dataset info` reports the same. */
static void
test_plan (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("RAVINE_DATA_DIR"));
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "ravine", "fashion-mnist", NULL);
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;
  RvDataFrom from;

  /* The default place, absent: the synthetic set stands in. */
  g_unsetenv ("RAVINE_DATA_DIR");
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_assert_cmpint (rv_dataset_plan (NULL, &got, &from, &error), ==, RV_DATA_PLAN_SYNTHETIC);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, cache);
  g_assert_cmpint (from, ==, RV_DATA_FROM_CACHE);
  g_clear_pointer (&got, g_free);

  /* A RAVINE_DATA_DIR that does not exist is a mistake. */
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-typo", TRUE);
  g_assert_cmpint (rv_dataset_plan (NULL, &got, &from, &error), ==, RV_DATA_PLAN_ERROR);
  g_assert_error (error, RV_ERROR, RV_ERROR_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent-ravine-typo (named by RAVINE_DATA_DIR) does not exist"));
  g_assert_cmpint (from, ==, RV_DATA_FROM_ENV);
  g_clear_error (&error);
  g_clear_pointer (&got, g_free);

  /* --data, the same; and an empty folder named there is an error too. */
  g_assert_cmpint (rv_dataset_plan ("/nonexistent-ravine-data", NULL, &from, &error), ==, RV_DATA_PLAN_ERROR);
  g_assert_cmpint (from, ==, RV_DATA_FROM_OPTION);
  g_clear_error (&error);
  g_assert_cmpint (rv_dataset_plan (dir, NULL, NULL, &error), ==, RV_DATA_PLAN_ERROR);
  g_assert_nonnull (strstr (error->message, "is missing from the FashionMNIST folder"));
  g_clear_error (&error);

  /* A complete folder, through either. */
  write_folder (dir, 10, 10);
  g_assert_cmpint (rv_dataset_plan (dir, NULL, NULL, &error), ==, RV_DATA_PLAN_FILES);
  g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  g_assert_cmpint (rv_dataset_plan (NULL, NULL, NULL, &error), ==, RV_DATA_PLAN_FILES);
  g_assert_no_error (error);

  remove_tmp_dir (dir);
  if (saved != NULL)
    g_setenv ("RAVINE_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("RAVINE_DATA_DIR");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A FIFO used to hang the reader: a hang must fail, not stall CI.  And
   * the default data folder must be one this test controls (absent). */
  alarm (100);
  g_autofree char *cache_home = g_dir_make_tmp ("ravine-test-cache-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  g_test_add_func ("/idx/load-valid", test_load_valid);
  g_test_add_func ("/idx/multi-member-gzip", test_load_multi_member_gzip);
  g_test_add_func ("/idx/parse-names-source", test_parse_names_source);
  for (gsize i = 0; i < G_N_ELEMENTS (faults); i++)
    g_test_add_data_func (faults[i].path, &faults[i], test_fault);
  g_test_add_func ("/idx/fault/missing-file", test_missing_file);
  g_test_add_func ("/dataset/load-folder", test_dataset_load_folder);
  g_test_add_func ("/dataset/missing", test_dataset_missing);
  for (gsize i = 0; i < G_N_ELEMENTS (planted_kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("/dataset/not-regular/%s", planted_kinds[i][0]);
      g_test_add_data_func (name, planted_kinds[i], test_not_regular);
    }
  g_test_add_func ("/dataset/file-as-folder", test_dataset_file_as_folder);
  g_test_add_func ("/idx/fault/trailing-capped", test_trailing_capped);
  g_test_add_func ("/dataset/plan", test_plan);
  g_test_add_func ("/dataset/split", test_split);
  g_test_add_func ("/dataset/epoch-order", test_epoch_order);
  g_test_add_func ("/dataset/batch-count", test_batch_count);
  g_test_add_func ("/dataset/gather", test_gather);
  g_test_add_func ("/dataset/find-dir", test_find_dir);
  g_test_add_func ("/synthetic/deterministic", test_synthetic_deterministic);
  g_test_add_func ("/synthetic/statistics", test_synthetic_statistics);
  g_test_add_func ("/synthetic/classes", test_synthetic_classes);
  g_test_add_func ("/real/load", test_real_data);
  g_test_add_func ("/real/checksums", test_real_checksums);

  int rc = g_test_run ();
  g_rmdir (cache_home);
  return rc;
}
