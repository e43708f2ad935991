package io.enigm.server.console.internal;

import java.util.Map;

import org.owasp.encoder.Encode;

/**
 * The few pieces of HTML the Enigm console pages are made of, in the console's own style
 * ({@code nicetable}, {@code statline}). Every value is escaped here; only {@link Markup} made by
 * these methods passes through as it is, so a page cannot print a value unescaped by forgetting to.
 */
final class Html {

    /** What is shown for a value that does not exist (yet). */
    static final String NONE = "—";

    private Html() {
    }

    /** HTML that these methods made, so safe to print as it is. */
    record Markup(String html) {
        @Override
        public String toString() {
            return html;
        }
    }

    /** A value as text: escaped, {@link #NONE} for {@code null}. */
    static String text(Object value) {
        return value == null ? NONE : Encode.forHtml(String.valueOf(value));
    }

    /** A line of text above or below a table. */
    static String statline(String text) {
        return "<p class='statline'>" + text(text) + "</p>";
    }

    /**
     * The notice a page's POST redirected to, by name ({@code ?notice=...}): one of the page's fixed
     * texts, so a link cannot put words of its own on the operator's page; empty for any other name.
     */
    static String notice(Map<String, String> notices, String name) {
        String notice = name == null ? null : notices.get(name);
        return notice == null ? "" : statline(notice);
    }

    /** The start of a table with these column headings, up to its body. */
    static String tableStart(String... headings) {
        StringBuilder html = new StringBuilder("<table class='nicetable'><thead><tr>");
        for (String heading : headings) {
            html.append("<th>").append(text(heading)).append("</th>");
        }
        return html.append("</tr></thead><tbody>").toString();
    }

    static String tableEnd() {
        return "</tbody></table>";
    }

    /** A row: each cell escaped, unless it is {@link Markup}. */
    static String row(Object... cells) {
        StringBuilder html = new StringBuilder("<tr>");
        for (Object cell : cells) {
            html.append("<td>").append(cell instanceof Markup markup ? markup.html() : text(cell)).append("</td>");
        }
        return html.append("</tr>").toString();
    }

    /**
     * A button that posts {@code fields} to the page itself; the console's login refuses such a post
     * unless it comes from the console's own origin ({@link SameOrigin}).
     */
    static Markup postButton(String label, Map<String, String> fields) {
        StringBuilder html = new StringBuilder("<form method='post'>");
        fields.forEach((name, value) -> html.append("<input type='hidden' name='").append(Encode.forHtmlAttribute(name))
                .append("' value='").append(Encode.forHtmlAttribute(value)).append("'>"));
        return new Markup(html.append("<button type='submit'>").append(text(label)).append("</button></form>")
                .toString());
    }

    /** A link to the page itself with one query parameter. */
    static Markup link(String label, String parameter, String value) {
        return new Markup("<a href='?" + Encode.forHtmlAttribute(Encode.forUriComponent(parameter) + "="
                + Encode.forUriComponent(value)) + "'>" + text(label) + "</a>");
    }
}
