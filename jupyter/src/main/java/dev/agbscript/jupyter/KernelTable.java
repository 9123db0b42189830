package dev.agbscript.jupyter;

import dev.agbscript.session.Language;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The kernels of one sandbox, at most one per language, each made on first use; what a sandbox answers of its kernels
 * (which run, their versions, interrupt, restart) comes from here. Once closed it makes no more kernels.
 */
public final class KernelTable<K extends LanguageKernel> {
    private final Supplier<String> sandboxId;
    private final Map<Language, K> kernels = new EnumMap<>(Language.class);
    private boolean closed;

    /** @param sandboxId the sandbox's id, for errors (a local sandbox takes over a pooled kernel's id) */
    public KernelTable(Supplier<String> sandboxId) {
        this.sandboxId = sandboxId;
    }

    /** The language's kernel, made by {@code make} when there is none yet. */
    public synchronized K get(Language language, Function<Language, K> make) {
        if (closed) {
            throw new IllegalStateException("Session " + sandboxId.get() + " is closed");
        }
        return kernels.computeIfAbsent(language, make);
    }

    public synchronized Optional<K> existing(Language language) {
        return Optional.ofNullable(kernels.get(language));
    }

    public boolean interrupt(Language language) {
        return existing(language).map(LanguageKernel::interrupt).orElse(false);
    }

    /** A new kernel on the next use. */
    public void restart(Language language) {
        existing(language).ifPresent(LanguageKernel::stop);
    }

    public synchronized Set<Language> running() {
        Set<Language> running = EnumSet.noneOf(Language.class);
        kernels.forEach((language, kernel) -> {
            if (kernel.isRunning()) {
                running.add(language);
            }
        });
        return running;
    }

    public Optional<String> version(Language language) {
        return existing(language).map(LanguageKernel::version);
    }

    /** Something of each running kernel (its pid, its id on a gateway), for tests and diagnostics. */
    public synchronized <T> Map<Language, T> ofRunning(Function<K, T> what) {
        Map<Language, T> of = new EnumMap<>(Language.class);
        kernels.forEach((language, kernel) -> {
            if (kernel.isRunning()) {
                of.put(language, what.apply(kernel));
            }
        });
        return of;
    }

    public synchronized List<K> all() {
        return List.copyOf(kernels.values());
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the table and stops its kernels, in parallel (each may take a moment to end politely).
     *
     * @return false when it was closed already
     */
    public boolean close() {
        List<K> toStop;
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            toStop = List.copyOf(kernels.values());
        }
        toStop.parallelStream().forEach(LanguageKernel::stop);
        return true;
    }
}
