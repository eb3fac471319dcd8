/* http-test-server.h: a tiny HTTP/1.1 server on 127.0.0.1 for the download
 * tests, in its own thread, that misbehaves on request: it answers with a
 * chosen status, closes the connection midway, stalls, or ignores Range.
 * It never talks to anything but the loopback address. */
#pragma once

#include <glib.h>

typedef struct _HttpTestServer HttpTestServer;

/* Listens on 127.0.0.1 on a free port and serves until freed. */
HttpTestServer *http_test_server_new (void);
void http_test_server_free (HttpTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpTestServer, http_test_server_free)

/* "http://127.0.0.1:PORT/" */
const char *http_test_server_url (HttpTestServer *server);

/* Serves body at "/NAME". */
void http_test_server_add (HttpTestServer *server, const char *name, GBytes *body);

/* Answers every request for NAME with status (404, 500 ...) instead. */
void http_test_server_set_status (HttpTestServer *server, const char *name, guint status);

/* Answers every request for NAME with "302 Found" and Location: /TO (TO
 * may be NAME itself, for a redirect loop). */
void http_test_server_redirect (HttpTestServer *server, const char *name, const char *to);

/* Whether "Range: bytes=N-" gets a 206 (the default) or the whole file. */
void http_test_server_set_ranges (HttpTestServer *server, gboolean honour);

/* The next `times` responses for NAME announce the whole length but close
 * the connection once the file's byte offset reaches `at`. */
void http_test_server_drop_at (HttpTestServer *server, const char *name, guint64 at, guint times);

/* Responses for NAME send bytes up to offset `at`, then wait, sending
 * nothing, until the client goes away (or 20 s pass). */
void http_test_server_stall_at (HttpTestServer *server, const char *name, guint64 at);

/* How many requests for NAME came, and the Range header of the latest one
 * (NULL if it had none); the string is the caller's. */
guint http_test_server_requests (HttpTestServer *server, const char *name);
char *http_test_server_last_range (HttpTestServer *server, const char *name);
