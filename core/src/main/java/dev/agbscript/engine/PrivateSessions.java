package dev.agbscript.engine;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.ValueJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;

/**
 * Per-call scopes where the kernel has no namespaces (Java: JShell has one global scope): each Bindings object gets a
 * private session of its own, its own kernel, closed once the object is collected (or the engine closes). Each eval
 * declares the seed's values first and reads the variables back after (their names, then their values), so it
 * takes four round trips instead of one, and the first eval of each Bindings object starts a kernel. What the
 * engine's own scope defined is not seen there: the sessions share nothing.
 */
final class PrivateSessions implements BindingsScopes {
    private static final Logger LOG = Logger.getLogger(PrivateSessions.class.getName());

    private final Language language;
    private final PreludeCalls prelude;
    private final KernelVariables variables;
    private final Bindings engineScope;
    private final SessionManager manager;
    private final BindingsRegistry<Session> sessions = new BindingsRegistry<>();

    PrivateSessions(Dialect dialect, KernelVariables variables, Bindings engineScope, SessionManager manager) {
        this.language = dialect.language();
        this.prelude = dialect.prelude();
        this.variables = variables;
        this.engineScope = engineScope;
        this.manager = manager;
    }

    @Override
    public ExecutionResult execute(Session shared, ScriptContext context, String code, Duration timeout, boolean silent,
            ExecutionListener listener) throws InterruptedException, ScriptException {
        sessions.collected().forEach(Session::close);
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Map<String, String> seed = variables.seed(context, engineScope);
        Session own = sessions.get(scope, manager::newSession);
        if (!seed.isEmpty()) {
            String values = seed.entrySet().stream().map(e -> ValueJson.write(e.getKey()) + ":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
            ExecutionResult bound = own.execute(new ExecutionRequest(language, prelude.bind(values), timeout, true),
                    ExecutionListener.NONE);
            if (!bound.success()) {
                throw new AgbScriptException(bound.error().get(), bound, "<bindings>");
            }
        }
        ExecutionResult result = own.execute(new ExecutionRequest(language, code, timeout, silent), listener);
        if (result.error().map(e -> e.kind() != ExecutionError.Kind.KERNEL_DIED).orElse(true)) {
            BindingsScopes.writeBack(scope, changed(own, seed, timeout), List.of());
        }
        return result;
    }

    /** The variables whose values have a JSON form and differ from their seed, or were not seeded. */
    private Map<String, Object> changed(Session own, Map<String, String> seed, Duration timeout)
            throws InterruptedException {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (!(value(own, prelude.variables(), timeout) instanceof List<?> names) || names.isEmpty()) {
            return changed;
        }
        String read = names.stream().map(String::valueOf)
                .map(name -> "java.util.Map.entry(" + JavaDialect.literal(name) + ", " + prelude.read(name) + ")")
                .collect(Collectors.joining(", ", "java.util.Map.ofEntries(", ")"));
        if (!(value(own, read, timeout) instanceof Map<?, ?> described)) {
            return changed;
        }
        described.forEach((name, description) -> {
            if (description instanceof Map<?, ?> variable && variable.containsKey("value")) {
                Object value = variable.get("value");
                String before = seed.get(String.valueOf(name));
                if (before == null || !ValueJson.write(ValueJson.parse(before)).equals(ValueJson.write(value))) {
                    changed.put(String.valueOf(name), value);
                }
            }
        });
        return changed;
    }

    private Object value(Session own, String code, Duration timeout) throws InterruptedException {
        ExecutionResult result = own.execute(new ExecutionRequest(language, code, timeout, true), ExecutionListener.NONE);
        Optional<MimeBundle> main = result.mainResult();
        if (!result.success() || main.isEmpty() || main.get().valueJson() == null) {
            LOG.fine(() -> "Cannot read the variables of a per-call Java session: " + result);
            return null;
        }
        return ValueJson.parse(main.get().valueJson());
    }

    @Override
    public void close() {
        sessions.clear().forEach(Session::close);
    }

    /** How many private sessions are open now (for tests). */
    int open() {
        return sessions.size();
    }
}
