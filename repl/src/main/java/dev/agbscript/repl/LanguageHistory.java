package dev.agbscript.repl;

import dev.agbscript.session.Language;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.reader.History;
import org.jline.reader.LineReader;

/**
 * The line history, kept across runs in one file, with the language each input was entered in. Up and Down
 * ({@link #previous()}, {@link #next()}) go through the current language's inputs only; Ctrl-R searches all of
 * them (it moves with {@link #moveTo} and iterates every entry).
 *
 * <p>The file has one entry a line, {@code <language>\t<epoch millis>\t<text>}, the text with newlines,
 * carriage returns and backslashes escaped as JLine does. Each input is appended as it is entered, so REPLs
 * running at the same time all keep theirs. Lines in JLine's own format ({@code <millis>:<text>}, the history of
 * earlier versions) count as inputs of every language.
 */
final class LanguageHistory implements History {
    static final int MAX_ENTRIES = 10_000;

    /** One input: its position in the history, when, what, and in which language (null: any). */
    record Item(int index, Instant time, String line, Language language) implements Entry {}

    private final Path file;
    private final Supplier<Language> current;
    private final List<Item> items = new ArrayList<>();
    private int index;
    private boolean loaded;
    private int linesInFile;

    /** @param current the language Up and Down keep to */
    LanguageHistory(Path file, Supplier<Language> current) {
        this.file = file;
        this.current = current;
    }

    @Override
    public void attach(LineReader reader) {
        if (!loaded) {
            try {
                load();
            } catch (IOException e) {
                // no history from earlier runs: a convenience, not a reason to fail
            }
        }
    }

    @Override
    public void load() throws IOException {
        loaded = true;
        items.clear();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            linesInFile = lines.size();
            for (String line : lines.subList(Math.max(0, lines.size() - MAX_ENTRIES), lines.size())) {
                parse(line);
            }
        }
        index = items.size();
    }

    private void parse(String line) {
        String[] fields = line.split("\t", 3);
        try {
            if (fields.length == 3) {
                append(Instant.ofEpochMilli(Long.parseLong(fields[1])), unescape(fields[2]), Language.of(fields[0]));
                return;
            }
            int colon = line.indexOf(':');
            append(Instant.ofEpochMilli(Long.parseLong(line.substring(0, colon))), unescape(line.substring(colon + 1)),
                    null);
        } catch (RuntimeException e) {
            // a line that is neither format (an unknown language, a broken line) is skipped
        }
    }

    private void append(Instant time, String line, Language language) {
        items.add(new Item(items.size(), time, line, language));
    }

    /**
     * Adds an input of the current language and appends it to the file at once. Language switches are not kept:
     * Up would bring back {@code /r} before the language's last code.
     */
    @Override
    public void add(Instant time, String line) {
        Objects.requireNonNull(line);
        Language language = current.get();
        if (line.isBlank() || Commands.isLanguageSwitch(line)
                || lastOf(language).filter(item -> item.line().equals(line)).isPresent()) {
            index = items.size();
            return;
        }
        append(time, line, language);
        index = items.size();
        try {
            write(List.of(items.get(items.size() - 1)), StandardOpenOption.APPEND);
            if (++linesInFile > MAX_ENTRIES + MAX_ENTRIES / 4) {
                trim();
            }
        } catch (IOException e) {
            // kept in memory for this run
        }
    }

    private Optional<Item> lastOf(Language language) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (belongs(items.get(i), language)) {
                return Optional.of(items.get(i));
            }
        }
        return Optional.empty();
    }

    private static boolean belongs(Item item, Language language) {
        return item.language() == null || item.language() == language;
    }

    /** Keeps the newest entries of the file (other REPLs may have added some since this one loaded it). */
    private void trim() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = lines.subList(Math.max(0, lines.size() - MAX_ENTRIES), lines.size());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        Files.write(temporary, kept, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        linesInFile = kept.size();
    }

    private void write(List<Item> entries, StandardOpenOption mode) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, mode)) {
            for (Item item : entries) {
                String millis = String.valueOf(item.time().toEpochMilli());
                out.write(item.language() == null ? millis + ":" + escape(item.line()) + "\n"
                        : item.language().id() + "\t" + millis + "\t" + escape(item.line()) + "\n");
            }
        }
    }

    /** Every input is in the file already. */
    @Override
    public void save() {}

    @Override
    public void write(Path file, boolean incremental) throws IOException {
        new LanguageHistory(file, current).write(items, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void append(Path file, boolean incremental) throws IOException {
        new LanguageHistory(file, current).write(items, StandardOpenOption.APPEND);
    }

    @Override
    public void read(Path file, boolean checkDuplicates) throws IOException {
        LanguageHistory other = new LanguageHistory(file, current);
        other.load();
        for (Item item : other.items) {
            append(item.time(), item.line(), item.language());
        }
        index = items.size();
    }

    @Override
    public void purge() throws IOException {
        items.clear();
        index = 0;
        Files.deleteIfExists(file);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int first() {
        return 0;
    }

    @Override
    public int last() {
        return items.size() - 1;
    }

    @Override
    public String get(int index) {
        return items.get(index).line();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ListIterator<Entry> iterator(int index) {
        return (ListIterator) Collections.unmodifiableList(items).listIterator(index);
    }

    @Override
    public String current() {
        return index < items.size() ? items.get(index).line() : "";
    }

    /** Up: the previous input of the current language. */
    @Override
    public boolean previous() {
        Language language = current.get();
        for (int i = index - 1; i >= 0; i--) {
            if (belongs(items.get(i), language)) {
                index = i;
                return true;
            }
        }
        return false;
    }

    /** Down: the next input of the current language, else the line being written. */
    @Override
    public boolean next() {
        if (index >= items.size()) {
            return false;
        }
        Language language = current.get();
        int i = index + 1;
        while (i < items.size() && !belongs(items.get(i), language)) {
            i++;
        }
        index = i;
        return true;
    }

    @Override
    public boolean moveToFirst() {
        return index != 0 && moveTo(0);
    }

    @Override
    public boolean moveToLast() {
        return index != items.size() - 1 && moveTo(items.size() - 1);
    }

    @Override
    public boolean moveTo(int index) {
        if (index < 0 || index >= items.size()) {
            return false;
        }
        this.index = index;
        return true;
    }

    @Override
    public void moveToEnd() {
        index = items.size();
    }

    @Override
    public void resetIndex() {
        index = Math.min(index, items.size());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
