package dev.agbscript.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The code every backend runs silently in a new kernel before any user code: it installs the value
 * protocol ({@link MimeBundle#AGB_VALUE}) and {@code _agb_bind(json)}, which sets variables from a JSON
 * object. One resource per language, {@code prelude/<language>.*}.
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
