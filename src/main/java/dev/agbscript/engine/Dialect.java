package dev.agbscript.engine;

import dev.agbscript.session.Language;
import java.util.List;

/**
 * What the JSR-223 layer must know about one language's syntax: its names for discovery, how to write
 * the standard helper statements, and how to call the prelude's {@code _agb_bind}.
 */
interface Dialect {
    Language language();

    /** Names for {@code getEngineByName}; the first is the canonical {@code agb-<language>}. */
    List<String> names();

    List<String> extensions();

    List<String> mimeTypes();

    /** A statement that prints the string as it is. */
    String outputStatement(String text);

    String methodCallSyntax(String object, String method, String... args);

    String program(String... statements);

    /** A statement that sets the variables of a JSON object through the prelude's {@code _agb_bind}. */
    String bindStatement(String json);

    /** True when the name can be a variable of the language (other bindings are not sent). */
    boolean isIdentifier(String name);

    static Dialect of(Language language) {
        return switch (language) {
            case PYTHON -> new PythonDialect();
            case JAVA -> new JavaDialect();
            default -> throw new UnsupportedOperationException("No engine for " + language + " yet");
        };
    }
}
