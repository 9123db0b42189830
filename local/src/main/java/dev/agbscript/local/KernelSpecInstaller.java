package dev.agbscript.local;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.agbscript.session.Language;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes Jupyter kernelspecs for agb-script's own kernels, so that a Jupyter Server, a gateway or JupyterLab can
 * launch them: {@code agb-java} (agb-jshell) and {@code agb-javascript} (tslab's JavaScript kernel, started as the
 * embedded sandbox starts it). Their command lines are the embedded sandbox's own ({@link KernelSpecs}), with
 * absolute paths of this machine: the JDK, agb-script's jars, Node.js and tslab. Python and R need none: Debian's
 * {@code python3} and {@code ir} kernelspecs are there already.
 *
 * <pre>
 * ./agb kernelspec install [--user | --prefix DIR | --path DIR]
 * </pre>
 * {@code --user} (the default) writes into {@code ~/.local/share/jupyter/kernels}, {@code --prefix DIR} into
 * {@code DIR/share/jupyter/kernels} (as {@code jupyter kernelspec install --prefix}), {@code --path DIR} into
 * {@code DIR/kernels} (DIR is then an entry of {@code JUPYTER_PATH}).
 */
public final class KernelSpecInstaller {
    /** The kernelspec names, as the gateway backend's defaults expect them. */
    public static final Map<Language, String> NAMES = Map.of(Language.JAVA, "agb-java", Language.JAVASCRIPT,
            "agb-javascript");

    private KernelSpecInstaller() {}

    public static void main(String[] args) {
        Path kernels;
        if (args.length == 0 || args.length == 1 && args[0].equals("--user")) {
            String data = System.getenv("XDG_DATA_HOME");
            kernels = (data != null && !data.isBlank() ? Path.of(data)
                    : Path.of(System.getProperty("user.home"), ".local", "share")).resolve("jupyter").resolve("kernels");
        } else if (args.length == 2 && args[0].equals("--prefix")) {
            kernels = Path.of(args[1]).resolve("share/jupyter/kernels");
        } else if (args.length == 2 && args[0].equals("--path")) {
            kernels = Path.of(args[1]).resolve("kernels");
        } else {
            System.err.println("usage: agb kernelspec install [--user | --prefix DIR | --path DIR]");
            System.exit(2);
            return;
        }
        for (Path written : install(kernels)) {
            System.out.println("installed " + written);
        }
    }

    /**
     * Writes the kernelspecs into that {@code kernels} folder (created when missing), replacing older ones.
     *
     * @return the folders written, one per kernelspec
     */
    public static List<Path> install(Path kernelsFolder) {
        List<Path> written = new ArrayList<>();
        for (Language language : List.of(Language.JAVA, Language.JAVASCRIPT)) {
            // Without the class data archives: a kernelspec outlives the build folder and the JDK they belong to.
            KernelSpec spec = language == Language.JAVA ? KernelSpecs.java(false) : KernelSpecs.forLanguage(language);
            Path folder = kernelsFolder.resolve(NAMES.get(language));
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("kernel.json"), kernelJson(spec), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the kernelspec " + folder, e);
            }
            written.add(folder);
        }
        return written;
    }

    /** The kernelspec's {@code kernel.json}: argv with {@code {connection_file}}, environment and interrupt mode. */
    static String kernelJson(KernelSpec spec) {
        JsonObject json = new JsonObject();
        JsonArray argv = new JsonArray();
        spec.argv().forEach(argv::add);
        json.add("argv", argv);
        json.addProperty("display_name", spec.language() == Language.JAVA ? "Java (agb-jshell)"
                : "JavaScript (agb-script, tslab)");
        json.addProperty("language", spec.language().id());
        json.addProperty("interrupt_mode", spec.interruptMode().name().toLowerCase(Locale.ROOT));
        JsonObject env = new JsonObject();
        spec.environment().forEach(env::addProperty);
        json.add("env", env);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("agb-script", "written by agb kernelspec install; paths are this machine's");
        json.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    }
}
