package dev.agbscript.local;

import dev.agbscript.session.SessionException;
import dev.agbscript.session.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;

/**
 * Who sandboxed kernels run as: the host's own user, or, when the host runs as root, the unprivileged user
 * {@value Bubblewrap#USER} names ({@code nobody} by default). Folders the kernels write are made theirs.
 *
 * @param switched true when the kernels run as another user than the host
 */
record SandboxUser(String name, int uid, int gid, boolean switched) {
    private static volatile SandboxUser current;

    /** The user kernels run as, for this process. */
    static SandboxUser current() {
        SandboxUser known = current;
        if (known == null) {
            known = resolve();
            current = known;
        }
        return known;
    }

    private static SandboxUser resolve() {
        int uid = currentUid();
        if (uid != 0) {
            return new SandboxUser(System.getProperty("user.name"), uid, -1, false);
        }
        String wanted = Settings.get(Bubblewrap.USER, "AGB_SANDBOX_USER");
        wanted = wanted == null || wanted.isBlank() ? "nobody" : wanted.trim();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length > 3 && (fields[0].equals(wanted) || fields[2].equals(wanted))) {
                    int userId = Integer.parseInt(fields[2]);
                    if (userId == 0) {
                        throw new SessionException(Bubblewrap.USER + " names root; sandboxed kernels never run as root");
                    }
                    return new SandboxUser(fields[0], userId, Integer.parseInt(fields[3]), true);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new SessionException("Cannot read /etc/passwd to find the user " + wanted, e);
        }
        if (wanted.matches("[1-9][0-9]*")) {
            int userId = Integer.parseInt(wanted);
            return new SandboxUser(wanted, userId, userId, true);
        }
        throw new SessionException("No user " + wanted + " on this machine for the kernels to run as ("
                + Bubblewrap.USER + "); name an existing user or a user id");
    }

    /** The host's own user: files stay its own. */
    static SandboxUser host() {
        return new SandboxUser(System.getProperty("user.name"), currentUid(), -1, false);
    }

    /** This process's effective user id, from {@code /proc/self/status}. */
    static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }

    /**
     * Why the kernels could not write this host folder, or null when they can: only when they run as another user
     * than the host (a host that runs as root), by the folder's owner, group and mode.
     */
    String cannotWrite(Path folder) {
        if (!switched) {
            return null;
        }
        try {
            int owner = (int) Files.getAttribute(folder, "unix:uid");
            int group = (int) Files.getAttribute(folder, "unix:gid");
            int mode = (int) Files.getAttribute(folder, "unix:mode");
            int bits = owner == uid ? mode >> 6 : group == gid ? mode >> 3 : mode;
            if ((bits & 3) == 3) { // write and enter
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return folder + " cannot be examined: " + e.getMessage();
        }
        return folder + " is not writable by " + name + " (uid " + uid + "), the user sandboxed kernels run as when"
                + " the host runs as root: make it theirs (chown " + uid + ") or writable for them (chmod o+w), or"
                + " name its owner with " + Bubblewrap.USER;
    }

    /** Makes the file or folder the kernels' own, so that they may write it (nothing to do when it is the host's). */
    void own(Path path) throws IOException {
        if (switched) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
