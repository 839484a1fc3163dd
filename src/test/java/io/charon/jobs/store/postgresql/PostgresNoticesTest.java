package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.StoreNotices.Kind;
import io.charon.jobs.store.StoreNotices.Notice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A notice travels as the payload of a NOTIFY and comes back the same. */
class PostgresNoticesTest {

    @Test
    void aNoticeWithoutAJobIsItsKind() {
        Notice notice = new Notice(Kind.CLAIMABLE, null);
        assertThat(PostgresNotices.text(notice)).isEqualTo("CLAIMABLE");
        assertThat(PostgresNotices.parse("CLAIMABLE")).isEqualTo(notice);
    }

    @Test
    void aCancellationCarriesItsJob() {
        Notice notice = new Notice(Kind.CANCELLED, "job-1:a");
        assertThat(PostgresNotices.text(notice)).isEqualTo("CANCELLED:job-1:a");
        assertThat(PostgresNotices.parse(PostgresNotices.text(notice))).isEqualTo(notice);
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> PostgresNotices.parse("RESIZED")).isInstanceOf(IllegalArgumentException.class);
    }
}
