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
 * Security descriptors for the objects winipc creates: a protected DACL that grants
 * {@code GENERIC_ALL} to the current user's SID and to each SID of {@link AccessPolicy#extraSids()},
 * and to nobody else. The documented default DACL of a named pipe also grants Everyone and the
 * anonymous account read access; this one does not. Handles are never inheritable.
 *
 * <p>Public only so that Windows-only tests can read back what was applied.
 */
public final class WindowsSecurity {
    private static volatile String currentUserSid;

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

    /** @return the SDDL of the security descriptor winipc applies for this policy */
    public static String intendedSddl(AccessPolicy policy) {
        StringBuilder sddl = new StringBuilder("D:P(A;;GA;;;").append(currentUserSid()).append(')');
        for (String extra : WindowsAccounts.extraSids(policy)) {
            sddl.append("(A;;GA;;;").append(extra).append(')');
        }
        return sddl.toString();
    }

    /**
     * Runs {@code create} with SECURITY_ATTRIBUTES that carry the policy's descriptor and
     * {@code bInheritHandle = FALSE}; the descriptor is freed afterwards (the kernel copies it).
     */
    static <T> T withAttributes(AccessPolicy policy, Function<Pointer, T> create) {
        PointerByReference sd = new PointerByReference();
        String sddl = intendedSddl(policy);
        if (!Win32.Advapi32.INSTANCE.ConvertStringSecurityDescriptorToSecurityDescriptorW(new WString(sddl),
                Win32.SDDL_REVISION_1, sd, null)) {
            throw WinErrors.last("building the security descriptor " + sddl);
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
     * Reads back the DACL (and owner) applied to a kernel object, as SDDL.
     *
     * @param handle an open handle with READ_CONTROL access
     * @return the SDDL the OS reports, for example {@code D:P(A;;FA;;;S-1-5-21-...)}
     */
    static String appliedSddl(long handle) {
        PointerByReference sd = new PointerByReference();
        int rc = Win32.Advapi32.INSTANCE.GetSecurityInfo(handle, Win32.SE_KERNEL_OBJECT,
                Win32.DACL_SECURITY_INFORMATION, null, null, null, null, sd);
        if (rc != 0) {
            throw WinErrors.exception("GetSecurityInfo", rc);
        }
        try {
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSecurityDescriptorToStringSecurityDescriptorW(sd.getValue(),
                    Win32.SDDL_REVISION_1, Win32.DACL_SECURITY_INFORMATION, text, null)) {
                throw WinErrors.last("ConvertSecurityDescriptorToStringSecurityDescriptorW");
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
            throw WinErrors.last("CreateFileW(" + path + ", READ_CONTROL)");
        }
        try {
            return appliedSddl(h);
        } finally {
            Handles.close(h);
        }
    }

    /**
     * Opens a shared memory region with READ_CONTROL access only and reads back its DACL.
     *
     * @param name the winipc name
     * @param scope its scope
     * @return the DACL as SDDL
     */
    public static String appliedSharedMemorySddl(String name, io.winipc.Scope scope) {
        String objectName = WindowsPlatform.objectName(name, scope);
        long h = Win32.Kernel32.INSTANCE.OpenFileMappingW(Win32.READ_CONTROL, false, new WString(objectName));
        if (!Handles.isValid(h)) {
            throw WinErrors.last("OpenFileMappingW(" + objectName + ", READ_CONTROL)");
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
            throw WinErrors.last("OpenProcessToken");
        }
        try {
            IntByReference length = new IntByReference();
            Win32.Advapi32.INSTANCE.GetTokenInformation(token.getValue(), infoClass, null, 0, length);
            if (length.getValue() <= 0) {
                throw WinErrors.last("GetTokenInformation(" + infoClass + ")");
            }
            Memory info = new Memory(length.getValue());
            if (!Win32.Advapi32.INSTANCE.GetTokenInformation(token.getValue(), infoClass, info,
                    length.getValue(), length)) {
                throw WinErrors.last("GetTokenInformation(" + infoClass + ")");
            }
            Pointer sid = info.getPointer(0);
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSidToStringSidW(sid, text)) {
                throw WinErrors.last("ConvertSidToStringSidW");
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
