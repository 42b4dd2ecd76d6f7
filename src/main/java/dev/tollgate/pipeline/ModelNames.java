package dev.tollgate.pipeline;

import java.util.regex.Pattern;

/**
 * Whether a provider's model name pins a dated snapshot ({@code gpt-4o-2024-08-06}, {@code claude-3-5-sonnet-20241022},
 * {@code gemini-1.5-pro-002}, {@code gpt-4-0613}) or is a floating alias the provider may repoint at any time
 * ({@code gpt-4o}, {@code claude-3-5-sonnet-latest}). A policy may replace the rule with its own pattern
 * ({@code risk.pinnedModels}), matched against the whole name.
 */
public final class ModelNames {

    /** A date (2024-08-06, 20241022) or a short version number (-002, -0613) at the end of the name. */
    public static final String DEFAULT_PINNED = ".*(\\d{4}-\\d{2}-\\d{2}|[-@]\\d{8}|-\\d{3,4})";

    private static final Pattern DEFAULT = Pattern.compile(DEFAULT_PINNED);

    private ModelNames() {
    }

    public static boolean isPinned(String model, String pattern) {
        if (model == null || model.isBlank()) {
            return false;
        }
        Pattern rule = pattern == null ? DEFAULT : Pattern.compile(pattern);
        return rule.matcher(model.strip()).matches();
    }
}
