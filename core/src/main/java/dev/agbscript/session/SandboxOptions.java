package dev.agbscript.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a host asks of a session's sandbox beyond the defaults: a folder of its own for the kernels to run in,
 * host folders mounted into it, and per-session values of the backend's sandbox settings (e.g.
 * {@code agb.sandbox.memory} or {@code agb.sandbox.network}), which win over the system properties and
 * environment variables of the same names ({@link #SETTINGS}). A backend refuses what it cannot honour (see
 * {@link Backend#createSandbox(SandboxOptions)}).
 *
 * @param workingFolder where the kernels run (absolute, existing), or null for the backend's own folder
 * @param mounts        host folders the code sees at {@code /mnt/<name>}
 * @param settings      per-session sandbox settings, by their names
 */
public record SandboxOptions(Path workingFolder, List<Mount> mounts, Map<String, String> settings) {
    /** Context attribute and engine option: the mounts, see {@link #parseMounts}. */
    public static final String MOUNTS = "agb.mounts";
    /**
     * The sandbox settings a host may set per session (a backend documents what each means to it): memory, processes,
     * disk, file size and open files at most, network on or off, and the host's environment variables to pass.
     */
    public static final List<String> SETTINGS = List.of("agb.sandbox.memory", "agb.sandbox.processes",
            "agb.sandbox.disk", "agb.sandbox.filesize", "agb.sandbox.files", "agb.sandbox.network", "agb.sandbox.env");
    public static final SandboxOptions DEFAULTS = new SandboxOptions(null, List.of(), Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * A host folder mounted into the sandbox at {@code /mnt/<name>}, read-only unless writable.
     *
     * @param name       letters, digits, {@code . _ -}
     * @param hostFolder an existing folder of the host
     */
    public record Mount(String name, Path hostFolder, boolean writable) {
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hostFolder, "hostFolder");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("The mount name '" + name + "' must be letters, digits, '.', '_' or"
                        + " '-' (it becomes /mnt/" + name + ")");
            }
            hostFolder = hostFolder.toAbsolutePath().normalize();
            if (!Files.isDirectory(hostFolder)) {
                throw new IllegalArgumentException("The folder to mount as '" + name + "', " + hostFolder
                        + ", is no existing folder");
            }
        }

        /** A read-only mount. */
        public static Mount readOnly(String name, Path hostFolder) {
            return new Mount(name, hostFolder, false);
        }

        /** A mount the code may write. */
        public static Mount writable(String name, Path hostFolder) {
            return new Mount(name, hostFolder, true);
        }
    }

    public SandboxOptions {
        if (workingFolder != null) {
            workingFolder = workingFolder.toAbsolutePath().normalize();
            if (!Files.isDirectory(workingFolder)) {
                throw new IllegalArgumentException("The working folder " + workingFolder + " is no existing folder");
            }
        }
        mounts = List.copyOf(mounts);
        if (mounts.stream().map(Mount::name).distinct().count() < mounts.size()) {
            throw new IllegalArgumentException("Two mounts have the same name: " + mounts);
        }
        settings = Map.copyOf(new TreeMap<>(settings));
        settings.keySet().forEach(name -> {
            if (!SETTINGS.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is no per-session sandbox setting; they are "
                        + String.join(", ", SETTINGS));
            }
        });
    }

    public SandboxOptions withWorkingFolder(Path folder) {
        return new SandboxOptions(folder, mounts, settings);
    }

    public SandboxOptions withMounts(List<Mount> newMounts) {
        return new SandboxOptions(workingFolder, newMounts, settings);
    }

    /** With one more per-session setting, e.g. {@code with("agb.sandbox.network", "on")}. */
    public SandboxOptions with(String setting, String value) {
        Map<String, String> more = new TreeMap<>(settings);
        more.put(setting, value);
        return new SandboxOptions(workingFolder, mounts, more);
    }

    /**
     * Reads the options from attributes (an engine's context): {@code agb.workdir} (a {@link Path} or its name),
     * {@value #MOUNTS} (see {@link #parseMounts}) and the {@link #SETTINGS}.
     *
     * @param attribute the value of an attribute, or null
     */
    public static SandboxOptions fromAttributes(Function<String, Object> attribute) {
        Object folder = attribute.apply("agb.workdir");
        Map<String, String> settings = new TreeMap<>();
        for (String name : SETTINGS) {
            Object value = attribute.apply(name);
            if (value != null) {
                settings.put(name, value.toString());
            }
        }
        return new SandboxOptions(folder == null ? null : folder instanceof Path path ? path : Path.of(folder.toString()),
                parseMounts(attribute.apply(MOUNTS)), settings);
    }

    /**
     * Mounts as a host may give them: a {@link Mount}, a collection of them, a map from names to folders (read-only),
     * or text {@code name=/host/folder[:rw], …} ({@code :ro} is the default); null is none.
     */
    public static List<Mount> parseMounts(Object value) {
        List<Mount> mounts = new ArrayList<>();
        if (value == null) {
            return mounts;
        } else if (value instanceof Mount mount) {
            mounts.add(mount);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((name, folder) -> mounts.add(Mount.readOnly(name.toString(),
                    folder instanceof Path path ? path : Path.of(folder.toString()))));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> mounts.addAll(parseMounts(item)));
        } else {
            for (String part : value.toString().split(",")) {
                String text = part.trim();
                if (text.isEmpty()) {
                    continue;
                }
                int equals = text.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException(MOUNTS + " takes name=/host/folder[:rw], …; not '" + text + "'");
                }
                String folder = text.substring(equals + 1);
                boolean writable = folder.endsWith(":rw");
                if (writable || folder.endsWith(":ro")) {
                    folder = folder.substring(0, folder.length() - 3);
                }
                mounts.add(new Mount(text.substring(0, equals).trim(), Path.of(folder.trim()), writable));
            }
        }
        return mounts;
    }
}
