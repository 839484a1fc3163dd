package io.charon.jobs.execution.ansible;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The job's error message from the callback plugin's events: every host that went wrong, bounded. */
class CallbackEventsTest {

    private final CallbackEvents events = new CallbackEvents((message, data) -> { });

    @Test
    void oneFailedHostReadsAsBefore() {
        result("web1", "Install", "failed", "no package nginx");
        result("web2", "Install", "ok", "");

        assertThat(events.failureSummary()).isEqualTo("task 'Install' failed on host web1: no package nginx");
    }

    @Test
    void everyFailedAndUnreachableHostIsNamedButNotTheRescuedOrIgnored() {
        result("db1", "Connect", "unreachable", "Failed to connect to the host via ssh: Warning: Permanently added"
                + " '[10.0.0.5]:22' (ED25519) to the list of known hosts.\r\nuser@10.0.0.5: Permission denied (publickey).");
        result("web1", "Install", "failed", "no package nginx");
        result("web2", "Install", "failed", "rescued later");
        result("web3", "Install", "ignored", "ignored");
        stats("{\"db1\": {\"unreachable\": 1}, \"web1\": {\"failed\": 1}, \"web2\": {\"rescued\": 1},"
                + " \"web3\": {\"ignored\": 1}}");

        assertThat(events.failureSummary()).isEqualTo("2 hosts failed or were unreachable: host db1 was unreachable in"
                + " task 'Connect': Failed to connect to the host via ssh: user@10.0.0.5: Permission denied (publickey).;"
                + " task 'Install' failed on host web1: no package nginx");
    }

    @Test
    void aChangedHostKeyIsSaidInOneLineWithoutTheAdvice() {
        String ssh = "Failed to connect to the host via ssh: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
                + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
                + "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
                + "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\n"
                + "The fingerprint for the ED25519 key sent by the remote host is\r\nSHA256:abcDEF012+/xyz.\r\n"
                + "Add correct host key in /var/lib/charon/work/run-1/known_hosts to get rid of this message.\r\n"
                + "Host key verification failed.";

        assertThat(CallbackEvents.unreachableReason(ssh)).isEqualTo("Failed to connect to the host via ssh:"
                + " REMOTE HOST IDENTIFICATION HAS CHANGED: the host's key (SHA256:abcDEF012+/xyz) is not the known one."
                + " Host key verification failed.");
    }

    @Test
    void manyHostsStayWithinTheBound() {
        StringBuilder stats = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            result("host" + i, "Connect", "unreachable", "ssh: connect to host 10.0.0." + i + " port 22: No route to host");
            stats.append(i == 0 ? "" : ",").append("\"host").append(i).append("\": {\"unreachable\": 1}");
        }
        stats("" + stats.append('}'));

        String summary = events.failureSummary();
        assertThat(summary).startsWith("200 hosts failed or were unreachable: host host0 was unreachable")
                .hasSizeLessThanOrEqualTo(CallbackEvents.SUMMARY_LIMIT).matches(".*; and \\d+ more$");
    }

    private void result(String host, String task, String result, String message) {
        assertThat(events.accept("{\"event\": \"host_result\", \"host\": \"" + host + "\", \"task\": \"" + task
                + "\", \"result\": \"" + result + "\", \"message\": \"" + message.replace("\r", "\\r").replace("\n", "\\n")
                + "\"}")).isTrue();
    }

    private void stats(String hosts) {
        assertThat(events.accept("{\"event\": \"stats\", \"hosts\": " + hosts + "}")).isTrue();
    }
}
