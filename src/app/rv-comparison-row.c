/* rv-comparison-row.c: a comparison table row, a fixed set of strings. */
#include "rv-config.h"

#include "rv-comparison-row.h"

struct _RvComparisonRow
{
  GObject parent_instance;

  char *cells[RV_COMPARISON_N_COLUMNS];
};

G_DEFINE_FINAL_TYPE (RvComparisonRow, rv_comparison_row, G_TYPE_OBJECT)

static void
rv_comparison_row_finalize (GObject *object)
{
  RvComparisonRow *self = RV_COMPARISON_ROW (object);

  for (int c = 0; c < RV_COMPARISON_N_COLUMNS; c++)
    g_free (self->cells[c]);
  G_OBJECT_CLASS (rv_comparison_row_parent_class)->finalize (object);
}

static void
rv_comparison_row_class_init (RvComparisonRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rv_comparison_row_finalize;
}

static void
rv_comparison_row_init (RvComparisonRow *self)
{
}

RvComparisonRow *
rv_comparison_row_new (const char *const *cells)
{
  RvComparisonRow *self = g_object_new (RV_TYPE_COMPARISON_ROW, NULL);

  for (int c = 0; c < RV_COMPARISON_N_COLUMNS; c++)
    self->cells[c] = g_strdup (cells[c]);
  return self;
}

const char *
rv_comparison_row_get_cell (RvComparisonRow *self, RvComparisonColumn column)
{
  g_return_val_if_fail (RV_IS_COMPARISON_ROW (self), NULL);
  g_return_val_if_fail (column < RV_COMPARISON_N_COLUMNS, NULL);
  return self->cells[column];
}
