package dev.agbscript.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agbscript.jshell.agent.HostChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's pieces that need no JVM of their own: UTF-8 splitting, frames, JSON, class names. */
class SmallPartsTest {
    @Test
    void utf8PrefixNeverEndsInsideACharacter() {
        byte[] text = "aé😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 4 bytes
        assertEquals(7, Utf8.completePrefix(text));
        assertEquals(3, Utf8.completePrefix(Arrays.copyOf(text, 6)));
        assertEquals(3, Utf8.completePrefix(Arrays.copyOf(text, 4)));
        assertEquals(1, Utf8.completePrefix(Arrays.copyOf(text, 2)));
        assertEquals(0, Utf8.completePrefix(new byte[0]));
    }

    @Test
    void framesAreReassembledFromAnySplit() {
        List<String> received = new ArrayList<>();
        FrameSink sink = new FrameSink((kind, payload) -> received.add((char) kind + payload));
        byte[] first = frame(HostChannel.DISPLAY, "{\"data\":{\"text/html\":\"é\"}}");
        byte[] second = frame(HostChannel.VALUE, "");
        byte[] third = frame(HostChannel.VALUE, "x".repeat(1000));
        byte[] all = new byte[first.length + second.length + third.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        System.arraycopy(third, 0, all, first.length + second.length, third.length);
        for (int i = 0; i < all.length; i += 3) { // 3-byte packets: headers and characters split
            sink.write(all, i, Math.min(3, all.length - i));
        }
        assertEquals(List.of("D{\"data\":{\"text/html\":\"é\"}}", "V", "V" + "x".repeat(1000)), received);
    }

    private static byte[] frame(byte kind, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + bytes.length];
        frame[0] = kind;
        frame[1] = (byte) (bytes.length >>> 24);
        frame[2] = (byte) (bytes.length >>> 16);
        frame[3] = (byte) (bytes.length >>> 8);
        frame[4] = (byte) bytes.length;
        System.arraycopy(bytes, 0, frame, 5, bytes.length);
        return frame;
    }

    @Test
    void snippetWrapperNamesAreRemoved() {
        assertEquals("Boom", CellRunner.cleanClassName("REPL.$JShell$12$Boom"));
        assertEquals("java.lang.IllegalStateException", CellRunner.cleanClassName("java.lang.IllegalStateException"));
    }
}
