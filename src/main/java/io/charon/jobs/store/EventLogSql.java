package io.charon.jobs.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * How the event log ({@code job_events}, aliased {@code e}) is read in the one order every reader
 * agrees on. An event's position is a pair: the ordinal of the transaction that wrote it, then its
 * id. Readers see only a prefix of that order that can no longer grow in the middle: an event
 * becomes readable only once every transaction that could still commit an event before it has
 * ended, so a cursor never has a gap open behind it.
 */
public interface EventLogSql {

    /** The first half of an event's position: the ordinal of its writing transaction. */
    String transactionOf();

    /** The condition that an event lies after a position and may be read; bound by {@link #afterParameters}. */
    String after();

    /** The values {@link #after()} is bound with, in order, for the position ({@code transaction}, {@code id}). */
    List<Object> afterParameters(long transaction, long id);

    /** The order of positions, oldest first. */
    String order();

    /** A query of the newest readable position: one row (transaction, id), or none while nothing is readable. */
    String newest();

    /**
     * A query of one boolean row, where the store can hold events back: whether events are stored that may not be read yet, because a
     * transaction that could still commit an event before them has not ended. Readers then look
     * again shortly: that transaction may end without announcing it.
     */
    Optional<String> heldBack();

    /**
     * Readies a statement reading events after a position ({@link #after()}, joined to their
     * jobs) before it runs: where needed, so that it is planned for the tables as they are at
     * each read. {@link #newest()} and {@link #heldBack()} need none: without parameters or a
     * join, their one plan walks the position index from its end whatever the tables hold.
     */
    default void prepareReadAfter(PreparedStatement read) throws SQLException {
    }
}
