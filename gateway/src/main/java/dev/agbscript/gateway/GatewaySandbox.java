package dev.agbscript.gateway;

import dev.agbscript.jupyter.KernelTable;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Sandbox;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A session on the gateway: one kernel per language, each started there on first use. Closing it deletes them.
 * The kernels run in the gateway's own working folder (its root folder, or what the kernel's image sets): the
 * sandbox has no folder of its own and no file API, since a Kernel or Enterprise Gateway offers none.
 */
final class GatewaySandbox implements Sandbox {
    private final String id;
    private final GatewayBackend backend;
    private final KernelTable<GatewayKernel> kernels;

    GatewaySandbox(String id, GatewayBackend backend) {
        this.id = id;
        this.backend = backend;
        this.kernels = new KernelTable<>(() -> id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        return kernel(request.language()).client().execute(request, listener);
    }

    private GatewayKernel kernel(Language language) {
        return kernels.get(language, l -> new GatewayKernel(backend, l));
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
        return kernels.interrupt(language);
    }

    /** A new kernel on the next use: deleting the old one is what a fresh state takes on every gateway. */
    @Override
    public void restart(Language language) {
        kernels.restart(language);
    }

    @Override
    public Set<Language> runningLanguages() {
        return kernels.running();
    }

    @Override
    public Optional<String> languageVersion(Language language) {
        return kernels.version(language);
    }

    /** The gateway's ids of the running kernels, for tests and diagnostics. */
    Map<Language, String> kernelIds() {
        Map<Language, String> ids = new EnumMap<>(Language.class);
        kernels.ofRunning(GatewayKernel::kernelId).forEach((language, kernelId) -> {
            if (kernelId != null) {
                ids.put(language, kernelId);
            }
        });
        return ids;
    }

    /** The kernel of the language, for tests. */
    Optional<GatewayKernel> kernelOf(Language language) {
        return kernels.existing(language);
    }

    /** Deletes the kernels; each DELETE waits for the kernel to shut down on the gateway, so they go in parallel. */
    @Override
    public void close() {
        kernels.close();
    }

    @Override
    public String toString() {
        return "GatewaySandbox{" + id + ", " + backend.api().config().url() + "}";
    }
}
