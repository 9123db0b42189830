package dev.agbscript.repl;

import dev.agbscript.session.Language;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line asking what a name is: {@code ?name} or {@code name?} (doubled for more detail, IPython's {@code ??}).
 * IPython answers these itself, and so does R for {@code ?name}, its own help syntax; for the other forms and
 * languages the REPL asks the kernel ({@code inspect_request}) and shows the answer.
 */
record HelpRequest(String name, boolean detailed) {
    /** A dotted name, as in {@code Math.max} or {@code df.head}, with nothing but spaces around the question marks. */
    private static final Pattern BEFORE = Pattern.compile("^\\s*(\\?\\??)\\s*([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*$");
    private static final Pattern AFTER = Pattern.compile("^\\s*([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*(\\?\\??)\\s*$");

    /** The help request this line is, when the REPL (not the kernel) answers it in that language. */
    static Optional<HelpRequest> parse(Language language, String line) {
        if (language == Language.PYTHON) {
            return Optional.empty(); // IPython's own ? and ?? show more than an inspect_request
        }
        Matcher before = BEFORE.matcher(line);
        if (before.matches() && language != Language.R) { // ?name is R's own help
            return Optional.of(new HelpRequest(before.group(2), before.group(1).length() == 2));
        }
        Matcher after = AFTER.matcher(line);
        if (after.matches()) {
            return Optional.of(new HelpRequest(after.group(1), after.group(2).length() == 2));
        }
        return Optional.empty();
    }
}
