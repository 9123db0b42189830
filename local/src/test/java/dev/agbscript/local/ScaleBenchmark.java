package dev.agbscript.local;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.SessionManager;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/**
 * {@code ./agb bench scale <mode> [options]}: sessions at host scale (issue 16), each figure against a baseline
 * measured in the same run.
 *
 * <ul>
 *   <li>{@code life [--evals 10000]}: warm {@code eval("1+1")} over a session's life, per language: the medians of the
 *   first, middle and last 100 evals, the last two as ratios of the first.
 *   <li>{@code chunk [--repeats 10]}: the time from an eval's start to its first stdout chunk, for code that prints and
 *   then runs on for 300 ms, through the engine and for a bare client of a kernel of the same kind (no prelude).
 *   <li>{@code throughput [--seconds 20]}: evals per second of one engine from one thread (the baseline), of one
 *   engine from 8 threads and of 8 engines from 8 threads.
 *   <li>{@code memory [--engines 100]}: the RSS of each language's idle kernel (its whole process tree), and the
 *   host's heap after that many engines were created, used once and dropped, against the heap before.
 *   <li>{@code naive [--repeats 20]}: what users write instead, a new process per eval ({@code python3 -c},
 *   {@code node -e}, {@code Rscript -e}) and the JDK's in-process JShell, against a warm eval through the engine,
 *   for the same snippet.
 *   <li>{@code jmeter [--threads 4] [--iterations 50]}: JMeter without script caching, on the shared manager with
 *   the settings' pool and cap: every iteration takes a new engine from one {@code ScriptEngineManager}, evaluates
 *   {@code N*N} for its own N (the value checked) and drops the engine unclosed; iterations per second, p50/p95 of an
 *   iteration, wrong results, and the most kernels alive at once against the cap. The baseline, first: the same
 *   evals on one engine per thread, reused.
 *   <li>{@code start [--repeats 5]}: a kernel's start as the warm pool does it, sandboxed, per language: from the
 *   launch to its first answer ({@code kernel_info} and the prelude), to ready (after the pool's warm-up), and to the
 *   value of a first {@code 1+1} after that. Java twice, alternating: without and with the class data archives
 *   ({@link JavaClassData}, made first when missing).
 * </ul>
 * {@code --languages python,javascript,r,java} chooses the languages (default all; throughput and jmeter: python).
 */
public final class ScaleBenchmark {
    private static final Map<Language, String> ONE_PLUS_ONE = Map.of(Language.PYTHON, "1+1", Language.JAVASCRIPT, "1+1",
            Language.R, "1+1", Language.JAVA, "1 + 1");
    /** What precedes a printed wall clock (microseconds since the epoch) rather than a monotonic one. */
    static final String WALL_CLOCK = "wall-us";
    /**
     * Prints a clock, then runs on 300 ms: the monotonic clock (the same CLOCK_MONOTONIC as the host's System.nanoTime),
     * or in R, which has none, the wall clock in microseconds after {@value #WALL_CLOCK} (Sys.time() reads the same
     * CLOCK_REALTIME as the host's Instant.now(), to the microsecond).
     */
    private static final Map<Language, String> PRINT_THEN_RUN = Map.of(
            Language.PYTHON, "import time\nprint(time.monotonic_ns())\ntime.sleep(0.3)",
            Language.JAVASCRIPT, "console.log(process.hrtime.bigint().toString()); await new Promise(r => setTimeout(r, 300));",
            Language.R, "cat('" + WALL_CLOCK + "', sprintf('%.0f', as.numeric(Sys.time()) * 1e6), '\\n'); Sys.sleep(0.3)",
            Language.JAVA, "System.out.println(System.nanoTime());\nThread.sleep(300);");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ScaleBenchmark life|chunk|throughput|memory|naive|jmeter|start"
                    + " [options]");
        }
        String mode = args[0];
        int count = -1;
        int threads = 4;
        int iterations = 50;
        double seconds = 20;
        List<Language> languages = mode.equals("throughput") || mode.equals("jmeter") ? List.of(Language.PYTHON)
                : List.of(Language.PYTHON, Language.JAVASCRIPT, Language.R, Language.JAVA);
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--evals", "--repeats", "--engines" -> count = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--languages" -> languages = Arrays.stream(args[++i].split(","))
                        .map(name -> Language.of(name.trim())).toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        System.out.printf("# %s, %s, load %s%n", mode, java.time.Instant.now(), loadavg());
        Path dir = Files.createTempDirectory("agb-scale");
        switch (mode) {
            case "life" -> life(dir, languages, count > 0 ? count : 10_000);
            case "chunk" -> chunk(dir, languages, count > 0 ? count : 10);
            case "throughput" -> throughput(dir, languages, seconds);
            case "memory" -> memory(dir, languages, count > 0 ? count : 100);
            case "naive" -> naive(dir, languages, count > 0 ? count : 20);
            case "jmeter" -> jmeter(languages, threads, iterations);
            case "start" -> start(dir, languages, count > 0 ? count : 5);
            default -> throw new IllegalArgumentException("Unknown mode " + mode);
        }
        System.out.printf("# done %s, load %s%n", java.time.Instant.now(), loadavg());
        System.exit(0);
    }

    // --- life ---

    private static void life(Path dir, List<Language> languages, int evals) throws Exception {
        System.out.printf("warm eval(\"1+1\") over a session's life: %d evals; median ms of the first, middle and last"
                + " 100; ratios to the first 100%n", evals);
        System.out.printf("%-12s %10s %10s %10s %10s %10s %12s%n", "language", "first", "middle", "last", "mid/first",
                "last/first", "total s");
        for (Language language : languages) {
            try (SessionManager manager = SessionManager.create(new LocalBackend(dir));
                 AgbScriptEngine engine = LatencyBenchmark.factory(language).getScriptEngine(manager)) {
                String code = ONE_PLUS_ONE.get(language);
                check(engine.eval(code));
                long[] nanos = new long[evals];
                long began = System.nanoTime();
                for (int i = 0; i < evals; i++) {
                    long start = System.nanoTime();
                    Object value = engine.eval(code);
                    nanos[i] = System.nanoTime() - start;
                    check(value);
                }
                double total = (System.nanoTime() - began) / 1e9;
                int middle = evals / 2 - 50;
                double first = median(nanos, 0, 100);
                double mid = median(nanos, middle, middle + 100);
                double last = median(nanos, evals - 100, evals);
                System.out.printf("%-12s %10.2f %10.2f %10.2f %10.2f %10.2f %12.1f%n", language.id(), first / 1e6,
                        mid / 1e6, last / 1e6, mid / first, last / first, total);
                StringBuilder tenths = new StringBuilder();
                for (int block = 0; block < 10; block++) {
                    int from = block * evals / 10;
                    tenths.append(String.format(" %.1f", median(nanos, from, Math.min(evals, from + 100)) / 1e6));
                }
                System.out.printf("%-12s first 100 of each tenth, median ms:%s%n", "", tenths);
            }
        }
    }

    // --- chunk ---

    private static void chunk(Path dir, List<Language> languages, int repeats) throws Exception {
        System.out.printf("first stdout chunk, ms from the eval's start and from the print (the printed monotonic clock"
                + " against the host's arrival), median of %d; the code runs on 300 ms after the print%n", repeats);
        System.out.printf("%-12s %14s %14s %14s %14s %8s%n", "language", "engine start", "engine print",
                "bare start", "bare print", "ratio");
        for (Language language : languages) {
            String code = PRINT_THEN_RUN.get(language);
            long[][] engine = new long[2][repeats];
            long[][] bare = new long[2][repeats];
            try (SessionManager manager = SessionManager.create(new LocalBackend(dir));
                 AgbScriptEngine agb = LatencyBenchmark.factory(language).getScriptEngine(manager);
                 BareKernel kernel = BareKernel.start(dir, language)) {
                FirstWrite writer = new FirstWrite();
                agb.getContext().setWriter(writer);
                agb.eval(code); // warm
                kernel.firstStream(code);
                for (int i = 0; i < repeats; i++) {
                    writer.reset();
                    long start = System.nanoTime();
                    agb.eval(code);
                    engine[0][i] = writer.first - start;
                    engine[1][i] = sincePrint(writer.first, writer.firstWall, writer.text.toString());
                    long[] times = kernel.firstStream(code);
                    bare[0][i] = times[0];
                    bare[1][i] = times[1];
                }
            }
            double engineStart = median(engine[0], 0, repeats);
            double bareStart = median(bare[0], 0, repeats);
            System.out.printf("%-12s %14.1f %14s %14.1f %14s %8.2f%n", language.id(), engineStart / 1e6,
                    sincePrintMedian(engine[1]), bareStart / 1e6, sincePrintMedian(bare[1]), engineStart / bareStart);
        }
        if (languages.contains(Language.PYTHON)) {
            printLoop(dir, Math.max(3, repeats / 2));
        }
    }

    /**
     * What sending at once costs a print loop: 200,000 prints (1.3 MB) through the engine with the prelude's flush
     * interval (none) and with ipykernel's own (0.2 s), alternating, in one session.
     */
    private static void printLoop(Path dir, int repeats) throws Exception {
        String loop = "for i in range(200000):\n    print(i)";
        long[][] nanos = new long[2][repeats];
        try (SessionManager manager = SessionManager.create(new LocalBackend(dir));
             AgbScriptEngine python = LatencyBenchmark.factory(Language.PYTHON).getScriptEngine(manager)) {
            CountingWriter out = new CountingWriter();
            python.getContext().setWriter(out);
            python.eval("import sys");
            for (int i = 0; i < repeats; i++) {
                for (int variant = 0; variant < 2; variant++) {
                    python.eval("sys.stdout.flush_interval = " + (variant == 0 ? "0" : "0.2"));
                    out.chars = 0;
                    long start = System.nanoTime();
                    python.eval(loop);
                    nanos[variant][i] = System.nanoTime() - start;
                    if (out.chars != 1_288_890) {
                        throw new IllegalStateException("the loop printed " + out.chars + " chars");
                    }
                }
            }
        }
        double now = median(nanos[0], 0, repeats);
        double before = median(nanos[1], 0, repeats);
        System.out.printf("%npython, 200,000 prints in one eval (median of %d, s): flush interval 0 %.2f, 0.2 s %.2f,"
                + " ratio %.2f%n", repeats, now / 1e9, before / 1e9, now / before);
    }

    private static final class CountingWriter extends Writer {
        volatile long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * Nanoseconds from the clock the code printed (its first word: monotonic nanoseconds, or the wall clock's
     * microseconds after {@link #WALL_CLOCK}) to the arrival, given on both clocks; 0 when it printed none.
     */
    static long sincePrint(long arrivalNanos, long arrivalWallMicros, String text) {
        String[] words = text.strip().split("\\s+");
        if (words.length >= 2 && words[0].equals(WALL_CLOCK) && words[1].matches("\\d+")) {
            return (arrivalWallMicros - Long.parseLong(words[1])) * 1000;
        }
        return words[0].matches("\\d+") ? arrivalNanos - Long.parseLong(words[0]) : 0;
    }

    /** The wall clock now, in microseconds since the epoch. */
    static long wallMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** The median in ms, or "-" when no run printed a clock the host could read. */
    private static String sincePrintMedian(long[] nanos) {
        return Arrays.stream(nanos).allMatch(n -> n == 0) ? "-" : String.format("%.1f", median(nanos, 0, nanos.length) / 1e6);
    }

    /** A writer that notes when it was first written to. */
    private static final class FirstWrite extends Writer {
        volatile long first;
        volatile long firstWall;
        final StringBuffer text = new StringBuffer();

        void reset() {
            first = 0;
            text.setLength(0);
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            if (first == 0 && length > 0) {
                first = System.nanoTime();
                firstWall = wallMicros();
            }
            text.append(buffer, offset, length);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    // --- throughput ---

    private static void throughput(Path dir, List<Language> languages, double seconds) throws Exception {
        System.out.printf("throughput of eval(\"1+1\"), evals per second over %.0f s; ratios to one engine from one"
                + " thread (%d processors)%n", seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-12s %-28s %12s %8s%n", "language", "", "evals/s", "ratio");
        for (Language language : languages) {
            try (SessionManager manager = SessionManager.create(new LocalBackend(dir))) {
                List<AgbScriptEngine> engines = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    AgbScriptEngine engine = LatencyBenchmark.factory(language).getScriptEngine(manager);
                    check(engine.eval(ONE_PLUS_ONE.get(language))); // started before the clock runs
                    engines.add(engine);
                }
                double base = rate(List.of(engines.get(0)), 1, language, seconds);
                double shared = rate(List.of(engines.get(0)), 8, language, seconds);
                double eight = rate(engines, 8, language, seconds);
                System.out.printf("%-12s %-28s %12.1f %8.2f%n", language.id(), "1 engine, 1 thread", base, 1.0);
                System.out.printf("%-12s %-28s %12.1f %8.2f%n", language.id(), "1 engine, 8 threads", shared,
                        shared / base);
                System.out.printf("%-12s %-28s %12.1f %8.2f%n", language.id(), "8 engines, 8 threads", eight,
                        eight / base);
                for (AgbScriptEngine engine : engines) {
                    engine.close();
                }
            }
        }
    }

    /** Evals per second of {@code threads} threads, thread i on engine i modulo the engines. */
    private static double rate(List<AgbScriptEngine> engines, int threads, Language language, double seconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long began = System.nanoTime();
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AgbScriptEngine engine = engines.get(t % engines.size());
            counts.add(pool.submit(() -> {
                long done = 0;
                while (System.nanoTime() < deadline) {
                    check(engine.eval(ONE_PLUS_ONE.get(language)));
                    done++;
                }
                return done;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        return total / elapsed;
    }

    // --- memory ---

    private static void memory(Path dir, List<Language> languages, int engines) throws Exception {
        System.out.println("idle kernel RSS (its process tree, after one eval of 1+1)");
        System.out.printf("%-12s %10s%n", "language", "RSS MiB");
        LocalBackend backend = new LocalBackend(dir);
        LocalSandbox sandbox = (LocalSandbox) backend.createSandbox();
        try {
            for (Language language : languages) {
                sandbox.execute(ExecutionRequest.of(language, ONE_PLUS_ONE.get(language)), ExecutionListener.NONE);
            }
            Thread.sleep(2000); // idle: let start-up work settle (a benchmark, not a test)
            for (Map.Entry<Language, Long> kernel : sandbox.kernelPids().entrySet()) {
                System.out.printf("%-12s %10.1f%n", kernel.getKey().id(), rssTree(kernel.getValue()) / 1024.0);
            }
        } finally {
            sandbox.close();
        }

        System.out.printf("%nhost heap after %d Python engines were created, used once (eval 1+1) and dropped%n", engines);
        try (SessionManager manager = SessionManager.create(new LocalBackend(dir))) {
            AgbScriptEngine first = LatencyBenchmark.factory(Language.PYTHON).getScriptEngine(manager);
            check(first.eval("1+1"));
            first.close();
            long before = usedHeapAfterGc();
            for (int i = 0; i < engines; i++) {
                AgbScriptEngine engine = LatencyBenchmark.factory(Language.PYTHON).getScriptEngine(manager);
                check(engine.eval("1+1"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long after = usedHeapAfterGc();
            while (manager.stats().sessionsOpen() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200); // the manager reclaims dropped engines' sessions after a GC
                after = usedHeapAfterGc();
            }
            System.out.printf("%-34s %10.1f MiB%n", "heap used before", before / 1048576.0);
            System.out.printf("%-34s %10.1f MiB (sessions still open: %d, reclaims %s)%n", "heap used after",
                    after / 1048576.0, manager.stats().sessionsOpen(), manager.stats());
            System.out.printf("%-34s %10.2f%n", "ratio after / before", after / (double) before);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** KiB resident of the process and its descendants. */
    private static long rssTree(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
        long total = rss(root.pid());
        for (ProcessHandle child : root.descendants().toList()) {
            total += rss(child.pid());
        }
        return total;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            // gone
        }
        return 0;
    }

    // --- naive ---

    private static void naive(Path dir, List<Language> languages, int repeats) throws Exception {
        System.out.printf("the same snippet (1+1, printed), median ms of %d: a new process per eval, the JDK's"
                + " in-process JShell, and a warm eval through the engine%n", repeats);
        System.out.printf("%-12s %-34s %10s %10s%n", "language", "", "median ms", "vs engine");
        for (Language language : languages) {
            double engine;
            try (SessionManager manager = SessionManager.create(new LocalBackend(dir));
                 AgbScriptEngine agb = LatencyBenchmark.factory(language).getScriptEngine(manager)) {
                String code = ONE_PLUS_ONE.get(language);
                check(agb.eval(code));
                for (int i = 0; i < 20; i++) {
                    agb.eval(code);
                }
                long[] nanos = new long[repeats];
                for (int i = 0; i < repeats; i++) {
                    long start = System.nanoTime();
                    check(agb.eval(code));
                    nanos[i] = System.nanoTime() - start;
                }
                engine = median(nanos, 0, repeats);
            }
            System.out.printf("%-12s %-34s %10.2f %10.2f%n", language.id(), "agb engine, warm eval", engine / 1e6, 1.0);
            if (language == Language.JAVA) {
                double jshell = inProcessJShell(repeats);
                System.out.printf("%-12s %-34s %10.2f %10.2f%n", language.id(), "JDK JShell in-process (local)",
                        jshell / 1e6, jshell / engine);
                double process = newProcess(List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                        "-R-Xshare:auto", "-"), "System.out.println(1 + 1)\n/exit\n", Math.max(3, repeats / 4));
                System.out.printf("%-12s %-34s %10.2f %10.2f%n", language.id(), "new jshell process", process / 1e6,
                        process / engine);
                continue;
            }
            List<String> command = switch (language) {
                // the kernel's interpreter (a pyenv shim first on PATH would add its own second)
                case PYTHON -> List.of(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3",
                        "-c", "print(1+1)");
                case JAVASCRIPT -> List.of("node", "-e", "console.log(1+1)");
                case R -> List.of("Rscript", "-e", "cat(1+1)");
                default -> throw new IllegalArgumentException(language.toString());
            };
            double process = newProcess(command, null, repeats);
            System.out.printf("%-12s %-34s %10.2f %10.2f%n", language.id(), String.join(" ", command.subList(0, 2)),
                    process / 1e6, process / engine);
        }
    }

    private static double newProcess(List<String> command, String input, int repeats) throws Exception {
        long[] nanos = new long[repeats];
        run(command, input); // the binary and its libraries in the page cache, as for a user's second run
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run(command, input);
            nanos[i] = System.nanoTime() - start;
        }
        return median(nanos, 0, repeats);
    }

    private static void run(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("2")) {
            throw new IllegalStateException(command + " gave " + output);
        }
    }

    /** The JDK's JShell in this JVM (local execution), warm, for 1 + 1. */
    private static double inProcessJShell(int repeats) {
        try (jdk.jshell.JShell shell = jdk.jshell.JShell.builder().executionEngine("local").build()) {
            for (int i = 0; i < 20; i++) {
                shell.eval("1 + 1");
            }
            long[] nanos = new long[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                String value = shell.eval("1 + 1").get(0).value();
                nanos[i] = System.nanoTime() - start;
                if (!"2".equals(value)) {
                    throw new IllegalStateException("JShell gave " + value);
                }
            }
            return median(nanos, 0, repeats);
        }
    }

    // --- jmeter ---

    /** The JMeter-like sample: a square of a number of its own, whose value is checked. */
    private static String square(Language language, long n) {
        return language == Language.JAVA ? n + "L * " + n + "L" : n + " * " + n;
    }

    private static void jmeter(List<Language> languages, int threads, int iterations) throws Exception {
        ScriptEngineManager engines = new ScriptEngineManager(); // one, as JMeter keeps
        SessionManager manager = SessionManager.shared();
        System.out.printf("JMeter-like: %d threads x %d iterations of N*N (N of the iteration's own, value checked) on the"
                + " shared manager (%s); baseline: one engine per thread, reused; then a new engine per iteration,"
                + " dropped unclosed%n", threads, iterations, manager.limits());
        System.out.printf("%-12s %-26s %10s %9s %9s %7s %s%n", "language", "", "iter/s", "p50 ms", "p95 ms", "wrong",
                "kernels alive at most (stats / processes) / cap");
        for (Language language : languages) {
            String name = "agb-" + language.id();
            List<ScriptEngine> reused = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ScriptEngine engine = engines.getEngineByName(name);
                if (!Long.valueOf(4).equals(engine.eval(square(language, 2)))) { // started before the clock runs
                    throw new AssertionError("2*2 was not 4");
                }
                reused.add(engine);
            }
            Run baseline = samples(threads, iterations, t -> reused.get(t), language, manager);
            baseline.print(language, threads + " engines reused (baseline)", manager, baseline.rate);
            for (ScriptEngine engine : reused) {
                ((AutoCloseable) engine).close();
            }
            reused.clear();
            Run run = samples(threads, iterations, t -> engines.getEngineByName(name), language, manager);
            run.print(language, "new engine per iteration", manager, baseline.rate);
            long dropped = System.nanoTime();
            long deadline = dropped + TimeUnit.SECONDS.toNanos(120);
            while (manager.stats().sessionsOpen() > 0 && System.nanoTime() < deadline) {
                System.gc(); // the manager reclaims dropped engines' sessions after a collection
                Thread.sleep(200);
            }
            System.out.printf("%-12s after GCs: sessions open %d after %.1f s; %s%n", "", manager.stats().sessionsOpen(),
                    (System.nanoTime() - dropped) / 1e9, manager.stats());
        }
    }

    /** The outcome of one JMeter-like run. */
    private record Run(double rate, long[] nanos, int wrong, String firstWrong, int mostKernels, int mostProcesses) {
        void print(Language language, String label, SessionManager manager, double baseRate) {
            System.out.printf("%-12s %-26s %10.2f %9.1f %9.1f %7d %d / %d / %d   (ratio to the baseline: %.3f)%n",
                    language.id(), label, rate, LatencyBenchmark.percentile(nanos, 50) / 1e6,
                    LatencyBenchmark.percentile(nanos, 95) / 1e6, wrong, mostKernels, mostProcesses,
                    manager.limits().maxKernels(), rate / baseRate);
            if (firstWrong != null) {
                System.out.printf("%-12s first wrong: %s%n", "", firstWrong);
            }
        }
    }

    /**
     * {@code threads} threads, {@code iterations} samples each, thread t's sample on the engine {@code engineOf}
     * gives (a new one or its own); the kernels alive are sampled meanwhile, from the manager's stats (slots held,
     * the pool's included) and as this JVM's live child processes (each kernel is one: bwrap).
     */
    private static Run samples(int threads, int iterations, IntFunction<ScriptEngine> engineOf,
            Language language, SessionManager manager) throws Exception {
        AtomicInteger mostKernels = new AtomicInteger();
        AtomicInteger mostProcesses = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            mostKernels.accumulateAndGet(manager.stats().kernelsLiveTotal(), Math::max);
            mostProcesses.accumulateAndGet((int) ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .count(), Math::max);
        }, 0, 10, TimeUnit.MILLISECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long[] nanos = new long[threads * iterations];
        AtomicInteger wrong = new AtomicInteger();
        AtomicReference<String> firstWrong = new AtomicReference<>();
        long began = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                for (int i = 0; i < iterations; i++) {
                    long n = 1000L * (thread + 1) + i;
                    long start = System.nanoTime();
                    Object value;
                    try {
                        value = engineOf.apply(thread).eval(square(language, n));
                    } catch (Exception e) {
                        value = e;
                    }
                    nanos[thread * iterations + i] = System.nanoTime() - start;
                    if (!Long.valueOf(n * n).equals(value)) {
                        wrong.incrementAndGet();
                        firstWrong.compareAndSet(null, "thread " + thread + ", iteration " + i + ": " + value);
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        return new Run(nanos.length / elapsed, nanos, wrong.get(), firstWrong.get(), mostKernels.get(), mostProcesses.get());
    }

    // --- start ---

    private static void start(Path dir, List<Language> languages, int repeats) throws Exception {
        if (languages.contains(Language.JAVA) && (JavaClassData.existing(JavaClassData.KERNEL).isEmpty()
                || JavaClassData.existing(JavaClassData.AGENT).isEmpty())) {
            long began = System.nanoTime();
            JavaClassData.build(JavaClassData.folder().orElseThrow(() -> new IllegalStateException("agb.java.cds=none")));
            System.out.printf("# made the class data archives in %.1f s%n", (System.nanoTime() - began) / 1e9);
        }
        System.out.println("# archives: " + JavaClassData.existing(JavaClassData.KERNEL).orElse(null) + ", "
                + JavaClassData.existing(JavaClassData.AGENT).orElse(null));
        List<String> cases = new ArrayList<>();
        Map<String, KernelSpec> specs = new java.util.LinkedHashMap<>();
        for (Language language : languages) {
            if (language == Language.JAVA) {
                specs.put("java", KernelSpecs.java(false));
                specs.put("java+cds", KernelSpecs.java(true));
            } else {
                specs.put(language.id(), KernelSpecs.forLanguage(language));
            }
        }
        cases.addAll(specs.keySet());
        Map<String, long[][]> times = new java.util.LinkedHashMap<>();
        cases.forEach(name -> times.put(name, new long[4][repeats]));
        boolean sandboxed = Bubblewrap.check();
        Map<String, Integer> failures = new java.util.HashMap<>();
        for (int round = 0; round < repeats; round++) {
            List<String> order = new ArrayList<>(cases);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order); // neither Java variant always goes first
            }
            for (String name : order) {
                long[] one;
                try {
                    one = startOnce(dir, specs.get(name), sandboxed);
                } catch (RuntimeException e) { // tslab now and then never answers its first kernel_info (under load)
                    System.out.printf("# round %d %-10s FAILED: %s%n", round, name, e.getMessage().lines().findFirst()
                            .orElse(""));
                    failures.merge(name, 1, Integer::sum);
                    one = new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                    for (int k = 0; k < 4; k++) {
                        times.get(name)[k][round] = one[k];
                    }
                    continue;
                }
                for (int k = 0; k < 4; k++) {
                    times.get(name)[k][round] = one[k];
                }
                System.out.printf("# round %d %-10s answered %6.0f ms, ready %6.0f ms, first 1+1 %5.0f ms, CPU %6.0f ms%n",
                        round, name, one[0] / 1e6, one[1] / 1e6, one[2] / 1e6, one[3] / 1e6);
            }
        }
        System.out.printf("kernel starts as the warm pool does them (%s), median of %d, ms%n",
                sandboxed ? "sandboxed" : "unsandboxed", repeats);
        System.out.printf("%-10s %10s %10s %10s %10s %10s %12s %12s %10s %9s%n", "kernel", "answered", "ready",
                "ready p90", "1st 1+1", "CPU", "answered/java", "ready/java", "CPU/java", "failed");
        for (String name : cases) {
            long[][] t = succeeded(times.get(name));
            String answeredRatio = "";
            String readyRatio = "";
            String cpuRatio = "";
            if (name.equals("java+cds") && times.containsKey("java")) {
                long[][] plain = succeeded(times.get("java"));
                answeredRatio = String.format("%.2f", median(t[0], 0, t[0].length) / median(plain[0], 0, plain[0].length));
                readyRatio = String.format("%.2f", median(t[1], 0, t[1].length) / median(plain[1], 0, plain[1].length));
                cpuRatio = String.format("%.2f", median(t[3], 0, t[3].length) / median(plain[3], 0, plain[3].length));
            }
            long[] sorted = t[1].clone();
            Arrays.sort(sorted);
            System.out.printf("%-10s %10.0f %10.0f %10.0f %10.1f %10.0f %12s %12s %10s %9d%n", name,
                    median(t[0], 0, t[0].length) / 1e6, median(t[1], 0, t[1].length) / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.9))] / 1e6,
                    median(t[2], 0, t[2].length) / 1e6, median(t[3], 0, t[3].length) / 1e6, answeredRatio, readyRatio,
                    cpuRatio, failures.getOrDefault(name, 0));
        }
        if (times.containsKey("java") && times.containsKey("java+cds")) {
            // Each round's own ratio: the load drifts during a run, and both Java starts of a round see about the same
            for (int k : new int[] {1, 3}) {
                long[] plain = times.get("java")[k];
                long[] cds = times.get("java+cds")[k];
                double[] ratios = java.util.stream.IntStream.range(0, repeats)
                        .filter(i -> plain[i] != Long.MAX_VALUE && cds[i] != Long.MAX_VALUE)
                        .mapToDouble(i -> (double) cds[i] / plain[i]).sorted().toArray();
                if (ratios.length > 0) {
                    double median = ratios.length % 2 == 1 ? ratios[ratios.length / 2]
                            : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
                    System.out.printf("java+cds / java per round, %s: median %.2f, faster in %d of %d rounds%n",
                            k == 1 ? "ready" : "CPU", median, Arrays.stream(ratios).filter(r -> r < 1).count(),
                            ratios.length);
                }
            }
        }
    }

    /** The rounds that did not fail. */
    private static long[][] succeeded(long[][] times) {
        long[][] kept = new long[times.length][];
        for (int k = 0; k < times.length; k++) {
            kept[k] = Arrays.stream(times[k]).filter(t -> t != Long.MAX_VALUE).toArray();
        }
        return kept;
    }

    /** Nanoseconds from the launch to the first answer, to ready after the warm-up, and of a first 1+1 after that. */
    private static long[] startOnce(Path dir, KernelSpec spec, boolean sandboxed) throws Exception {
        LocalSandbox.Room room = LocalSandbox.Room.create("st-" + java.util.UUID.randomUUID().toString().substring(0, 6),
                dir, dev.agbscript.session.SandboxOptions.DEFAULTS, sandboxed, dev.agbscript.session.KernelSlots.UNLIMITED);
        KernelManager kernel = new KernelManager(spec, room.place(), "start-" + spec.language().id());
        try {
            long began = System.nanoTime();
            var client = kernel.client(); // kernel_info answered, prelude run
            long answered = System.nanoTime() - began;
            for (String code : spec.warmUp()) {
                var result = client.execute(new ExecutionRequest(spec.language(), code, spec.startTimeout(), true),
                        ExecutionListener.NONE);
                if (!result.success()) {
                    throw new IllegalStateException("warm-up failed: " + result.error());
                }
            }
            long ready = System.nanoTime() - began;
            long cpu = cpuNanos(kernel.pid());
            long evalStart = System.nanoTime();
            var result = client.execute(new ExecutionRequest(spec.language(), ONE_PLUS_ONE.get(spec.language()),
                    spec.startTimeout(), false), ExecutionListener.NONE);
            long firstEval = System.nanoTime() - evalStart;
            if (!result.success()) {
                throw new IllegalStateException("1+1 failed: " + result.error());
            }
            if (spec.language() == Language.JAVA && !mapsShown.contains(spec)) {
                mapsShown.add(spec);
                System.out.println("# JVMs and the archives they map: " + mappedArchives(kernel.pid()));
            }
            return new long[] {answered, ready, firstEval, cpu};
        } finally {
            kernel.stop();
            room.delete();
        }
    }

    private static final java.util.Set<KernelSpec> mapsShown = new java.util.HashSet<>();

    /** The CPU time that process and its descendants have used (the kernel's and, for Java, the agent's JVM). */
    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).map(root -> java.util.stream.Stream.concat(java.util.stream.Stream.of(root),
                root.descendants()).mapToLong(process -> process.info().totalCpuDuration()
                        .map(java.time.Duration::toNanos).orElse(0L)).sum()).orElse(0L);
    }

    /** For each JVM below that process: the .jsa files it maps (the JDK's default archive included). */
    private static List<String> mappedArchives(long pid) {
        List<String> found = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(root -> java.util.stream.Stream.concat(java.util.stream.Stream.of(root),
                root.descendants()).forEach(process -> {
            try {
                List<String> archives = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "maps"))
                        .stream().filter(line -> line.endsWith(".jsa")).map(line -> Path.of(line.substring(
                                line.indexOf('/'))).getFileName().toString()).distinct().toList();
                if (process.info().command().orElse("").endsWith("java")) {
                    found.add(process.pid() + " " + archives);
                }
            } catch (java.io.IOException e) {
                // gone meanwhile
            }
        }));
        return found;
    }

    // --- shared ---

    private static void check(Object value) {
        if (!Long.valueOf(2).equals(value)) {
            throw new AssertionError("1+1 gave " + value);
        }
    }

    private static double median(long[] values, int from, int to) {
        long[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

}
