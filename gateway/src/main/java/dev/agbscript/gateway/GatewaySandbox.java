package dev.agbscript.gateway;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Sandbox;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A session on the gateway: one kernel per language, each started there on first use. Closing it deletes them.
 * The kernels run in the gateway's own working folder (its root folder, or what the kernel's image sets): the
 * sandbox has no folder of its own and no file API, since a Kernel or Enterprise Gateway offers none.
 */
final class GatewaySandbox implements Sandbox {
    private final String id;
    private final GatewayBackend backend;
    private final Map<Language, GatewayKernel> kernels = new EnumMap<>(Language.class);
    private volatile boolean closed;

    GatewaySandbox(String id, GatewayBackend backend) {
        this.id = id;
        this.backend = backend;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        return kernel(request.language()).client().execute(request, listener);
    }

    private synchronized GatewayKernel kernel(Language language) {
        if (closed) {
            throw new IllegalStateException("Session " + id + " is closed");
        }
        return kernels.computeIfAbsent(language, l -> new GatewayKernel(backend, l));
    }

    private synchronized Optional<GatewayKernel> existingKernel(Language language) {
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
        return existingKernel(language).map(GatewayKernel::interrupt).orElse(false);
    }

    /** A new kernel on the next use: deleting the old one is what a fresh state takes on every gateway. */
    @Override
    public void restart(Language language) {
        existingKernel(language).ifPresent(GatewayKernel::stop);
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
        return existingKernel(language).map(GatewayKernel::version);
    }

    /** The gateway's ids of the running kernels, for tests and diagnostics. */
    synchronized Map<Language, String> kernelIds() {
        Map<Language, String> ids = new EnumMap<>(Language.class);
        kernels.forEach((language, kernel) -> {
            String kernelId = kernel.kernelId();
            if (kernelId != null && kernel.isRunning()) {
                ids.put(language, kernelId);
            }
        });
        return ids;
    }

    /** The running kernel of the language, for tests. */
    synchronized Optional<GatewayKernel> kernelOf(Language language) {
        return Optional.ofNullable(kernels.get(language));
    }

    @Override
    public void close() {
        GatewayKernel[] toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = kernels.values().toArray(GatewayKernel[]::new);
        }
        // Each DELETE waits for the kernel to shut down on the gateway: in parallel.
        Stream.of(toStop).parallel().forEach(GatewayKernel::stop);
    }

    @Override
    public String toString() {
        return "GatewaySandbox{" + id + ", " + backend.api().config().url() + "}";
    }
}
