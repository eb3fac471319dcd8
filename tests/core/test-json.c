/* test-json.c: the JSON writer's text parses back to the same values. */
#include <math.h>

#include "rv-json.h"

static void
test_round_trip (void)
{
  const double values[] = { 1e-8, 0.9, 0.1 + 0.2, 1e300, -2.5e-300, 3.0, 0.0, -0.0, 123456789.123, G_PI };
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    json_builder_add_double_value (b, values[i]);
  json_builder_add_double_value (b, NAN);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "text \"quoted\"\n\ttab \x01");
  json_builder_add_string_value (b, "\\ é ✓");
  json_builder_set_member_name (b, "big");
  json_builder_add_int_value (b, G_MAXINT64);
  json_builder_set_member_name (b, "flag");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "nested");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  for (int pretty = 0; pretty <= 1; pretty++)
    {
      g_autofree char *text = rv_json_to_string (root, pretty);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      JsonArray *a = json_object_get_array_member (o, "values");
      for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
        g_assert_cmpfloat (json_array_get_double_element (a, i), ==, values[i]);
      g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (a, G_N_ELEMENTS (values))));
      g_assert_cmpstr (json_object_get_string_member (o, "text \"quoted\"\n\ttab \x01"), ==, "\\ é ✓");
      g_assert_cmpint (json_object_get_int_member (o, "big"), ==, G_MAXINT64);
      g_assert_true (json_object_get_boolean_member (o, "flag"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "nested")), ==, 2);
    }
  /* shortest forms */
  g_autoptr (JsonNode) n = json_node_init_double (json_node_alloc (), 0.9);
  g_autofree char *t = rv_json_to_string (n, FALSE);
  g_assert_cmpstr (t, ==, "0.9");
  json_node_set_double (n, 1e-8);
  g_autofree char *t2 = rv_json_to_string (n, FALSE);
  g_assert_cmpstr (t2, ==, "1e-08");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/round-trip", test_round_trip);
  return g_test_run ();
}
