package io.winipc.internal;

/**
 * Validates the bare names users give objects ({@code myapp/control}). A valid name maps safely
 * into every backend's namespace: a Windows pipe or kernel-object name, a Linux file name.
 */
public final class Names {
    /** The longest name accepted, in characters; Windows limits a pipe path to 256. */
    public static final int MAX_LENGTH = 200;

    private Names() {
    }

    /**
     * @param name the name to check
     * @return the name, unchanged
     * @throws IllegalArgumentException if the name is null, empty, too long, has an empty, "." or
     *     ".." segment, or has a character that could escape the namespace
     */
    public static String validate(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("name is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("name must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
            if ("\\:*?\"<>|".indexOf(c) >= 0) {
                throw new IllegalArgumentException("name must not contain '" + c + "' (found at index " + i
                        + "): use letters, digits and . _ - / only");
            }
            if (Character.isSurrogate(c) || Character.isWhitespace(c) && c != ' ') {
                throw new IllegalArgumentException("name must not contain U+" + String.format("%04X", (int) c));
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("name must not start or end with '/' or contain '//': " + name);
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("name must not contain a '" + segment + "' segment: " + name);
            }
        }
        return name;
    }
}
