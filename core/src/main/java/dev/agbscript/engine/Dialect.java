package dev.agbscript.engine;

import dev.agbscript.session.Language;
import java.util.List;

/**
 * What the JSR-223 layer must know about one language's syntax: its names for discovery, how to write
 * the standard helper statements, and how to call the prelude's {@code _agb_bind}.
 */
public interface Dialect {
    Language language();

    /** Names for {@code getEngineByName}; the first is the canonical {@code agb-<language>}. */
    List<String> names();

    List<String> extensions();

    List<String> mimeTypes();

    /** A statement that prints the string as it is. */
    String outputStatement(String text);

    String methodCallSyntax(String object, String method, String... args);

    String program(String... statements);

    /** A string literal of the language that evaluates to exactly this text. */
    String stringLiteral(String text);

    /** The name of a prelude function: {@code _agb_bind} for {@code bind} (see {@code Prelude}). */
    default String preludeFunction(String name) {
        return "_agb_" + name;
    }

    /** A call of a prelude function with string arguments, e.g. {@code _agb_bind("{\"x\": 1}")}. */
    default String preludeCall(String function, String... arguments) {
        StringBuilder call = new StringBuilder(preludeFunction(function)).append('(');
        for (int i = 0; i < arguments.length; i++) {
            call.append(i == 0 ? "" : ", ").append(stringLiteral(arguments[i]));
        }
        return call.append(')').toString();
    }

    /**
     * True when {@code preludeCall("functions")} lists the functions (Java, whose methods are no values);
     * otherwise a function is found with {@code get}, like any variable.
     */
    default boolean listsFunctions() {
        return false;
    }

    /** True when the error says the function called through {@code call} does not exist. */
    default boolean isMissingFunction(dev.agbscript.session.ExecutionError error) {
        return error.message().contains("agb-no-such-function");
    }

    /** True when the name can be a variable of the language (other bindings are not sent). */
    boolean isIdentifier(String name);

    static Dialect of(Language language) {
        return switch (language) {
            case PYTHON -> new PythonDialect();
            case JAVASCRIPT -> new JavaScriptDialect();
            case JAVA -> new JavaDialect();
            case R -> new RDialect();
            default -> throw new UnsupportedOperationException("No engine for " + language + " yet");
        };
    }
}
