package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large outputs arrive whole: an execution is complete when the kernel says so on iopub, however long its
 * last messages take to arrive. (Completing a fixed time after {@code execute_reply} lost them.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LargeOutputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    @TempDir
    static Path sessionsDir;
    private SessionManager manager;
    private Session session;

    @BeforeAll
    void open() {
        manager = SessionManager.create(new LocalBackend(sessionsDir));
        session = manager.newSession();
    }

    @AfterAll
    void close() {
        manager.close();
    }

    @Test
    void pythonPrinting200MegabytesThenAValueLosesNothing() throws InterruptedException {
        // Main lost most of this output (90 MB of 200, the first time); it costs seconds, mostly in the kernel.
        AtomicLong heard = new AtomicLong();
        ExecutionResult result = run(Language.PYTHON, "for _ in range(200):\n    print('x' * 1_000_000)\n'done'",
                new ExecutionListener() {
                    @Override
                    public void onStdout(String chunk) {
                        heard.addAndGet(chunk.length());
                    }
                });
        assertEquals(200L * 1_000_001, heard.get(), "stdout characters told to the listener");
        long kept = result.logs().stdout().stream().mapToLong(String::length).sum();
        assertEquals(200L * 1_000_001, kept + result.logs().stdoutDropped(), "stdout characters kept and dropped");
        assertEquals("'done'", result.mainResult().map(MimeBundle::text).orElse(null));
    }

    @Test
    void rReturningATenMegabyteStringLosesNothing() throws InterruptedException {
        // Main lost this value in 3 evals of 10 (the issue), the first time here; it costs 8 s in R itself.
        ExecutionResult result = run(Language.R, "paste(rep('x', 1e7), collapse = '')", ExecutionListener.NONE);
        String value = result.mainResult().map(MimeBundle::valueJson).orElse(null);
        assertTrue(value != null, "no value; results: " + result.results().size());
        assertEquals(10_000_000 + 2, value.length(), "the value's JSON");
    }

    private ExecutionResult run(Language language, String code, ExecutionListener listener)
            throws InterruptedException {
        ExecutionResult result = session.execute(new ExecutionRequest(language, code, TIMEOUT, false), listener);
        assertTrue(result.success(), () -> result.error().toString());
        return result;
    }
}
