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
import dev.agbscript.session.ValueJson;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * A JSR-223 engine for one language. It holds no kernel: every eval goes to a {@link Session} of the
 * {@link SessionManager}. By default each engine has a private session of its own (two engines never share
 * variables); setting the context attribute {@value #SESSION} to a name makes engines share that named
 * session, as the REPL does.
 *
 * <p>Values cross as {@link ValueJson} describes. The engine's own ENGINE_SCOPE is a live view of the
 * kernel's variables ({@link KernelBindings}): {@code engine.get("result")} reads what the script defined.
 * Bindings of other scopes (GLOBAL_SCOPE, or bindings passed to one eval) are sent before each eval.
 * stdout and stderr reach the context's writers while the code runs; an {@link ExecutionListener} in the
 * context attribute {@value #LISTENER} sees every output, result and error as it happens.
 *
 * <p>Thread-safe: evals, calls and reads of one engine run one at a time, in arrival order.
 */
public final class AgbScriptEngine extends AbstractScriptEngine implements Compilable, Invocable, AutoCloseable {
    /** Context attribute: the name of a shared session to use instead of the engine's private one. */
    public static final String SESSION = "agb.session";
    /** Context attribute: the time limit of an eval, as a {@link Duration} or a number of seconds. */
    public static final String TIMEOUT = "agb.timeout";
    /** Context attribute: an {@link ExecutionListener} told of outputs, results and errors as they happen. */
    public static final String LISTENER = "agb.listener";

    private static final Logger LOG = Logger.getLogger(AgbScriptEngine.class.getName());
    /**
     * The JDK's jrunscript evaluates its own {@code init.js} under this name in every engine that lists the
     * {@code js} extension. It is written for Nashorn (JSAdapter, Packages) and only defines jrunscript's shell
     * helpers, so on Node.js it is skipped.
     */
    private static final String JRUNSCRIPT_INIT = "<system-init>";

    private final AgbScriptEngineFactory factory;
    private final Dialect dialect;
    private final SessionManager manager;
    private final ReentrantLock evalLock = new ReentrantLock(true);
    private final Set<String> warnedBindings = ConcurrentHashMap.newKeySet();
    private final KernelView kernelView = new KernelView();
    private final KernelBindings engineScope;
    private Session session;
    private boolean ownsSession;
    private volatile boolean closed;

    AgbScriptEngine(AgbScriptEngineFactory factory, SessionManager manager) {
        this.factory = factory;
        this.dialect = factory.dialect();
        this.manager = manager;
        this.engineScope = new KernelBindings(kernelView);
        getContext().setBindings(engineScope, ScriptContext.ENGINE_SCOPE);
    }

    public Language language() {
        return dialect.language();
    }

    // ---- ScriptEngine ----

    @Override
    public Object eval(Reader reader, ScriptContext context) throws ScriptException {
        if (dialect.language() == Language.JAVASCRIPT && JRUNSCRIPT_INIT.equals(context.getAttribute(FILENAME))) {
            return null;
        }
        return eval(read(reader), context);
    }

    @Override
    public Object eval(String script, ScriptContext context) throws ScriptException {
        return value(execute(script, context));
    }

    /**
     * Runs the code like {@link #eval(String, ScriptContext)} and returns the whole result: every MIME
     * output, the logs, execution count and time.
     *
     * @throws AgbScriptException when the code raised an error or timed out; the result is in it
     */
    public ExecutionResult execute(String script, ScriptContext context) throws ScriptException {
        if (script == null || context == null) {
            throw new NullPointerException(script == null ? "script is null" : "context is null");
        }
        return run(script, context, false);
    }

    private ExecutionResult run(String code, ScriptContext context, boolean housekeeping) throws ScriptException {
        checkOpen();
        ExecutionListener listener = listener(context);
        try {
            Duration timeout = timeout(context);
            evalLock.lockInterruptibly();
            try {
                Session target = session(context);
                sendBindings(target, context, timeout);
                ExecutionResult result;
                try {
                    result = target.execute(new ExecutionRequest(dialect.language(), code, timeout, housekeeping),
                            listener);
                } finally {
                    engineScope.kernelChanged();
                }
                factory.observedLanguageVersion(target.languageVersion(dialect.language()));
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

    /** The context's writers, plus the listener the host put in {@value #LISTENER}, if any. */
    private static ExecutionListener listener(ScriptContext context) {
        Writer out = context.getWriter();
        Writer err = context.getErrorWriter();
        ExecutionListener host = context.getAttribute(LISTENER) instanceof ExecutionListener l ? l : ExecutionListener.NONE;
        return new ExecutionListener() {
            @Override
            public void onStdout(String chunk) {
                write(out, chunk);
                host.onStdout(chunk);
            }

            @Override
            public void onStderr(String chunk) {
                write(err, chunk);
                host.onStderr(chunk);
            }

            @Override
            public void onResult(MimeBundle result) {
                host.onResult(result);
            }

            @Override
            public void onError(ExecutionError error) {
                host.onError(error);
            }
        };
    }

    // ---- Bindings ----

    private void sendBindings(Session target, ScriptContext context, Duration timeout)
            throws InterruptedException, ScriptException {
        Map<String, String> variables = new LinkedHashMap<>();
        collect(context.getBindings(ScriptContext.GLOBAL_SCOPE), variables);
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        collect(scope == engineScope ? engineScope.takeUnsent() : scope, variables);
        if (variables.isEmpty()) {
            return;
        }
        StringBuilder json = new StringBuilder("{");
        variables.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append(ValueJson.write(name))
                .append(':').append(value));
        ExecutionResult result = target.execute(new ExecutionRequest(dialect.language(),
                dialect.preludeCall("bind", json.append('}').toString()), timeout, true), ExecutionListener.NONE);
        if (!result.success()) {
            throw new AgbScriptException(result.error().get(), result, "<bindings>");
        }
    }

    /**
     * Adds the JSON of each binding that can cross. Skipped silently: {@code javax.script.*} and {@code agb.*} keys,
     * names that are no identifier of the language, and the host's own scripting objects (engines,
     * contexts, bindings: jrunscript binds {@code engine}). Skipped with a warning, once per name: any
     * other value without a JSON form.
     */
    private void collect(Map<String, Object> bindings, Map<String, String> into) {
        if (bindings == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : bindings.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (!isVariableName(name) || value instanceof ScriptEngine || value instanceof ScriptContext
                    || value instanceof Bindings) {
                continue;
            }
            try {
                into.put(name, ValueJson.write(value)); // written once; throws when it has no JSON form
            } catch (ValueJson.UnrepresentableValueException e) {
                if (warnedBindings.add(name)) {
                    LOG.warning("Binding '" + name + "' is not passed to " + dialect.language().displayName()
                            + ": " + e.getMessage());
                }
            }
        }
    }

    private boolean isVariableName(String name) {
        return !name.startsWith("javax.script.") && !name.startsWith("agb.") && dialect.isIdentifier(name);
    }

    /** How {@link KernelBindings} reads the kernel: only once a session exists, never starting one. */
    private final class KernelView implements KernelBindings.Kernel {
        @Override
        public Optional<Optional<Object>> read(String name) {
            return describe(name).map(variable -> Optional.ofNullable(
                    variable.text() == null ? variable.value() : variable.text()));
        }

        /** The prelude's get(name), when the kernel has the variable. */
        Optional<Variable> describe(String name) {
            Object answer = housekeeping(dialect.preludeCall("get", name));
            if (answer instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("found"))) {
                return Optional.of(map.containsKey("value") ? new Variable(name, map.get("value"), null)
                        : new Variable(name, null, String.valueOf(map.get("text"))));
            }
            return Optional.empty();
        }

        @Override
        public Set<String> names() {
            Object answer = housekeeping(dialect.preludeCall("names"));
            Set<String> names = new LinkedHashSet<>();
            if (answer instanceof List<?> list) {
                list.forEach(name -> names.add(String.valueOf(name)));
            }
            return names;
        }

        @Override
        public boolean isVariableName(String name) {
            return AgbScriptEngine.this.isVariableName(name);
        }

        private Object housekeeping(String code) {
            synchronized (AgbScriptEngine.this) {
                if (closed || session == null || session.isClosed()) {
                    return null;
                }
            }
            try {
                return value(run(code, getContext(), true));
            } catch (AgbScriptException e) {
                return null; // the code failed: in Java a missing variable does not compile; not found
            } catch (ScriptException e) {
                LOG.warning("Cannot read the " + dialect.language().displayName() + " kernel's variables: "
                        + e.getMessage());
                return null;
            }
        }
    }

    // ---- Invocable ----

    /**
     * Calls a function the scripts defined, with arguments and result crossing as values do.
     *
     * @throws NoSuchMethodException when the kernel has no such function
     */
    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (name == null) {
            throw new NullPointerException("function name is null");
        }
        String arguments;
        try {
            arguments = ValueJson.write(args == null ? List.of() : Arrays.asList(args));
        } catch (ValueJson.UnrepresentableValueException e) {
            throw new IllegalArgumentException("Cannot pass the arguments of " + name + ": " + e.getMessage(), e);
        }
        try {
            return value(run(dialect.preludeCall("call", name, arguments), getContext(), true));
        } catch (AgbScriptException e) {
            if (dialect.isMissingFunction(e.error())) {
                throw new NoSuchMethodException("No function " + name + " in the " + dialect.language().displayName()
                        + " session");
            }
            throw e;
        }
    }

    /**
     * Objects stay in the kernel and only JSON values cross, so no Java-side {@code thiz} stands for a kernel
     * object: this throws {@link IllegalArgumentException}, as the spec asks for a {@code thiz} that is no
     * script object. Define a function and use {@link #invokeFunction} instead.
     */
    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) {
        throw new IllegalArgumentException("invokeMethod: objects do not cross from "
                + dialect.language().displayName() + " to Java (values cross as JSON), so " + thiz
                + " is no script object; call a function with invokeFunction instead");
    }

    /**
     * A proxy whose methods call the functions of the same names; null when the kernel lacks one of them
     * (as GraalJS does). Object's methods are answered in Java.
     */
    @Override
    public <T> T getInterface(Class<T> type) {
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("Not an interface: " + type);
        }
        for (Method method : type.getMethods()) {
            if (!method.isDefault() && !isFunction(method.getName())) {
                return null;
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> type.getName() + " implemented by " + factory.getEngineName() + " functions";
                };
            }
            Object result = invokeFunction(method.getName(), args);
            return Coercion.to(method.getReturnType(), result);
        });
        return type.cast(proxy);
    }

    private boolean isFunction(String name) {
        try {
            if (dialect.listsFunctions()) {
                return value(run(dialect.preludeCall("functions"), getContext(), true)) instanceof List<?> functions
                        && functions.contains(name);
            }
            Object answer = value(run(dialect.preludeCall("get", name), getContext(), true));
            return answer instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("found"));
        } catch (ScriptException e) {
            return false;
        }
    }

    /**
     * Always null (not implemented by that object), since no Java value stands for a kernel object; hosts
     * such as Spring's StandardScriptFactory then fall back to {@link #getInterface(Class)}.
     */
    @Override
    public <T> T getInterface(Object thiz, Class<T> type) {
        if (thiz == null) {
            throw new IllegalArgumentException("thiz is null");
        }
        return null;
    }

    // ---- Compilable ----

    /**
     * Checks the syntax where the kernel can tell (a kernel that cannot, accepts) and returns a script
     * that any number of threads may evaluate, each with its own bindings.
     */
    @Override
    public CompiledScript compile(String script) throws ScriptException {
        if (script == null) {
            throw new NullPointerException("script is null");
        }
        checkOpen();
        Completeness completeness;
        try {
            completeness = isComplete(script);
        } catch (SessionException e) {
            throw (ScriptException) new ScriptException(e.getMessage()).initCause(e);
        }
        if (completeness.status() == Completeness.Status.INVALID
                || completeness.status() == Completeness.Status.INCOMPLETE) {
            throw new ScriptException("SyntaxError: the " + dialect.language().displayName() + " code is "
                    + (completeness.status() == Completeness.Status.INVALID ? "invalid" : "incomplete"),
                    fileName(getContext()), -1);
        }
        return new CompiledScript() {
            @Override
            public Object eval(ScriptContext context) throws ScriptException {
                return AgbScriptEngine.this.eval(script, context);
            }

            @Override
            public ScriptEngine getEngine() {
                return AgbScriptEngine.this;
            }
        };
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        return compile(read(script));
    }

    // ---- Kernel access for hosts ----

    /**
     * A variable of the scripts: its value when it has a JSON form (then {@code text} is null), else the
     * language's text form of it.
     */
    public record Variable(String name, Object value, String text) {}

    /**
     * The user's variables of this engine's language in its session, read from the kernel in the
     * language's own way (the dialect's prelude calls); empty while no kernel runs, and none is started.
     */
    public List<Variable> variables() {
        checkOpen();
        List<Variable> variables = new ArrayList<>();
        for (String name : kernelView.names()) {
            kernelView.describe(name).ifPresent(variables::add);
        }
        return variables;
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
        engineScope.kernelChanged();
    }

    /** The session this engine runs in (created if need be), for hosts that show or manage it. */
    public Session session() {
        checkOpen();
        return session(getContext());
    }

    /** What runs this engine's language, once its kernel has started. */
    public Optional<String> languageVersion() {
        Session current;
        synchronized (this) {
            current = session;
        }
        return current == null ? Optional.empty() : current.languageVersion(dialect.language());
    }

    /** Interrupts the code this engine runs now, if any. */
    public boolean interrupt() {
        Session current;
        synchronized (this) {
            current = session;
        }
        return current != null && current.interrupt(dialect.language());
    }

    // ---- Plumbing ----

    private static Object value(ExecutionResult result) {
        Optional<MimeBundle> main = result.mainResult();
        if (main.isEmpty()) {
            return null;
        }
        String json = main.get().valueJson();
        return json != null ? ValueJson.parse(json) : main.get().text();
    }

    private synchronized Session session(ScriptContext context) {
        checkOpen();
        if (session == null || session.isClosed()) {
            Object name = context.getAttribute(SESSION);
            if (name == null) {
                name = getContext().getAttribute(SESSION);
            }
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

    private static String read(Reader reader) throws ScriptException {
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
        return code.toString();
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This " + factory.getEngineName() + " engine is closed");
        }
    }

    /** Bindings for one eval; the engine's own ENGINE_SCOPE is the live view of the kernel. */
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
