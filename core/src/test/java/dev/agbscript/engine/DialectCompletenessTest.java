package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agbscript.session.Completeness.Status;
import dev.agbscript.session.Language;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each language's own rules, which decide without a kernel whether a snippet is complete (a REPL's Enter). */
class DialectCompletenessTest {
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            PYTHON     | x = 1                                  | COMPLETE
            PYTHON     | def f(x):                              | INCOMPLETE
            PYTHON     | def f(x):\\n    return x               | INCOMPLETE
            PYTHON     | def f(x):\\n    return x\\n            | COMPLETE
            PYTHON     | print((1,\\n                            | INCOMPLETE
            PYTHON     | s = '''abc                             | INCOMPLETE
            PYTHON     | s = '''a ( b'''                        | COMPLETE
            PYTHON     | x = 1 + \\\\                           | INCOMPLETE
            PYTHON     | x = '(' # ( in a comment               | COMPLETE
            PYTHON     | x = 1)                                 | INVALID
            PYTHON     | @dataclass                             | INCOMPLETE
            PYTHON     | @dataclass\\nclass P:\\n    x: int\\n   | COMPLETE
            JAVASCRIPT | function f() {                         | INCOMPLETE
            JAVASCRIPT | function f() { return '}' }            | COMPLETE
            JAVASCRIPT | const s = `multi                       | INCOMPLETE
            JAVASCRIPT | // just { a comment                    | COMPLETE
            JAVA       | /* { */ int x = 1;                     | COMPLETE
            JAVA       | class A {\\n  int x;                   | INCOMPLETE
            R          | f <- function(x) {                     | INCOMPLETE
            R          | f <- function(x) {\\n  x * 2\\n}       | COMPLETE
            R          | s <- "a {                              | INCOMPLETE
            """)
    void judges(Language language, String code, Status expected) {
        String unescaped = code.replace("\\n", "\n").replace("\\\\", "\\");
        assertEquals(expected, Dialect.of(language).completeness(unescaped).status());
    }

    @ParameterizedTest(name = "{0} then {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            x = 1                          | y = 2              | true
            def f():\\n    return 1        | f()                | true
            if x:\\n    a = 1              | else:              | false
            def f():\\n    return (1,      | 2)                 | false
            x = 1                          | '    y = 2'        | false
            class A:\\n    x = 1           | # a comment        | false
            x = 1                          | @dataclass         | true
            """)
    void pythonStartsAStatementAtColumnZero(String codeSoFar, String line, boolean expected) {
        assertEquals(expected, new PythonDialect().startsStatement(codeSoFar.replace("\\n", "\n"), line));
    }
}
