package io.enigm.server.policy.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Requirement;

/**
 * A policy document, parsed and checked against every rule of docs/policy.md. Anything the engine
 * would have to guess about is refused, with the JSON pointer of the offending value, so that what
 * an administrator stored is exactly what is enforced.
 *
 * @param rules     the rules in document order
 * @param canonical the document as stored: compact JSON with the administrator's field order
 */
record PolicyDocument(List<PolicyRule> rules, String canonical) {

    static final int MAX_DOCUMENT_CHARS = 65_536;
    static final int MAX_RULES = 200;
    static final int MAX_LIST = 32;
    static final int MAX_GRACE_DAYS = 90;

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ROLE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final String ANY = "*";
    private static final Set<String> DOCUMENT_FIELDS = Set.of("rules", "default", "description");
    private static final Set<String> RULE_FIELDS = Set.of("id", "description", "roles", "actions", "resources",
            "require", "mode", "onMissing", "graceDays");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The built-in policy (version 0) of an environment that has not put one: see docs/policy.md. */
    static final String BUILT_IN = "{\"rules\":[{\"id\":\"active-members-on-trusted-devices\","
            + "\"description\":\"Built-in: members with an active membership and a trusted device may do everything\","
            + "\"roles\":[\"*\"],\"actions\":[\"*\"],\"resources\":[\"*\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"],\"mode\":\"enforce\"}],\"default\":\"DENY\"}";

    static PolicyDocument parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("", "a policy document (a JSON object) is required");
        }
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new InvalidRequestException("", "must not exceed " + MAX_DOCUMENT_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message quotes the input; the location is enough to find the mistake.
            var location = e.getLocation();
            throw new InvalidRequestException("", "is not valid JSON" + (location == null ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("", "must be a JSON object");
        }
        knownFields(root, "", DOCUMENT_FIELDS);
        JsonNode fallback = root.get("default");
        if (fallback != null && !"DENY".equals(fallback.textValue())) {
            throw new InvalidRequestException("/default", "must be \"DENY\": what no rule allows is denied");
        }
        JsonNode description = root.get("description");
        if (description != null) {
            description(description, "/description");
        }
        JsonNode rulesNode = root.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            throw new InvalidRequestException("/rules", "is required: an array of rules");
        }
        if (rulesNode.isEmpty()) {
            throw new InvalidRequestException("/rules", "must hold at least one rule; an empty policy would deny"
                    + " everything, including every session");
        }
        if (rulesNode.size() > MAX_RULES) {
            throw new InvalidRequestException("/rules", "must hold at most " + MAX_RULES + " rules");
        }
        List<PolicyRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            PolicyRule rule = rule(rulesNode.get(i), "/rules/" + i);
            if (!ids.add(rule.id())) {
                throw new InvalidRequestException("/rules/" + i + "/id", "repeats the id of an earlier rule");
            }
            rules.add(rule);
        }
        if (rules.stream().allMatch(PolicyRule::reportOnly)) {
            throw new InvalidRequestException("/rules", "needs at least one enforce rule: report-only rules never"
                    + " grant access, so this policy would deny everything");
        }
        PolicyLimits.check(rules);
        return new PolicyDocument(List.copyOf(rules), root.toString());
    }

    private static PolicyRule rule(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new InvalidRequestException(at, "must be a JSON object");
        }
        knownFields(node, at, RULE_FIELDS);
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual() || !RULE_ID.matcher(idNode.textValue()).matches()) {
            throw new InvalidRequestException(at + "/id", "is required: letters, digits, '.', '_' or '-', at most 64");
        }
        if (node.has("description")) {
            description(node.get("description"), at + "/description");
        }
        Set<String> roles = names(node, at, "roles", ROLE, "an upper-case role name such as MEMBER, or \"*\"");
        Set<AccessAction> actions = actions(node, at);
        Set<String> resources = node.has("resources")
                ? names(node, at, "resources", RESOURCE, "a resource category such as message (lower case), or \"*\"")
                : Set.of();
        int required = requirements(node, at);
        boolean reportOnly = switch (optionalText(node, at, "mode", "enforce")) {
            case "enforce" -> false;
            case "report-only" -> true;
            default -> throw new InvalidRequestException(at + "/mode", "must be \"enforce\" or \"report-only\"");
        };
        boolean stepUp = switch (optionalText(node, at, "onMissing", "DENY")) {
            case "DENY" -> false;
            case "STEP_UP" -> true;
            default -> throw new InvalidRequestException(at + "/onMissing", "must be \"DENY\" or \"STEP_UP\"");
        };
        if (stepUp && (required & Requirements.STEP_UP_ABLE) == 0) {
            throw new InvalidRequestException(at + "/onMissing", "STEP_UP needs a requirement the device can still"
                    + " prove: " + Requirements.names(Requirements.STEP_UP_ABLE));
        }
        if (stepUp && reportOnly) {
            throw new InvalidRequestException(at + "/onMissing", "a report-only rule never answers, so it cannot"
                    + " ask for a step-up");
        }
        return new PolicyRule(idNode.textValue(), roles, actions, resources, required, reportOnly, stepUp,
                grace(node, at, required));
    }

    private static Set<String> names(JsonNode rule, String at, String field, Pattern pattern, String what) {
        JsonNode list = list(rule, at, field);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String pointer = at + "/" + field + "/" + i;
            if (!item.isTextual() || !(ANY.equals(item.textValue()) || pattern.matcher(item.textValue()).matches())) {
                throw new InvalidRequestException(pointer, "must be " + what);
            }
            if (!names.add(item.textValue())) {
                throw new InvalidRequestException(pointer, "is listed twice");
            }
        }
        if (names.contains(ANY)) {
            if (names.size() > 1) {
                throw new InvalidRequestException(at + "/" + field, "\"*\" already means every one; list it alone");
            }
            return Set.of();
        }
        return Set.copyOf(names);
    }

    private static Set<AccessAction> actions(JsonNode rule, String at) {
        JsonNode list = list(rule, at, "actions");
        if (list.size() == 1 && ANY.equals(list.get(0).textValue())) {
            return EnumSet.allOf(AccessAction.class);
        }
        Set<AccessAction> actions = EnumSet.noneOf(AccessAction.class);
        for (int i = 0; i < list.size(); i++) {
            AccessAction action = constant(AccessAction.class, list.get(i), at + "/actions/" + i,
                    "an action (" + List.of(AccessAction.values()) + "), or \"*\" alone");
            if (!actions.add(action)) {
                throw new InvalidRequestException(at + "/actions/" + i, "is listed twice");
            }
        }
        return actions;
    }

    private static int requirements(JsonNode rule, String at) {
        JsonNode list = list(rule, at, "require");
        int required = 0;
        for (int i = 0; i < list.size(); i++) {
            Requirement requirement = constant(Requirement.class, list.get(i), at + "/require/" + i,
                    "a requirement (" + List.of(Requirement.values()) + ")");
            if ((required & Requirements.bit(requirement)) != 0) {
                throw new InvalidRequestException(at + "/require/" + i, "is listed twice");
            }
            if (requirement == Requirement.NO_OPEN_FINDING) {
                // Nothing records security findings yet: the requirement could only ever pass, silently.
                throw new InvalidRequestException(at + "/require/" + i, "NO_OPEN_FINDING cannot be required yet:"
                        + " this server records no security findings, so nothing could ever fail it");
            }
            required |= Requirements.bit(requirement);
        }
        if ((required & Requirements.bit(Requirement.MEMBER_ACTIVE)) == 0) {
            throw new InvalidRequestException(at + "/require", "must include MEMBER_ACTIVE: a rule without it would"
                    + " admit suspended and removed members");
        }
        return required;
    }

    private static Map<Requirement, Integer> grace(JsonNode rule, String at, int required) {
        JsonNode node = rule.get("graceDays");
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(at + "/graceDays", "must be an object of requirement to days");
        }
        Map<Requirement, Integer> grace = new EnumMap<>(Requirement.class);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String pointer = at + "/graceDays/" + escape(field.getKey());
            Requirement requirement;
            try {
                requirement = Requirement.valueOf(field.getKey());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(pointer, "is not a requirement");
            }
            if ((Requirements.GRACE_ABLE & Requirements.bit(requirement)) == 0) {
                throw new InvalidRequestException(pointer, "no grace period applies to " + requirement
                        + "; only to " + Requirements.names(Requirements.GRACE_ABLE));
            }
            if ((required & Requirements.bit(requirement)) == 0) {
                throw new InvalidRequestException(pointer, "the rule does not require " + requirement);
            }
            JsonNode days = field.getValue();
            if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 1
                    || days.intValue() > MAX_GRACE_DAYS) {
                throw new InvalidRequestException(pointer, "must be a whole number of days from 1 to "
                        + MAX_GRACE_DAYS);
            }
            grace.put(requirement, days.intValue());
        }
        return Map.copyOf(grace);
    }

    private static JsonNode list(JsonNode rule, String at, String field) {
        JsonNode list = rule.get(field);
        if (list == null || !list.isArray()) {
            throw new InvalidRequestException(at + "/" + field, "is required: an array");
        }
        if (list.isEmpty()) {
            throw new InvalidRequestException(at + "/" + field, "must not be empty");
        }
        if (list.size() > MAX_LIST) {
            throw new InvalidRequestException(at + "/" + field, "must hold at most " + MAX_LIST + " entries");
        }
        return list;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode node, String pointer, String what) {
        if (node.isTextual()) {
            try {
                return Enum.valueOf(type, node.textValue());
            } catch (IllegalArgumentException e) {
                // falls through to the refusal below
            }
        }
        throw new InvalidRequestException(pointer, "must be " + what);
    }

    private static String optionalText(JsonNode node, String at, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(at + "/" + field, "must be a string");
        }
        return value.textValue();
    }

    private static void description(JsonNode node, String pointer) {
        if (!node.isTextual() || node.textValue().length() > 500) {
            throw new InvalidRequestException(pointer, "must be a string of at most 500 characters");
        }
    }

    private static void knownFields(JsonNode node, String at, Set<String> known) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw new InvalidRequestException(at + "/" + escape(name), "is not a field of "
                        + (at.isEmpty() ? "a policy" : "a rule") + "; known: " + known.stream().sorted().toList());
            }
        }
    }

    /** RFC 6901: a key becomes one reference token. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
