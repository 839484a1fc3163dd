package io.charon.jobs.job;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counts as Ansible 2.14's expand_hostname_range expands (the expected figures are its own). */
class HostRangesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = ' ', value = {
            "localhost 1",
            "10.0.0.1 1",
            "web[01:20].example.com 20",
            "web[1:20:2] 10",
            "db-[a:f] 6",
            "r[1:4]-[a:c] 12",
            "h[a:Z] 52",
            "h[:5] 6",
            "h[z:A:3] 1",
            "h[1:3]:22 3",
            "n[0:9]x[a:b]y[1:2:5] 20",
            "web[001:500].example.com 500",
            "h[1:1000000] 1000000",
            "h[0:99999999999999999999999] 100000000000000000000000",
            "odd] 1"})
    void countsTheHostsAnEntryStandsFor(String entry, String hosts) {
        assertThat(HostRanges.count(entry)).isEqualTo(new BigInteger(hosts));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h[1:", "h[1:]", "h[1]", "h[1:2:3:4]", "h[9:1]", "h[f:a]", "h[1:9:0]", "h[1:9:-1]",
            "h[01:100]", "h[a:5]", "h[ab:cd]", "h[-1:5]", "h[1_0:20]", "a]b[1:2]"})
    void refusesWhatAnsibleRefusesOrWouldExpandToNothing(String entry) {
        assertThatThrownBy(() -> HostRanges.count(entry)).isInstanceOf(HostRanges.InvalidRangeException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "web1|web1",
            "web[1:3]|web1 web2 web3",
            "web[01:03].example.com|web01.example.com web02.example.com web03.example.com",
            "h[0:6:3]|h0 h3 h6",
            "db-[a:c]|db-a db-b db-c",
            "h[y:B]|hy hz hA hB",
            "r[1:2]-[a:b]|r1-a r1-b r2-a r2-b",
            "h[:2]|h0 h1 h2",
            "web[1:99999999999:5000000000]|web1 web5000000001 web10000000001 web15000000001 web20000000001 web25000000001 web30000000001 web35000000001 web40000000001 web45000000001 web50000000001 web55000000001 web60000000001 web65000000001 web70000000001 web75000000001 web80000000001 web85000000001 web90000000001 web95000000001",
            "h[0:99999999999999:99999999999999]|h0 h99999999999999",
            "web[b:z:2147483647]|webb"})
    void expandsAnEntryToTheHostsItStandsForInAnsiblesOrder(String entry, String hosts) {
        assertThat(HostRanges.expand(entry)).containsExactly(hosts.split(" "));
        assertThat(HostRanges.count(entry)).isEqualTo(hosts.split(" ").length);
    }
}
