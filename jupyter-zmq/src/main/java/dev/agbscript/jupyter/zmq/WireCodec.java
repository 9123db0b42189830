package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.JupyterMessage;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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

    private String sign(byte[][] parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] json(JsonObject object) {
        return JupyterMessage.gson().toJson(object == null ? new JsonObject() : object).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject object(byte[] bytes) {
        return com.google.gson.JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
