package dev.agbscript.jupyter.zmq;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/** Multipart ZeroMQ messages: all the frames of one message, sent or received together. */
public final class Frames {
    private Frames() {}

    /**
     * The frames of the next message, or null when none came: at once with {@link ZMQ#DONTWAIT}, else
     * within the socket's receive timeout.
     */
    public static List<byte[]> receive(ZMQ.Socket socket, int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    public static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
