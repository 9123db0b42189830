package dev.agbscript.local;

import dev.agbscript.session.Language;
import dev.agbscript.jupyter.ErrorParser;
import dev.agbscript.jupyter.KernelException;
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
    private static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<Language, KernelSpec> FOUND = new ConcurrentHashMap<>();

    private KernelSpecs() {}

    static KernelSpec forLanguage(Language language) {
        return FOUND.computeIfAbsent(language, KernelSpecs::discover);
    }

    private static KernelSpec discover(Language language) {
        return switch (language) {
            case PYTHON -> python();
            case JAVA -> java(); // agb-java: the in-house JShell kernel (dev.agbscript.jshell)
            case R -> r();
            case JAVASCRIPT -> javaScript();
            default -> throw new KernelException("The embedded sandbox has no " + language.displayName()
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
                        Duration.ofSeconds(8), ErrorParser.IPYKERNEL, true, heartbeatTimeout());
            }
        }
        throw new KernelException("No Python interpreter with ipykernel found (tried " + candidates
                + "). Run ./agb setup (it installs Debian's python3-ipykernel), or point AGB_PYTHON at an "
                + "interpreter that has ipykernel.");
    }

    // --- JAVA case (owned by the agb-java work; see docs/java-kernel.md) ---

    /**
     * Java: {@link dev.agbscript.jshell.JShellKernel} on the JDK that runs this code (or
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
        for (Class<?> needed : new Class<?>[] {dev.agbscript.jshell.JShellKernel.class,
                dev.agbscript.session.ValueJson.class, dev.agbscript.jupyter.JupyterMessage.class,
                dev.agbscript.jupyter.zmq.WireCodec.class, org.zeromq.ZMQ.class, com.google.gson.Gson.class}) {
            classPath.add(codeSource(needed));
        }
        List<String> argv = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath)));
        argv.addAll(dev.agbscript.jshell.JShellKernel.HOST_JVM_OPTIONS);
        argv.addAll(List.of(dev.agbscript.jshell.JShellKernel.class.getName(), KernelSpec.CONNECTION_FILE));
        return new KernelSpec(Language.JAVA, argv, KernelSpec.InterruptMode.MESSAGE, Map.of(), Duration.ofSeconds(15),
                ErrorParser.AGB_JSHELL, true, heartbeatTimeout());
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new KernelException("Cannot locate the classes of " + type.getName() + " for the Java kernel", e);
        }
    }

    // --- end of the JAVA case ---

    /**
     * R: IRkernel run by the {@code R} named by {@code -Dagb.r} or {@code AGB_R}, else the first {@code R}
     * on PATH that has IRkernel (Debian's r-cran-irkernel), with the command of its kernelspec.
     */
    private static KernelSpec r() {
        String configured = Settings.get("agb.r", "AGB_R");
        Set<String> candidates = new LinkedHashSet<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured.trim());
        } else {
            candidates.addAll(onPath("R"));
            candidates.add("/usr/bin/R");
        }
        for (String r : candidates) {
            if (Files.isExecutable(Path.of(r)) && canRun(r, "--slave", "-e", "library(IRkernel)")) {
                return new KernelSpec(Language.R,
                        List.of(r, "--slave", "-e", "IRkernel::main()", "--args", KernelSpec.CONNECTION_FILE),
                        KernelSpec.InterruptMode.SIGNAL, utf8Locale(), Duration.ofSeconds(10), ErrorParser.IRKERNEL,
                        false, heartbeatTimeout());
            }
        }
        throw new KernelException("No R with IRkernel found (tried " + candidates + "). Run ./agb setup (it "
                + "installs Debian's r-base-core and r-cran-irkernel), or point AGB_R at an R that has IRkernel.");
    }

    /** Where scripts/setup.sh installs tslab, relative to the repository root. */
    static final String NODE_RUNTIME = ".runtime/node";
    private static final String TSLAB = "node_modules/tslab";
    /**
     * Starts tslab's JavaScript kernel in place of its command line (which would look for another tslab in the
     * working directory) and makes kernel_info report the Node.js version, which jslab leaves empty.
     */
    private static final String TSLAB_LAUNCHER = String.join("",
            "(()=>{const d=process.env.AGB_TSLAB_DIR;",
            "const j=require(d+'/dist/jupyter.js');",
            "const info=j.JupyterHandlerImpl.prototype.handleKernel;",
            "j.JupyterHandlerImpl.prototype.handleKernel=function(){const r=info.call(this);",
            "r.language_info.version=process.versions.node;return r};",
            "require(d+'/dist/main.js').startKernel({configPath:process.argv[process.argv.length-1],",
            "enableFindLocal:false,jsKernel:true})})();");

    /**
     * JavaScript: tslab's jslab kernel on the machine's Node.js. tslab is the one in the folder named by
     * {@code -Dagb.node.kernel} or {@code AGB_NODE_KERNEL} (a folder with {@code node_modules/tslab}), else
     * in {@value #NODE_RUNTIME} of the first folder above the agb-script classes that has it (the repository
     * root, for {@code target/classes} and {@code target/agb-script.jar} alike). Node.js is
     * {@code -Dagb.node} or {@code AGB_NODE}, else {@code node} on PATH.
     */
    private static KernelSpec javaScript() {
        String configured = Settings.get("agb.node.kernel", "AGB_NODE_KERNEL");
        Path tslab;
        if (configured != null && !configured.isBlank()) {
            tslab = Path.of(configured.trim()).resolve(TSLAB);
            if (!Files.isRegularFile(tslab.resolve("dist/main.js"))) {
                throw new KernelException("AGB_NODE_KERNEL is " + configured + ", which has no " + TSLAB
                        + "/dist/main.js. Run ./agb setup, or point it at a folder where tslab is installed.");
            }
        } else {
            tslab = installedTslab().orElseThrow(() -> new KernelException("The JavaScript kernel (tslab) is "
                    + "not installed: no " + NODE_RUNTIME + "/" + TSLAB + " above " + codeLocation()
                    + ". Run ./agb setup (it installs tslab with npm into " + NODE_RUNTIME + ")."));
        }
        String node = Optional.ofNullable(Settings.get("agb.node", "AGB_NODE")).filter(s -> !s.isBlank())
                .map(String::trim).orElseGet(() -> onPath("node").stream().findFirst().orElse(null));
        if (node == null || !canRun(node, "--version")) {
            throw new KernelException("No Node.js found (" + (node == null ? "no node on PATH" : node + " does not run")
                    + "). Run ./agb setup (it installs Debian's nodejs), or point AGB_NODE at a node binary.");
        }
        Map<String, String> environment = new java.util.HashMap<>(utf8Locale());
        environment.put("AGB_TSLAB_DIR", tslab.toAbsolutePath().toString());
        return new KernelSpec(Language.JAVASCRIPT,
                List.of(node, "-e", TSLAB_LAUNCHER, KernelSpec.CONNECTION_FILE),
                KernelSpec.InterruptMode.SIGNAL, environment, Duration.ofSeconds(15), ErrorParser.TSLAB, false,
                heartbeatTimeout());
    }

    private static Optional<Path> installedTslab() {
        for (Path dir = codeLocation(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NODE_RUNTIME).resolve(TSLAB);
            if (Files.isRegularFile(candidate.resolve("dist/main.js"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The folder or jar the agb-script classes come from. */
    private static Path codeLocation() {
        try {
            return Path.of(KernelSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
        } catch (Exception e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * How long a kernel's heartbeat may be silent when an answer is due: {@code -Dagb.heartbeat.timeout} or
     * {@code AGB_HEARTBEAT_TIMEOUT}, in seconds; 10 by default.
     */
    static Duration heartbeatTimeout() {
        String configured = Settings.get("agb.heartbeat.timeout", "AGB_HEARTBEAT_TIMEOUT");
        try {
            return configured == null || configured.isBlank() ? DEFAULT_HEARTBEAT_TIMEOUT
                    : Duration.ofMillis(Math.round(Double.parseDouble(configured.trim()) * 1000));
        } catch (NumberFormatException e) {
            throw new KernelException("The heartbeat timeout is " + configured + ", which is no number of seconds");
        }
    }

    /** Kernels read and print text as UTF-8 only in a UTF-8 locale; keep the caller's when it is one. */
    static Map<String, String> utf8Locale() {
        String lang = Optional.ofNullable(System.getenv("LC_ALL")).or(() -> Optional.ofNullable(System.getenv("LANG")))
                .orElse("");
        return lang.toUpperCase(java.util.Locale.ROOT).replace("-", "").contains("UTF8")
                ? Map.of() : Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8");
    }

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
