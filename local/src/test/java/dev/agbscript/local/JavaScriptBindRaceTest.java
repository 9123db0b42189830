package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tslab's start race, made certain: tslab starts its receive loops, then binds its sockets with zeromq's
 * asynchronous {@code bind()}, and a socket refuses {@code receive()} until its bind's callback ran (EBUSY,
 * "blocked by a bind"). When a request arrived in that gap the shell loop ended and the kernel never answered
 * (about one start in 200 under load). A preload here moves the loops' first receive into that gap every time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaScriptBindRaceTest {
    /** Defers each router's first receive by a microtask: it then runs after the binds were called. */
    private static final String RECEIVE_DURING_BIND = """
            const zmq = require(require.resolve('zeromq', {paths: [process.env.AGB_TSLAB_DIR]}));
            const receive = zmq.Router.prototype.receive;
            // the native method is read-only: assignment would be ignored
            Object.defineProperty(zmq.Router.prototype, 'receive', {value: function () {
              if (this.agbDeferred) return receive.call(this);
              this.agbDeferred = true;
              process.stderr.write('preload: first receive deferred\\n');
              return Promise.resolve().then(() => receive.call(this));
            }});
            """;

    @TempDir
    Path dir;

    @Test
    void aReceiveWhileTheSocketsBindIsAnswered() throws Exception {
        Path preload = Files.createDirectories(dir.resolve("preload")).resolve("receive-during-bind.js");
        Files.writeString(preload, RECEIVE_DURING_BIND);
        KernelSpec js = KernelSpecs.forLanguage(Language.JAVASCRIPT);
        List<String> argv = new ArrayList<>(js.argv());
        argv.addAll(1, List.of("--require", preload.toString()));
        List<Path> readOnly = new ArrayList<>(js.readOnly());
        readOnly.add(preload.getParent());
        KernelSpec raced = new KernelSpec(js.language(), argv, js.interruptMode(), js.environment(),
                Duration.ofSeconds(20), js.errors(), js.heartbeatWhileBusy(), js.heartbeatTimeout(), js.ipcSeparator(),
                readOnly, js.heap());

        KernelManager kernel = TestKernels.manager(dir, raced, "test");
        try {
            ExecutionResult result = kernel.client().execute(ExecutionRequest.of(Language.JAVASCRIPT, "1 + 1"),
                    ExecutionListener.NONE);
            assertTrue(result.success(), result::toString);
            assertEquals("2", result.mainResult().orElseThrow().text());
            String log = Files.readString(dir.resolve("runtime/kernel-javascript.log"));
            assertTrue(log.contains("preload: first receive deferred"), "the preload did not run: " + log);
            assertFalse(log.contains("blocked by a bind"), log);
        } finally {
            kernel.stop();
        }
    }
}
