package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.JupyterMessage;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns messages into ZeroMQ frames and back: {@code [identities…, "<IDS|MSG>", hmac, header, parent,
 * metadata, content, buffers…]}, signed with HMAC-SHA256 over the four JSON parts. Frames whose signature
 * does not verify are rejected.
 */
public final class WireCodec {
    public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;

    public WireCodec(String hexKey) {
        this.key = new SecretKeySpec(hexKey.getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
    }

    public List<byte[]> encode(JupyterMessage message) {
        byte[][] parts = {
            json(message.header()), json(message.parentHeader()), json(message.metadata()), json(message.content())
        };
        List<byte[]> frames = new ArrayList<>(message.identities());
        frames.add(DELIMITER);
        frames.add(sign(parts).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(Arrays.asList(parts));
        return frames;
    }

    /** @throws IllegalArgumentException for a malformed or wrongly signed message */
    public JupyterMessage decode(List<byte[]> frames) {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || frames.size() < delimiter + 6) {
            throw new IllegalArgumentException("Not a Jupyter message: " + frames.size() + " frames");
        }
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = frames.get(delimiter + 2 + i);
        }
        byte[] expected = sign(parts).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, frames.get(delimiter + 1))) {
            throw new IllegalArgumentException("Message signature does not verify");
        }
        try {
            return new JupyterMessage(List.copyOf(frames.subList(0, delimiter)), object(parts[0]), object(parts[1]),
                    object(parts[2]), object(parts[3]));
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("Message with malformed JSON", e);
        }
    }

    /**
     * Where the content frame of a message too large to hold goes: for a {@code stream} message a sink that
     * checks the signature as the bytes pass and hands the text on in pieces, each as a stream message of its
     * own ({@link StreamContent}); for any other message one that parses the content as it arrives and delivers
     * the message at its end ({@link ParsedContent}).
     *
     * @param before the message's frames before the content frame
     * @return the sink, or null when the frame is no message's content (a buffer: it is then received whole)
     */
    Zmtp.FrameSink largeContent(List<byte[]> before, Consumer<JupyterMessage> deliver) {
        int delimiter = -1;
        for (int i = 0; i < before.size(); i++) {
            if (Arrays.equals(before.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || before.size() != delimiter + 5) {
            return null; // not the content frame (a buffer, or no Jupyter message at all)
        }
        JsonObject header;
        JsonObject parent;
        JsonObject metadata;
        try {
            header = object(before.get(delimiter + 2));
            parent = object(before.get(delimiter + 3));
            metadata = object(before.get(delimiter + 4));
        } catch (JsonParseException | IllegalStateException e) {
            return null; // decode() reports it
        }
        JsonElement type = header.get("msg_type");
        boolean stream = type != null && type.isJsonPrimitive() && "stream".equals(type.getAsString());
        Mac mac = mac();
        for (int i = 2; i < 5; i++) {
            mac.update(before.get(delimiter + i));
        }
        JupyterMessage template = new JupyterMessage(List.copyOf(before.subList(0, delimiter)), header, parent,
                metadata, new JsonObject());
        return stream ? new StreamContent(template, mac, before.get(delimiter + 1), deliver)
                : new ParsedContent(template, mac, before.get(delimiter + 1), deliver);
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String sign(byte[][] parts) {
        Mac mac = mac();
        for (byte[] part : parts) {
            mac.update(part);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private static byte[] json(JsonObject object) {
        return JupyterMessage.gson().toJson(object == null ? new JsonObject() : object).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the bytes as they are, without a String of the whole part in between. */
    private static JsonObject object(byte[] bytes) {
        return JsonParser.parseReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }
}
