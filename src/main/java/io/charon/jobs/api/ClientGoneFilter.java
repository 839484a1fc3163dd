package io.charon.jobs.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * A client that closes a stream (SSE events, a job's log) while writes to it are under way is
 * normal, but RESTEasy logs each failed write as an ERROR with its stack trace, Quarkus does the
 * same when the response had not begun, and netty warns when a write fails again after the
 * connection closed under it. This filter, set on the loggers that do so, replaces such a record
 * with one debug line in this class's category; any other record passes as it is. On the
 * loggers rather than a handler, it holds for every handler (console, JSON, file).
 */
@ApplicationScoped
public class ClientGoneFilter implements Filter {

    /** Where RESTEasy reports a failed write to a stream whose response has begun. */
    static final String STREAM_WRITER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    /** Where Quarkus reports a request that failed before its response began, the client's leaving among the causes. */
    static final String REQUEST_FAILURES = "io.quarkus.vertx.http.runtime.QuarkusErrorHandler";
    /** Where netty warns that a write failed once more on a connection already closed. */
    static final String CHANNEL_CONTEXT = "io.netty.channel.AbstractChannelHandlerContext";
    private static final String FAILED_AGAIN = "Failed to mark a promise as failure because it has failed already";
    private static final Logger LOG = Logger.getLogger(ClientGoneFilter.class);
    private static final int MAX_CAUSES = 10;

    /** Held here: the log manager keeps loggers only weakly, and the filters with them. */
    private final List<java.util.logging.Logger> filtered = new ArrayList<>();

    void install(@Observes StartupEvent event) {
        for (String category : List.of(STREAM_WRITER, REQUEST_FAILURES, CHANNEL_CONTEXT)) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
            logger.setFilter(this);
            filtered.add(logger);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String gone;
        if (clientWentAway(record.getThrown())) {
            gone = describe(record.getThrown());
        } else {
            gone = text(record);
            if (!failedAgainAfterClose(gone)) {
                return true;
            }
        }
        LOG.debugf("a client went away while its stream was being written: %s", gone);
        return false;
    }

    /**
     * netty's warning that a write failed on a connection that had already closed: the promise
     * of the write failed first with the closed channel, and the later failure (seen: a buffer
     * released twice on the way out) had no one left to tell.
     */
    static boolean failedAgainAfterClose(String text) {
        if (!text.startsWith(FAILED_AGAIN)) {
            return false;
        }
        int unnotified = text.indexOf("unnotified cause");
        return (unnotified < 0 ? text : text.substring(0, unnotified)).contains("ClosedChannelException");
    }

    private static String text(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : String.valueOf(record.getMessage());
    }

    /** Whether {@code failure} or one of its causes says that the connection or the HTTP/2 stream is gone. */
    static boolean clientWentAway(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            String type = cause.getClass().getName();
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (cause instanceof ClosedChannelException
                    || type.equals("io.vertx.core.http.HttpClosedException")
                    || type.equals("io.vertx.core.http.StreamResetException")
                    || cause instanceof IOException && (message.contains("broken pipe") || message.contains("connection reset"))
                    || message.startsWith("connection was closed")
                    // HTTP/2: the client reset or closed the stream while a frame was being written
                    || cause instanceof IllegalArgumentException && message.startsWith("stream no longer exists")
                    || type.startsWith("io.netty.handler.codec.http2.Http2Exception")
                    && message.startsWith("stream closed before write")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
