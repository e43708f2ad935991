package io.enigm.server.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.enigm.server.audit.AuditRecord;

/**
 * The INSERT of an audit record, a JDBC statement prepared once on the writer's connection. Every
 * request appends a record on the store's one writer thread, where Jdbi's binding of thirteen named
 * values cost more than the insert itself. Used by one thread at a time: appends are serialized.
 */
final class RecordInsert {

    private static final String SQL = "INSERT INTO audit_record (sequence, recorded_at, actor, role,"
            + " environment_id, action, target, outcome, category, salt, previous_hash, hash, changes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private Connection preparedOn;
    private PreparedStatement statement;

    void run(Connection connection, AuditRecord record, String salt) {
        try {
            PreparedStatement insert = preparedFor(connection);
            insert.setLong(1, record.sequence());
            insert.setLong(2, record.recordedAt().toEpochMilli());
            insert.setString(3, record.entry().actor());
            insert.setString(4, record.entry().role());
            insert.setString(5, record.entry().environmentId());
            insert.setString(6, record.entry().action());
            insert.setString(7, record.entry().target());
            insert.setString(8, record.entry().outcome().name());
            insert.setString(9, record.entry().category());
            insert.setString(10, salt);
            insert.setString(11, record.previousHash());
            insert.setString(12, record.hash());
            insert.setString(13, ChangesColumn.write(record.entry().changes()));
            insert.executeUpdate();
        } catch (SQLException e) {
            // The driver finalizes a statement that failed for most reasons: prepare it again next time.
            discard();
            throw new IllegalStateException("the audit record could not be stored", e);
        }
    }

    private PreparedStatement preparedFor(Connection connection) throws SQLException {
        if (statement == null || preparedOn != connection || statement.isClosed()) {
            discard();
            statement = connection.prepareStatement(SQL);
            preparedOn = connection;
        }
        return statement;
    }

    private void discard() {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                // finalized already, or its connection is gone and took it along
            }
            statement = null;
            preparedOn = null;
        }
    }
}
