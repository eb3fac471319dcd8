/* rv-plot-export.h: saving a chart as PNG, SVG or PDF.
 *
 * A chart is anything that can draw itself into a cairo context of a given
 * size (every chart widget has such a function, e.g. rv_histogram_view_draw).
 * The format follows the file name's extension, case-insensitively: .png
 * (an image of width × height pixels, times scale), .svg (width × height
 * px) or .pdf (one page of width × height points).
 *
 * The file appears complete or not at all: the image goes to a temporary file
 * beside path, which is renamed over path only once everything is written
 * (rv-atomic-file.h); on failure a file already at path stays as it was.
 *
 * Errors: G_IO_ERROR_INVALID_ARGUMENT for an unknown extension (the message
 * names it and the extensions that work); RV_ERROR_IO for anything that
 * failed while writing, worded "PATH: what failed: why". */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef void (*RvPlotDrawFunc) (gpointer data, cairo_t *cr, int width, int height);

typedef enum
{
  RV_PLOT_FORMAT_UNKNOWN,
  RV_PLOT_FORMAT_PNG,
  RV_PLOT_FORMAT_SVG,
  RV_PLOT_FORMAT_PDF,
} RvPlotFormat;

/* The format for path's extension (case-insensitive), or UNKNOWN. */
RvPlotFormat rv_plot_export_format_from_path (const char *path);

/* Calls draw (data, cr, width, height) once on a fresh surface of the
 * format's kind and writes the result to path. */
gboolean rv_plot_export (const char      *path,
                         RvPlotDrawFunc   draw,
                         gpointer         data,
                         int              width,
                         int              height,
                         GError         **error);

/* As rv_plot_export, with a PNG of (width × scale) × (height × scale) pixels
 * drawn at that device scale (2.0 for a sharp image on HiDPI screens or
 * slides); SVG and PDF, being vector formats, ignore scale. */
gboolean rv_plot_export_scaled (const char      *path,
                                RvPlotDrawFunc   draw,
                                gpointer         data,
                                int              width,
                                int              height,
                                double           scale,
                                GError         **error);

G_END_DECLS
