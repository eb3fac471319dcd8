/* rv-plot-export.c: PNG/SVG/PDF export through cairo's surfaces, written
 * through a temporary file so that no half-written image is ever left. */
#include "rv-config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-atomic-file.h"
#include "rv-error.h"
#include "rv-plot-export.h"

/* The extension of path's last component, without the dot; NULL if none. */
static const char *
find_extension (const char *path)
{
  const char *base = strrchr (path, G_DIR_SEPARATOR);
  const char *dot;

  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  /* ".png" alone is a hidden file's name, not an extension. */
  if (dot == NULL || dot == base || dot[1] == '\0')
    return NULL;
  return dot + 1;
}

RvPlotFormat
rv_plot_export_format_from_path (const char *path)
{
  const char *ext;

  g_return_val_if_fail (path != NULL, RV_PLOT_FORMAT_UNKNOWN);

  ext = find_extension (path);
  if (ext == NULL)
    return RV_PLOT_FORMAT_UNKNOWN;
  if (g_ascii_strcasecmp (ext, "png") == 0)
    return RV_PLOT_FORMAT_PNG;
  if (g_ascii_strcasecmp (ext, "svg") == 0)
    return RV_PLOT_FORMAT_SVG;
  if (g_ascii_strcasecmp (ext, "pdf") == 0)
    return RV_PLOT_FORMAT_PDF;
  return RV_PLOT_FORMAT_UNKNOWN;
}

typedef struct
{
  RvAtomicFile *file;
  GError *error;      /* the first write failure, with the path and errno */
} Writer;

static cairo_status_t
writer_write (void *closure, const unsigned char *data, unsigned int length)
{
  Writer *writer = closure;

  /* After one failure cairo may still call again; keep the first error. */
  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!rv_atomic_file_append (writer->file, data, length, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* Turns a cairo failure into an error; a write error keeps its own message. */
static gboolean
check_status (Writer *writer, cairo_status_t status, const char *path, GError **error)
{
  g_autofree char *name = NULL;

  if (writer->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&writer->error));
      return FALSE;
    }
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  name = g_filename_display_name (path);
  g_set_error (error, RV_ERROR, RV_ERROR_IO, _("%s: cannot draw the image: %s"),
               name, cairo_status_to_string (status));
  return FALSE;
}

static gboolean
export_png (Writer *writer, const char *path, RvPlotDrawFunc draw, gpointer data,
            int width, int height, double scale, GError **error)
{
  int pixel_width = (int) ceil (width * scale);
  int pixel_height = (int) ceil (height * scale);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      draw (data, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, writer_write, writer);
    }
  cairo_surface_destroy (surface);
  return check_status (writer, status, path, error);
}

static gboolean
export_vector (Writer *writer, RvPlotFormat format, const char *path,
               RvPlotDrawFunc draw, gpointer data, int width, int height, GError **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (format == RV_PLOT_FORMAT_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (writer_write, writer, width, height);
      /* Sizes in px, so the SVG opens at the size of the chart on screen. */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    {
      surface = cairo_pdf_surface_create_for_stream (writer_write, writer, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Ravine");
    }

  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cr = cairo_create (surface);
      draw (data, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      /* Vector surfaces write their trailer here; failures show up after. */
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  return check_status (writer, status, path, error);
}

gboolean
rv_plot_export_scaled (const char      *path,
                       RvPlotDrawFunc   draw,
                       gpointer         data,
                       int              width,
                       int              height,
                       double           scale,
                       GError         **error)
{
  RvPlotFormat format;
  Writer writer = { NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (scale > 0.0 && scale <= 16.0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  format = rv_plot_export_format_from_path (path);
  if (format == RV_PLOT_FORMAT_UNKNOWN)
    {
      g_autofree char *name = g_filename_display_name (path);
      const char *ext = find_extension (path);

      if (ext != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("%s: cannot export to “.%s” files; use .png, .svg or .pdf"), name, ext);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("%s: the file name has no extension; use .png, .svg or .pdf"), name);
      return FALSE;
    }

  writer.file = rv_atomic_file_open (path, error);
  if (writer.file == NULL)
    return FALSE;

  if (format == RV_PLOT_FORMAT_PNG)
    ok = export_png (&writer, path, draw, data, width, height, scale, error);
  else
    ok = export_vector (&writer, format, path, draw, data, width, height, error);

  if (!ok)
    {
      rv_atomic_file_abort (writer.file);
      return FALSE;
    }
  return rv_atomic_file_commit (writer.file, error);
}

gboolean
rv_plot_export (const char      *path,
                RvPlotDrawFunc   draw,
                gpointer         data,
                int              width,
                int              height,
                GError         **error)
{
  return rv_plot_export_scaled (path, draw, data, width, height, 1.0, error);
}
