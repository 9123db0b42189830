package dev.agbscript.local;

import dev.agbscript.jupyter.KernelTable;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A session of the embedded sandbox: a private folder ({@code work}, the kernels' working folder unless the host
 * chose one of its own, and {@code runtime}, each kernel's connection file, sockets and log) and one kernel per
 * language, each started on first use in a sandbox of its own ({@link Bubblewrap}). Closing it stops the kernels and
 * deletes the private folder; a host's working folder stays.
 */
final class LocalSandbox implements Sandbox {
    /** Its id; a sandbox that takes over a pooled kernel's folders takes over their id too, which names them. */
    private volatile String id;
    private final Path parent;
    private final SandboxOptions options;
    private final boolean sandboxed;
    private final KernelSlots slots;
    /** The warm pool this sandbox may take its first kernel from (default options only), or null. */
    private final KernelPool pool;
    private final KernelTable<KernelManager> kernels = new KernelTable<>(this::id);
    /** Its folders, made at first need, or taken over with a kernel of the warm pool; null before. */
    private volatile Room room;
    /** Runs once after the first request to a kernel from the pool has returned: the pool's refill. */
    private volatile Runnable afterFirstRequest;
    /** The working folder's size when last measured, for the disk limit. */
    private volatile long measuredDisk;

    /**
     * The folders of one sandbox and where its kernels run: a private folder ({@code work}, unless the host chose a
     * working folder, and {@code runtime}).
     */
    record Room(String id, Path root, Path workDir, boolean ownWorkDir, KernelPlace place, FolderFiles files) {
        static Room create(String id, Path parent, SandboxOptions options, boolean sandboxed, KernelSlots slots) {
            SandboxLimits limits = SandboxLimits.resolve(options.settings());
            SandboxUser user = SandboxUser.current();
            try {
                Files.createDirectories(parent);
                // Named for this process (FolderOwners), so that the next process removes it should this one be killed
                var privateFolder = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
                String name = FolderOwners.of(parent).folderName(id);
                Path root;
                try {
                    root = Files.createDirectory(parent.resolve(name), privateFolder);
                } catch (java.nio.file.FileAlreadyExistsException clash) { // two ids alike: rare, and longer
                    root = Files.createTempDirectory(parent, name + "-", privateFolder);
                }
                boolean ownWorkDir = options.workingFolder() == null;
                Path workDir;
                if (ownWorkDir) {
                    workDir = Files.createDirectory(root.resolve("work"));
                    if (sandboxed) {
                        user.own(workDir);
                    }
                } else {
                    workDir = options.workingFolder();
                }
                Path runtimeDir = Files.createDirectory(root.resolve("runtime"));
                KernelPlace place = new KernelPlace(workDir, runtimeDir, limits, options.mounts(), sandboxed, slots);
                return new Room(id, root, workDir, ownWorkDir, place,
                        new FolderFiles(workDir, sandboxed ? user : SandboxUser.host()));
            } catch (IOException e) {
                throw new SessionException("Cannot create the session directory under " + parent, e);
            }
        }

        /** Deletes the private folder (a host's working folder is not in it). */
        void delete() {
            FolderOwners.deleteRecursively(root);
        }
    }

    LocalSandbox(String id, Path parent, SandboxOptions options, boolean sandboxed, KernelSlots slots, KernelPool pool) {
        this.id = id;
        this.parent = parent;
        this.options = options;
        this.sandboxed = sandboxed;
        this.slots = slots;
        this.pool = options.equals(SandboxOptions.DEFAULTS) ? pool : null;
        if (this.pool == null) {
            this.room = Room.create(id, parent, options, sandboxed, slots); // as before: fails at once when it cannot
        }
    }

    /** The sandbox's folders, made now when there are none yet. */
    private synchronized Room room() {
        if (kernels.isClosed()) {
            throw new IllegalStateException("Session " + id + " is closed");
        }
        if (room == null) {
            room = Room.create(id, parent, options, sandboxed, slots);
        }
        return room;
    }

    @Override
    public String id() {
        return id;
    }

    /** The kernels' working directory. */
    Path workDir() {
        return room().workDir();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        try {
            return kernel(request.language()).client().execute(request, listener);
        } finally {
            firstRequestReturned();
        }
    }

    /**
     * The language's kernel manager. The first kernel of a sandbox with default options that has no folders yet comes
     * from the warm pool when it holds one of the language: the sandbox takes over its folders.
     */
    private synchronized KernelManager kernel(Language language) {
        return kernels.get(language, this::newKernel);
    }

    private KernelManager newKernel(Language language) {
        if (pool != null) {
            if (room == null) {
                Optional<KernelPool.Pooled> pooled = pool.take(language);
                if (pooled.isPresent()) {
                    room = pooled.get().room();
                    id = room.id();
                    afterFirstRequest = pool::refill;
                    return pooled.get().kernel();
                }
            } else {
                pool.use(language);
            }
        }
        return new KernelManager(KernelSpecs.forLanguage(language), room().place(), id + "-" + language.id());
    }

    private void firstRequestReturned() {
        Runnable action = afterFirstRequest;
        if (action != null) {
            afterFirstRequest = null;
            action.run();
        }
    }

    @Override
    public Completeness isComplete(Language language, String code) {
        try {
            return kernel(language).client().isComplete(code);
        } finally {
            firstRequestReturned();
        }
    }

    @Override
    public Completions complete(Language language, String code, int cursor) {
        try {
            return kernel(language).client().complete(code, cursor);
        } finally {
            firstRequestReturned();
        }
    }

    @Override
    public Optional<MimeBundle> inspect(Language language, String code, int cursor, boolean detailed) {
        try {
            return kernel(language).client().inspect(code, cursor, detailed);
        } finally {
            firstRequestReturned();
        }
    }

    @Override
    public boolean interrupt(Language language) {
        return kernels.interrupt(language);
    }

    @Override
    public void restart(Language language) {
        kernels.restart(language);
    }

    @Override
    public Set<Language> runningLanguages() {
        return kernels.running();
    }

    @Override
    public Optional<String> languageVersion(Language language) {
        return kernels.version(language);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        room().files().write(path, content);
    }

    @Override
    public byte[] readFile(String path) {
        return room().files().read(path);
    }

    @Override
    public List<SessionFiles.FileEntry> listFiles(String folder) {
        return room().files().list(folder);
    }

    /** Process ids of the running kernels (as this host sees them), for tests and diagnostics. */
    Map<Language, Long> kernelPids() {
        return kernels.ofRunning(KernelManager::pid);
    }

    /**
     * Measures the session's own working folder against {@value SandboxLimits#DISK} and, when it is over and has grown
     * since the last look, stops the running kernels, whose code then fails with an error naming the setting. A kernel
     * started later may run (to delete files) as long as the folder does not grow. A host's working folder is the
     * host's: only the file size limit applies there.
     */
    void checkDisk() {
        Room current = room;
        if (current == null) {
            return;
        }
        Path workDir = current.workDir();
        long limit = current.place().limits().disk();
        if (!current.ownWorkDir() || limit == SandboxLimits.NONE || kernels.isClosed() || runningLanguages().isEmpty()) {
            return;
        }
        long size = sizeOf(workDir);
        long before = measuredDisk;
        measuredDisk = size;
        if (size > limit && size > before) {
            String reason = "was stopped: its working folder holds " + SandboxLimits.bytes(size) + ", over the sandbox's"
                    + " disk limit of " + SandboxLimits.bytes(limit) + " (" + SandboxLimits.DISK
                    + "; raise it to allow more)";
            kernels.all().forEach(kernel -> kernel.stopBecause(reason));
            measuredDisk = sizeOf(workDir); // what they wrote until they stopped: a new kernel may use the folder
        }
    }

    private static long sizeOf(Path folder) {
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total[0] += attributes.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile
                }
            });
        } catch (IOException e) {
            // counted what could be
        }
        return total[0];
    }

    @Override
    public void close() {
        if (!kernels.close()) {
            return;
        }
        Room current = room;
        if (current != null) {
            current.delete(); // the host's working folder is not in it
        }
    }

    boolean isClosed() {
        return kernels.isClosed();
    }

    @Override
    public String toString() {
        Room current = room;
        return "LocalSandbox{" + id + (current == null ? "" : ", " + current.root()) + "}";
    }
}
