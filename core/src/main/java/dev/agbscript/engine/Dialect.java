package dev.agbscript.engine;

import dev.agbscript.session.Language;
import java.util.List;

/**
 * What the JSR-223 layer knows about one language: its names for discovery, how to write the standard helper
 * statements and string literals, which names are identifiers, and how it calls the prelude ({@link #prelude()}).
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

    /** How this language calls the prelude's functions (reading variables, binding, calling). */
    PreludeCalls prelude();

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
