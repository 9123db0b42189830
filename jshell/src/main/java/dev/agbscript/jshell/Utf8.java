package dev.agbscript.jshell;

/** UTF-8 byte arithmetic for output that arrives in packets which may split a character. */
final class Utf8 {
    private Utf8() {}

    /** The length of the longest prefix that does not end inside a multi-byte character. */
    static int completePrefix(byte[] bytes) {
        int n = bytes.length;
        // Look back at most 3 bytes for the lead byte of the last character.
        for (int back = 1; back <= Math.min(4, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
