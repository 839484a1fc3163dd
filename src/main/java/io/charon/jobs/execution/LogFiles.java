package io.charon.jobs.execution;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading job log files. */
public final class LogFiles {

    private LogFiles() {
    }

    /** The last {@code max} bytes of a log, starting at a line boundary when one is near; empty if there is no file. */
    public static String tail(Path file, int max) {
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - max);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            int from = 0;
            if (start > 0) {
                while (from < bytes.length && bytes[from] != '\n') {
                    from++;
                }
                from = from < bytes.length ? from + 1 : 0;
            }
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
