package io.winipc.internal.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Builds struct sockaddr_un for a path. */
final class SocketAddresses {
    private SocketAddresses() {
    }

    /** @return sa_family (AF_UNIX, native byte order) followed by the NUL-terminated path */
    static byte[] of(Path path) {
        byte[] utf8 = path.toString().getBytes(StandardCharsets.UTF_8);
        if (utf8.length > RuntimeDirectories.MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("socket path too long: " + path);
        }
        byte[] address = new byte[2 + utf8.length + 1];
        short family = LibC.AF_UNIX;
        if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
            address[0] = (byte) family;
            address[1] = (byte) (family >> 8);
        } else {
            address[0] = (byte) (family >> 8);
            address[1] = (byte) family;
        }
        System.arraycopy(utf8, 0, address, 2, utf8.length);
        return address;
    }
}
