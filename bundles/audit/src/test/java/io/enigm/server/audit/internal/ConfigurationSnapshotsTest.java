package io.enigm.server.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.enigm.server.audit.AuditChange;

/**
 * What a configuration change's audit record says: each changed key, with its old and new values
 * unless the key's name says it holds a secret or a URL (whose query may carry a credential).
 */
class ConfigurationSnapshotsTest {

    private static final String PID = "io.enigm.server.example";

    /** A ConfigurationAdmin holding one configuration of {@link #PID}, whose properties the test replaces. */
    private static final class OneConfiguration {
        volatile Dictionary<String, Object> properties;

        OneConfiguration(Map<String, Object> settings) {
            properties = new Hashtable<>(settings);
        }

        ConfigurationAdmin admin() {
            Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (self, method, args) -> switch (method.getName()) {
                        case "getPid" -> PID;
                        case "getProperties" -> properties;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (self, method, args) -> switch (method.getName()) {
                        case "listConfigurations" -> new Configuration[] {configuration};
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void secretsAndUrlsAreNamedWithoutTheirValuesAndEverythingElseWithThem() {
        OneConfiguration stored = new OneConfiguration(Map.of("batchSize", 100, "password", "old-canary",
                "securityEventRetentionDays", 365));
        ConfigurationSnapshots snapshots = new ConfigurationSnapshots(stored.admin());
        stored.properties = new Hashtable<>(Map.of("batchSize", 7, "password", "new-canary",
                "securityEventRetentionDays", 90, "urls", new String[] {"https://hooks.example/in?credential=canary"},
                "bearerToken", "canary-token", "api-key", "canary-key", "receiverURL", "https://canary.example",
                "passwordFile", "secrets/canary", "felix.fileinstall.filename", "file:/conf/example.cfg"));

        List<AuditChange> changes = snapshots.updated(PID);

        assertEquals(List.of(AuditChange.withheld("api-key"), new AuditChange("batchSize", "100", "7"),
                AuditChange.withheld("bearerToken"), AuditChange.withheld("password"),
                AuditChange.withheld("passwordFile"), AuditChange.withheld("receiverURL"),
                new AuditChange("securityEventRetentionDays", "365", "90"), AuditChange.withheld("urls")), changes);
        assertFalse(changes.toString().contains("canary"), changes.toString());
    }

    @Test
    void aSecretIsAWholeWordOfTheKeyNotAnyLettersInIt() {
        for (String secret : List.of("password", "hmacSecret", "apiKey", "API_KEY", "privateKeyFile", "HTTPSUrl",
                "jdbc.url", "receiverUris", "clientCredentials", "accessTokens", "pin")) {
            assertTrue(ConfigurationSnapshots.isSecret(secret), secret);
        }
        for (String plain : List.of("securityEventRetentionDays", "duration", "monkeyCount", "keepAlive",
                "spinLimit", "curlTimeout", "requestsPerSecond")) {
            assertFalse(ConfigurationSnapshots.isSecret(plain), plain);
        }
    }

    @Test
    void aDeletedConfigurationNamesEveryKeyItHadAsRemoved() {
        OneConfiguration stored = new OneConfiguration(Map.of("batchSize", 100, "urls", "https://a.example"));
        ConfigurationSnapshots snapshots = new ConfigurationSnapshots(stored.admin());

        assertEquals(List.of(new AuditChange("batchSize", "100", null), AuditChange.withheld("urls")),
                snapshots.deleted(PID));
    }
}
