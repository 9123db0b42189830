package dev.agbscript.local;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.Settings;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Class data sharing (AppCDS) archives for the Java kernel: one for the kernel's JVM (JShell, javac) and one for the
 * agent JVM that runs the snippets, each holding the JDK classes that JVM loads to start and to run its first
 * snippets, parsed and verified ahead of time and mapped from the file at start.
 *
 * <p>The archives hold JDK classes only (java.base, jdk.compiler, jdk.jshell …), none of the class path's, so one
 * archive serves the kernel whatever its class path is (the packaged jars or Maven's {@code target/classes}), and a
 * rebuild of agb-script never makes them stale. Each is named for the JVM build that made it
 * ({@code kernel-<java.vm.version>.jsa}); another JDK finds no archive of its name and starts as before.
 *
 * <p>They are made by {@code java -cp … dev.agbscript.local.JavaClassData [folder]} ({@code ./agb} runs it after a
 * build when they are missing): a training kernel, unsandboxed, runs the warm pool's warm-up and a few snippets while
 * both JVMs write the classes they load ({@code -XX:DumpLoadedClassList}), then {@code java -Xshare:dump} makes each
 * archive, written under a temporary name and renamed into place. A process's Java kernels use the archives when
 * their files were there at its first Java kernel (the kernelspec is made once per process;
 * {@code -XX:SharedArchiveFile} with {@code -Xshare:auto}: an archive the JVM rejects is ignored silently, though that
 * JVM then has no class sharing at all). A missing one changes nothing: the JVM's default archive is used.
 *
 * <p>Where: {@value #SETTING} ({@code AGB_JAVA_CDS}) names the folder, {@code none} turns the archives off; by
 * default it is {@value #FOLDER} beside the agb-jshell classes (their jar's folder, or {@code jshell/target}). The
 * sandbox mounts it read-only.
 */
public final class JavaClassData {
    /** The archives' folder, or {@code none}. */
    static final String SETTING = "agb.java.cds";
    static final String FOLDER = "agb-cds";
    static final String KERNEL = "kernel";
    static final String AGENT = "agent";
    /** The kernel JVM's system property naming the agent's archive (read by agb-jshell's JShellFactory). */
    static final String AGENT_ARCHIVE_PROPERTY = "agb.jshell.agent.archive";

    private JavaClassData() {}

    /** The archives' folder, or none when {@value #SETTING} is {@code none}. */
    static Optional<Path> folder() {
        String configured = Settings.get(SETTING, "AGB_JAVA_CDS");
        if (configured != null && !configured.isBlank()) {
            return configured.trim().equalsIgnoreCase("none") ? Optional.empty()
                    : Optional.of(Path.of(configured.trim()).toAbsolutePath());
        }
        try {
            Path classes = Path.of(dev.agbscript.jshell.JShellKernel.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            return Optional.ofNullable(classes.getParent()).map(parent -> parent.resolve(FOLDER));
        } catch (Exception | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /** The archive of that JVM ({@value #KERNEL} or {@value #AGENT}) for this JDK's build, in that folder. */
    static Path archive(Path folder, String kind) {
        String build = System.getProperty("java.vm.version", "unknown").replaceAll("[^A-Za-z0-9._+-]", "_");
        return folder.resolve(kind + "-" + build + ".jsa");
    }

    /** The archive of that JVM when its file is there and readable. */
    static Optional<Path> existing(String kind) {
        return folder().map(folder -> archive(folder, kind)).filter(Files::isReadable);
    }

    /**
     * Makes both archives in the folder given, else in {@link #folder()}; says what it did. Exit code 1 when it could
     * not (kernels then start without archives, as before).
     */
    public static void main(String[] args) throws Exception {
        Optional<Path> folder = args.length > 0 ? Optional.of(Path.of(args[0]).toAbsolutePath()) : folder();
        if (folder.isEmpty()) {
            System.err.println("agb: class data archives are off (" + SETTING + "=none)");
            return;
        }
        long began = System.nanoTime();
        try {
            build(folder.get());
        } catch (Exception e) {
            System.err.println("agb: could not make the Java kernel's class data archives in " + folder.get() + ": " + e);
            System.exit(1);
        }
        System.err.printf("agb: made the Java kernel's class data archives in %s (%.1f s)%n", folder.get(),
                (System.nanoTime() - began) / 1e9);
        System.exit(0);
    }

    /** Trains a kernel, then dumps both archives into the folder. */
    static void build(Path folder) throws Exception {
        Path work = Files.createTempDirectory("agb-cds-");
        try {
            Path kernelList = work.resolve(KERNEL + ".classlist");
            Path agentList = work.resolve(AGENT + ".classlist");
            train(work, kernelList, agentList);
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            dump(work, kernelList, archive(folder, KERNEL));
            dump(work, agentList, archive(folder, AGENT));
            removeOthers(folder);
        } finally {
            FolderOwners.deleteRecursively(work);
        }
    }

    /** Removes the archives of other JDK builds (an upgraded JDK's): no JVM of this JDK can use them. */
    private static void removeOthers(Path folder) throws IOException {
        Set<Path> current = Set.of(archive(folder, KERNEL), archive(folder, AGENT));
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if ((name.startsWith(KERNEL + "-") || name.startsWith(AGENT + "-")) && name.endsWith(".jsa")
                        && !current.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Runs a kernel, unsandboxed, through its start, the pool's warm-up and a few snippets, listing loaded classes. */
    private static void train(Path work, Path kernelList, Path agentList) throws Exception {
        KernelSpec plain = KernelSpecs.java(false);
        List<String> argv = new ArrayList<>(plain.argv());
        argv.addAll(1, List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + kernelList));
        Map<String, String> environment = new HashMap<>(plain.environment());
        environment.merge(dev.agbscript.jshell.JShellKernel.AGENT_OPTIONS_ENV,
                "-Xshare:off -XX:DumpLoadedClassList=" + agentList, (host, ours) -> ours + " " + host);
        KernelSpec training = new KernelSpec(Language.JAVA, argv, plain.interruptMode(), environment,
                Duration.ofSeconds(120), plain.errors(), plain.heartbeatWhileBusy(), Duration.ofSeconds(60),
                plain.ipcSeparator(), plain.readOnly(), plain.heap());
        Path workDir = Files.createDirectories(work.resolve("w"));
        Path runtime = Files.createDirectories(work.resolve("r"));
        KernelManager kernel = new KernelManager(training, new KernelPlace(workDir, runtime,
                SandboxLimits.resolve(Map.of()), List.of(), false, KernelSlots.UNLIMITED), "cds");
        try {
            kernel.startAhead(KernelSlots.UNLIMITED.acquire(Language.JAVA));
            for (String code : List.of("System.out.println(\"x\" + 1);", "int twice(int x) { return 2 * x; }",
                    "twice(21)", "record P(int a, String b) {}", "new P(1, \"b\")",
                    "java.util.stream.IntStream.range(0, 10).boxed().collect(java.util.stream.Collectors.toList())",
                    "String.format(\"%.2f\", Math.PI)", "Integer.parseInt(\"x\")", "int y = ")) {
                kernel.client().execute(new ExecutionRequest(Language.JAVA, code, Duration.ofSeconds(60), false),
                        ExecutionListener.NONE); // errors are part of the training
            }
        } finally {
            kernel.stop(); // a shutdown_request: both JVMs exit
        }
        for (Path list : List.of(kernelList, agentList)) {
            if (!Files.isRegularFile(list) || Files.size(list) == 0) {
                throw new IOException("the training kernel wrote no class list " + list.getFileName());
            }
        }
    }

    /** Dumps the JDK classes of the list into an archive, under a temporary name first. */
    private static void dump(Path work, Path list, Path archive) throws Exception {
        Path jdkOnly = work.resolve(list.getFileName() + ".jdk");
        Files.write(jdkOnly, jdkClasses(Files.readAllLines(list)));
        Path partial = archive.resolveSibling(archive.getFileName() + ".part-" + ProcessHandle.current().pid());
        Path log = work.resolve(list.getFileName() + ".dump.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xshare:dump", "-XX:SharedClassListFile=" + jdkOnly,
                "-XX:SharedArchiveFile=" + partial).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("java -Xshare:dump did not finish within 5 minutes");
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
                List<String> lines = Files.readAllLines(log);
                throw new IOException("java -Xshare:dump failed (exit code " + process.exitValue() + "): "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * The lines of a class list that name JDK classes (and the lambda lines of JDK callers): the class path's classes
     * are left out, so that the archive holds no path of this build.
     */
    static List<String> jdkClasses(List<String> lines) {
        Set<String> packages = new HashSet<>();
        for (ModuleReference module : ModuleFinder.ofSystem().findAll()) {
            module.descriptor().packages().forEach(name -> packages.add(name.replace('.', '/')));
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split("\\s+");
            String type;
            if (words[0].equals("@lambda-proxy")) {
                type = words.length > 1 ? words[1] : "";
            } else if (words[0].startsWith("@")) {
                kept.add(line); // @lambda-form-invoker: the JDK's own
                continue;
            } else {
                if (trimmed.contains(" source:")) {
                    continue; // a class of a custom loader
                }
                type = words[0];
            }
            int slash = type.lastIndexOf('/');
            if (slash > 0 && packages.contains(type.substring(0, slash))) {
                kept.add(line);
            }
        }
        return kept;
    }
}
