package io.charon.jobs.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** How a request is named in the audit trail: method and path, bounded and printable. */
final class RequestLine {

    static final int MAX = 200;

    private RequestLine() {
    }

    static String of(RoutingContext context) {
        return of(context.request().method().name(), context.request().path());
    }

    static String of(String method, String path) {
        String line = method + " " + (path == null ? "" : path);
        StringBuilder printable = new StringBuilder(Math.min(line.length(), MAX));
        line.codePoints().limit(MAX).forEach(c -> printable.appendCodePoint(c >= 0x20 && c != 0x7f ? c : '?'));
        return printable.toString();
    }

    static String remoteAddress(RoutingContext context) {
        SocketAddress address = context.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }
}
