package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.JavaEngineFactory;
import dev.agbscript.engine.JavaScriptEngineFactory;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.engine.REngineFactory;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What code in a session cannot do, in each of the four languages: each case tries what the issue's probes did from
 * inside a kernel and asserts the specific denial (the OS's error, the runtime's own error, or a
 * {@code KernelDiedError} that names the limit and its setting), and that the session still works afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxEscapeTest {
    /** Set for this test JVM by surefire (see the pom): a host secret no kernel may see. */
    private static final String SECRET = "AGB_ESCAPE_TEST_SECRET";
    private static final long GIB = 1L << 30;

    /** The specific denials, as each language reports them (see {@link Probes}). */
    private enum Denial {
        NO_FILE("FileNotFoundError: No such file or directory", "ENOENT", "No such file or directory",
                "NoSuchFileException"),
        NO_PERMISSION("PermissionError: Permission denied", "EACCES", "Permission denied", "AccessDeniedException"),
        READ_ONLY("OSError: Read-only file system", "EROFS", "Read-only file system",
                "FileSystemException: Read-only file system"),
        NO_SOCKET("No such file or directory", "ENOENT", "No such file or directory", "No such file or directory"),
        REFUSED("Connection refused", "ECONNREFUSED", "cannot be opened", "Connection refused"),
        UNREACHABLE("Network is unreachable", "ENETUNREACH", "cannot be opened", "Network is unreachable"),
        TOO_LARGE("OSError: File too large", "EFBIG", "problem writing to connection", "IOException: File too large"),
        NO_MEMORY("MemoryError", "RangeError: Array buffer allocation failed", "cannot allocate vector of size 3.0 Gb",
                "java.lang.OutOfMemoryError: Java heap space"),
        NO_PROCESS("BlockingIOError: Resource temporarily unavailable", "EAGAIN",
                "unable to fork, possible reason: Resource temporarily unavailable",
                "error=11, Resource temporarily unavailable");

        private final Map<Language, String> text = new HashMap<>();

        Denial(String python, String javaScript, String r, String java) {
            text.put(Language.PYTHON, python);
            text.put(Language.JAVASCRIPT, javaScript);
            text.put(Language.R, r);
            text.put(Language.JAVA, java);
        }

        void assertIn(Language language, String outcome) {
            assertTrue(outcome != null && outcome.contains(text.get(language)),
                    language + ": expected " + this + " (" + text.get(language) + "), got: " + outcome);
        }
    }

    private Path sessionsDir;
    private Path host;
    private SessionManager manager;
    private final Map<Language, AgbScriptEngine> plain = new HashMap<>();

    @BeforeAll
    void start() throws IOException {
        sessionsDir = Files.createTempDirectory("agb-escape-sessions");
        host = Files.createTempDirectory("agb-escape-host");
        manager = SessionManager.create(new LocalBackend(sessionsDir));
    }

    @AfterAll
    void stop() throws IOException {
        manager.close();
        for (Path dir : List.of(sessionsDir, host)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** The language's engine in a session with the default sandbox. */
    private AgbScriptEngine plain(Language language) {
        return plain.computeIfAbsent(language, l -> engine(l, Map.of()));
    }

    /** A new engine (a private session of its own) with these context attributes. */
    private AgbScriptEngine engine(Language language, Map<String, Object> attributes) {
        AgbScriptEngineFactory factory = switch (language) {
            case PYTHON -> new PythonEngineFactory();
            case JAVASCRIPT -> new JavaScriptEngineFactory();
            case R -> new REngineFactory();
            case JAVA -> new JavaEngineFactory();
            default -> throw new IllegalArgumentException(language.toString());
        };
        AgbScriptEngine engine = factory.getScriptEngine(manager);
        attributes.forEach((name, value) -> engine.getContext().setAttribute(name, value, ScriptContext.ENGINE_SCOPE));
        return engine;
    }

    private static String run(AgbScriptEngine engine, String code) throws ScriptException {
        Object value = engine.eval(code);
        return value == null ? null : value.toString();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void readsNoHostFileOutsideItsSession(Language language) throws Exception {
        Path secret = Files.writeString(host.resolve("secret.txt"), "host secret");
        Probes probe = Probes.of(language);
        AgbScriptEngine engine = plain(language);
        Denial.NO_FILE.assertIn(language, run(engine, probe.read(secret.toString())));
        Denial.NO_FILE.assertIn(language, run(engine, probe.read(Path.of("pom.xml").toAbsolutePath().toString())));
        Denial.NO_FILE.assertIn(language, run(engine, probe.read(System.getProperty("user.home") + "/.bashrc")));
        // The system is there, read-only, as any unprivileged user sees it.
        assertEquals("read", run(engine, probe.read("/etc/hostname")));
        Denial.NO_PERMISSION.assertIn(language, run(engine, probe.read("/etc/shadow")));
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void writesNoHostFile(Language language) throws Exception {
        Probes probe = Probes.of(language);
        AgbScriptEngine engine = plain(language);
        Path outside = host.resolve("written-by-" + language.id() + ".txt");
        Denial.NO_FILE.assertIn(language, run(engine, probe.write(outside.toString(), 1)));
        assertFalse(Files.exists(outside));
        Path system = Path.of("/usr/agb-escape-" + language.id());
        Denial.READ_ONLY.assertIn(language, run(engine, probe.write(system.toString(), 1)));
        assertFalse(Files.exists(system));
        assertEquals("written", run(engine, probe.write("own.txt", 1)), "its working folder is its own");
        assertEquals("written", run(engine, probe.write("/tmp/own.txt", 1)), "so is its /tmp");
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void readsNoOtherSessionsFilesNorDrivesItsKernel(Language language) throws Exception {
        AgbScriptEngine other = engine(Language.PYTHON, Map.of());
        String otherFolder = run(other, "import os\nopen('b-secret.txt', 'w').write('b')\nos.getcwd()");
        Path otherRoot = sessionsDir.resolve(Path.of(otherFolder).getParent().getFileName());
        Path connectionFile;
        try (Stream<Path> files = Files.walk(otherRoot.resolve("runtime"))) {
            connectionFile = files.filter(f -> f.getFileName().toString().equals("connection.json")).findFirst()
                    .orElseThrow();
        }
        assertTrue(Files.isReadable(connectionFile), "the host reads it");
        Probes probe = Probes.of(language);
        AgbScriptEngine engine = plain(language);
        Denial.NO_FILE.assertIn(language, run(engine, probe.read(otherFolder + "/b-secret.txt")));
        Denial.NO_FILE.assertIn(language, run(engine, probe.read(connectionFile.toString())));
        String shellSocket = connectionFile.resolveSibling("k-1").toString();
        assertTrue(Files.exists(connectionFile.resolveSibling("k-1")), "the other kernel's shell socket is there");
        (language == Language.R ? Denial.NO_FILE : Denial.NO_SOCKET).assertIn(language,
                run(engine, probe.connectUnix(shellSocket)));
        assertEquals("b", run(other, "open('b-secret.txt').read()"), "the other session is untouched");
        other.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void seesNoHostProcessNorTheHostsEnvironment(Language language) throws Exception {
        assumeTrue(System.getenv(SECRET) != null, "run by surefire, which sets " + SECRET);
        String marker = "8888." + (System.nanoTime() % 100000);
        Process hostProcess = new ProcessBuilder("sleep", marker).start();
        try {
            Probes probe = Probes.of(language);
            AgbScriptEngine engine = plain(language);
            String processes = run(engine, probe.processes());
            assertFalse(processes.contains(marker), processes);
            assertFalse(processes.contains("surefire"), processes);
            assertTrue(processes.contains(ownProcess(language)), "it sees itself: " + processes);
            Denial.NO_FILE.assertIn(language,
                    run(engine, probe.read("/proc/" + ProcessHandle.current().pid() + "/environ")));
            Denial.NO_FILE.assertIn(language, run(engine, probe.read("/proc/" + hostProcess.pid() + "/environ")));

            String environment = run(engine, probe.environment());
            assertFalse(environment.contains(SECRET), environment);
            assertFalse(environment.contains(System.getenv(SECRET)), environment);
            assertTrue(environment.contains("HOME=/tmp"), environment);
        } finally {
            hostProcess.destroyForcibly();
        }
    }

    private static String ownProcess(Language language) {
        return switch (language) {
            case PYTHON -> "ipykernel_launcher";
            case JAVASCRIPT -> "node";
            case R -> "IRkernel::main()";
            default -> "dev.agbscript.jshell.JShellKernel";
        };
    }

    @Test
    void theHostsEnvironmentPassesOnlyWhatTheHostNames() throws Exception {
        assumeTrue(System.getenv(SECRET) != null, "run by surefire, which sets " + SECRET);
        AgbScriptEngine engine = engine(Language.PYTHON, Map.of(SandboxLimits.ENV, SECRET + ",GREETING=hello"));
        String environment = run(engine, Probes.PYTHON.environment());
        assertTrue(environment.contains(SECRET + "=" + System.getenv(SECRET)), environment);
        assertTrue(environment.contains("GREETING=hello"), environment);
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void reachesNoHostPortNorTheNetwork(Language language) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            AtomicInteger accepted = acceptInBackground(server);
            Probes probe = Probes.of(language);
            AgbScriptEngine engine = plain(language);
            Denial.REFUSED.assertIn(language, run(engine, probe.connect("127.0.0.1", server.getLocalPort())));
            Denial.UNREACHABLE.assertIn(language, run(engine, probe.connect(externalAddress(), server.getLocalPort())));
            // The host's server would have accepted: it is up.
            try (Socket control = new Socket("127.0.0.1", server.getLocalPort())) {
                awaitCount(accepted, 1);
            }
            assertEquals(1, accepted.get(), "only the host's own connection came");
        }
    }

    @Test
    void aSessionThatAsksForTheNetworkGetsIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger accepted = acceptInBackground(server);
            AgbScriptEngine engine = engine(Language.PYTHON, Map.of(SandboxLimits.NETWORK, "on"));
            assertEquals("connected", run(engine, Probes.PYTHON.connect("127.0.0.1", server.getLocalPort())));
            awaitCount(accepted, 1);
            engine.close();
        }
    }

    private static AtomicInteger acceptInBackground(ServerSocket server) {
        AtomicInteger accepted = new AtomicInteger();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return accepted;
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.get() < expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(10); // polling a counter with a deadline
        }
        assertEquals(expected, count.get());
    }

    /** An address of this machine beyond loopback, else one of the documentation range: no route in a sandbox. */
    private static String externalAddress() throws IOException {
        for (NetworkInterface network : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : java.util.Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        return "192.0.2.1";
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void allocatesNoMoreMemoryThanTheLimit(Language language) throws Exception {
        AgbScriptEngine engine = plain(language);
        Denial.NO_MEMORY.assertIn(language, run(engine, Probes.of(language).allocate(3 * GIB)));
        assertEquals("2", run(engine, "1 + 1"), "the kernel lives on");
    }

    @Test
    void nodesHeapErrorNamesTheMemoryLimitAndTheSessionRecovers() throws Exception {
        AgbScriptEngine engine = engine(Language.JAVASCRIPT, Map.of(SandboxLimits.MEMORY, "1g"));
        run(engine, "globalThis.before = 1");
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("const kept = []; for (;;) kept.push(new Array(1000000).fill(1.5))"));
        ExecutionError error = e.error();
        assertEquals(ExecutionError.KERNEL_DIED, error.name(), error.toString());
        assertTrue(error.value().contains("heap out of memory") && error.value().contains("agb.sandbox.memory"),
                error.value());
        assertEquals("2", run(engine, "1 + 1"), "the next eval runs in a new kernel");
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void startsNoMoreProcessesThanTheLimit(Language language) throws Exception {
        AgbScriptEngine engine = engine(language, Map.of(SandboxLimits.PROCESSES, "64"));
        String outcome = run(engine, Probes.of(language).spawn(200));
        Denial.NO_PROCESS.assertIn(language, outcome);
        int started = Integer.parseInt(outcome.substring(outcome.lastIndexOf(' ') + 1).trim());
        assertTrue(started < 64, outcome);
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void writesNoMoreThanTheDiskLimit(Language language) throws Exception {
        AgbScriptEngine engine = engine(language, Map.of(SandboxLimits.DISK, "50m"));
        Probes probe = Probes.of(language);
        String written;
        try {
            written = run(engine, probe.write("big", 100));
        } catch (AgbScriptException e) {
            throw new AssertionError(e.getMessage() + "; the folder holds " + engine.session().files().list(""), e);
        }
        Denial.TOO_LARGE.assertIn(language, written);
        String folder = engine.session().files().list("").stream().filter(f -> f.path().equals("big")).findFirst()
                .map(f -> String.valueOf(f.size())).orElseThrow();
        assertEquals(String.valueOf(50L << 20), folder, "one file stops at the limit");

        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(probe.fillDisk()));
        assertEquals(ExecutionError.KERNEL_DIED, e.error().name(), e.error().toString());
        assertTrue(e.error().value().contains("over the sandbox's disk limit of 50 MiB (agb.sandbox.disk"),
                e.error().value());
        assertEquals("2", run(engine, "1 + 1"), "the next eval runs in a new kernel");
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"PYTHON", "JAVASCRIPT", "R", "JAVA"})
    void leavesNoProcessBehindAHostJvmKilledWithSigkill(Language language) throws Exception {
        String marker = "7777." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dagb.local.dir=" + sessionsDir, EscapeOrphanProbe.class.getName(), language.name(), marker)
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(probe.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("READY")) {
                    break;
                }
            }
            assertTrue(!output.isEmpty() && output.get(output.size() - 1).startsWith("READY"), output.toString());
            assertFalse(withMarker(marker).isEmpty(), "the kernel's detached child runs");

            probe.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!withMarker(marker).isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50); // polling the process table with a deadline
        }
        assertEquals(List.of(), withMarker(marker), "a process of the sandbox outlived the killed JVM");
    }

    private static List<String> withMarker(String marker) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(marker)).toList();
    }

    @Test
    void theKernelsFolderIsTheHostsAndTheSandboxUsersOnly() throws Exception {
        run(plain(Language.PYTHON), "1");
        try (Stream<Path> files = Files.walk(sessionsDir)) {
            List<Path> connectionFiles = files.filter(f -> f.getFileName().toString().equals("connection.json"))
                    .toList();
            assertFalse(connectionFiles.isEmpty());
            for (Path file : connectionFiles) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file)));
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file.getParent())));
                assertEquals(SandboxUser.current().uid(), (int) Files.getAttribute(file, "unix:uid"));
            }
        }
        assertNotNull(manager);
    }
}
