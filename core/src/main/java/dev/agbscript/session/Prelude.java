package dev.agbscript.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The code every backend runs silently in a new kernel before any user code. One resource per language,
 * {@code prelude/<language>.*}. Every prelude provides:
 * <ul>
 *   <li><b>The value protocol</b>: a main result (the value of the cell's last expression) whose value has a
 *       JSON form also carries {@link MimeBundle#AGB_VALUE}, its JSON (NaN and infinities as the tokens
 *       {@code NaN}, {@code Infinity}, {@code -Infinity}; integers exact).</li>
 *   <li>Four functions, named {@code _agb_<name>} ({@code .agb_<name>} in R, where names cannot start with an
 *       underscore), taking strings, hidden from the user's variable listings:
 *     <ul>
 *       <li>{@code bind(json)}: sets a global variable for each member of the JSON object;</li>
 *       <li>{@code get(name)}: evaluates to {@code {"found": false}}, {@code {"found": true, "value": V}} for a
 *           value with a JSON form, or {@code {"found": true, "text": "its text form"}};</li>
 *       <li>{@code names()}: evaluates to the sorted list of the user's global variables (no functions,
 *           modules, classes or hidden names);</li>
 *       <li>{@code call(name, jsonArgs)}: calls the global function with the arguments of the JSON array and
 *           evaluates to its result; when there is no such function it fails with an error whose message
 *           contains {@code agb-no-such-function: <name>}.</li>
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
