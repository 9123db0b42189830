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
    /** How long a kernel may take from its process's start to its first answer. */
    static final String START_TIMEOUT = "agb.kernels.start.timeout";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<Language, KernelSpec> FOUND = new ConcurrentHashMap<>();

    private KernelSpecs() {}

    static KernelSpec forLanguage(Language language) {
        return FOUND.computeIfAbsent(language, KernelSpecs::discover);
    }

    private static KernelSpec discover(Language language) {
        return switch (language) {
            case PYTHON -> python();
            case JAVA -> java(true); // agb-java: the in-house JShell kernel (dev.agbscript.jshell)
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
                        startTimeout(), ErrorParser.IPYKERNEL, true, heartbeatTimeout(), "-", prefixOf(python),
                        KernelSpec.Heap.NONE);
            }
        }
        throw new KernelException("No Python interpreter with ipykernel found: tried " + candidates
                + (configured != null && !configured.isBlank() ? " (from agb.python / AGB_PYTHON)"
                        : " (agb.python / AGB_PYTHON is not set: /usr/bin/python3, then each python3 on PATH)")
                + ". Set -Dagb.python=/path/to/python3 (or AGB_PYTHON) to an interpreter that has ipykernel, or run"
                + " ./agb setup (it installs Debian's python3-ipykernel).");
    }

    // --- JAVA case (owned by the agb-java work; see docs/java-kernel.md) ---

    /**
     * Java: {@link dev.agbscript.jshell.JShellKernel} on the JDK that runs this code (or
     * {@code -Dagb.java} / {@code AGB_JAVA}), with a class path made of where its own classes, JeroMQ and
     * Gson were loaded from, so it works from {@code target/classes} and from the packaged jar alike.
     * The start timeout covers a JVM start plus the kernel's sockets; JShell itself starts in the background.
     *
     * @param classData whether the kernel's and the agent's JVMs map the class data archives of {@link JavaClassData}
     *                  (when they are there and the kernel runs on this JDK)
     */
    static KernelSpec java(boolean classData) {
        String configured = Settings.get("agb.java", "AGB_JAVA");
        // java.home's launcher, not this process's command: that may be jrunscript, jshell or an app launcher.
        Path sameJdk = Path.of(System.getProperty("java.home"), "bin", "java");
        String java = configured != null && !configured.isBlank() ? configured.trim()
                : Files.isExecutable(sameJdk) ? sameJdk.toString()
                : ProcessHandle.current().info().command().orElse("java");
        if (configured != null && !configured.isBlank() && !canRun(java, "-version")) {
            throw new KernelException("agb.java (AGB_JAVA) is " + configured + ", which does not run. Set"
                    + " -Dagb.java=/path/to/bin/java (or AGB_JAVA) to the java of a JDK 17 or later, or leave it unset"
                    + " to use the running JDK's (" + sameJdk + ").");
        }
        Set<String> classPath = new LinkedHashSet<>();
        try {
            for (Class<?> needed : new Class<?>[] {dev.agbscript.jshell.JShellKernel.class,
                    dev.agbscript.session.ValueJson.class, dev.agbscript.jupyter.JupyterMessage.class,
                    dev.agbscript.jupyter.zmq.WireCodec.class, org.zeromq.ZMQ.class, com.google.gson.Gson.class}) {
                classPath.add(codeSource(needed));
            }
        } catch (NoClassDefFoundError e) {
            throw new KernelException("The Java kernel (agb-jshell) runs from the host's class path, which lacks "
                    + e.getMessage().replace('/', '.') + " (looked in " + System.getProperty("java.class.path")
                    + "). Put agb-script-jshell and its dependencies (JeroMQ, Gson: all of all/target/lib after"
                    + " ./agb setup and mvn package) beside agb-script-local in the host's lib/.", e);
        }
        List<String> argv = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath)));
        argv.addAll(dev.agbscript.jshell.JShellKernel.HOST_JVM_OPTIONS);
        List<Path> readOnly = new ArrayList<>(prefixOf(java));
        classPath.forEach(entry -> readOnly.add(Path.of(entry)));
        // The archives are of this JDK's build: another java (agb.java) would reject them, and with them its default one.
        Optional<Path> kernelArchive = classData && java.equals(sameJdk.toString())
                ? JavaClassData.existing(JavaClassData.KERNEL) : Optional.empty();
        Optional<Path> agentArchive = classData && java.equals(sameJdk.toString())
                ? JavaClassData.existing(JavaClassData.AGENT) : Optional.empty();
        kernelArchive.ifPresent(archive -> argv.add("-XX:SharedArchiveFile=" + archive));
        agentArchive.ifPresent(archive -> argv.add("-D" + JavaClassData.AGENT_ARCHIVE_PROPERTY
                + "=" + archive));
        kernelArchive.or(() -> agentArchive).ifPresent(archive -> readOnly.add(archive.getParent()));
        argv.addAll(List.of(dev.agbscript.jshell.JShellKernel.class.getName(), KernelSpec.CONNECTION_FILE));
        String agentOptions = System.getenv(dev.agbscript.jshell.JShellKernel.AGENT_OPTIONS_ENV);
        return new KernelSpec(Language.JAVA, argv, KernelSpec.InterruptMode.MESSAGE,
                agentOptions == null ? Map.of() : Map.of(dev.agbscript.jshell.JShellKernel.AGENT_OPTIONS_ENV, agentOptions),
                startTimeout(), ErrorParser.AGB_JSHELL, true, heartbeatTimeout(), "-", readOnly, KernelSpec.Heap.JVM);
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
                        KernelSpec.InterruptMode.SIGNAL, utf8Locale(), startTimeout(), ErrorParser.IRKERNEL,
                        false, heartbeatTimeout(), "-", prefixOf(r), KernelSpec.Heap.NONE);
            }
        }
        throw new KernelException("No R with IRkernel found: tried " + candidates
                + (configured != null && !configured.isBlank() ? " (from agb.r / AGB_R)"
                        : " (agb.r / AGB_R is not set: each R on PATH, then /usr/bin/R)")
                + ". Set -Dagb.r=/path/to/R (or"
                + " AGB_R) to an R that has IRkernel, or run ./agb setup (it installs Debian's r-base-core and"
                + " r-cran-irkernel).");
    }

    /** Where scripts/setup.sh installs tslab, relative to the repository root. */
    static final String NODE_RUNTIME = ".runtime/node";
    private static final String TSLAB = "node_modules/tslab";
    /**
     * Starts tslab's JavaScript kernel in place of its command line (which would look for another tslab in the
     * working directory), makes kernel_info report the Node.js version, which jslab leaves empty, and binds the
     * sockets synchronously: tslab starts its receive loops and then binds with zeromq's asynchronous
     * {@code bind()}, during which a socket refuses {@code receive()} (EBUSY, "blocked by a bind"); a request
     * that arrived in that gap ended the shell loop, and the kernel never answered (about one start in 200 under
     * load; JavaScriptBindRaceTest makes it certain).
     */
    private static final String TSLAB_LAUNCHER = String.join("",
            "(()=>{const d=process.env.AGB_TSLAB_DIR;",
            "const j=require(d+'/dist/jupyter.js');",
            "j.ZmqServer.prototype.bindSocket=async function(s,p){const c=this.connInfo;",
            "s.bindSync(c.transport+'://'+c.ip+':'+p)};",
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
                throw new KernelException("agb.node.kernel (AGB_NODE_KERNEL) is " + configured + ", which has no "
                        + TSLAB + "/dist/main.js. Point it at a folder where tslab is installed (./agb setup installs"
                        + " it into " + NODE_RUNTIME + " of the agb-script checkout).");
            }
        } else {
            tslab = installedTslab().orElseThrow(() -> new KernelException("The JavaScript kernel (tslab) is not"
                    + " installed where agb-script looked: " + NODE_RUNTIME + "/" + TSLAB + " in " + codeLocation()
                    + " or any folder above it. Set -Dagb.node.kernel=/path/to/folder (or AGB_NODE_KERNEL) to a folder"
                    + " with " + TSLAB + " (./agb setup installs it into " + NODE_RUNTIME + " of the agb-script"
                    + " checkout: point the setting there when the agb-script jars were copied elsewhere)."));
        }
        try {
            tslab = tslab.toRealPath(); // node resolves the modules' real paths: the sandbox mounts those
        } catch (IOException e) {
            throw new KernelException("Cannot resolve " + tslab, e);
        }
        String node = Optional.ofNullable(Settings.get("agb.node", "AGB_NODE")).filter(s -> !s.isBlank())
                .map(String::trim).orElseGet(() -> onPath("node").stream().findFirst().orElse(null));
        if (node == null || !canRun(node, "--version")) {
            throw new KernelException("No Node.js found (" + (node == null ? "no node on PATH" : node + " does not run")
                    + "). Set -Dagb.node=/path/to/node (or AGB_NODE) to a node binary, or run ./agb setup (it installs"
                    + " Debian's nodejs).");
        }
        Map<String, String> environment = new java.util.HashMap<>(utf8Locale());
        environment.put("AGB_TSLAB_DIR", tslab.toString());
        List<Path> readOnly = new ArrayList<>(prefixOf(node));
        readOnly.add(tslab.getParent()); // tslab and the modules it requires
        return new KernelSpec(Language.JAVASCRIPT,
                List.of(node, "-e", TSLAB_LAUNCHER, KernelSpec.CONNECTION_FILE),
                KernelSpec.InterruptMode.SIGNAL, environment, startTimeout(), ErrorParser.TSLAB, false,
                heartbeatTimeout(), ":", readOnly, KernelSpec.Heap.NODE);
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
     * The folder an interpreter outside {@code /usr} lives in (its {@code bin}'s parent, as for a pyenv or a JDK in
     * {@code /opt}), which its sandbox needs; none for one of the system's.
     */
    static List<Path> prefixOf(String executable) {
        try {
            Path real = Path.of(executable).toRealPath();
            Path prefix = real.getParent() == null || real.getParent().getParent() == null ? real.getParent()
                    : real.getParent().getParent();
            return prefix == null || prefix.startsWith("/usr") ? List.of() : List.of(prefix);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * How long a kernel may take from its start to its first answer: {@value #START_TIMEOUT} or
     * {@code AGB_KERNELS_START_TIMEOUT}, 30 s by default. Starts are admitted a few at a time (see
     * {@code agb.kernels.starts}), so this bounds a start, not its wait for a turn.
     */
    static Duration startTimeout() {
        return Settings.duration(START_TIMEOUT, "AGB_KERNELS_START_TIMEOUT", Optional.of(DEFAULT_START_TIMEOUT))
                .orElse(dev.agbscript.session.ExecutionRequest.NO_TIMEOUT);
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
