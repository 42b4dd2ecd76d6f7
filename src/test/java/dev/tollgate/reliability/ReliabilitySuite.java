package dev.tollgate.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The reliability suite (docs/reliability.md): the packaged Tollgate, a real PostgreSQL and a real Kafka,
 * and the faults of issue 10, each measured. {@code mvn -Preliability} runs it at full scale (about 20
 * minutes on two cores); {@code ReliabilityIT} runs the same scenarios at CI scale in every build. It prints one
 * RELIABILITY line per scenario, writes {@code target/reliability/report.md}, and exits non-zero when a
 * count that must be zero is not.
 */
public final class ReliabilitySuite {

    private ReliabilitySuite() {
    }

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.named(System.getProperty("tollgate.reliability.scale", "full"));
        List<Figures> figures = run(scale);
        boolean clean = figures.stream().allMatch(Figures::clean);
        System.out.println(clean ? "[reliability] every count that must be zero is zero"
                : "[reliability] FAILED: a count that must be zero is not; see above");
        System.exit(clean ? 0 : 1);
    }

    static List<Figures> run(Scale scale) throws Exception {
        Instant started = Instant.now();
        List<Figures> figures = new ArrayList<>();
        try (Harness harness = new Harness()) {
            Scenarios scenarios = new Scenarios(harness, scale);
            figures.add(report(scenarios.restartAtEveryWaitState()));
            figures.add(report(scenarios.doubleVotes()));
            figures.add(report(scenarios.timersAcrossAKill()));
            figures.add(report(scenarios.killedApplication()));
            figures.add(report(scenarios.stoppedDatabase()));
            figures.add(report(scenarios.kafkaOutage()));
        }
        write(scale, figures, Duration.between(started, Instant.now()));
        return figures;
    }

    private static Figures report(Figures figures) {
        System.out.println(figures.line());
        return figures;
    }

    private static void write(Scale scale, List<Figures> figures, Duration took) throws Exception {
        StringBuilder md = new StringBuilder("# Reliability suite, " + scale.name() + " scale, " + Instant.now() + "\n\n");
        md.append("Took ").append(took.toSeconds()).append(" s.\n\n");
        md.append("| Scenario | Trials | Faults | Lost | Phantom | Duplicate | Stuck | 2xx not committed | Other |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Figures f : figures) {
            StringBuilder other = new StringBuilder();
            f.notes().forEach((k, v) -> other.append(other.isEmpty() ? "" : ", ").append(k.replace("must be 0: ", ""))
                    .append(' ').append(v));
            md.append("| ").append(f.scenario()).append(" | ").append(f.trials()).append(" | ").append(f.faults())
                    .append(" | ").append(f.lost()).append(" | ").append(f.phantom()).append(" | ").append(f.duplicate())
                    .append(" | ").append(f.stuck()).append(" | ").append(f.falseSuccess()).append(" | ").append(other)
                    .append(" |\n");
        }
        Path out = Path.of("target", "reliability", "report-" + scale.name() + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println("[reliability] report written to " + out.toAbsolutePath());
    }
}
