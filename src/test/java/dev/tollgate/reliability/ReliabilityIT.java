package dev.tollgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite at CI scale (docs/reliability.md): a restart at every wait state, double votes,
 * timers across a kill, SIGKILLs and database crashes under load, and a Kafka outage. Nothing lost, nothing
 * invented, nothing applied twice, nothing stuck, no success for a change that did not commit.
 */
class ReliabilityIT {

    @Test
    void underKillsCrashesAndOutagesNothingIsLostInventedDoubledOrStuck() throws Exception {
        List<Figures> figures = ReliabilitySuite.run(Scale.CI);

        assertThat(figures).hasSize(6).allSatisfy(f -> assertThat(f.clean()).as(f.line()).isTrue());
    }
}
