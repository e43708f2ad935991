package io.enigm.server.audit.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
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
 * keys it changed. A key whose name suggests a secret (password, secret, token, key, credential) or a
 * URL (whose path or query may carry a receiver's credential) is named without its values; other values are recorded, cut to {@value #MAX_VALUE} characters.
 */
final class ConfigurationSnapshots {

    static final int MAX_VALUE = 200;
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|passwd|secret|token|key|credential|private|url|uri).*");
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
            changes.add(SECRET.matcher(key).matches() ? AuditChange.withheld(key)
                    : new AuditChange(key, cut(was), cut(is)));
        }
        return changes;
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
