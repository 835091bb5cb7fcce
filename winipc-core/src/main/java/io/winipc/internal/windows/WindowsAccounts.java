package io.winipc.internal.windows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.winipc.AccessPolicy;
import io.winipc.WinipcOsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the accounts of an {@link AccessPolicy} into what an SDDL string names: SIDs in string form
 * and SDDL aliases ({@code AU}, {@code BA}...) as they are (the SDDL parser knows the aliases), and
 * account names through {@code LookupAccountNameW}, {@code .\}name meaning an account of this
 * computer. Names are looked up each time an object is created, so an account renamed or removed
 * since shows up then, as a clear error rather than a stale SID.
 */
final class WindowsAccounts {
    private static final int ERROR_INSUFFICIENT_BUFFER = 122;
    private static final int ERROR_NONE_MAPPED = 1332;
    private static final int MAX_COMPUTERNAME_LENGTH = 31;

    /** The two calls this class needs beyond {@link Win32}. */
    interface Api extends Library {
        Api ADVAPI32 = Native.load("advapi32", Api.class);
        Api KERNEL32 = Native.load("kernel32", Api.class);

        boolean LookupAccountNameW(WString systemName, WString accountName, Pointer sid, IntByReference sidSize,
                char[] domain, IntByReference domainSize, IntByReference use);

        boolean GetComputerNameW(char[] buffer, IntByReference size);
    }

    private WindowsAccounts() {
    }

    /** @return the policy's SIDs and aliases, then its accounts resolved, in order */
    static List<String> extraSids(AccessPolicy policy) {
        List<String> sids = new ArrayList<>(policy.extraSids());
        for (String account : policy.extraAccounts()) {
            sids.add(resolve(account));
        }
        return sids;
    }

    /**
     * @param account a SID, an SDDL alias or an account name
     * @return what an SDDL string may name for it
     * @throws WinipcOsException if Windows knows no such account
     */
    static String resolve(String account) {
        if (account.matches("S-1(-\\d+)+|[A-Z]{2}")) {
            return account;
        }
        String name = account.startsWith(".\\") ? computerName() + account.substring(1) : account;
        IntByReference sidSize = new IntByReference(0);
        IntByReference domainSize = new IntByReference(0);
        IntByReference use = new IntByReference();
        if (!Api.ADVAPI32.LookupAccountNameW(null, new WString(name), null, sidSize, null, domainSize, use)) {
            int error = Native.getLastError();
            if (error != ERROR_INSUFFICIENT_BUFFER) {
                throw unknown(account, error);
            }
        }
        try (Memory sid = new Memory(Math.max(1, sidSize.getValue()))) {
            char[] domain = new char[Math.max(1, domainSize.getValue())];
            if (!Api.ADVAPI32.LookupAccountNameW(null, new WString(name), sid, sidSize, domain, domainSize, use)) {
                throw unknown(account, Native.getLastError());
            }
            PointerByReference text = new PointerByReference();
            if (!Win32.Advapi32.INSTANCE.ConvertSidToStringSidW(sid, text)) {
                throw new WinipcOsException("cannot convert the SID of account '" + account + "' to a string", Native.getLastError());
            }
            try {
                return text.getValue().getWideString(0);
            } finally {
                Win32.Kernel32.INSTANCE.LocalFree(text.getValue());
            }
        }
    }

    private static WinipcOsException unknown(String account, int error) {
        String why = error == ERROR_NONE_MAPPED ? "Windows knows no account of that name" : "LookupAccountNameW failed";
        return new WinipcOsException("the access policy names account '" + account + "': " + why + " (error " + error + ")", error);
    }

    private static String computerName() {
        char[] buffer = new char[MAX_COMPUTERNAME_LENGTH + 1];
        IntByReference size = new IntByReference(buffer.length);
        if (!Api.KERNEL32.GetComputerNameW(buffer, size)) {
            throw new WinipcOsException("GetComputerNameW failed", Native.getLastError());
        }
        return new String(buffer, 0, size.getValue());
    }
}
