/*
 * C baseline for winipc's benchmarks on Linux: the same exchanges the Java harness does, over the
 * same OS primitives (a Unix domain stream socket, a /dev/shm mapping, futexes, a robust
 * process-shared pthread mutex, a process-shared POSIX semaphore). Built at run time by
 * scripts/bench.sh into winipc-benchmarks/target/c/; never committed as a binary.
 *
 * Every measuring command prints one line: "RESULT key=value ...". Message mode uses winipc's
 * framing on Linux: a 4-byte big-endian length, then the payload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(2);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_latencies(const char *prefix, int64_t *v, long n) {
    qsort(v, n, sizeof *v, cmp_i64);
    long p99 = (long)(n * 0.99);
    if (p99 >= n) p99 = n - 1;
    double sum = 0;
    for (long i = 0; i < n; i++) sum += v[i];
    printf("RESULT %smedian_ns=%lld p99_ns=%lld mean_ns=%.0f n=%ld\n", prefix, (long long)v[n / 2],
           (long long)v[p99], sum / n, n);
    fflush(stdout);
}

/* ---------- Unix socket helpers ---------- */

static void read_fully(int fd, void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = recv(fd, (char *)buf + done, n - done, 0);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            fprintf(stderr, "read_fully: %s\n", r == 0 ? "end of stream" : strerror(errno));
            exit(3);
        }
        done += (size_t)r;
    }
}

/* Returns 0 at a clean end of stream before the first byte. */
static int read_fully_or_eof(int fd, void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = recv(fd, (char *)buf + done, n - done, 0);
        if (r == 0 && done == 0) return 0;
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            if (r < 0 && errno == ECONNRESET && done == 0) return 0;
            fprintf(stderr, "read: %s\n", r == 0 ? "end of stream" : strerror(errno));
            exit(3);
        }
        done += (size_t)r;
    }
    return 1;
}

static void write_fully(int fd, const void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = send(fd, (const char *)buf + done, n - done, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("send");
        }
        done += (size_t)r;
    }
}

static void write_frame(int fd, const void *payload, uint32_t len, char *scratch) {
    /* Small messages go out in one send, as winipc does. */
    unsigned char h[4] = {len >> 24, len >> 16, len >> 8, len};
    if (scratch != NULL && len <= 65532) {
        memcpy(scratch, h, 4);
        memcpy(scratch + 4, payload, len);
        write_fully(fd, scratch, len + 4);
    } else {
        /* Header and payload in one gathering call, as winipc and the JDK baseline do: the reader's
           first wake-up brings the header with the start of the payload. */
        struct iovec iov[2] = {{h, 4}, {(void *)payload, len}};
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = iov;
        m.msg_iovlen = 2;
        ssize_t r;
        do {
            r = sendmsg(fd, &m, MSG_NOSIGNAL);
        } while (r < 0 && errno == EINTR);
        if (r < 0) die("sendmsg");
        if (r < 4) {
            write_fully(fd, h + r, 4 - (size_t)r);
            write_fully(fd, payload, len);
        } else {
            write_fully(fd, (const char *)payload + (r - 4), len - (size_t)(r - 4));
        }
    }
}

/* Returns the payload length, or -1 at a clean end of stream. */
static long read_frame(int fd, char *buf, size_t cap) {
    unsigned char h[4];
    if (!read_fully_or_eof(fd, h, 4)) return -1;
    uint32_t len = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
    if (len > cap) {
        fprintf(stderr, "message of %u bytes exceeds %zu\n", len, cap);
        exit(3);
    }
    read_fully(fd, buf, len);
    return (long)len;
}

static struct sockaddr_un address_of(const char *path) {
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "socket path too long: %s\n", path);
        exit(2);
    }
    strcpy(a.sun_path, path);
    return a;
}

static int connect_to(const char *path) {
    struct sockaddr_un a = address_of(path);
    for (int attempt = 0;; attempt++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) die("socket");
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
        int e = errno;
        close(fd);
        if ((e == ENOENT || e == ECONNREFUSED || e == EAGAIN) && attempt < 5000) {
            usleep(1000);
            continue;
        }
        errno = e;
        die("connect");
    }
}

/*
 * pipe-server PATH SCENARIO [ARG]: accepts connections one after another and serves each until
 * the client closes it. Scenarios: echo-byte (64-byte request, 64-byte reply), echo-message,
 * sink-byte TOTAL (read; after every TOTAL bytes reply one byte), sink-message COUNT (after every
 * COUNT messages reply a 1-byte message).
 */
static int pipe_server(int argc, char **argv) {
    if (argc < 4) return 1;
    const char *path = argv[2], *scenario = argv[3];
    long long arg = argc > 4 ? atoll(argv[4]) : 0;
    unlink(path);
    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    struct sockaddr_un a = address_of(path);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0) die("bind");
    if (listen(lfd, 255) != 0) die("listen");
    printf("READY\n");
    fflush(stdout);
    size_t cap = 16 << 20;
    char *buf = malloc(cap), *scratch = malloc(65536);
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            die("accept");
        }
        if (strcmp(scenario, "echo-byte") == 0) {
            while (read_fully_or_eof(fd, buf, 64)) write_fully(fd, buf, 64);
        } else if (strcmp(scenario, "echo-message") == 0) {
            long n;
            while ((n = read_frame(fd, buf, cap)) >= 0) write_frame(fd, buf, (uint32_t)n, scratch);
        } else if (strcmp(scenario, "sink-byte") == 0) {
            long long pending = 0;
            for (;;) {
                ssize_t r = recv(fd, buf, 1 << 20, 0);
                if (r <= 0) {
                    if (r < 0 && errno == EINTR) continue;
                    break;
                }
                pending += r;
                while (pending >= arg) {
                    pending -= arg;
                    write_fully(fd, "k", 1);
                }
            }
        } else if (strcmp(scenario, "sink-message") == 0) {
            long long seen = 0;
            while (read_frame(fd, buf, cap) >= 0) {
                if (++seen % arg == 0) write_frame(fd, "k", 1, scratch);
            }
        } else {
            fprintf(stderr, "unknown scenario %s\n", scenario);
            return 1;
        }
        close(fd);
    }
}

/*
 * pipe-client PATH rt byte|message WARMUP ITERATIONS
 * pipe-client PATH stream byte|message WRITE_SIZE TOTAL REPS   (one warm-up rep first)
 * pipe-client PATH connect WARMUP ITERATIONS   (byte mode)
 */
static int pipe_client(int argc, char **argv) {
    if (argc < 5) return 1;
    const char *path = argv[2], *what = argv[3];
    int message = strcmp(argv[4], "message") == 0;
    char *scratch = malloc(65536);
    if (strcmp(what, "rt") == 0) {
        long warm = atol(argv[5]), n = atol(argv[6]);
        int fd = connect_to(path);
        char req[64], rep[64];
        memset(req, 'q', sizeof req);
        int64_t *lat = malloc(sizeof(int64_t) * n);
        for (long i = -warm; i < n; i++) {
            int64_t t0 = now_ns();
            if (message) {
                write_frame(fd, req, 64, scratch);
                if (read_frame(fd, rep, 64) != 64) exit(3);
            } else {
                write_fully(fd, req, 64);
                read_fully(fd, rep, 64);
            }
            if (i >= 0) lat[i] = now_ns() - t0;
        }
        close(fd);
        print_latencies("", lat, n);
    } else if (strcmp(what, "stream") == 0) {
        long size = atol(argv[5]);
        long long total = atoll(argv[6]);
        int reps = atoi(argv[7]);
        char *buf = malloc(size), ack[4];
        memset(buf, 's', size);
        int fd = connect_to(path);
        double best = 0, sum = 0;
        for (int r = -1; r < reps; r++) {
            int64_t t0 = now_ns();
            for (long long sent = 0; sent < total; sent += size) {
                if (message) write_frame(fd, buf, (uint32_t)size, NULL);
                else write_fully(fd, buf, size);
            }
            if (message) {
                if (read_frame(fd, ack, sizeof ack) != 1) exit(3);
            } else {
                read_fully(fd, ack, 1);
            }
            double mbs = total / 1e6 / ((now_ns() - t0) / 1e9);
            if (r >= 0) {
                sum += mbs;
                if (mbs > best) best = mbs;
            }
        }
        close(fd);
        printf("RESULT mb_per_s=%.1f best_mb_per_s=%.1f\n", sum / reps, best);
    } else if (strcmp(what, "connect") == 0) {
        long warm = atol(argv[4]), n = atol(argv[5]);
        char req[64], rep[64];
        memset(req, 'c', sizeof req);
        int64_t t0 = 0;
        for (long i = -warm; i < n; i++) {
            if (i == 0) t0 = now_ns();
            int fd = connect_to(path);
            write_fully(fd, req, 64);
            read_fully(fd, rep, 64);
            close(fd);
        }
        double secs = (now_ns() - t0) / 1e9;
        printf("RESULT per_s=%.0f\n", n / secs);
    } else {
        return 1;
    }
    fflush(stdout);
    return 0;
}

/* ---------- shared memory ---------- */

static void *map_file(const char *path, size_t size, int create) {
    int fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0) die(path);
    if (create && ftruncate(fd, (off_t)size) != 0) die("ftruncate");
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    close(fd);
    return p;
}

/* shm SIZE REPS: memcpy SIZE bytes into a /dev/shm mapping and back out, REPS times after 2 warm-ups. */
static int shm(int argc, char **argv) {
    if (argc < 4) return 1;
    size_t size = (size_t)atoll(argv[2]);
    int reps = atoi(argv[3]);
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/winipc-bench-c-%d", getpid());
    char *map = map_file(path, size, 1);
    unlink(path);
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

/* ---------- futex event ping-pong ---------- */

static long futex(atomic_int *addr, int op, int val) {
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/* An auto-reset event: 1 = signalled. */
static void event_signal(atomic_int *w) {
    if (atomic_exchange(w, 1) == 0) futex(w, FUTEX_WAKE, 1);
}

static void event_wait(atomic_int *w) {
    for (;;) {
        int one = 1;
        if (atomic_compare_exchange_strong(w, &one, 0)) return;
        futex(w, FUTEX_WAIT, 0);
    }
}

/*
 * event-pingpong WARMUP ITERATIONS: forks a second process; the parent signals A and waits for B,
 * the child waits for A and signals B. Prints the round-trip latency.
 */
static int event_pingpong(int argc, char **argv) {
    if (argc < 4) return 1;
    long warm = atol(argv[2]), n = atol(argv[3]);
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/winipc-bench-c-ev-%d", getpid());
    atomic_int *words = map_file(path, 4096, 1);
    unlink(path);
    atomic_int *a = &words[0], *b = &words[16];
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        for (long i = -warm; i < n; i++) {
            event_wait(a);
            event_signal(b);
        }
        _exit(0);
    }
    int64_t *lat = malloc(sizeof(int64_t) * n);
    for (long i = -warm; i < n; i++) {
        int64_t t0 = now_ns();
        event_signal(a);
        event_wait(b);
        if (i >= 0) lat[i] = now_ns() - t0;
    }
    waitpid(child, NULL, 0);
    print_latencies("", lat, n);
    return 0;
}

/* ---------- mutex and semaphore ---------- */

struct sync_area {
    pthread_mutex_t mutex;
    char pad1[128];
    sem_t sem;
    char pad2[128];
    atomic_int go;
    atomic_llong child_ns;
};

static struct sync_area *sync_area(void) {
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/winipc-bench-c-sync-%d", getpid());
    struct sync_area *s = map_file(path, 4096, 1);
    unlink(path);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (pthread_mutex_init(&s->mutex, &attr) != 0) die("pthread_mutex_init");
    pthread_mutexattr_destroy(&attr);
    if (sem_init(&s->sem, 1, 1) != 0) die("sem_init");
    return s;
}

static void ops(struct sync_area *s, int semaphore, long n) {
    for (long i = 0; i < n; i++) {
        if (semaphore) {
            while (sem_wait(&s->sem) != 0) {
            }
            sem_post(&s->sem);
        } else {
            pthread_mutex_lock(&s->mutex);
            pthread_mutex_unlock(&s->mutex);
        }
    }
}

/*
 * sync mutex|semaphore uncontended|contended ITERATIONS: lock/unlock (or wait/post on a semaphore
 * of one permit) ITERATIONS times; contended: in two processes at once, each ITERATIONS times.
 * Prints nanoseconds per operation (an operation is one lock plus one unlock), over all processes.
 */
static int sync_bench(int argc, char **argv) {
    if (argc < 5) return 1;
    int semaphore = strcmp(argv[2], "semaphore") == 0;
    int contended = strcmp(argv[3], "contended") == 0;
    long n = atol(argv[4]);
    struct sync_area *s = sync_area();
    ops(s, semaphore, n / 10); /* warm-up */
    if (!contended) {
        int64_t t0 = now_ns();
        ops(s, semaphore, n);
        printf("RESULT ns_per_op=%.1f\n", (double)(now_ns() - t0) / n);
        return 0;
    }
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        atomic_fetch_add(&s->go, 1);
        while (atomic_load(&s->go) < 2) {
        }
        int64_t t0 = now_ns();
        ops(s, semaphore, n);
        atomic_store(&s->child_ns, now_ns() - t0);
        _exit(0);
    }
    atomic_fetch_add(&s->go, 1);
    while (atomic_load(&s->go) < 2) {
    }
    int64_t t0 = now_ns();
    ops(s, semaphore, n);
    int64_t mine = now_ns() - t0;
    waitpid(child, NULL, 0);
    int64_t theirs = atomic_load(&s->child_ns);
    int64_t wall = mine > theirs ? mine : theirs;
    printf("RESULT ns_per_op=%.1f\n", (double)wall / (2.0 * n));
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
    else if (strcmp(argv[1], "sync") == 0) rc = sync_bench(argc, argv);
    if (rc == 1) fprintf(stderr, "bad arguments\n");
    return rc;
}
