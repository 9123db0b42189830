package dev.agbscript.local;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds the kernel of each language on this machine. Each can be overridden; the setup script installs
 * the default ones (Debian's ipykernel for Python).
 */
final class KernelSpecs {
    private static final Map<Language, KernelSpec> FOUND = new ConcurrentHashMap<>();

    private KernelSpecs() {}

    static KernelSpec forLanguage(Language language) {
        return FOUND.computeIfAbsent(language, KernelSpecs::discover);
    }

    private static KernelSpec discover(Language language) {
        return switch (language) {
            case PYTHON -> python();
            case JAVA -> java(); // agb-java: the in-house JShell kernel (dev.agbscript.local.jshell)
            default -> throw new SessionException("The embedded sandbox has no " + language.displayName()
                    + " kernel yet");
        };
    }

    /**
     * Python: the interpreter named by {@code -Dagb.python} or {@code AGB_PYTHON}, else the first of
     * {@code /usr/bin/python3} and the {@code python3}s on PATH that can import ipykernel. (PATH's first
     * {@code python3} is often a pyenv or venv interpreter without it.)
     */
    private static KernelSpec python() {
        String configured = Settings.get("agb.python", "AGB_PYTHON");
        Set<String> candidates = new LinkedHashSet<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured.trim());
        } else {
            candidates.add("/usr/bin/python3");
            candidates.addAll(onPath("python3"));
        }
        for (String python : candidates) {
            if (canRun(python, "-c", "import ipykernel")) {
                return new KernelSpec(Language.PYTHON,
                        List.of(python, "-m", "ipykernel_launcher", "-f", KernelSpec.CONNECTION_FILE),
                        KernelSpec.InterruptMode.SIGNAL,
                        Map.of("PYDEVD_DISABLE_FILE_VALIDATION", "1",
                                "MPLBACKEND", "module://matplotlib_inline.backend_inline"),
                        Duration.ofSeconds(8));
            }
        }
        throw new SessionException("No Python interpreter with ipykernel found (tried " + candidates
                + "). Run ./agb setup (it installs Debian's python3-ipykernel), or point AGB_PYTHON at an "
                + "interpreter that has ipykernel.");
    }

    // --- JAVA case (owned by the agb-java work; see docs/java-kernel.md) ---

    /**
     * Java: {@link dev.agbscript.local.jshell.JShellKernel} on the JDK that runs this code (or
     * {@code -Dagb.java} / {@code AGB_JAVA}), with a class path made of where its own classes, JeroMQ and
     * Gson were loaded from, so it works from {@code target/classes} and from the packaged jar alike.
     * The start timeout covers a JVM start plus the kernel's sockets; JShell itself starts in the background.
     */
    private static KernelSpec java() {
        String configured = Settings.get("agb.java", "AGB_JAVA");
        // java.home's launcher, not this process's command: that may be jrunscript, jshell or an app launcher.
        Path sameJdk = Path.of(System.getProperty("java.home"), "bin", "java");
        String java = configured != null && !configured.isBlank() ? configured.trim()
                : Files.isExecutable(sameJdk) ? sameJdk.toString()
                : ProcessHandle.current().info().command().orElse("java");
        Set<String> classPath = new LinkedHashSet<>();
        for (Class<?> needed : new Class<?>[] {dev.agbscript.local.jshell.JShellKernel.class,
                org.zeromq.ZMQ.class, com.google.gson.Gson.class}) {
            classPath.add(codeSource(needed));
        }
        List<String> argv = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath)));
        argv.addAll(dev.agbscript.local.jshell.JShellKernel.HOST_JVM_OPTIONS);
        argv.addAll(List.of(dev.agbscript.local.jshell.JShellKernel.class.getName(), KernelSpec.CONNECTION_FILE));
        return new KernelSpec(Language.JAVA, argv, KernelSpec.InterruptMode.MESSAGE, Map.of(), Duration.ofSeconds(15));
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new SessionException("Cannot locate the classes of " + type.getName() + " for the Java kernel", e);
        }
    }

    // --- end of the JAVA case ---

    static List<String> onPath(String command) {
        List<String> found = new ArrayList<>();
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                found.add(candidate.toString());
            }
        }
        return found;
    }

    static boolean canRun(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
