package dev.agbscript.repl;

import java.nio.file.Path;

/**
 * Where the REPL reads and writes. Relative paths of {@code /open} and {@code /save} mean the working folder,
 * and so do the code's when the backend runs the kernels there ({@code kernelsThere}); otherwise the kernels
 * run in the backend's own folder. Outputs, history and log have folders of their own.
 *
 * @param workingFolder absolute: the user's current folder, or the one {@code --workdir} chose
 */
record Places(Path workingFolder, boolean kernelsThere, OutputFiles outputs, StateFiles stateFiles) {
    Places {
        workingFolder = workingFolder.toAbsolutePath().normalize();
    }

    /** The file a command names: {@code ~/} is the home folder, other relative names are in the working folder. */
    Path resolve(String name) {
        if (name.equals("~") || name.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(name.substring(Math.min(2, name.length())));
        }
        return workingFolder.resolve(name);
    }
}
