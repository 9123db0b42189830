package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    @Test
    void readsTypedValues() {
        assertEquals(42L, ValueCodec.fromJson("42"));
        assertEquals(9007199254740993L, ValueCodec.fromJson("9007199254740993"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                ValueCodec.fromJson("123456789012345678901234567890"));
        assertEquals(2.5, ValueCodec.fromJson("2.5"));
        assertEquals(1e300, ValueCodec.fromJson("1e300"));
        assertTrue(Double.isNaN((Double) ValueCodec.fromJson("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, ValueCodec.fromJson("-Infinity"));
        assertEquals("é \"q\" 😀", ValueCodec.fromJson("\"é \\\"q\\\" 😀\""));
        assertEquals(Arrays.asList(1L, null, true), ValueCodec.fromJson("[1, null, true]"));
        assertEquals(Map.of("a", List.of(Map.of("b", 1L))), ValueCodec.fromJson("{\"a\": [{\"b\": 1}]}"));
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
        assertEquals(value, ValueCodec.fromJson(ValueCodec.toJson(value)));
        assertEquals(List.of(1L, 2L, 3L), ValueCodec.fromJson(ValueCodec.toJson(new int[] {1, 2, 3})));
    }

    @Test
    void refusesWhatCannotCrossNamingTheType() {
        ValueCodec.UnrepresentableValueException e = assertThrows(ValueCodec.UnrepresentableValueException.class,
                () -> ValueCodec.toJson(Map.of("thread", Thread.currentThread())));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertThrows(ValueCodec.UnrepresentableValueException.class, () -> ValueCodec.toJson(Map.of(1, "x")));
        List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        assertThrows(ValueCodec.UnrepresentableValueException.class, () -> ValueCodec.toJson(cycle));
    }
}
