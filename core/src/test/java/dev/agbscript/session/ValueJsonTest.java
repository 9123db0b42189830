package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON form of crossing values: what the engine, the agb-jshell kernel and its agent share. */
class ValueJsonTest {
    @Test
    void readsTypedValues() {
        assertEquals(42L, ValueJson.parse("42"));
        assertEquals(9007199254740993L, ValueJson.parse("9007199254740993"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                ValueJson.parse("123456789012345678901234567890"));
        assertEquals(2.5, ValueJson.parse("2.5"));
        assertEquals(1e300, ValueJson.parse("1e300"));
        assertTrue(Double.isNaN((Double) ValueJson.parse("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, ValueJson.parse("-Infinity"));
        assertEquals("é \"q\" 😀", ValueJson.parse("\"é \\\"q\\\" 😀\""));
        assertEquals(Arrays.asList(1L, null, true), ValueJson.parse("[1, null, true]"));
        assertEquals(Map.of("a", List.of(Map.of("b", 1L))), ValueJson.parse("{\"a\": [{\"b\": 1}]}"));
    }

    @Test
    void roundTripsWhatCanCross() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("n", null);
        value.put("big", Long.MAX_VALUE);
        value.put("f", Double.POSITIVE_INFINITY);
        value.put("s", "line\nbreak \"quoted\" ünï");
        value.put("list", List.of(1L, 2.5, "x", false));
        value.put("nested", Map.of("k", List.of()));
        assertEquals(value, ValueJson.parse(ValueJson.write(value)));
        assertEquals(List.of(1L, 2L, 3L), ValueJson.parse(ValueJson.write(new int[] {1, 2, 3})));
    }

    @Test
    void refusesWhatCannotCrossNamingTheType() {
        ValueJson.UnrepresentableValueException e = assertThrows(ValueJson.UnrepresentableValueException.class,
                () -> ValueJson.write(Map.of("thread", Thread.currentThread())));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertThrows(ValueJson.UnrepresentableValueException.class, () -> ValueJson.write(Map.of(1, "x")));
        List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        assertThrows(ValueJson.UnrepresentableValueException.class, () -> ValueJson.write(cycle));
    }

    @Test
    void writesTheValueProtocol() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "q\"\\\n\u0001");
        map.put("n", null);
        map.put("l", List.of(1, 2L, 1.5f, true));
        map.put("a", new int[] {1, 2});
        map.put("big", new BigInteger("123456789012345678901234567890"));
        map.put("c", 'c');
        assertEquals("{\"s\":\"q\\\"\\\\\\n\\u0001\",\"n\":null,\"l\":[1,2,1.5,true],\"a\":[1,2],"
                + "\"big\":123456789012345678901234567890,\"c\":\"c\"}", ValueJson.write(map));
        assertEquals("[NaN,Infinity,-Infinity]",
                ValueJson.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
        assertEquals("9007199254740993", ValueJson.write(9007199254740993L));
        assertNull(ValueJson.writeOrNull(new Object()));
        assertNull(ValueJson.writeOrNull(Map.of(1, 2)), "non-String keys have no JSON form");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertNull(ValueJson.writeOrNull(cycle));
    }

    @Test
    void readsWhatBindingsSend() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("i", 9007199254740993L);
        expected.put("b", new BigInteger("99999999999999999999"));
        expected.put("d", 2.5);
        expected.put("s", "é\"\n");
        expected.put("l", Arrays.asList(null, true, List.of()));
        expected.put("m", Map.of());
        assertEquals(expected, ValueJson.parseMap(
                "{\"i\": 9007199254740993, \"b\": 99999999999999999999, \"d\": 2.5, \"s\": \"\\u00e9\\\"\\n\","
                        + " \"l\": [null, true, []], \"m\": {}}"));
        assertTrue(Double.isNaN((Double) ValueJson.parseList("[NaN]").get(0)));
        assertEquals(Double.NEGATIVE_INFINITY, ValueJson.parseList("[-Infinity]").get(0));
        assertThrows(IllegalArgumentException.class, () -> ValueJson.parse("[1,"));
    }
}
