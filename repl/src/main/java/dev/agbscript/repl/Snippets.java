package dev.agbscript.repl;

import dev.agbscript.session.Language;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was entered in this REPL: every input in order (for {@code /history}) and, per language, the
 * snippets of code run since that language's last reset, numbered from 1 (for the prompt, {@code /list},
 * {@code /save}, {@code /!} and {@code /-n}).
 */
final class Snippets {
    /** One input (line, snippet or command), in the language that was current when it was entered. */
    record Input(Language language, String text) {}

    /** One snippet of code that was run, and whether it ran without error. */
    record Snippet(int number, String code, boolean succeeded) {}

    private final List<Input> inputs = new ArrayList<>();
    private final Map<Language, List<Snippet>> code = new EnumMap<>(Language.class);

    synchronized void recordInput(Language language, String text) {
        inputs.add(new Input(language, text));
    }

    synchronized void recordCode(Language language, String snippet, boolean succeeded) {
        List<Snippet> list = code.computeIfAbsent(language, l -> new ArrayList<>());
        list.add(new Snippet(list.size() + 1, snippet, succeeded));
    }

    synchronized List<Input> inputs() {
        return List.copyOf(inputs);
    }

    synchronized List<Snippet> code(Language language) {
        return List.copyOf(code.getOrDefault(language, List.of()));
    }

    /** The number the next snippet of that language gets. */
    synchronized int nextNumber(Language language) {
        return code.getOrDefault(language, List.of()).size() + 1;
    }

    /** The n-th previous snippet of the language (1 = the last). */
    synchronized Optional<Snippet> previous(Language language, int n) {
        List<Snippet> list = code.getOrDefault(language, List.of());
        return n >= 1 && n <= list.size() ? Optional.of(list.get(list.size() - n)) : Optional.empty();
    }

    synchronized void reset(Language language) {
        code.remove(language);
    }
}
