package dev.agbscript.session;

import java.util.Optional;
import java.util.Set;

/**
 * One sandbox of a backend: it runs all four languages, keeping state per language. The
 * {@link SessionManager} serializes calls per language, so an implementation never sees two executions of
 * one language at once, while different languages may run concurrently.
 */
public interface Sandbox extends AutoCloseable {
    /** The backend's id for this sandbox. */
    String id();

    /**
     * Runs the code and returns when it has finished, failed or timed out. Outputs reach the listener
     * while the code runs. The kernel's value protocol ({@link Prelude}) is in place before user code runs.
     *
     * @throws InterruptedException when the calling thread is interrupted; the running code has then been
     *                              interrupted too
     * @throws SessionException     when the sandbox cannot run code (it died, it cannot be reached)
     */
    ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException;

    /** Interrupts whatever runs in that language; false when the backend cannot interrupt. */
    boolean interrupt(Language language);

    /** Throws away that language's state: the next execution starts from scratch. */
    void restart(Language language);

    /** The languages whose kernels are running now. */
    Set<Language> runningLanguages();

    /** Asks the language's kernel whether the code is complete (for multi-line input); UNKNOWN if it cannot tell. */
    default Completeness isComplete(Language language, String code) {
        return Completeness.UNKNOWN;
    }

    /** Asks the language's kernel for completions at the cursor (a character offset into the code). */
    default Completions complete(Language language, String code, int cursor) {
        return Completions.none(cursor);
    }

    /**
     * Asks the language's kernel what the name at the cursor is ({@code inspect_request}): its signature and
     * documentation as MIME data (text/plain at least), or empty when the kernel knows nothing of it or cannot say.
     *
     * @param detailed more than the signature and summary (IPython's {@code ??}: the source, where there is some)
     */
    default Optional<MimeBundle> inspect(Language language, String code, int cursor, boolean detailed) {
        return Optional.empty();
    }

    /** What actually runs a language, e.g. {@code Python 3.11.2 (ipykernel 6.17.0)}, when known. */
    default Optional<String> languageVersion(Language language) {
        return Optional.empty();
    }

    /** Writes a file into the working folder (the path is checked by {@link SessionFiles#checkRelative}). */
    default void writeFile(String path, byte[] content) {
        throw new UnsupportedOperationException("This backend cannot write files into a sandbox (writeFile)");
    }

    /** Reads a file of the working folder. */
    default byte[] readFile(String path) {
        throw new UnsupportedOperationException("This backend cannot read files from a sandbox (readFile)");
    }

    /** Lists a folder of the working folder. */
    default java.util.List<SessionFiles.FileEntry> listFiles(String folder) {
        throw new UnsupportedOperationException("This backend cannot list a sandbox's files (listFiles)");
    }

    /** Deletes the sandbox and everything in it. Idempotent. */
    @Override
    void close();
}
