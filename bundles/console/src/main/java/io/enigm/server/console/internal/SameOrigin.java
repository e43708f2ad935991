package io.enigm.server.console.internal;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The Web Console's defence against cross-site request forgery. A browser sends an operator's
 * Basic credentials with any request to the console, including one a foreign page makes it send;
 * it also says where such a request comes from ({@code Origin}, or at least {@code Referer}) and
 * a page cannot forge those. So a request that may change something (any method but GET, HEAD and
 * OPTIONS) is accepted only when its {@code Origin} names the console's own host and port (the
 * {@code Host} it was sent to), or, without an {@code Origin}, its {@code Referer} does. A request
 * with neither is refused: scripts calling the console must send {@code Origin} themselves.
 */
final class SameOrigin {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private SameOrigin() {
    }

    /** Whether the console may act on {@code request}: it cannot change anything, or it comes from the console. */
    static boolean allows(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return true;
        }
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            return false;
        }
        String origin = request.getHeader("Origin");
        String source = origin != null ? origin : request.getHeader("Referer");
        return source != null && host.strip().toLowerCase(Locale.ROOT).equals(authority(source));
    }

    /** The host and port of an absolute http(s) URL, lower case; null when it is anything else (e.g. "null"). */
    private static String authority(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            if (uri.getRawAuthority() == null || uri.getRawUserInfo() != null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return null;
            }
            return uri.getRawAuthority().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
