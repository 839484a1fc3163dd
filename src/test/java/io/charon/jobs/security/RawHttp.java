package io.charon.jobs.security;

import io.restassured.RestAssured;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Requests written on a socket exactly as given, for what HTTP client libraries refuse to send
 * (no {@code Host}, odd methods, control characters, raw targets, chunked bodies), over one
 * connection kept alive between requests.
 */
final class RawHttp {

    /** An answer; {@code closed} when the server closed the connection after it. */
    record Answer(int status, String contentType, String body, boolean closed) {

        Answer(int status, String contentType, String body) {
            this(status, contentType, body, false);
        }
    }

    private RawHttp() {
    }

    static Answer send(String method, String target, String token) {
        return send(method, target, token, true);
    }

    static Answer send(String method, String target, String token, boolean withHost) {
        String request = method + " " + target + " HTTP/1.1\r\n" + (withHost ? "Host: 127.0.0.1\r\n" : "")
                + "Connection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
        try (Connection connection = new Connection()) {
            return connection.exchange(request.getBytes(StandardCharsets.ISO_8859_1), method.equals("HEAD"));
        }
    }

    /**
     * A request head: the request line and each header as given (ISO-8859-1, so that any byte
     * can be written), then the body as is or in chunks.
     */
    static byte[] request(String method, String target, java.util.List<String> headers, byte[] body, boolean chunked) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (body == null) {
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        } else if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int at = 0; at < body.length; at += 8192) {
                int size = Math.min(8192, body.length - at);
                out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, size);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** One connection to the service under test, opened again whenever the server closed it. */
    static final class Connection implements Closeable {

        private final ExecutorService writer = Executors.newSingleThreadExecutor();
        private Socket socket;
        private InputStream in;
        private int opened;

        /** Sends the request and reads one answer; an event stream's head is answer enough (it is then closed). */
        Answer exchange(byte[] request, boolean head) {
            try {
                if (socket == null) {
                    open();
                }
                OutputStream out = socket.getOutputStream();
                // written beside the reading: the server may answer (and stop reading) before a large body is all sent
                Future<?> written = writer.submit(() -> {
                    try {
                        out.write(request);
                        out.flush();
                    } catch (IOException e) {
                        // the server refused the rest of a body it already answered: the answer is read all the same
                    }
                });
                Answer answer = read(head);
                written.get();
                return answer;
            } catch (IOException e) {
                disconnect();
                throw new UncheckedIOException(e);
            } catch (InterruptedException | ExecutionException e) {
                disconnect();
                throw new IllegalStateException(e);
            }
        }

        /** How many connections were opened so far. */
        int opened() {
            return opened;
        }

        private void open() throws IOException {
            socket = new Socket("127.0.0.1", RestAssured.port);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            opened++;
        }

        private Answer read(boolean headRequest) throws IOException {
            while (true) {
                String statusLine = line();
                String[] parts = statusLine.split(" ", 3);
                int status = Integer.parseInt(parts[1]);
                String type = "";
                long length = -1;
                boolean chunked = false;
                boolean close = statusLine.startsWith("HTTP/1.0");
                for (String header = line(); !header.isEmpty(); header = line()) {
                    int colon = header.indexOf(':');
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    switch (name) {
                        case "content-type" -> type = value;
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> close |= value.equalsIgnoreCase("close");
                        default -> {
                        }
                    }
                }
                if (status == 100) {
                    continue;
                }
                if (type.startsWith("text/event-stream") && status < 300) {
                    disconnect(); // a stream that may never end: its head says enough
                    return new Answer(status, type, "", true);
                }
                byte[] body;
                if (headRequest || status == 204 || status == 304) {
                    body = new byte[0];
                } else if (chunked) {
                    body = chunks();
                } else if (length >= 0) {
                    body = in.readNBytes((int) length);
                    if (body.length < length) {
                        throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
                    }
                } else {
                    body = in.readAllBytes();
                    close = true;
                }
                if (close) {
                    disconnect();
                }
                return new Answer(status, type, new String(body, StandardCharsets.UTF_8), close);
            }
        }

        private byte[] chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.writeBytes(in.readNBytes(length));
                line();
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.write(c);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            disconnect();
            writer.shutdownNow();
        }

        private void disconnect() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
