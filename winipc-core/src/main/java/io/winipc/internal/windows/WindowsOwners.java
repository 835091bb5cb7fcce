package io.winipc.internal.windows;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.winipc.TrustPolicy;
import io.winipc.internal.Account;
import java.util.Set;

/**
 * Reads who owns a pipe instance or kernel object, and refuses one whose owner a
 * {@link TrustPolicy} does not trust. Used by the pipe client (whom did it reach?), by the pipe
 * server (whose pipe did a new instance join?) and by every open of a section, mutex, event or
 * semaphore that did not create it (whose object did it get?).
 *
 * <p>Why the owner SID and not the server process's token user: the owner is read from the very
 * handle winipc holds, with the READ_CONTROL access every open here already has, so no other
 * process can be confused with it (a process id can be reused) and it works for objects, which
 * have no server process. The token route ({@code GetNamedPipeServerProcessId}, {@code OpenProcess},
 * {@code OpenProcessToken}) fails for a normal user against a service running as LocalSystem,
 * since such a token's DACL admits only SYSTEM and Administrators: the normal case of a GLOBAL
 * pipe would be unverifiable. A creator can name as owner only itself or a group its token marks
 * as owner-capable (Administrators, for an elevated administrator), unless it holds
 * SeRestorePrivilege or SeTakeOwnershipPrivilege, which only privileged accounts have: so an
 * ordinary account cannot make its pipe look owned by someone else.
 *
 * <p>Under Wine 8 the owner of what a normal process creates reads back as a group SID, not the
 * user's, and every process runs as one user (see docs/security.md).
 */
final class WindowsOwners {
    /** LocalSystem, LocalService, NetworkService, BUILTIN\Administrators. */
    static final Set<String> PRIVILEGED = Set.of("S-1-5-18", "S-1-5-19", "S-1-5-20", "S-1-5-32-544");

    private static volatile String defaultOwnerSid;

    private WindowsOwners() {
    }

    /**
     * @return the owner the current token gives what it creates without naming an owner: the user
     *     itself, or Administrators for an elevated administrator; under Wine a group SID
     *     ({@code S-1-5-21-0-0-0-513})
     */
    static String defaultOwnerSid() {
        String sid = defaultOwnerSid;
        if (sid == null) {
            sid = WindowsSecurity.tokenSid(Win32.TOKEN_OWNER_CLASS);
            defaultOwnerSid = sid;
        }
        return sid;
    }

    /**
     * @return whether the SID is the current user: its user SID, or the default owner its token
     *     gives what it creates (which is never another account's SID)
     */
    static boolean isCurrentUser(String sid) {
        return sid.equalsIgnoreCase(WindowsSecurity.currentUserSid()) || sid.equalsIgnoreCase(defaultOwnerSid());
    }

    /**
     * @param handle an open handle with READ_CONTROL access
     * @return the owner SID in string form
     */
    static String ownerSid(long handle, String what) {
        PointerByReference owner = new PointerByReference();
        PointerByReference sd = new PointerByReference();
        int rc = Win32.Advapi32.INSTANCE.GetSecurityInfo(handle, Win32.SE_KERNEL_OBJECT, Win32.OWNER_SECURITY_INFORMATION,
                owner, null, null, null, sd);
        if (rc != 0) {
            throw WinErrors.exception("GetSecurityInfo(owner) of " + what, rc);
        }
        try {
            if (owner.getValue() == null) {
                throw new io.winipc.WinipcAccessDeniedException(what + " has no owner", 0);
            }
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSidToStringSidW(owner.getValue(), text)) {
                int lastError = Win32.lastError();
                throw WinErrors.exception("ConvertSidToStringSidW for the owner of " + what, lastError);
            }
            Pointer value = text.getValue();
            try {
                return value.getWideString(0);
            } finally {
                Win32.Kernel32.INSTANCE.LocalFree(value);
            }
        } finally {
            Win32.Kernel32.INSTANCE.LocalFree(sd.getValue());
        }
    }

    /** @return the owner of the object behind {@code handle}, as an account */
    static Account owner(long handle, String what) {
        String sid = ownerSid(handle, what);
        return new Account(-1, -1, sid, isCurrentUser(sid), PRIVILEGED.contains(sid));
    }

    /**
     * What to open a named object with so that its owner can be checked: READ_CONTROL on top of what
     * using it takes, unless the policy trusts any account (then nothing is read, and a creator's
     * DACL that grants no READ_CONTROL still admits the open).
     *
     * @param needed what using the object takes
     */
    static int openAccess(int needed, TrustPolicy policy) {
        return policy.trustsAnyAccount() ? needed : needed | Win32.READ_CONTROL;
    }

    /**
     * Keeps the handle only if the policy trusts the object's owner: refuses what another account
     * created at the name first, whether winipc opened it or a create found it live.
     *
     * @param handle a valid handle opened with {@link #openAccess}; closed if this throws
     * @return {@code handle}
     * @throws io.winipc.WinipcAccessDeniedException naming the owner and the policy if the policy
     *     does not trust the owner
     */
    static long requireTrustedOwner(long handle, TrustPolicy policy, String what) {
        if (!policy.trustsAnyAccount()) {
            try {
                owner(handle, what).requireTrusted(policy, what);
            } catch (RuntimeException | Error e) {
                Handles.close(handle);
                throw e;
            }
        }
        return handle;
    }
}
