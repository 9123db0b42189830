package dev.agbscript.engine;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.script.Bindings;

/**
 * The ENGINE_SCOPE of an engine's own context: a live view of the kernel's global variables, as Nashorn's
 * engine scope is the script's global object. A value the host puts becomes a variable before the next
 * eval; reading a name asks the kernel (once per eval: answers are cached until the next one), so variables
 * the script defined or changed are what {@code engine.get(name)} returns. Names that are no variables of
 * the language ({@code javax.script.filename}) and values with no JSON form stay on the Java side.
 */
final class KernelBindings extends AbstractMap<String, Object> implements Bindings {
    /** Reads the kernel for the engine. */
    interface Kernel {
        /** The variable's value (null for null) when the kernel has it; empty when not, or no kernel runs. */
        Optional<Optional<Object>> read(String name);

        /** The user's global variables, empty when no kernel runs. */
        Set<String> names();

        /** Removes the variable from the kernel, when one runs. */
        void remove(String name);

        boolean isVariableName(String name);
    }

    private final Kernel kernel;
    private final Map<String, Object> local = new LinkedHashMap<>();
    private final Set<String> unsent = new LinkedHashSet<>();
    private final Map<String, Optional<Object>> readThisEval = new LinkedHashMap<>();

    KernelBindings(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Object put(String name, Object value) {
        checkName(name);
        Object previous = get(name);
        synchronized (this) {
            putLocal(name, value);
        }
        return previous;
    }

    private void putLocal(String name, Object value) {
        local.put(name, value);
        if (kernel.isVariableName(name)) {
            unsent.add(name);
            readThisEval.put(name, Optional.ofNullable(value));
        }
    }

    @Override
    public Object get(Object key) {
        return lookup(key).orElse(null);
    }

    @Override
    public boolean containsKey(Object key) {
        if (lookup(key).isPresent()) {
            return true;
        }
        synchronized (this) {
            return local.containsKey(key);
        }
    }

    /**
     * The value, from the kernel when it is a variable there. The monitor is never held while the kernel
     * is asked: an eval holding the engine's lock may need this object meanwhile.
     */
    private Optional<Object> lookup(Object key) {
        String name = checkKey(key);
        synchronized (this) {
            if (!kernel.isVariableName(name) || unsent.contains(name)) {
                return Optional.ofNullable(local.get(name));
            }
            Optional<Object> known = readThisEval.get(name);
            if (known != null) {
                return known;
            }
        }
        Optional<Optional<Object>> read = kernel.read(name);
        synchronized (this) {
            if (read.isPresent()) {
                readThisEval.put(name, read.get());
                return read.get();
            }
            return Optional.ofNullable(local.get(name));
        }
    }

    /** Removes the name: the host's value, and the kernel's variable when a kernel runs. */
    @Override
    public Object remove(Object key) {
        String name = checkKey(key);
        Object previous = get(name);
        boolean variable;
        synchronized (this) {
            local.remove(name);
            unsent.remove(name);
            readThisEval.remove(name);
            variable = kernel.isVariableName(name);
        }
        if (variable) {
            kernel.remove(name);
        }
        return previous;
    }

    /** A snapshot: the host's values and the kernel's variables, read now. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> all;
        synchronized (this) {
            all = new LinkedHashMap<>(local);
        }
        for (String name : kernel.names()) {
            all.put(name, get(name));
        }
        return all.entrySet();
    }

    /** The host's values not yet sent to the kernel; they count as sent from now on. */
    synchronized Map<String, Object> takeUnsent() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : unsent) {
            out.put(name, local.get(name));
        }
        unsent.clear();
        return out;
    }

    /** An eval ran: what the kernel said before may be out of date. */
    synchronized void kernelChanged() {
        readThisEval.clear();
    }

    /** As {@link Bindings} asks: a null key is a NullPointerException, a key that is no String a ClassCastException. */
    private static String checkKey(Object key) {
        if (key == null) {
            throw new NullPointerException("binding names cannot be null");
        }
        if (!(key instanceof String name)) {
            throw new ClassCastException("binding names are Strings, not " + key.getClass().getName());
        }
        checkName(name);
        return name;
    }

    private static void checkName(String name) {
        if (name == null) {
            throw new NullPointerException("binding names cannot be null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("binding names cannot be empty");
        }
    }
}
