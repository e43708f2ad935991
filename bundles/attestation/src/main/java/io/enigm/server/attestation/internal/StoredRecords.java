package io.enigm.server.attestation.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.attestation.spi.ProviderRecords;
import io.enigm.server.store.Database;

/**
 * One provider's records for one device, rows of {@code attestation_record}. Writes go through
 * {@link Database#inTransaction}: inside an administrator's request they join its transaction, so a
 * refused operation leaves nothing behind.
 */
final class StoredRecords implements ProviderRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> VALUE = new TypeReference<>() {
    };
    private static final int MAX_KEY_LENGTH = 128;

    private final Database database;
    private final Clock clock;
    private final String environmentId;
    private final String deviceId;
    private final String providerType;

    StoredRecords(Database database, Clock clock, String environmentId, String deviceId, String providerType) {
        this.database = database;
        this.clock = clock;
        this.environmentId = environmentId;
        this.deviceId = deviceId;
        this.providerType = providerType;
    }

    @Override
    public Optional<Map<String, String>> get(String key) {
        checkKey(key);
        return database.read(handle -> handle.createQuery("SELECT value_json FROM attestation_record"
                + " WHERE environment_id = :env AND device_id = :device AND provider_type = :type AND record_key = :key")
                .bind("env", environmentId).bind("device", deviceId).bind("type", providerType).bind("key", key)
                .mapTo(String.class).findOne()).map(StoredRecords::parse);
    }

    @Override
    public void put(String key, Map<String, String> value) {
        checkKey(key);
        Objects.requireNonNull(value, "value");
        if (value.entrySet().stream().anyMatch(entry -> entry.getKey() == null || entry.getValue() == null)) {
            throw new IllegalArgumentException("a record value has no null names or values");
        }
        String json = write(value);
        long now = clock.millis();
        database.inTransaction(handle -> {
            int updated = handle.createUpdate("UPDATE attestation_record SET value_json = :value, updated_at = :now"
                    + " WHERE environment_id = :env AND device_id = :device AND provider_type = :type"
                    + " AND record_key = :key")
                    .bind("value", json).bind("now", now).bind("env", environmentId).bind("device", deviceId)
                    .bind("type", providerType).bind("key", key).execute();
            if (updated == 0) {
                handle.createUpdate("INSERT INTO attestation_record (environment_id, device_id, provider_type,"
                        + " record_key, value_json, updated_at) VALUES (:env, :device, :type, :key, :value, :now)")
                        .bind("value", json).bind("now", now).bind("env", environmentId).bind("device", deviceId)
                        .bind("type", providerType).bind("key", key).execute();
            }
            return null;
        });
    }

    @Override
    public void remove(String key) {
        checkKey(key);
        database.inTransaction(handle -> handle.createUpdate("DELETE FROM attestation_record"
                + " WHERE environment_id = :env AND device_id = :device AND provider_type = :type AND record_key = :key")
                .bind("env", environmentId).bind("device", deviceId).bind("type", providerType).bind("key", key)
                .execute());
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a record key is 1 to " + MAX_KEY_LENGTH + " characters");
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
