package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionManager;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * A JSR-223 engine for one language. It holds no kernel: every eval goes to a {@link Session} of the
 * {@link SessionManager}. By default each engine has a private session of its own (two engines never
 * share variables); setting the context attribute {@value #SESSION} to a name makes engines share the
 * named session, as the REPL does.
 *
 * <p>Before each eval, the ENGINE_SCOPE and GLOBAL_SCOPE bindings whose values have a JSON form become
 * variables of the script (engine scope wins); the value of the last expression comes back typed as
 * {@link ValueCodec} describes, or as its text when it has no JSON form; stdout and stderr reach the
 * context's writers while the code runs.
 */
public final class AgbScriptEngine extends AbstractScriptEngine implements AutoCloseable {
    /** Context attribute: the name of a shared session to use instead of the engine's private one. */
    public static final String SESSION = "agb.session";
    /** Context attribute: the time limit of an eval, as a {@link Duration} or a number of seconds. */
    public static final String TIMEOUT = "agb.timeout";

    private static final Logger LOG = Logger.getLogger(AgbScriptEngine.class.getName());

    private final AgbScriptEngineFactory factory;
    private final Dialect dialect;
    private final SessionManager manager;
    private final ReentrantLock evalLock = new ReentrantLock(true);
    private final Set<String> warnedBindings = ConcurrentHashMap.newKeySet();
    private Session session;
    private boolean ownsSession;
    private volatile boolean closed;

    AgbScriptEngine(AgbScriptEngineFactory factory, SessionManager manager) {
        this.factory = factory;
        this.dialect = factory.dialect();
        this.manager = manager;
    }

    public Language language() {
        return dialect.language();
    }

    @Override
    public Object eval(Reader reader, ScriptContext context) throws ScriptException {
        if (reader == null) {
            throw new NullPointerException("reader is null");
        }
        StringBuilder code = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                code.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw (ScriptException) new ScriptException("Cannot read the script: " + e.getMessage()).initCause(e);
        }
        return eval(code.toString(), context);
    }

    @Override
    public Object eval(String script, ScriptContext context) throws ScriptException {
        if (script == null || context == null) {
            throw new NullPointerException(script == null ? "script is null" : "context is null");
        }
        ExecutionResult result = execute(script, context);
        return value(result);
    }

    /**
     * Runs the code like {@link #eval(String, ScriptContext)} and returns the whole result: every MIME
     * output, the logs and the error. An error of the code is in the result, not thrown.
     */
    public ExecutionResult execute(String script, ScriptContext context) throws ScriptException {
        checkOpen();
        Writer out = context.getWriter();
        Writer err = context.getErrorWriter();
        ExecutionListener streams = new ExecutionListener() {
            @Override
            public void onStdout(String chunk) {
                write(out, chunk);
            }

            @Override
            public void onStderr(String chunk) {
                write(err, chunk);
            }
        };
        try {
            Duration timeout = timeout(context);
            evalLock.lockInterruptibly();
            try {
                Session target = session(context);
                sendBindings(target, context, timeout);
                ExecutionResult result = target.execute(
                        new ExecutionRequest(dialect.language(), script, timeout, false), streams);
                Optional<ExecutionError> error = result.error();
                if (error.isPresent()) {
                    throw new AgbScriptException(error.get(), result, fileName(context));
                }
                return result;
            } finally {
                evalLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptException("Interrupted: the running " + dialect.language().displayName()
                    + " code was interrupted");
        } catch (SessionException | IllegalArgumentException e) {
            throw (ScriptException) new ScriptException(e.getMessage()).initCause(e);
        }
    }

    private void sendBindings(Session target, ScriptContext context, Duration timeout)
            throws InterruptedException, ScriptException {
        Map<String, Object> variables = new LinkedHashMap<>();
        collect(context.getBindings(ScriptContext.GLOBAL_SCOPE), variables);
        collect(context.getBindings(ScriptContext.ENGINE_SCOPE), variables);
        if (variables.isEmpty()) {
            return;
        }
        String json = ValueCodec.toJson(variables);
        ExecutionResult result = target.execute(
                new ExecutionRequest(dialect.language(), dialect.preludeCall("bind", json), timeout, true),
                ExecutionListener.NONE);
        if (!result.success()) {
            throw new AgbScriptException(result.error().get(), result, "<bindings>");
        }
    }

    /**
     * Adds the bindings that can cross. Skipped silently: {@code javax.script.*} and {@code agb.*} keys,
     * names that are no identifier of the language, and the host's own scripting objects (engines,
     * contexts, bindings: jrunscript binds {@code engine}). Skipped with a warning, once per name: any
     * other value without a JSON form.
     */
    private void collect(Bindings bindings, Map<String, Object> into) {
        if (bindings == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : bindings.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (name.startsWith("javax.script.") || name.startsWith("agb.") || !dialect.isIdentifier(name)
                    || value instanceof ScriptEngine || value instanceof ScriptContext || value instanceof Bindings) {
                continue;
            }
            try {
                ValueCodec.toJson(value); // checks it has a JSON form
                into.put(name, value);
            } catch (ValueCodec.UnrepresentableValueException e) {
                if (warnedBindings.add(name)) {
                    LOG.warning("Binding '" + name + "' is not passed to " + dialect.language().displayName()
                            + ": " + e.getMessage());
                }
            }
        }
    }

    private static Object value(ExecutionResult result) {
        Optional<MimeBundle> main = result.mainResult();
        if (main.isEmpty()) {
            return null;
        }
        String json = main.get().valueJson();
        return json != null ? ValueCodec.fromJson(json) : main.get().text();
    }

    private synchronized Session session(ScriptContext context) {
        if (session == null || session.isClosed()) {
            Object name = context.getAttribute(SESSION);
            ownsSession = name == null;
            session = name == null ? manager.newSession() : manager.session(name.toString());
        }
        return session;
    }

    private static Duration timeout(ScriptContext context) {
        Object value = context.getAttribute(TIMEOUT);
        if (value == null) {
            return ExecutionRequest.DEFAULT_TIMEOUT;
        }
        if (value instanceof Duration duration) {
            return duration;
        }
        try {
            double seconds = value instanceof Number number ? number.doubleValue()
                    : Double.parseDouble(value.toString().trim());
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT + " must be a Duration or a number of seconds, not '"
                    + value + "'");
        }
    }

    private static String fileName(ScriptContext context) {
        Object name = context.getAttribute(ScriptEngine.FILENAME);
        return name == null ? "<eval>" : name.toString();
    }

    private static void write(Writer writer, String chunk) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(chunk);
            writer.flush();
        } catch (IOException e) {
            LOG.warning("Cannot write script output: " + e.getMessage());
        }
    }

    /** What runs this engine's language, once its kernel has started. */
    public Optional<String> languageVersion() {
        Session current;
        synchronized (this) {
            current = session;
        }
        return current == null ? Optional.empty() : current.languageVersion(dialect.language());
    }

    /** Whether the code is complete or needs more lines, as the kernel judges it (for REPLs). */
    public Completeness isComplete(String code) {
        checkOpen();
        return session(getContext()).isComplete(dialect.language(), code);
    }

    /** Completions at the cursor (a character offset into the code), from the kernel. */
    public Completions complete(String code, int cursor) {
        checkOpen();
        return session(getContext()).complete(dialect.language(), code, cursor);
    }

    /** Throws away this engine's kernel state (of its language, in its session); the next eval starts afresh. */
    public void restart() throws InterruptedException {
        checkOpen();
        session(getContext()).restart(dialect.language());
    }

    /** The session this engine runs in (created if need be), for hosts that show or manage it. */
    public Session session() {
        checkOpen();
        return session(getContext());
    }

    /** Interrupts the code this engine runs now, if any. */
    public boolean interrupt() {
        Session current;
        synchronized (this) {
            current = session;
        }
        return current != null && current.interrupt(dialect.language());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This " + factory.getEngineName() + " engine is closed");
        }
    }

    @Override
    public Bindings createBindings() {
        return new SimpleBindings();
    }

    @Override
    public AgbScriptEngineFactory getFactory() {
        return factory;
    }

    /** Deletes the engine's private session; a shared named session stays. Idempotent. */
    @Override
    public void close() {
        Session toClose;
        synchronized (this) {
            closed = true;
            toClose = ownsSession ? session : null;
            session = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }
}
