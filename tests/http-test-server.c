/* http-test-server.c: just enough HTTP/1.1 for the download tests: GET,
 * Content-Length, Range, Connection: close; one thread per connection. */
#include "http-test-server.h"

#include <gio/gio.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define STALL_LIMIT_US (20 * G_USEC_PER_SEC)

typedef struct {
  GBytes *body;
  guint status;         /* 0: serve body */
  guint64 drop_at;
  guint drops;          /* responses still to cut at drop_at */
  gboolean stall;
  guint64 stall_at;
  guint requests;
  char *last_range;
  char *redirect_to;    /* NULL: no redirect */
} Entry;

struct _HttpTestServer {
  GSocket *listener;
  char *url;
  GCancellable *stop;
  GThread *acceptor;
  GMutex lock;
  GHashTable *entries;  /* name -> Entry */
  GPtrArray *workers;   /* GThread, joined on free */
  gboolean ranges;
};

static void
entry_free (gpointer data)
{
  Entry *e = data;
  g_clear_pointer (&e->body, g_bytes_unref);
  g_free (e->last_range);
  g_free (e->redirect_to);
  g_free (e);
}

/* With the lock held. */
static Entry *
entry_ensure (HttpTestServer *server, const char *name)
{
  Entry *e = g_hash_table_lookup (server->entries, name);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      g_hash_table_insert (server->entries, g_strdup (name), e);
    }
  return e;
}

static const char *
reason (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 416: return "Range Not Satisfiable";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Whatever";
    }
}

static gboolean
send_all (GSocket *socket, const void *data, gsize len, GCancellable *cancellable)
{
  const char *p = data;
  while (len > 0)
    {
      gssize n = g_socket_send (socket, p, len, cancellable, NULL);
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
send_head (GSocket *socket, guint status, guint64 length, const char *extra, GCancellable *cancellable)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/octet-stream\r\n"
                                           "Content-Length: %" G_GUINT64_FORMAT "\r\nConnection: close\r\n%s\r\n",
                                           status, reason (status), length, extra ? extra : "");
  send_all (socket, head, strlen (head), cancellable);
}

static void
send_status (GSocket *socket, guint status, GCancellable *cancellable)
{
  g_autofree char *body = g_strdup_printf ("%u %s\n", status, reason (status));
  send_head (socket, status, strlen (body), NULL, cancellable);
  send_all (socket, body, strlen (body), cancellable);
}

/* Sends nothing until the peer closes (or the server stops, or time is up). */
static void
wait_for_close (GSocket *socket, GCancellable *stop)
{
  gint64 until = g_get_monotonic_time () + STALL_LIMIT_US;
  char buf[256];
  while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (stop))
    {
      if (!g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, 100 * 1000, stop, NULL))
        continue;
      if (g_socket_receive (socket, buf, sizeof buf, stop, NULL) <= 0)
        return;
    }
}

typedef struct {
  HttpTestServer *server;
  GSocket *client;
} Connection;

/* Reads one request and answers it. */
static void
respond (HttpTestServer *server, GSocket *client)
{
  g_autoptr (GString) request = g_string_new (NULL);
  char buf[4096];
  while (strstr (request->str, "\r\n\r\n") == NULL && request->len < 16384)
    {
      gssize n = g_socket_receive (client, buf, sizeof buf, server->stop, NULL);
      if (n <= 0)
        return;
      g_string_append_len (request, buf, n);
    }

  g_auto (GStrv) lines = g_strsplit (request->str, "\r\n", -1);
  g_auto (GStrv) words = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (words) < 3 || strcmp (words[0], "GET") != 0)
    {
      send_status (client, 405, server->stop);
      return;
    }
  const char *name = words[1][0] == '/' ? words[1] + 1 : words[1];
  g_autofree char *range = NULL;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], "Range:", 6) == 0)
      {
        g_free (range);
        range = g_strstrip (g_strdup (lines[i] + 6));
      }

  g_autoptr (GBytes) body = NULL;
  g_autofree char *redirect_to = NULL;
  guint status = 0;
  gboolean drop = FALSE, stall = FALSE, ranges;
  guint64 cut_at = 0;
  g_mutex_lock (&server->lock);
  Entry *e = g_hash_table_lookup (server->entries, name);
  if (e != NULL)
    {
      e->requests++;
      g_free (e->last_range);
      e->last_range = g_strdup (range);
      body = e->body ? g_bytes_ref (e->body) : NULL;
      status = e->status;
      redirect_to = g_strdup (e->redirect_to);
      if (e->drops > 0)
        {
          e->drops--;
          drop = TRUE;
          cut_at = e->drop_at;
        }
      else if (e->stall)
        {
          stall = TRUE;
          cut_at = e->stall_at;
        }
    }
  ranges = server->ranges;
  g_mutex_unlock (&server->lock);

  if (redirect_to != NULL)
    {
      g_autofree char *extra = g_strdup_printf ("Location: /%s\r\n", redirect_to);
      send_head (client, 302, 0, extra, server->stop);
      return;
    }
  if (status == 0 && body == NULL)
    status = 404;
  if (status != 0)
    {
      send_status (client, status, server->stop);
      return;
    }

  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);
  guint64 start = 0;
  if (range != NULL && ranges && sscanf (range, "bytes=%" SCNu64 "-", &start) == 1)
    {
      if (start >= len)
        {
          g_autofree char *extra = g_strdup_printf ("Content-Range: bytes */%" G_GSIZE_FORMAT "\r\n", len);
          send_head (client, 416, 0, extra, server->stop);
          return;
        }
      g_autofree char *extra = g_strdup_printf ("Accept-Ranges: bytes\r\nContent-Range: bytes %" G_GUINT64_FORMAT
                                                "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n", start, len - 1, len);
      send_head (client, 206, len - start, extra, server->stop);
    }
  else
    {
      start = 0;
      send_head (client, 200, len, ranges ? "Accept-Ranges: bytes\r\n" : NULL, server->stop);
    }

  guint64 end = len;
  if (drop || stall)
    end = MIN (len, MAX (cut_at, start));
  if (send_all (client, data + start, end - start, server->stop) && stall)
    wait_for_close (client, server->stop);
}

static gpointer
serve_connection (gpointer data)
{
  Connection *conn = data;
  g_socket_set_timeout (conn->client, 20);
  respond (conn->server, conn->client);
  g_socket_close (conn->client, NULL);
  g_object_unref (conn->client);
  g_free (conn);
  return NULL;
}

static gpointer
accept_loop (gpointer data)
{
  HttpTestServer *server = data;
  for (;;)
    {
      GSocket *client = g_socket_accept (server->listener, server->stop, NULL);
      if (client == NULL)
        return NULL;
      Connection *conn = g_new (Connection, 1);
      conn->server = server;
      conn->client = client;
      GThread *worker = g_thread_new ("http-test-conn", serve_connection, conn);
      g_mutex_lock (&server->lock);
      g_ptr_array_add (server->workers, worker);
      g_mutex_unlock (&server->lock);
    }
}

HttpTestServer *
http_test_server_new (void)
{
  HttpTestServer *server = g_new0 (HttpTestServer, 1);
  g_autoptr (GError) error = NULL;

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (server->listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (server->listener, &error));
  g_autoptr (GSocketAddress) bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  server->stop = g_cancellable_new ();
  server->ranges = TRUE;
  g_mutex_init (&server->lock);
  server->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  server->workers = g_ptr_array_new ();
  server->acceptor = g_thread_new ("http-test-accept", accept_loop, server);
  return server;
}

void
http_test_server_free (HttpTestServer *server)
{
  if (server == NULL)
    return;
  g_cancellable_cancel (server->stop);
  g_thread_join (server->acceptor);
  for (guint i = 0; i < server->workers->len; i++)
    g_thread_join (server->workers->pdata[i]);
  g_ptr_array_unref (server->workers);
  g_socket_close (server->listener, NULL);
  g_object_unref (server->listener);
  g_object_unref (server->stop);
  g_hash_table_unref (server->entries);
  g_mutex_clear (&server->lock);
  g_free (server->url);
  g_free (server);
}

const char *
http_test_server_url (HttpTestServer *server)
{
  return server->url;
}

void
http_test_server_add (HttpTestServer *server, const char *name, GBytes *body)
{
  g_mutex_lock (&server->lock);
  Entry *e = entry_ensure (server, name);
  g_clear_pointer (&e->body, g_bytes_unref);
  e->body = g_bytes_ref (body);
  g_mutex_unlock (&server->lock);
}

void
http_test_server_set_status (HttpTestServer *server, const char *name, guint status)
{
  g_mutex_lock (&server->lock);
  entry_ensure (server, name)->status = status;
  g_mutex_unlock (&server->lock);
}

void
http_test_server_set_ranges (HttpTestServer *server, gboolean honour)
{
  g_mutex_lock (&server->lock);
  server->ranges = honour;
  g_mutex_unlock (&server->lock);
}

void
http_test_server_drop_at (HttpTestServer *server, const char *name, guint64 at, guint times)
{
  g_mutex_lock (&server->lock);
  Entry *e = entry_ensure (server, name);
  e->drop_at = at;
  e->drops = times;
  g_mutex_unlock (&server->lock);
}

void
http_test_server_stall_at (HttpTestServer *server, const char *name, guint64 at)
{
  g_mutex_lock (&server->lock);
  Entry *e = entry_ensure (server, name);
  e->stall = TRUE;
  e->stall_at = at;
  g_mutex_unlock (&server->lock);
}

guint
http_test_server_requests (HttpTestServer *server, const char *name)
{
  g_mutex_lock (&server->lock);
  Entry *e = g_hash_table_lookup (server->entries, name);
  guint n = e ? e->requests : 0;
  g_mutex_unlock (&server->lock);
  return n;
}

char *
http_test_server_last_range (HttpTestServer *server, const char *name)
{
  g_mutex_lock (&server->lock);
  Entry *e = g_hash_table_lookup (server->entries, name);
  char *range = e ? g_strdup (e->last_range) : NULL;
  g_mutex_unlock (&server->lock);
  return range;
}

void
http_test_server_redirect (HttpTestServer *server, const char *name, const char *to)
{
  g_mutex_lock (&server->lock);
  Entry *e = entry_ensure (server, name);
  g_free (e->redirect_to);
  e->redirect_to = g_strdup (to);
  g_mutex_unlock (&server->lock);
}
