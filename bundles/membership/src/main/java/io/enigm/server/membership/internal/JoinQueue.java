package io.enigm.server.membership.internal;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.KeyedRead;

/**
 * What filing a submission needs to know, read in one statement on the writer: the account's
 * live member, the pending request this submission repeats, how many requests wait, and whether
 * overdue ones must leave the queue first (their rows still hold the unique pending slot).
 */
record JoinQueue(String liveMember, String retried, int pending, boolean overdue) {

    private static final KeyedRead<JoinQueue> READ = new KeyedRead<>("SELECT (SELECT id FROM member"
            + " WHERE environment_id = ? AND account_handle = ? AND state <> 'REMOVED'),"
            + " (SELECT id FROM join_request WHERE environment_id = ? AND account_handle = ?"
            + " AND key_handle = ? AND state = 'PENDING' AND expires_at > ?),"
            + " (SELECT COUNT(*) FROM join_request WHERE environment_id = ? AND state = 'PENDING'"
            + " AND expires_at > ?),"
            + " EXISTS (SELECT 1 FROM join_request WHERE environment_id = ? AND state = 'PENDING'"
            + " AND expires_at <= ?)",
            rs -> new JoinQueue(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));

    static JoinQueue read(Handle handle, String environmentId, String accountHandle, String keyHandle, long now) {
        return READ.find(handle, environmentId, accountHandle, environmentId, accountHandle, keyHandle, now,
                environmentId, now, environmentId, now).orElseThrow();
    }
}
