package dev.tollgate.pipeline;

/**
 * One gate's verdict with the inputs it saw, so that the UI and the audit can show exactly why.
 *
 * @param gate     SUITE, THRESHOLD or REGRESSION
 * @param metric   the metric (or, for SUITE, the suite) checked
 * @param value    the candidate's value; null when missing
 * @param operator MIN, MAX, MAX_DECREASE, MAX_INCREASE or REPORTED
 * @param bound    the limit the value was held to (absolute, or the tolerance for regressions)
 * @param baseline the production version's value, for regressions
 */
public record GateCheck(String gate, String metric, Double value, String operator, Double bound, Double baseline,
                        boolean passed, String detail) {

    public static final String SUITE = "SUITE";
    public static final String THRESHOLD = "THRESHOLD";
    public static final String REGRESSION = "REGRESSION";
}
