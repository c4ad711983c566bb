/*
 * card-shim.c — a TEST STAND-IN for two things SoftHSM2 does not have: a smart card's PIN/PUK retry
 * counter and a card reader's PIN pad. It is a PKCS#11 module that loads the real SoftHSM2 module
 * (OBNOVA_SHIM_TARGET, default /usr/lib/softhsm/libsofthsm2.so) and forwards every function to it
 * through its own CK_FUNCTION_LIST, overriding only:
 *
 *   C_GetTokenInfo  CKF_USER_PIN_COUNT_LOW / _FINAL_TRY / _LOCKED (and the CKF_SO_PIN_* ones) from the
 *                   shim's own counters instead of SoftHSM's; CKF_PROTECTED_AUTHENTICATION_PATH in pad mode.
 *   C_Login         a locked PIN answers CKR_PIN_LOCKED without asking SoftHSM; CKR_PIN_INCORRECT takes a
 *                   try (the try that uses the last one answers CKR_PIN_LOCKED); success restores the tries.
 *                   In pad mode a NULL (or, as OpenSC takes it, empty) PIN is "typed on the reader":
 *                   taken from the pad queue file.
 *   C_SetPIN        a wrong old PIN takes a try; NULL/empty old and new in pad mode take two pad entries (the
 *                   reader asks the new one twice and compares it itself). In a session nobody is logged
 *                   in to, while the user PIN is locked, C_SetPIN(PUK, new) unblocks, as OpenSC's
 *                   "set-pin-unauthenticated" cards do (emulated by C_Login(SO) + C_InitPIN + C_Logout).
 *   C_InitPIN       (by the SO, i.e. with the PUK) restores the user PIN's tries; NULL/empty in pad mode takes one entry.
 *
 * Environment, read at every call (so a test can change it in a running process):
 *   OBNOVA_SHIM_TARGET          the real module.
 *   OBNOVA_SHIM_STATE_DIR       where the counters live, one file per token serial (card-shim-<serial>.tries),
 *                               so they survive process restarts; default: the folder of SOFTHSM2_CONF, else /tmp.
 *   OBNOVA_SHIM_PIN_TRIES       user PIN tries (default 3); OBNOVA_SHIM_SO_PIN_TRIES: PUK/SO PIN tries (default 10).
 *   OBNOVA_SHIM_PIN_PAD         "all", or a comma-separated list of token serials, that sit in a PIN-pad reader.
 *   OBNOVA_SHIM_PAD_QUEUE       the pad queue file (default <state dir>/pin-pad.queue): each pad entry consumes its
 *                               first line; the line CANCEL is the holder pressing Cancel (CKR_FUNCTION_CANCELED).
 *                               An empty queue is a person who has not typed yet: the call waits (polling) up to
 *                               OBNOVA_SHIM_PAD_TIMEOUT_MS (default 60000), then answers CKR_FUNCTION_CANCELED.
 *
 * Headers: the OASIS/RSA pkcs11.h that pkcs11js ships (node_modules/pkcs11js/includes).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <pkcs11/pkcs11.h>

#define USER_FLAGS (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED)
#define SO_FLAGS (CKF_SO_PIN_COUNT_LOW | CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED)
#define PAD_MAX 256

static CK_FUNCTION_LIST_PTR target = NULL;
static CK_FUNCTION_LIST shim;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;
static CK_RV load_rv = CKR_GENERAL_ERROR;

/* ---- configuration ---- */

static long env_number(const char *name, long fallback) {
  const char *value = getenv(name);
  if (!value || !*value) return fallback;
  long n = strtol(value, NULL, 10);
  return n > 0 ? n : fallback;
}

static void state_dir(char *out, size_t size) {
  const char *dir = getenv("OBNOVA_SHIM_STATE_DIR");
  if (dir && *dir) {
    snprintf(out, size, "%s", dir);
    return;
  }
  const char *conf = getenv("SOFTHSM2_CONF");
  if (conf && *conf && strrchr(conf, '/')) {
    snprintf(out, size, "%.*s", (int)(strrchr(conf, '/') - conf), conf);
    return;
  }
  snprintf(out, size, "/tmp");
}

/* ---- which token a slot or session holds ---- */

/* The token serial (trailing blanks dropped) of a slot; 0 when SoftHSM cannot say. */
static int serial_of_slot(CK_SLOT_ID slot, char *out, size_t size) {
  CK_TOKEN_INFO info;
  if (target->C_GetTokenInfo(slot, &info) != CKR_OK) return 0;
  size_t n = sizeof(info.serialNumber);
  while (n > 0 && info.serialNumber[n - 1] == ' ') n--;
  if (n + 1 > size) n = size - 1;
  memcpy(out, info.serialNumber, n);
  out[n] = 0;
  return 1;
}

static int serial_of_session(CK_SESSION_HANDLE session, char *out, size_t size, CK_STATE *state) {
  CK_SESSION_INFO info;
  if (target->C_GetSessionInfo(session, &info) != CKR_OK) return 0;
  if (state) *state = info.state;
  return serial_of_slot(info.slotID, out, size);
}

static int pad_mode(const char *serial) {
  const char *list = getenv("OBNOVA_SHIM_PIN_PAD");
  if (!list || !*list) return 0;
  if (strcmp(list, "all") == 0 || strcmp(list, "1") == 0) return 1;
  size_t n = strlen(serial);
  if (n == 0) return 0; /* a slot's uninitialized token has a blank serial */
  for (const char *p = list; (p = strstr(p, serial)) != NULL; p += n) {
    int starts = p == list || p[-1] == ',';
    int ends = p[n] == 0 || p[n] == ',';
    if (starts && ends) return 1;
  }
  return 0;
}

/* ---- the retry counters: "user so" in a file per token, changed under flock ---- */

enum who { USER = 0, SO = 1 };
enum change { READ, TAKE_ONE, RESTORE };

/* Applies `change` to the counter of `who` and returns the tries left after it (both in `left`). */
static void counters(const char *serial, enum who who, enum change change, long left[2]) {
  long max[2] = {env_number("OBNOVA_SHIM_PIN_TRIES", 3), env_number("OBNOVA_SHIM_SO_PIN_TRIES", 10)};
  char dir[1024], path[1400];
  state_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/card-shim-%s.tries", dir, serial);
  left[USER] = max[USER];
  left[SO] = max[SO];
  int fd = open(path, change == READ ? O_RDONLY : O_RDWR | O_CREAT, 0600);
  if (fd < 0) return; /* no file yet: all tries left */
  flock(fd, change == READ ? LOCK_SH : LOCK_EX);
  char text[64] = {0};
  ssize_t got = pread(fd, text, sizeof text - 1, 0);
  if (got > 0) sscanf(text, "%ld %ld", &left[USER], &left[SO]);
  for (int i = 0; i < 2; i++)
    if (left[i] > max[i] || left[i] < 0) left[i] = max[i];
  if (change != READ) {
    if (change == TAKE_ONE && left[who] > 0) left[who]--;
    if (change == RESTORE) left[who] = max[who];
    int len = snprintf(text, sizeof text, "%ld %ld\n", left[USER], left[SO]);
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) != len) { /* best effort */
    }
  }
  flock(fd, LOCK_UN);
  close(fd);
}

static CK_FLAGS flags_for(const char *serial) {
  long left[2];
  counters(serial, USER, READ, left);
  long max[2] = {env_number("OBNOVA_SHIM_PIN_TRIES", 3), env_number("OBNOVA_SHIM_SO_PIN_TRIES", 10)};
  CK_FLAGS flags = 0;
  if (left[USER] == 0) flags |= CKF_USER_PIN_LOCKED;
  else if (left[USER] == 1) flags |= CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
  else if (left[USER] < max[USER]) flags |= CKF_USER_PIN_COUNT_LOW;
  if (left[SO] == 0) flags |= CKF_SO_PIN_LOCKED;
  else if (left[SO] == 1) flags |= CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_COUNT_LOW;
  else if (left[SO] < max[SO]) flags |= CKF_SO_PIN_COUNT_LOW;
  return flags;
}

/* Counts one PIN check's outcome; the try that uses the last one answers CKR_PIN_LOCKED, as many cards do. */
static CK_RV counted(const char *serial, enum who who, CK_RV rv) {
  long left[2];
  if (rv == CKR_PIN_INCORRECT) {
    counters(serial, who, TAKE_ONE, left);
    if (left[who] == 0) return CKR_PIN_LOCKED;
  } else if (rv == CKR_OK) {
    counters(serial, who, RESTORE, left);
  }
  return rv;
}

static int is_locked(const char *serial, enum who who) {
  long left[2];
  counters(serial, who, READ, left);
  return left[who] == 0;
}

/* ---- the PIN pad: one line of the queue file per entry ---- */

/* NULL_PTR (PKCS#11 v2.40 §5.6) or an empty PIN, which OpenSC also takes as "use the pad" (framework-pkcs15.c). */
static int on_pad(CK_UTF8CHAR_PTR pin, CK_ULONG len) { return pin == NULL || len == 0; }

/* Takes the next pad entry into `pin`; CKR_FUNCTION_CANCELED for CANCEL or when nobody types in time. */
static CK_RV pad_entry(char *pin, size_t size) {
  char dir[1024], path[1400];
  const char *queue = getenv("OBNOVA_SHIM_PAD_QUEUE");
  if (queue && *queue) snprintf(path, sizeof path, "%s", queue);
  else {
    state_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/pin-pad.queue", dir);
  }
  long waited = 0, timeout = env_number("OBNOVA_SHIM_PAD_TIMEOUT_MS", 60000);
  for (;;) {
    int fd = open(path, O_RDWR);
    if (fd >= 0) {
      flock(fd, LOCK_EX);
      char text[4096];
      ssize_t got = pread(fd, text, sizeof text - 1, 0);
      if (got > 0) {
        text[got] = 0;
        char *end = strchr(text, '\n');
        size_t line = end ? (size_t)(end - text) : (size_t)got;
        size_t rest = end ? (size_t)got - line - 1 : 0;
        if (line > 0 && text[line - 1] == '\r') line--;
        if (line + 1 > size) line = size - 1;
        memcpy(pin, text, line);
        pin[line] = 0;
        if (ftruncate(fd, 0) == 0 && rest > 0 && pwrite(fd, end + 1, rest, 0) != (ssize_t)rest) { /* best effort */
        }
        flock(fd, LOCK_UN);
        close(fd);
        return strcmp(pin, "CANCEL") == 0 ? CKR_FUNCTION_CANCELED : CKR_OK;
      }
      flock(fd, LOCK_UN);
      close(fd);
    }
    if (waited >= timeout) return CKR_FUNCTION_CANCELED;
    struct timespec step = {0, 50 * 1000 * 1000};
    nanosleep(&step, NULL);
    waited += 50;
  }
}

/* ---- the overrides ---- */

static CK_RV shim_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_RV rv = target->C_GetTokenInfo(slot, info);
  if (rv != CKR_OK) return rv;
  char serial[32];
  size_t n = sizeof(info->serialNumber);
  while (n > 0 && info->serialNumber[n - 1] == ' ') n--;
  memcpy(serial, info->serialNumber, n);
  serial[n] = 0;
  if (n == 0) return CKR_OK; /* an uninitialized token: no PIN to count yet */
  info->flags = (info->flags & ~(CK_FLAGS)(USER_FLAGS | SO_FLAGS)) | flags_for(serial);
  if (pad_mode(serial)) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return CKR_OK;
}

static CK_RV shim_Login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  char serial[32], typed[PAD_MAX];
  if (!serial_of_session(session, serial, sizeof serial, NULL)) return target->C_Login(session, user, pin, len);
  enum who who = user == CKU_SO ? SO : USER;
  if (is_locked(serial, who)) return CKR_PIN_LOCKED;
  if (on_pad(pin, len) && pad_mode(serial)) {
    CK_RV rv = pad_entry(typed, sizeof typed);
    if (rv != CKR_OK) return rv;
    pin = (CK_UTF8CHAR_PTR)typed;
    len = strlen(typed);
  }
  CK_RV rv = target->C_Login(session, user, pin, len);
  memset(typed, 0, sizeof typed);
  return counted(serial, who, rv);
}

static CK_RV shim_InitPIN(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  char serial[32], typed[PAD_MAX];
  if (!serial_of_session(session, serial, sizeof serial, NULL)) return target->C_InitPIN(session, pin, len);
  if (on_pad(pin, len) && pad_mode(serial)) {
    CK_RV rv = pad_entry(typed, sizeof typed);
    if (rv != CKR_OK) return rv;
    pin = (CK_UTF8CHAR_PTR)typed;
    len = strlen(typed);
  }
  CK_RV rv = target->C_InitPIN(session, pin, len);
  memset(typed, 0, sizeof typed);
  long left[2];
  if (rv == CKR_OK) counters(serial, USER, RESTORE, left);
  return rv;
}

/* OpenSC-style unblock: C_SetPIN(PUK, new) in a public session while the user PIN is locked. */
static CK_RV unblock_by_set_pin(const char *serial, CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR puk, CK_ULONG pukLen, CK_UTF8CHAR_PTR pin, CK_ULONG pinLen) {
  if (is_locked(serial, SO)) return CKR_PIN_LOCKED;
  CK_RV rv = counted(serial, SO, target->C_Login(session, CKU_SO, puk, pukLen));
  if (rv != CKR_OK) return rv;
  rv = target->C_InitPIN(session, pin, pinLen);
  target->C_Logout(session);
  long left[2];
  if (rv == CKR_OK) counters(serial, USER, RESTORE, left);
  return rv;
}

static CK_RV shim_SetPIN(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR oldPin, CK_ULONG oldLen, CK_UTF8CHAR_PTR newPin, CK_ULONG newLen) {
  char serial[32], typedOld[PAD_MAX], typedNew[PAD_MAX];
  CK_STATE state;
  if (!serial_of_session(session, serial, sizeof serial, &state)) return target->C_SetPIN(session, oldPin, oldLen, newPin, newLen);
  if (on_pad(oldPin, oldLen) && on_pad(newPin, newLen) && pad_mode(serial)) {
    CK_RV rv = pad_entry(typedOld, sizeof typedOld);
    if (rv == CKR_OK) rv = pad_entry(typedNew, sizeof typedNew);
    if (rv != CKR_OK) return rv;
    oldPin = (CK_UTF8CHAR_PTR)typedOld;
    oldLen = strlen(typedOld);
    newPin = (CK_UTF8CHAR_PTR)typedNew;
    newLen = strlen(typedNew);
  }
  CK_RV rv;
  int loggedIn = state == CKS_RW_USER_FUNCTIONS || state == CKS_RO_USER_FUNCTIONS || state == CKS_RW_SO_FUNCTIONS;
  if (!loggedIn && is_locked(serial, USER)) {
    rv = unblock_by_set_pin(serial, session, oldPin, oldLen, newPin, newLen);
  } else {
    enum who who = state == CKS_RW_SO_FUNCTIONS ? SO : USER;
    if (is_locked(serial, who)) rv = CKR_PIN_LOCKED;
    else rv = counted(serial, who, target->C_SetPIN(session, oldPin, oldLen, newPin, newLen));
  }
  memset(typedOld, 0, sizeof typedOld);
  memset(typedNew, 0, sizeof typedNew);
  return rv;
}

static CK_RV shim_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

static void load_target(void) {
  const char *path = getenv("OBNOVA_SHIM_TARGET");
  if (!path || !*path) path = "/usr/lib/softhsm/libsofthsm2.so";
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "card-shim: cannot load %s: %s\n", path, dlerror());
    return;
  }
  CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
  if (!get || (load_rv = get(&target)) != CKR_OK) {
    if (load_rv == CKR_OK) load_rv = CKR_GENERAL_ERROR;
    return;
  }
  shim = *target;
  shim.C_GetFunctionList = shim_GetFunctionList;
  shim.C_GetTokenInfo = shim_GetTokenInfo;
  shim.C_Login = shim_Login;
  shim.C_InitPIN = shim_InitPIN;
  shim.C_SetPIN = shim_SetPIN;
}

static CK_RV shim_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!list) return CKR_ARGUMENTS_BAD;
  pthread_once(&loaded, load_target);
  if (load_rv != CKR_OK) return load_rv;
  *list = &shim;
  return CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) { return shim_GetFunctionList(list); }
