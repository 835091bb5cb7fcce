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
 *   peer squat <kind> <name> [owner-sid [least]]
 *                             creates <kind> (pipe, shm, mutex, event or semaphore) first, with a NULL
 *                             DACL and, if given, that owner SID; prints "owner <SID read back>",
 *                             then holds it until its stdin closes. With "least" (not for pipes) the
 *                             DACL grants Everyone only what using the object takes, no READ_CONTROL
 *   peer least-privilege <shm> <mutex> <event> <semaphore> <pipe>
 *                             creates each object with a DACL that grants the current user only
 *                             what using it takes (no *_ALL_ACCESS, no FILE_CREATE_PIPE_INSTANCE),
 *                             prints "ready", then expects the other side to: write "from java"
 *                             at offset 100, lock and unlock the mutex, release the semaphore
 *                             twice, signal the event, connect to the message-mode pipe and send
 *                             "ping". It answers by signalling the event, releasing the semaphore
 *                             once and replying "pong", then prints "least-privilege ok".
 * Exit code 0 on success; failures print "error ..." to stderr.
 */
#include <windows.h>
#include <sddl.h>
#include <aclapi.h>
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

/* Ends the squatter when its standard input closes, whatever its main thread is blocked in. */
static DWORD WINAPI exit_when_stdin_closes(LPVOID unused) {
    char line[64];
    while (fgets(line, sizeof line, stdin) != NULL) {
    }
    ExitProcess(0);
    return 0;
}

/*
 * Takes a name before winipc does, the way another account could: a squatter. The object gets a
 * NULL DACL (anyone may use it) and, if given, that owner SID. A pipe squatter serves its clients
 * one by one and prints "received N" with the bytes each one sent before closing.
 */
static int squat(const char *kind, const char *name, const char *owner, int least) {
    SECURITY_DESCRIPTOR sd;
    if (!InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION) || !SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE)) {
        return fail("building the security descriptor");
    }
    if (least) {
        /* Everyone may use the object, but nobody but its owner may read its security descriptor. */
        DWORD rights = strcmp(kind, "shm") == 0 ? SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY
                       : strcmp(kind, "mutex") == 0 ? SYNCHRONIZE | MUTEX_MODIFY_STATE
                       : SYNCHRONIZE | EVENT_MODIFY_STATE; /* SEMAPHORE_MODIFY_STATE is the same bit */
        wchar_t sddl[128];
        swprintf(sddl, 128, L"D:P(A;;0x%lx;;;WD)", (unsigned long) rights);
        PSECURITY_DESCRIPTOR built; /* never freed: sd points into it while the object is created */
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &built, NULL)) {
            return fail("ConvertStringSecurityDescriptorToSecurityDescriptorW");
        }
        BOOL present, defaulted;
        PACL dacl;
        if (!GetSecurityDescriptorDacl(built, &present, &dacl, &defaulted) || !SetSecurityDescriptorDacl(&sd, TRUE, dacl, FALSE)) {
            return fail("setting the least-privilege DACL");
        }
    }
    PSID owner_sid = NULL;
    if (owner != NULL) {
        wchar_t wide[128];
        swprintf(wide, 128, L"%hs", owner);
        if (!ConvertStringSidToSidW(wide, &owner_sid) || !SetSecurityDescriptorOwner(&sd, owner_sid, FALSE)) {
            return fail("setting the owner");
        }
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, &sd, FALSE};
    wchar_t path[512];
    HANDLE h = NULL;
    int is_pipe = strcmp(kind, "pipe") == 0;
    if (is_pipe) {
        swprintf(path, 512, L"\\\\.\\pipe\\%hs", name);
        h = CreateNamedPipeW(path, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
                             PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, &sa);
        if (h == INVALID_HANDLE_VALUE) {
            h = NULL;
        }
    } else {
        swprintf(path, 512, L"Local\\%hs", name);
        if (strcmp(kind, "shm") == 0) {
            h = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, path);
        } else if (strcmp(kind, "mutex") == 0) {
            h = CreateMutexW(&sa, FALSE, path);
        } else if (strcmp(kind, "event") == 0) {
            h = CreateEventW(&sa, TRUE, FALSE, path);
        } else if (strcmp(kind, "semaphore") == 0) {
            h = CreateSemaphoreW(&sa, 0, 10, path);
        } else {
            fprintf(stderr, "error unknown kind %s\n", kind);
            return 2;
        }
    }
    if (h == NULL) {
        return fail("creating the object");
    }
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "error %s already existed\n", name);
        return 1;
    }
    PSID read_owner = NULL;
    PSECURITY_DESCRIPTOR read_back = NULL;
    DWORD rc = GetSecurityInfo(h, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &read_owner, NULL, NULL, NULL, &read_back);
    LPWSTR text = NULL;
    if (rc != ERROR_SUCCESS || read_owner == NULL || !ConvertSidToStringSidW(read_owner, &text)) {
        fprintf(stderr, "error reading the owner back: %lu\n", (unsigned long) rc);
        return 1;
    }
    printf("owner %ls\n", text);
    fflush(stdout);
    LocalFree(text);
    LocalFree(read_back);
    CreateThread(NULL, 0, exit_when_stdin_closes, NULL, 0, NULL);
    for (;;) {
        if (!is_pipe) {
            Sleep(INFINITE);
        }
        if (!ConnectNamedPipe(h, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) {
            return fail("ConnectNamedPipe");
        }
        char buffer[4096];
        DWORD n = 0;
        unsigned long total = 0;
        while (ReadFile(h, buffer, sizeof buffer, &n, NULL) && n > 0) {
            total += n;
        }
        printf("received %lu\n", total);
        fflush(stdout);
        DisconnectNamedPipe(h);
    }
}

/* Security attributes owned by the current user, granting it `rights` and nobody anything else. */
static int least_privilege_attributes(DWORD rights, SECURITY_ATTRIBUTES *sa) {
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        return fail("OpenProcessToken");
    }
    char buffer[256];
    DWORD length = 0;
    if (!GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &length)) {
        return fail("GetTokenInformation");
    }
    CloseHandle(token);
    wchar_t *user;
    if (!ConvertSidToStringSidW(((TOKEN_USER *) buffer)->User.Sid, &user)) {
        return fail("ConvertSidToStringSidW");
    }
    wchar_t sddl[512];
    swprintf(sddl, 512, L"O:%lsD:P(A;;0x%lx;;;%ls)", user, (unsigned long) rights, user);
    LocalFree(user);
    sa->nLength = sizeof *sa;
    sa->bInheritHandle = FALSE;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sa->lpSecurityDescriptor, NULL)) {
        return fail("ConvertStringSecurityDescriptorToSecurityDescriptorW");
    }
    return 0;
}

static int least_privilege(char **names) {
    wchar_t name[512];
    SECURITY_ATTRIBUTES sa;

    swprintf(name, 512, L"Local\\%hs", names[0]);
    if (least_privilege_attributes(SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &sa)) {
        return 1;
    }
    HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, name);
    LocalFree(sa.lpSecurityDescriptor);
    if (mapping == NULL) {
        return fail("CreateFileMappingW");
    }
    char *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
    if (view == NULL) {
        return fail("MapViewOfFile");
    }
    memcpy(view, "from c", 7);

    swprintf(name, 512, L"Local\\%hs", names[1]);
    if (least_privilege_attributes(SYNCHRONIZE | MUTEX_MODIFY_STATE, &sa)) {
        return 1;
    }
    HANDLE mutex = CreateMutexW(&sa, FALSE, name);
    LocalFree(sa.lpSecurityDescriptor);
    if (mutex == NULL) {
        return fail("CreateMutexW");
    }

    swprintf(name, 512, L"Local\\%hs", names[2]);
    if (least_privilege_attributes(SYNCHRONIZE | EVENT_MODIFY_STATE, &sa)) {
        return 1;
    }
    HANDLE event = CreateEventW(&sa, FALSE, FALSE, name);
    LocalFree(sa.lpSecurityDescriptor);
    if (event == NULL) {
        return fail("CreateEventW");
    }

    swprintf(name, 512, L"Local\\%hs", names[3]);
    if (least_privilege_attributes(SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, &sa)) {
        return 1;
    }
    HANDLE semaphore = CreateSemaphoreW(&sa, 0, 10, name);
    LocalFree(sa.lpSecurityDescriptor);
    if (semaphore == NULL) {
        return fail("CreateSemaphoreW");
    }

    /* Read, write and set the read mode; not FILE_CREATE_PIPE_INSTANCE (FILE_APPEND_DATA). */
    swprintf(name, 512, L"\\\\.\\pipe\\%hs", names[4]);
    if (least_privilege_attributes(FILE_GENERIC_READ | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES, &sa)) {
        return 1;
    }
    HANDLE pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                   PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                                   1, 4096, 4096, 0, &sa);
    LocalFree(sa.lpSecurityDescriptor);
    if (pipe == INVALID_HANDLE_VALUE) {
        return fail("CreateNamedPipeW");
    }

    printf("ready\n");
    fflush(stdout);

    if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) {
        return fail("ConnectNamedPipe");
    }
    DWORD length = 0;
    char *ping = read_message(pipe, &length);
    if (ping == NULL || length != 4 || memcmp(ping, "ping", 4) != 0) {
        return fail("reading ping");
    }
    free(ping);
    /* Everything the other side did before its ping is visible now. */
    if (memcmp(view + 100, "from java", 9) != 0) {
        fprintf(stderr, "error shared memory at 100 is not \"from java\"\n");
        return 1;
    }
    if (WaitForSingleObject(event, 0) != WAIT_OBJECT_0) {
        return fail("event not signalled");
    }
    if (WaitForSingleObject(semaphore, 0) != WAIT_OBJECT_0 || WaitForSingleObject(semaphore, 0) != WAIT_OBJECT_0) {
        return fail("semaphore not released twice");
    }
    if (WaitForSingleObject(mutex, 0) != WAIT_OBJECT_0 || !ReleaseMutex(mutex)) {
        return fail("mutex not free");
    }
    if (!SetEvent(event) || !ReleaseSemaphore(semaphore, 1, NULL)) {
        return fail("SetEvent/ReleaseSemaphore");
    }
    if (write_all(pipe, "pong", 4)) {
        return 1;
    }
    FlushFileBuffers(pipe);
    printf("least-privilege ok\n");
    fflush(stdout);
    DisconnectNamedPipe(pipe);
    CloseHandle(pipe);
    UnmapViewOfFile(view);
    CloseHandle(mapping);
    CloseHandle(mutex);
    CloseHandle(event);
    CloseHandle(semaphore);
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
    if (argc >= 7 && strcmp(argv[1], "least-privilege") == 0) {
        return least_privilege(argv + 2);
    }
    if (argc >= 4 && strcmp(argv[1], "squat") == 0) {
        return squat(argv[2], argv[3], argc >= 5 ? argv[4] : NULL, argc >= 6 && strcmp(argv[5], "least") == 0);
    }
    fprintf(stderr, "usage: peer pipe-byte NAME | pipe-message NAME | shm SHM-NAME EVENT-NAME | squat KIND NAME [OWNER-SID [least]]"
                    " | least-privilege SHM MUTEX EVENT SEMAPHORE PIPE\n");
    return 2;
}
