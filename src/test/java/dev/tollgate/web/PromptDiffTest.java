package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptDiffTest {

    private static List<String> rendered(String before, String after) {
        return PromptDiff.lines(before, after).stream().map(l -> l.marker() + l.text()).toList();
    }

    @Test
    void unchangedLinesStayAndEditsShowAsRemovedThenAdded() {
        assertThat(rendered("a\nb\nc", "a\nB\nc\nd")).containsExactly(" a", "−b", "+B", " c", "+d");
    }

    @Test
    void emptyBeforeIsAllAdded() {
        assertThat(rendered("", "x\ny")).containsExactly("+x", "+y");
    }

    @Test
    void settingsAreComparedOneByOneAndIdenticalPromptsSaySo() {
        Map<String, Object> before = Map.of("template", "t", "provider", "openai", "model", "m1",
                "parameters", Map.of("temperature", 0.3, "top_p", 1));
        Map<String, Object> after = Map.of("template", "t", "provider", "openai", "model", "m2",
                "parameters", Map.of("temperature", 0.3, "max_tokens", 200));
        PromptDiff diff = PromptDiff.of("6", before, after);
        assertThat(diff.settings()).extracting(PromptDiff.Setting::name, PromptDiff.Setting::changed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("provider", false),
                org.assertj.core.groups.Tuple.tuple("model", true),
                org.assertj.core.groups.Tuple.tuple("parameters.max_tokens", true),
                org.assertj.core.groups.Tuple.tuple("parameters.temperature", false),
                org.assertj.core.groups.Tuple.tuple("parameters.top_p", true));
        assertThat(diff.identical()).isFalse();
        assertThat(PromptDiff.of("6", before, before).identical()).isTrue();
    }
}
