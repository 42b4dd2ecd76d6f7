package dev.tollgate.web;

import dev.tollgate.events.EventTypes;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write times and numbers: UTC to the minute (the full instant is in the datetime attribute). */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String at(Instant instant) {
        return instant == null ? "—" : MINUTE.format(instant);
    }

    /** An event type without the CloudEvents namespace: {@code dev.tollgate.promotion.approved} reads {@code approved}. */
    static String event(String type) {
        if (type == null) {
            return "";
        }
        return type.startsWith(EventTypes.PROMOTION_PREFIX) ? type.substring(EventTypes.PROMOTION_PREFIX.length()) : type;
    }

    /** A vote's decision as the votes list says it: {@code ROLL_BACK} reads {@code rolled back}. */
    static String decision(String decision) {
        return switch (decision == null ? "" : decision) {
            case "APPROVE" -> "approved";
            case "REJECT" -> "rejected";
            case "KEEP" -> "kept";
            case "ROLL_BACK" -> "rolled back";
            default -> words(decision);
        };
    }

    /** A "keep or roll back" task's status in the words of its decisions. */
    static String keepOrRollBack(String status) {
        return switch (status == null ? "" : status) {
            case "APPROVED" -> "kept";
            case "REJECTED" -> "rolled back";
            default -> words(status);
        };
    }

    /** Why a re-evaluation started, in words. */
    static String trigger(String trigger) {
        return switch (trigger == null ? "" : trigger) {
            case "PROVIDER_CHANGE" -> "the provider answered with another model or fingerprint";
            case "ALIAS_CHANGE" -> "the floating model alias resolves to another snapshot";
            case "DRIFT" -> "drift beyond its bound, or a firing alert";
            case "SCHEDULE" -> "the pipeline's schedule";
            case "VERIFICATION" -> "a signal beyond its bound inside the verification window";
            default -> words(trigger);
        };
    }

    /** What follows a re-evaluation's verdict, in words. */
    static String reaction(String reaction) {
        return switch (reaction == null ? "" : reaction) {
            case "NONE" -> "none: accepted quietly";
            case "ASK" -> "people decide: keep or roll back";
            case "ROLL_BACK" -> "automatic rollback";
            default -> words(reaction);
        };
    }

    /** What a signal led to, in words. */
    static String outcome(String outcome) {
        return switch (outcome == null ? "" : outcome) {
            case "REEVALUATION_STARTED" -> "started a re-evaluation";
            case "MERGED" -> "joined the re-evaluation under way";
            case "VERIFICATION_FAILED" -> "failed the release's verification";
            case "BASELINE_RECORDED" -> "recorded as the baseline";
            default -> words(outcome);
        };
    }

    /** An enum constant in lower case words: {@code AWAITING_DECISION} reads {@code awaiting decision}. */
    static String words(String constant) {
        return constant == null ? "—" : constant.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** A metric value: up to four decimals, no trailing zeros. */
    static String number(Double value) {
        if (value == null) {
            return "—";
        }
        String text = String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
