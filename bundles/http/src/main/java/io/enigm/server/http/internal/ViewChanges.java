package io.enigm.server.http.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.audit.AuditChange;

/**
 * What an update changed, for its audit record: the named fields of the answer's view before and
 * after, compared leaf by leaf ({@code visibility.memberDirectory}). Only fields a route names are
 * compared, so an identifier or a secret that a view may carry never reaches the audit.
 */
final class ViewChanges {

    private ViewChanges() {
    }

    static List<AuditChange> between(ObjectMapper json, Object before, Object after, List<String> fields) {
        Map<String, String> old = leaves(json.valueToTree(before), fields);
        Map<String, String> now = leaves(json.valueToTree(after), fields);
        List<AuditChange> changes = new ArrayList<>();
        for (String field : union(old, now)) {
            String was = old.get(field);
            String is = now.get(field);
            if (was == null ? is != null : !was.equals(is)) {
                changes.add(new AuditChange(field, was, is));
            }
        }
        return changes;
    }

    private static Iterable<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }

    private static Map<String, String> leaves(JsonNode view, List<String> fields) {
        Map<String, String> leaves = new TreeMap<>();
        for (String field : fields) {
            flatten(field, view.path(field), leaves);
        }
        return leaves;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> child = it.next();
                flatten(path + "." + child.getKey(), child.getValue(), into);
            }
        } else if (node.isArray()) {
            into.put(path, node.toString());
        } else if (!node.isMissingNode() && !node.isNull()) {
            into.put(path, node.asText());
        }
    }
}
