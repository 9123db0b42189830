package dev.agbscript.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * How Jupyter messages travel on a kernel's channels WebSocket. Two forms exist: JSON text, one message per frame with
 * a {@code channel} member (every server has it), and the binary {@value #V1} subprotocol (Jupyter Server 1.13 and
 * later), in which the server passes the message's parts through without parsing them again.
 */
abstract class ChannelsCodec {
    static final String V1 = "v1.kernel.websocket.jupyter.org";
    static final ChannelsCodec JSON = new Json();
    static final ChannelsCodec BINARY = new Binary();

    /** One frame to send: text or bytes. */
    record Frame(String text, byte[] bytes) {
        CompletableFuture<WebSocket> sendOn(WebSocket socket) {
            return text != null ? socket.sendText(text, true) : socket.sendBinary(ByteBuffer.wrap(bytes), true);
        }
    }

    /** A message that came in, with its channel. */
    record Incoming(Channel channel, JupyterMessage message) {}

    /** The codec of the subprotocol the server chose ({@code ""}: none, JSON). */
    static ChannelsCodec forSubprotocol(String chosen) {
        return V1.equals(chosen) ? BINARY : JSON;
    }

    abstract Frame encode(Channel channel, JupyterMessage message);

    /** A text frame; null when it is no message of a known channel. */
    abstract Incoming decode(String text);

    /** A binary frame; null when it is no message of a known channel. */
    abstract Incoming decode(byte[] bytes);

    static String name(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    static Channel channel(String name) {
        if (name == null) {
            return null;
        }
        for (Channel channel : Channel.values()) {
            if (name(channel).equals(name)) {
                return channel;
            }
        }
        return null;
    }

    static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
    }

    static JupyterMessage message(JsonObject header, JsonObject parent, JsonObject metadata, JsonObject content) {
        return new JupyterMessage(List.of(), header, parent, metadata, content);
    }

    /** JSON text frames; a binary frame is a message with buffers, whose first part is the JSON (buffers dropped). */
    private static final class Json extends ChannelsCodec {
        @Override
        Frame encode(Channel channel, JupyterMessage message) {
            JsonObject frame = new JsonObject();
            frame.add("header", message.header());
            frame.add("parent_header", message.parentHeader());
            frame.add("metadata", message.metadata());
            frame.add("content", message.content());
            frame.add("buffers", new com.google.gson.JsonArray());
            frame.addProperty("channel", name(channel));
            return new Frame(JupyterMessage.gson().toJson(frame), null);
        }

        @Override
        Incoming decode(String text) {
            JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
            Channel channel = channel(frame.has("channel") ? frame.get("channel").getAsString() : null);
            return channel == null ? null : new Incoming(channel, message(object(frame.get("header")),
                    object(frame.get("parent_header")), object(frame.get("metadata")), object(frame.get("content"))));
        }

        @Override
        Incoming decode(byte[] bytes) {
            // 4 bytes: the number of parts; then each part's offset (big-endian); part 0 is the message's JSON.
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
            int parts = buffer.getInt(0);
            int start = buffer.getInt(4);
            int end = parts > 1 ? buffer.getInt(8) : bytes.length;
            return decode(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        }
    }

    /**
     * {@value #V1}: a count n and n offsets (64-bit little-endian), then the channel's name and the message's parts
     * (header, parent header, metadata, content, buffers), each part JSON as on ZeroMQ; the server signs them.
     */
    private static final class Binary extends ChannelsCodec {
        @Override
        Frame encode(Channel channel, JupyterMessage message) {
            List<byte[]> parts = new ArrayList<>();
            parts.add(name(channel).getBytes(StandardCharsets.UTF_8));
            for (JsonObject part : List.of(message.header(), message.parentHeader(), message.metadata(),
                    message.content())) {
                parts.add(JupyterMessage.gson().toJson(part).getBytes(StandardCharsets.UTF_8));
            }
            int offsets = parts.size() + 1;
            long position = 8L * (1 + offsets);
            int length = (int) position + parts.stream().mapToInt(part -> part.length).sum();
            ByteBuffer frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            frame.putLong(offsets);
            for (byte[] part : parts) {
                frame.putLong(position);
                position += part.length;
            }
            frame.putLong(position);
            parts.forEach(frame::put);
            return new Frame(null, frame.array());
        }

        @Override
        Incoming decode(String text) {
            return JSON.decode(text); // a server that ignores the subprotocol for some messages
        }

        @Override
        Incoming decode(byte[] bytes) {
            ByteBuffer frame = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int count = (int) frame.getLong(0);
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                offsets[i] = frame.getLong(8 * (i + 1));
            }
            Channel channel = channel(part(bytes, offsets, 0));
            if (channel == null || count < 6) {
                return null;
            }
            return new Incoming(channel, message(json(bytes, offsets, 1), json(bytes, offsets, 2),
                    json(bytes, offsets, 3), json(bytes, offsets, 4)));
        }

        private static String part(byte[] bytes, long[] offsets, int index) {
            int start = (int) offsets[index];
            return new String(bytes, start, (int) offsets[index + 1] - start, StandardCharsets.UTF_8);
        }

        private static JsonObject json(byte[] bytes, long[] offsets, int index) {
            String text = part(bytes, offsets, index);
            return text.isEmpty() ? new JsonObject() : object(JsonParser.parseString(text));
        }
    }
}
