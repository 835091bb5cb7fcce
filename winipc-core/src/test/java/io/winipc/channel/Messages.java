package io.winipc.channel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Self-checking test messages: an 8-byte sequence number, then bytes that follow from it, with a
 * length that varies with it (so that records wrap at many different points). A torn or
 * misplaced message fails {@link #sequenceOf}.
 */
final class Messages {
    private Messages() {
    }

    static int lengthOf(long seq, int max) {
        long mixed = (seq * 0x9E3779B97F4A7C15L) >>> 40;
        return 8 + (int) (mixed % (max - 7));
    }

    static byte[] message(long seq, int max) {
        byte[] m = new byte[lengthOf(seq, max)];
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(0, seq);
        for (int i = 8; i < m.length; i++) {
            m[i] = (byte) (seq * 31 + i);
        }
        return m;
    }

    /** @return the message's sequence number, after checking every byte of it */
    static long sequenceOf(byte[] m, int max) {
        if (m.length < 8) {
            throw new AssertionError("message of " + m.length + " bytes is torn");
        }
        long seq = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (m.length != lengthOf(seq, max)) {
            throw new AssertionError("message " + seq + " has " + m.length + " bytes, expected " + lengthOf(seq, max));
        }
        for (int i = 8; i < m.length; i++) {
            if (m[i] != (byte) (seq * 31 + i)) {
                throw new AssertionError("message " + seq + " is torn at byte " + i);
            }
        }
        return seq;
    }
}
