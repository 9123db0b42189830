package dev.agbscript.engine;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.script.Bindings;

/**
 * What an engine keeps for each Bindings object a host evaluates with (a namespace's id, a private session), for as
 * long as that object is reachable. Bindings are Maps, whose equals and hashCode change with their content, so they
 * are told apart by identity; and they are held weakly, so a host's per-call Bindings is freed as usual. What was
 * kept for a Bindings object that was collected is handed back once by {@link #collected()}. Thread-safe.
 */
final class BindingsRegistry<T> {
    private final Map<Key, T> entries = new HashMap<>();

    /** What is kept for the Bindings object, made by {@code create} the first time. */
    synchronized T get(Bindings bindings, Supplier<T> create) {
        Key key = new Key(bindings);
        T value = entries.get(key);
        if (value == null) {
            value = create.get();
            entries.put(key, value);
        }
        return value;
    }

    /**
     * What was kept for the Bindings objects the garbage collector has cleared since the last call, now forgotten.
     * A scan rather than a ReferenceQueue: a reference is cleared by the collection itself but queued later by
     * another thread, and the next eval should see every Bindings object that is gone.
     */
    synchronized List<T> collected() {
        List<T> gone = new ArrayList<>();
        for (Iterator<Map.Entry<Key, T>> i = entries.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<Key, T> entry = i.next();
            if (entry.getKey().refersTo(null)) {
                gone.add(entry.getValue());
                i.remove();
            }
        }
        return gone;
    }

    /** Forgets what was kept for whichever Bindings object it was kept for. */
    synchronized void forget(T value) {
        entries.values().removeIf(kept -> kept == value);
    }

    /** Everything kept, now forgotten (the engine is closing). */
    synchronized List<T> clear() {
        List<T> all = new ArrayList<>(entries.values());
        entries.clear();
        return all;
    }

    /** A Bindings object by identity, held weakly. */
    private static final class Key extends WeakReference<Bindings> {
        private final int hash;

        Key(Bindings bindings) {
            super(bindings);
            this.hash = System.identityHashCode(bindings);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key key) || key.hash != hash) {
                return false;
            }
            Bindings bindings = get();
            return bindings != null && key.refersTo(bindings);
        }
    }
}
