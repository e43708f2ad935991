package io.enigm.server.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HtmlTest {

    private static final String HOSTILE = "<script>alert('x')</script>\"&";

    @Test
    void everyValueIsEscapedWhereverItIsPrinted() {
        String row = Html.row(HOSTILE, null, 42);
        String table = Html.tableStart(HOSTILE);
        String statline = Html.statline(HOSTILE);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jar", "a' onclick='evil()");
        String button = Html.postButton(HOSTILE, fields).html();
        String link = Html.link(HOSTILE, "after", "x' onmouseover='evil()&y=<z>").html();

        for (String html : new String[] {row, table, statline, button, link}) {
            assertFalse(html.contains("<script>"), "no markup of a value survives: " + html);
        }
        assertTrue(row.contains("&lt;script&gt;") && row.contains("<td>" + Html.NONE + "</td>")
                && row.contains("<td>42</td>"), row);
        assertFalse(button.contains("a' onclick"), "an attribute value cannot end its quotes: " + button);
        assertTrue(button.startsWith("<form method='post'>"), "a state change is a POST: " + button);
        assertEquals("<a href='?after=x%27%20onmouseover%3D%27evil%28%29%26y%3D%3Cz%3E'>"
                + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;&amp;</a>", link, "a link's value is one parameter");
    }

    @Test
    void aNoticeIsOneOfThePagesOwnTextsNeverWordsFromTheLink() {
        Map<String, String> notices = Map.of("done", "It is done.");

        assertEquals("<p class='statline'>It is done.</p>", Html.notice(notices, "done"));
        for (String name : new String[] {null, "", "It is done.", "<script>alert(1)</script>"}) {
            assertEquals("", Html.notice(notices, name), String.valueOf(name));
        }
    }

    @Test
    void onlyMarkupMadeHerePassesThroughARowUnescaped() {
        Html.Markup button = Html.postButton("Verify now", Map.of("action", "verify"));

        String row = Html.row(button, button.html());

        assertTrue(row.startsWith("<tr><td><form method='post'>"), row);
        assertTrue(row.contains("<td>&lt;form method="), "the same HTML as a plain string is only text: " + row);
    }
}
