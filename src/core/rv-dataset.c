/* rv-dataset.c: the FashionMNIST files on disk, split and served in batches.
 *
 * The split follows torch.utils.data.random_split (dataset, [50000, 10000])
 * in spirit: one seeded permutation of the training file, its head trains,
 * its tail validates.  Images stay bytes; gather normalizes per batch. */
#include "rv-dataset-private.h"
#include "rv-dataset-files.h"
#include "rv-error.h"
#include "rv-file.h"
#include "rv-hot-loop.h"
#include "rv-rng.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRAIN_IMAGES "train-images-idx3-ubyte.gz"
#define TRAIN_LABELS "train-labels-idx1-ubyte.gz"
#define TEST_IMAGES "t10k-images-idx3-ubyte.gz"
#define TEST_LABELS "t10k-labels-idx1-ubyte.gz"
#define VAL_SIZE 10000
#define DATA_HINT \
  "get the four .gz files of https://github.com/zalandoresearch/fashion-mnist " \
  "(folder data/fashion) and put them there, or point RAVINE_DATA_DIR at a folder that holds them"

uint32_t
rv_dataset_val_size (uint32_t n)
{
  return n >= 2 * VAL_SIZE ? VAL_SIZE : n / 5;
}

RvDataset *
rv_dataset_new_from_sets (RvImageSet *train_full, RvImageSet *test, uint64_t split_seed,
                          gboolean synthetic, const char *source)
{
  g_return_val_if_fail (train_full != NULL && test != NULL, NULL);

  RvDataset *ds = g_new0 (RvDataset, 1);
  uint32_t n = train_full->n;
  ds->train_full = train_full;
  ds->test = test;
  ds->n_val = rv_dataset_val_size (n);
  ds->n_train = n - ds->n_val;
  ds->synthetic = synthetic;
  ds->source = g_strdup (source);

  /* One permutation, cut in two: the halves are disjoint and cover 0..n-1. */
  uint32_t *perm = g_new (uint32_t, MAX (n, 1u));
  rv_rng_permutation (perm, n, split_seed, RV_STREAM_SPLIT);
  ds->train_index = g_new (uint32_t, MAX (ds->n_train, 1u));
  ds->val_index = g_new (uint32_t, MAX (ds->n_val, 1u));
  memcpy (ds->train_index, perm, (size_t) ds->n_train * sizeof *perm);
  memcpy (ds->val_index, perm + ds->n_train, (size_t) ds->n_val * sizeof *perm);
  g_free (perm);
  return ds;
}

/* Checks that each of the four files is present before reading any, so a
 * half-downloaded folder gets one clear message. */
gboolean
rv_dataset_check_dir (const char *dir, GError **error)
{
  static const char *const names[] = { TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS };
  g_return_val_if_fail (dir != NULL, FALSE);
  g_autofree char *display = g_filename_display_name (dir);

  struct stat st;
  if (stat (dir, &st) != 0)
    {
      int errsv = errno;
      if (errsv == ENOENT && !rv_file_exists_at_all (dir))
        g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                     "FashionMNIST folder %s does not exist; create it and " DATA_HINT, display);
      else if (errsv == ENOENT)
        g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                     "FashionMNIST folder %s is a symbolic link to nothing; " DATA_HINT, display);
      else
        g_set_error (error, RV_ERROR, RV_ERROR_DATA, "FashionMNIST folder %s cannot be opened: %s",
                     display, g_strerror (errsv));
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "FashionMNIST folder %s is %s, not a folder; give the folder that holds the four .gz files",
                   display, rv_file_kind (st.st_mode));
      return FALSE;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *shown = g_filename_display_name (path);
      RvDatasetFileState state;
      g_autoptr (GError) local = NULL;
      int fd = rv_dataset_file_open (path, shown, RV_DATASET_FILE_MAX_BYTES, NULL, &state, &local);
      if (fd >= 0)
        {
          close (fd);
          continue;
        }
      if (state == RV_DATASET_FILE_MISSING)
        g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                     "%s is missing from the FashionMNIST folder %s; " DATA_HINT,
                     names[i], display);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static RvImageSet *
load_pair (const char *dir, const char *images, const char *labels, GError **error)
{
  g_autofree char *images_path = g_build_filename (dir, images, NULL);
  g_autofree char *labels_path = g_build_filename (dir, labels, NULL);
  return rv_image_set_load (images_path, labels_path, error);
}

RvDataset *
rv_dataset_load (const char *dir, uint64_t split_seed, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!rv_dataset_check_dir (dir, error))
    return NULL;
  g_autoptr (RvImageSet) train = load_pair (dir, TRAIN_IMAGES, TRAIN_LABELS, error);
  if (train == NULL)
    return NULL;
  g_autoptr (RvImageSet) test = load_pair (dir, TEST_IMAGES, TEST_LABELS, error);
  if (test == NULL)
    return NULL;
  return rv_dataset_new_from_sets (g_steal_pointer (&train), g_steal_pointer (&test),
                                   split_seed, FALSE, dir);
}

char *
rv_dataset_find_dir_from (const char *cli_dir, RvDataFrom *from_out)
{
  RvDataFrom from = RV_DATA_FROM_CACHE;
  char *dir;
  const char *env = g_getenv ("RAVINE_DATA_DIR");
  if (cli_dir != NULL && cli_dir[0] != '\0')
    {
      from = RV_DATA_FROM_OPTION;
      dir = g_strdup (cli_dir);
    }
  else if (env != NULL && env[0] != '\0')
    {
      from = RV_DATA_FROM_ENV;
      dir = g_strdup (env);
    }
  else
    dir = g_build_filename (g_get_user_cache_dir (), "ravine", "fashion-mnist", NULL);
  if (from_out)
    *from_out = from;
  return dir;
}

char *
rv_dataset_find_dir (const char *cli_dir)
{
  return rv_dataset_find_dir_from (cli_dir, NULL);
}

RvDataPlan
rv_dataset_plan (const char *cli_dir, char **dir_out, RvDataFrom *from_out, GError **error)
{
  RvDataFrom from;
  g_autofree char *dir = rv_dataset_find_dir_from (cli_dir, &from);
  RvDataPlan plan = RV_DATA_PLAN_FILES;
  g_autoptr (GError) local = NULL;

  /* Only the default may be absent (nothing at all there): a place the
   * user named that does not exist is a typo, not a wish for fake data. */
  if (from == RV_DATA_FROM_CACHE && !rv_file_exists_at_all (dir))
    plan = RV_DATA_PLAN_SYNTHETIC;
  else if (!rv_dataset_check_dir (dir, &local))
    {
      plan = RV_DATA_PLAN_ERROR;
      g_autofree char *display = g_filename_display_name (dir);
      if (from == RV_DATA_FROM_ENV && !rv_file_exists_at_all (dir))
        g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                     "FashionMNIST folder %s (named by RAVINE_DATA_DIR) does not exist; set RAVINE_DATA_DIR "
                     "to the folder that holds the four .gz files, or unset it", display);
      else if (from == RV_DATA_FROM_ENV)
        g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s (the folder named by RAVINE_DATA_DIR)", local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
    }
  if (dir_out)
    *dir_out = g_steal_pointer (&dir);
  if (from_out)
    *from_out = from;
  return plan;
}

/* One pixel byte normalized: the table's formula, which gather computes
 * rather than looks up (computed, the loop vectorizes; a lookup per byte
 * does not), with the same float operations, so the same bits. */
static inline float
norm_pixel (uint8_t v)
{
  return ((float) v / 255.0f - RV_NORM_MEAN) / RV_NORM_STD;
}

void
rv_dataset_norm_table (float table[256])
{
  for (int v = 0; v < 256; v++)
    table[v] = norm_pixel ((uint8_t) v);
}

/* How many rows ahead a shuffled gather asks for its source row: those lie
 * anywhere in the 47 MB of pixels, mostly outside the caches, and one row
 * is 13 cache lines. */
#define PREFETCH_AHEAD 2

static inline void
prefetch_row (const uint8_t *row)
{
  for (int p = 0; p < RV_IMAGE_PIXELS; p += 64)
    __builtin_prefetch (row + p);
  __builtin_prefetch (row + RV_IMAGE_PIXELS - 1);
}

static inline __attribute__ ((always_inline)) void
rv_dataset_gather_rows_body (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                             const uint32_t *indices, uint32_t first, uint32_t count,
                             float *out, uint8_t *labels_out)
{
  g_return_if_fail ((pixels != NULL && out != NULL) || count == 0);

  for (uint32_t i = 0; i < count; i++)
    {
      uint32_t row = indices ? indices[i] : first + i;
      g_return_if_fail (row < n_rows);
      if (indices && i + PREFETCH_AHEAD < count && indices[i + PREFETCH_AHEAD] < n_rows)
        prefetch_row (pixels + (size_t) indices[i + PREFETCH_AHEAD] * RV_IMAGE_PIXELS);
      const uint8_t *restrict src = pixels + (size_t) row * RV_IMAGE_PIXELS;
      float *restrict dst = out + (size_t) i * RV_IMAGE_PIXELS;
      for (int p = 0; p < RV_IMAGE_PIXELS; p++)
        dst[p] = norm_pixel (src[p]);
      if (labels_out != NULL)
        labels_out[i] = labels[row];
    }
}

RV_HOT_LOOP_VARIANTS (, rv_dataset_gather_rows,
                      (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                       const uint32_t *indices, uint32_t first, uint32_t count,
                       float *out, uint8_t *labels_out),
                      (pixels, labels, n_rows, indices, first, count, out, labels_out))

void
rv_dataset_gather_rows (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                        const uint32_t *indices, uint32_t first, uint32_t count,
                        float *out, uint8_t *labels_out)
{
  if (rv_hot_loop_use_avx2 ())
    rv_dataset_gather_rows_avx2 (pixels, labels, n_rows, indices, first, count, out, labels_out);
  else
    rv_dataset_gather_rows_baseline (pixels, labels, n_rows, indices, first, count, out, labels_out);
}

void
rv_dataset_gather (const RvImageSet *set, const uint32_t *indices, uint32_t count,
                   float *out, uint8_t *labels_out)
{
  g_return_if_fail (set != NULL && (indices != NULL || count == 0) && (out != NULL || count == 0));
  rv_dataset_gather_rows (set->pixels, set->labels, set->n, indices, 0, count, out, labels_out);
}

uint32_t
rv_batch_count (uint32_t n, uint32_t batch_size, gboolean drop_last)
{
  g_return_val_if_fail (batch_size > 0, 0);
  return n / batch_size + (!drop_last && n % batch_size != 0 ? 1 : 0);
}

void
rv_epoch_order (uint32_t *order, const uint32_t *indices, uint32_t n,
                uint64_t seed, uint32_t epoch)
{
  g_return_if_fail ((order != NULL && indices != NULL) || n == 0);
  if (n == 0)
    return;

  /* Shuffle positions, then look them up; the scratch copy also makes
   * order == indices (in-place shuffling) safe. */
  uint32_t *perm = g_new (uint32_t, n);
  rv_rng_permutation (perm, n, seed, (uint64_t) RV_STREAM_EPOCH + epoch);
  for (uint32_t i = 0; i < n; i++)
    perm[i] = indices[perm[i]];
  memcpy (order, perm, (size_t) n * sizeof *perm);
  g_free (perm);
}

void
rv_dataset_free (RvDataset *ds)
{
  if (ds == NULL)
    return;
  rv_image_set_free (ds->train_full);
  rv_image_set_free (ds->test);
  g_free (ds->train_index);
  g_free (ds->val_index);
  g_free (ds->source);
  g_free (ds);
}
