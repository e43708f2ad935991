package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.policy.Requirement;

class PolicyDocumentTest {

    private static final String GOOD_RULE = "{\"id\":\"members\",\"roles\":[\"MEMBER\"],\"actions\":[\"OPEN_SESSION\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]}";

    /** Every refusal names the JSON pointer of what is wrong. */
    private static void refused(String pointer, String document) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> PolicyDocument.parse(document));
        assertEquals(pointer, refused.field(), refused.getMessage());
    }

    private static String rules(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    @Test
    void aFullRuleIsRead() {
        PolicyDocument document = PolicyDocument.parse("{\"rules\":[{\"id\":\"open-session-members\","
                + "\"roles\":[\"MEMBER\"],\"actions\":[\"OPEN_SESSION\",\"RENEW_SESSION\"],\"resources\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"OS_POSTURE_ACCEPTABLE\"],\"mode\":\"enforce\","
                + "\"onMissing\":\"STEP_UP\",\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}}],\"default\":\"DENY\"}");
        PolicyRule rule = document.rules().get(0);
        assertEquals("open-session-members", rule.id());
        assertTrue(rule.stepUp());
        assertEquals(Map.of(Requirement.OS_POSTURE_ACCEPTABLE, 7), rule.graceDays());
        assertTrue(rule.resources().isEmpty(), "\"*\" is every resource category");
    }

    @Test
    void theBuiltInPolicyIsValid() {
        assertEquals(1, PolicyDocument.parse(PolicyDocument.BUILT_IN).rules().size());
    }

    @Test
    void malformedDocumentsAreRefusedAtTheRoot() {
        refused("", "");
        refused("", "not json");
        refused("", "[1]");
        refused("", "{\"rules\":[" + GOOD_RULE + "]} trailing");
        refused("", "{\"rules\":[], \"rules\":[]}");
    }

    @Test
    void documentFieldsAreChecked() {
        refused("/rules", "{}");
        refused("/rules", "{\"rules\":[]}");
        refused("/rules", "{\"rules\":{}}");
        refused("/colour", "{\"rules\":[" + GOOD_RULE + "],\"colour\":\"red\"}");
        refused("/default", "{\"rules\":[" + GOOD_RULE + "],\"default\":\"ALLOW\"}");
    }

    @Test
    void ruleFieldsAreChecked() {
        refused("/rules/0", rules("1"));
        refused("/rules/0/id", rules("{\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]}"));
        refused("/rules/0/id", rules(GOOD_RULE.replace("members\"", "no spaces allowed\"")));
        refused("/rules/1/id", rules(GOOD_RULE, GOOD_RULE));
        refused("/rules/0/priority", rules(GOOD_RULE.replace("{\"id\"", "{\"priority\":1,\"id\"")));
        refused("/rules/0/roles", rules(GOOD_RULE.replace("\"roles\":[\"MEMBER\"],", "")));
        refused("/rules/0/roles", rules(GOOD_RULE.replace("[\"MEMBER\"]", "[]")));
        refused("/rules/0/roles/0", rules(GOOD_RULE.replace("[\"MEMBER\"]", "[\"member\"]")));
        refused("/rules/0/roles/1", rules(GOOD_RULE.replace("[\"MEMBER\"]", "[\"MEMBER\",\"MEMBER\"]")));
        refused("/rules/0/roles", rules(GOOD_RULE.replace("[\"MEMBER\"]", "[\"MEMBER\",\"*\"]")));
        refused("/rules/0/actions/0", rules(GOOD_RULE.replace("OPEN_SESSION", "DELETE_EVERYTHING")));
        refused("/rules/0/resources/0", rules(GOOD_RULE.replace("{\"id\"", "{\"resources\":[\"Bad Name\"],\"id\"")));
    }

    @Test
    void requirementsAreChecked() {
        refused("/rules/1/require/0", rules(GOOD_RULE, GOOD_RULE.replace("members", "second")
                .replace("[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]", "[\"FACE_SCAN\",\"MEMBER_ACTIVE\"]")));
        refused("/rules/0/require/1", rules(GOOD_RULE.replace("\"DEVICE_TRUSTED\"", "\"MEMBER_ACTIVE\"")));
        refused("/rules/0/require", rules(GOOD_RULE.replace("\"MEMBER_ACTIVE\",", "")));
        refused("/rules/0/require", rules(GOOD_RULE.replace("[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]", "[]")));
    }

    @Test
    void noOpenFindingIsRefusedWhileNothingRecordsFindings() {
        // It could only ever pass: a requirement that silently passes is worse than none.
        refused("/rules/0/require/2",
                rules(GOOD_RULE.replace("\"DEVICE_TRUSTED\"]", "\"DEVICE_TRUSTED\",\"NO_OPEN_FINDING\"]")));
        refused("/rules/1/require/1", rules(GOOD_RULE, GOOD_RULE.replace("members", "trial").replace("{\"id\"",
                "{\"mode\":\"report-only\",\"id\"").replace("\"DEVICE_TRUSTED\"]", "\"NO_OPEN_FINDING\"]")));
    }

    @Test
    void modesAndStepUpAreChecked() {
        refused("/rules/0/mode", rules(GOOD_RULE.replace("{\"id\"", "{\"mode\":\"audit\",\"id\"")));
        refused("/rules/0/mode", rules(GOOD_RULE.replace("{\"id\"", "{\"mode\":true,\"id\"")));
        refused("/rules/0/onMissing", rules(GOOD_RULE.replace("{\"id\"", "{\"onMissing\":\"ALLOW\",\"id\"")));
        // Neither MEMBER_ACTIVE nor DEVICE_TRUSTED can be proved by the device: a step-up would never help.
        refused("/rules/0/onMissing", rules(GOOD_RULE.replace("{\"id\"", "{\"onMissing\":\"STEP_UP\",\"id\"")));
        refused("/rules", rules(GOOD_RULE.replace("{\"id\"", "{\"mode\":\"report-only\",\"id\"")));
    }

    @Test
    void graceIsOnlyForDriftingComplianceTheRuleRequires() {
        String posture = GOOD_RULE.replace("\"DEVICE_TRUSTED\"]", "\"DEVICE_TRUSTED\",\"OS_POSTURE_ACCEPTABLE\","
                + "\"HARDWARE_KEY_VERIFIED\"]");
        refused("/rules/0/graceDays/HARDWARE_KEY_VERIFIED",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"HARDWARE_KEY_VERIFIED\":3},\"id\"")));
        refused("/rules/0/graceDays/MANAGED_DEVICE_COMPLIANT",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"MANAGED_DEVICE_COMPLIANT\":3},\"id\"")));
        refused("/rules/0/graceDays/OS_POSTURE_ACCEPTABLE",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":0},\"id\"")));
        refused("/rules/0/graceDays/OS_POSTURE_ACCEPTABLE",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":1.5},\"id\"")));
        refused("/rules/0/graceDays/OS_POSTURE_ACCEPTABLE",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":91},\"id\"")));
        refused("/rules/0/graceDays/PATCH~1AGE",
                rules(posture.replace("{\"id\"", "{\"graceDays\":{\"PATCH/AGE\":3},\"id\"")));
    }
}
