package dev.agbscript.session;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The four languages an AGB sandbox runs, with the aliases of the official SDK
 * ({@code py}, {@code python3} → python; {@code js}, {@code node}, {@code nodejs} → javascript).
 */
public enum Language {
    PYTHON("python", "Python"),
    JAVASCRIPT("javascript", "JavaScript"),
    JAVA("java", "Java"),
    R("r", "R");

    private static final Map<String, Language> ALIASES = Map.of(
            "py", PYTHON,
            "python3", PYTHON,
            "js", JAVASCRIPT,
            "node", JAVASCRIPT,
            "nodejs", JAVASCRIPT);

    private final String id;
    private final String displayName;

    Language(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The wire name the AGB API uses: {@code python}, {@code javascript}, {@code java}, {@code r}. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /**
     * Resolves a name or alias, trimmed and case-insensitive.
     *
     * @throws UnsupportedLanguageException naming the supported languages
     */
    public static Language of(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (Language language : values()) {
                if (language.id.equals(key)) {
                    return language;
                }
            }
            Language aliased = ALIASES.get(key);
            if (aliased != null) {
                return aliased;
            }
        }
        throw new UnsupportedLanguageException(name);
    }

    /** {@code "java, javascript, python, r"}, as the SDK's error message lists them. */
    static String supportedList() {
        return Arrays.stream(values()).map(Language::id).sorted().collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
