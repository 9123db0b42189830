package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.Language;
import java.util.List;
import java.util.Optional;

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

    /**
     * Whether the code is complete by the language's own rules (brackets, strings, blocks), for when no kernel
     * can tell: none runs yet, or it answers "unknown".
     */
    Completeness completeness(String code);

    /**
     * For code read line by line from a file or a pipe, with no prompt to end a block: whether this line starts
     * a new top-level statement after the complete code so far, which then runs first. Only Python needs it:
     * there a block ends where a line starts at column 0, as in a file.
     */
    default boolean startsStatement(String codeSoFar, String line) {
        return false;
    }

    /**
     * The syntax error of code that the language's kernel cannot take at all (it would hang or lose its state
     * rather than answer), found before it is sent; empty for code the kernel answers itself.
     */
    default Optional<ExecutionError> refusal(String code) {
        return Optional.empty();
    }

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
