/* rv-preferences.c: the Preferences window: the style, the text size in
 * presentation mode, and the histogram defaults, each bound straight to its
 * setting. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-preferences.h"

static GtkWidget *
switch_row (GSettings *settings, const char *key, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_settings_bind (settings, key, sw, "active", G_SETTINGS_BIND_DEFAULT);
  return row;
}

static gboolean
scheme_to_selected (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (nick, "light") ? 1 : g_str_equal (nick, "dark") ? 2 : 0);
  return TRUE;
}

static gboolean
device_to_selected (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *name = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (name, "cpu") ? 1 : g_str_equal (name, "cuda") ? 2 : 0);
  return TRUE;
}

static GVariant *
selected_to_device (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *const names[] = { "auto", "cpu", "cuda" };
  return g_variant_new_string (names[MIN (g_value_get_uint (value), 2)]);
}

static const int text_scales[] = { 100, 125, 150, 200 };

static gboolean
scale_to_selected (GValue *value, GVariant *variant, gpointer user_data)
{
  int percent = g_variant_get_int32 (variant);
  guint best = 0;
  for (guint i = 1; i < G_N_ELEMENTS (text_scales); i++)
    if (ABS (text_scales[i] - percent) < ABS (text_scales[best] - percent))
      best = i;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
selected_to_scale (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_int32 (text_scales[MIN (g_value_get_uint (value), G_N_ELEMENTS (text_scales) - 1)]);
}

static GVariant *
selected_to_scheme (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *const nicks[] = { "default", "light", "dark" };
  return g_variant_new_string (nicks[MIN (g_value_get_uint (value), 2)]);
}

GtkWindow *
rv_preferences_new (GSettings *settings)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *look = adw_preferences_group_new ();
  GtkWidget *plots = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (look), _("Appearance"));
  GtkWidget *style = adw_combo_row_new ();
  const char *styles[] = { _("Follow the system"), _("Light"), _("Dark"), NULL };
  adw_combo_row_set_model (ADW_COMBO_ROW (style), G_LIST_MODEL (gtk_string_list_new (styles)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (style), _("_Style"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (style), TRUE);
  g_settings_bind_with_mapping (settings, "color-scheme", style, "selected", G_SETTINGS_BIND_DEFAULT,
                                scheme_to_selected, selected_to_scheme, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (look), style);

  GtkStringList *percents = gtk_string_list_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (text_scales); i++)
    {
      /* Translators: a text size, as in "125 %" */
      g_autofree char *label = g_strdup_printf (_("%d %%"), text_scales[i]);
      gtk_string_list_append (percents, label);
    }
  GtkWidget *scale = adw_combo_row_new ();
  adw_combo_row_set_model (ADW_COMBO_ROW (scale), G_LIST_MODEL (percents));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (scale), _("_Text size in presentation mode"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (scale), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (scale), _("Larger for a bigger hall; chart labels and lines grow too"));
  g_settings_bind_with_mapping (settings, "presentation-text-scale", scale, "selected", G_SETTINGS_BIND_DEFAULT,
                                scale_to_selected, selected_to_scale, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (look), scale);

  GtkWidget *compute = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (compute), _("Training"));
  GtkWidget *device = adw_combo_row_new ();
  const char *devices[] = { _("Automatic: the GPU if one works"), _("CPU"), _("GPU (CUDA)"), NULL };
  adw_combo_row_set_model (ADW_COMBO_ROW (device), G_LIST_MODEL (gtk_string_list_new (devices)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (device), _("Compute _device"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (device), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (device), _("Used by runs added from now on"));
  g_settings_bind_with_mapping (settings, "device", device, "selected", G_SETTINGS_BIND_DEFAULT,
                                device_to_selected, selected_to_device, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (compute), device);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (plots), _("Histograms"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (plots),
                             switch_row (settings, "hist-kde", _("_Density curve"), _("Draw a kernel density estimate over the bars")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (plots),
                             switch_row (settings, "hist-density", _("Show d_ensity"), _("Bars integrate to one instead of counting values")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (plots),
                             switch_row (settings, "hist-log", _("_Logarithmic counts"), _("Make rare values in the tails visible")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (plots),
                             switch_row (settings, "hist-shared-x", _("S_hared x axis"), _("Use one value range for every layer")));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (look));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (plots));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (compute));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  return GTK_WINDOW (window);
}
