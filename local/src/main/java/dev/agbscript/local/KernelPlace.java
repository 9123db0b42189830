package dev.agbscript.local;

import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.SandboxOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the kernels of one local sandbox run and what they may use, shared by its {@link KernelManager}s.
 *
 * @param workDir    the kernels' working folder (the session's own, or the host's)
 * @param runtimeDir where each kernel start gets a folder for its connection file and sockets, and its log
 * @param sandboxed  false only with {@code agb.sandbox=none}
 * @param slots      the manager's kernel slots, taken around every start and stop
 */
record KernelPlace(Path workDir, Path runtimeDir, SandboxLimits limits, List<SandboxOptions.Mount> mounts,
                   boolean sandboxed, KernelSlots slots) {
    KernelPlace {
        mounts = List.copyOf(mounts);
    }
}
