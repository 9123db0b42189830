package dev.agbscript.repl;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the REPL as its own JVM, as {@code ./agb} does, with the test's class path. */
final class ReplProcess {
    record Outcome(int status, String output) {}

    private ReplProcess() {}

    /** The command line that starts the REPL with these arguments. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Repl.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs it in the scratch folder to the end with the given stdin (a pipe), stdout and stderr merged. */
    static Outcome run(Path scratch, String stdin, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return runIn(scratch, scratch, stdin, env, args);
    }

    /** Runs it, started in that folder, to the end with the given stdin (a pipe), stdout and stderr merged. */
    static Outcome runIn(Path folder, Path scratch, String stdin, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true).directory(folder.toFile());
        builder.environment().put(StateFiles.HISTORY_OVERRIDE, scratch.resolve("history").toString());
        builder.environment().put(StateFiles.LOG_OVERRIDE, scratch.resolve("repl.log").toString());
        builder.environment().put("TMPDIR", scratch.toString());
        builder.environment().putAll(env);
        builder.redirectOutput(scratch.resolve("output.txt").toFile());
        File input = scratch.resolve("input.txt").toFile();
        Files.writeString(input.toPath(), stdin);
        builder.redirectInput(input);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the REPL did not end: "
                    + Files.readString(scratch.resolve("output.txt")));
        }
        return new Outcome(process.exitValue(),
                Files.readString(scratch.resolve("output.txt"), StandardCharsets.UTF_8));
    }
}
