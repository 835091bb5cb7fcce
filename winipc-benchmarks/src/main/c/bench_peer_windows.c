/*
 * C baseline for winipc's benchmarks on Windows (run under Wine here): the exchanges the Java
 * harness does, over the same Win32 primitives winipc's Windows backend uses (named pipes,
 * pagefile-backed file mappings, event, mutex and semaphore kernel objects). Built at run time
 * by scripts/bench.sh with x86_64-w64-mingw32-gcc into winipc-benchmarks/target/c/; never
 * committed as a binary. Same commands and output ("RESULT key=value ...") as bench_peer_posix.c;
 * message mode uses the pipe's own message type (PIPE_TYPE_MESSAGE) instead of a length prefix.
 */
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what) {
    fprintf(stderr, "%s failed: error %lu\n", what, GetLastError());
    exit(2);
}

static int64_t now_ns(void) {
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (int64_t)((double)t.QuadPart * 1e9 / (double)freq.QuadPart);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_latencies(int64_t *v, long n) {
    qsort(v, n, sizeof *v, cmp_i64);
    long p99 = (long)(n * 0.99);
    if (p99 >= n) p99 = n - 1;
    double sum = 0;
    for (long i = 0; i < n; i++) sum += (double)v[i];
    printf("RESULT median_ns=%lld p99_ns=%lld mean_ns=%.0f n=%ld\n", (long long)v[n / 2], (long long)v[p99], sum / n, n);
    fflush(stdout);
}

/* ---------- named pipes ---------- */

static void write_all(HANDLE h, const void *buf, DWORD n) {
    DWORD done = 0;
    while (done < n) {
        DWORD w;
        if (!WriteFile(h, (const char *)buf + done, n - done, &w, NULL)) die("WriteFile");
        done += w;
    }
}

/* Byte mode: reads exactly n bytes; returns 0 at a clean end before the first byte. */
static int read_exact(HANDLE h, void *buf, DWORD n) {
    DWORD done = 0;
    while (done < n) {
        DWORD r;
        if (!ReadFile(h, (char *)buf + done, n - done, &r, NULL)) {
            DWORD e = GetLastError();
            if ((e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED) && done == 0) return 0;
            die("ReadFile");
        }
        if (r == 0 && done == 0) return 0;
        done += r;
    }
    return 1;
}

/* Message mode: one whole message; returns -1 when the client is gone. */
static long read_message(HANDLE h, char *buf, DWORD cap) {
    DWORD r;
    if (!ReadFile(h, buf, cap, &r, NULL)) {
        DWORD e = GetLastError();
        if (e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED) return -1;
        die("ReadFile (message)");
    }
    return (long)r;
}

static HANDLE connect_to(const char *name, int message) {
    for (int attempt = 0;; attempt++) {
        HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h != INVALID_HANDLE_VALUE) {
            if (message) {
                DWORD mode = PIPE_READMODE_MESSAGE;
                if (!SetNamedPipeHandleState(h, &mode, NULL, NULL)) die("SetNamedPipeHandleState");
            }
            return h;
        }
        DWORD e = GetLastError();
        if (attempt > 20000) die("CreateFile (pipe)");
        if (e == ERROR_PIPE_BUSY) WaitNamedPipeA(name, 1000);
        else if (e == ERROR_FILE_NOT_FOUND) Sleep(1);
        else die("CreateFile (pipe)");
    }
}

/* pipe-server NAME SCENARIO [ARG]: one connection after another, as in bench_peer_posix.c. */
static int pipe_server(int argc, char **argv) {
    if (argc < 4) return 1;
    const char *name = argv[2], *scenario = argv[3];
    long long arg = argc > 4 ? _atoi64(argv[4]) : 0;
    int message = strstr(scenario, "-message") != NULL;
    DWORD type = message ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE : PIPE_TYPE_BYTE | PIPE_READMODE_BYTE;
    HANDLE h = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE, type | PIPE_WAIT,
                                PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) die("CreateNamedPipe");
    printf("READY\n");
    fflush(stdout);
    DWORD cap = 16 << 20;
    char *buf = malloc(cap);
    for (;;) {
        if (!ConnectNamedPipe(h, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) die("ConnectNamedPipe");
        if (strcmp(scenario, "echo-byte") == 0) {
            while (read_exact(h, buf, 64)) write_all(h, buf, 64);
        } else if (strcmp(scenario, "echo-message") == 0) {
            long n;
            while ((n = read_message(h, buf, cap)) >= 0) write_all(h, buf, (DWORD)n);
        } else if (strcmp(scenario, "sink-byte") == 0) {
            long long pending = 0;
            for (;;) {
                DWORD r;
                if (!ReadFile(h, buf, 1 << 20, &r, NULL) || r == 0) break;
                pending += r;
                while (pending >= arg) {
                    pending -= arg;
                    write_all(h, "k", 1);
                }
            }
        } else if (strcmp(scenario, "sink-message") == 0) {
            long long seen = 0;
            while (read_message(h, buf, cap) >= 0) {
                if (++seen % arg == 0) write_all(h, "k", 1);
            }
        } else {
            fprintf(stderr, "unknown scenario %s\n", scenario);
            return 1;
        }
        DisconnectNamedPipe(h);
    }
}

/* pipe-client NAME rt|stream|connect ..., as in bench_peer_posix.c. */
static int pipe_client(int argc, char **argv) {
    if (argc < 5) return 1;
    const char *name = argv[2], *what = argv[3];
    if (strcmp(what, "rt") == 0) {
        int message = strcmp(argv[4], "message") == 0;
        long warm = atol(argv[5]), n = atol(argv[6]);
        HANDLE h = connect_to(name, message);
        char req[64], rep[64];
        memset(req, 'q', sizeof req);
        int64_t *lat = malloc(sizeof(int64_t) * n);
        for (long i = -warm; i < n; i++) {
            int64_t t0 = now_ns();
            write_all(h, req, 64);
            if (message) {
                if (read_message(h, rep, sizeof rep) != 64) die("short reply");
            } else if (!read_exact(h, rep, 64)) {
                die("reply");
            }
            if (i >= 0) lat[i] = now_ns() - t0;
        }
        CloseHandle(h);
        print_latencies(lat, n);
    } else if (strcmp(what, "stream") == 0) {
        int message = strcmp(argv[4], "message") == 0;
        long size = atol(argv[5]);
        long long total = _atoi64(argv[6]);
        int reps = atoi(argv[7]);
        char *buf = malloc(size), ack[4];
        memset(buf, 's', size);
        HANDLE h = connect_to(name, message);
        double sum = 0, best = 0;
        for (int r = -1; r < reps; r++) {
            int64_t t0 = now_ns();
            for (long long sent = 0; sent < total; sent += size) write_all(h, buf, (DWORD)size);
            if (message) {
                if (read_message(h, ack, sizeof ack) != 1) die("ack");
            } else if (!read_exact(h, ack, 1)) {
                die("ack");
            }
            double mbs = total / 1e6 / ((now_ns() - t0) / 1e9);
            if (r >= 0) {
                sum += mbs;
                if (mbs > best) best = mbs;
            }
        }
        CloseHandle(h);
        printf("RESULT mb_per_s=%.1f best_mb_per_s=%.1f\n", sum / reps, best);
    } else if (strcmp(what, "connect") == 0) {
        long warm = atol(argv[4]), n = atol(argv[5]);
        char req[64], rep[64];
        memset(req, 'c', sizeof req);
        int64_t t0 = 0;
        for (long i = -warm; i < n; i++) {
            if (i == 0) t0 = now_ns();
            HANDLE h = connect_to(name, 0);
            write_all(h, req, 64);
            if (!read_exact(h, rep, 64)) die("reply");
            CloseHandle(h);
        }
        printf("RESULT per_s=%.0f\n", n / ((now_ns() - t0) / 1e9));
    } else {
        return 1;
    }
    fflush(stdout);
    return 0;
}

/* ---------- shared memory ---------- */

static void *map_named(const char *name, SIZE_T size, HANDLE *out) {
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, (DWORD)((uint64_t)size >> 32),
                                  (DWORD)(size & 0xffffffffu), name);
    if (m == NULL) die("CreateFileMapping");
    void *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, size);
    if (p == NULL) die("MapViewOfFile");
    if (out) *out = m;
    return p;
}

static int shm(int argc, char **argv) {
    if (argc < 4) return 1;
    SIZE_T size = (SIZE_T)_atoi64(argv[2]);
    int reps = atoi(argv[3]);
    char name[128];
    snprintf(name, sizeof name, "Local\\winipc-bench-c-shm-%lu", GetCurrentProcessId());
    char *map = map_named(name, size, NULL);
    char *src = malloc(size), *dst = malloc(size);
    memset(src, 7, size);
    memset(dst, 0, size);
    double sum = 0, best = 0;
    for (int r = -2; r < reps; r++) {
        int64_t t0 = now_ns();
        memcpy(map, src, size);
        memcpy(dst, map, size);
        double mbs = 2.0 * size / 1e6 / ((now_ns() - t0) / 1e9);
        if (r >= 0) {
            sum += mbs;
            if (mbs > best) best = mbs;
        }
    }
    if (dst[size - 1] != 7) return 4;
    printf("RESULT mb_per_s=%.1f best_mb_per_s=%.1f\n", sum / reps, best);
    return 0;
}

/* ---------- second process ---------- */

static HANDLE spawn_self(const char *args) {
    char exe[MAX_PATH], cmd[1024];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, args);
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) die("CreateProcess");
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* event-pingpong WARMUP ITERATIONS: SetEvent(A) then WaitForSingleObject(B); the child does the reverse. */
static int event_pingpong(int argc, char **argv) {
    if (argc < 4) return 1;
    long warm = atol(argv[2]), n = atol(argv[3]);
    char a[96], b[96], args[256];
    DWORD pid = GetCurrentProcessId();
    snprintf(a, sizeof a, "Local\\winipc-bench-c-ev-a-%lu", pid);
    snprintf(b, sizeof b, "Local\\winipc-bench-c-ev-b-%lu", pid);
    HANDLE ea = CreateEventA(NULL, FALSE, FALSE, a), eb = CreateEventA(NULL, FALSE, FALSE, b);
    if (!ea || !eb) die("CreateEvent");
    snprintf(args, sizeof args, "event-pong %s %s %ld", a, b, warm + n);
    HANDLE child = spawn_self(args);
    int64_t *lat = malloc(sizeof(int64_t) * n);
    for (long i = -warm; i < n; i++) {
        int64_t t0 = now_ns();
        SetEvent(ea);
        WaitForSingleObject(eb, INFINITE);
        if (i >= 0) lat[i] = now_ns() - t0;
    }
    WaitForSingleObject(child, INFINITE);
    print_latencies(lat, n);
    return 0;
}

static int event_pong(int argc, char **argv) {
    if (argc < 5) return 1;
    HANDLE ea = OpenEventA(EVENT_ALL_ACCESS, FALSE, argv[2]), eb = OpenEventA(EVENT_ALL_ACCESS, FALSE, argv[3]);
    if (!ea || !eb) die("OpenEvent");
    long count = atol(argv[4]);
    for (long i = 0; i < count; i++) {
        WaitForSingleObject(ea, INFINITE);
        SetEvent(eb);
    }
    return 0;
}

/* ---------- mutex and semaphore ---------- */

static void ops(HANDLE h, int semaphore, long n) {
    for (long i = 0; i < n; i++) {
        WaitForSingleObject(h, INFINITE);
        if (semaphore) ReleaseSemaphore(h, 1, NULL);
        else ReleaseMutex(h);
    }
}

static HANDLE sync_object(int semaphore, const char *name) {
    HANDLE h = semaphore ? CreateSemaphoreA(NULL, 1, 1, name) : CreateMutexA(NULL, FALSE, name);
    if (!h) die("CreateMutex/CreateSemaphore");
    return h;
}

/* sync mutex|semaphore uncontended|contended ITERATIONS, as in bench_peer_posix.c. */
static int sync_bench(int argc, char **argv) {
    if (argc < 5) return 1;
    int semaphore = strcmp(argv[2], "semaphore") == 0;
    int contended = strcmp(argv[3], "contended") == 0;
    long n = atol(argv[4]);
    DWORD pid = GetCurrentProcessId();
    char name[96], go[96], result[96], args[400];
    snprintf(name, sizeof name, "Local\\winipc-bench-c-sync-%lu", pid);
    snprintf(go, sizeof go, "Local\\winipc-bench-c-go-%lu", pid);
    snprintf(result, sizeof result, "Local\\winipc-bench-c-res-%lu", pid);
    HANDLE h = sync_object(semaphore, name);
    ops(h, semaphore, n / 10);
    if (!contended) {
        int64_t t0 = now_ns();
        ops(h, semaphore, n);
        printf("RESULT ns_per_op=%.1f\n", (double)(now_ns() - t0) / n);
        return 0;
    }
    HANDLE goEvent = CreateEventA(NULL, TRUE, FALSE, go);
    volatile int64_t *shared = map_named(result, 4096, NULL);
    snprintf(args, sizeof args, "sync-child %s %s %s %s %ld", argv[2], name, go, result, n);
    HANDLE child = spawn_self(args);
    Sleep(200); /* let the child open everything and wait at the start line */
    SetEvent(goEvent);
    int64_t t0 = now_ns();
    ops(h, semaphore, n);
    int64_t mine = now_ns() - t0;
    WaitForSingleObject(child, INFINITE);
    int64_t theirs = shared[0];
    int64_t wall = mine > theirs ? mine : theirs;
    printf("RESULT ns_per_op=%.1f\n", (double)wall / (2.0 * n));
    return 0;
}

static int sync_child(int argc, char **argv) {
    if (argc < 7) return 1;
    int semaphore = strcmp(argv[2], "semaphore") == 0;
    HANDLE h = semaphore ? OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, argv[3]) : OpenMutexA(MUTEX_ALL_ACCESS, FALSE, argv[3]);
    HANDLE goEvent = OpenEventA(EVENT_ALL_ACCESS, FALSE, argv[4]);
    if (!h || !goEvent) die("open");
    volatile int64_t *shared = map_named(argv[5], 4096, NULL);
    long n = atol(argv[6]);
    WaitForSingleObject(goEvent, INFINITE);
    int64_t t0 = now_ns();
    ops(h, semaphore, n);
    shared[0] = now_ns() - t0;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_peer pipe-server|pipe-client|shm|event-pingpong|sync ...\n");
        return 1;
    }
    int rc = 1;
    if (strcmp(argv[1], "pipe-server") == 0) rc = pipe_server(argc, argv);
    else if (strcmp(argv[1], "pipe-client") == 0) rc = pipe_client(argc, argv);
    else if (strcmp(argv[1], "shm") == 0) rc = shm(argc, argv);
    else if (strcmp(argv[1], "event-pingpong") == 0) rc = event_pingpong(argc, argv);
    else if (strcmp(argv[1], "event-pong") == 0) rc = event_pong(argc, argv);
    else if (strcmp(argv[1], "sync") == 0) rc = sync_bench(argc, argv);
    else if (strcmp(argv[1], "sync-child") == 0) rc = sync_child(argc, argv);
    if (rc == 1) fprintf(stderr, "bad arguments\n");
    return rc;
}
