package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionHold;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.ValueJson;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * kernel's variables ({@link KernelBindings}): {@code engine.get("result")} reads what the script defined;
 * GLOBAL_SCOPE values are initial values of the session's variables. Any other Bindings object as ENGINE_SCOPE
 * ({@code eval(code, bindings)}, a compiled script's {@code eval(bindings)}) is a scope of its own, as in Nashorn
 * and GraalJS ({@link BindingsScopes}): what its code assigns lands in that object and is not seen by calls with
 * other bindings.
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
    /**
     * Context attribute (of the eval's context, else of the engine's own): {@value #SESSION_SCOPE} makes the
     * context's ENGINE_SCOPE bindings variables of the session's shared scope, as the engine's own scope is, instead
     * of a scope of their own (what the REPL wants).
     */
    public static final String SCOPE = "agb.scope";
    /** The value of {@value #SCOPE} for bindings that go to the session's shared scope. */
    public static final String SESSION_SCOPE = "session";
    /**
     * Context attribute: the {@link InputSource} that answers the code's requests for a line of input
     * ({@code input()}, {@code readline()}). Unset, the context's reader answers them (its prompt written to the
     * context's writer); a context without a reader gives none, and code that asks fails at once.
     */
    public static final String INPUT = "agb.input";
    /**
     * Context attribute: the host's folder (a {@link Path} or its name) the engine's session runs its kernels in,
     * so that the code's relative paths mean it and what the code writes there stays. Read when the session is
     * created; engines sharing a named session must agree. Unset, kernels run in the backend's own folder. A
     * backend that cannot (see {@link dev.agbscript.session.SessionManager#supportsWorkingFolder()}) fails the
     * eval with a {@link ScriptException} saying so.
     */
    public static final String WORKDIR = "agb.workdir";

    private static final Logger LOG = Logger.getLogger(AgbScriptEngine.class.getName());
    /**
     * The JDK's jrunscript evaluates its own {@code init.js} under this name in every engine that lists the
     * {@code js} extension. It is written for Nashorn (JSAdapter, Packages) and only defines jrunscript's shell
     * helpers, so on Node.js it is skipped.
     */
    private static final String JRUNSCRIPT_INIT = "<system-init>";

    private final AgbScriptEngineFactory factory;
    private final Dialect dialect;
    /** Asked at the first use, so that an engine exists whatever the backend settings say (see the factory). */
    private final java.util.function.Supplier<SessionManager> manager;
    private final ReentrantLock evalLock = new ReentrantLock(true);
    private final KernelVariables variables;
    private final KernelBindings engineScope;
    private final BindingsScopes bindingsScopes;
    /** The engine's hold on its session: a private one is reclaimed when the host drops the engine unclosed. */
    private SessionHold hold;
    /** The session's sandbox resets this engine has seen: another number means the kernel's state is gone. */
    private long sandboxResets;
    private volatile boolean closed;

    AgbScriptEngine(AgbScriptEngineFactory factory, SessionManager manager) {
        this(factory, () -> manager);
    }

    AgbScriptEngine(AgbScriptEngineFactory factory, java.util.function.Supplier<SessionManager> manager) {
        this.factory = factory;
        this.dialect = factory.dialect();
        this.manager = manager;
        this.variables = new KernelVariables(dialect, this::housekeepingValue);
        this.engineScope = new KernelBindings(variables);
        this.bindingsScopes = BindingsScopes.of(dialect, variables, engineScope, manager);
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
        return run(script, context, Run.USER);
    }

    /** What a run is for: the host's code, a call of a function, or reading the kernel's variables. */
    private enum Run {
        /** The host's code: bindings first, then the code, with history. */
        USER,
        /** A function call: bindings first, then the call, silently. */
        CALL,
        /** A read of variables: silently, nothing sent first, nothing changed. */
        READ
    }

    private ExecutionResult run(String code, ScriptContext context, Run kind) throws ScriptException {
        checkOpen();
        ExecutionListener listener = listener(context);
        try {
            Duration timeout = timeout(context);
            checkEncodable(code);
            Optional<ExecutionError> refused = dialect.refusal(code);
            if (refused.isPresent()) {
                throw new AgbScriptException(refused.get(), ExecutionResult.builder().error(refused.get()).build(),
                        fileName(context));
            }
            evalLock.lockInterruptibly();
            try (Session.Use use = session(context).use()) {
                Session target = use.session();
                if (target.sandboxResets() != sandboxResets) {
                    sandboxResets = target.sandboxResets(); // the manager closed the sandbox: what was sent is gone
                    variables.kernelRestarted();
                }
                boolean shared = kind == Run.READ || isSharedScope(context);
                Optional<String> bind = kind == Run.READ || !shared ? Optional.empty() : variables.bindCode(context, engineScope);
                if (bind.isPresent()) {
                    ExecutionResult bound = use.execute(new ExecutionRequest(dialect.language(), bind.get(),
                            timeout, true), ExecutionListener.NONE);
                    if (!bound.success()) {
                        throw new AgbScriptException(bound.error().get(), bound, "<bindings>");
                    }
                }
                ExecutionResult result;
                try {
                    result = shared ? use.execute(new ExecutionRequest(dialect.language(), code, timeout,
                            kind != Run.USER), listener)
                            : bindingsScopes.execute(use, context, code, timeout, kind != Run.USER, listener);
                } finally {
                    if (kind != Run.READ) {
                        engineScope.kernelChanged();
                    }
                }
                if (result.error().map(e -> e.kind() == ExecutionError.Kind.KERNEL_DIED).orElse(false)) {
                    variables.kernelRestarted();
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

    /**
     * Whether the context's ENGINE_SCOPE is the session's shared scope: the engine's own, or any bindings when the
     * context (else the engine's own context) says so with {@value #SCOPE}. Any other Bindings object is a scope
     * of its own ({@link BindingsScopes}).
     */
    private boolean isSharedScope(ScriptContext context) {
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Object marked = context.getAttribute(SCOPE);
        if (marked == null) {
            marked = getContext().getAttribute(SCOPE);
        }
        return scope == null || scope == engineScope || SESSION_SCOPE.equals(marked);
    }

    /** The context's writers and input, plus the listener the host put in {@value #LISTENER}, if any. */
    private static ExecutionListener listener(ScriptContext context) {
        Writer out = context.getWriter();
        Writer err = context.getErrorWriter();
        InputSource input = ContextInput.of(context);
        ExecutionListener host = context.getAttribute(LISTENER) instanceof ExecutionListener l ? l : ExecutionListener.NONE;
        return new ExecutionListener() {
            @Override
            public InputSource input() {
                return input;
            }

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
        checkOpen();
        return variables.call(name, args);
    }

    /**
     * Objects stay in the kernel and only JSON values cross, so no Java-side {@code thiz} stands for a kernel
     * object: this throws {@link IllegalArgumentException}, as the spec asks for a {@code thiz} that is no
     * script object. Define a function and use {@link #invokeFunction} instead.
     */
    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) {
        if (name == null) {
            throw new NullPointerException("method name is null");
        }
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
            if (!method.isDefault() && !variables.isFunction(method.getName())) {
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
     * Checks the syntax in the kernel without running anything (a syntax error throws an
     * {@link AgbScriptException} of kind SYNTAX with its line and column) and returns a script that any number of
     * threads may evaluate, each with its own bindings.
     */
    @Override
    public CompiledScript compile(String script) throws ScriptException {
        if (script == null) {
            throw new NullPointerException("script is null");
        }
        checkOpen();
        if (value(run(dialect.prelude().check(script), getContext(), Run.READ)) instanceof Map<?, ?> error) {
            ExecutionError syntax = new ExecutionError(ExecutionError.Kind.SYNTAX, String.valueOf(error.get("name")),
                    String.valueOf(error.get("message")), "", number(error.get("line")), number(error.get("column")));
            throw new AgbScriptException(syntax, ExecutionResult.builder().error(syntax).build(),
                    fileName(getContext()));
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
     * language's own way (the prelude's calls); empty while no kernel runs, and none is started.
     */
    public List<Variable> variables() {
        checkOpen();
        return variables.variables();
    }

    /**
     * A variable as a listing shows it: besides its value or text, the language's name of its type (null when
     * the kernel does not say) and, for a table (a pandas DataFrame, an R data.frame), its shape (else null).
     */
    public record VariableSummary(Variable variable, String type, TableShape shape) {}

    /** How many rows a table has, and its columns in order. */
    public record TableShape(long rows, List<String> columns) {}

    /** A table as values cross: its columns in order, and its rows as records (column name to value). */
    public record Table(List<String> columns, List<Map<String, Object>> records) {}

    /** Like {@link #variables()}, with types and table shapes. */
    public List<VariableSummary> variableSummaries() {
        checkOpen();
        return variables.summaries();
    }

    /** One variable with its type and table shape; empty when no kernel runs or it has no such variable. */
    public Optional<VariableSummary> variableSummary(String name) {
        checkOpen();
        return variables.summarize(name);
    }

    /**
     * Reads a table variable (one whose summary has a shape) as columns and records, to move it elsewhere.
     *
     * @throws ScriptException when it is no table or one of its values has no JSON form; the message says which
     */
    public Table table(String name) throws ScriptException {
        checkOpen();
        return variables.table(name);
    }

    /**
     * Sets a variable now, starting the kernel if need be (a value {@code put} into the engine scope is only sent
     * with the next eval). The value crosses as bindings do.
     *
     * @throws IllegalArgumentException when the name is no variable name of the language
     */
    public void define(String name, Object value) throws ScriptException {
        checkOpen();
        variables.define(name, value);
    }

    /**
     * Sets a variable now to a table of the language made of the records (a pandas DataFrame in Python, a
     * data.frame in R), or to the list of records where the language has no tables (JavaScript, Java).
     */
    public void defineTable(String name, Table table) throws ScriptException {
        checkOpen();
        variables.defineTable(name, table);
    }

    /**
     * Whether the code is complete or needs more lines (for REPLs): the kernel's answer when this language's
     * kernel runs (asking never starts one, so a prompt stays fast), else the language's own rules.
     */
    public Completeness isComplete(String code) {
        checkOpen();
        if (isKernelRunning()) {
            try {
                Completeness answer = session(getContext()).isComplete(dialect.language(), code);
                if (answer.status() != Completeness.Status.UNKNOWN) {
                    return answer;
                }
            } catch (SessionException e) {
                // the kernel is gone or busy: the language's own rules decide
            }
        }
        return dialect.completeness(code);
    }

    /**
     * For code read line by line with no prompt (a file, a pipe): whether this line starts a new top-level
     * statement after the complete code so far, which should then run first (Python's blocks end there).
     */
    public boolean startsStatement(String codeSoFar, String line) {
        return dialect.startsStatement(codeSoFar, line);
    }

    /** Whether this engine's language has a kernel running in its session now. */
    public boolean isKernelRunning() {
        Session current = currentSession();
        return current != null && !current.isClosed() && current.runningLanguages().contains(dialect.language());
    }

    /** Completions at the cursor (a character offset into the code), from the kernel. */
    public Completions complete(String code, int cursor) {
        checkOpen();
        return session(getContext()).complete(dialect.language(), code, cursor);
    }

    /**
     * What the name at the cursor (a character offset into the code) is, from the kernel: its signature and
     * documentation as MIME data (text/plain at least); empty when the kernel knows nothing of it.
     *
     * @param detailed more than signature and summary (the source, where the kernel has it)
     */
    public Optional<MimeBundle> inspect(String code, int cursor, boolean detailed) {
        checkOpen();
        return session(getContext()).inspect(dialect.language(), code, cursor, detailed);
    }

    /** Throws away this engine's kernel state (of its language, in its session); the next eval starts afresh. */
    public void restart() throws InterruptedException {
        checkOpen();
        session(getContext()).restart(dialect.language());
        engineScope.kernelChanged();
        variables.kernelRestarted();
    }

    /** The session this engine runs in (created if need be), for hosts that show or manage it. */
    public Session session() {
        checkOpen();
        return session(getContext());
    }

    /** What runs this engine's language, once its kernel has started. */
    public Optional<String> languageVersion() {
        Session current = currentSession();
        return current == null ? Optional.empty() : current.languageVersion(dialect.language());
    }

    /** Interrupts the code this engine runs now, if any. */
    public boolean interrupt() {
        Session current = currentSession();
        return bindingsScopes.interrupt() | (current != null && current.interrupt(dialect.language()));
    }

    // ---- Plumbing ----

    /** Runs housekeeping code; without {@code start}, only in a kernel that runs already (else null). */
    private Object housekeepingValue(String code, boolean start) throws ScriptException {
        if (!start && (closed || !isKernelRunning())) {
            return null;
        }
        return value(run(code, getContext(), start ? Run.CALL : Run.READ));
    }

    /** Code with half a surrogate pair would reach the kernel with {@code ?} in its place: refused instead. */
    private static void checkEncodable(String code) {
        int lone = ValueJson.loneSurrogate(code);
        if (lone >= 0) {
            int line = (int) code.substring(0, lone).chars().filter(c -> c == '\n').count() + 1;
            int column = lone - code.lastIndexOf('\n', lone - 1);
            throw new IllegalArgumentException("The code holds a lone surrogate (U+"
                    + String.format("%04X", (int) code.charAt(lone)) + " at line " + line + ", column " + column
                    + "), which UTF-8 cannot carry: it was not sent");
        }
    }

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
        if (hold == null) {
            Object name = context.getAttribute(SESSION);
            if (name == null) {
                name = getContext().getAttribute(SESSION);
            }
            SandboxOptions options = sandboxOptions(context);
            hold = manager.get().hold(this, name == null ? null : name.toString(), options);
        }
        return hold.session();
    }

    /**
     * What the session's sandbox is asked for ({@value #WORKDIR}, {@value SandboxOptions#MOUNTS} and the
     * {@code agb.sandbox.*} settings), each from the eval's context, else the engine's.
     */
    private SandboxOptions sandboxOptions(ScriptContext context) {
        return SandboxOptions.fromAttributes(name -> {
            Object value = context.getAttribute(name);
            return value != null ? value : getContext().getAttribute(name);
        });
    }

    /** The session if it exists and is open; none is created. */
    private synchronized Session currentSession() {
        return hold == null ? null : hold.current();
    }

    /**
     * The time limit from {@value #TIMEOUT}: a {@link Duration} or a number of seconds; 0 or {@code "none"} for
     * no limit; very long limits count as none (they saturate, see {@link ExecutionRequest#NO_TIMEOUT}).
     */
    static Duration timeout(ScriptContext context) {
        Object value = context.getAttribute(TIMEOUT);
        if (value == null) {
            return ExecutionRequest.DEFAULT_TIMEOUT;
        }
        if (value instanceof Duration duration) {
            return duration;
        }
        if ("none".equalsIgnoreCase(value.toString().trim())) {
            return Duration.ZERO;
        }
        try {
            double seconds = value instanceof Number number ? number.doubleValue()
                    : Double.parseDouble(value.toString().trim());
            if (Double.isNaN(seconds) || seconds < 0) {
                throw new NumberFormatException();
            }
            return seconds >= ExecutionRequest.NO_TIMEOUT.toSeconds() ? ExecutionRequest.NO_TIMEOUT
                    : Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT + " must be a Duration, a number of seconds (0 for no limit)"
                    + " or \"none\", not '" + value + "'");
        }
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : -1;
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
        SessionHold toRelease;
        synchronized (this) {
            closed = true;
            toRelease = hold;
            hold = null;
        }
        bindingsScopes.close();
        if (toRelease != null) {
            toRelease.release();
        }
    }
}
