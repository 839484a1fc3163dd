package io.charon.jobs.execution.ansible;

import io.charon.jobs.job.DiffEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The diffs and artifacts of the callback plugin's events: colour codes stripped, each within its limit. */
class CallbackDiffsTest {

    private final List<String> progress = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final CallbackEvents events = new CallbackEvents((message, data) -> progress.add(message),
            new CallbackEvents.Limits(40, 30), log::add);

    private void diff(String host, String text, boolean truncated) {
        assertThat(events.accept("{\"event\": \"diff\", \"host\": \"" + host + "\", \"task\": \"t\", \"diff\": \""
                + text + "\", \"truncated\": " + truncated + "}")).isTrue();
    }

    @Test
    void colourCodesAreStrippedAndEntriesBeyondTheLimitLeftOut() {
        diff("web1", "\\u001b[0;31m-old\\u001b[0m\\n", false);
        diff("web2", "+this entry is too long for the limit\\n", false);
        diff("web3", "+x\\n", false); // would fit, but comes after one left out: the diff keeps its order

        assertThat(events.diff().entries()).containsExactly(new DiffEntry("web1", "t", "-old\n"));
        assertThat(events.diff().truncated()).isTrue();
    }

    @Test
    void anEntryThePluginCutShortMakesTheDiffTruncated() {
        diff("web1", "+a\\n", true);
        diff("web2", "+b\\n", false);

        assertThat(events.diff().entries()).hasSize(2);
        assertThat(events.diff().truncated()).isTrue();
    }

    @Test
    void artifactsWithinTheLimitAreKeptAndLargerOnesRefusedSayingSo() {
        assertThat(events.accept("{\"event\": \"artifacts\", \"artifacts\": {\"level\": \"high\", \"n\": 2}}")).isTrue();
        assertThat(events.artifacts()).containsEntry("level", "high").containsEntry("n", 2);
        assertThat(progress).isEmpty();

        events.accept("{\"event\": \"artifacts\", \"artifacts\": {\"level\": \"far too long for the limit of forty\"}}");
        assertThat(events.artifacts()).isEmpty();
        assertThat(progress).singleElement().asString().startsWith("artifacts not kept: 47 bytes of JSON");
        assertThat(log).singleElement().asString().startsWith("charon-jobs: artifacts not kept: 47 bytes");
    }
}
