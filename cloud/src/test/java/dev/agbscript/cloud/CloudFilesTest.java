package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionFiles;
import dev.agbscript.session.SessionManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code session.files()} on the cloud backend: the AGB file tools, relative paths resolved against the
 * working folder, on both HTTP routes, against the loopback service's file system.
 */
class CloudFilesTest {
    private FakeAgbService fake;
    private SessionManager manager;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
    }

    @AfterEach
    void stop() throws Exception {
        if (manager != null) {
            manager.close();
        }
        fake.close();
    }

    private Session session(CloudConfig config) {
        manager = SessionManager.create(new CloudBackend(config));
        return manager.newSession();
    }

    private List<String> tools() {
        return fake.toolCalls.stream().map(Map.Entry::getKey).toList();
    }

    @ParameterizedTest
    @EnumSource(value = FakeAgbService.Routes.class, names = {"API", "LINK"})
    void writeReadAndListInTheWorkingFolder(FakeAgbService.Routes routes) throws Exception {
        fake.routes = routes;
        SessionFiles files = session(fake.config().build()).files();

        files.write("data/in.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        files.write("notes.txt", "héllo".getBytes(StandardCharsets.UTF_8));

        assertArrayEquals("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), fake.files.get("/workspace/data/in.csv"));
        assertEquals("a,b\n1,2\n", new String(files.read("data/in.csv"), StandardCharsets.UTF_8));
        assertEquals(List.of(new SessionFiles.FileEntry("data", 0, true),
                new SessionFiles.FileEntry("notes.txt", 6, false)), files.list(""));
        assertEquals(List.of(new SessionFiles.FileEntry("data/in.csv", 8, false)), files.list("data"));
        JsonObject write = fake.toolCalls.stream().filter(c -> c.getKey().equals("write_file")).findFirst()
                .orElseThrow().getValue();
        assertEquals("/workspace/data/in.csv", write.get("path").getAsString());
        assertEquals("overwrite", write.get("mode").getAsString());
        boolean linked = routes == FakeAgbService.Routes.LINK;
        assertEquals(linked, fake.requests("/mcp").isEmpty(), "each tool goes by the route its server allows");
    }

    @Test
    void aBinaryFileComesOutByteForByte() throws Exception {
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "1"); // the session exists
        byte[] png = new byte[120_000];
        for (int i = 0; i < png.length; i++) {
            png[i] = (byte) (i * 31);
        }
        fake.folders.add("/workspace");
        fake.folders.add("/workspace/out");
        fake.files.put("/workspace/out/plot.png", png);

        assertArrayEquals(png, s.files().read("out/plot.png"));
        List<JsonObject> reads = fake.toolCalls.stream().filter(c -> c.getKey().equals("read_file"))
                .map(Map.Entry::getValue).toList();
        assertEquals(3, reads.size(), "50 KB chunks, as the SDK reads");
        assertEquals("binary", reads.get(0).get("format").getAsString());
        assertEquals(51_200, reads.get(1).get("offset").getAsLong());
        assertEquals("get_file_info", tools().get(0), "the size first, as the SDK reads");
    }

    @Test
    void aLargeTextIsWrittenInChunks() {
        SessionFiles files = session(fake.config().build()).files();
        String big = "x".repeat(120_000) + "é";

        files.write("big.txt", big.getBytes(StandardCharsets.UTF_8));

        List<String> modes = fake.toolCalls.stream().filter(c -> c.getKey().equals("write_file"))
                .map(c -> c.getValue().get("mode").getAsString()).toList();
        assertEquals(List.of("overwrite", "append", "append"), modes);
        assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), fake.files.get("/workspace/big.txt"));
    }

    @Test
    void binaryContentCannotBeWrittenAndSaysSo() {
        SessionFiles files = session(fake.config().build()).files();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> files.write("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff}));
        assertTrue(e.getMessage().contains("writeFile") && e.getMessage().contains("binary"), e.getMessage());
        assertFalse(tools().contains("write_file"));
    }

    @Test
    void aMissingFileIsASessionException() {
        SessionFiles files = session(fake.config().build()).files();
        SessionException e = assertThrows(SessionException.class, () -> files.read("nope.txt"));
        assertTrue(e instanceof AgbToolException && e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void pathsAreCheckedBeforeAnyCall() {
        SessionFiles files = session(fake.config().build()).files();
        assertThrows(IllegalArgumentException.class, () -> files.read("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> files.read("/etc/passwd"));
        assertEquals(List.of(), fake.toolCalls);
    }

    @Test
    void theWorkingFolderIsASetting() {
        SessionFiles files = session(fake.config().workDir("/tmp/job/").build()).files();
        files.write("a.txt", "1".getBytes(StandardCharsets.UTF_8));
        assertTrue(fake.files.containsKey("/tmp/job/a.txt"), fake.files.keySet().toString());
    }

    @Test
    void aFileOperationOnAGoneSessionGoesToItsReplacement() throws Exception {
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "1");
        String first = s.id().orElseThrow();
        fake.expire(first);

        s.files().write("a.txt", "1".getBytes(StandardCharsets.UTF_8));

        assertFalse(first.equals(s.id().orElseThrow()));
        assertTrue(fake.files.containsKey("/workspace/a.txt"));
    }
}
