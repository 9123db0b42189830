package dev.agbscript.local;

import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Puts a kernel in a sandbox of its own with bubblewrap ({@code bwrap}), one per kernel process:
 * <ul>
 *   <li>its own mount namespace: {@code /usr} and {@code /etc} read-only, the paths the kernel itself needs
 *       read-only, a fresh {@code /tmp}, {@code /dev/shm} and {@code /proc}, the session's working folder read-write
 *       at the same path, the kernel's runtime folder (connection file, sockets) at {@value #RUNTIME}, and the
 *       session's mounts at {@code /mnt/<name>}; no host home, no host {@code /tmp}, no other session;</li>
 *   <li>its own pid, ipc, uts, cgroup and network namespaces (the network only when the session asks for it), and
 *       its own process session;</li>
 *   <li>an environment of its own (see {@link #environment});</li>
 *   <li>the session's limits as rlimits, set by {@code prlimit} inside the sandbox, after the user namespace: the
 *       process count is then counted per sandbox, not per user.</li>
 * </ul>
 * A host that runs as root runs bwrap as root (so that it can mount folders only root may enter) and the kernel as
 * an unprivileged user ({@value #USER}, {@code nobody} by default) in a user namespace of its own: Linux exempts
 * root from the process limit, and root owns files (such as {@code /etc/shadow}) that nobody else may read. Any other
 * host runs bwrap unprivileged, which gives the kernel a user namespace of its own as the host's user.
 *
 * <p>When the machine cannot sandbox, the embedded backend refuses to start ({@link #check()}); {@value #SETTING}
 * {@code =none} runs kernels without it, with one warning per process.
 */
final class Bubblewrap {
    private static final Logger LOG = Logger.getLogger(Bubblewrap.class.getName());
    /** {@code none}: run kernels unsandboxed. */
    static final String SETTING = "agb.sandbox";
    /** When the host runs as root: the user (name or number) kernels run as. */
    static final String USER = "agb.sandbox.user";
    /** Where the kernel's runtime folder is, inside its sandbox. */
    static final String RUNTIME = "/run/agb";
    static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final String PRLIMIT = "/usr/bin/prlimit";
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String UNSHARE = "/usr/bin/unshare";
    private static final List<String> SYSTEM = List.of("/usr", "/etc");
    private static volatile Boolean enabled;

    private Bubblewrap() {}

    /**
     * Whether kernels run sandboxed: true unless {@value #SETTING} is {@code none} (then one warning per process).
     *
     * @throws SessionException when they should be but this machine cannot sandbox: why, and the opt-out
     */
    static boolean check() {
        Boolean known = enabled;
        if (known != null) {
            return known;
        }
        synchronized (Bubblewrap.class) {
            if (enabled == null) {
                String mode = Settings.get(SETTING, "AGB_SANDBOX");
                if (mode != null && mode.trim().equalsIgnoreCase("none")) {
                    LOG.warning(SETTING + "=none: kernels run WITHOUT the sandbox, as this user: their code can read and"
                            + " write this user's files, read the environment, see other processes and reach the"
                            + " network and other sessions");
                    enabled = false;
                } else if (mode != null && !mode.isBlank() && !mode.trim().equalsIgnoreCase("bwrap")) {
                    throw new SessionException("The setting " + SETTING + " (AGB_SANDBOX) is '" + mode + "'; it takes"
                            + " bwrap (the default) or none");
                } else {
                    probe();
                    enabled = true;
                }
            }
            return enabled;
        }
    }

    /** Runs {@code true} in a sandbox as a kernel's; throws why it cannot. */
    private static void probe() {
        String why;
        if (!Files.isExecutable(BWRAP)) {
            why = "bubblewrap is not installed (no " + BWRAP + ")";
        } else {
            try {
                Path dir = Files.createTempDirectory("agb-sandbox-probe");
                try {
                    Layout layout = new Layout(dir, dir, List.of(), List.of(), SandboxLimits.resolve(Map.of()),
                            SandboxUser.current());
                    layout.user().own(dir);
                    List<String> command = new ArrayList<>(layout.command(List.of("/bin/true")));
                    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        why = "a trial sandbox did not exit within 10 s";
                    } else {
                        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                        why = process.exitValue() == 0 ? null : "a trial sandbox failed (exit code " + process.exitValue()
                                + "): " + output;
                    }
                } finally {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                why = "a trial sandbox could not run: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted while trying a sandbox";
            }
        }
        if (why != null) {
            throw new SessionException("The embedded sandbox cannot isolate kernels on this machine: " + why + ". Run"
                    + " ./agb setup (it installs bubblewrap); bubblewrap also needs user namespaces (sysctl"
                    + " user.max_user_namespaces above 0, and kernel.unprivileged_userns_clone=1 where it exists). To run"
                    + " kernels without any isolation instead, set " + SETTING + "=none (AGB_SANDBOX=none).");
        }
    }

    /**
     * The minimum environment of a sandboxed kernel, before its own variables and the session's
     * {@value SandboxLimits#ENV}: a {@code PATH} of the system's folders (and the kernel's own), {@code HOME} and
     * {@code TMPDIR} in its {@code /tmp}, a UTF-8 locale, and two glibc malloc arenas (each arena reserves 64 MiB of
     * address space, which the memory limit counts).
     */
    static Map<String, String> environment(List<String> extraPath) {
        Set<String> path = new LinkedHashSet<>(extraPath);
        path.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
        return Map.of("PATH", String.join(":", path), "HOME", "/tmp", "TMPDIR", "/tmp", "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8", "MALLOC_ARENA_MAX", "2");
    }

    /**
     * Where one kernel runs and what it sees.
     *
     * @param workDir    its working folder, read-write at the same path
     * @param runtimeDir its runtime folder, read-write at {@value #RUNTIME}
     * @param readOnly   what it needs of the host besides the system (its interpreter, libraries, class path)
     * @param mounts     the session's mounts, at {@code /mnt/<name>}
     */
    record Layout(Path workDir, Path runtimeDir, List<Path> readOnly, List<SandboxOptions.Mount> mounts,
                  SandboxLimits limits, SandboxUser user) {
        /** The command that runs the kernel's command line in its sandbox. */
        List<String> command(List<String> kernel) {
            List<String> args = new ArrayList<>(List.of(BWRAP.toString()));
            if (user.switched()) {
                // bwrap runs as root: no user namespace of its own (it would map root); the kernel gets one below.
                args.addAll(List.of("--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"));
                if (!limits.network()) {
                    args.add("--unshare-net");
                }
            } else {
                args.addAll(List.of("--unshare-all", "--disable-userns"));
                if (limits.network()) {
                    args.add("--share-net");
                }
            }
            args.addAll(List.of("--die-with-parent", "--new-session", "--hostname", "sandbox"));
            args.addAll(List.of("--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
            for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
                Path path = Path.of(top);
                if (Files.isSymbolicLink(path)) {
                    try {
                        args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                    } catch (IOException e) {
                        throw new SessionException("Cannot read the link " + top, e);
                    }
                } else if (Files.isDirectory(path)) {
                    args.addAll(List.of("--ro-bind", top, top));
                }
            }
            long tmp = limits.disk();
            args.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
            args.addAll(tmpfs("/tmp", tmp));
            args.addAll(tmpfs("/dev/shm", tmp));
            Mounts mounted = new Mounts(args);
            mounted.bind(workDir, workDir, true);
            mounted.bind(runtimeDir, Path.of(RUNTIME), true);
            for (Path path : readOnly) {
                mounted.bind(path, path, false);
            }
            for (SandboxOptions.Mount mount : mounts) {
                mounted.bind(mount.hostFolder(), Path.of("/mnt", mount.name()), mount.writable());
            }
            args.addAll(List.of("--chdir", workDir.toString(), "--"));
            if (user.switched()) {
                String uid = String.valueOf(user.uid());
                String gid = String.valueOf(user.gid());
                args.addAll(List.of(SETPRIV, "--reuid", uid, "--regid", gid, "--clear-groups", "--no-new-privs",
                        "--bounding-set=-all", "--inh-caps=-all", "--", UNSHARE, "--user", "--map-user=" + uid,
                        "--map-group=" + gid, "--"));
            }
            // R dies of SIGXFSZ at the file size limit; ignored, the write fails (EFBIG) as in the other runtimes.
            args.addAll(List.of("/bin/sh", "-c", "trap '' XFSZ; exec \"$@\"", "sh", PRLIMIT));
            limit(args, "--as", limits.memory());
            limit(args, "--nproc", limits.processes());
            limit(args, "--fsize", limits.fileSize());
            limit(args, "--nofile", limits.files());
            args.add("--core=0");
            args.add("--");
            args.addAll(kernel);
            return args;
        }

        private static List<String> tmpfs(String path, long size) {
            List<String> args = new ArrayList<>(List.of("--perms", "1777"));
            if (size != SandboxLimits.NONE) {
                args.addAll(List.of("--size", String.valueOf(size)));
            }
            args.addAll(List.of("--tmpfs", path));
            return args;
        }

        private static void limit(List<String> args, String option, long value) {
            if (value != SandboxLimits.NONE) {
                args.add(option + "=" + value); // bytes and counts only: prlimit reads "2G" as something else
            }
        }
    }

    /**
     * Binds in order, creating the folders above each mount point (0755: bwrap would make them 0700, which an
     * unprivileged kernel cannot enter) unless a mount made earlier provides them.
     */
    private static final class Mounts {
        private final List<String> args;
        private final Set<Path> made = new LinkedHashSet<>();
        private final List<Path> bound = new ArrayList<>();

        Mounts(List<String> args) {
            this.args = args;
            bound.addAll(List.of(Path.of("/usr"), Path.of("/etc"))); // the host's folders: what is below exists
            made.addAll(List.of(Path.of("/proc"), Path.of("/dev"), Path.of("/tmp"))); // new and empty
        }

        void bind(Path source, Path target, boolean writable) {
            Path real;
            try {
                real = source.toRealPath();
            } catch (IOException e) {
                throw new SessionException("Cannot mount " + source + " into the sandbox: " + e.getMessage(), e);
            }
            if (!writable && SYSTEM.stream().anyMatch(system -> real.startsWith(system))) {
                return; // there already
            }
            List<Path> missing = new ArrayList<>();
            for (Path above = target.getParent(); above != null && above.getNameCount() > 0; above = above.getParent()) {
                Path folder = above;
                if (made.contains(folder) || bound.stream().anyMatch(folder::startsWith)) {
                    break;
                }
                missing.add(0, folder);
            }
            for (Path folder : missing) {
                args.addAll(List.of("--perms", "0755", "--dir", folder.toString()));
                made.add(folder);
            }
            args.addAll(List.of(writable ? "--bind" : "--ro-bind", real.toString(), target.toString()));
            bound.add(target);
        }
    }

    /** The host runs as root when its effective user id is 0. */
    static boolean hostIsRoot() {
        return SandboxUser.currentUid() == 0;
    }

    static String describeUser() {
        SandboxUser user = SandboxUser.current();
        return user.switched() ? "user " + user.name() + " (uid " + user.uid() + "), since this JVM runs as root"
                : "this JVM's user (uid " + user.uid() + ")";
    }
}
