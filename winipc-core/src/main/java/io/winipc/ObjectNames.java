package io.winipc;

import org.jspecify.annotations.Nullable;

/**
 * The rules for the bare names users give pipes and named objects ({@code myapp/control}), the one
 * validator every part of winipc uses. A valid name maps safely into every backend's namespace: a
 * Windows pipe or kernel-object name, a Linux file name.
 *
 * <p>A valid name is 1 to {@value #MAX_LENGTH} characters long; it may hold letters, digits,
 * {@code . _ - /}, the ordinary space and other printable characters; it holds no control
 * character (U+0000 to U+001F, U+007F to U+009F), none of {@code \ : * ? " < > |}, no whitespace
 * other than the space, no character outside the Basic Multilingual Plane (such as an emoji), no
 * empty, {@code .} or {@code ..} segment between slashes, and no leading or trailing {@code /}.
 *
 * <p>Error messages never contain the rejected character itself when it is not printable: they
 * give its code point, so a NUL or an escape sequence is never written raw into a log.
 */
public final class ObjectNames {
    /** The longest name accepted, in characters; Windows limits a pipe path to 256. */
    public static final int MAX_LENGTH = 200;

    private static final String FORBIDDEN = "\\:*?\"<>|";

    private ObjectNames() {
    }

    /**
     * @param name the name to check
     * @return the name, unchanged
     * @throws IllegalArgumentException if the name breaks a rule; the message says which and how to fix it
     */
    public static String validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /**
     * @param name a name
     * @return whether {@link #validate(String)} accepts it
     */
    public static boolean isValid(@Nullable String name) {
        return problem(name) == null;
    }

    /**
     * @param name a name
     * @return why {@link #validate(String)} refuses it, for a person, or null if the name is valid
     */
    public static @Nullable String problem(@Nullable String name) {
        if (name == null) {
            return "name must not be null";
        }
        if (name.isEmpty()) {
            return "name must not be empty";
        }
        if (name.startsWith("\\\\")) {
            return "name " + printable(name) + " is a path; give the bare name (such as 'myapp/echo'):"
                    + " winipc adds the '\\\\.\\pipe\\' prefix, the kernel-object prefix or the Linux socket path itself";
        }
        if (name.length() > MAX_LENGTH) {
            return "name is " + name.length() + " characters long; the limit is " + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "name must not contain control characters (found " + codePoint(c) + " at index " + i + ")";
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "name must not contain '" + c + "' (found at index " + i + "); none of \\ : * ? \" < > | is allowed,"
                        + " use '/' to separate parts, such as 'myapp/echo'";
            }
            if (Character.isSurrogate(c)) {
                return "name must not contain characters outside the Basic Multilingual Plane (found " + codePoint(c)
                        + " at index " + i + ")";
            }
            if (Character.isWhitespace(c) && c != ' ' || Character.isSpaceChar(c) && c != ' ') {
                return "name must not contain whitespace other than the space (found " + codePoint(c) + " at index " + i + ")";
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                return "name must not start or end with '/' or contain '//': '" + name + "'";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "name must not contain a '" + segment + "' segment: '" + name + "'";
            }
        }
        return null;
    }

    /**
     * Quotes a name for a message or a log line, with every character that is not printable (a
     * NUL, an escape, a line break) written as its code point.
     *
     * @param name any string, possibly null
     * @return the quoted, printable form, such as {@code 'demo\u0000'} shown as {@code 'demo<U+0000>'}
     */
    public static String printable(@Nullable String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(name.length() + 2).append('\'');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)
                    || Character.isWhitespace(c) && c != ' ' || Character.isSpaceChar(c) && c != ' ') {
                out.append('<').append(codePoint(c)).append('>');
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
