package io.enigm.server.audit.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.enigm.server.audit.AuditChange;

/**
 * The last known properties of every configuration, so that a change's audit record can name the
 * keys it changed. A key one of whose words (split at dots, dashes, underscores and camel case) names
 * a secret (password, secret, token, key, credential, private) or a URL (whose path or query may carry
 * a receiver's credential) is named without its values; other values are recorded, cut to
 * {@value #MAX_VALUE} characters. Whole words, so that {@code securityEventRetentionDays} keeps its
 * values although "security" holds "uri".
 */
final class ConfigurationSnapshots {

    static final int MAX_VALUE = 200;
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "passphrase", "pin", "secret",
            "token", "key", "credential", "private", "url", "uri", "dsn");
    /**
     * Where a key's words meet: a separator, a lower-case letter or digit before an upper-case one, or
     * the last capital of an acronym before a capitalized word ({@code HTTPSUrl}).
     */
    private static final Pattern WORD_BOUNDARY = Pattern.compile(
            "[._\\-\\s]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    /** Kept by the framework or FileInstall for their own book-keeping; nothing an operator set. */
    private static final Set<String> BOOK_KEEPING = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, "felix.fileinstall.filename");

    private final ConfigurationAdmin admin;
    private final Map<String, Map<String, String>> known = new ConcurrentHashMap<>();

    ConfigurationSnapshots(ConfigurationAdmin admin) {
        this.admin = admin;
        for (Configuration configuration : list(null)) {
            known.put(configuration.getPid(), properties(configuration.getProperties()));
        }
    }

    /** The keys that changed since the configuration was last seen, which now becomes its snapshot. */
    List<AuditChange> updated(String pid) {
        Configuration[] found = list("(" + Constants.SERVICE_PID + "=" + escaped(pid) + ")");
        Map<String, String> now = found.length == 0 ? Map.of() : properties(found[0].getProperties());
        Map<String, String> before = known.getOrDefault(pid, Map.of());
        known.put(pid, now);
        return changes(before, now);
    }

    /** Every key the configuration had, as removed. */
    List<AuditChange> deleted(String pid) {
        Map<String, String> before = known.remove(pid);
        return changes(before == null ? Map.of() : before, Map.of());
    }

    private static List<AuditChange> changes(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<AuditChange> changes = new ArrayList<>();
        for (String key : keys) {
            String was = before.get(key);
            String is = after.get(key);
            if (was == null ? is == null : was.equals(is)) {
                continue;
            }
            changes.add(isSecret(key) ? AuditChange.withheld(key) : new AuditChange(key, cut(was), cut(is)));
        }
        return changes;
    }

    /** Whether a word of {@code key}, in the singular, names a secret or a URL. */
    static boolean isSecret(String key) {
        for (String word : WORD_BOUNDARY.split(key)) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (SECRET_WORDS.contains(lower) || lower.endsWith("s") && SECRET_WORDS.contains(lower.substring(0,
                    lower.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "…";
    }

    private static Map<String, String> properties(Dictionary<String, Object> properties) {
        Map<String, String> values = new TreeMap<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                if (!BOOK_KEEPING.contains(key)) {
                    values.put(key, text(properties.get(key)));
                }
            }
        }
        return values;
    }

    private static String text(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.toString(boxed(value));
        }
        return String.valueOf(value);
    }

    private static Object[] boxed(Object primitiveArray) {
        int length = Array.getLength(primitiveArray);
        Object[] boxed = new Object[length];
        for (int i = 0; i < length; i++) {
            boxed[i] = Array.get(primitiveArray, i);
        }
        return boxed;
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    private Configuration[] list(String filter) {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("the configurations cannot be listed", e);
        }
    }
}
