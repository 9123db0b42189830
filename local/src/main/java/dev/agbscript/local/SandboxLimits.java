package dev.agbscript.local;

import dev.agbscript.session.Settings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a session's kernels may use, and what of the host they get: each value from the session's own options
 * (context attributes), else the system property, else the environment variable, else the default.
 *
 * <table>
 * <caption>settings</caption>
 * <tr><td>{@value #MEMORY} / {@code AGB_SANDBOX_MEMORY}</td><td>2g: address space of each process (Python's
 * MemoryError, R's "cannot allocate"), Node's heap half of it, the Java agent's heap half of it</td></tr>
 * <tr><td>{@value #PROCESSES} / {@code AGB_SANDBOX_PROCESSES}</td><td>256: processes and threads of a kernel</td></tr>
 * <tr><td>{@value #DISK} / {@code AGB_SANDBOX_DISK}</td><td>1g: the session's own working folder (watched), and each
 * kernel's {@code /tmp}</td></tr>
 * <tr><td>{@value #FILE_SIZE} / {@code AGB_SANDBOX_FILESIZE}</td><td>the disk limit: any one file</td></tr>
 * <tr><td>{@value #FILES} / {@code AGB_SANDBOX_FILES}</td><td>1024: open files of each process</td></tr>
 * <tr><td>{@value #NETWORK} / {@code AGB_SANDBOX_NETWORK}</td><td>off: the kernel has its own loopback only</td></tr>
 * <tr><td>{@value #ENV} / {@code AGB_SANDBOX_ENV}</td><td>none: host environment variables to pass ({@code NAME}) or
 * set ({@code NAME=value}), comma-separated</td></tr>
 * </table>
 * A number takes {@code k}, {@code m} or {@code g}; {@code off} lifts a limit.
 *
 * @param memory     bytes of address space per process; -1: none
 * @param processes  processes and threads per kernel; -1: none
 * @param disk       bytes in the session's own working folder and in each kernel's /tmp; -1: none
 * @param fileSize   bytes per file; -1: none
 * @param files      open files per process; -1: none
 * @param network    whether the kernels share the host's network
 * @param environment variables set in the kernels beyond the minimum
 */
record SandboxLimits(long memory, long processes, long disk, long fileSize, long files, boolean network,
                     Map<String, String> environment) {
    static final String MEMORY = "agb.sandbox.memory";
    static final String PROCESSES = "agb.sandbox.processes";
    static final String DISK = "agb.sandbox.disk";
    static final String FILE_SIZE = "agb.sandbox.filesize";
    static final String FILES = "agb.sandbox.files";
    static final String NETWORK = "agb.sandbox.network";
    static final String ENV = "agb.sandbox.env";
    static final long NONE = -1;

    SandboxLimits {
        environment = Map.copyOf(environment);
    }

    /** The limits for a session with these per-session settings (by name), the rest from the settings. */
    static SandboxLimits resolve(Map<String, String> session) {
        long disk = size(session, DISK, 1L << 30);
        return new SandboxLimits(size(session, MEMORY, 2L << 30), size(session, PROCESSES, 256), disk,
                size(session, FILE_SIZE, disk), size(session, FILES, 1024), flag(session, NETWORK),
                environment(value(session, ENV)));
    }

    static String value(Map<String, String> session, String name) {
        String value = session.get(name);
        return value != null ? value : Settings.get(name, variable(name));
    }

    /** {@code agb.sandbox.memory} → {@code AGB_SANDBOX_MEMORY}. */
    static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** How a message names a setting: {@code agb.sandbox.memory=2g}. */
    static String named(String name, long value) {
        return name + "=" + (value == NONE ? "off" : bytes(value));
    }

    private static long size(Map<String, String> session, String name, long defaultValue) {
        String value = value(session, name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("none") || text.equals("unlimited")) {
            return NONE;
        }
        try {
            long number = Settings.size(text);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("The setting " + name + " (" + variable(name) + ") must be a whole"
                    + " number above 0, optionally with k, m or g, or off; it is '" + value + "'");
        }
    }

    private static boolean flag(Map<String, String> session, String name) {
        String value = value(session, name);
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("The setting " + name + " (" + variable(name)
                    + ") must be on or off; it is '" + value + "'");
        };
    }

    /** {@code NAME} passes the host's value (when it has one), {@code NAME=value} sets one. */
    private static Map<String, String> environment(String value) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (value == null) {
            return environment;
        }
        for (String part : value.split(",")) {
            String entry = part.trim();
            int equals = entry.indexOf('=');
            if (entry.isEmpty()) {
                continue;
            } else if (equals > 0) {
                environment.put(entry.substring(0, equals).trim(), entry.substring(equals + 1));
            } else if (System.getenv(entry) != null) {
                environment.put(entry, System.getenv(entry));
            }
        }
        return environment;
    }

    /** {@code 2 GiB}, {@code 512 MiB}, {@code 100 KiB}, {@code 12 B}. */
    static String bytes(long value) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double scaled = value;
        while (scaled >= 1024 && unit < units.length - 1 && value % (1L << (10 * (unit + 1))) == 0) {
            scaled /= 1024;
            unit++;
        }
        return (scaled == Math.floor(scaled) ? String.valueOf((long) scaled) : String.format(Locale.ROOT, "%.1f", scaled))
                + " " + units[unit];
    }
}
