/* rv-application.h: the AdwApplication. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RV_TYPE_APPLICATION (rv_application_get_type ())
G_DECLARE_FINAL_TYPE (RvApplication, rv_application, RV, APPLICATION, AdwApplication)

RvApplication *rv_application_new (void);

GSettings *rv_application_get_settings (RvApplication *self);
/* The FashionMNIST folder given with --data, or NULL for the usual places. */
const char *rv_application_get_data_dir (RvApplication *self);

/* Page names the window knows: "initialization", "training", "surfaces". */
gboolean rv_application_is_page_name (const char *name);

G_END_DECLS
