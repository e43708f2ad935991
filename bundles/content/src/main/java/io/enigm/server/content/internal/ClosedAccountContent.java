package io.enigm.server.content.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.membership.ClosedAccount;
import io.enigm.server.membership.MemberData;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * A closed account's content: every object the member sent (rows in the closure's transaction,
 * bytes once it is durable) and its place among other objects' recipients. What it sent to others
 * is gone for them too; what others sent it stays theirs.
 */
@Component(service = MemberData.class)
public class ClosedAccountContent implements MemberData {

    private final Database database;
    private final ContentErasure erasure;

    @Activate
    public ClosedAccountContent(@Reference Database database, @Reference DataHome home) {
        this(database, Blobs.of(database, home));
    }

    ClosedAccountContent(Database database, Blobs blobs) {
        this.database = database;
        this.erasure = new ContentErasure(blobs);
    }

    @Override
    public String name() {
        return "content";
    }

    @Override
    public void erase(ClosedAccount account) {
        database.inTransaction(handle -> {
            erasure.eraseWhere(handle, "environment_id = :env AND sender_member = :member",
                    Map.of("env", account.environmentId(), "member", account.memberId()));
            handle.createUpdate("DELETE FROM content_recipient WHERE member_id = :member")
                    .bind("member", account.memberId()).execute();
            return null;
        });
    }
}
