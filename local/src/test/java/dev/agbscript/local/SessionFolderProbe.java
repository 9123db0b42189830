package dev.agbscript.local;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.Language;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM: creates sessions in {@code agb.local.dir} (the first with a Python kernel when the argument is
 * {@code kernel}), prints each session's folder as {@code FOLDER <path>}, then {@code READY}, then waits to be killed.
 */
public final class SessionFolderProbe {
    public static void main(String[] args) throws Exception {
        boolean kernel = args.length > 0 && args[0].equals("kernel");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        LocalBackend backend = new LocalBackend();
        for (int i = 0; i < sessions; i++) {
            LocalSandbox session = (LocalSandbox) backend.createSandbox();
            if (kernel && i == 0) {
                session.execute(ExecutionRequest.of(Language.PYTHON, "open('left-behind', 'w').write('x')"),
                        ExecutionListener.NONE);
                System.out.println("KERNEL " + session.kernelPids().get(Language.PYTHON));
            }
            System.out.println("FOLDER " + session.workDir().getParent());
        }
        // Its own sweep of the folder is done before the test goes on: else it could remove, once the test killed
        // the other probe, what the test expects to find there still
        FolderOwners.of(java.nio.file.Path.of(System.getProperty("agb.local.dir"))).sweep().get();
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
