package dev.agbscript.local;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.Language;
import java.util.concurrent.CountDownLatch;

/** Run in a child JVM: starts a Python kernel, prints its pid, then waits to be killed. */
public final class KernelOrphanProbe {
    public static void main(String[] args) throws Exception {
        LocalSandbox session = (LocalSandbox) new LocalBackend().createSandbox();
        session.execute(ExecutionRequest.of(Language.PYTHON, "1"), ExecutionListener.NONE);
        System.out.println("KERNEL " + session.kernelPids().get(Language.PYTHON));
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
