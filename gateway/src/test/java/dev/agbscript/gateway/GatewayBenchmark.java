package dev.agbscript.gateway;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.engine.JavaEngineFactory;
import dev.agbscript.engine.JavaScriptEngineFactory;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.engine.REngineFactory;
import dev.agbscript.local.LocalBackend;
import dev.agbscript.session.SessionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./agb bench gateway}: what the gateway route costs against the local backend's direct ZeroMQ, in one run.
 * Warm {@code eval("1+1")} through the engine on three routes, in alternating blocks so that the machine's noise
 * hits all alike: the local backend (the baseline), a Jupyter Server on loopback with TCP_NODELAY on its WebSockets,
 * and the same server as Debian ships it (Nagle's algorithm on). Then the first eval of a new engine (the kernel's
 * start, its prelude and the eval) per language, local and through the server, alternating. Prints medians, p90s
 * and the ratios against the local baseline, with the machine's load average before and after.
 *
 * <p>Options: {@code --iterations N} (default 300), {@code --warmup N} (default 60), {@code --starts N} per language
 * and route (default 3), {@code --languages python,r,…} for the first evals (default all four).
 */
public final class GatewayBenchmark {
    private static final int BLOCK = 20;

    public static void main(String[] args) throws Exception {
        int iterations = 300;
        int warmup = 60;
        int starts = 3;
        List<String> languages = List.of("python", "javascript", "r", "java");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--languages" -> languages = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        String loadBefore = load();
        Path dir = Files.createTempDirectory("agb-gateway-bench");
        try (JupyterServer nodelay = JupyterServer.start("bench-nodelay", true);
             JupyterServer stock = JupyterServer.start("bench-stock", false);
             SessionManager local = SessionManager.create(new LocalBackend(dir));
             SessionManager fast = SessionManager.create(new GatewayBackend(config(nodelay)));
             SessionManager slow = SessionManager.create(new GatewayBackend(config(stock)))) {
            Map<String, SessionManager> routes = new LinkedHashMap<>();
            routes.put("local (ZeroMQ)", local);
            routes.put("gateway, TCP_NODELAY", fast);
            routes.put("gateway, stock (Nagle)", slow);
            warmEvals(routes, iterations, warmup);
            firstEvals(local, fast, languages, starts);
        }
        System.out.println("load average before: " + loadBefore + "; after: " + load());
    }

    private static GatewayConfig config(JupyterServer server) {
        return new GatewayConfig(server.url(), Optional.of(server.token()), Map.of(), Map.of(), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(10), true);
    }

    private static void warmEvals(Map<String, SessionManager> routes, int iterations, int warmup) throws Exception {
        List<AgbScriptEngine> engines = new ArrayList<>();
        for (SessionManager manager : routes.values()) {
            AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
            engine.eval("1+1");
            engines.add(engine);
        }
        for (int i = 0; i < warmup; i++) {
            for (AgbScriptEngine engine : engines) {
                engine.eval("1+1");
            }
        }
        long[][] nanos = new long[engines.size()][iterations];
        for (int done = 0; done < iterations; done += BLOCK) {
            for (int route = 0; route < engines.size(); route++) {
                for (int i = done; i < Math.min(iterations, done + BLOCK); i++) {
                    long start = System.nanoTime();
                    Object value = engines.get(route).eval("1+1");
                    nanos[route][i] = System.nanoTime() - start;
                    if (!Long.valueOf(2).equals(value)) {
                        throw new AssertionError("eval(\"1+1\") gave " + value);
                    }
                }
            }
        }
        System.out.printf("warm eval(\"1+1\"), Python, %d iterations after %d warm-up, blocks of %d%n", iterations,
                warmup, BLOCK);
        System.out.printf("%-26s %10s %10s %12s %12s%n", "route", "median ms", "p90 ms", "median ratio", "p90 ratio");
        int route = 0;
        for (String name : routes.keySet()) {
            System.out.printf("%-26s %10.2f %10.2f %12.2f %12.2f%n", name, percentile(nanos[route], 50) / 1e6,
                    percentile(nanos[route], 90) / 1e6, percentile(nanos[route], 50) / percentile(nanos[0], 50),
                    percentile(nanos[route], 90) / percentile(nanos[0], 90));
            route++;
        }
        engines.forEach(AgbScriptEngine::close);
    }

    /** A new engine's first eval: its kernel's start, the prelude and the eval, local and gateway in turn. */
    private static void firstEvals(SessionManager local, SessionManager gateway, List<String> languages, int starts)
            throws Exception {
        System.out.printf("%nfirst eval of a new engine (kernel start + prelude + eval), %d per language and route%n",
                starts);
        System.out.printf("%-12s %14s %14s %8s%n", "language", "local s", "gateway s", "ratio");
        for (String language : languages) {
            AgbScriptEngineFactory factory = switch (language) {
                case "python" -> new PythonEngineFactory();
                case "javascript" -> new JavaScriptEngineFactory();
                case "r" -> new REngineFactory();
                case "java" -> new JavaEngineFactory();
                default -> throw new IllegalArgumentException("Unknown language " + language);
            };
            long[] localNanos = new long[starts];
            long[] gatewayNanos = new long[starts];
            for (int i = 0; i < starts; i++) {
                localNanos[i] = firstEval(factory, local);
                gatewayNanos[i] = firstEval(factory, gateway);
            }
            double localMedian = percentile(localNanos, 50);
            double gatewayMedian = percentile(gatewayNanos, 50);
            System.out.printf("%-12s %14.2f %14.2f %8.2f%n", language, localMedian / 1e9, gatewayMedian / 1e9,
                    gatewayMedian / localMedian);
        }
    }

    private static long firstEval(AgbScriptEngineFactory factory, SessionManager manager) throws Exception {
        try (AgbScriptEngine engine = factory.getScriptEngine(manager)) {
            long start = System.nanoTime();
            engine.eval("1+1");
            return System.nanoTime() - start;
        }
    }

    private static double percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
