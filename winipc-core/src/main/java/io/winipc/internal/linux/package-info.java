/**
 * Not API: the Linux backend's pipes (Unix domain sockets, peer credentials, the runtime
 * directories) and its libc bindings, direct-mapped with JNA.
 */
@NullMarked
package io.winipc.internal.linux;

import org.jspecify.annotations.NullMarked;
