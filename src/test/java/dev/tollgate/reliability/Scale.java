package dev.tollgate.reliability;

/**
 * How big each scenario is. {@link #FULL} is what issue 10 asks for and what docs/reliability.md reports;
 * {@link #CI} is the same scenarios small enough for every build.
 */
record Scale(String name, int killPromotions, int kills, int postgresPromotions, int postgresStops,
             int kafkaOutageSeconds, int kafkaOutagePromotions, int voteTrials, int timers, String timerPipeline) {

    static final Scale CI = new Scale("ci", 100, 4, 60, 2, 15, 20, 100, 100, "brisker");
    static final Scale FULL = new Scale("full", 1000, 20, 500, 10, 60, 60, 1000, 500, "brisk");

    static Scale named(String name) {
        return "full".equals(name) ? FULL : CI;
    }
}
