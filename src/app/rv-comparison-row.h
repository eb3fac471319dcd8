/* rv-comparison-row.h: one run's row in the Training page's comparison
 * table: its cells as text, one per column. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  RV_COMPARISON_RUN,
  RV_COMPARISON_OPTIMIZER,
  RV_COMPARISON_BEST_VALIDATION,
  RV_COMPARISON_TEST_ACCURACY,
  RV_COMPARISON_STATUS,
  RV_COMPARISON_N_COLUMNS
} RvComparisonColumn;

#define RV_TYPE_COMPARISON_ROW (rv_comparison_row_get_type ())
G_DECLARE_FINAL_TYPE (RvComparisonRow, rv_comparison_row, RV, COMPARISON_ROW, GObject)

/* cells: RV_COMPARISON_N_COLUMNS strings, copied. */
RvComparisonRow *rv_comparison_row_new (const char *const *cells);
const char *rv_comparison_row_get_cell (RvComparisonRow *self, RvComparisonColumn column);

G_END_DECLS
