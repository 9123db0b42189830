package dev.agbscript.jupyter.zmq;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.JupyterMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.crypto.Mac;

/**
 * The content frame of a {@code stream} message too large to hold, decoded as its bytes arrive: the JSON object's
 * {@code "text"} goes on in pieces, each delivered as a stream message of its own with the original header (as if
 * the kernel had flushed more often), so the host never holds the frame, its text or a tree of it whole. ipykernel
 * sends everything printed within 0.2 s as one message, hundreds of megabytes when code prints fast.
 *
 * <p>The signature is computed as the bytes pass and checked at the end. The pieces before the end have then
 * been delivered already; a frame whose signature does not verify is logged (SEVERE) and its rest dropped.
 * (The sockets live in the session's private folder: only who can enter it can speak to the client.)
 *
 * <p>A {@code "text"} that comes before {@code "name"} (no kernel known orders them so) is kept until the name is
 * known. Not thread-safe: the connection's I/O thread feeds it.
 */
final class StreamContent implements Zmtp.FrameSink {
    private static final Logger LOG = Logger.getLogger(StreamContent.class.getName());

    private enum State { OBJECT, KEY_OR_END, KEY, COLON, VALUE, STRING, NESTED, SCALAR, AFTER_VALUE, DONE, MALFORMED }

    private final JupyterMessage template;
    private final Mac mac;
    private final byte[] signature;
    private final Consumer<JupyterMessage> deliver;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer bytes = ByteBuffer.allocate(0);
    private CharBuffer chars = CharBuffer.allocate(0);

    private State state = State.OBJECT;
    private final StringBuilder key = new StringBuilder();
    /** Where the current string's characters go: {@link #text}, {@link #name}, {@link #key}, or null (skipped). */
    private StringBuilder target;
    private boolean escape;
    /** Hex digits of a {@code \\u} escape still to come, or 0. */
    private int hexLeft;
    private int hexValue;
    private int depth;
    private boolean nestedString;
    private final StringBuilder text = new StringBuilder();
    private StringBuilder name;
    /** The stream's name once its string is complete, else null. */
    private String nameValue;
    private long delivered;

    StreamContent(JupyterMessage template, Mac mac, byte[] signature, Consumer<JupyterMessage> deliver) {
        this.template = template;
        this.mac = mac;
        this.signature = signature;
        this.deliver = deliver;
    }

    @Override
    public void data(ByteBuffer data) {
        mac.update(data.duplicate());
        if (bytes.remaining() < data.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(bytes.position() + data.remaining());
            bytes.flip();
            larger.put(bytes);
            bytes = larger;
            chars = CharBuffer.allocate(bytes.capacity());
        }
        bytes.put(data);
        decode(false);
        deliverText(false);
    }

    @Override
    public void end() {
        decode(true);
        boolean verified = MessageDigest.isEqual(
                HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII), signature);
        if (!verified) {
            LOG.severe("A stream message's signature does not verify; " + delivered + " characters of it were"
                    + " passed on before its end, the rest (" + text.length() + ") is dropped");
            return;
        }
        if (state != State.DONE) {
            LOG.warning("A stream message's content is no complete JSON object; " + delivered + " characters"
                    + " of it were passed on, the rest (" + text.length() + ") too");
        }
        deliverText(true);
    }

    /** UTF-8 to characters, keeping a code point split between frames' pieces for the next bytes. */
    private void decode(boolean last) {
        bytes.flip();
        chars.clear();
        utf8.decode(bytes, chars, last);
        if (last) {
            utf8.flush(chars);
        }
        bytes.compact();
        chars.flip();
        char[] array = chars.array();
        int at = chars.arrayOffset() + chars.position();
        int end = chars.arrayOffset() + chars.limit();
        while (at < end) {
            if (state == State.STRING && !escape && hexLeft == 0) {
                // inside a string most characters are plain: take them up to the next quote or escape at once
                int plain = at;
                while (plain < end && array[plain] != '"' && array[plain] != '\\') {
                    plain++;
                }
                if (plain > at) {
                    if (target != null) {
                        target.append(array, at, plain - at);
                    }
                    at = plain;
                    continue;
                }
            }
            parse(array[at++]);
        }
    }

    private void parse(char c) {
        switch (state) {
            case OBJECT -> {
                if (c == '{') {
                    state = State.KEY_OR_END;
                } else if (!whitespace(c)) {
                    state = State.MALFORMED;
                }
            }
            case KEY_OR_END -> {
                if (c == '"') {
                    key.setLength(0);
                    target = key;
                    state = State.KEY;
                } else if (c == '}') {
                    state = State.DONE;
                } else if (!whitespace(c)) {
                    state = State.MALFORMED;
                }
            }
            case KEY -> {
                if (string(c)) {
                    state = State.COLON;
                }
            }
            case COLON -> {
                if (c == ':') {
                    state = State.VALUE;
                } else if (!whitespace(c)) {
                    state = State.MALFORMED;
                }
            }
            case VALUE -> {
                if (c == '"') {
                    String k = key.toString();
                    if (k.equals("text")) {
                        target = text;
                    } else if (k.equals("name")) {
                        name = new StringBuilder();
                        target = name;
                    } else {
                        target = null;
                    }
                    state = State.STRING;
                } else if (c == '{' || c == '[') {
                    depth = 1;
                    nestedString = false;
                    escape = false;
                    state = State.NESTED;
                } else if (!whitespace(c)) {
                    state = State.SCALAR;
                }
            }
            case STRING -> {
                if (string(c)) {
                    if (target != null && target == name) {
                        nameValue = name.toString();
                    }
                    state = State.AFTER_VALUE;
                }
            }
            case NESTED -> nested(c);
            case SCALAR -> {
                if (c == ',' || c == '}' || whitespace(c)) {
                    state = State.AFTER_VALUE;
                    parse(c);
                }
            }
            case AFTER_VALUE -> {
                if (c == ',') {
                    state = State.KEY_OR_END;
                } else if (c == '}') {
                    state = State.DONE;
                } else if (!whitespace(c)) {
                    state = State.MALFORMED;
                }
            }
            case DONE, MALFORMED -> { /* whitespace after the object, or nothing more to understand */ }
        }
    }

    /** One character inside a JSON string; true at its closing quote. */
    private boolean string(char c) {
        if (hexLeft > 0) {
            hexValue = hexValue * 16 + Character.digit(c, 16);
            if (--hexLeft == 0) {
                append((char) hexValue);
            }
            return false;
        }
        if (escape) {
            escape = false;
            switch (c) {
                case 'n' -> append('\n');
                case 't' -> append('\t');
                case 'r' -> append('\r');
                case 'b' -> append('\b');
                case 'f' -> append('\f');
                case 'u' -> {
                    hexLeft = 4;
                    hexValue = 0;
                }
                default -> append(c); // \" \\ \/
            }
            return false;
        }
        if (c == '\\') {
            escape = true;
            return false;
        }
        if (c == '"') {
            return true;
        }
        append(c);
        return false;
    }

    private void append(char c) {
        if (target != null) {
            target.append(c);
        }
    }

    private void nested(char c) {
        if (nestedString) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                nestedString = false;
            }
        } else if (c == '"') {
            nestedString = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            state = State.AFTER_VALUE;
        }
    }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** Hands on the text decoded so far (at the end all of it; before, without a trailing high surrogate). */
    private void deliverText(boolean last) {
        if (nameValue == null && !last || text.isEmpty()) {
            return;
        }
        int length = text.length();
        if (!last && Character.isHighSurrogate(text.charAt(length - 1))) {
            length--; // its low half comes with the next bytes: the two stay in one piece
        }
        if (length == 0) {
            return;
        }
        JsonObject content = new JsonObject();
        content.addProperty("name", nameValue == null ? "stdout" : nameValue);
        content.addProperty("text", text.substring(0, length));
        text.delete(0, length);
        delivered += length;
        deliver.accept(new JupyterMessage(template.identities(), template.header(), template.parentHeader(),
                template.metadata(), content));
    }
}
