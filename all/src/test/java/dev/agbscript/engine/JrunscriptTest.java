package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JDK's own scripting shell finds and runs each engine: a host we do not control. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JrunscriptTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agb-python | print(6*7)",
        "agb-java   | System.out.println(6*7);",
        "agb-js     | console.log(6*7)",
        "agb-r      | writeLines(as.character(6*7))",
    })
    void jrunscriptRunsTheEngine(String engine, String code) throws Exception {
        Path jrunscript = Path.of(System.getProperty("java.home"), "bin", "jrunscript");
        assertTrue(Files.isExecutable(jrunscript), jrunscript + " is missing");
        Process process = new ProcessBuilder(jrunscript.toString(), "-cp", System.getProperty("java.class.path"),
                "-l", engine, "-e", code).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS));
        assertEquals("42\n", output);
        assertEquals(0, process.exitValue());
    }

    @Test
    void aBackendNameThatNoModuleHasIsAnErrorOfTheFirstEvalNotAMissingEngine() throws Exception {
        Path jrunscript = Path.of(System.getProperty("java.home"), "bin", "jrunscript");
        ProcessBuilder builder = new ProcessBuilder(jrunscript.toString(), "-cp", System.getProperty("java.class.path"),
                "-l", "agb-python", "-e", "print(6*7)").redirectErrorStream(true);
        builder.environment().put("AGB_BACKEND", "gatway");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS));
        assertFalse(output.contains("can not be found"), output);
        assertTrue(output.contains("Unknown backend 'gatway' (the setting AGB_BACKEND); the backends on the class "
                + "path are: "), output);
        for (String backend : new String[] {"local", "cloud", "gateway"}) {
            assertTrue(output.contains(backend), backend + " is not listed: " + output);
        }
    }
}
