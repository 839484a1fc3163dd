package io.charon.jobs.commit;

/**
 * Claims made inside the job service's own write transactions (a group commit of submissions, or
 * of run outcomes), so the jobs such a transaction makes claimable, and the worker slots it
 * frees, are taken up in the same commit: one write lock and one disk flush where a claim of its
 * own would need a second. Implemented by the dispatcher.
 */
public interface ClaimsAlongWrites {

    /**
     * Called inside the write transaction, after its writes.
     *
     * @param writer   which transaction it is, for the metrics
     * @param freeing  worker slots this transaction gives back once committed (the runs whose
     *                 outcomes it records): the jobs claimed here may take them
     * @return what to do once the transaction has ended, before its callers are answered: start
     * what was claimed, or, when it rolled back, only give the reserved slots back
     */
    AfterCommit claimInTransaction(Writer writer, int freeing);

    /** The write transactions that claim along; each name is the {@code transaction} tag of its claims' metric. */
    enum Writer {
        /** A group commit of submitted jobs. */
        SUBMISSIONS,
        /** A group commit of run outcomes. */
        OUTCOMES;

        /** The metric tag: the name in lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The second half of a claim made along a write. */
    interface AfterCommit {

        AfterCommit NOTHING = committed -> {
        };

        void ended(boolean committed);
    }
}
