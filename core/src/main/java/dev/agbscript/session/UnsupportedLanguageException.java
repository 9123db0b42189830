package dev.agbscript.session;

/** A language name that is neither a supported language nor one of its aliases. */
public final class UnsupportedLanguageException extends IllegalArgumentException {
    public UnsupportedLanguageException(String requested) {
        super("Unsupported language: " + requested + ". Supported languages are " + Language.supportedList()
                + " (aliases: py, python3, js, node, nodejs)");
    }
}
