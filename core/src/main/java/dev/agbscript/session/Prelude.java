package dev.agbscript.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The code every backend runs silently in a new kernel before any user code: one resource per language,
 * {@code prelude/<language>.*}, none for Java, whose kernel (agb-jshell) has the same functions built in. This is
 * the one contract between the engines and the kernels; the engine writes its calls through each language's
 * {@code PreludeCalls}. Every kernel then provides:
 * <ul>
 *   <li><b>The value protocol</b>: a main result (the value of the cell's last expression) whose value has a
 *       JSON form also carries {@link MimeBundle#AGB_VALUE}, its JSON (NaN and infinities as the tokens
 *       {@code NaN}, {@code Infinity}, {@code -Infinity}; integers exact).</li>
 *   <li>Six functions, named {@code _agb_<name>} ({@code .agb_<name>} in R, where such names are hidden from
 *       {@code ls()}), hidden from the user's variable listings:
 *     <ul>
 *       <li>{@code bind(json)}: sets a global variable for each member of the JSON object (Java: typed
 *           declarations instead);</li>
 *       <li>{@code get(name)}: evaluates to {@code {"found": false}}, {@code {"found": true, "value": V}} for a
 *           value with a JSON form, or {@code {"found": true, "text": "its text form"}} (Java: {@code get(value)}
 *           takes the variable itself);</li>
 *       <li>{@code unbind(name)}: removes the global variable if there is one (Java: the jshell tool's
 *           {@code /drop name}, which agb-jshell understands; JavaScript: a {@code let} becomes undefined);</li>
 *       <li>{@code names()}: evaluates to the sorted list of the user's global variables (no functions,
 *           modules, classes or hidden names);</li>
 *       <li>{@code functions()}: evaluates to the sorted list of the user's global functions;</li>
 *       <li>{@code call(name, jsonArgs)}: calls the global function with the arguments of the JSON array and
 *           evaluates to its result; when there is no such function it fails with an error whose message
 *           contains {@code agb-no-such-function: <name>} (Java: a direct call, which then does not compile).</li>
 *     </ul></li>
 * </ul>
 */
public final class Prelude {
    private Prelude() {}

    /** The prelude of that language, or empty when the language needs none. */
    public static Optional<String> of(Language language) {
        for (String extension : new String[] {".py", ".js", ".java", ".R"}) {
            try (InputStream in = Prelude.class.getResourceAsStream("prelude/" + language.id() + extension)) {
                if (in != null) {
                    return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the " + language + " prelude", e);
            }
        }
        return Optional.empty();
    }
}
