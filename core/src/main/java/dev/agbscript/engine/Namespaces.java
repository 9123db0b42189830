package dev.agbscript.engine;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Session;
import dev.agbscript.session.ValueJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;

/**
 * Per-call scopes as namespaces in the kernel (Python, JavaScript, R; the protocol is in
 * {@link dev.agbscript.session.Prelude}): each Bindings object gets a namespace id, and an eval with it is one request,
 * the code behind a marker line whose header carries the seed and the ids of namespaces whose Bindings objects were
 * collected. The prelude answers with what the code assigned, in the main result when there is one (no message
 * more) and else in a display of its own; it is written into the Bindings object and kept from the host's result
 * and listener.
 */
final class Namespaces implements BindingsScopes {
    /** Tells this JVM's namespaces from another's in a session both use (an attached AGB session). */
    private static final String PROCESS = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private static final AtomicLong ENGINES = new AtomicLong();
    private static final Predicate<MimeBundle> SNAPSHOT = bundle -> bundle.data().containsKey(MimeBundle.AGB_NAMESPACE);
    /** The display that carries nothing but what the code left. */
    private static final Predicate<MimeBundle> SNAPSHOT_ONLY = bundle -> !bundle.isMainResult()
            && bundle.data().size() == 1 && SNAPSHOT.test(bundle);

    private final Language language;
    private final PreludeCalls prelude;
    private final KernelVariables variables;
    private final Bindings engineScope;
    private final BindingsRegistry<String> ids = new BindingsRegistry<>();
    private final String prefix = "ns-" + PROCESS + "-" + ENGINES.incrementAndGet() + "-";
    private final AtomicLong next = new AtomicLong();
    /** Namespaces whose Bindings objects were collected, to be dropped with the next eval. */
    private final List<String> dropped = new ArrayList<>();

    Namespaces(Dialect dialect, KernelVariables variables, Bindings engineScope) {
        this.language = dialect.language();
        this.prelude = dialect.prelude();
        this.variables = variables;
        this.engineScope = engineScope;
    }

    @Override
    public ExecutionResult execute(Session.Use use, ScriptContext context, String code, Duration timeout,
            boolean silent, ExecutionListener listener) throws InterruptedException, ScriptException {
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Map<String, String> seed = variables.seed(context, engineScope);
        String id = ids.get(scope, () -> prefix + next.incrementAndGet());
        List<String> drop = takeDropped();
        String marked = prelude.inNamespace(id, header(seed, drop), code).orElseThrow();
        ExecutionResult result;
        try {
            // Silent: nothing of a namespace's eval may stay in the session's history (IPython's In, _i, _).
            result = use.execute(new ExecutionRequest(language, marked, timeout, true), new ExecutionListener() {
                @Override
                public void onStdout(String chunk) {
                    listener.onStdout(chunk);
                }

                @Override
                public void onStderr(String chunk) {
                    listener.onStderr(chunk);
                }

                @Override
                public void onResult(MimeBundle result) {
                    if (!SNAPSHOT_ONLY.test(result)) {
                        listener.onResult(result.without(MimeBundle.AGB_NAMESPACE));
                    }
                }

                @Override
                public void onError(dev.agbscript.session.ExecutionError error) {
                    listener.onError(error);
                }

                @Override
                public dev.agbscript.session.InputSource input() {
                    return listener.input();
                }
            });
        } catch (InterruptedException | RuntimeException e) {
            giveBack(drop);
            throw e;
        }
        Optional<MimeBundle> snapshot = result.results().stream().filter(SNAPSHOT).reduce((first, last) -> last);
        if (snapshot.isPresent()) {
            Map<String, Object> left = ValueJson.parseMap(snapshot.get().get(MimeBundle.AGB_NAMESPACE));
            BindingsScopes.writeBack(scope, map(left.get("assigned")), strings(left.get("deleted")));
        } else if (result.success()) {
            throw new ScriptException("The " + language.displayName() + " kernel ran the code without a namespace"
                    + " (its prelude has none), so it ran in the session's shared scope");
        }
        return result.withResults(result.results().stream().filter(SNAPSHOT_ONLY.negate())
                .map(bundle -> bundle.without(MimeBundle.AGB_NAMESPACE)).toList());
    }

    /** Namespaces live as long as the session's kernel; the engine's session is closed with it. */
    @Override
    public void close() {
        ids.clear();
    }

    private synchronized List<String> takeDropped() {
        dropped.addAll(ids.collected());
        List<String> taken = List.copyOf(dropped);
        dropped.clear();
        return taken;
    }

    private synchronized void giveBack(List<String> drop) {
        dropped.addAll(drop);
    }

    /**
     * {@code {"seed": {...}, "drop": [...]}}, ASCII only: the marker is one line, and kernels split lines at more than
     * {@code \n} (Python at U+2028, U+0085 and others), so every other character is a JSON escape.
     */
    static String header(Map<String, String> seed, List<String> drop) {
        StringBuilder json = new StringBuilder("{\"seed\":{");
        seed.forEach((name, value) -> json.append(json.length() > 9 ? "," : "").append(ValueJson.write(name))
                .append(':').append(value));
        json.append("},\"drop\":").append(ValueJson.write(drop)).append('}');
        StringBuilder ascii = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                ascii.append(String.format("\\u%04x", (int) c));
            } else {
                ascii.append(c);
            }
        }
        return ascii.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<String> strings(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(name -> names.add(String.valueOf(name)));
        }
        return names;
    }
}
