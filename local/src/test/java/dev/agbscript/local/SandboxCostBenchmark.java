package dev.agbscript.local;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./agb bench sandbox}: what the bubblewrap sandbox costs, per language, in one run. A new engine's first eval
 * (the kernel's start in its sandbox, the prelude, {@code 1+1}) sandboxed and unsandboxed, alternating; then a warm
 * {@code eval("1+1")} on a sandboxed and an unsandboxed engine, in alternating blocks of 20. Neither backend has a warm pool, and each has its own
 * manager, so neither waits for the other's kernels. The machine's load is printed before and after.
 *
 * <p>Options: {@code --starts N} (default 5), {@code --iterations N} (default 200), {@code --warmup N} (default 40),
 * {@code --languages python,javascript,r,java}.
 */
public final class SandboxCostBenchmark {
    private static final int BLOCK = 20;

    public static void main(String[] args) throws Exception {
        int starts = 5;
        int iterations = 200;
        int warmup = 40;
        List<Language> languages = List.of(Language.PYTHON, Language.JAVASCRIPT, Language.R, Language.JAVA);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--languages" -> languages = Arrays.stream(args[++i].split(","))
                        .map(name -> Language.of(name.trim())).toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        // Short: the kernels' Unix socket paths must fit in 107 bytes
        Path dir = Files.createDirectories(Path.of("/tmp", "agb-sb-" + ProcessHandle.current().pid()));
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("%-11s %14s %14s %9s %14s %14s %9s%n", "language", "first, bwrap", "first, none", "ratio",
                "warm, bwrap", "warm, none", "ratio");
        try (SessionManager sandboxed = SessionManager.create(new LocalBackend(dir.resolve("bwrap"), true));
             SessionManager open = SessionManager.create(new LocalBackend(dir.resolve("none"), false))) {
            for (Language language : languages) {
                double[] firstBwrap = new double[starts];
                double[] firstNone = new double[starts];
                for (int i = 0; i < starts; i++) {
                    boolean bwrapFirst = i % 2 == 0; // neither always goes first
                    double a = firstEval(bwrapFirst ? sandboxed : open, language);
                    double b = firstEval(bwrapFirst ? open : sandboxed, language);
                    firstBwrap[i] = bwrapFirst ? a : b;
                    firstNone[i] = bwrapFirst ? b : a;
                }
                double[] warmBwrap = new double[iterations];
                double[] warmNone = new double[iterations];
                try (AgbScriptEngine inBwrap = LatencyBenchmark.factory(language).getScriptEngine(sandboxed);
                     AgbScriptEngine inNone = LatencyBenchmark.factory(language).getScriptEngine(open)) {
                    evals(inBwrap, warmup, null, 0);
                    evals(inNone, warmup, null, 0);
                    for (int at = 0; at < iterations; at += BLOCK) {
                        int count = Math.min(BLOCK, iterations - at);
                        evals(inBwrap, count, warmBwrap, at);
                        evals(inNone, count, warmNone, at);
                    }
                }
                double fb = median(firstBwrap);
                double fn = median(firstNone);
                double wb = median(warmBwrap);
                double wn = median(warmNone);
                System.out.printf("%-11s %11.0f ms %11.0f ms %9.2f %11.2f ms %11.2f ms %9.2f   (first: +%.0f ms)%n",
                        language.id(), fb, fn, fb / fn, wb, wn, wb / wn, fb - fn);
            }
        }
        System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("%d first evals per language and route, medians; warm: %d evals after %d warm-up%n", starts,
                iterations, warmup);
    }

    /** A new engine's first eval, in ms; its session is closed after. */
    private static double firstEval(SessionManager manager, Language language) throws Exception {
        try (AgbScriptEngine engine = LatencyBenchmark.factory(language).getScriptEngine(manager)) {
            long start = System.nanoTime();
            check(engine.eval(language == Language.JAVA ? "1 + 1" : "1+1"));
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static void evals(AgbScriptEngine engine, int count, double[] into, int at) throws Exception {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            check(engine.eval("1+1"));
            if (into != null) {
                into[at + i] = (System.nanoTime() - start) / 1e6;
            }
        }
    }

    private static void check(Object value) {
        if (!(value instanceof Number number) || number.longValue() != 2) {
            throw new AssertionError("1+1 gave " + value);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
