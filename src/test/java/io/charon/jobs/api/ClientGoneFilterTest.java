package io.charon.jobs.api;

import io.netty.util.IllegalReferenceCountException;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** Which records of the loggers it is set on say no more than that a client went away. */
class ClientGoneFilterTest {

    private final ClientGoneFilter filter = new ClientGoneFilter();

    @Test
    void aWriteFailingAgainOnAClosedConnectionIsQuieted() {
        LogRecord failedAgain = warning("Failed to mark a promise as failure because it has failed already:"
                + " DefaultChannelPromise@38a9a473(failure: io.netty.channel.StacklessClosedChannelException),"
                + " unnotified cause: io.netty.util.IllegalReferenceCountException: refCnt: 0, decrement: 1",
                new IllegalReferenceCountException(0, -1));

        assertThat(filter.isLoggable(failedAgain)).isFalse();
    }

    @Test
    void aRequestWhoseConnectionClosedIsQuietedAndOtherFailuresAreNot() {
        LogRecord closed = failure("HTTP Request to /api/v1/events failed, error id: x-1",
                new HttpClosedException("Connection was closed"));
        LogRecord bug = failure("HTTP Request to /api/v1/jobs failed, error id: x-2", new IllegalStateException("a bug"));

        assertThat(filter.isLoggable(closed)).isFalse();
        assertThat(filter.isLoggable(bug)).isTrue();
    }

    @Test
    void aPromiseThatFailedForAnotherReasonIsStillWarnedOf() {
        LogRecord otherFirst = warning("Failed to mark a promise as failure because it has failed already:"
                + " DefaultChannelPromise@38a9a473(failure: io.netty.handler.codec.EncoderException),"
                + " unnotified cause: java.nio.channels.ClosedChannelException", new IllegalStateException("encoder"));
        LogRecord otherWarning = warning("An exceptionCaught() event was fired, and it reached at the tail of the pipeline.",
                new IllegalStateException("handler"));

        assertThat(filter.isLoggable(otherFirst)).isTrue();
        assertThat(filter.isLoggable(otherWarning)).isTrue();
    }

    private static LogRecord failure(String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName(ClientGoneFilter.REQUEST_FAILURES);
        record.setThrown(thrown);
        return record;
    }

    private static LogRecord warning(String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(ClientGoneFilter.CHANNEL_CONTEXT);
        record.setThrown(thrown);
        return record;
    }
}
