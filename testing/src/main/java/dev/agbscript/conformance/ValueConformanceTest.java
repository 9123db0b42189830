package dev.agbscript.conformance;

import dev.agbscript.session.Language;
import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agbscript.session.SessionManager;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The value conformance table of docs/kernels.md: for every language and every kind of value, a literal of
 * the language must come out as the expected Java value, and the Java value bound as a variable must come
 * back (out of the variable's value) as the expected Java value. Where a language cannot represent a value the
 * table says what comes out instead, as docs/kernels.md explains.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ValueConformanceTest {
    static final List<String> LANGUAGES = List.of("python", "javascript", "r", "java");
    static final String TEXT = "héllo \"double\" 'single' \\ back\\slash\nnew line\ttab ü € 😀 \u2028";
    static final BigInteger TWO_70 = BigInteger.TWO.pow(70);

    /** One language's cell: a literal of the language, the Java value it gives, the Java value a binding gives back. */
    record Cell(String literal, Object out, Object roundTrip) {}

    /** One kind of value: the Java value bound, and each language's cell. */
    record Row(String kind, Object bound, Map<String, Cell> cells) {
        Row cell(String language, String literal, Object out, Object roundTrip) {
            Map<String, Cell> more = new LinkedHashMap<>(cells);
            more.put(language, new Cell(literal, out, roundTrip));
            return new Row(kind, bound, more);
        }

        /** Same value out of the literal and back from the binding. */
        Row cell(String language, String literal, Object out) {
            return cell(language, literal, out, out);
        }
    }

    static Row row(String kind, Object bound) {
        return new Row(kind, bound, Map.of());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static final List<Row> TABLE = List.of(
            row("null", null)
                    .cell("python", "None", null).cell("javascript", "null", null)
                    .cell("r", "NULL", null).cell("java", "null", null),
            row("undefined", null)
                    .cell("javascript", "undefined", null),
            row("boolean", true)
                    .cell("python", "True", true).cell("javascript", "true", true)
                    .cell("r", "TRUE", true).cell("java", "true", true),
            row("integer", 42)
                    .cell("python", "42", 42L).cell("javascript", "42", 42L)
                    .cell("r", "42L", 42L).cell("java", "42", 42L),
            row("integral double", 3.0)
                    // JS numbers and R doubles with an integral value come out as integers
                    .cell("python", "3.0", 3.0).cell("javascript", "3.0", 3L)
                    .cell("r", "3", 3L).cell("java", "3.0", 3.0),
            row("integer 2^53 + 1", 9007199254740993L)
                    // R has no 64-bit integers: a double, rounded to 2^53
                    .cell("python", "2**53 + 1", 9007199254740993L)
                    .cell("javascript", "2n ** 53n + 1n", 9007199254740993L)
                    .cell("r", "2^53 + 1", 9007199254740992L)
                    .cell("java", "9007199254740993L", 9007199254740993L),
            row("integer 2^70", TWO_70)
                    .cell("python", "2**70", TWO_70)
                    .cell("javascript", "2n ** 70n", TWO_70)
                    .cell("r", "2^70", 1.1805916207174113E21)
                    .cell("java", "java.math.BigInteger.TWO.pow(70)", TWO_70),
            row("float", 2.5)
                    .cell("python", "2.5", 2.5).cell("javascript", "2.5", 2.5)
                    .cell("r", "2.5", 2.5).cell("java", "2.5", 2.5),
            row("NaN", Double.NaN)
                    .cell("python", "float('nan')", Double.NaN).cell("javascript", "NaN", Double.NaN)
                    .cell("r", "NaN", Double.NaN).cell("java", "Double.NaN", Double.NaN),
            row("+Infinity", Double.POSITIVE_INFINITY)
                    .cell("python", "float('inf')", Double.POSITIVE_INFINITY)
                    .cell("javascript", "Infinity", Double.POSITIVE_INFINITY)
                    .cell("r", "Inf", Double.POSITIVE_INFINITY)
                    .cell("java", "Double.POSITIVE_INFINITY", Double.POSITIVE_INFINITY),
            row("-Infinity", Double.NEGATIVE_INFINITY)
                    .cell("python", "float('-inf')", Double.NEGATIVE_INFINITY)
                    .cell("javascript", "-Infinity", Double.NEGATIVE_INFINITY)
                    .cell("r", "-Inf", Double.NEGATIVE_INFINITY)
                    .cell("java", "Double.NEGATIVE_INFINITY", Double.NEGATIVE_INFINITY),
            row("string with Unicode, quotes, backslashes, newlines", TEXT)
                    .cell("python", Kernels.factory(Language.PYTHON).dialect().stringLiteral(TEXT), TEXT)
                    .cell("javascript", Kernels.factory(Language.JAVASCRIPT).dialect().stringLiteral(TEXT), TEXT)
                    .cell("r", Kernels.factory(Language.R).dialect().stringLiteral(TEXT), TEXT)
                    .cell("java", Kernels.factory(Language.JAVA).dialect().stringLiteral(TEXT), TEXT),
            row("list of mixed values", Arrays.asList(1, "two", null, 3.5))
                    .cell("python", "[1, 'two', None, 3.5]", Arrays.asList(1L, "two", null, 3.5))
                    .cell("javascript", "[1, 'two', null, 3.5]", Arrays.asList(1L, "two", null, 3.5))
                    .cell("r", "list(1L, 'two', NULL, 3.5)", Arrays.asList(1L, "two", null, 3.5))
                    .cell("java", "java.util.Arrays.asList(1, \"two\", null, 3.5)", Arrays.asList(1L, "two", null, 3.5)),
            row("list of numbers", List.of(1, 2, 3))
                    .cell("python", "[1, 2, 3]", List.of(1L, 2L, 3L))
                    .cell("javascript", "[1, 2, 3]", List.of(1L, 2L, 3L))
                    .cell("r", "c(1, 2, 3)", List.of(1L, 2L, 3L))
                    .cell("java", "java.util.List.of(1, 2, 3)", List.of(1L, 2L, 3L)),
            row("list of one", List.of(7))
                    // R has no scalars: a one-element array becomes a vector of length 1, which comes out as a scalar
                    .cell("python", "[7]", List.of(7L)).cell("javascript", "[7]", List.of(7L))
                    .cell("r", "list(7L)", List.of(7L), 7L)
                    .cell("java", "java.util.List.of(7)", List.of(7L)),
            row("empty list", List.of())
                    .cell("python", "[]", List.of()).cell("javascript", "[]", List.of())
                    .cell("r", "list()", List.of()).cell("java", "java.util.List.of()", List.of()),
            row("map", map("a", 1, "b", "x"))
                    .cell("python", "{'a': 1, 'b': 'x'}", map("a", 1L, "b", "x"))
                    .cell("javascript", "({a: 1, b: 'x'})", map("a", 1L, "b", "x"))
                    .cell("r", "list(a = 1L, b = 'x')", map("a", 1L, "b", "x"))
                    .cell("java", "java.util.Map.of(\"a\", 1, \"b\", \"x\")", map("a", 1L, "b", "x")),
            row("empty map", map())
                    .cell("python", "{}", map()).cell("javascript", "({})", map())
                    .cell("r", "setNames(list(), character(0))", map())
                    .cell("java", "java.util.Map.of()", map()),
            row("nested", map("a", List.of(1, map("b", true)), "c", Collections.singletonMap("d", null)))
                    .cell("python", "{'a': [1, {'b': True}], 'c': {'d': None}}",
                            map("a", List.of(1L, map("b", true)), "c", map("d", null)))
                    .cell("javascript", "({a: [1, {b: true}], c: {d: null}})",
                            map("a", List.of(1L, map("b", true)), "c", map("d", null)))
                    .cell("r", "list(a = list(1L, list(b = TRUE)), c = list(d = NULL))",
                            map("a", List.of(1L, map("b", true)), "c", map("d", null)))
                    .cell("java", "java.util.Map.of(\"a\", java.util.List.of(1, java.util.Map.of(\"b\", true)), "
                            + "\"c\", java.util.Collections.singletonMap(\"d\", null))",
                            map("a", List.of(1L, map("b", true)), "c", map("d", null))));

    static Stream<Arguments> cells() {
        return LANGUAGES.stream().flatMap(language -> TABLE.stream()
                .filter(row -> row.cells().containsKey(language))
                .map(row -> Arguments.of(language, row.kind(), row)));
    }

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private final Map<String, AgbScriptEngine> engines = new ConcurrentHashMap<>();
    /**
     * One Bindings object per language for all rows: each is a scope of its own, which in Java is a kernel of its
     * own, and the values are what this test is about.
     */
    private final Map<String, Bindings> bindings = new ConcurrentHashMap<>();

    @BeforeAll
    void startManager() {
        manager = kernels.manager();
    }


    private AgbScriptEngine engine(String language) {
        return engines.computeIfAbsent(language, name -> {
            ScriptEngine found = new ScriptEngineManager().getEngineByName("agb-" + name);
            org.junit.jupiter.api.Assertions.assertNotNull(found, name + " has no engine registered");
            return ((AgbScriptEngine) found).getFactory().getScriptEngine(manager);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cells")
    void valuesCrossBothWays(String language, String kind, Row row) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        Cell cell = row.cells().get(language);
        assertEquals(cell.out(), engine.eval(cell.literal()), "out of the literal " + cell.literal());

        Bindings scope = bindings.computeIfAbsent(language, name -> engine.createBindings());
        scope.put("v", row.bound());
        assertEquals(cell.roundTrip(), engine.eval("v", scope), "back from a binding of " + row.bound());
    }
}
