/*
 * A winipc channel peer written in C (docs/channel.md), with no Java on its side: it opens a
 * channel that a Java process created and sends into it or receives from it, following the
 * documented layout and waiting protocol. One source for both backends:
 *   Linux:   gcc -O2 -Wall -o channel-peer channel_peer.c
 *            the objects are files in /dev/shm (winipc's Linux layout: flock lifetime protocol,
 *            events are futex words with a waiter count)
 *   Windows: x86_64-w64-mingw32-gcc -O2 -Wall -o channel-peer.exe channel_peer.c
 *            Local\<name> file mapping, Local\<name>/data and Local\<name>/space auto-reset events
 * Usage:
 *   channel-peer send <name> <count> <max>     sends <count> checked messages, prints "sent <count>"
 *   channel-peer receive <name> <max>          receives checked messages until the sender closes,
 *                                              prints "received <n>"
 * This peer does not sleep in the OS while it waits (it yields): a peer may poll instead of
 * sleeping, but must wake the Java side through its event when its "waiting" flag is up.
 * Exit code 0 on success; failures print "error ..." to stderr.
 */
#ifdef _WIN32
#include <windows.h>
#else
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The channel header (docs/channel.md), native byte order. */
#define MAGIC 0x4E484357u
#define VERSION 1
#define HEADER_SIZE 1024
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_HEADER_SIZE 8
#define OFF_MAX_MESSAGE 12
#define OFF_CAPACITY 16
#define OFF_RECEIVER_STATE 24
#define OFF_SENDER_STATE 28
#define OFF_RECEIVER_PID 32
#define OFF_RECEIVER_START 40
#define OFF_SENDER_PID 48
#define OFF_SENDER_START 56
#define OFF_TAIL 128
#define OFF_HEAD 256
#define OFF_RECEIVER_WAITING 384
#define OFF_SENDER_WAITING 512
#define TYPE_MESSAGE 1
#define TYPE_PADDING 2
#define STATE_NONE 0
#define STATE_OPEN 1
#define STATE_CLOSED 2
#define STATE_ATTACHING 3

#define I32(base, off) ((int32_t *) ((char *) (base) + (off)))
#define I64(base, off) ((int64_t *) ((char *) (base) + (off)))
#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

static void die(const char *what) {
#ifdef _WIN32
    fprintf(stderr, "error %s: %lu\n", what, (unsigned long) GetLastError());
#else
    fprintf(stderr, "error %s: %s\n", what, strerror(errno));
#endif
    exit(1);
}

static void yield_cpu(void) {
#ifdef _WIN32
    SwitchToThread();
#else
    sched_yield();
#endif
}

/* ---- the two events: only signalling is needed here ---- */

#ifdef _WIN32
typedef HANDLE event_t;

static event_t open_event(const char *name) {
    wchar_t path[512];
    swprintf(path, 512, L"Local\\%hs", name);
    HANDLE h = OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, path);
    if (h == NULL) {
        die("OpenEventW");
    }
    return h;
}

static void signal_event(event_t e) {
    if (!SetEvent(e)) {
        die("SetEvent");
    }
}

static void *open_region(const char *name, size_t *size) {
    wchar_t path[512];
    swprintf(path, 512, L"Local\\%hs", name);
    HANDLE mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, path);
    if (mapping == NULL) {
        die("OpenFileMappingW");
    }
    void *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
    if (view == NULL) {
        die("MapViewOfFile");
    }
    MEMORY_BASIC_INFORMATION info;
    VirtualQuery(view, &info, sizeof info);
    *size = info.RegionSize;
    return view;
}

static int64_t current_pid(void) {
    return (int64_t) GetCurrentProcessId();
}
#else
typedef int32_t *event_t;

/* /dev/shm/winipc-u<euid>-<kind>-<name, bytes other than A-Z a-z 0-9 . _ - as %XX> */
static void object_path(char *out, size_t n, const char *kind, const char *name) {
    int k = snprintf(out, n, "/dev/shm/winipc-u%u-%s-", (unsigned) geteuid(), kind);
    for (const unsigned char *c = (const unsigned char *) name; *c && k < (int) n - 4; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-') {
            out[k++] = (char) *c;
        } else {
            k += snprintf(out + k, n - k, "%%%02X", *c);
        }
    }
    out[k] = 0;
}

/* Opens a winipc object file as a holder: shared flock for life, ownership and mode checked. */
static void *open_object(const char *kind, const char *name, size_t *size) {
    char path[1024];
    object_path(path, sizeof path, kind, name);
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        die(path);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        fprintf(stderr, "error %s is a leftover nobody holds\n", path);
        exit(1);
    }
    if (flock(fd, LOCK_SH) != 0) {
        die("flock");
    }
    struct stat st, named;
    if (fstat(fd, &st) != 0 || stat(path, &named) != 0) {
        die("stat");
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0 || st.st_ino != named.st_ino) {
        fprintf(stderr, "error %s is not a private file of this user\n", path);
        exit(1);
    }
    void *base = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        die("mmap");
    }
    *size = st.st_size;
    return base; /* fd stays open, and share-locked, for the life of the process */
}

static event_t open_event(const char *name) {
    size_t size;
    char *base = open_object("event", name, &size);
    if (size < 4096 || *(uint32_t *) base != 0x43504957u || *(uint32_t *) (base + 4) != 2 || *(uint32_t *) (base + 8) != 2
        || *(int32_t *) (base + 12) != 0) {
        fprintf(stderr, "error event %s is not a winipc auto-reset event of layout 2\n", name);
        exit(1);
    }
    return (int32_t *) (base + 64);
}

/* Signal as the Linux layout's waiter protocol says: CAS the word, then FUTEX_WAKE only if someone waits. */
static void signal_event(event_t word) {
    int32_t v = LOAD(word);
    while (!(v & 1)) {
        int32_t next = (int32_t) (((((uint32_t) v >> 1) + 1) << 1) | 1);
        if (__atomic_compare_exchange_n(word, &v, next, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            break;
        }
    }
    if (LOAD(word + 1) != 0) {
        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
}

static void *open_region(const char *name, size_t *size) {
    return open_object("shm", name, size);
}

static int64_t current_pid(void) {
    return (int64_t) getpid();
}
#endif

/* ---- the checked test messages (same as the Java tests' Messages) ---- */

static int length_of(uint64_t seq, int max) {
    uint64_t mixed = (seq * 0x9E3779B97F4A7C15ull) >> 40;
    return 8 + (int) (mixed % (uint64_t) (max - 7));
}

static int make_message(uint64_t seq, int max, unsigned char *m) {
    int len = length_of(seq, max);
    memcpy(m, &seq, 8);
    for (int i = 8; i < len; i++) {
        m[i] = (unsigned char) (seq * 31 + i);
    }
    return len;
}

static void check_message(uint64_t expected, int max, const unsigned char *m, int len) {
    uint64_t seq;
    if (len < 8) {
        fprintf(stderr, "error torn message of %d bytes\n", len);
        exit(1);
    }
    memcpy(&seq, m, 8);
    if (seq != expected || len != length_of(seq, max)) {
        fprintf(stderr, "error got message %llu of %d bytes, expected %llu\n", (unsigned long long) seq, len, (unsigned long long) expected);
        exit(1);
    }
    for (int i = 8; i < len; i++) {
        if (m[i] != (unsigned char) (seq * 31 + i)) {
            fprintf(stderr, "error message %llu torn at byte %d\n", (unsigned long long) seq, i);
            exit(1);
        }
    }
}

/* ---- the channel ---- */

typedef struct {
    char *base;
    char *data;
    int64_t capacity;
    int max_message;
    event_t data_event;
    event_t space_event;
} channel;

static channel open_channel(const char *name, int as_receiver) {
    channel c;
    size_t size;
    char event_name[512];
    c.base = open_region(name, &size);
    if (size < HEADER_SIZE + 4096 || LOAD((uint32_t *) (c.base + OFF_MAGIC)) != MAGIC || *I32(c.base, OFF_VERSION) != VERSION
        || *I32(c.base, OFF_HEADER_SIZE) != HEADER_SIZE) {
        fprintf(stderr, "error %s is not a winipc channel of layout version %d\n", name, VERSION);
        exit(1);
    }
    c.capacity = *I64(c.base, OFF_CAPACITY);
    c.max_message = *I32(c.base, OFF_MAX_MESSAGE);
    if (c.capacity < 4096 || (c.capacity & (c.capacity - 1)) != 0 || (size_t) (HEADER_SIZE + c.capacity) > size || c.max_message < 1
        || c.max_message > c.capacity / 2 - 8) {
        fprintf(stderr, "error channel %s has a corrupt header\n", name);
        exit(1);
    }
    c.data = c.base + HEADER_SIZE;
    snprintf(event_name, sizeof event_name, "%s/data", name);
    c.data_event = open_event(event_name);
    snprintf(event_name, sizeof event_name, "%s/space", name);
    c.space_event = open_event(event_name);
    /* Attach: claim the state, then publish the pid (start time 0: "not recorded", the pid alone is checked). */
    int32_t none = STATE_NONE;
    int32_t *state = I32(c.base, as_receiver ? OFF_RECEIVER_STATE : OFF_SENDER_STATE);
    if (!__atomic_compare_exchange_n(state, &none, STATE_ATTACHING, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        fprintf(stderr, "error channel %s already has a %s\n", name, as_receiver ? "receiver" : "sender");
        exit(1);
    }
    STORE(I64(c.base, as_receiver ? OFF_RECEIVER_PID : OFF_SENDER_PID), current_pid());
    STORE(I64(c.base, as_receiver ? OFF_RECEIVER_START : OFF_SENDER_START), 0);
    STORE(state, STATE_OPEN);
    return c;
}

/* Wakes the peer if its flag says it sleeps, clearing the flag so the next message costs no system call. */
static void wake(int32_t *flag, event_t e) {
    if (LOAD(flag) != 0 && __atomic_exchange_n(flag, 0, __ATOMIC_SEQ_CST) != 0) {
        signal_event(e);
    }
}

static int do_send(const char *name, long count, int max) {
    channel c = open_channel(name, 0);
    unsigned char *m = malloc(max);
    int64_t tail = LOAD(I64(c.base, OFF_TAIL));
    for (long seq = 0; seq < count; seq++) {
        int len = make_message((uint64_t) seq, max, m);
        int64_t record = (len + 8 + 7) & ~7;
        for (;;) {
            int64_t to_end = c.capacity - (tail & (c.capacity - 1));
            /* the record, the padding before it if it wraps, and the 8 bytes after it cleared for the next one */
            int64_t need = (record <= to_end ? record : record + to_end) + 8;
            int64_t head = LOAD(I64(c.base, OFF_HEAD));
            if (c.capacity - (tail - head) >= need) {
                break;
            }
            if (LOAD(I32(c.base, OFF_RECEIVER_STATE)) == STATE_CLOSED) {
                fprintf(stderr, "error the receiver closed\n");
                return 1;
            }
            yield_cpu();
        }
        int64_t at = tail & (c.capacity - 1);
        if (record > c.capacity - at) {
            /* Padding to the end of the ring; the message goes to its start, whose slot is cleared first. */
            memset(c.data, 0, 8);
            *I32(c.data, at + 4) = TYPE_PADDING;
            __atomic_store_n(I32(c.data, at), (int32_t) (c.capacity - at), __ATOMIC_RELEASE);
            tail += c.capacity - at;
            at = 0;
        }
        *I32(c.data, at + 4) = TYPE_MESSAGE;
        memcpy(c.data + at + 8, m, len);
        /* Clear the slot after the record, then publish it by storing its length last. */
        memset(c.data + ((at + record) & (c.capacity - 1)), 0, 8);
        STORE(I32(c.data, at), len + 8);
        tail += record;
        __atomic_store_n(I64(c.base, OFF_TAIL), tail, __ATOMIC_RELEASE);
        wake(I32(c.base, OFF_RECEIVER_WAITING), c.data_event);
    }
    STORE(I32(c.base, OFF_SENDER_STATE), STATE_CLOSED);
    signal_event(c.data_event);
    printf("sent %ld\n", count);
    fflush(stdout);
    return 0;
}

static int do_receive(const char *name, int max) {
    channel c = open_channel(name, 1);
    if (c.max_message != max) {
        fprintf(stderr, "error max message %d, expected %d\n", c.max_message, max);
        return 1;
    }
    int64_t head = LOAD(I64(c.base, OFF_HEAD));
    uint64_t received = 0;
    for (;;) {
        int64_t at = head & (c.capacity - 1);
        int32_t length = LOAD(I32(c.data, at));
        if (length == 0) {
            /* Empty: done once the sender closed (looking at the slot again after its state). */
            if (LOAD(I32(c.base, OFF_SENDER_STATE)) == STATE_CLOSED && LOAD(I32(c.data, at)) == 0) {
                break;
            }
            yield_cpu();
            continue;
        }
        int32_t type = *I32(c.data, at + 4);
        if (type == TYPE_PADDING) {
            if (length != c.capacity - at) {
                fprintf(stderr, "error corrupt padding\n");
                return 1;
            }
            head += c.capacity - at;
        } else {
            int32_t len = length - 8;
            int64_t record = (length + 7) & ~7;
            if (type != TYPE_MESSAGE || len < 0 || len > c.max_message || at + record > c.capacity) {
                fprintf(stderr, "error corrupt record\n");
                return 1;
            }
            check_message(received, max, (unsigned char *) c.data + at + 8, len);
            received++;
            head += record;
        }
        STORE(I64(c.base, OFF_HEAD), head);
        wake(I32(c.base, OFF_SENDER_WAITING), c.space_event);
    }
    STORE(I32(c.base, OFF_RECEIVER_STATE), STATE_CLOSED);
    signal_event(c.space_event);
    printf("received %llu\n", (unsigned long long) received);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 5 && strcmp(argv[1], "send") == 0) {
        return do_send(argv[2], atol(argv[3]), atoi(argv[4]));
    }
    if (argc >= 4 && strcmp(argv[1], "receive") == 0) {
        return do_receive(argv[2], atoi(argv[3]));
    }
    fprintf(stderr, "usage: channel-peer send NAME COUNT MAX | receive NAME MAX\n");
    return 2;
}
