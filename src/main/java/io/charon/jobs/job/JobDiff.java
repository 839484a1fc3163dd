package io.charon.jobs.job;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The diff of a check-mode job's last run, in a table of its own so that reading jobs never reads
 * it; deleted with the job.
 */
@Entity
@Table(name = "job_diffs")
public class JobDiff {

    @Id
    @Column(name = "job_id")
    private String jobId;

    @Convert(converter = JobColumns.Diff.class)
    @Column(nullable = false)
    private RunDiff content;

    protected JobDiff() {
    }

    public JobDiff(String jobId, RunDiff content) {
        this.jobId = jobId;
        this.content = content;
    }

    public String jobId() {
        return jobId;
    }

    public RunDiff content() {
        return content;
    }
}
