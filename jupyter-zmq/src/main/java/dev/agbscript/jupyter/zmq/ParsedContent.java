package dev.agbscript.jupyter.zmq;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.jupyter.JupyterMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.Mac;

/**
 * The content frame of a large message other than a stream (a result or display of a big value), parsed while its
 * bytes arrive: a parser thread reads them through a small bounded queue, so the host holds the parsed content
 * but never the frame's bytes as well (R's value of 10 million characters is a 60 MB frame: IRkernel sends it as
 * HTML, Markdown, LaTeX and plain text, and the prelude adds its JSON). The message is delivered at the end, once
 * its signature verifies. While the parser is behind, the I/O thread waits, and the kernel with it.
 */
final class ParsedContent implements Zmtp.FrameSink {
    private static final Logger LOG = Logger.getLogger(ParsedContent.class.getName());
    private static final byte[] END = new byte[0];

    private final JupyterMessage template;
    private final Mac mac;
    private final byte[] signature;
    private final Consumer<JupyterMessage> deliver;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
    private final CompletableFuture<JsonObject> parsed = new CompletableFuture<>();
    private final Thread parser;
    private long bytes;

    ParsedContent(JupyterMessage template, Mac mac, byte[] signature, Consumer<JupyterMessage> deliver) {
        this.template = template;
        this.mac = mac;
        this.signature = signature;
        this.deliver = deliver;
        parser = new Thread(this::parse, "agb-kernel-parse");
        parser.setDaemon(true);
        parser.start();
    }

    private void parse() {
        try (InputStreamReader reader = new InputStreamReader(new QueueStream(), StandardCharsets.UTF_8)) {
            JsonElement content = JsonParser.parseReader(reader);
            parsed.complete(content.getAsJsonObject());
        } catch (Throwable e) { // OutOfMemoryError included: the I/O thread reports it
            parsed.completeExceptionally(e);
        } finally {
            queue.clear(); // a parser that gave up early must not leave the I/O thread waiting
        }
    }

    @Override
    public void data(ByteBuffer data) {
        mac.update(data.duplicate());
        bytes += data.remaining();
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        put(copy);
    }

    private void put(byte[] chunk) {
        try {
            while (!parsed.isDone()) {
                if (queue.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the parser thread: it reads the end of its input now, and its half a document is dropped. */
    @Override
    public void abort() {
        parsed.completeExceptionally(new IllegalStateException("the connection was lost"));
        queue.clear();
        queue.offer(END);
    }

    @Override
    public void end() {
        put(END);
        JsonObject content = null;
        Throwable unreadable = null;
        try {
            content = parsed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            unreadable = e.getCause();
        }
        if (!MessageDigest.isEqual(HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII),
                signature)) {
            LOG.warning("Dropped " + template + ": message signature does not verify");
            return;
        }
        if (unreadable != null) {
            // Signed by the kernel, so its execution is told: it fails rather than ending without this message.
            LOG.log(Level.WARNING, "Could not read " + template + " (" + bytes + " bytes)", unreadable);
            boolean outOfMemory = unreadable instanceof OutOfMemoryError;
            deliver.accept(template.lost(outOfMemory
                    ? "its " + bytes + " bytes did not fit in the host's memory (raise the host JVM's -Xmx, or make"
                            + " the value smaller)"
                    : "its content is not valid JSON (" + unreadable.getMessage() + ")", outOfMemory));
            return;
        }
        deliver.accept(new JupyterMessage(template.identities(), template.header(), template.parentHeader(),
                template.metadata(), content));
    }

    /** The queue's chunks as one stream, until {@link #END}. */
    private final class QueueStream extends InputStream {
        private byte[] chunk = new byte[0];
        private int at;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            while (at == chunk.length) {
                if (chunk == END) {
                    return -1;
                }
                try {
                    chunk = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                at = 0;
            }
            int n = Math.min(length, chunk.length - at);
            System.arraycopy(chunk, at, into, offset, n);
            at += n;
            return n;
        }
    }
}
