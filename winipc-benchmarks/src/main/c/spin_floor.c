/*
 * The hardware floor of a cross-process round trip, the baseline of the channel benchmarks: two
 * processes share one page; the first stores a counter, the second spins until it sees it and
 * stores the same value in its own cache line, the first spins until it sees that. No system call,
 * no queue: what is left is the cost of moving two cache lines between the CPUs.
 *   spin_floor WARMUP COUNT     prints "READY", then "RESULT median_ns=.. p99_ns=.."
 * Linux: the page is MAP_SHARED | MAP_ANONYMOUS and the second process a fork; each side is
 * pinned to its own CPU when there are two (the same placement as the harness's other
 * round trips). Windows: a pagefile-backed mapping shared with a second copy of this program.
 * Build: gcc -O2 -Wall -o spin_floor spin_floor.c ; x86_64-w64-mingw32-gcc -O2 -Wall -o spin_floor.exe spin_floor.c
 */
#ifdef _WIN32
#include <windows.h>
#else
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PING 0  /* the first process's counter, in its own 128 bytes */
#define PONG 16 /* the second's, 128 bytes further */

static int64_t now_ns(void) {
#ifdef _WIN32
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0) {
        QueryPerformanceFrequency(&freq);
    }
    QueryPerformanceCounter(&t);
    return (int64_t) ((double) t.QuadPart * 1e9 / (double) freq.QuadPart);
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

static inline void pause_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void pong(volatile int64_t *page, long total) {
    for (long i = 1; i <= total; i++) {
        while (__atomic_load_n(&page[PING], __ATOMIC_ACQUIRE) != i) {
            pause_cpu();
        }
        __atomic_store_n(&page[PONG], i, __ATOMIC_RELEASE);
    }
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static void ping(volatile int64_t *page, long warm, long count) {
    int64_t *lat = malloc(sizeof(int64_t) * count);
    for (long i = 1; i <= warm + count; i++) {
        int64_t t0 = now_ns();
        __atomic_store_n(&page[PING], i, __ATOMIC_RELEASE);
        while (__atomic_load_n(&page[PONG], __ATOMIC_ACQUIRE) != i) {
            pause_cpu();
        }
        if (i > warm) {
            lat[i - warm - 1] = now_ns() - t0;
        }
    }
    qsort(lat, count, sizeof(int64_t), cmp);
    printf("RESULT median_ns=%lld p99_ns=%lld\n", (long long) lat[count / 2], (long long) lat[(long) (count * 0.99)]);
    fflush(stdout);
    free(lat);
}

#ifndef _WIN32
static void pin(int cpu) {
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || (getenv("BENCH_PIN") != NULL && strcmp(getenv("BENCH_PIN"), "0") == 0)) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}
#endif

int main(int argc, char **argv) {
#ifdef _WIN32
    if (argc == 4 && strcmp(argv[1], "child") == 0) {
        HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, argv[2]);
        volatile int64_t *page = m ? MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 4096) : NULL;
        if (page == NULL) {
            return 1;
        }
        pong(page, atol(argv[3]));
        return 0;
    }
#endif
    if (argc != 3) {
        fprintf(stderr, "usage: spin_floor WARMUP COUNT\n");
        return 2;
    }
    long warm = atol(argv[1]);
    long count = atol(argv[2]);
#ifdef _WIN32
    char name[64];
    snprintf(name, sizeof name, "Local\\winipc-bench-spin-%lu", (unsigned long) GetCurrentProcessId());
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    volatile int64_t *page = m ? MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 4096) : NULL;
    if (page == NULL) {
        fprintf(stderr, "error mapping: %lu\n", (unsigned long) GetLastError());
        return 1;
    }
    char self[MAX_PATH], command[2 * MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(command, sizeof command, "\"%s\" child %s %ld", self, name, warm + count);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "error CreateProcess: %lu\n", (unsigned long) GetLastError());
        return 1;
    }
    printf("READY\n");
    fflush(stdout);
    ping(page, warm, count);
    WaitForSingleObject(pi.hProcess, INFINITE);
#else
    volatile int64_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        pin(1);
        pong(page, warm + count);
        _exit(0);
    }
    pin(0);
    printf("READY\n");
    fflush(stdout);
    ping(page, warm, count);
    waitpid(child, NULL, 0);
#endif
    return 0;
}
