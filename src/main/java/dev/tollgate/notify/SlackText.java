package dev.tollgate.notify;

import com.fasterxml.jackson.databind.JsonNode;

/** One line for a Slack-compatible incoming webhook: what happened, to what, and why. */
final class SlackText {

    private SlackText() {
    }

    static String of(String type, JsonNode data) {
        String what = type.startsWith("dev.tollgate.") ? type.substring("dev.tollgate.".length()) : type;
        StringBuilder text = new StringBuilder("Tollgate: *").append(what).append('*');
        if (data.hasNonNull("kind") && data.hasNonNull("name")) {
            text.append(" — ").append(data.path("kind").asText()).append(' ').append(data.path("name").asText());
            if (data.hasNonNull("version")) {
                text.append(' ').append(data.path("version").asText());
            }
        }
        String reason = data.hasNonNull("reason") ? data.path("reason").asText() : null;
        if (reason != null && !reason.isBlank()) {
            text.append(": ").append(reason);
        }
        return escaped(text.toString());
    }

    /** Slack's control characters, so that a reason can neither mention everyone nor forge a link. */
    static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
