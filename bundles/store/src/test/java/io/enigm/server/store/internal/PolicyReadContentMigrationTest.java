package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies stored before content arrived name FETCH_CONTENT: after the upgrade they name READ_CONTENT. */
class PolicyReadContentMigrationTest {

    @TempDir
    Path home;

    @Test
    void storedPoliciesNameTheRenamedActionAndNothingElseChanges() {
        MigrationStep step = new MigrationStep(home, "policy_read_content");
        Jdbi jdbi = step.jdbi();
        String before = "{\"rules\":[{\"id\":\"r\",\"description\":\"FETCH_CONTENT stays in prose\","
                + "\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\",\"FETCH_CONTENT\"]}],\"default\":\"DENY\"}";
        String untouched = "{\"rules\":[{\"id\":\"s\",\"roles\":[\"*\"],\"actions\":[\"OPEN_SESSION\"]}],\"default\":\"DENY\"}";
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e', 's', 'n', 'ACTIVE', 1)");
            handle.execute("INSERT INTO policy_version (environment_id, version, document, author, created_at)"
                    + " VALUES ('e', 1, ?, 'a', 2)", before);
            handle.execute("INSERT INTO policy_version (environment_id, version, document, author, created_at)"
                    + " VALUES ('e', 2, ?, 'a', 3)", untouched);
        });

        step.run();

        List<String> documents = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT document FROM policy_version ORDER BY version").mapTo(String.class).list());
        assertEquals(List.of(before.replace("\"FETCH_CONTENT\"]", "\"READ_CONTENT\"]"), untouched), documents);
    }
}
