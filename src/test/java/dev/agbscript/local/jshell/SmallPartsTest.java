package dev.agbscript.local.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.local.jshell.agent.HostChannel;
import dev.agbscript.local.jshell.agent.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void agentJsonWritesTheValueProtocol() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "q\"\\\n\u0001");
        map.put("n", null);
        map.put("l", List.of(1, 2L, 1.5f, true));
        map.put("a", new int[] {1, 2});
        map.put("big", new BigInteger("123456789012345678901234567890"));
        map.put("c", 'c');
        assertEquals("{\"s\":\"q\\\"\\\\\\n\\u0001\",\"n\":null,\"l\":[1,2,1.5,true],\"a\":[1,2],"
                + "\"big\":123456789012345678901234567890,\"c\":\"c\"}", Json.write(map));
        assertEquals("[NaN,Infinity,-Infinity]",
                Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
        assertEquals("9007199254740993", Json.write(9007199254740993L));
        assertNull(Json.writeOrNull(new Object()));
        assertNull(Json.writeOrNull(Map.of(1, 2)), "non-String keys have no JSON form");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertNull(Json.writeOrNull(cycle));
    }

    @Test
    void agentJsonReadsWhatBindingsSend() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("i", 9007199254740993L);
        expected.put("b", new BigInteger("99999999999999999999"));
        expected.put("d", 2.5);
        expected.put("s", "é\"\n");
        expected.put("l", Arrays.asList(null, true, List.of()));
        expected.put("m", Map.of());
        assertEquals(expected, Json.parseMap(
                "{\"i\": 9007199254740993, \"b\": 99999999999999999999, \"d\": 2.5, \"s\": \"\\u00e9\\\"\\n\","
                        + " \"l\": [null, true, []], \"m\": {}}"));
        assertTrue(Double.isNaN((Double) Json.parseList("[NaN]").get(0)));
        assertEquals(Double.NEGATIVE_INFINITY, Json.parseList("[-Infinity]").get(0));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,"));
    }

    @Test
    void snippetWrapperNamesAreRemoved() {
        assertEquals("Boom", CellRunner.cleanClassName("REPL.$JShell$12$Boom"));
        assertEquals("java.lang.IllegalStateException", CellRunner.cleanClassName("java.lang.IllegalStateException"));
    }
}
