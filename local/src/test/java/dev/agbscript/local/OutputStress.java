package dev.agbscript.local;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.script.ScriptContext;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.SimpleScriptContext;

/**
 * The stress run of issue 10 ("nothing lost"): bursts of 200, 40 and 10 MB printed, and large values returned,
 * many times each through the engines, counting what reached the writer, what the result kept and what it says
 * it dropped, and sampling the host's heap while it streams. Not a unit test (it moves gigabytes): run it with
 * {@code ./agb stress [--repeat 50] [--only 'python 200,value']}; it prints one line per case (time, MB/s, the
 * live heap before, at most and after, the most heap used garbage included, the CPU time of host and kernel, the
 * load) and exits 1 if anything was lost or cut silently.
 */
public final class OutputStress {
    private record Case(Language language, String name, String code, long printedChars, int valueChars) {}

    public static void main(String[] args) throws Exception {
        int repeat = 50;
        String only = "";
        for (int i = 0; i < args.length; i += 2) {
            switch (i + 1 < args.length ? args[i] : "--help") {
                case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
                case "--only" -> only = args[i + 1];
                default -> {
                    System.err.println("usage: agb stress [--repeat N] [--only TEXT[,TEXT…]] (the cases whose language and"
                            + " name contain one of the texts, e.g. --only 'python 200,value')");
                    System.exit(2);
                }
            }
        }
        String chosen = only;
        List<Case> cases = Stream.of(
                new Case(Language.PYTHON, "200 MB burst", burst(Language.PYTHON, 200), 200L * 1_000_001, 0),
                new Case(Language.PYTHON, "40 MB burst", burst(Language.PYTHON, 40), 40L * 1_000_001, 0),
                new Case(Language.JAVASCRIPT, "40 MB burst", burst(Language.JAVASCRIPT, 40), 40L * 1_000_001, 0),
                new Case(Language.R, "10 MB burst", burst(Language.R, 10), 10L * 1_000_001, 0),
                new Case(Language.JAVA, "10 MB burst", burst(Language.JAVA, 10), 10L * 1_000_001, 0),
                new Case(Language.PYTHON, "10 MB value", "'v' * 10_000_000", 0, 10_000_000),
                new Case(Language.R, "10 MB value", "strrep('v', 10000000)", 0, 10_000_000),
                new Case(Language.JAVASCRIPT, "10 MB value", "'v'.repeat(10000000)", 0, 10_000_000),
                new Case(Language.JAVA, "10 MB value", "\"v\".repeat(10000000)", 0, 10_000_000))
                .filter(c -> Stream.of(chosen.split(",")).anyMatch(
                        part -> (c.language().id() + " " + c.name()).contains(part)))
                .toList();
        System.out.printf(Locale.ROOT, "load average %.2f, %d processors, max heap %d MiB, %d repeats%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, repeat);
        System.gc();
        long baseHeap = HeapPeak.liveAfterLastCollection();
        HeapPeak peak = new HeapPeak();
        peak.start();
        long streamPeak = 0;
        boolean allWhole = true;
        try (SessionManager manager = SessionManager.create(new LocalBackend())) {
            for (Case c : cases) {
                AgbScriptEngine engine = factory(c.language()).getScriptEngine(manager);
                engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 600, ScriptContext.ENGINE_SCOPE);
                engine.eval("1"); // the kernel's start is not part of the case
                System.gc();
                long caseBase = HeapPeak.liveAfterLastCollection();
                peak.peak = caseBase;
                peak.maxUsed.set(0);
                int lost = 0;
                int silentlyCut = 0;
                long nanos = 0;
                double hostCpu = hostCpuSeconds();
                double kernelCpu = kernelCpuSeconds();
                for (int i = 0; i < repeat; i++) {
                    long[] run = once(engine, c);
                    nanos += run[0];
                    lost += (int) run[1];
                    silentlyCut += (int) run[2];
                }
                hostCpu = hostCpuSeconds() - hostCpu;
                kernelCpu = kernelCpuSeconds() - kernelCpu;
                allWhole &= lost == 0 && silentlyCut == 0;
                long casePeak = peak.peak;
                long caseMaxUsed = peak.maxUsed.get();
                System.gc();
                long caseAfter = HeapPeak.liveAfterLastCollection();
                if (c.printedChars() > 0) {
                    streamPeak = Math.max(streamPeak, casePeak - baseHeap);
                }
                double megabytes = (c.printedChars() + c.valueChars()) * (double) repeat / 1e6;
                System.out.printf(Locale.ROOT, "%-10s %-13s x%d: lost %d, cut without saying so %d, %.2f s each,"
                        + " %.1f MB/s; live heap %.1f MiB before, at most %.1f MiB, %.1f MiB after; heap used at most %.1f MiB"
                        + "; CPU s host %.1f, kernel %.1f (load %.2f)%n",
                        c.language().id(), c.name(), repeat, lost, silentlyCut, nanos / 1e9 / repeat,
                        megabytes / (nanos / 1e9), caseBase / 1048576.0, casePeak / 1048576.0,
                        caseAfter / 1048576.0, caseMaxUsed / 1048576.0, hostCpu, kernelCpu, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                engine.close();
            }
        } finally {
            peak.interrupt();
            peak.join();
        }
        System.out.printf(Locale.ROOT, "host heap live after collections: %.1f MiB before; growth while bursts"
                + " streamed at most %.1f MiB (max heap %d MiB)%n", baseHeap / 1048576.0, streamPeak / 1048576.0,
                Runtime.getRuntime().maxMemory() >> 20);
        System.exit(allWhole ? 0 : 1);
    }

    /**
     * One run of the case: its time, whether something was lost, whether something was cut without saying so. A
     * method of its own, so that its result (R's 10 MB value is 60 MB of MIME data) is garbage before the next run.
     */
    private static long[] once(AgbScriptEngine engine, Case c) throws Exception {
        CountingWriter out = new CountingWriter();
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        context.setWriter(out);
        long start = System.nanoTime();
        ExecutionResult result = engine.execute(c.code(), context);
        long nanos = System.nanoTime() - start;
        long kept = result.logs().stdout().stream().mapToLong(String::length).sum();
        boolean lost = out.chars.get() != c.printedChars();
        boolean cut = kept + result.logs().stdoutDropped() != c.printedChars();
        if (c.valueChars() > 0) {
            // the value's JSON, "vvv…v": whole when it has every character and both quotes
            String value = result.mainResult().map(m -> m.valueJson()).orElse(null);
            lost |= value == null || value.length() != c.valueChars() + 2 || !value.startsWith("\"v")
                    || !value.endsWith("v\"");
        }
        return new long[] {nanos, lost ? 1 : 0, cut ? 1 : 0};
    }

    /** The CPU time this JVM has used, all threads. */
    private static double hostCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** The CPU time the processes under this JVM (the kernels and their sandboxes) have used, from /proc. */
    private static double kernelCpuSeconds() {
        double ticks = 0;
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", child.pid() + "", "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            } catch (java.io.IOException | RuntimeException e) {
                // it ended meanwhile
            }
        }
        return ticks / 100.0; // USER_HZ
    }

    private static String burst(Language language, int megabytes) {
        return switch (language) {
            case PYTHON -> "for _ in range(" + megabytes + "):\n    print('x' * 1_000_000)\n'done'";
            case JAVASCRIPT -> "for (let i = 0; i < " + megabytes + "; i++) console.log('x'.repeat(1000000))\n'done'";
            case R -> "for (i in 1:" + megabytes + ") cat(strrep('x', 1000000), '\\n', sep = '')\n'done'";
            case JAVA -> "for (int i = 0; i < " + megabytes + "; i++) System.out.println(\"x\".repeat(1000000));\n\"done\"";
        };
    }

    private static AgbScriptEngineFactory factory(Language language) {
        for (ScriptEngineFactory f : new ScriptEngineManager().getEngineFactories()) {
            if (f instanceof AgbScriptEngineFactory agb && agb.language() == language) {
                return agb;
            }
        }
        throw new IllegalStateException("no factory for " + language);
    }

    /** Counts characters and keeps none of them. */
    private static final class CountingWriter extends Writer {
        final AtomicLong chars = new AtomicLong();

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars.addAndGet(length);
        }

        @Override
        public void write(String text) {
            chars.addAndGet(text.length());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * Samples, every 5 ms, the heap that was live after the last collection (garbage not yet collected says nothing
     * about what the engine keeps) and keeps the highest.
     */
    private static final class HeapPeak extends Thread {
        volatile long peak;
        /** The most heap in use seen (garbage included): what the heap had to hold at once. */
        final AtomicLong maxUsed = new AtomicLong();

        HeapPeak() {
            super("heap-peak");
            setDaemon(true);
        }

        static long liveAfterLastCollection() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP
                            && pool.getCollectionUsage() != null)
                    .mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum();
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak = Math.max(peak, liveAfterLastCollection());
                maxUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5); // a sampling period, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
