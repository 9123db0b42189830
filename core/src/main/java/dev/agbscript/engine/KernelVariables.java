package dev.agbscript.engine;

import dev.agbscript.engine.AgbScriptEngine.Table;
import dev.agbscript.engine.AgbScriptEngine.TableShape;
import dev.agbscript.engine.AgbScriptEngine.Variable;
import dev.agbscript.engine.AgbScriptEngine.VariableSummary;
import dev.agbscript.session.ValueJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/**
 * An engine's way to the variables and functions of its kernel, through the language's {@link PreludeCalls}:
 * the host's bindings become variables before an eval; variables are read for the live ENGINE_SCOPE
 * ({@link KernelBindings}) and listed; functions are listed and called. Reading never starts a kernel.
 */
final class KernelVariables implements KernelBindings.Kernel {
    private static final Logger LOG = Logger.getLogger(KernelVariables.class.getName());

    /** Runs the engine's housekeeping code and gives the value of its last expression. */
    interface Housekeeping {
        /** @param start whether a kernel may be started for it; when not and none runs, the answer is null */
        Object value(String code, boolean start) throws ScriptException;
    }

    private final Dialect dialect;
    private final PreludeCalls prelude;
    private final Housekeeping kernel;
    /** The global values this engine sent, by name, as JSON: sent again only when the host changes them. */
    private final Map<String, String> sentGlobals = new ConcurrentHashMap<>();
    private static final Set<String> WARNED_BINDINGS = ConcurrentHashMap.newKeySet();
    /**
     * What well-known hosts bind that has no JSON form: Apache Ant's {@code project} and {@code self} (and
     * {@code <scriptdef>}'s {@code elements}, lists of Ant's element objects), Apache
     * JMeter's JSR-223 elements' {@code log}, {@code ctx}, {@code vars}, {@code props}, {@code sampler},
     * {@code prev}, {@code SampleResult}, {@code OUT} and their kin, Camunda's {@code execution}, {@code task} and
     * kin. Not passing them is expected, not news.
     */
    static final Set<String> HOST_OBJECTS = Set.of("project", "self", "elements", "log", "ctx", "vars", "props", "sampler",
            "prev", "SampleResult", "OUT", "Label", "FileName", "Parameters", "args", "AssertionResult", "Response",
            "Failure", "FailureMessage", "execution", "task", "externalTask", "caseExecution", "connector");

    KernelVariables(Dialect dialect, Housekeeping kernel) {
        this.dialect = dialect;
        this.prelude = dialect.prelude();
        this.kernel = kernel;
    }

    /** Whether a binding of this name becomes a variable: no {@code javax.script.*} or {@code agb.*} keys. */
    @Override
    public boolean isVariableName(String name) {
        return !name.startsWith("javax.script.") && !name.startsWith("agb.") && dialect.isIdentifier(name);
    }

    /**
     * The code that sets the context's bindings as variables, or empty when there is nothing to send.
     * GLOBAL_SCOPE gives initial values, as in Nashorn and GraalJS: a global value is sent when this engine has not
     * sent it before or the host changed it, so a variable the script assigned since is not overwritten on every
     * eval. ENGINE_SCOPE then wins: of the engine's own scope the values the host put since the last eval, of any
     * other bindings all of them. The engine's own scope put into GLOBAL_SCOPE (a pattern some hosts use) is the
     * kernel itself, so it is not sent back.
     *
     * @throws IllegalArgumentException naming a binding that holds text UTF-8 cannot carry
     */
    Optional<String> bindCode(ScriptContext context, KernelBindings engineScope) {
        Map<String, String> variables = new LinkedHashMap<>();
        Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE);
        if (global != null && global != engineScope) {
            Map<String, String> globals = new LinkedHashMap<>();
            collect(global, globals);
            globals.forEach((name, json) -> {
                if (!json.equals(sentGlobals.put(name, json))) {
                    variables.put(name, json);
                }
            });
        }
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        collect(scope == engineScope ? engineScope.takeUnsent() : scope, variables);
        if (variables.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder json = new StringBuilder("{");
        variables.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append(ValueJson.write(name))
                .append(':').append(value));
        return Optional.of(prelude.bind(json.append('}').toString()));
    }

    /**
     * The values a namespace of a per-call Bindings object starts from, as JSON by name: GLOBAL_SCOPE's, then the
     * context's ENGINE_SCOPE's, which win; all of them on every eval (the Bindings object holds what the code
     * assigned last time, so this is what the namespace holds). The engine's own scope in GLOBAL_SCOPE is the
     * session's state, which the namespace sees anyway.
     *
     * @throws IllegalArgumentException naming a binding that holds text UTF-8 cannot carry
     */
    Map<String, String> seed(ScriptContext context, Bindings engineScope) {
        Map<String, String> values = new LinkedHashMap<>();
        Bindings scope = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE);
        if (global != null && global != engineScope && global != scope) {
            collect(global, values);
        }
        collect(scope, values);
        return values;
    }

    /**
     * Adds the JSON of each binding that can cross. Skipped silently: names that are no variable names, and the
     * host's own scripting objects (engines, contexts, bindings: jrunscript binds {@code engine}). Skipped with a
     * debug line: the objects well-known hosts bind ({@link #HOST_OBJECTS}). Skipped with a warning, once per name
     * in the process (hosts that make an engine per script would repeat it): any other value without a JSON form.
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
            } catch (ValueJson.LoneSurrogateException e) {
                throw new IllegalArgumentException("Binding '" + name + "' cannot be passed to "
                        + dialect.language().displayName() + ": " + e.getMessage());
            } catch (ValueJson.UnrepresentableValueException e) {
                if (HOST_OBJECTS.contains(name)) {
                    LOG.fine("Host object '" + name + "' is not passed to " + dialect.language().displayName());
                } else if (WARNED_BINDINGS.add(name)) {
                    LOG.warning("Binding '" + name + "' is not passed to " + dialect.language().displayName()
                            + ": " + e.getMessage() + " (said once per name)");
                }
            }
        }
    }

    /** The kernel lost its state: the host's global values are its initial values again. */
    void kernelRestarted() {
        sentGlobals.clear();
    }

    @Override
    public Optional<Optional<Object>> read(String name) {
        return describe(name).map(variable -> Optional.ofNullable(
                variable.text() == null ? variable.value() : variable.text()));
    }

    /** The variable, when a kernel runs and has it. */
    Optional<Variable> describe(String name) {
        return summarize(name).map(VariableSummary::variable);
    }

    /** The variable with its type and, for a table, its shape, when a kernel runs and has it. */
    Optional<VariableSummary> summarize(String name) {
        Object answer = quietly(prelude.read(name));
        if (!(answer instanceof Map<?, ?> map) || !Boolean.TRUE.equals(map.get("found"))) {
            return Optional.empty();
        }
        Variable variable = map.containsKey("value") ? new Variable(name, map.get("value"), null)
                : new Variable(name, null, String.valueOf(map.get("text")));
        TableShape shape = map.get("rows") instanceof Number rows && map.get("columns") instanceof List<?> columns
                ? new TableShape(rows.longValue(), columns.stream().map(String::valueOf).toList()) : null;
        return Optional.of(new VariableSummary(variable, map.get("type") instanceof String type ? type : null, shape));
    }

    @Override
    public void remove(String name) {
        quietly(prelude.unbind(name));
    }

    @Override
    public Set<String> names() {
        return strings(quietly(prelude.variables()));
    }

    /** The user's variables with their values, read now; empty while no kernel runs. */
    List<Variable> variables() {
        return names().stream().map(this::describe).flatMap(Optional::stream).toList();
    }

    /** The user's variables with their types and shapes, read now; empty while no kernel runs. */
    List<VariableSummary> summaries() {
        return names().stream().map(this::summarize).flatMap(Optional::stream).toList();
    }

    /**
     * A table variable's columns and rows, read from the running kernel.
     *
     * @throws ScriptException when it is no table, or a value in it has no JSON form (the message says which)
     */
    Table table(String name) throws ScriptException {
        Object answer = kernel.value(prelude.table(name), false);
        if (!(answer instanceof Map<?, ?> map) || !(map.get("columns") instanceof List<?> columns)
                || !(map.get("records") instanceof List<?> records)) {
            throw new ScriptException("No " + dialect.language().displayName() + " table " + name + " to read");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object record : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            ((Map<?, ?>) record).forEach((column, value) -> row.put(String.valueOf(column), value));
            rows.add(row);
        }
        return new Table(columns.stream().map(String::valueOf).toList(), rows);
    }

    /** Sets a variable of the kernel (started if need be) now. */
    void define(String name, Object value) throws ScriptException {
        checkVariableName(name);
        kernel.value(prelude.bind("{" + ValueJson.write(name) + ":" + ValueJson.write(value) + "}"), true);
    }

    /** Sets a variable of the kernel (started if need be) to a table of the language, or its records. */
    void defineTable(String name, Table table) throws ScriptException {
        checkVariableName(name);
        kernel.value(prelude.bindTable(name, ValueJson.write(Map.of("columns", table.columns(),
                "records", table.records()))), true);
    }

    private void checkVariableName(String name) {
        if (!isVariableName(name)) {
            throw new IllegalArgumentException("'" + name + "' is no variable name in " + dialect.language().displayName());
        }
    }

    /** Whether the kernel (started if need be) has a function of this name. */
    boolean isFunction(String name) {
        try {
            return strings(kernel.value(prelude.functions(), true)).contains(name);
        } catch (ScriptException e) {
            return false;
        }
    }

    /**
     * Calls a function of the kernel (started if need be), arguments and result crossing as values do.
     *
     * @throws NoSuchMethodException when the kernel has no such function
     */
    Object call(String name, Object... args) throws ScriptException, NoSuchMethodException {
        String arguments;
        try {
            arguments = ValueJson.write(args == null ? List.of() : Arrays.asList(args));
        } catch (ValueJson.UnrepresentableValueException e) {
            throw new IllegalArgumentException("Cannot pass the arguments of " + name + ": " + e.getMessage(), e);
        }
        try {
            return kernel.value(prelude.call(name, arguments), true);
        } catch (AgbScriptException e) {
            if (prelude.isMissingFunction(e.error())) {
                throw new NoSuchMethodException("No function " + name + " in the " + dialect.language().displayName()
                        + " session");
            }
            throw e;
        }
    }

    /** The value of housekeeping code in a running kernel; null when none runs, or the code failed. */
    private Object quietly(String code) {
        try {
            return kernel.value(code, false);
        } catch (AgbScriptException e) {
            return null; // the code failed: in Java a missing variable does not compile; not found
        } catch (ScriptException e) {
            LOG.warning("Cannot read the " + dialect.language().displayName() + " kernel's variables: "
                    + e.getMessage());
            return null;
        }
    }

    private static Set<String> strings(Object answer) {
        Set<String> names = new LinkedHashSet<>();
        if (answer instanceof List<?> list) {
            list.forEach(name -> names.add(String.valueOf(name)));
        }
        return names;
    }
}
