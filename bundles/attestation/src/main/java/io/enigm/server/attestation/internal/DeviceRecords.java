package io.enigm.server.attestation.internal;

import static io.enigm.server.attestation.spi.AttestationException.Reason.CONFLICT;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.ProviderRecords;
import io.enigm.server.common.ConflictException;
import io.enigm.server.store.Database;

/**
 * One provider's records for one device (rows of {@code attestation_record} owned by the provider's
 * type and bundle), as the provider sees them while it runs: reads come from the database, writes
 * and bindings are only staged. The provider runs on the registry's threads, never on the
 * database's writer; {@link #applyTo} later writes what it staged, inside the request's transaction,
 * after checking that nothing it read has changed meanwhile (optimistic: two administrators racing
 * on one device cannot both act on the same old state). Evaluation gets a read-only instance.
 */
final class DeviceRecords implements ProviderRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> VALUE = new TypeReference<>() {
    };
    private static final int MAX_KEY_LENGTH = 128;
    private static final int MAX_HANDLE_LENGTH = 256;
    /** Devices in these states are out of service for good: their bindings no longer hold anything. */
    private static final String FINAL_TRUST = "('REVOKED', 'REPLACED', 'RETIRED')";
    private static final String OWNED_KEY = "environment_id = :env AND device_id = :device AND provider_type = :type"
            + " AND provider_bundle = :bundle AND record_key = :key";

    private final Database database;
    private final Clock clock;
    private final String environmentId;
    private final String deviceId;
    private final Registration owner;
    private final boolean writable;
    /** The stored JSON of each key as first read ({@code null}: absent), checked again when applying. */
    private final Map<String, String> read = new LinkedHashMap<>();
    /** Staged values by key; {@code null} removes. */
    private final Map<String, String> staged = new LinkedHashMap<>();
    private final Set<String> bound = new LinkedHashSet<>();
    private final Set<String> released = new LinkedHashSet<>();
    private boolean endsSessions;

    DeviceRecords(Database database, Clock clock, String environmentId, String deviceId, Registration owner,
            boolean writable) {
        this.database = database;
        this.clock = clock;
        this.environmentId = environmentId;
        this.deviceId = deviceId;
        this.owner = owner;
        this.writable = writable;
    }

    @Override
    public synchronized Optional<Map<String, String>> get(String key) {
        checkKey(key);
        if (staged.containsKey(key)) {
            return Optional.ofNullable(staged.get(key)).map(DeviceRecords::parse);
        }
        if (!read.containsKey(key)) {
            read.put(key, database.read(handle -> stored(handle, key)));
        }
        return Optional.ofNullable(read.get(key)).map(DeviceRecords::parse);
    }

    @Override
    public synchronized void put(String key, Map<String, String> value) {
        checkKey(key);
        checkWritable();
        Objects.requireNonNull(value, "value");
        if (value.entrySet().stream().anyMatch(entry -> entry.getKey() == null || entry.getValue() == null)) {
            throw new IllegalArgumentException("a record value has no null names or values");
        }
        staged.put(key, write(value));
    }

    @Override
    public synchronized void remove(String key) {
        checkKey(key);
        checkWritable();
        staged.put(key, null);
    }

    @Override
    public synchronized void bindExclusively(String handle) throws AttestationException {
        checkHandle(handle);
        checkWritable();
        if (database.read(db -> otherLiveHolder(db, handle)) != null) {
            throw new AttestationException(CONFLICT, "that identifier is bound to another device of the environment");
        }
        released.remove(handle);
        bound.add(handle);
    }

    @Override
    public synchronized void release(String handle) {
        checkHandle(handle);
        checkWritable();
        bound.remove(handle);
        released.add(handle);
    }

    synchronized void endSessions() {
        if (writable) {
            endsSessions = true;
        }
    }

    synchronized boolean endsSessions() {
        return endsSessions;
    }

    /**
     * Writes what was staged on {@code handle}, the request's transaction.
     *
     * @throws ConflictException when a record read has changed since, or an identifier to bind has
     *                           been bound to another live device meanwhile
     */
    synchronized void applyTo(Handle handle) {
        for (Map.Entry<String, String> entry : read.entrySet()) {
            if (!Objects.equals(entry.getValue(), stored(handle, entry.getKey()))) {
                throw new ConflictException("the device's attestation records changed meanwhile; try again");
            }
        }
        long now = clock.millis();
        staged.forEach((key, json) -> {
            handle.createUpdate("DELETE FROM attestation_record WHERE " + OWNED_KEY)
                    .bindMap(ownedKey(key)).execute();
            if (json != null) {
                handle.createUpdate("INSERT INTO attestation_record (environment_id, device_id, provider_type,"
                        + " provider_bundle, record_key, value_json, updated_at)"
                        + " VALUES (:env, :device, :type, :bundle, :key, :value, :now)")
                        .bindMap(ownedKey(key)).bind("value", json).bind("now", now).execute();
            }
        });
        for (String released : this.released) {
            handle.createUpdate("DELETE FROM attestation_binding WHERE environment_id = :env AND category = :category"
                    + " AND handle = :handle AND device_id = :device")
                    .bind("env", environmentId).bind("category", category()).bind("handle", released)
                    .bind("device", deviceId).execute();
        }
        for (String claimed : bound) {
            if (otherLiveHolder(handle, claimed) != null) {
                throw new ConflictException("that identifier is bound to another device of the environment");
            }
            handle.createUpdate("INSERT INTO attestation_binding (environment_id, category, handle, device_id,"
                    + " bound_at) VALUES (:env, :category, :handle, :device, :now) ON CONFLICT"
                    + " (environment_id, category, handle) DO UPDATE SET device_id = excluded.device_id,"
                    + " bound_at = excluded.bound_at WHERE attestation_binding.device_id <> excluded.device_id")
                    .bind("env", environmentId).bind("category", category()).bind("handle", claimed)
                    .bind("device", deviceId).bind("now", now).execute();
        }
    }

    private Map<String, Object> ownedKey(String key) {
        return Map.of("env", environmentId, "device", deviceId, "type", owner.type(), "bundle", owner.bundle(),
                "key", key);
    }

    private String stored(Handle handle, String key) {
        return handle.createQuery("SELECT value_json FROM attestation_record WHERE " + OWNED_KEY)
                .bindMap(ownedKey(key)).mapTo(String.class).findOne().orElse(null);
    }

    /** The other device that holds {@code handle} and is still in service, or {@code null}. */
    private String otherLiveHolder(Handle handle, String claimed) {
        return handle.createQuery("SELECT b.device_id FROM attestation_binding b"
                + " LEFT JOIN device d ON d.id = b.device_id"
                + " WHERE b.environment_id = :env AND b.category = :category AND b.handle = :handle"
                + " AND b.device_id <> :device AND (d.id IS NULL OR d.trust NOT IN " + FINAL_TRUST + ")")
                .bind("env", environmentId).bind("category", category()).bind("handle", claimed)
                .bind("device", deviceId).mapTo(String.class).findOne().orElse(null);
    }

    private String category() {
        return owner.category().name();
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("records are read-only while evaluating; write in operate");
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a record key is 1 to " + MAX_KEY_LENGTH + " characters");
        }
    }

    private static void checkHandle(String handle) {
        if (handle == null || handle.isEmpty() || handle.length() > MAX_HANDLE_LENGTH) {
            throw new IllegalArgumentException("a handle is 1 to " + MAX_HANDLE_LENGTH + " characters");
        }
    }

    private static String write(Map<String, String> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the record value cannot be stored as JSON", e);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            return Map.copyOf(JSON.readValue(json, VALUE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored attestation record is not valid JSON", e);
        }
    }
}
