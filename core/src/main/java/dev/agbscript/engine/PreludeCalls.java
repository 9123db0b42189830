package dev.agbscript.engine;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.Prelude;
import dev.agbscript.session.ValueJson;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The operations of the prelude contract ({@link Prelude}), written as code of one language: the engine runs
 * that code silently and reads the answer as the value of its last expression. JSON arguments come written
 * once, by the caller.
 */
public interface PreludeCalls {
    /** Code that sets a global variable for each member of the JSON object. */
    String bind(String jsonObject);

    /**
     * Code whose value describes the variable: {@code {"found": false}}, {@code {"found": true, "value": V}}
     * for a value with a JSON form, or {@code {"found": true, "text": "its text form"}}. Code that fails to
     * compile also means "not found".
     */
    String read(String name);

    /**
     * Code whose value is null when the code compiles, else its first syntax error as
     * {@code {"name": N, "message": M, "line": L, "column": C}} (lines and columns 1-based, -1 when unknown);
     * nothing runs.
     */
    String check(String code);

    /** Code that removes the global variable, if there is one. */
    String unbind(String name);

    /** Code whose value is the sorted list of the user's global variables (no functions, modules, classes). */
    String variables();

    /** Code whose value is the sorted list of the user's global functions. */
    String functions();

    /** Code that calls the function with the arguments of the JSON array; its value is the function's. */
    String call(String function, String jsonArguments);

    /**
     * The code of one eval in a namespace of its own (a per-call Bindings object): the code with the namespace's
     * marker as its first line, which the prelude reads and removes before it compiles the code, so the code's
     * lines keep their numbers. Empty when the language has no namespaces (Java).
     *
     * @param id     the namespace, made of letters, digits and {@code -}; created on first use
     * @param header the JSON object {@code {"seed": {name: value...}, "drop": [ids]}} on one line, ASCII only
     */
    Optional<String> inNamespace(String id, String header, String code);

    /** Code whose value is the sorted list of the namespaces the kernel holds; empty when it has none (Java). */
    Optional<String> namespaces();

    /**
     * Code whose value is the table variable as {@code {"columns": [...], "records": [{column: value}]}}; it fails
     * when the variable is no table or a value in it has no JSON form. Only languages with tables have it.
     */
    default String table(String name) {
        throw new UnsupportedOperationException("No tables to read in this language");
    }

    /**
     * Code that sets the variable to a table made of {@code {"columns": [...], "records": [...]}}; by default,
     * for languages without tables, to the list of the records.
     */
    default String bindTable(String name, String jsonTable) {
        Object records = ValueJson.parseMap(jsonTable).get("records");
        return bind("{" + ValueJson.write(name) + ":" + ValueJson.write(records) + "}");
    }

    /** True when the error of {@link #call} says that there is no such function. */
    default boolean isMissingFunction(ExecutionError error) {
        return error.message().contains("agb-no-such-function");
    }

    /**
     * The calls of a prelude that defines the functions {@code <prefix>bind}, {@code get}, {@code unbind},
     * {@code check}, {@code names}, {@code functions}, {@code namespaces}, {@code call}, {@code table} and
     * {@code bind_table}, taking strings, as the Python, JavaScript and R preludes do; a namespace's marker is a
     * comment starting with {@code lineComment}.
     */
    static PreludeCalls functions(String prefix, String lineComment, UnaryOperator<String> stringLiteral) {
        return new PreludeCalls() {
            private String invoke(String function, String... arguments) {
                StringBuilder code = new StringBuilder(prefix).append(function).append('(');
                for (int i = 0; i < arguments.length; i++) {
                    code.append(i == 0 ? "" : ", ").append(stringLiteral.apply(arguments[i]));
                }
                return code.append(')').toString();
            }

            @Override
            public String bind(String jsonObject) {
                return invoke("bind", jsonObject);
            }

            @Override
            public String read(String name) {
                return invoke("get", name);
            }

            @Override
            public String check(String code) {
                return invoke("check", code);
            }

            @Override
            public String unbind(String name) {
                return invoke("unbind", name);
            }

            @Override
            public String variables() {
                return invoke("names");
            }

            @Override
            public String functions() {
                return invoke("functions");
            }

            @Override
            public String call(String function, String jsonArguments) {
                return invoke("call", function, jsonArguments);
            }

            @Override
            public Optional<String> inNamespace(String id, String header, String code) {
                return Optional.of(lineComment + " " + Prelude.NAMESPACE_MARKER + " " + id + " " + header + "\n" + code);
            }

            @Override
            public Optional<String> namespaces() {
                return Optional.of(invoke("namespaces"));
            }

            @Override
            public String table(String name) {
                return invoke("table", name);
            }

            @Override
            public String bindTable(String name, String jsonTable) {
                return invoke("bind_table", name, jsonTable);
            }
        };
    }
}
