package dev.agbscript.repl;

import java.nio.file.Path;

/**
 * Where the REPL reads and writes. Relative paths of {@code /open} and {@code /save} mean the working folder,
 * and so do the code's when the backend runs the kernels there ({@code kernelsThere}); otherwise the kernels
 * run in the backend's own folder. Outputs, history and log have folders of their own.
 *
 * @param workingFolder absolute: the user's current folder, or the one {@code --workdir} chose
 * @param whyElsewhere  why the kernels do not run there, when they do not
 */
record Places(Path workingFolder, boolean kernelsThere, String whyElsewhere, OutputFiles outputs,
              StateFiles stateFiles) {
    Places {
        workingFolder = workingFolder.toAbsolutePath().normalize();
    }

    /** Kernels in the working folder, or, when not, in the backend's own because it cannot. */
    Places(Path workingFolder, boolean kernelsThere, OutputFiles outputs, StateFiles stateFiles) {
        this(workingFolder, kernelsThere, kernelsThere ? null : "the backend cannot run code in a folder of yours",
                outputs, stateFiles);
    }

    /** Kernels in that folder when the sessions' backend can run them there, else in its own (and why). */
    static Places of(Path folder, dev.agbscript.session.SessionManager sessions, OutputFiles outputs,
                     StateFiles stateFiles) {
        java.util.Optional<String> elsewhere = sessions.workingFolderProblem(folder);
        return new Places(folder, elsewhere.isEmpty(), elsewhere.orElse(null), outputs, stateFiles);
    }

    /** The file a command names: {@code ~/} is the home folder, other relative names are in the working folder. */
    Path resolve(String name) {
        if (name.equals("~") || name.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(name.substring(Math.min(2, name.length())));
        }
        return workingFolder.resolve(name);
    }
}
