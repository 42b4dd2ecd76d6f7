package dev.tollgate.shared;

import java.net.URI;
import java.net.URISyntaxException;

/** The one check of a URL Tollgate stores to point at or call: http or https, with a host, at most 2048 characters. */
public final class WebUrls {

    public static final int MAX = 2048;

    private WebUrls() {
    }

    /** Why {@code url} (not blank) is not such a URL, or null when it is. */
    public static String problem(String url) {
        if (url.length() > MAX) {
            return "must be at most " + MAX + " characters";
        }
        try {
            URI uri = new URI(url.strip());
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                return "must be an http or https URL";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
    }
}
