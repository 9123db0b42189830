package dev.agbscript.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.Language;
import dev.agbscript.testing.Kernels;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lines are the user's lines in every language (hosts such as Ant start each script with a line break), every
 * input gets an answer without costing the session its state, and {@code compile} says where a syntax error is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InputsAndLinesTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();

    private static String keep(Language language) {
        return switch (language) {
            case R -> "kept <- 'still here'";
            case JAVA -> "String kept = \"still here\";";
            default -> "kept = 'still here'";
        };
    }

    private static String syntaxErrorOnItsLine(Language language) {
        return switch (language) {
            case PYTHON -> "x = (1 +";
            case JAVASCRIPT -> "let y = ;";
            case R -> "y <- )";
            case JAVA -> "int y = ;";
        };
    }

    private static String nulInCode(Language language) {
        return switch (language) {
            case PYTHON -> "x = 1\n'\0'";
            case JAVASCRIPT -> "'a\0b'";
            case R -> "x <- 'a\0b'";
            case JAVA -> "\"a\0b\"";
        };
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void leadingBlankLinesDoNotShiftErrorLines(Language language) {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            AgbScriptException runtime = assertThrows(AgbScriptException.class, () -> engine.eval("\n\nundefined_x"));
            assertEquals(3, runtime.getLineNumber(), runtime.getMessage());
            AgbScriptException syntax = assertThrows(AgbScriptException.class,
                    () -> engine.eval("\n\n" + syntaxErrorOnItsLine(language)));
            assertTrue(syntax.error().syntax(), syntax.getMessage());
            assertEquals(3, syntax.getLineNumber(), syntax.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void codeWithANulCharacterIsAnsweredAndTheSessionKeepsItsState(Language language) throws ScriptException {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            engine.eval(keep(language));
            engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 20, ScriptContext.ENGINE_SCOPE);
            try {
                engine.eval(nulInCode(language));
            } catch (AgbScriptException answered) {
                assertFalse(answered.isTimeout(), "no answer: " + answered.getMessage());
            }
            assertEquals("still here", engine.eval("kept"));
        }
    }

    @Test
    void aThrownValueThatIsNoErrorStillHasItsLine() {
        try (AgbScriptEngine engine = kernels.engine(Language.JAVASCRIPT)) {
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("let a = 1\n  throw 'text'"));
            assertEquals(2, e.getLineNumber(), e.getMessage());
            assertEquals(3, e.getColumnNumber(), e.getMessage());
            assertTrue(e.getMessage().contains("'text'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void compileSaysWhereTheSyntaxErrorIs(Language language) {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            engine.getContext().setAttribute(ScriptEngine.FILENAME, "rule.src", ScriptContext.ENGINE_SCOPE);
            String code = switch (language) {
                case PYTHON -> "x = 1\ndef f(:\n    pass";
                case JAVASCRIPT -> "let a = 1\nlet b = ;";
                case JAVA -> "int a = 1;\nint b = ;";
                default -> "x <- 1\ny <- )";
            };
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.compile(code));
            assertTrue(e.error().syntax(), e.getMessage());
            assertEquals(2, e.getLineNumber(), e.getMessage());
            assertTrue(e.getColumnNumber() > 0, e.getMessage());
            assertEquals("rule.src", e.getFileName());
        }
    }

    @Test
    void compileAcceptsTopLevelAwaitInJavaScriptAndMagicsInPython() throws ScriptException {
        try (AgbScriptEngine js = kernels.engine(Language.JAVASCRIPT);
             AgbScriptEngine python = kernels.engine(Language.PYTHON)) {
            assertEquals(3L, js.compile("const v = await Promise.resolve(3)\nv").eval());
            assertEquals(4L, python.compile("%time x = 4\nx").eval());
        }
        try (AgbScriptEngine java = kernels.engine(Language.JAVA)) {
            assertEquals(42L, java.compile("int twice(int x) { return 2 * x; }\ntwice(21)").eval(),
                    "declarations and expressions mixed, as JShell takes them");
        }
    }
}
