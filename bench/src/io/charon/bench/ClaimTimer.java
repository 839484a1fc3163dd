package io.charon.bench;

/**
 * The service's claim timer, {@code charon.jobs.claim} (each claim transaction's time: selecting
 * due jobs, admitting them to their hosts and queues, starting them), as {@code /q/metrics} shows
 * it in Prometheus form: {@code charon_jobs_claim_seconds_count}, {@code _sum} and {@code _max}.
 * Count and sum only grow, so two readings give the claims in between and their mean; the max is
 * Micrometer's window max, over the last two minutes or so (three buffers rotated every 40 s),
 * not over the service's life.
 */
record ClaimTimer(double count, double sumSeconds, double maxSeconds) {

    static final String METRIC = "charon_jobs_claim_seconds";

    /** One reading of {@code /q/metrics} (it needs a token, as every request of the bench carries). */
    static ClaimTimer read(ServiceClient client) {
        String text = ServiceClient.expect(client.get("/q/metrics"), 200).body();
        double count = Double.NaN;
        double sum = Double.NaN;
        double max = Double.NaN;
        for (String line : text.split("\n")) {
            if (!line.startsWith(METRIC)) {
                continue;
            }
            int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            switch (line.substring(METRIC.length(), end)) {
                case "_count" -> count = value;
                case "_sum" -> sum = value;
                case "_max" -> max = value;
                default -> {
                }
            }
        }
        if (Double.isNaN(count) || Double.isNaN(sum) || Double.isNaN(max)) {
            throw new ScenarioFailure("/q/metrics shows no " + METRIC + "_count, _sum and _max: the service has no claim timer");
        }
        return new ClaimTimer(count, sum, max);
    }

    /** Claims made since {@code before}. */
    long claimsSince(ClaimTimer before) {
        return Math.round(count - before.count);
    }

    /** Mean time of the claims made since {@code before}, in milliseconds. */
    double meanMillisSince(ClaimTimer before) {
        long claims = claimsSince(before);
        if (claims <= 0) {
            throw new ScenarioFailure("no claim was timed during the drain");
        }
        return (sumSeconds - before.sumSeconds) / claims * 1000;
    }
}
