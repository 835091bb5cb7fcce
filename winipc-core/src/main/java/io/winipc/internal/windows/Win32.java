package io.winipc.internal.windows;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few kernel32, advapi32 and ntdll functions winipc needs, mapped by hand so that the core
 * depends on JNA alone. Handles are passed as {@code long} (64-bit Windows only); BOOL results as
 * {@code boolean}. Read the error with {@link Native#getLastError()} right after a failed call.
 */
final class Win32 {
    private Win32() {
    }

    static final long INVALID_HANDLE_VALUE = -1L;
    static final int INFINITE = 0xFFFFFFFF;

    // Error codes (GetLastError)
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_PATH_NOT_FOUND = 3;
    static final int ERROR_ACCESS_DENIED = 5;
    static final int ERROR_INVALID_HANDLE = 6;
    static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    static final int ERROR_OUTOFMEMORY = 14;
    static final int ERROR_FILE_EXISTS = 80;
    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_BROKEN_PIPE = 109;
    static final int ERROR_SEM_TIMEOUT = 121;
    static final int ERROR_INVALID_NAME = 123;
    static final int ERROR_BAD_PATHNAME = 161;
    static final int ERROR_ALREADY_EXISTS = 183;
    static final int ERROR_FILENAME_EXCED_RANGE = 206;
    static final int ERROR_PIPE_BUSY = 231;
    static final int ERROR_NO_DATA = 232;
    static final int ERROR_PIPE_NOT_CONNECTED = 233;
    static final int ERROR_MORE_DATA = 234;
    static final int WAIT_TIMEOUT_CODE = 258;
    static final int ERROR_NOT_OWNER = 288;
    static final int ERROR_TOO_MANY_POSTS = 298;
    static final int ERROR_PIPE_CONNECTED = 535;
    static final int ERROR_OPERATION_ABORTED = 995;
    static final int ERROR_IO_PENDING = 997;
    static final int ERROR_NOT_FOUND = 1168;
    static final int ERROR_CANCELLED = 1223;
    static final int ERROR_PRIVILEGE_NOT_HELD = 1314;
    static final int ERROR_NO_SYSTEM_RESOURCES = 1450;
    static final int ERROR_COMMITMENT_LIMIT = 1455;
    static final int ERROR_TIMEOUT = 1460;

    // Waits
    static final int WAIT_OBJECT_0 = 0;
    static final int WAIT_ABANDONED_0 = 0x80;
    static final int WAIT_TIMEOUT = 0x102;
    static final int WAIT_FAILED = 0xFFFFFFFF;

    // Files and pipes
    static final int GENERIC_READ = 0x80000000;
    static final int GENERIC_WRITE = 0x40000000;
    static final int READ_CONTROL = 0x00020000;
    static final int FILE_WRITE_DATA = 0x0002;
    static final int FILE_WRITE_ATTRIBUTES = 0x0100;
    static final int OPEN_EXISTING = 3;
    static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
    static final int SECURITY_SQOS_PRESENT = 0x00100000;
    static final int SECURITY_IDENTIFICATION = 0x00010000;
    static final int PIPE_ACCESS_DUPLEX = 0x3;
    static final int PIPE_TYPE_BYTE = 0x0;
    static final int PIPE_TYPE_MESSAGE = 0x4;
    static final int PIPE_READMODE_BYTE = 0x0;
    static final int PIPE_READMODE_MESSAGE = 0x2;
    static final int PIPE_WAIT = 0x0;
    static final int PIPE_REJECT_REMOTE_CLIENTS = 0x8;

    // Sections
    static final int PAGE_READWRITE = 0x04;
    static final int SECTION_QUERY = 0x0001;
    static final int FILE_MAP_WRITE = 0x0002;
    static final int FILE_MAP_READ = 0x0004;

    // Sync objects
    static final int SYNCHRONIZE = 0x00100000;
    /** EVENT_MODIFY_STATE and SEMAPHORE_MODIFY_STATE: SetEvent/ResetEvent, ReleaseSemaphore. */
    static final int MODIFY_STATE = 0x0002;

    // Security
    static final int TOKEN_QUERY = 0x0008;
    static final int TOKEN_USER_CLASS = 1;
    static final int TOKEN_OWNER_CLASS = 4;
    static final int SDDL_REVISION_1 = 1;
    static final int SE_KERNEL_OBJECT = 6;
    static final int OWNER_SECURITY_INFORMATION = 0x1;
    static final int DACL_SECURITY_INFORMATION = 0x4;

    static final int HANDLE_FLAG_INHERIT = 0x1;

    static final int FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
    static final int FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;

    interface Kernel32 extends Library {
        Kernel32 INSTANCE = Native.load("kernel32", Kernel32.class);

        boolean GetHandleInformation(long handle, IntByReference flags);

        int GetCurrentProcessId();

        boolean ProcessIdToSessionId(int processId, IntByReference sessionId);

        long GetCurrentProcess();

        long CreateNamedPipeW(WString name, int openMode, int pipeMode, int maxInstances, int outBufferSize,
                int inBufferSize, int defaultTimeout, Pointer securityAttributes);

        long CreateFileW(WString name, int access, int shareMode, Pointer securityAttributes, int disposition,
                int flagsAndAttributes, long template);

        boolean ConnectNamedPipe(long pipe, Pointer overlapped);

        boolean WaitNamedPipeW(WString name, int timeoutMillis);

        boolean SetNamedPipeHandleState(long pipe, IntByReference mode, Pointer maxCollectionCount,
                Pointer collectDataTimeout);

        boolean GetNamedPipeClientProcessId(long pipe, IntByReference pid);

        boolean GetNamedPipeServerProcessId(long pipe, IntByReference pid);

        boolean CancelIoEx(long file, Pointer overlapped);

        long CreateIoCompletionPort(long file, long existingPort, long key, int concurrentThreads);

        long CreateFileMappingW(long file, Pointer securityAttributes, int protect, int maxSizeHigh, int maxSizeLow,
                WString name);

        long OpenFileMappingW(int access, boolean inherit, WString name);

        Pointer MapViewOfFile(long mapping, int access, int offsetHigh, int offsetLow, long bytes);

        boolean UnmapViewOfFile(Pointer address);

        long VirtualQuery(Pointer address, Pointer info, long length);

        long CreateMutexW(Pointer securityAttributes, boolean initialOwner, WString name);

        long OpenMutexW(int access, boolean inherit, WString name);

        long CreateEventW(Pointer securityAttributes, boolean manualReset, boolean initialState, WString name);

        long OpenEventW(int access, boolean inherit, WString name);

        long CreateSemaphoreW(Pointer securityAttributes, int initialCount, int maximumCount, WString name);

        long OpenSemaphoreW(int access, boolean inherit, WString name);

        int FormatMessageW(int flags, Pointer source, int messageId, int languageId, char[] buffer, int size,
                Pointer arguments);

        Pointer LocalFree(Pointer memory);
    }

    interface Advapi32 extends Library {
        Advapi32 INSTANCE = Native.load("advapi32", Advapi32.class);

        boolean OpenProcessToken(long process, int access, LongByReference token);

        boolean GetTokenInformation(long token, int infoClass, Pointer info, int length, IntByReference returnLength);

        boolean ConvertSidToStringSidW(Pointer sid, PointerByReference stringSid);

        boolean ConvertStringSecurityDescriptorToSecurityDescriptorW(WString sddl, int revision,
                PointerByReference securityDescriptor, IntByReference size);

        boolean ConvertSecurityDescriptorToStringSecurityDescriptorW(Pointer securityDescriptor, int revision,
                int information, PointerByReference sddl, IntByReference length);

        int GetSecurityInfo(long handle, int objectType, int information, PointerByReference owner,
                PointerByReference group, PointerByReference dacl, PointerByReference sacl,
                PointerByReference securityDescriptor);
    }

    interface Ntdll extends Library {
        Ntdll INSTANCE = Native.load("ntdll", Ntdll.class);

        /** SectionBasicInformation is class 0. */
        int NtQuerySection(long section, int infoClass, Pointer info, long length, LongByReference returnLength);
    }

    static int lastError() {
        return Native.getLastError();
    }
}
