package dev.agbscript.jshell;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;

/**
 * Makes JShell forget the snippets no later snippet can use, so that an eval costs the same after 10,000 evals as
 * after 10.
 *
 * <p>JShell remembers every snippet it ever ran, and several steps of each new snippet's compile walk all of them:
 * javac lists and enters the class of every snippet (the package {@code REPL}, kept in JShell's in-memory file
 * manager), JShell copies its list of snippets and walks its key index, and javac's reused symbol table keeps an
 * empty entry for each class it ever removed. The bare kernel's {@code 1 + 1} took 18 ms for a session's first
 * evals and 60 ms after 3,000. A snippet is <em>spent</em> once it ran and declares nothing active: expressions and
 * statements (no later snippet can name them), and dropped, replaced or rejected declarations (no longer imported
 * into later snippets). After each cell their classes leave the file manager and they leave JShell's snippet list,
 * key index and dependency map; every {@value #SYMBOL_SWEEP_INTERVAL} cells the empty entries leave javac's symbol
 * tables. {@link JShell#snippets()} then lists the active declarations and the latest cell's snippets only. The
 * agent JVM keeps the classes it loaded (a class loader cannot unload one class): a few KiB of metaspace per cell.
 *
 * <p>JShell has no API for any of this: its internals are reached by reflection, which needs the packages opened
 * in {@link JShellKernel#HOST_JVM_OPTIONS}. When they are not (another launch, another JDK's internals), nothing is
 * forgotten, one warning says so, and the kernel works as before, slowing down as the session ages.
 */
final class SpentSnippets {
    private static final Logger LOG = Logger.getLogger(SpentSnippets.class.getName());
    /** The package and name prefix of JShell's wrapper classes ({@code REPL.$JShell$12}, {@code REPL.$JShell$12$Inner}). */
    private static final String WRAPPER_PREFIX = "REPL.$JShell$";
    /** Cells between two sweeps of javac's symbol tables (a walk of every class javac knows, JDK classes too). */
    static final int SYMBOL_SWEEP_INTERVAL = 100;

    private final JShell shell;
    private final Internals internals;
    private int cells;

    private SpentSnippets(JShell shell, Internals internals) {
        this.shell = shell;
        this.internals = internals;
    }

    static SpentSnippets of(JShell shell) {
        try {
            return new SpentSnippets(shell, new Internals(shell));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("Evals will slow down as the session ages: JShell's internals cannot be reached (" + e
                    + "); run the kernel with " + String.join(" ", JShellKernel.HOST_JVM_OPTIONS));
            return new SpentSnippets(shell, null);
        }
    }

    /** Forgets the spent snippets; called after each cell, on the thread that runs them. */
    void forget() {
        if (internals == null) {
            return;
        }
        try {
            Set<String> activeClasses = new HashSet<>();
            List<Snippet> spent = new ArrayList<>();
            for (Snippet snippet : (Iterable<Snippet>) shell.snippets()::iterator) {
                if (declares(snippet) && shell.status(snippet).isActive()) {
                    activeClasses.add(internals.className(snippet));
                } else {
                    spent.add(snippet);
                }
            }
            internals.compiledClasses().keySet().removeIf(name -> name.startsWith(WRAPPER_PREFIX)
                    && !activeClasses.contains(wrapperOf(name)));
            internals.forgetSnippets(spent);
            if (++cells % SYMBOL_SWEEP_INTERVAL == 0) {
                internals.sweepSymbolTables();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("Spent snippets are not forgotten: " + e);
        }
    }

    /** The classes the compiler sees (for tests). */
    Set<String> compiledClasses() {
        return internals == null ? Set.of() : Set.copyOf(internals.compiledClasses().keySet());
    }

    private static boolean declares(Snippet snippet) {
        return switch (snippet.kind()) {
            case VAR, METHOD, TYPE_DECL, IMPORT -> true;
            case EXPRESSION, STATEMENT, ERRONEOUS -> false;
        };
    }

    /** {@code REPL.$JShell$12$Inner} → {@code REPL.$JShell$12}. */
    private static String wrapperOf(String className) {
        int end = className.indexOf('$', WRAPPER_PREFIX.length());
        return end < 0 ? className : className.substring(0, end);
    }

    /** The fields and methods of JShell (and of the javac it runs) that hold what is forgotten. */
    private static final class Internals {
        private final Map<String, ?> compiledClasses;
        private final Collection<Snippet> snippets;
        private final List<Snippet> keyIndexToSnippet;
        private final Map<String, Set<Integer>> dependencies;
        private final Method className;
        private final Method key;
        private final Method keyIndex;
        private final Object taskFactory;
        private final Field taskPool;
        private final Field taskPoolContexts;
        private final Method symtabOf;
        private final Field symtabClasses;

        @SuppressWarnings("unchecked")
        Internals(JShell shell) throws ReflectiveOperationException {
            taskFactory = field(JShell.class, "taskFactory").get(shell);
            Object fileManager = method(taskFactory.getClass(), "fileManager").invoke(taskFactory);
            compiledClasses = (Map<String, ?>) field(fileManager.getClass(), "classObjects").get(fileManager);
            Object maps = field(JShell.class, "maps").get(shell);
            snippets = (Collection<Snippet>) field(maps.getClass(), "snippets").get(maps);
            keyIndexToSnippet = (List<Snippet>) field(maps.getClass(), "keyIndexToSnippet").get(maps);
            dependencies = (Map<String, Set<Integer>>) field(maps.getClass(), "dependencies").get(maps);
            className = method(Snippet.class, "classFullName");
            key = method(Snippet.class, "key");
            keyIndex = method(key.getReturnType(), "index");
            taskPool = field(taskFactory.getClass(), "javacTaskPool");
            taskPoolContexts = field(taskPool.getType(), "options2Contexts");
            Class<?> symtab = Class.forName("com.sun.tools.javac.code.Symtab", false, JShell.class.getClassLoader());
            Class<?> context = Class.forName("com.sun.tools.javac.util.Context", false, symtab.getClassLoader());
            symtabOf = symtab.getMethod("instance", context);
            symtabClasses = field(symtab, "classes");
        }

        Map<String, ?> compiledClasses() {
            return compiledClasses;
        }

        String className(Snippet snippet) throws ReflectiveOperationException {
            return (String) className.invoke(snippet);
        }

        /** Out of the snippet list, the key index and the dependency map (which lists dependents by key index). */
        void forgetSnippets(List<Snippet> spent) throws ReflectiveOperationException {
            if (spent.isEmpty()) {
                return;
            }
            snippets.removeAll(new HashSet<>(spent));
            Set<Integer> freed = new HashSet<>();
            for (Snippet snippet : spent) {
                int index = (int) keyIndex.invoke(key.invoke(snippet));
                // A replaced declaration shares its key with the one that replaced it: that entry stays.
                if (index < keyIndexToSnippet.size() && keyIndexToSnippet.get(index) == snippet) {
                    keyIndexToSnippet.set(index, null);
                    freed.add(index);
                }
            }
            if (!freed.isEmpty()) {
                dependencies.values().forEach(dependents -> dependents.removeAll(freed));
            }
        }

        /** javac keeps an empty entry for every class removed from a reused context's symbol table. */
        void sweepSymbolTables() throws ReflectiveOperationException {
            Object pool = taskPool.get(taskFactory);
            if (pool == null) {
                return;
            }
            synchronized (pool) { // as JavacTaskPool guards its contexts; the idle ones are in the map
                for (Queue<?> contexts : ((Map<?, Queue<?>>) taskPoolContexts.get(pool)).values()) {
                    for (Object context : contexts) {
                        Map<?, Map<?, ?>> classes = (Map<?, Map<?, ?>>) symtabClasses.get(symtabOf.invoke(null, context));
                        classes.values().removeIf(Map::isEmpty);
                    }
                }
            }
        }

        private static Field field(Class<?> type, String name) throws NoSuchFieldException {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }

        private static Method method(Class<?> type, String name) throws NoSuchMethodException {
            Method method = type.getDeclaredMethod(name);
            method.setAccessible(true);
            return method;
        }
    }
}
