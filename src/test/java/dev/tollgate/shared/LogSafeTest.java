package dev.tollgate.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void lineBreaksAndControlCharactersCannotForgeALogLine() {
        assertThat(LogSafe.of("id\n2026-12-03 ERROR forged\r\u0000"))
                .isEqualTo("id\\u000a2026-12-03 ERROR forged\\u000d\\u0000")
                .doesNotContain("\n", "\r");
    }

    @Test
    void longValuesAreCutWithTheirLength() {
        String cut = LogSafe.of("x".repeat(300));
        assertThat(cut).startsWith("x".repeat(LogSafe.MAX)).endsWith("...(300 chars)");
    }

    @Test
    void unpairedSurrogatesAreEscapedAndPairsKept() {
        assertThat(LogSafe.of("a\ud800b\ud83d\ude00")).isEqualTo("a\\ud800b\ud83d\ude00");
    }

    @Test
    void nullIsWrittenAsNull() {
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}
