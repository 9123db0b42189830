package dev.agbscript.cloud;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;

/**
 * The agb-python engine on a cloud backend pointed at a {@link FakeAgbService}: what an eval returns or
 * throws, and what reaches the context's writers.
 */
final class EngineRun implements AutoCloseable {
    final FakeAgbService fake;
    final CloudBackend backend;
    final SessionManager manager;
    final AgbScriptEngine engine;

    EngineRun(FakeAgbService fake, CloudConfig config) {
        this.fake = fake;
        this.backend = new CloudBackend(config);
        this.manager = SessionManager.create(backend);
        this.engine = new PythonEngineFactory().getScriptEngine(manager);
    }

    /** One eval: its value or its exception, and the writers' text. */
    record Outcome(Object value, ScriptException error, String out, String err) {
        /** The result an {@link AgbScriptException} carries. */
        ExecutionResult failedResult() {
            return ((AgbScriptException) error).result();
        }
    }

    /**
     * Writers of the run's own on the engine's own scope: other bindings would be a scope of their own (a namespace,
     * whose protocol a fixture of the service does not speak), and these runs are about the service's answers.
     */
    private ScriptContext context() {
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        return context;
    }

    Outcome eval(String code) {
        ScriptContext context = context();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        context.setWriter(out);
        context.setErrorWriter(err);
        try {
            Object value = engine.eval(code, context);
            return new Outcome(value, null, out.toString(), err.toString());
        } catch (ScriptException e) {
            return new Outcome(null, e, out.toString(), err.toString());
        }
    }

    /** The whole result of a run (also of one that failed in the code). */
    ExecutionResult result(String code) throws ScriptException {
        ScriptContext quiet = context();
        quiet.setWriter(new StringWriter());
        quiet.setErrorWriter(new StringWriter());
        try {
            return engine.execute(code, quiet);
        } catch (AgbScriptException e) {
            return e.result();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
