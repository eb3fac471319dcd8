/* rv-tsan-glib.c: linked into ThreadSanitizer builds only.  Debian's GLib
 * is not instrumented, and its GMutex and GCond are bare futexes and atomics
 * that TSan cannot see, so every access guarded by them, or handed over
 * through a GAsyncQueue or a GTask, looked like a race.  These definitions
 * take the place of GLib's for Ravine's code (and for the libraries that call
 * GLib through the PLT), call the real function and tell TSan the ordering
 * it implies.  GLib's calls to itself stay unseen: those are what
 * build-aux/tsan.supp and ignore_noninstrumented_modules are for. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gio/gio.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

/* The next definition of NAME after this one: GLib's.  Looked up on first
 * use, atomically since any thread may be first. */
static gpointer
next_definition (gpointer *slot, const char *name)
{
  gpointer fn = __atomic_load_n (slot, __ATOMIC_RELAXED);
  if (G_UNLIKELY (fn == NULL))
    {
      fn = dlsym (RTLD_NEXT, name);
      if (fn == NULL)
        g_error ("rv-tsan-glib: no %s after this one: %s", name, dlerror ());
      __atomic_store_n (slot, fn, __ATOMIC_RELAXED);
    }
  return fn;
}

#define REAL(name) \
  static gpointer slot_##name; \
  __typeof__ (name) *real_##name = (__typeof__ (name) *) next_definition (&slot_##name, #name)

/* These definitions replace GLib's exported ones; they have no prototypes
 * of their own beyond GLib's headers. */

void
g_mutex_lock (GMutex *mutex)
{
  REAL (g_mutex_lock);
  real_g_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  REAL (g_mutex_trylock);
  gboolean locked = real_g_mutex_trylock (mutex);
  if (locked)
    __tsan_acquire (mutex);
  return locked;
}

void
g_mutex_unlock (GMutex *mutex)
{
  REAL (g_mutex_unlock);
  __tsan_release (mutex);
  real_g_mutex_unlock (mutex);
}

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  REAL (g_cond_wait);
  __tsan_release (mutex);
  real_g_cond_wait (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  REAL (g_cond_wait_until);
  __tsan_release (mutex);
  gboolean signalled = real_g_cond_wait_until (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

/* A queue orders every push before every pop that follows it. */

void
g_async_queue_push (GAsyncQueue *queue, gpointer data)
{
  REAL (g_async_queue_push);
  __tsan_release (queue);
  real_g_async_queue_push (queue, data);
}

void
g_async_queue_push_front (GAsyncQueue *queue, gpointer data)
{
  REAL (g_async_queue_push_front);
  __tsan_release (queue);
  real_g_async_queue_push_front (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  REAL (g_async_queue_pop);
  gpointer data = real_g_async_queue_pop (queue);
  __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_try_pop (GAsyncQueue *queue)
{
  REAL (g_async_queue_try_pop);
  gpointer data = real_g_async_queue_try_pop (queue);
  if (data)
    __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue, guint64 timeout)
{
  REAL (g_async_queue_timeout_pop);
  gpointer data = real_g_async_queue_timeout_pop (queue, timeout);
  if (data)
    __tsan_acquire (queue);
  return data;
}

/* A GTask: what its owner set up comes before the thread function, and what
 * the thread function returns comes before the result is read. */

typedef struct
{
  GTaskThreadFunc func;
} TaskThread;

static void
task_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TaskThread *tt = g_object_get_data (G_OBJECT (task), "rv-tsan-task-thread");
  __tsan_acquire (task);
  tt->func (task, source, data, cancellable);
}

void
g_task_run_in_thread (GTask *task, GTaskThreadFunc task_func)
{
  REAL (g_task_run_in_thread);
  TaskThread *tt = g_new (TaskThread, 1);
  tt->func = task_func;
  g_object_set_data_full (G_OBJECT (task), "rv-tsan-task-thread", tt, g_free);
  __tsan_release (task);
  real_g_task_run_in_thread (task, task_thread);
}

#define TASK_RETURN(name, params, args) \
  void name params \
  { \
    REAL (name); \
    __tsan_release (task); \
    real_##name args; \
  }

TASK_RETURN (g_task_return_boolean, (GTask *task, gboolean result), (task, result))
TASK_RETURN (g_task_return_int, (GTask *task, gssize result), (task, result))
TASK_RETURN (g_task_return_pointer, (GTask *task, gpointer result, GDestroyNotify destroy),
             (task, result, destroy))
TASK_RETURN (g_task_return_error, (GTask *task, GError *error), (task, error))

#define TASK_PROPAGATE(type, name) \
  type name (GTask *task, GError **error) \
  { \
    REAL (name); \
    __tsan_acquire (task); \
    return real_##name (task, error); \
  }

TASK_PROPAGATE (gboolean, g_task_propagate_boolean)
TASK_PROPAGATE (gssize, g_task_propagate_int)
TASK_PROPAGATE (gpointer, g_task_propagate_pointer)
