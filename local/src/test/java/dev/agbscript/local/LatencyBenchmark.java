package dev.agbscript.local;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.engine.JavaEngineFactory;
import dev.agbscript.engine.JavaScriptEngineFactory;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.engine.REngineFactory;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import javax.script.Bindings;
import javax.script.SimpleBindings;

/**
 * {@code ./agb bench}: the latency of a warm {@code eval("1+1")} through the agb-python engine against the
 * bare kernel round trip (an {@code execute_request} sent straight over ZeroMQ, waiting for the reply and
 * {@code status: idle}), each on its own ipykernel. The two are measured in alternating blocks so that
 * the machine's noise hits both alike; the figure to keep small is their ratio.
 *
 * <p>Then, per language, an eval with per-call Bindings (a namespace of their own; in Java a private session)
 * against the same eval on the engine's own scope, also in alternating blocks: the Bindings object of a JMeter
 * thread (the same object every time, two values), and for Python, JavaScript and R a new Bindings object every
 * time, as Camunda passes (a new namespace each time; Java would start a kernel each time).
 *
 * <p>Options: {@code --iterations N} (default 400), {@code --warmup N} (default 100), {@code --languages
 * python,javascript,r,java} (the languages of the scope comparison; default all), {@code --scopes-only}.
 *
 * <p>{@code --first-evals} measures instead, per language, the first eval of a new engine with the warm pool holding a
 * kernel ({@code agb.pool.size=1}) and with no pool ({@code agb.pool.size=0}, the kernel's whole start), against a warm
 * eval of a long-lived engine, in alternating rounds ({@code --starts N} of each, default 10), with the machine's load
 * before and after.
 */
public final class LatencyBenchmark {
    private static final int BLOCK = 20;

    public static void main(String[] args) throws Exception {
        int iterations = 400;
        int warmup = 100;
        boolean scopesOnly = false;
        boolean firstEvals = false;
        int starts = 10;
        List<Language> languages = List.of(Language.PYTHON, Language.JAVASCRIPT, Language.R, Language.JAVA);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--scopes-only" -> scopesOnly = true;
                case "--first-evals" -> firstEvals = true;
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--languages" -> languages = Arrays.stream(args[++i].split(","))
                        .map(name -> Language.of(name.trim())).toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("agb-bench");
        if (firstEvals) {
            firstEvals(dir, languages, starts);
            return;
        }
        if (!scopesOnly) {
            engineAgainstBareKernel(dir, iterations, warmup);
        }
        try (SessionManager manager = SessionManager.create(new LocalBackend(dir))) {
            System.out.printf("%nper-call Bindings against the engine's own scope, %d iterations after %d warm-up%n",
                    iterations, warmup);
            System.out.printf("%-12s %-34s %10s %10s %8s%n", "language", "", "median ms", "p90 ms", "ratio");
            for (Language language : languages) {
                scopes(manager, language, iterations, warmup);
            }
        }
    }

    /**
     * One language's engine: {@code 1+1} on its own scope, with the same Bindings object each time, and with a new
     * one each time, in alternating blocks. The Bindings hold two values, as a JMeter thread's hold its counters.
     */
    private static void scopes(SessionManager manager, Language language, int iterations, int warmup)
            throws Exception {
        try (AgbScriptEngine engine = factory(language).getScriptEngine(manager)) {
            String code = language == Language.JAVA ? "1 + 1" : "1+1";
            Bindings reused = bindings();
            boolean fresh = language != Language.JAVA; // a new Bindings object is a new kernel in Java
            List<Measure> measures = new ArrayList<>();
            measures.add(new Measure("engine's own scope", iterations, () -> engine.eval(code)));
            measures.add(new Measure("same Bindings each eval", iterations, () -> engine.eval(code, reused)));
            if (fresh) {
                measures.add(new Measure("new Bindings each eval", iterations, () -> engine.eval(code, bindings())));
            }
            for (Measure measure : measures) {
                measure.run(warmup, null);
            }
            for (int done = 0; done < iterations; done += BLOCK) {
                for (Measure measure : measures) {
                    measure.run(Math.min(BLOCK, iterations - done), done);
                }
            }
            double base = percentile(measures.get(0).nanos, 50);
            for (Measure measure : measures) {
                double median = percentile(measure.nanos, 50);
                System.out.printf("%-12s %-34s %10.2f %10.2f %8.2f%n", language.id(), measure.name, median / 1e6,
                        percentile(measure.nanos, 90) / 1e6, median / base);
            }
        }
    }

    /** The first eval of a new engine, with a pooled kernel and with none, against a warm eval, per language. */
    private static void firstEvals(Path dir, List<Language> languages, int starts) throws Exception {
        String loadBefore = load();
        long began = System.nanoTime();
        System.out.printf("a new engine's first eval: warm pool (agb.pool.size=1) against none (agb.pool.size=0),"
                + " %d rounds per language; load before: %s%n", starts, loadBefore);
        System.out.printf("%-11s %8s %8s %10s %10s %10s %8s %8s %12s %11s%n", "language", "warm ms", "warm p90",
                "pooled ms", "pooled p90", "pooled 2nd", "none ms", "none p90", "pooled-warm", "pooled/warm");
        List<String> misses = new ArrayList<>();
        for (Language language : languages) {
            LocalBackend pooledBackend = new LocalBackend(Files.createDirectories(dir.resolve("pool")), 1);
            try (SessionManager pooled = SessionManager.create(pooledBackend);
                 SessionManager none = SessionManager.create(new LocalBackend(Files.createDirectories(dir.resolve("none")), 0));
                 AgbScriptEngine warm = factory(language).getScriptEngine(pooled)) {
                String code = language == Language.JAVA ? "1 + 1" : "1+1";
                for (int i = 0; i < 20; i++) {
                    check(warm.eval(code)); // its kernel starts, the language counts as used: the pool fills
                }
                long[] warmNanos = new long[starts * BLOCK];
                long[] pooledNanos = new long[starts];
                long[] noneNanos = new long[starts];
                long[] secondNanos = new long[starts];
                for (int round = 0; round < starts; round++) {
                    if (!pooledBackend.pool().awaitReady(language, 1, java.time.Duration.ofSeconds(120))) {
                        throw new IllegalStateException("The pool did not refill: " + pooled.stats());
                    }
                    long handedOut = pooledBackend.pool().handedOut();
                    pooledNanos[round] = firstEval(pooled, language, code, secondNanos, round);
                    if (pooledBackend.pool().handedOut() != handedOut + 1) {
                        misses.add(language.id() + " round " + round);
                    }
                    // The refill runs before the next measure, so that none competes with it.
                    if (!pooledBackend.pool().awaitReady(language, 1, java.time.Duration.ofSeconds(120))) {
                        throw new IllegalStateException("The pool did not refill: " + pooled.stats());
                    }
                    noneNanos[round] = firstEval(none, language, code, null, round);
                    for (int i = 0; i < BLOCK; i++) {
                        long start = System.nanoTime();
                        check(warm.eval(code));
                        warmNanos[round * BLOCK + i] = System.nanoTime() - start;
                    }
                }
                double warmMedian = percentile(warmNanos, 50);
                double pooledMedian = percentile(pooledNanos, 50);
                System.out.printf("%-11s %8.2f %8.2f %10.2f %10.2f %10.2f %8.0f %8.0f %12.2f %11.2f%n", language.id(),
                        warmMedian / 1e6, percentile(warmNanos, 90) / 1e6, pooledMedian / 1e6,
                        percentile(pooledNanos, 90) / 1e6, percentile(secondNanos, 50) / 1e6,
                        percentile(noneNanos, 50) / 1e6,
                        percentile(noneNanos, 90) / 1e6, (pooledMedian - warmMedian) / 1e6, pooledMedian / warmMedian);
            }
        }
        System.out.printf("load after: %s (%.0f s)%n", load(), (System.nanoTime() - began) / 1e9);
        if (!misses.isEmpty()) {
            System.out.println("pooled rounds that got no pooled kernel: " + misses);
        }
    }

    /** A new engine's first eval, timed from the call to its value; the engine is closed after. */
    private static long firstEval(SessionManager manager, Language language, String code, long[] second, int round)
            throws Exception {
        try (AgbScriptEngine engine = factory(language).getScriptEngine(manager)) {
            long start = System.nanoTime();
            Object value = engine.eval(code);
            long took = System.nanoTime() - start;
            check(value);
            if (second != null) {
                start = System.nanoTime();
                check(engine.eval(code));
                second[round] = System.nanoTime() - start;
            }
            return took;
        }
    }

    private static void check(Object value) {
        if (!(value instanceof Number number) || number.doubleValue() != 2) {
            throw new AssertionError("the eval gave " + value);
        }
    }

    /** The machine's load averages (1, 5, 15 minutes), as /proc/loadavg tells them. */
    private static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " on " + Runtime.getRuntime().availableProcessors()
                    + " processors";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Bindings bindings() {
        Bindings bindings = new SimpleBindings();
        bindings.put("thread", 3);
        bindings.put("label", "worker-3");
        return bindings;
    }

    static AgbScriptEngineFactory factory(Language language) {
        return switch (language) {
            case PYTHON -> new PythonEngineFactory();
            case JAVASCRIPT -> new JavaScriptEngineFactory();
            case R -> new REngineFactory();
            case JAVA -> new JavaEngineFactory();
            default -> throw new IllegalArgumentException("No engine for " + language);
        };
    }

    /** One kind of eval, timed; each must give 2. */
    private static final class Measure {
        private final String name;
        private final Callable<Object> eval;
        private final long[] nanos;

        Measure(String name, int iterations, Callable<Object> eval) {
            this.name = name;
            this.eval = eval;
            this.nanos = new long[iterations];
        }

        /** Runs the eval {@code count} times, keeping the times from index {@code at} on (none when null: warm-up). */
        void run(int count, Integer at) throws Exception {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                Object value = eval.call();
                long took = System.nanoTime() - start;
                if (!Long.valueOf(2).equals(value)) {
                    throw new AssertionError(name + " gave " + value);
                }
                if (at != null) {
                    nanos[at + i] = took;
                }
            }
        }
    }

    private static void engineAgainstBareKernel(Path dir, int iterations, int warmup) throws Exception {
        try (SessionManager manager = SessionManager.create(new LocalBackend(dir));
             AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
             BareKernel bare = BareKernel.start(dir, Language.PYTHON)) {
            engine.eval("1+1");
            for (int i = 0; i < warmup; i++) {
                engine.eval("1+1");
                bare.roundTrip("1+1");
            }
            long[] engineNanos = new long[iterations];
            long[] bareNanos = new long[iterations];
            for (int done = 0; done < iterations; done += BLOCK) {
                for (int i = done; i < Math.min(iterations, done + BLOCK); i++) {
                    long start = System.nanoTime();
                    Object value = engine.eval("1+1");
                    engineNanos[i] = System.nanoTime() - start;
                    if (!Long.valueOf(2).equals(value)) {
                        throw new AssertionError("eval(\"1+1\") gave " + value);
                    }
                }
                for (int i = done; i < Math.min(iterations, done + BLOCK); i++) {
                    long start = System.nanoTime();
                    bare.roundTrip("1+1");
                    bareNanos[i] = System.nanoTime() - start;
                }
            }
            report(iterations, warmup, engineNanos, bareNanos);
        }
    }

    private static void report(int iterations, int warmup, long[] engineNanos, long[] bareNanos) {
        double engineMedian = percentile(engineNanos, 50);
        double bareMedian = percentile(bareNanos, 50);
        double engineP90 = percentile(engineNanos, 90);
        double bareP90 = percentile(bareNanos, 90);
        System.out.printf("agb-script latency, Python (ipykernel), %d iterations after %d warm-up%n", iterations, warmup);
        System.out.printf("%-34s %10s %10s%n", "", "median ms", "p90 ms");
        System.out.printf("%-34s %10.2f %10.2f%n", "engine eval(\"1+1\")", engineMedian / 1e6, engineP90 / 1e6);
        System.out.printf("%-34s %10.2f %10.2f%n", "bare execute_request round trip", bareMedian / 1e6, bareP90 / 1e6);
        System.out.printf("%-34s %10.2f %10.2f%n", "ratio engine / bare", engineMedian / bareMedian, engineP90 / bareP90);
    }

    static double percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
