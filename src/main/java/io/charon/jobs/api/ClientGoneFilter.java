package io.charon.jobs.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * A client that closes a stream (SSE events, a job's log) while writes to it are under way is
 * normal, but RESTEasy logs each failed write as an ERROR with its stack trace. This filter, set
 * on the logger that does so, replaces such a record with one debug line in this class's
 * category; any other record passes as it is. On the logger rather than a handler, it holds for
 * every handler (console, JSON, file).
 */
@ApplicationScoped
public class ClientGoneFilter implements Filter {

    /** Where RESTEasy reports a failed write to a stream whose response has begun. */
    static final String STREAM_WRITER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    private static final Logger LOG = Logger.getLogger(ClientGoneFilter.class);
    private static final int MAX_CAUSES = 10;

    /** Held here: the log manager keeps loggers only weakly, and the filter with them. */
    private java.util.logging.Logger streamWriter;

    void install(@Observes StartupEvent event) {
        streamWriter = java.util.logging.Logger.getLogger(STREAM_WRITER);
        streamWriter.setFilter(this);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!clientWentAway(record.getThrown())) {
            return true;
        }
        LOG.debugf("a client went away while its stream was being written: %s", describe(record.getThrown()));
        return false;
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
