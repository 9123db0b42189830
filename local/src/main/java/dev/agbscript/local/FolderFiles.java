package dev.agbscript.local;

import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The host's reads and writes in a session's working folder, which running code may change at the same time: every
 * step goes from an open folder to the next by name, never following a symbolic link ({@link SecureDirectoryStream},
 * that is {@code openat} with {@code O_NOFOLLOW}), so that a link the code planted cannot lead the host out of the
 * folder, whatever the code does meanwhile. A written file is made the sandbox user's, so that the code may change it.
 */
final class FolderFiles {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final SandboxUser user;

    FolderFiles(Path root, SandboxUser user) {
        this.root = root;
        this.user = user;
    }

    /** Writes the file (replacing it at once, never half-written), creating its folders. */
    void write(String path, byte[] content) {
        List<String> parts = parts(path);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Cannot write the working folder itself; name a file in it");
        }
        try (SecureDirectoryStream<Path> top = open()) {
            SecureDirectoryStream<Path> folder = top;
            List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
            try {
                for (String name : parts.subList(0, parts.size() - 1)) {
                    folder = descend(top, folder, name, true, path);
                    opened.add(folder);
                }
                String name = parts.get(parts.size() - 1);
                String temporary = ".agb-put-" + UUID.randomUUID();
                Set<OpenOption> create = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                        LinkOption.NOFOLLOW_LINKS);
                try (SeekableByteChannel channel = folder.newByteChannel(Path.of(temporary), create)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                own(folder, temporary);
                // renameat: replaces what is there (a link itself, not what it points to)
                folder.move(Path.of(temporary), folder, Path.of(name));
            } finally {
                for (SecureDirectoryStream<Path> each : opened) {
                    each.close();
                }
            }
        } catch (IOException e) {
            throw new SessionException("Cannot write " + path + " in the working folder: " + describe(e), e);
        }
    }

    /** The file's bytes. */
    byte[] read(String path) {
        List<String> parts = parts(path);
        if (parts.isEmpty()) {
            throw new SessionException("The working folder itself is no file to read");
        }
        try (SecureDirectoryStream<Path> top = open()) {
            SecureDirectoryStream<Path> folder = top;
            List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
            try {
                for (String name : parts.subList(0, parts.size() - 1)) {
                    folder = descend(top, folder, name, false, path);
                    opened.add(folder);
                }
                Path name = Path.of(parts.get(parts.size() - 1));
                BasicFileAttributes attributes = folder.getFileAttributeView(name, BasicFileAttributeView.class,
                        NO_FOLLOW).readAttributes();
                if (!attributes.isRegularFile()) {
                    throw new SessionException("No file " + path + " in the working folder (it is "
                            + (attributes.isDirectory() ? "a folder" : attributes.isSymbolicLink() ? "a symbolic link"
                            : "no regular file") + ")");
                }
                try (SeekableByteChannel channel = folder.newByteChannel(name, Set.of(StandardOpenOption.READ,
                        LinkOption.NOFOLLOW_LINKS))) {
                    if (channel.size() > Integer.MAX_VALUE - 16) {
                        throw new SessionException(path + " is too large to read at once (" + channel.size() + " bytes)");
                    }
                    ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
                    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                        // until the end
                    }
                    return buffer.position() == buffer.capacity() ? buffer.array()
                            : java.util.Arrays.copyOf(buffer.array(), buffer.position());
                }
            } finally {
                for (SecureDirectoryStream<Path> each : opened) {
                    each.close();
                }
            }
        } catch (NoSuchFileException e) {
            throw new SessionException("No file " + path + " in the working folder", e);
        } catch (IOException e) {
            throw new SessionException("Cannot read " + path + " in the working folder: " + describe(e), e);
        }
    }

    /** The entries of a folder, sorted by name; a symbolic link is listed as what it is, never followed. */
    List<SessionFiles.FileEntry> list(String path) {
        List<String> parts = parts(path);
        try (SecureDirectoryStream<Path> top = open()) {
            SecureDirectoryStream<Path> folder = top;
            List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
            try {
                for (String name : parts) {
                    folder = descend(top, folder, name, false, path);
                    opened.add(folder);
                }
                List<SessionFiles.FileEntry> entries = new ArrayList<>();
                String prefix = String.join("/", parts);
                for (Path entry : folder) {
                    String name = entry.getFileName().toString();
                    BasicFileAttributes attributes = folder.getFileAttributeView(Path.of(name),
                            BasicFileAttributeView.class, NO_FOLLOW).readAttributes();
                    entries.add(new SessionFiles.FileEntry(prefix.isEmpty() ? name : prefix + "/" + name,
                            attributes.isDirectory() ? 0 : attributes.size(), attributes.isDirectory()));
                }
                entries.sort(Comparator.comparing(SessionFiles.FileEntry::path));
                return entries;
            } finally {
                for (SecureDirectoryStream<Path> each : opened) {
                    each.close();
                }
            }
        } catch (NoSuchFileException e) {
            throw new SessionException("No folder " + path + " in the working folder", e);
        } catch (IOException e) {
            throw new SessionException("Cannot list " + path + " in the working folder: " + describe(e), e);
        }
    }

    private static List<String> parts(String path) {
        String normal = dev.agbscript.session.SessionFiles.checkRelative(path);
        return normal.isEmpty() ? List.of() : List.of(normal.split("/"));
    }

    private SecureDirectoryStream<Path> open() throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this platform cannot open folders safely (no SecureDirectoryStream)");
    }

    /**
     * The folder {@code name} in {@code folder}, never through a link; created when asked and missing. A folder is
     * made in the working folder itself under a name nobody can guess, then moved in place ({@code renameat}): Java
     * has no {@code mkdirat}, and creating it by its path could follow a link the code just put on the way.
     */
    private SecureDirectoryStream<Path> descend(SecureDirectoryStream<Path> top, SecureDirectoryStream<Path> folder,
                                                String name, boolean create, String whole) throws IOException {
        try {
            return folder.newDirectoryStream(Path.of(name), NO_FOLLOW);
        } catch (NoSuchFileException missing) {
            if (!create) {
                throw missing;
            }
        } catch (IOException e) {
            throw new IOException(name + " in " + whole + " is no folder (or a symbolic link, which is not followed)");
        }
        String temporary = ".agb-dir-" + UUID.randomUUID();
        Files.createDirectory(root.resolve(temporary)); // the root is the host's: no link on the way
        own(top, temporary);
        try {
            top.move(Path.of(temporary), folder, Path.of(name));
        } catch (IOException taken) {
            top.deleteDirectory(Path.of(temporary)); // something is there now: a folder made meanwhile, or no folder
        }
        return descend(top, folder, name, false, whole);
    }

    private void own(SecureDirectoryStream<Path> folder, String name) throws IOException {
        if (user.switched()) {
            PosixFileAttributeView view = folder.getFileAttributeView(Path.of(name), PosixFileAttributeView.class,
                    NO_FOLLOW);
            UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(String.valueOf(user.uid()));
            view.setOwner(owner);
            view.setGroup(root.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(String.valueOf(user.gid())));
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
