package dev.agbscript.jupyter.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.JupyterMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A large stream message's content decoded piece by piece, however its bytes are cut; other large content parsed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamContentTest {
    private static final String TEXT = "plain ünïcode \"quoted\" back\\slash tab\t line\n emoji 😀 sep\u2028 ctl\u0001 end";
    private final WireCodec codec = new WireCodec("a-key");

    @Test
    void everyCutOfTheBytesGivesTheWholeTextAndTheName() {
        for (int piece : new int[] {1, 2, 3, 5, 7, 64, 4096}) {
            List<JupyterMessage> delivered = feed(message("stdout", TEXT, false), piece, false);
            assertEquals(TEXT, text(delivered), "pieces of " + piece);
            delivered.forEach(m -> assertEquals("stdout", m.contentString("name")));
            delivered.forEach(m -> assertEquals("stream", m.msgType()));
        }
    }

    @Test
    void aSurrogatePairIsNeverCutInTwo() {
        for (int piece = 1; piece < 12; piece++) {
            for (JupyterMessage m : feed(message("stdout", "ab😀😀c😀", false), piece, false)) {
                String text = m.contentString("text");
                assertFalse(Character.isHighSurrogate(text.charAt(text.length() - 1)), "pieces of " + piece);
                assertFalse(Character.isLowSurrogate(text.charAt(0)), "pieces of " + piece);
            }
        }
    }

    @Test
    void aNameAfterTheTextIsWaitedFor() {
        List<JupyterMessage> delivered = feed(message("stderr", TEXT, true), 3, false);
        assertEquals(TEXT, text(delivered));
        delivered.forEach(m -> assertEquals("stderr", m.contentString("name")));
    }

    /** The signature is known only at the end, when the pieces before have been handed on: it is logged. */
    @Test
    void aWrongSignatureIsLoggedAtTheEnd() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(StreamContent.class.getName());
        logger.addHandler(handler);
        try {
            feed(message("stdout", TEXT, false), 7, true);
            assertEquals(1, records.size());
            assertEquals(Level.SEVERE, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().contains("signature does not verify"), records.get(0).getMessage());
            feed(message("stdout", TEXT, false), 7, false);
            assertEquals(1, records.size(), "a right signature logs nothing");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void otherMessagesAreParsedAsTheyArriveAndDeliveredWhole() {
        JsonObject content = new JsonObject();
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", TEXT.repeat(3));
        content.add("data", data);
        List<byte[]> frames = codec.encode(new JupyterMessage(List.of(),
                JupyterMessage.request("execute_result", content, "s").header(), new JsonObject(), new JsonObject(),
                content));
        List<JupyterMessage> delivered = new ArrayList<>();
        Zmtp.FrameSink sink = codec.largeContent(frames.subList(0, 5), delivered::add);
        assertNotNull(sink);
        ByteBuffer bytes = ByteBuffer.wrap(frames.get(5));
        while (bytes.hasRemaining()) {
            int n = Math.min(5, bytes.remaining());
            sink.data(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
        }
        sink.end();
        assertEquals(1, delivered.size());
        assertEquals(TEXT.repeat(3), delivered.get(0).content().getAsJsonObject("data").get("text/plain").getAsString());
    }

    /** A connection lost in the middle of a large result ends the thread that parsed it; nothing is delivered. */
    @Test
    void anAbortedLargeResultEndsItsParser() throws Exception {
        JsonObject content = new JsonObject();
        content.addProperty("text/plain", TEXT);
        List<byte[]> frames = codec.encode(new JupyterMessage(List.of(),
                JupyterMessage.request("display_data", content, "s").header(), new JsonObject(), new JsonObject(),
                content));
        List<JupyterMessage> delivered = new ArrayList<>();
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        Zmtp.FrameSink sink = codec.largeContent(frames.subList(0, 5), delivered::add);
        sink.data(ByteBuffer.wrap(frames.get(5), 0, 10));
        List<Thread> parsers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("agb-kernel-parse") && !before.contains(t)).toList();
        assertEquals(1, parsers.size());
        sink.abort();
        parsers.get(0).join(); // the class's timeout bounds it
        assertTrue(delivered.isEmpty());
    }

    /** Signed content that is no JSON stands for a lost message (its execution fails); unsigned, it is dropped. */
    @Test
    void aSignedResultThatCannotBeReadIsDeliveredAsLost() throws Exception {
        JsonObject header = JupyterMessage.request("execute_result", new JsonObject(), "s").header();
        JsonObject parent = new JsonObject();
        parent.addProperty("msg_id", "the-request");
        byte[][] parts = {header.toString().getBytes(StandardCharsets.UTF_8), parent.toString().getBytes(
                StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                "{\"data\": {\"text/plain\": \"cut her".getBytes(StandardCharsets.UTF_8)};
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("a-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        byte[] signature = java.util.HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
        for (boolean signed : new boolean[] {true, false}) {
            List<byte[]> before = List.of("<IDS|MSG>".getBytes(StandardCharsets.US_ASCII),
                    signed ? signature : "0".repeat(64).getBytes(StandardCharsets.US_ASCII), parts[0], parts[1], parts[2]);
            List<JupyterMessage> delivered = new ArrayList<>();
            Zmtp.FrameSink sink = codec.largeContent(before, delivered::add);
            sink.data(ByteBuffer.wrap(parts[3]));
            sink.end();
            if (!signed) {
                assertTrue(delivered.isEmpty(), "an unsigned message may be forged: dropped");
                continue;
            }
            assertEquals(1, delivered.size());
            JupyterMessage lost = delivered.get(0);
            assertEquals(JupyterMessage.LOST, lost.msgType());
            assertEquals("the-request", lost.parentMsgId());
            assertEquals("execute_result", lost.contentString("msg_type"));
            assertTrue(lost.contentString("reason").contains("not valid JSON"), lost.contentString("reason"));
        }
    }

    /** The frames of a stream message: [delimiter, signature, header, parent, metadata, content]. */
    private List<byte[]> message(String name, String text, boolean textFirst) {
        JsonObject content = new JsonObject();
        if (textFirst) {
            content.addProperty("text", text);
            content.addProperty("name", name);
        } else {
            content.addProperty("name", name);
            content.addProperty("text", text);
        }
        content.addProperty("extra", 1.5);
        JsonObject nested = new JsonObject();
        nested.addProperty("}", "{\"");
        content.add("nested", nested);
        return codec.encode(JupyterMessage.request("stream", content, "s"));
    }

    private List<JupyterMessage> feed(List<byte[]> frames, int piece, boolean wrongSignature) {
        List<byte[]> before = new ArrayList<>(frames.subList(0, 5));
        if (wrongSignature) {
            before.set(1, "0".repeat(64).getBytes(StandardCharsets.US_ASCII));
        }
        List<JupyterMessage> delivered = new ArrayList<>();
        Zmtp.FrameSink sink = codec.largeContent(before, delivered::add);
        assertNotNull(sink);
        ByteBuffer bytes = ByteBuffer.wrap(frames.get(5));
        while (bytes.hasRemaining()) {
            int n = Math.min(piece, bytes.remaining());
            sink.data(bytes.slice(bytes.position(), n).asReadOnlyBuffer());
            bytes.position(bytes.position() + n);
        }
        sink.end();
        return delivered;
    }

    private static String text(List<JupyterMessage> delivered) {
        return delivered.stream().map(m -> m.contentString("text")).collect(Collectors.joining());
    }
}
