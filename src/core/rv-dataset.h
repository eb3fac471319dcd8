/* rv-dataset.h: FashionMNIST (or its synthetic stand-in) held as bytes.
 *
 * Images stay uint8 in memory; a batch is gathered and normalized on demand
 * with the tutorial's constants, (x/255 - 0.2861) / 0.3530. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RV_IMAGE_SIDE 28
#define RV_IMAGE_PIXELS (RV_IMAGE_SIDE * RV_IMAGE_SIDE)
#define RV_NUM_CLASSES 10
#define RV_NORM_MEAN 0.2861f
#define RV_NORM_STD 0.3530f
#define RV_TRAIN_SIZE 50000 /* of the 60,000 training images; the rest validate */

/* One IDX image file and its label file. */
typedef struct {
  uint8_t *pixels; /* [n, 784] */
  uint8_t *labels; /* [n], each in 0..9 */
  uint32_t n;
} RvImageSet;

void rv_image_set_free (RvImageSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvImageSet, rv_image_set_free)

/* Reads a gzip-compressed (or plain) IDX pair and validates everything:
 * magic numbers, 28x28, counts, labels in 0..9, truncated or trailing bytes,
 * corrupt gzip.  On failure returns NULL and an RV_ERROR_DATA error naming the
 * file and the fault. */
RvImageSet *rv_image_set_load (const char *images_path, const char *labels_path, GError **error);

/* Parses IDX bytes already in memory (the fuzz target's entry); `what` names
 * the source in error messages. */
RvImageSet *rv_image_set_parse (const uint8_t *images, size_t images_len,
                                const uint8_t *labels, size_t labels_len,
                                const char *what, GError **error);

typedef struct {
  RvImageSet *train_full; /* the training file in file order (60,000 for the real data) */
  RvImageSet *test;       /* the test file (10,000) */
  uint32_t *train_index;  /* [n_train] indices into train_full */
  uint32_t *val_index;    /* [n_val] indices into train_full */
  uint32_t n_train, n_val;
  gboolean synthetic;     /* TRUE for the procedurally generated stand-in */
  char *source;           /* the folder read, or "synthetic" */
} RvDataset;

void rv_dataset_free (RvDataset *ds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvDataset, rv_dataset_free)

/* Loads the four FashionMNIST files from `dir` and splits the training file
 * into n-10,000 training and 10,000 validation images with `split_seed`. */
RvDataset *rv_dataset_load (const char *dir, uint64_t split_seed, GError **error);

/* A procedurally generated 10-class 28x28 data set: same shapes, same split
 * rule, labelled synthetic.  n_train_full of at least 20,000 gives the usual
 * 10,000-image validation set; smaller sets keep a fifth for validation. */
RvDataset *rv_dataset_new_synthetic (uint32_t n_train_full, uint32_t n_test, uint64_t seed);

/* Where the data lives: `cli_dir` if given, else $RAVINE_DATA_DIR, else
 * $XDG_CACHE_HOME/ravine/fashion-mnist.  Returns a newly allocated path. */
char *rv_dataset_find_dir (const char *cli_dir);

/* Which of those places a folder came from. */
typedef enum {
  RV_DATA_FROM_OPTION, /* --data DIR */
  RV_DATA_FROM_ENV,    /* $RAVINE_DATA_DIR */
  RV_DATA_FROM_CACHE,  /* the user cache: the default, never named by the user */
} RvDataFrom;

/* rv_dataset_find_dir, also saying where the folder came from. */
char *rv_dataset_find_dir_from (const char *cli_dir, RvDataFrom *from_out);

/* Whether dir is a folder that holds the four files, each a regular file
 * (or a link to one) that can be opened; nothing is read.  Otherwise FALSE
 * and an RV_ERROR_DATA error that calls what is wrong what it is: the
 * folder does not exist or is not a folder, a file is missing, or is a
 * folder, FIFO, device, symlink loop, link to nothing, unreadable. */
gboolean rv_dataset_check_dir (const char *dir, GError **error);

typedef enum {
  RV_DATA_PLAN_FILES,     /* the four files are there: read them */
  RV_DATA_PLAN_SYNTHETIC, /* the default folder does not exist: the synthetic set stands in */
  RV_DATA_PLAN_ERROR,     /* a named folder that does not exist, or any folder not in order */
} RvDataPlan;

/* What ravine-cli does about the data for `--data cli_dir` (NULL when not
 * given), so that `dataset info` and `train` agree: a place the user named
 * (--data, RAVINE_DATA_DIR) must hold the files; only the default folder
 * may be absent, and then the synthetic set stands in.  dir_out and
 * from_out (if given) receive the folder and where it came from; for
 * RV_DATA_PLAN_ERROR, error says what is wrong and names the folder and
 * where it came from. */
RvDataPlan rv_dataset_plan (const char *cli_dir, char **dir_out, RvDataFrom *from_out, GError **error);

/* Gathers rows `indices[0..count)` of `set` into out[count, 784], normalized. */
void rv_dataset_gather (const RvImageSet *set, const uint32_t *indices, uint32_t count,
                        float *out, uint8_t *labels_out);

/* The same on raw arrays pixels[n_rows, 784] and labels[n_rows]: row i is
 * indices[i], or first + i when indices is NULL.  (The CPU backend's gather.) */
void rv_dataset_gather_rows (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                             const uint32_t *indices, uint32_t first, uint32_t count,
                             float *out, uint8_t *labels_out);
/* Its two copies (rv-hot-loop.h), for the backend tables and the test that
 * they agree. */
void rv_dataset_gather_rows_baseline (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                                      const uint32_t *indices, uint32_t first, uint32_t count,
                                      float *out, uint8_t *labels_out);
void rv_dataset_gather_rows_avx2 (const uint8_t *pixels, const uint8_t *labels, uint32_t n_rows,
                                  const uint32_t *indices, uint32_t first, uint32_t count,
                                  float *out, uint8_t *labels_out);

/* table[v] = (v / 255 - RV_NORM_MEAN) / RV_NORM_STD in float: the value
 * every gather gives pixel byte v (the CUDA backend uploads this table, so
 * its batches are bit-identical to the CPU's). */
void rv_dataset_norm_table (float table[256]);

/* The number of batches of `batch_size` in `n` items. */
uint32_t rv_batch_count (uint32_t n, uint32_t batch_size, gboolean drop_last);

/* order[0..n) = indices[0..n) shuffled for `epoch` (seeded, reproducible). */
void rv_epoch_order (uint32_t *order, const uint32_t *indices, uint32_t n,
                     uint64_t seed, uint32_t epoch);

G_END_DECLS
