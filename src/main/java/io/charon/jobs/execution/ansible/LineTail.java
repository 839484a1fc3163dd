package io.charon.jobs.execution.ansible;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Reads the complete lines written since the last call, never waiting for more. From a file
 * that the process writes directly, so a descendant that keeps the file open can never block the
 * reader the way it could block a pipe; or from a pipe, reading only what it holds already, so
 * that it never blocks either (what a process's leftover descendants write after it ended is not
 * waited for).
 */
final class LineTail implements AutoCloseable {

    /** Bytes that can be read now without waiting; 0 when there are none. */
    private interface Source extends AutoCloseable {
        int read(ByteBuffer buffer) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Source source;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private LineTail(Source source) {
        this.source = source;
    }

    /** Follows a file that another process appends to. */
    static LineTail ofFile(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new LineTail(new Source() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                return Math.max(0, channel.read(into));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        });
    }

    /** Reads a pipe (a process's output): only the bytes it holds at each call. */
    static LineTail ofPipe(InputStream pipe) {
        return new LineTail(new Source() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                int ready = Math.min(pipe.available(), into.remaining());
                if (ready <= 0) {
                    return 0;
                }
                int read = pipe.read(into.array(), into.position(), ready);
                if (read > 0) {
                    into.position(into.position() + read);
                }
                return Math.max(0, read);
            }

            @Override
            public void close() throws IOException {
                pipe.close();
            }
        });
    }

    /**
     * Hands every new complete line to {@code consumer}; with {@code toEnd}, also a last
     * unterminated one. Returns whether anything was written since the last call, a part of a line included.
     */
    boolean drain(Consumer<String> consumer, boolean toEnd) throws IOException {
        boolean written = false;
        while (true) {
            buffer.clear();
            int read = source.read(buffer);
            if (read <= 0) {
                break;
            }
            written = true;
            byte[] bytes = buffer.array();
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    consumer.accept(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                } else {
                    partial.write(bytes[i]);
                }
            }
        }
        if (toEnd && partial.size() > 0) {
            consumer.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
        return written;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
