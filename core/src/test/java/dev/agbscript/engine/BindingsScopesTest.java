package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.ScriptedBackend.ScriptedSandbox;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.ValueJson;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Bindings object other than the engine's own is a scope of its own: what the engine sends for it, what it makes
 * of the kernel's answer, and when a namespace is dropped. On the in-memory backend, which runs the prelude's
 * namespace protocol.
 */
@Timeout(30)
class BindingsScopesTest {
    private ScriptedBackend backend;
    private SessionManager manager;
    private AgbScriptEngine engine;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend();
        manager = SessionManager.create(backend);
        engine = new PythonEngineFactory().getScriptEngine(manager);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private ScriptedSandbox sandbox() {
        return backend.sandboxes.get(0);
    }

    private List<ExecutionRequest> requests() {
        return sandbox().requests;
    }

    /** The header of a namespace request's marker line. */
    private static Map<String, Object> header(ExecutionRequest request) {
        String marker = request.code().split("\n", 2)[0];
        assertTrue(marker.startsWith("# agb-namespace "), marker);
        return ValueJson.parseMap(marker.split(" ", 4)[3]);
    }

    private static String namespaceId(ExecutionRequest request) {
        return request.code().split("\n", 2)[0].split(" ")[2];
    }

    @Test
    void anEvalWithItsOwnBindingsIsOneSilentRequestSeededWithGlobalThenItsValues() throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(new SimpleBindings(Map.of("who", "global", "limit", 3)), ScriptContext.GLOBAL_SCOPE);
        context.setBindings(new SimpleBindings(new HashMap<>(Map.of("who", "local"))), ScriptContext.ENGINE_SCOPE);
        assertEquals("local", engine.eval("who", context));
        assertEquals(1, requests().size(), requests().toString());
        ExecutionRequest request = requests().get(0);
        assertTrue(request.silent(), "a namespace's eval stays out of the session's history");
        assertEquals("who", request.code().split("\n", 2)[1], "the code follows the marker line as it is");
        assertEquals(Map.of("who", "local", "limit", 3L), header(request).get("seed"));
        assertEquals(List.of(), header(request).get("drop"));
    }

    @Test
    void whatTheCodeAssignsIsWrittenBackAndUnchangedValuesStayTheHostsObjects() throws ScriptException {
        Integer count = 1000; // not a cached Integer: the same object only if it is left alone
        List<Integer> items = List.of(1, 2);
        Bindings bindings = new SimpleBindings();
        bindings.put("count", count);
        bindings.put("items", items);
        bindings.put("gone", "soon");
        engine.eval("total = 10\nlabel = \"x\"\nitems = [1, 2, 3]\ndel gone", bindings);
        assertEquals(10L, bindings.get("total"));
        assertEquals("x", bindings.get("label"));
        assertEquals(List.of(1L, 2L, 3L), bindings.get("items"));
        assertSame(count, bindings.get("count"), "a value the code did not change is not written back");
        assertFalse(bindings.containsKey("gone"), "a name the code deleted is removed from the bindings");
    }

    @Test
    void aGlobalValueTheCodeChangesLandsInTheBindingsNotInGlobalScope() throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        Bindings global = new SimpleBindings(Map.of("limit", 3));
        Bindings own = new SimpleBindings();
        context.setBindings(global, ScriptContext.GLOBAL_SCOPE);
        context.setBindings(own, ScriptContext.ENGINE_SCOPE);
        engine.eval("limit = 4", context);
        assertEquals(4L, own.get("limit"));
        assertEquals(3, global.get("limit"));
        assertEquals(4L, engine.eval("limit", context), "the bindings' value wins over the global one next time");
    }

    @Test
    void bindingsDoNotSeeEachOthersNamesButSeeTheSessionsSharedState() throws ScriptException {
        engine.eval("shared = 1");
        Bindings first = new SimpleBindings();
        Bindings second = new SimpleBindings();
        engine.eval("helper = 5", first);
        assertEquals(1L, engine.eval("shared", second), "the session's shared state is visible");
        AgbScriptException leaked = assertThrows(AgbScriptException.class, () -> engine.eval("helper", second));
        assertEquals("NameError", leaked.error().name());
        assertThrows(AgbScriptException.class, () -> engine.eval("helper"), "the engine's own scope has no helper");
        assertEquals(5L, engine.eval("helper", first), "a namespace keeps what its code defined");
        assertFalse(second.containsKey("helper"));
        assertEquals(5L, first.get("helper"));
    }

    @Test
    void theNamespacesDisplayIsKeptFromTheResultAndTheListener() throws ScriptException {
        List<MimeBundle> heard = Collections.synchronizedList(new ArrayList<>());
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(new SimpleBindings(), ScriptContext.ENGINE_SCOPE);
        context.setAttribute(AgbScriptEngine.LISTENER, new ExecutionListener() {
            @Override
            public void onResult(MimeBundle result) {
                heard.add(result);
            }
        }, ScriptContext.ENGINE_SCOPE);
        ExecutionResult result = engine.execute("x = 1\n2", context);
        assertEquals(1, result.results().size(), result.toString());
        assertTrue(result.results().get(0).isMainResult());
        assertEquals(Map.of(MimeBundle.TEXT, "2"), result.results().get(0).data(), "what the code left rode along");
        assertEquals("2", result.results().get(0).valueJson());
        assertEquals(result.results(), heard);
        assertEquals(1L, context.getBindings(ScriptContext.ENGINE_SCOPE).get("x"));
        ExecutionResult statement = engine.execute("y = 3", context);
        assertEquals(List.of(), statement.results(), "the display of what the code left is not the host's");
        assertEquals(result.results(), heard);
        assertEquals(3L, context.getBindings(ScriptContext.ENGINE_SCOPE).get("y"));
    }

    /** Bindings whose equals and hashCode are the map's, as with many hosts' own. */
    private static final class MapBindings extends HashMap<String, Object> implements Bindings {}

    @Test
    void aBindingsObjectIsKnownByIdentityNotByItsContent() throws ScriptException {
        Bindings first = new MapBindings();
        Bindings second = new MapBindings();
        assertEquals(first, second, "equal maps");
        engine.eval("1", first);
        engine.eval("1", second);
        first.put("changed", true);
        engine.eval("1", first);
        assertNotEquals(namespaceId(requests().get(0)), namespaceId(requests().get(1)));
        assertEquals(namespaceId(requests().get(0)), namespaceId(requests().get(2)), "a changed map keeps its namespace");
    }

    @Test
    void theNamespaceOfACollectedBindingsObjectIsDroppedWithTheNextEval() throws Exception {
        WeakReference<Bindings> collected = evalWithBindingsNobodyKeeps();
        String id = namespaceId(requests().get(0));
        assertTrue(sandbox().namespaces.containsKey(id));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (collected.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertEquals(null, collected.get(), "the garbage collector kept the bindings");
        engine.eval("1", new SimpleBindings());
        assertEquals(List.of(id), header(requests().get(1)).get("drop"));
        assertFalse(sandbox().namespaces.containsKey(id), "the kernel still has the namespace");
        engine.eval("1", new SimpleBindings());
        assertEquals(List.of(), header(requests().get(2)).get("drop"), "a namespace is dropped once");
    }

    private WeakReference<Bindings> evalWithBindingsNobodyKeeps() throws ScriptException {
        Bindings bindings = new SimpleBindings(new HashMap<>(Map.of("big", List.of(1, 2, 3))));
        engine.eval("x = 1", bindings);
        return new WeakReference<>(bindings);
    }

    @Test
    void invokeFunctionRunsInTheNamespaceOfTheEnginesScopeWhenItIsNotTheEnginesOwn() throws Exception {
        backend.functions.put("twice", args -> ((Number) args.get(0)).longValue() * 2);
        Bindings bindings = new SimpleBindings();
        engine.setBindings(bindings, ScriptContext.ENGINE_SCOPE);
        engine.eval("x = 21");
        assertEquals(21L, engine.get("x"), "a foreign engine scope is read as the map it is");
        assertEquals(42L, engine.invokeFunction("twice", 21));
        ExecutionRequest call = requests().get(requests().size() - 1);
        assertTrue(call.code().endsWith("\n_agb_call(\"twice\", \"[21]\")"), call.code());
        assertEquals(namespaceId(requests().get(0)), namespaceId(call));
    }

    @Test
    void aCompiledScriptEvaluatedWithBindingsRunsInTheirNamespace() throws ScriptException {
        CompiledScript script = engine.compile("result = 7");
        Bindings first = new SimpleBindings();
        Bindings second = new SimpleBindings();
        script.eval(first);
        script.eval(second);
        assertEquals(7L, first.get("result"));
        assertEquals(7L, second.get("result"));
        List<String> ids = requests().stream().filter(r -> r.code().startsWith("# agb-namespace "))
                .map(BindingsScopesTest::namespaceId).toList();
        assertEquals(2, ids.size(), requests().toString());
        assertNotEquals(ids.get(0), ids.get(1));
        assertFalse(sandbox().variables.containsKey("result"), "nothing in the session's shared scope");
    }

    @Test
    void bindingsMarkedAsSessionScopeBecomeTheSessionsVariablesAsBefore() throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        context.setAttribute(AgbScriptEngine.SCOPE, AgbScriptEngine.SESSION_SCOPE, ScriptContext.ENGINE_SCOPE);
        context.getBindings(ScriptContext.ENGINE_SCOPE).put("a", 1);
        engine.eval("b = 2", context);
        assertEquals(1L, sandbox().variables.get("a"));
        assertEquals(2L, sandbox().variables.get("b"));
        assertTrue(requests().stream().noneMatch(r -> r.code().startsWith("# agb-namespace ")));
    }

    @Test
    void aKernelWithoutNamespacesIsAnErrorRatherThanSilentSharing() {
        backend.namespaces = false;
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("x = 1", new SimpleBindings()));
        assertTrue(e.getMessage().contains("without a namespace"), e.getMessage());
    }

    @Test
    void anErrorStillWritesBackWhatTheCodeAssignedBeforeIt() {
        Bindings bindings = new SimpleBindings();
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("x = 1\nfail ValueError: no", bindings));
        assertEquals("ValueError", e.error().name());
        assertEquals(1L, bindings.get("x"));
        assertTrue(e.result().results().isEmpty(), e.result().toString());
    }

    @Test
    void theMarkerIsOneAsciiLineWhateverTheValues() throws ScriptException {
        String text = "line\u2028separator, next\u0085line, \u00e9 and \ud83d\ude00, quote \" and \\ and \n";
        Bindings bindings = new SimpleBindings(new HashMap<>(Map.of("text", text)));
        assertEquals(text, engine.eval("text", bindings));
        String marker = requests().get(0).code().split("\n", 2)[0];
        assertTrue(marker.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), marker);
        assertSame(text, bindings.get("text"), "an unchanged value is not written back");
    }
}
