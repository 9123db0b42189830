package dev.agbscript.jshell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Probe: eval latency over a kernel's life, medians per block. Args: evals block [jvm options...] */
public final class LifeProbe {
    public static void main(String[] args) throws Exception {
        int evals = Integer.parseInt(args[0]);
        int block = Integer.parseInt(args[1]);
        List<String> options = new ArrayList<>(JShellKernel.HOST_JVM_OPTIONS);
        options.addAll(Arrays.asList(args).subList(2, args.length));
        Path dir = Files.createTempDirectory("life");
        try (BareKernelClient client = new BareKernelClient(dir, options)) {
            client.awaitReady(60_000);
            double[] times = new double[block];
            for (int i = 0; i < evals; i++) {
                long start = System.nanoTime();
                client.execute("1 + 1", false, 60_000);
                times[i % block] = (System.nanoTime() - start) / 1e6;
                if (i % block == block - 1) {
                    double[] sorted = times.clone();
                    Arrays.sort(sorted);
                    System.out.printf("%6d %8.2f%n", i + 1, sorted[block / 2]);
                }
            }
        }
        System.out.println("log: " + dir);
    }
}
