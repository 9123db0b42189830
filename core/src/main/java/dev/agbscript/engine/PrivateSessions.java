package dev.agbscript.engine;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionHold;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.Settings;
import dev.agbscript.session.ValueJson;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;

/**
 * Per-call scopes where the kernel has no namespaces (Java: JShell has one global scope): each Bindings object gets a
 * private session of its own, its own kernel, held by the Bindings object itself ({@link SessionManager#hold}), so
 * that it is closed once the object is collected (and at the latest with the engine's next per-call eval, or when
 * the engine closes). Each eval declares the seed's values the session does not hold yet, and reads the variables
 * back after (their names, then their values), so it takes three or four round trips instead of one, and the first
 * eval of each Bindings object starts a kernel. What the engine's own scope defined is not seen there: the sessions
 * share nothing.
 *
 * <p>A kernel per Bindings object is heavy (two JVMs), so an engine keeps at most {@value #LIMIT_PROPERTY}
 * (default {@value #DEFAULT_LIMIT}) of them open: past that, the one used least recently is closed. Its Bindings
 * object keeps the values, so its next eval starts a new kernel from them; what else that kernel held (methods,
 * classes, values without a JSON form) is lost, never shared.
 */
final class PrivateSessions implements BindingsScopes {
    private static final Logger LOG = Logger.getLogger(PrivateSessions.class.getName());
    static final String LIMIT_PROPERTY = "agb.java.scopes";
    static final int DEFAULT_LIMIT = 8;

    private final Language language;
    private final PreludeCalls prelude;
    private final KernelVariables variables;
    private final Bindings engineScope;
    private final java.util.function.Supplier<SessionManager> manager;
    private final BindingsRegistry<SessionHold> holds = new BindingsRegistry<>();
    /** The holds of open sessions, the one used most recently first. */
    private final Deque<SessionHold> recent = new ArrayDeque<>();
    private final long limit = Math.max(1, Settings.number(LIMIT_PROPERTY, "AGB_JAVA_SCOPES", DEFAULT_LIMIT));
    /** What each session's kernel holds, as last read back: the canonical JSON of each variable with a JSON form. */
    private final Map<Session, Held> held = new ConcurrentHashMap<>();
    /** The session whose code runs now, for {@link #interrupt()}. */
    private volatile Session running;

    /** The variables of a session's kernel as last read, valid while the sandbox has not been reset. */
    private record Held(long resets, Map<String, String> values) {}

    PrivateSessions(Dialect dialect, KernelVariables variables, Bindings engineScope,
            java.util.function.Supplier<SessionManager> manager) {
        this.language = dialect.language();
        this.prelude = dialect.prelude();
        this.variables = variables;
        this.engineScope = engineScope;
        this.manager = manager;
    }

    @Override
    public ExecutionResult execute(Session.Use use, ScriptContext context, String code, Duration timeout,
            boolean silent, ExecutionListener listener) throws InterruptedException, ScriptException {
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Map<String, String> seed = variables.seed(context, engineScope);
        Session own = session(scope, use.session());
        try (Session.Use mine = own.use()) {
            Held last = held.get(own);
            Map<String, String> holds = last != null && last.resets() == own.sandboxResets() ? last.values() : Map.of();
            String values = seed.entrySet().stream().filter(e -> !canonical(e.getValue()).equals(holds.get(e.getKey())))
                    .map(e -> ValueJson.write(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(","));
            if (!values.isEmpty()) {
                ExecutionResult bound = mine.execute(new ExecutionRequest(language, prelude.bind("{" + values + "}"),
                        timeout, true), ExecutionListener.NONE);
                if (!bound.success()) {
                    throw new AgbScriptException(bound.error().get(), bound, "<bindings>");
                }
            }
            ExecutionResult result;
            running = own;
            try {
                result = mine.execute(new ExecutionRequest(language, code, timeout, silent), listener);
            } finally {
                running = null;
            }
            if (result.error().map(e -> e.kind() != ExecutionError.Kind.KERNEL_DIED).orElse(true)) {
                BindingsScopes.writeBack(scope, changed(mine, seed, timeout), List.of());
            } else {
                held.remove(own);
            }
            return result;
        }
    }

    /** The one JSON text of a value, whichever way it was written. */
    private static String canonical(String json) {
        return ValueJson.write(ValueJson.parse(json));
    }

    /**
     * The Bindings object's session, made if need be in the engine's working folder; those of collected objects
     * and those past the limit released.
     */
    private Session session(Bindings scope, Session engines) {
        List<SessionHold> releasing = new ArrayList<>(holds.collected());
        SessionHold own = holds.get(scope, () -> manager.get().hold(scope, null, engines.options()));
        synchronized (recent) {
            recent.removeAll(releasing);
            recent.remove(own);
            recent.addFirst(own);
            while (recent.size() > limit) {
                SessionHold evicted = recent.removeLast();
                holds.forget(evicted);
                releasing.add(evicted);
            }
        }
        release(releasing);
        return own.session();
    }

    private void release(List<SessionHold> releasing) {
        for (SessionHold hold : releasing) {
            Session session = hold.current();
            if (session != null) {
                held.remove(session);
            }
            hold.release();
        }
    }

    /**
     * The variables whose values have a JSON form and differ from their seed, or were not seeded; what the kernel
     * holds is noted for the next eval's seed.
     */
    private Map<String, Object> changed(Session.Use mine, Map<String, String> seed, Duration timeout)
            throws InterruptedException {
        Map<String, Object> changed = new LinkedHashMap<>();
        Map<String, String> holds = new HashMap<>();
        Session own = mine.session();
        held.put(own, new Held(own.sandboxResets(), holds));
        if (!(value(mine, prelude.variables(), timeout) instanceof List<?> names) || names.isEmpty()) {
            return changed;
        }
        String read = names.stream().map(String::valueOf)
                .map(name -> "java.util.Map.entry(" + JavaDialect.literal(name) + ", " + prelude.read(name) + ")")
                .collect(Collectors.joining(", ", "java.util.Map.ofEntries(", ")"));
        if (!(value(mine, read, timeout) instanceof Map<?, ?> described)) {
            return changed;
        }
        described.forEach((name, description) -> {
            if (description instanceof Map<?, ?> variable && variable.containsKey("value")) {
                Object value = variable.get("value");
                String now = ValueJson.write(value);
                String before = seed.get(String.valueOf(name));
                holds.put(String.valueOf(name), now);
                if (before == null || !canonical(before).equals(now)) {
                    changed.put(String.valueOf(name), value);
                }
            }
        });
        return changed;
    }

    private Object value(Session.Use mine, String code, Duration timeout) throws InterruptedException {
        ExecutionResult result = mine.execute(new ExecutionRequest(language, code, timeout, true),
                ExecutionListener.NONE);
        Optional<MimeBundle> main = result.mainResult();
        if (!result.success() || main.isEmpty() || main.get().valueJson() == null) {
            LOG.fine(() -> "Cannot read the variables of a per-call Java session: " + result);
            return null;
        }
        return ValueJson.parse(main.get().valueJson());
    }

    @Override
    public boolean interrupt() {
        Session current = running;
        return current != null && current.interrupt(language);
    }

    @Override
    public void close() {
        synchronized (recent) {
            recent.clear();
        }
        release(holds.clear());
        held.clear();
    }
}
