package dev.agbscript.jshell;

import java.io.OutputStream;

/** The kernel's end of the agent's stdout or stderr: bytes go to the publisher as they arrive. */
final class StreamSink extends OutputStream {
    private final Publisher publisher;
    private final String name;

    StreamSink(Publisher publisher, String name) {
        this.publisher = publisher;
        this.name = name;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        publisher.streamBytes(name, bytes, offset, length);
    }
}
