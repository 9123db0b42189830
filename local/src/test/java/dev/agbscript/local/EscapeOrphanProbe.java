package dev.agbscript.local;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM: starts a kernel of the language, has it start a detached {@code sleep <marker>} of its own
 * (in a process session of its own, to outlive its parent), prints READY, then waits to be killed.
 */
public final class EscapeOrphanProbe {
    public static void main(String[] args) throws Exception {
        Language language = Language.valueOf(args[0]);
        LocalSandbox session = (LocalSandbox) new LocalBackend().createSandbox();
        ExecutionResult result = session.execute(ExecutionRequest.of(language, Probes.of(language).orphan(args[1])),
                ExecutionListener.NONE);
        if (!result.success()) {
            System.out.println("FAILED " + result.error());
            System.exit(1);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(args[1]))
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(20); // polling until the detached child is there
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
