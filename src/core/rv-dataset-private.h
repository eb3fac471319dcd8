/* rv-dataset-private.h: what rv-dataset.c shares with rv-synthetic.c (and
 * the tests), outside the public API. */
#pragma once

#include "rv-dataset.h"

G_BEGIN_DECLS

/* The validation share of a training file of n images: 10,000 when n is at
 * least 20,000 (the tutorial's [50000, 10000] split of 60,000), else n/5. */
uint32_t rv_dataset_val_size (uint32_t n);

/* Wraps two image sets (taking ownership) into a data set whose training
 * file is split with rv_rng_permutation (split_seed, RV_STREAM_SPLIT): the
 * first n - n_val entries train, the last n_val validate. */
RvDataset *rv_dataset_new_from_sets (RvImageSet *train_full, RvImageSet *test,
                                     uint64_t split_seed, gboolean synthetic,
                                     const char *source);

G_END_DECLS
