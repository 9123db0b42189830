package dev.agbscript.local;

import dev.agbscript.session.KernelSlots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Kernel managers for tests that start one kernel directly: in the sandbox, with the default limits, in folders of
 * the test's own: {@code work} (the code's folder, owned by the sandbox's user) and {@code runtime} (sockets, and
 * the kernel's log {@code kernel-LANGUAGE.log}).
 */
final class TestKernels {
    private TestKernels() {}

    static KernelManager manager(Path folder, KernelSpec spec, String name) throws IOException {
        Path work = Files.createDirectories(folder.resolve("work"));
        SandboxUser.current().own(work);
        return new KernelManager(spec, new KernelPlace(work, Files.createDirectories(folder.resolve("runtime")),
                SandboxLimits.resolve(Map.of()), List.of(), Bubblewrap.check(), KernelSlots.UNLIMITED), name);
    }
}
