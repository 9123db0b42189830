package dev.agbscript.local;

import dev.agbscript.session.Sandbox;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SessionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A session of the embedded sandbox: a private working directory (the kernels' current directory) and
 * one kernel per language, each started on first use. Closing it stops the kernels and deletes the
 * directory.
 */
final class LocalSandbox implements Sandbox {
    private final String id;
    private final Path root;
    private final Path workDir;
    private final Path runtimeDir;
    private final Map<Language, KernelManager> kernels = new EnumMap<>(Language.class);
    private volatile boolean closed;

    LocalSandbox(String id, Path parent) {
        this.id = id;
        try {
            Files.createDirectories(parent);
            this.root = Files.createTempDirectory(parent, id + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            this.workDir = Files.createDirectory(root.resolve("work"));
            this.runtimeDir = Files.createDirectory(root.resolve("runtime"));
        } catch (IOException e) {
            throw new SessionException("Cannot create the session directory under " + parent, e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** The kernels' working directory. */
    Path workDir() {
        return workDir;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        return kernel(request.language()).client().execute(request, listener);
    }

    private synchronized KernelManager kernel(Language language) {
        if (closed) {
            throw new IllegalStateException("Session " + id + " is closed");
        }
        return kernels.computeIfAbsent(language, l ->
                new KernelManager(KernelSpecs.forLanguage(l), workDir, runtimeDir, id + "-" + l.id()));
    }

    private synchronized Optional<KernelManager> existingKernel(Language language) {
        return Optional.ofNullable(kernels.get(language));
    }

    @Override
    public Completeness isComplete(Language language, String code) {
        return kernel(language).client().isComplete(code);
    }

    @Override
    public Completions complete(Language language, String code, int cursor) {
        return kernel(language).client().complete(code, cursor);
    }

    @Override
    public Optional<MimeBundle> inspect(Language language, String code, int cursor, boolean detailed) {
        return kernel(language).client().inspect(code, cursor, detailed);
    }

    @Override
    public boolean interrupt(Language language) {
        return existingKernel(language).map(KernelManager::interrupt).orElse(false);
    }

    @Override
    public void restart(Language language) {
        existingKernel(language).ifPresent(KernelManager::stop);
    }

    @Override
    public synchronized Set<Language> runningLanguages() {
        Set<Language> running = EnumSet.noneOf(Language.class);
        kernels.forEach((language, kernel) -> {
            if (kernel.isRunning()) {
                running.add(language);
            }
        });
        return running;
    }

    @Override
    public Optional<String> languageVersion(Language language) {
        return existingKernel(language).map(KernelManager::version);
    }

    /** Process ids of the running kernels, for tests and diagnostics. */
    synchronized Map<Language, Long> kernelPids() {
        Map<Language, Long> pids = new EnumMap<>(Language.class);
        kernels.forEach((language, kernel) -> {
            if (kernel.isRunning()) {
                pids.put(language, kernel.pid());
            }
        });
        return pids;
    }

    @Override
    public void close() {
        KernelManager[] toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = kernels.values().toArray(KernelManager[]::new);
        }
        // Stop the kernels in parallel: each may take a moment to exit politely.
        Stream.of(toStop).parallel().forEach(KernelManager::stop);
        deleteRecursively(root);
    }

    private static void deleteRecursively(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the directory lives under the temporary directory
        }
    }

    @Override
    public String toString() {
        return "LocalSandbox{" + id + ", " + root + "}";
    }
}
