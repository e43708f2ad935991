package io.enigm.server.audit.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Keyset;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;

/**
 * Reads what {@link StoredSecurityEventRecorder} appended, by keyset on (created, id): one
 * environment's events, or the whole installation's. A filter by class or group becomes the list of
 * categories it admits, since a category decides both.
 */
@Component(service = SecurityEventFeed.class)
public class StoredSecurityEventFeed implements SecurityEventFeed {

    private static final String COLUMNS = "id, environment_id, category, risk, subject_handle, created_at, occurrences";

    private final Database database;
    private final EnvironmentService environments;

    @Activate
    public StoredSecurityEventFeed(@Reference Database database, @Reference EnvironmentService environments) {
        this.database = database;
        this.environments = environments;
    }

    @Override
    public Page<SecurityEvent> list(String environmentId, SecurityEventFilter filter, PageRequest page) {
        readable(environmentId);
        return query(environmentId, filter, page);
    }

    @Override
    public Page<SecurityEvent> listInstallation(SecurityEventFilter filter, PageRequest page) {
        if (filter.environmentId() != null) {
            readable(filter.environmentId());
        }
        return query(filter.environmentId(), filter, page);
    }

    @Override
    public List<SecurityEvent> latestInstallation(SecurityEventFilter filter, int limit) {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + Page.MAX_LIMIT);
        }
        if (filter.environmentId() != null) {
            readable(filter.environmentId());
        }
        List<String> categories = admitted(filter);
        if (categories.isEmpty()) {
            return List.of();
        }
        boolean everyCategory = categories.size() == SecurityEventCategory.values().length;
        return database.read(handle -> {
            var query = handle.createQuery("SELECT " + COLUMNS + " FROM security_event WHERE 1 = 1"
                    + (filter.environmentId() == null ? "" : " AND environment_id = :env")
                    + (everyCategory ? "" : " AND category IN (<categories>)")
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("limit", limit);
            if (filter.environmentId() != null) {
                query.bind("env", filter.environmentId());
            }
            if (!everyCategory) {
                query.bindList("categories", categories);
            }
            return query.map((rs, ctx) -> event(rs)).list();
        });
    }

    /** The categories {@code filter} admits: a risk class or group is the list of categories in it. */
    private static List<String> admitted(SecurityEventFilter filter) {
        return Arrays.stream(SecurityEventCategory.values()).filter(filter::admits).map(Enum::name).toList();
    }

    /** A deleted environment's events are gone as far as its reviewers go, as the environment is. */
    private void readable(String environmentId) {
        if (environments.get(environmentId).state() == EnvironmentState.DELETED) {
            throw new NotFoundException("environment");
        }
    }

    private Page<SecurityEvent> query(String environmentId, SecurityEventFilter filter, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        List<String> categories = admitted(filter);
        if (categories.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        boolean everyCategory = categories.size() == SecurityEventCategory.values().length;
        List<SecurityEvent> rows = database.read(handle -> {
            var query = handle.createQuery("SELECT " + COLUMNS + " FROM security_event WHERE 1 = 1"
                    + (environmentId == null ? "" : " AND environment_id = :env")
                    + (everyCategory ? "" : " AND category IN (<categories>)")
                    + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                    .bind("limit", page.limit() + 1);
            if (environmentId != null) {
                query.bind("env", environmentId);
            }
            if (!everyCategory) {
                query.bindList("categories", categories);
            }
            KeysetCondition.bind(query, after);
            return query.map((rs, ctx) -> event(rs)).list();
        });
        return Keyset.page(rows, page.limit(), event -> new Keyset(event.createdAt().toEpochMilli(), event.id()));
    }

    private static SecurityEvent event(ResultSet rs) throws SQLException {
        return new SecurityEvent(rs.getString("id"), rs.getString("environment_id"), rs.getString("category"),
                rs.getString("risk"), rs.getString("subject_handle"), Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getLong("occurrences"));
    }
}
