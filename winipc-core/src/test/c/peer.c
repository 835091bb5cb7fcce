/*
 * A winipc peer written in C against the plain Win32 API, to show that a non-Java program talks
 * to winipc objects by their documented names (docs/windows.md, "Names"):
 *   pipe "a/b"          -> \\.\pipe\a/b
 *   shared memory "a/b" -> Local\a/b (no header: offset 0 is byte 0)
 *   event "a/b"         -> Local\a/b
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -Wall -o peer.exe peer.c
 * Usage:
 *   peer pipe-byte <name>     writes "ping from c", prints "reply <what came back>"
 *   peer pipe-message <name>  sends 3 messages (text, empty, 100000 bytes), checks the echoes
 *   peer shm <shm-name> <event-name>
 *                             reads the text at offset 0, writes "from c" at offset 100,
 *                             signals the event, prints "shm <text read>"
 * Exit code 0 on success; failures print "error ..." to stderr.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
    fprintf(stderr, "error %s: %lu\n", what, (unsigned long) GetLastError());
    return 1;
}

static HANDLE open_pipe(const char *name, int message_mode) {
    wchar_t path[512];
    swprintf(path, 512, L"\\\\.\\pipe\\%hs", name);
    for (int attempt = 0; attempt < 200; attempt++) {
        HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                               SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
        if (h != INVALID_HANDLE_VALUE) {
            if (message_mode) {
                DWORD mode = PIPE_READMODE_MESSAGE;
                if (!SetNamedPipeHandleState(h, &mode, NULL, NULL)) {
                    fail("SetNamedPipeHandleState");
                    CloseHandle(h);
                    return INVALID_HANDLE_VALUE;
                }
            }
            return h;
        }
        if (GetLastError() == ERROR_PIPE_BUSY) {
            WaitNamedPipeW(path, 100);
        } else {
            Sleep(50);
        }
    }
    return INVALID_HANDLE_VALUE;
}

static int write_all(HANDLE h, const char *data, DWORD length) {
    DWORD written = 0;
    if (!WriteFile(h, data, length, &written, NULL) || written != length) {
        return fail("WriteFile");
    }
    return 0;
}

/* Reads one whole message, growing the buffer on ERROR_MORE_DATA. */
static char *read_message(HANDLE h, DWORD *length) {
    DWORD capacity = 4096, filled = 0;
    char *buffer = malloc(capacity);
    for (;;) {
        DWORD n = 0;
        if (ReadFile(h, buffer + filled, capacity - filled, &n, NULL)) {
            *length = filled + n;
            return buffer;
        }
        if (GetLastError() != ERROR_MORE_DATA) {
            free(buffer);
            return NULL;
        }
        filled += n;
        capacity *= 2;
        buffer = realloc(buffer, capacity);
    }
}

static int pipe_byte(const char *name) {
    HANDLE h = open_pipe(name, 0);
    if (h == INVALID_HANDLE_VALUE) {
        return fail("CreateFileW");
    }
    const char *ping = "ping from c";
    if (write_all(h, ping, (DWORD) strlen(ping))) {
        return 1;
    }
    char reply[256];
    DWORD total = 0, n = 0;
    /* The server answers with "pong: " + the ping, then closes: read to end of stream. */
    while (total < sizeof reply - 1 && ReadFile(h, reply + total, (DWORD) (sizeof reply - 1 - total), &n, NULL) && n > 0) {
        total += n;
    }
    reply[total] = 0;
    printf("reply %s\n", reply);
    fflush(stdout);
    CloseHandle(h);
    return 0;
}

static int pipe_message(const char *name) {
    HANDLE h = open_pipe(name, 1);
    if (h == INVALID_HANDLE_VALUE) {
        return fail("CreateFileW");
    }
    DWORD big_length = 100000;
    char *big = malloc(big_length);
    for (DWORD i = 0; i < big_length; i++) {
        big[i] = (char) ('a' + i % 26);
    }
    const char *messages[3] = {"first message", "", big};
    DWORD lengths[3] = {(DWORD) strlen("first message"), 0, big_length};
    for (int i = 0; i < 3; i++) {
        if (write_all(h, messages[i], lengths[i])) {
            return 1;
        }
        DWORD length = 0;
        char *echo = read_message(h, &length);
        if (echo == NULL) {
            return fail("ReadFile (message)");
        }
        if (length != lengths[i] || memcmp(echo, messages[i], length) != 0) {
            fprintf(stderr, "error message %d came back as %lu bytes, expected %lu\n", i, (unsigned long) length,
                    (unsigned long) lengths[i]);
            return 1;
        }
        free(echo);
    }
    printf("messages ok\n");
    fflush(stdout);
    CloseHandle(h);
    free(big);
    return 0;
}

static int shm(const char *shm_name, const char *event_name) {
    wchar_t name[512];
    swprintf(name, 512, L"Local\\%hs", shm_name);
    HANDLE mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (mapping == NULL) {
        return fail("OpenFileMappingW");
    }
    char *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
    if (view == NULL) {
        return fail("MapViewOfFile");
    }
    char text[64];
    memcpy(text, view, sizeof text - 1);
    text[sizeof text - 1] = 0;
    memcpy(view + 100, "from c", 6);
    swprintf(name, 512, L"Local\\%hs", event_name);
    HANDLE event = OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, name);
    if (event == NULL) {
        return fail("OpenEventW");
    }
    if (!SetEvent(event)) {
        return fail("SetEvent");
    }
    printf("shm %s\n", text);
    fflush(stdout);
    UnmapViewOfFile(view);
    CloseHandle(event);
    CloseHandle(mapping);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "pipe-byte") == 0) {
        return pipe_byte(argv[2]);
    }
    if (argc >= 3 && strcmp(argv[1], "pipe-message") == 0) {
        return pipe_message(argv[2]);
    }
    if (argc >= 4 && strcmp(argv[1], "shm") == 0) {
        return shm(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: peer pipe-byte NAME | pipe-message NAME | shm SHM-NAME EVENT-NAME\n");
    return 2;
}
