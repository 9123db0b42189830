package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The response shapes of the official SDK's own unit tests (shared/docs/agb-fixtures, copied into the test
 * resources with their README): one JSON file each. Every fixture is the subject of a test marked
 * {@link Of}; {@link FixtureCoverageTest} checks that none is left out.
 */
final class Fixtures {
    private static final String DIR = "agb-fixtures/";

    /** The fixture a test replays. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Of {
        String value();
    }

    private Fixtures() {}

    static String text(String name) {
        try (var in = Fixtures.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonElement json(String name) {
        return JsonParser.parseString(text(name));
    }

    /** A tool-text fixture's text: a JSON string value stands for text that is not JSON. */
    static String toolText(String name) {
        JsonElement e = json(name);
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : e.toString();
    }

    /** A stream fixture's frames (one, or a sequence), the invocation id put in place of {@code INV}. */
    static List<String> frames(String name, String invocationId) {
        JsonElement e = json(name);
        List<String> frames = new ArrayList<>();
        JsonArray all = e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
        if (!e.isJsonArray()) {
            all.add(e);
        }
        all.forEach(f -> frames.add(f.toString().replace("\"INV\"", "\"" + invocationId + "\"")));
        return frames;
    }

    /** The names of every fixture file. */
    static List<String> names() {
        try {
            Path dir = Path.of(Fixtures.class.getClassLoader().getResource(DIR).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
