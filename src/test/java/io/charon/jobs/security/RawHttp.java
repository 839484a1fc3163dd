package io.charon.jobs.security;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One request written on a socket exactly as given, for targets that HTTP client libraries refuse to send. */
final class RawHttp {

    record Answer(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    static Answer send(String method, String target, String token) {
        return send(method, target, token, true);
    }

    static Answer send(String method, String target, String token, boolean withHost) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            String request = method + " " + target + " HTTP/1.1\r\n" + (withHost ? "Host: 127.0.0.1\r\n" : "")
                    + "Connection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String whole = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int split = whole.indexOf("\r\n\r\n");
            String head = split < 0 ? whole : whole.substring(0, split);
            String body = split < 0 ? "" : whole.substring(split + 4);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String type = "";
            boolean chunked = false;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    type = line.substring(line.indexOf(':') + 1).trim();
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            return new Answer(status, type, chunked ? dechunk(body) : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf("\r\n", at);
            if (end < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, end).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, end + 2, Math.min(body.length(), end + 2 + size));
            at = end + 2 + size + 2;
        }
        return out.toString();
    }
}
