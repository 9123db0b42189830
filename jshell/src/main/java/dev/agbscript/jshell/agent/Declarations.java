package dev.agbscript.jshell.agent;

import java.util.List;

/**
 * The user's variables and methods as JShell knows them, for the prelude functions {@code _agb_names()} and
 * {@code _agb_functions()}. Snippets run here, in the agent JVM, but only the kernel's JShell knows which
 * declarations are active; the kernel sends the lists whenever a cell changed them, as a snippet that calls
 * {@link #update}.
 */
public final class Declarations {
    private static volatile List<String> variables = List.of();
    private static volatile List<String> methods = List.of();

    private Declarations() {}

    /** The kernel's call, after a cell that changed them: the active variables, then methods, sorted. */
    public static void update(String[] variables, String[] methods) {
        Declarations.variables = List.of(variables);
        Declarations.methods = List.of(methods);
    }

    /** The active variables the user declared, sorted. */
    public static List<String> variables() {
        return variables;
    }

    /** The active methods the user declared, sorted. */
    public static List<String> methods() {
        return methods;
    }
}
