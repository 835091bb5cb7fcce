package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.winipc.AccessPolicy;
import io.winipc.WinipcException;
import java.util.function.Function;

/**
 * Security descriptors for the objects winipc creates: the owner is the current user (set
 * explicitly, so that an elevated administrator's objects are not owned by BUILTIN\Administrators,
 * which would give every elevated administrator implicit WRITE_DAC); a protected DACL grants the
 * current user full access and each SID of {@link AccessPolicy#extraSids()} only what using the
 * object takes ({@link Kind}), never WRITE_DAC, WRITE_OWNER or DELETE, and nobody else anything.
 * The documented default DACL of a named pipe also grants Everyone and the anonymous account
 * read access; this one does not. Handles are never inheritable.
 *
 * <p>Public only so that Windows-only tests can read back what was applied.
 */
public final class WindowsSecurity {
    private static volatile String currentUserSid;

    /**
     * The kinds of object winipc creates, each with the access an admitted extra SID gets and the
     * access winipc asks for when it opens one (the same set: using the object fully, nothing else).
     * Every mask includes READ_CONTROL, so that an admitted peer can check who owns the object.
     */
    public enum Kind {
        /**
         * FILE_GENERIC_READ | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA: read, write
         * and set the read mode, but not FILE_CREATE_PIPE_INSTANCE (FILE_APPEND_DATA, 0x4), which
         * would let a client add server instances of its own; GENERIC_WRITE includes that bit.
         */
        PIPE(0x12019B),
        /** SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY | READ_CONTROL. */
        SECTION(0x20007),
        /** SYNCHRONIZE | MUTEX_MODIFY_STATE | READ_CONTROL. */
        MUTEX(0x120001),
        /** SYNCHRONIZE | EVENT_MODIFY_STATE | READ_CONTROL. */
        EVENT(0x120002),
        /** SYNCHRONIZE | SEMAPHORE_MODIFY_STATE | READ_CONTROL. */
        SEMAPHORE(0x120002);

        private final int extraSidAccess;

        Kind(int extraSidAccess) {
            this.extraSidAccess = extraSidAccess;
        }

        /** @return the access mask an extra SID of the policy is granted */
        public int extraSidAccess() {
            return extraSidAccess;
        }
    }

    private WindowsSecurity() {
    }

    /** @return the current process user's SID in string form ({@code S-1-5-21-...}) */
    public static String currentUserSid() {
        String sid = currentUserSid;
        if (sid == null) {
            sid = tokenSid(Win32.TOKEN_USER_CLASS);
            currentUserSid = sid;
        }
        return sid;
    }

    /**
     * @param policy who is admitted
     * @param kind what kind of object it is for
     * @return the SDDL of the security descriptor winipc applies
     */
    public static String intendedSddl(AccessPolicy policy, Kind kind) {
        String user = currentUserSid();
        StringBuilder sddl = new StringBuilder("O:").append(user).append("D:P(A;;GA;;;").append(user).append(')');
        for (String extra : WindowsAccounts.extraSids(policy)) {
            sddl.append("(A;;0x").append(Integer.toHexString(kind.extraSidAccess())).append(";;;").append(extra).append(')');
        }
        return sddl.toString();
    }

    /**
     * Runs {@code create} with SECURITY_ATTRIBUTES that carry the policy's descriptor and
     * {@code bInheritHandle = FALSE}; the descriptor is freed afterwards (the kernel copies it).
     */
    static <T> T withAttributes(AccessPolicy policy, Kind kind, Function<Pointer, T> create) {
        PointerByReference sd = new PointerByReference();
        String sddl = intendedSddl(policy, kind);
        if (!Win32.Advapi32.INSTANCE.ConvertStringSecurityDescriptorToSecurityDescriptorW(new WString(sddl),
                Win32.SDDL_REVISION_1, sd, null)) {
            int error = Win32.lastError();
            throw WinErrors.exception("building the security descriptor " + sddl, error);
        }
        try {
            Memory attributes = new Memory(24);
            attributes.clear();
            attributes.setInt(0, 24);
            attributes.setPointer(8, sd.getValue());
            attributes.setInt(16, 0);
            return create.apply(attributes);
        } finally {
            Win32.Kernel32.INSTANCE.LocalFree(sd.getValue());
        }
    }

    /**
     * Reads back the owner and DACL applied to a kernel object, as SDDL.
     *
     * @param handle an open handle with READ_CONTROL access
     * @return the SDDL the OS reports, for example {@code O:S-1-5-21-...D:P(A;;FA;;;S-1-5-21-...)}
     */
    static String appliedSddl(long handle) {
        PointerByReference sd = new PointerByReference();
        int information = Win32.OWNER_SECURITY_INFORMATION | Win32.DACL_SECURITY_INFORMATION;
        int rc = Win32.Advapi32.INSTANCE.GetSecurityInfo(handle, Win32.SE_KERNEL_OBJECT,
                information, null, null, null, null, sd);
        if (rc != 0) {
            throw WinErrors.exception("GetSecurityInfo", rc);
        }
        try {
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSecurityDescriptorToStringSecurityDescriptorW(sd.getValue(),
                    Win32.SDDL_REVISION_1, information, text, null)) {
                int error = Win32.lastError();
                throw WinErrors.exception("ConvertSecurityDescriptorToStringSecurityDescriptorW", error);
            }
            try {
                return text.getValue().getWideString(0);
            } finally {
                Win32.Kernel32.INSTANCE.LocalFree(text.getValue());
            }
        } finally {
            Win32.Kernel32.INSTANCE.LocalFree(sd.getValue());
        }
    }

    /**
     * Connects to a pipe with READ_CONTROL access only and reads back the DACL the server applied
     * (this uses up one listening instance, as any client does).
     *
     * @param name the winipc pipe name
     * @return the DACL as SDDL
     */
    public static String appliedPipeSddl(String name) {
        String path = WindowsPlatform.pipePath(name);
        long h = Win32.Kernel32.INSTANCE.CreateFileW(new WString(path), Win32.READ_CONTROL, 0, null, Win32.OPEN_EXISTING,
                Win32.SECURITY_SQOS_PRESENT | Win32.SECURITY_IDENTIFICATION, 0);
        if (!Handles.isValid(h)) {
            int error = Win32.lastError();
            throw WinErrors.exception("CreateFileW(" + path + ", READ_CONTROL)", error);
        }
        try {
            return appliedSddl(h);
        } finally {
            Handles.close(h);
        }
    }

    /**
     * Opens a named object with READ_CONTROL access only and reads back its owner and DACL.
     *
     * @param kind a section, mutex, event or semaphore
     * @param name the winipc name
     * @param scope its scope
     * @return the owner and DACL as SDDL
     */
    public static String appliedObjectSddl(Kind kind, String name, io.winipc.Scope scope) {
        WString objectName = new WString(WindowsPlatform.objectName(name, scope));
        long h = switch (kind) {
            case SECTION -> Win32.Kernel32.INSTANCE.OpenFileMappingW(Win32.READ_CONTROL, false, objectName);
            case MUTEX -> Win32.Kernel32.INSTANCE.OpenMutexW(Win32.READ_CONTROL, false, objectName);
            case EVENT -> Win32.Kernel32.INSTANCE.OpenEventW(Win32.READ_CONTROL, false, objectName);
            case SEMAPHORE -> Win32.Kernel32.INSTANCE.OpenSemaphoreW(Win32.READ_CONTROL, false, objectName);
            case PIPE -> throw new IllegalArgumentException("use appliedPipeSddl for a pipe");
        };
        if (!Handles.isValid(h)) {
            int error = Win32.lastError();
            throw WinErrors.exception("opening " + objectName + " with READ_CONTROL", error);
        }
        try {
            return appliedSddl(h);
        } finally {
            Handles.close(h);
        }
    }

    /**
     * @param infoClass TokenUser or TokenOwner: both start with a pointer to the SID
     * @return that SID of the current process's token, in string form
     */
    static String tokenSid(int infoClass) {
        LongByReference token = new LongByReference();
        if (!Win32.Advapi32.INSTANCE.OpenProcessToken(Win32.Kernel32.INSTANCE.GetCurrentProcess(), Win32.TOKEN_QUERY,
                token)) {
            int error = Win32.lastError();
            throw WinErrors.exception("OpenProcessToken", error);
        }
        try {
            IntByReference length = new IntByReference();
            Win32.Advapi32.INSTANCE.GetTokenInformation(token.getValue(), infoClass, null, 0, length);
            if (length.getValue() <= 0) {
                int lastError = Win32.lastError();
                throw WinErrors.exception("GetTokenInformation(" + infoClass + ")", lastError);
            }
            Memory info = new Memory(length.getValue());
            if (!Win32.Advapi32.INSTANCE.GetTokenInformation(token.getValue(), infoClass, info,
                    length.getValue(), length)) {
                int lastError = Win32.lastError();
                throw WinErrors.exception("GetTokenInformation(" + infoClass + ")", lastError);
            }
            Pointer sid = info.getPointer(0);
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSidToStringSidW(sid, text)) {
                int error = Win32.lastError();
                throw WinErrors.exception("ConvertSidToStringSidW", error);
            }
            try {
                String value = text.getValue().getWideString(0);
                if (!value.startsWith("S-1-")) {
                    throw new WinipcException("unexpected token SID: " + value);
                }
                return value;
            } finally {
                Win32.Kernel32.INSTANCE.LocalFree(text.getValue());
            }
        } finally {
            Handles.close(token.getValue());
        }
    }
}
