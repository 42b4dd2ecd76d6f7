package dev.tollgate.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A readable comparison of a PROMPT candidate with the version in production: the template line by
 * line (longest common subsequence, so moved or edited lines show as removed + added), and the
 * provider, model and each parameter side by side.
 */
public record PromptDiff(String productionVersion, List<Line> template, List<Setting> settings, boolean identical) {

    /** {@code kind} is {@code same}, {@code added} or {@code removed}. */
    public record Line(String kind, String text) {
        public String marker() {
            return switch (kind) {
                case "added" -> "+";
                case "removed" -> "−";
                default -> " ";
            };
        }
    }

    public record Setting(String name, String production, String candidate, boolean changed) {
    }

    /** Beyond this many lines a side, the template is shown as all-removed / all-added rather than compared. */
    static final int MAX_LINES = 2000;

    public static PromptDiff of(String productionVersion, Map<String, Object> production, Map<String, Object> candidate) {
        Map<String, Object> before = production == null ? Map.of() : production;
        Map<String, Object> after = candidate == null ? Map.of() : candidate;
        List<Line> lines = lines(text(before.get("template")), text(after.get("template")));
        List<Setting> settings = new ArrayList<>();
        settings.add(setting("provider", before.get("provider"), after.get("provider")));
        settings.add(setting("model", before.get("model"), after.get("model")));
        Map<?, ?> p0 = before.get("parameters") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> p1 = after.get("parameters") instanceof Map<?, ?> m ? m : Map.of();
        TreeSet<String> names = new TreeSet<>();
        p0.keySet().forEach(k -> names.add(k.toString()));
        p1.keySet().forEach(k -> names.add(k.toString()));
        for (String name : names) {
            settings.add(setting("parameters." + name, p0.get(name), p1.get(name)));
        }
        boolean identical = lines.stream().allMatch(l -> l.kind().equals("same"))
                && settings.stream().noneMatch(Setting::changed);
        return new PromptDiff(productionVersion, lines, settings, identical);
    }

    private static Setting setting(String name, Object before, Object after) {
        String b = before == null ? null : before.toString();
        String a = after == null ? null : after.toString();
        return new Setting(name, b, a, !Objects.equals(b, a));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    static List<Line> lines(String before, String after) {
        List<String> a = split(before);
        List<String> b = split(after);
        List<Line> out = new ArrayList<>();
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            a.forEach(line -> out.add(new Line("removed", line)));
            b.forEach(line -> out.add(new Line("added", line)));
            return out;
        }
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(new Line("same", a.get(i++)));
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                out.add(new Line("removed", a.get(i++)));
            } else {
                out.add(new Line("added", b.get(j++)));
            }
        }
        return out;
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? Collections.emptyList() : List.of(text.split("\r?\n", -1));
    }
}
