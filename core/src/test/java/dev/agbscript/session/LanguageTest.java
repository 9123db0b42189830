package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageTest {
    @ParameterizedTest
    @CsvSource({
        "python, PYTHON", "py, PYTHON", "python3, PYTHON", " PYTHON , PYTHON", "Py, PYTHON",
        "javascript, JAVASCRIPT", "js, JAVASCRIPT", "node, JAVASCRIPT", "NodeJS, JAVASCRIPT",
        "java, JAVA", "JAVA, JAVA", "r, R", "R, R"
    })
    void resolvesNamesAndTheSdkAliases(String name, Language expected) {
        assertEquals(expected, Language.of(name));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"cobol", "typescript", "python2", "ts", "jav"})
    void rejectsUnknownLanguagesListingTheSupportedOnes(String name) {
        UnsupportedLanguageException e = assertThrows(UnsupportedLanguageException.class, () -> Language.of(name));
        assertTrue(e.getMessage().startsWith("Unsupported language: " + name + "."), e.getMessage());
        assertTrue(e.getMessage().contains("java, javascript, python, r"), e.getMessage());
    }

    @Test
    void wireNamesAreTheSdksNames() {
        assertEquals("python", Language.PYTHON.id());
        assertEquals("javascript", Language.JAVASCRIPT.id());
        assertEquals("java", Language.JAVA.id());
        assertEquals("r", Language.R.id());
    }
}
