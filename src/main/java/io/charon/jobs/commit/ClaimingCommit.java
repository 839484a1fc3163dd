package io.charon.jobs.commit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a group commit's writes in one new transaction, with the claims the dispatcher makes along
 * them ({@link ClaimsAlongWrites}); the jobs claimed start after the commit, before the batch's
 * callers are answered. A claim that fails fails the transaction, as any of its writes would: jobs
 * it had marked running must not be committed without being started.
 */
@ApplicationScoped
public class ClaimingCommit {

    private final ClaimsAlongWrites claims;

    public ClaimingCommit(ClaimsAlongWrites claims) {
        this.claims = claims;
    }

    /**
     * @param freeing how many worker slots the writes free (each run outcome frees its run's)
     */
    public <O> GroupCommit.Written<O> write(ClaimsAlongWrites.Writer writer, int freeing,
                                            Supplier<List<GroupCommit.Result<O>>> writes) {
        ClaimsAlongWrites.AfterCommit[] claimed = {ClaimsAlongWrites.AfterCommit.NOTHING};
        List<GroupCommit.Result<O>> results;
        try {
            results = QuarkusTransaction.requiringNew().call(() -> {
                List<GroupCommit.Result<O>> written = writes.get();
                claimed[0] = claims.claimInTransaction(writer, freeing);
                return written;
            });
        } catch (RuntimeException | Error e) {
            claimed[0].ended(false);
            throw e;
        }
        return new GroupCommit.Written<>(results, () -> claimed[0].ended(true));
    }
}
