package dev.agbscript.jshell.agent;

import java.util.List;

/**
 * The user's variables and methods as JShell knows them, for the prelude functions {@code _agb_names()} and
 * {@code _agb_functions()}. Snippets run here, in the agent JVM, but only the kernel's JShell knows which
 * declarations are active; the kernel sends the lists whenever a cell changed them ({@link #COMMAND}).
 */
public final class Declarations {
    /** The JShell extension command that carries the lists: a {@code String[][]} of variables, then methods. */
    public static final String COMMAND = "agb.declarations";

    private static volatile List<String> variables = List.of();
    private static volatile List<String> methods = List.of();

    private Declarations() {}

    static void update(String[][] lists) {
        variables = List.of(lists[0]);
        methods = List.of(lists[1]);
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
