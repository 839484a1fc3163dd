package io.charon.jobs.execution.ansible;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Reads the complete lines appended to a file since the last call. The process writes the file
 * directly, so a descendant that keeps the file open can never block the reader the way it
 * could block a pipe.
 */
final class LineTail implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineTail(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Hands every new complete line to {@code consumer}; with {@code toEnd}, also a last unterminated one. */
    void drain(Consumer<String> consumer, boolean toEnd) throws IOException {
        while (true) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read <= 0) {
                break;
            }
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
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
