package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionResultTest {
    @Test
    void toStringSummarizesImagesAndLongTextInsteadOfDumpingThem() {
        String png = Base64.getEncoder().encodeToString(new byte[3_000_000]);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(MimeBundle.PNG, png);
        data.put(MimeBundle.HTML, "<table>" + "<tr><td>cell</td></tr>".repeat(10_000) + "</table>");
        ExecutionResult result = ExecutionResult.builder().result(new MimeBundle(data, false))
                .stdout("x".repeat(1_000_000)).executionTime(Duration.ofMillis(12)).build();

        String text = result.toString();

        assertTrue(text.length() < 1_000, "toString is " + text.length() + " chars");
        assertTrue(text.contains("image/png=<3000000 bytes>"), text);
        assertTrue(text.contains("(" + data.get(MimeBundle.HTML).length() + " chars)"), text);
    }

    @Test
    void isImmutable() {
        ExecutionResult result = ExecutionResult.builder().stdout("a").result(new MimeBundle(Map.of("text/plain", "1"), true))
                .build();
        assertThrows(UnsupportedOperationException.class, () -> result.results().add(null));
        assertThrows(UnsupportedOperationException.class, () -> result.logs().stdout().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> result.results().get(0).data().put("x", "y"));
    }

    @Test
    void successMeansNoErrorAndTheFirstErrorWins() {
        ExecutionResult ok = ExecutionResult.builder().build();
        assertTrue(ok.success());
        ExecutionResult failed = ExecutionResult.builder()
                .error(new ExecutionError("NameError", "name 'x' is not defined", ""))
                .error(new ExecutionError("Other", "", "")).build();
        assertFalse(failed.success());
        assertEquals("NameError: name 'x' is not defined", failed.error().orElseThrow().message());
    }

    @Test
    void textIsTheMainResultElseTheFirstTextElseStdoutAsInTheSdk() {
        MimeBundle display = new MimeBundle(Map.of("text/plain", "<Figure>"), false);
        MimeBundle main = new MimeBundle(Map.of("text/plain", "42"), true);
        assertEquals("42", ExecutionResult.builder().result(display).result(main).build().text());
        assertEquals("<Figure>", ExecutionResult.builder().result(display).build().text());
        assertEquals("hi\n", ExecutionResult.builder().stdout("hi\n").build().text());
    }

    @Test
    void theValueProtocolTypeIsKeptOutOfTheDataAndOnlyOnMainResults() {
        Map<String, String> data = Map.of("text/plain", "[1, 2]", MimeBundle.AGB_VALUE, "[1,2]");
        MimeBundle main = new MimeBundle(data, true);
        assertEquals("[1,2]", main.valueJson());
        assertEquals(List.of("text/plain"), List.copyOf(main.data().keySet()));
        assertNull(new MimeBundle(data, false).valueJson());
    }

    @Test
    void chartIsTheVegaLiteDocument() {
        MimeBundle chart = new MimeBundle(Map.of("application/vnd.vegalite.v5+json", "{\"mark\":\"bar\"}"), false);
        assertEquals("{\"mark\":\"bar\"}", chart.chart());
    }

    @Test
    void eachStreamKeepsUpToItsLimitAndCountsWhatItDropped() {
        ExecutionResult.Builder builder = ExecutionResult.builder(new OutputLimits(10, 1000));
        builder.stdout("12345").stdout("67890abc").stdout("more").stderr("err");
        ExecutionResult result = builder.build();
        assertEquals("1234567890", result.logs().stdoutText());
        assertEquals(7, result.logs().stdoutDropped());
        assertEquals("err", result.logs().stderrText());
        assertEquals(0, result.logs().stderrDropped());
        assertTrue(result.logs().truncated());
        assertTrue(result.success(), "what was not kept still reached the writers: no failure");
        assertTrue(result.toString().contains("dropped 7+0 chars"), result.toString());
    }

    @Test
    void truncationNeverSplitsACharacter() {
        ExecutionResult result = ExecutionResult.builder(new OutputLimits(3, 1000)).stdout("ab\uD83D\uDE00").build();
        assertEquals("ab", result.logs().stdoutText());
        assertEquals(2, result.logs().stdoutDropped());
    }

    @Test
    void aResultOverTheSizeLimitIsRefusedWithAnErrorNamingTheSetting() {
        MimeBundle small = new MimeBundle(Map.of("text/plain", "ok"), false);
        MimeBundle huge = new MimeBundle(Map.of("text/plain", "x".repeat(50)), true);
        ExecutionResult result = ExecutionResult.builder(new OutputLimits(100, 20)).result(small).result(huge).build();
        assertEquals(List.of(small), result.results());
        ExecutionError error = result.error().orElseThrow();
        assertEquals(ExecutionError.Kind.LIMIT, error.kind());
        assertTrue(error.value().contains(OutputLimits.RESULT_PROPERTY), error.value());
    }

    @Test
    void limitsComeFromTheSettingsWithBinarySuffixes() {
        System.setProperty(OutputLimits.STREAM_PROPERTY, "2k");
        System.setProperty(OutputLimits.RESULT_PROPERTY, "3m");
        try {
            assertEquals(new OutputLimits(2048, 3L << 20), OutputLimits.fromSettings());
            System.setProperty(OutputLimits.STREAM_PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, OutputLimits::fromSettings);
            assertTrue(e.getMessage().contains(OutputLimits.STREAM_PROPERTY), e.getMessage());
        } finally {
            System.clearProperty(OutputLimits.STREAM_PROPERTY);
            System.clearProperty(OutputLimits.RESULT_PROPERTY);
        }
        assertEquals(OutputLimits.DEFAULT, OutputLimits.fromSettings());
    }
}
