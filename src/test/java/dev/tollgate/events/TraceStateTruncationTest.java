package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tracestate longer than an event can store is cut as W3C Trace Context describes, never refused. */
class TraceStateTruncationTest {

    @Test
    void aShortTracestateIsKeptAsItIs() {
        assertThat(TraceContext.truncated("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")).isEqualTo(
                "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(TraceContext.truncated(null)).isNull();
    }

    @Test
    void entriesOver128CharactersGoFirstThenTheLastOnesUntilItFits() {
        List<String> entries = new ArrayList<>();
        entries.add("big=" + "x".repeat(200));
        for (int i = 0; i < 32; i++) {
            entries.add("v" + i + "=" + "y".repeat(20));
        }
        String state = String.join(",", entries);

        String cut = TraceContext.truncated(state);

        assertThat(cut.length()).isLessThanOrEqualTo(TraceContext.MAX_TRACESTATE);
        assertThat(cut).doesNotContain("big=").startsWith("v0=").doesNotContain("v31=");
        assertThat(state).startsWith("big=");
    }
}
