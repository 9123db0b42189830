package dev.agbscript.engine;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Session;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;

/**
 * Where an eval runs whose ENGINE_SCOPE is a Bindings object other than the engine's own: in a scope of that object's,
 * as Nashorn and GraalJS make it a global of its own. The scope starts from the host's values (GLOBAL_SCOPE, then the
 * Bindings object's), sees the session's shared state where the language allows it, keeps what the code defines for
 * the next eval with the same object, and is freed once the object is collected. What the code assigns is written
 * back into the Bindings object.
 */
interface BindingsScopes {
    /**
     * Runs the code in the scope of the context's ENGINE_SCOPE and writes what it assigned back into it.
     *
     * @param use    the engine's session, in use for this eval
     * @param silent housekeeping (a function call), not the host's code
     */
    ExecutionResult execute(Session.Use use, ScriptContext context, String code, Duration timeout, boolean silent,
            ExecutionListener listener) throws InterruptedException, ScriptException;

    /** Interrupts the code running in a scope outside the engine's session, if any. */
    default boolean interrupt() {
        return false;
    }

    /** Frees what the scopes hold outside the engine's session (the engine is closing). */
    void close();

    static BindingsScopes of(Dialect dialect, KernelVariables variables, Bindings engineScope,
            java.util.function.Supplier<dev.agbscript.session.SessionManager> manager) {
        return dialect.prelude().namespaces().isPresent()
                ? new Namespaces(dialect, variables, engineScope)
                : new PrivateSessions(dialect, variables, engineScope, manager);
    }

    /** Puts what the code assigned into the Bindings object and removes the names it deleted (that it has). */
    static void writeBack(Bindings scope, Map<String, Object> assigned, Collection<String> deleted) {
        assigned.forEach(scope::put);
        for (String name : deleted) {
            if (scope.containsKey(name)) {
                scope.remove(name);
            }
        }
    }
}
