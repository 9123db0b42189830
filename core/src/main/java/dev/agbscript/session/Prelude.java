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
 *   <li><b>Namespaces</b> (Python, JavaScript, R): code whose first line is the comment
 *       {@code # agb-namespace <id> <header>} ({@code // agb-namespace …} in JavaScript) runs in the namespace
 *       {@code id} (created on first use) instead of the kernel's global scope. The prelude removes that line
 *       before it compiles the code, so the code keeps its line numbers. {@code header} is a JSON object on that
 *       line, ASCII only: {@code {"seed": {name: value...}, "drop": [ids]}}; the namespaces in {@code drop} are
 *       deleted first, then the seed's values are set in the namespace. A namespace sees the global scope's
 *       functions, imports and (Python, R, and JavaScript's {@code var}s) variables, but what its code assigns
 *       stays in it: Python a module dict whose {@code __builtins__} falls through to the global scope, R an
 *       environment whose parent is the global environment, JavaScript a vm context whose non-builtin globals
 *       are the main context's, as accessors an assignment replaces. The prelude functions below work on the
 *       namespace while its code runs (so {@code call} finds its functions). After the code, also after an
 *       error or an interrupt, the prelude publishes one {@code display_data} whose only MIME type is
 *       {@link MimeBundle#AGB_NAMESPACE}: the JSON object {@code {"assigned": {name: value...}, "deleted":
 *       [names]}}, the namespace's variables (no functions, modules, classes or hidden names) that have a JSON
 *       form and differ from their seed or were not seeded, and the seeded names the code deleted. Nothing of a
 *       namespace's cell stays in the kernel's history ({@code _}, {@code Out}, {@code .Last.value}).</li>
 *   <li>Seven functions, named {@code _agb_<name>} ({@code .agb_<name>} in R, where such names are hidden from
 *       {@code ls()}), hidden from the user's variable listings:
 *     <ul>
 *       <li>{@code bind(json)}: sets a global variable for each member of the JSON object (Java: typed
 *           declarations instead);</li>
 *       <li>{@code get(name)}: evaluates to {@code {"found": false}}, {@code {"found": true, "value": V}} for a
 *           value with a JSON form, or {@code {"found": true, "text": "its text form"}} (Java: {@code get(value)}
 *           takes the variable itself); found, it may also say {@code "type"}, the language's name of the value's
 *           type, and for a table (a pandas DataFrame, an R data.frame) {@code "rows"} (a number) and
 *           {@code "columns"} (the column names);</li>
 *       <li>{@code unbind(name)}: removes the global variable if there is one (Java: the jshell tool's
 *           {@code /drop name}, which agb-jshell understands; JavaScript: a {@code let} becomes undefined);</li>
 *       <li>{@code names()}: evaluates to the sorted list of the user's global variables (no functions,
 *           modules, classes or hidden names);</li>
 *       <li>{@code functions()}: evaluates to the sorted list of the user's global functions;</li>
 *       <li>{@code call(name, jsonArgs)}: calls the global function with the arguments of the JSON array and
 *           evaluates to its result; when there is no such function it fails with an error whose message
 *           contains {@code agb-no-such-function: <name>} (Java: a direct call, which then does not compile).</li>
 *       <li>{@code namespaces()}: evaluates to the sorted list of the namespaces the kernel holds (not in
 *           Java).</li>
 *     </ul></li>
 *   <li>For moving tables between languages, where the language has tables (Python, R), and a way in for all:
 *     <ul>
 *       <li>{@code table(name)}: evaluates to {@code {"columns": [names], "records": [{column: value}]}}; fails,
 *           saying why, when the variable is no table or one of its values has no JSON form;</li>
 *       <li>{@code bind_table(name, json)}: sets the global variable to a table made of such an object (Python:
 *           a pandas DataFrame; JavaScript: the list of records; Java has none: its engine binds the list).</li>
 *     </ul></li>
 * </ul>
 */
public final class Prelude {
    /** The word after the comment sign that starts a namespace's marker line. */
    public static final String NAMESPACE_MARKER = "agb-namespace";

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
