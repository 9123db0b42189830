package dev.agbscript.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Crash hygiene of a sessions directory: which process owns which session folder, and the removal of the folders of
 * processes that died without deleting them (a JVM killed with SIGKILL, a crash, a power cut).
 *
 * <p>Each JVM that creates sessions in a directory holds an exclusive lock ({@code fcntl}) on a file of its own,
 * {@code .owners/<token>.lock}, for as long as it lives, and its session folders carry the token in their names
 * ({@code local-1a2b3c4d-<token>}). The operating system releases a lock when its process dies, however it
 * dies. So the first time a JVM uses a directory, it takes, one by one, the lock of every other owner file: one it
 * gets belonged to a dead process, whose folders it deletes (then the lock file, last). One it cannot get belongs to a
 * live process, whose folders stay. Folders without a token (made before this scheme, or when the lock could not be
 * made) and files that are not ours are never touched.
 *
 * <p>The kernels of a killed JVM are gone already: they run under {@code setpriv --pdeathsig KILL}.
 */
final class FolderOwners {
    private static final Logger LOG = Logger.getLogger(FolderOwners.class.getName());
    /** The folder of the owners' lock files, inside the sessions directory. */
    static final String OWNERS = ".owners";
    private static final String LOCK_SUFFIX = ".lock";
    private static final int TOKEN_LENGTH = 12;
    /** A session folder that carries an owner's token: {@code <id>-<token>}, {@code -<digits>} after a clash. */
    private static final Pattern OWNED_FOLDER = Pattern.compile("local-[0-9a-f]{8}-([0-9a-z]{" + TOKEN_LENGTH
            + "})(-\\d+)?");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-z]{" + TOKEN_LENGTH + "}");
    private static final Map<Path, FolderOwners> BY_DIRECTORY = new ConcurrentHashMap<>();
    /** This JVM's tokens, in any directory: their lock files are never opened by a sweep (closing would release). */
    private static final Set<String> OWN_TOKENS = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    /** This JVM's token here, or null when no lock could be made (folders then carry none). */
    private final String token;
    /** Held for the JVM's life: a lock is released when its channel closes. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final FileLock lock;
    private final CompletableFuture<List<Path>> sweep;

    private FolderOwners(Path directory) {
        this.directory = directory;
        String made = null;
        FileLock held = null;
        try {
            Files.createDirectories(directory.resolve(OWNERS));
            for (int attempt = 0; attempt < 5 && held == null; attempt++) {
                String candidate = newToken();
                Path file = lockFile(candidate);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                OWN_TOKENS.add(candidate);
                FileLock lock = channel.lock();
                // A sweep of another process may have taken the file between its creation and our lock, thought its
                // owner dead and deleted it: a lock on a deleted file protects nothing, so try again with a new one.
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                    held = lock;
                    made = candidate;
                } else {
                    channel.close();
                    OWN_TOKENS.remove(candidate);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot mark this process's session folders in " + directory + " (" + e
                    + "): they will not be removed if it dies without closing them", e);
        }
        this.token = made;
        this.lock = held;
        // The lock file stays when this JVM exits: the next process to use the directory finds its lock free and
        // removes it with any folder the session manager's shutdown hook could not delete.
        this.sweep = CompletableFuture.supplyAsync(this::removeDeadOwners, runnable -> {
            Thread thread = new Thread(runnable, "agb-folder-sweep");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The owner of this JVM in the directory, made (and the directory swept) on first use. */
    static FolderOwners of(Path sessionsDirectory) {
        return BY_DIRECTORY.computeIfAbsent(sessionsDirectory.toAbsolutePath().normalize(), FolderOwners::new);
    }

    /**
     * The name of the session {@code id}'s folder: the id and this JVM's token. Short, since the kernels' Unix socket
     * paths below it must fit in 107 bytes.
     */
    String folderName(String id) {
        return token == null ? id : id + "-" + token;
    }

    /** This JVM's token in the directory, if it could lock one. */
    String token() {
        return token;
    }

    /** The folders the sweep of the first use removed, when it is done. */
    CompletableFuture<List<Path>> sweep() {
        return sweep;
    }

    private Path lockFile(String ownerToken) {
        return directory.resolve(OWNERS).resolve(ownerToken + LOCK_SUFFIX);
    }

    private static String newToken() {
        StringBuilder token = new StringBuilder(TOKEN_LENGTH);
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            token.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return token.toString();
    }

    /** Deletes the folders (and lock files) of the owners whose lock is free. */
    private List<Path> removeDeadOwners() {
        List<Path> removed = new ArrayList<>();
        java.nio.file.attribute.UserPrincipal user;
        try {
            user = token == null ? null : Files.getOwner(lockFile(token), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            user = null;
        }
        if (user == null) {
            return removed; // this process could not mark its own: it does not judge others'
        }
        List<Path> lockFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(OWNERS), "*" + LOCK_SUFFIX)) {
            files.forEach(lockFiles::add);
        } catch (IOException e) {
            return removed;
        }
        for (Path file : lockFiles) {
            String name = file.getFileName().toString();
            String ownerToken = name.substring(0, name.length() - LOCK_SUFFIX.length());
            if (!TOKEN.matcher(ownerToken).matches() || OWN_TOKENS.contains(ownerToken) || !ownedBy(file, user)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    continue; // held in this JVM
                }
                if (lock == null) {
                    continue; // a live process's
                }
                // Its owner is dead: its folders go, then its lock file (while locked, so no one else is misled).
                boolean all = true;
                for (Path folder : foldersOf(ownerToken)) {
                    if (deleteRecursively(folder)) {
                        removed.add(folder);
                    } else {
                        all = false;
                    }
                }
                if (all) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.log(Level.FINE, "Cannot sweep " + file, e);
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("Removed " + removed.size() + " session folder(s) in " + directory
                    + " left by processes that died without closing them");
        }
        return removed;
    }

    /** Files of other users are left alone (in a shared temporary folder there may be some). */
    private static boolean ownedBy(Path file, java.nio.file.attribute.UserPrincipal user) {
        try {
            return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(user);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private List<Path> foldersOf(String ownerToken) throws IOException {
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher matcher = OWNED_FOLDER.matcher(entry.getFileName().toString());
                if (matcher.matches() && matcher.group(1).equals(ownerToken)
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    folders.add(entry);
                }
            }
        }
        return folders;
    }

    /** Deletes the folder and what it holds (links themselves, never what they point to); whether it is gone. */
    static boolean deleteRecursively(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // what could be deleted is
        }
        return !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString() {
        return "FolderOwners{" + directory + ", " + token + "}";
    }
}
