package dev.agbscript.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.Language;
import dev.agbscript.testing.Kernels;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scopes as Nashorn and GraalJS keep them, in every language: a GLOBAL_SCOPE value is a variable's initial
 * value, not something that overwrites it on every eval; the engine's own scope may serve as GLOBAL_SCOPE; and
 * removing a name from the engine's scope removes the variable from the kernel.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BindingsContractTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();

    private static String increment(Language language) {
        return switch (language) {
            case R -> "counter <- counter + 1";
            case JAVA -> "counter = counter + 1;";
            default -> "counter = counter + 1";
        };
    }

    private static String defineX(Language language) {
        return switch (language) {
            case R -> "x <- 5";
            case JAVA -> "long x = 5;";
            default -> "x = 5";
        };
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aGlobalValueIsTheInitialValueAndIsSentAgainOnlyWhenTheHostChangesIt(Language language) throws ScriptException {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            Bindings global = new SimpleBindings();
            global.put("counter", 0);
            engine.getContext().setBindings(global, ScriptContext.GLOBAL_SCOPE);
            engine.eval(increment(language));
            engine.eval(increment(language));
            assertEquals(2L, ((Number) engine.eval("counter")).longValue());
            assertEquals(2L, ((Number) engine.get("counter")).longValue(), "reading sent the global value again");
            global.put("counter", 10);
            engine.eval(increment(language));
            assertEquals(11L, ((Number) engine.eval("counter")).longValue());
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void theEnginesOwnScopeCanServeAsGlobalScope(Language language) throws ScriptException {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            engine.getContext().setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE),
                    ScriptContext.GLOBAL_SCOPE);
            engine.put("limit", 3);
            engine.eval(defineX(language));
            assertEquals(3L, engine.eval("limit"));
            assertEquals(5L, ((Number) engine.getBindings(ScriptContext.GLOBAL_SCOPE).get("x")).longValue());
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void removingANameRemovesTheKernelsVariable(Language language) throws ScriptException {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            Bindings scope = engine.getBindings(ScriptContext.ENGINE_SCOPE);
            engine.eval(defineX(language));
            assertTrue(scope.containsKey("x"));
            assertEquals(5L, ((Number) scope.remove("x")).longValue());
            assertFalse(scope.containsKey("x"), "the variable stayed in the kernel");
            assertNull(engine.get("x"));
            assertThrows(AgbScriptException.class, () -> engine.eval("x"));
            assertNull(scope.remove("x"), "removing what is not there is no error");
        }
    }
}
