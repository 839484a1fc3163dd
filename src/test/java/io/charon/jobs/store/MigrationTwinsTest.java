package io.charon.jobs.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Both stores' migrations stay twins: the same versions under the same names, so both histories line up. */
class MigrationTwinsTest {

    @Test
    void everySqliteMigrationHasAPostgresTwinAndNoneMore() throws IOException {
        List<String> sqlite = names(Path.of("src/main/resources/db/migration"));
        List<String> postgres = names(Path.of("src/main/resources/db/postgresql"));
        assertThat(sqlite).isNotEmpty();
        assertThat(postgres).containsExactlyElementsOf(sqlite);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
    }
}
