package dev.agbscript.jupyter.zmq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client end of one ZeroMQ connection, ZMTP 3.0 with the NULL mechanism (rfc.zeromq.org/spec/23), as bytes in
 * and bytes out, without I/O: the greeting, the READY handshake, then multipart messages. JeroMQ speaks ZMTP only
 * over TCP (its {@code ipc://} is TCP in disguise), and a sandboxed kernel has no network the host can reach: over
 * a Unix socket this is how the host talks to libzmq, zeromq.js and JeroMQ kernels.
 *
 * <p>It says version 3.0, so that peers of 3.1 answer in 3.0: a subscription is then a message whose first byte is
 * 1 (a SUB sends it as its first message), and no PING commands come.
 */
final class Zmtp {
    /** The socket types a Jupyter client uses. */
    enum SocketType { DEALER, SUB, REQ }

    private static final int GREETING_SIZE = 64;
    private static final int MORE = 0x01;
    private static final int LONG = 0x02;
    private static final int COMMAND = 0x04;
    private static final byte[] READY = "READY".getBytes(StandardCharsets.US_ASCII);

    private final SocketType type;
    private final byte[] identity;
    private ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private boolean greeted;
    private boolean ready;
    private final List<byte[]> partial = new ArrayList<>();

    /** @param identity the routing identity a DEALER announces (the ROUTER addresses its replies by it), or null */
    Zmtp(SocketType type, byte[] identity) {
        this.type = type;
        this.identity = identity;
    }

    /** What this end sends first: the greeting and the READY command. */
    ByteBuffer handshake() {
        byte[] greeting = new byte[GREETING_SIZE];
        greeting[0] = (byte) 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 0;
        System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
        ByteBuffer properties = ByteBuffer.allocate(256 + (identity == null ? 0 : identity.length));
        properties.put((byte) READY.length).put(READY);
        property(properties, "Socket-Type", type.name().getBytes(StandardCharsets.US_ASCII));
        if (identity != null) {
            property(properties, "Identity", identity);
        }
        properties.flip();
        byte[] body = new byte[properties.remaining()];
        properties.get(body);
        ByteBuffer ready = frame(body, COMMAND);
        return ByteBuffer.allocate(GREETING_SIZE + ready.remaining()).put(greeting).put(ready).flip();
    }

    private static void property(ByteBuffer buffer, String name, byte[] value) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        buffer.put((byte) key.length).put(key).putInt(value.length).put(value);
    }

    /** True once the peer's greeting and READY have come: messages may flow. */
    boolean ready() {
        return ready;
    }

    /** The bytes of one multipart message; a REQ puts the empty delimiter frame first, as its peer expects. */
    ByteBuffer frames(List<byte[]> frames) {
        List<byte[]> all = frames;
        if (type == SocketType.REQ) {
            all = new ArrayList<>(frames.size() + 1);
            all.add(new byte[0]);
            all.addAll(frames);
        }
        int size = 0;
        for (byte[] frame : all) {
            size += 9 + frame.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int i = 0; i < all.size(); i++) {
            buffer.put(frame(all.get(i), i < all.size() - 1 ? MORE : 0));
        }
        return buffer.flip();
    }

    private static ByteBuffer frame(byte[] body, int flags) {
        boolean isLong = body.length > 255;
        ByteBuffer frame = ByteBuffer.allocate((isLong ? 9 : 2) + body.length);
        frame.put((byte) (flags | (isLong ? LONG : 0)));
        if (isLong) {
            frame.putLong(body.length);
        } else {
            frame.put((byte) body.length);
        }
        return frame.put(body).flip();
    }

    /** The buffer to read the socket into: room for at least one more byte. */
    ByteBuffer inputBuffer() {
        if (!input.hasRemaining()) {
            ByteBuffer larger = ByteBuffer.allocate(input.capacity() * 2);
            input.flip();
            larger.put(input);
            input = larger;
        }
        return input;
    }

    /** Where {@link #receive} hands what it read, in the order it came. */
    interface Receiver {
        /** A whole message (a REQ's without its delimiter); a frame that went to a {@link FrameSink} is {@link #STREAMED}. */
        void message(List<byte[]> frames);

        /**
         * A data frame larger than {@link #STREAM_THRESHOLD} begins.
         *
         * @param before the message's frames before it
         * @return where its bytes go as they arrive, or null to receive it whole in the message
         */
        FrameSink largeFrame(List<byte[]> before, long size);
    }

    /** Takes the bytes of one large frame as they arrive, so that the frame is never whole in memory. */
    interface FrameSink {
        /** The next bytes of the frame; the buffer is only valid during the call. */
        void data(ByteBuffer bytes);

        /** The frame is complete. */
        void end();

        /** The connection was lost before the frame's end: what was taken in so far is dropped. */
        default void abort() {}
    }

    /**
     * Frames larger than this are offered to {@link Receiver#largeFrame} and never make the input buffer grow:
     * a kernel's stream message may hold everything printed in a while, hundreds of megabytes.
     */
    static final int STREAM_THRESHOLD = 512 * 1024;

    /** Stands in a message for a frame that went to a {@link FrameSink} (compare by reference). */
    static final byte[] STREAMED = new byte[0];

    /** Bytes of the current large frame still to come, or 0. */
    private long largeLeft;
    private int largeFlags;
    private FrameSink largeSink;
    private byte[] largeBody;
    private int largeFilled;

    /** The connection is gone: a large frame under way will not be completed. */
    void abort() {
        FrameSink sink = largeSink;
        largeSink = null;
        largeBody = null;
        largeLeft = 0;
        if (sink != null) {
            sink.abort();
        }
    }

    /** The whole messages among the bytes read so far, in a list (tests; no large frame is streamed). */
    List<List<byte[]>> received() throws IOException {
        List<List<byte[]>> messages = new ArrayList<>();
        receive(new Receiver() {
            @Override
            public void message(List<byte[]> frames) {
                messages.add(frames);
            }

            @Override
            public FrameSink largeFrame(List<byte[]> before, long size) {
                return null;
            }
        });
        return messages;
    }

    /**
     * Hands the messages among the bytes read so far to the receiver, in order, and a large frame's bytes to its
     * sink as they come; what is left of a message waits for more bytes.
     *
     * @throws IOException when the peer speaks no ZMTP 3 with the NULL mechanism, or refuses the connection
     */
    void receive(Receiver receiver) throws IOException {
        input.flip();
        try {
            if (!greeted) {
                if (input.remaining() < GREETING_SIZE) {
                    return;
                }
                byte[] greeting = new byte[GREETING_SIZE];
                input.get(greeting);
                String mechanism = new String(greeting, 12, 20, StandardCharsets.US_ASCII).trim();
                if ((greeting[0] & 0xFF) != 0xFF || greeting[9] != 0x7F || greeting[10] < 3
                        || !mechanism.startsWith("NULL")) {
                    throw new IOException("The peer speaks no ZMTP 3 with the NULL mechanism");
                }
                greeted = true;
            }
            while (true) {
                if (largeLeft > 0) {
                    int n = (int) Math.min(input.remaining(), largeLeft);
                    if (n == 0) {
                        break;
                    }
                    if (largeBody != null) {
                        input.get(largeBody, largeFilled, n);
                        largeFilled += n;
                    } else {
                        ByteBuffer bytes = input.slice(input.position(), n).asReadOnlyBuffer();
                        input.position(input.position() + n);
                        largeSink.data(bytes);
                    }
                    largeLeft -= n;
                    if (largeLeft > 0) {
                        break;
                    }
                    byte[] body = largeBody != null ? largeBody : STREAMED;
                    FrameSink sink = largeSink;
                    largeBody = null;
                    largeSink = null;
                    if (sink != null) {
                        sink.end();
                    }
                    frame(body, largeFlags, receiver);
                    continue;
                }
                int start = input.position();
                if (input.remaining() < 2) {
                    break;
                }
                int flags = input.get() & 0xFF;
                long size;
                if ((flags & LONG) != 0) {
                    if (input.remaining() < 8) {
                        input.position(start);
                        break;
                    }
                    size = input.getLong();
                } else {
                    size = input.get() & 0xFF;
                }
                if (size > Integer.MAX_VALUE - 16) {
                    throw new IOException("A frame of " + size + " bytes is more than this client takes");
                }
                if ((flags & COMMAND) == 0 && size > STREAM_THRESHOLD) {
                    largeFlags = flags;
                    largeLeft = size;
                    largeFilled = 0;
                    largeSink = receiver.largeFrame(List.copyOf(partial), size);
                    if (largeSink == null) {
                        largeBody = new byte[(int) size];
                    }
                    continue;
                }
                if (input.remaining() < size) {
                    input.position(start);
                    if (input.capacity() < size + 9) {
                        input.compact();
                        ByteBuffer larger = ByteBuffer.allocate((int) size + 9);
                        input.flip();
                        larger.put(input);
                        input = larger;
                        input.flip();
                    }
                    break;
                }
                byte[] body = new byte[(int) size];
                input.get(body);
                if ((flags & COMMAND) != 0) {
                    command(body);
                    continue;
                }
                frame(body, flags, receiver);
            }
        } finally {
            input.compact();
        }
    }

    private void frame(byte[] body, int flags, Receiver receiver) {
        partial.add(body);
        if ((flags & MORE) == 0) {
            List<byte[]> message = new ArrayList<>(partial);
            partial.clear();
            if (type == SocketType.REQ && !message.isEmpty() && message.get(0).length == 0
                    && message.get(0) != STREAMED) {
                message.remove(0);
            }
            receiver.message(message);
        }
    }

    private void command(byte[] body) throws IOException {
        int nameLength = body.length == 0 ? 0 : body[0] & 0xFF;
        String name = new String(body, 1, Math.min(nameLength, body.length - 1), StandardCharsets.US_ASCII);
        if (name.equals("READY")) {
            ready = true;
        } else if (name.equals("ERROR")) {
            int reasonAt = 1 + nameLength + 1;
            String reason = reasonAt <= body.length
                    ? new String(body, reasonAt, body.length - reasonAt, StandardCharsets.UTF_8) : "";
            throw new IOException("The peer refused the connection: " + reason);
        }
        // Other commands (PING of ZMTP 3.1) do not come to a 3.0 peer.
    }
}
