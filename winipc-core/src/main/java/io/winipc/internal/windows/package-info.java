/**
 * Not API: the Windows backend, JNA bindings to kernel32 and advapi32 with overlapped I/O, kernel
 * objects and the security descriptors that keep them to the current user.
 */
@NullMarked
package io.winipc.internal.windows;

import org.jspecify.annotations.NullMarked;
