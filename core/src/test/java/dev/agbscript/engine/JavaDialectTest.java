package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** JavaDialect's text, without a kernel (JavaEngineTest runs what it writes in a real one). */
class JavaDialectTest {
    private final JavaDialect dialect = new JavaDialect();

    @Test
    void literalsAreAsciiAndNeverContainARawUnicodeEscape() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\000\\u00e9\"", JavaDialect.literal("a\"b\\c\n\t\0é"));
        // A backslash-u in the text is doubled, so Java's pre-lexing pass never sees an escape.
        assertEquals("\"\\\\u0022\"", JavaDialect.literal("\\u0022"));
        String literal = JavaDialect.literal("x😀\u2028");
        assertTrue(literal.chars().allMatch(c -> c < 0x7f), literal);
    }

    @Test
    void longTextsAreJoinedFromPieces() {
        String literal = JavaDialect.literal("a".repeat(20_000));
        assertTrue(literal.startsWith("String.join(\"\", \""), literal.substring(0, 40));
    }

    @Test
    void bindingsBecomeDeclarations() {
        assertEquals("""
                long n = 5L;
                double r = 0.5;
                String s = "x";
                boolean b = true;
                Object z = null;
                java.math.BigInteger big = new java.math.BigInteger("123456789012345678901234567890");
                double nan = Double.NaN;
                java.util.List<Object> l = dev.agbscript.session.ValueJson.parseList("[1,\\"a\\"]");
                java.util.Map<String, Object> m = dev.agbscript.session.ValueJson.parseMap("{\\"k\\":[]}");""",
                dialect.prelude().bind("{\"n\": 5, \"r\": 0.5, \"s\": \"x\", \"b\": true, \"z\": null,"
                        + " \"big\": 123456789012345678901234567890, \"nan\": NaN, \"l\": [1, \"a\"],"
                        + " \"m\": {\"k\": []}}"));
    }

    @Test
    void identifiersExcludeKeywords() {
        assertTrue(dialect.isIdentifier("value"));
        assertTrue(dialect.isIdentifier("_x1"));
        assertTrue(dialect.isIdentifier("$dollar"));
        assertFalse(dialect.isIdentifier("class"));
        assertFalse(dialect.isIdentifier("null"));
        assertFalse(dialect.isIdentifier("_"));
        assertFalse(dialect.isIdentifier("1x"));
        assertFalse(dialect.isIdentifier("a-b"));
        assertFalse(dialect.isIdentifier(""));
    }

    @Test
    void programEndsEveryStatementWithASemicolon() {
        assertEquals("int a = 1;\nint b = 2;\nif (a < b) { a = b; }",
                dialect.program("int a = 1", "int b = 2;", "if (a < b) { a = b; }"));
    }
}
