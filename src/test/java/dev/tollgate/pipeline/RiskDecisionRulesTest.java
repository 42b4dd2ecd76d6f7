package dev.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.kogito.dmn.DMNKogito;

/**
 * The rules of {@code processes/risk.dmn}, one test per rule, evaluated by the KIE DMN engine without
 * starting the application. Each case starts from a candidate with no risk factor and turns one on.
 */
class RiskDecisionRulesTest {

    private static final String PII_CUSTOMER_FACING = "personal data in a customer-facing feature";
    private static final String PROVIDER_OR_MODEL = "the prompt's provider or model differs from production";
    private static final String DROP_OVER_5 = "a metric is more than 5% worse than production";
    private static final String DROP_OVER_2 = "a metric is more than 2% worse than production";
    private static final String CUSTOMER_FACING = "customer-facing";
    private static final String HANDLES_PII = "handles personal data";
    private static final String FIRST_RELEASE = "first release of this name";
    private static final String FLOATING_ALIAS =
            "the prompt's model is a floating alias (no dated snapshot): the provider can change it without notice";

    /** Nothing risky: not customer-facing, no personal data, not a first release, nothing worse, same provider and model. */
    private static final RiskDecision.Facts NONE = new RiskDecision.Facts(false, false, false, "NONE", false, 0.0, false, false);

    private static DMNRuntime runtime;
    private static DMNModel model;

    @BeforeAll
    static void loadTheModel() throws Exception {
        try (Reader dmn = new InputStreamReader(Objects.requireNonNull(
                RiskDecisionRulesTest.class.getClassLoader().getResourceAsStream("processes/risk.dmn")),
                StandardCharsets.UTF_8)) {
            runtime = DMNKogito.createGenericDMNRuntime(Set.of(), false, dmn);
        }
        model = runtime.getModel(RiskDecision.NAMESPACE, RiskDecision.NAME);
        assertThat(model).as("risk.dmn under its namespace and name").isNotNull();
        assertThat(model.hasErrors()).as("compilation messages: %s", model.getMessages()).isFalse();
    }

    @Test
    void personalDataInACustomerFacingFeatureIsHigh() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(true, true, false, "NONE", false, 0.0, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        // The two MEDIUM rules for each factor on its own apply too, and say so after the HIGH one.
        assertThat(outcome.reasons()).containsExactly(PII_CUSTOMER_FACING, CUSTOMER_FACING, HANDLES_PII);
    }

    @Test
    void aPromptWhoseProviderOrModelChangedIsHigh() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, false, false, "NONE", false, 0.0, true, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(outcome.reasons()).containsExactly(PROVIDER_OR_MODEL);
    }

    @Test
    void aMetricMoreThanFivePercentWorseThanProductionIsHigh() {
        RiskDecision.Outcome outcome = decide(drop(0.06));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(outcome.reasons()).as("the 2%% reason is not repeated").containsExactly(DROP_OVER_5);
    }

    @Test
    void aMetricMoreThanTwoPercentWorseThanProductionIsMedium() {
        RiskDecision.Outcome outcome = decide(drop(0.03));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(DROP_OVER_2);
    }

    @Test
    void aCustomerFacingFeatureIsMedium() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(true, false, false, "NONE", false, 0.0, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(CUSTOMER_FACING);
    }

    @Test
    void handlingPersonalDataIsMedium() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, true, false, "NONE", false, 0.0, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(HANDLES_PII);
    }

    @Test
    void aFirstReleaseOfTheNameIsMedium() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, false, false, "NONE", true, 0.0, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(FIRST_RELEASE);
    }

    @Test
    void aRegulatedUseIsHigh() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, false, true, "NONE", false, 0.0, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(outcome.reasons()).containsExactly("used where a regulation applies (credit, employment, health, …)");
    }

    @Test
    void actingAutonomouslyIsHighAndUnderSupervisionMedium() {
        RiskDecision.Outcome autonomous = decide(new RiskDecision.Facts(false, false, false, "AUTONOMOUS", false, 0.0,
                false, false));
        RiskDecision.Outcome supervised = decide(new RiskDecision.Facts(false, false, false, "SUPERVISED", false, 0.0,
                false, false));

        assertThat(autonomous.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(autonomous.reasons()).containsExactly("acts autonomously, with no person in the loop");
        assertThat(supervised.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(supervised.reasons()).containsExactly("acts on its own, under a person's supervision");
    }

    @Test
    void aPromptOnAFloatingModelAliasIsMedium() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, false, false, "NONE", false, 0.0, false, true));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(FLOATING_ALIAS);
    }

    @ParameterizedTest(name = "{0} pins a snapshot: {1}")
    @CsvSource({
            "gpt-4o-2024-08-06, true", "claude-3-5-sonnet-20241022, true", "claude-3-5-sonnet@20240620, true",
            "gemini-1.5-pro-002, true", "gpt-4-0613, true", "mistral-large-2407, true",
            "gpt-4o, false", "gpt-4o-mini, false", "claude-3-5-sonnet-latest, false", "gpt-4, false", "llama3.1:8b, false"
    })
    void aDatedSnapshotIsPinnedAndAnAliasFloats(String model, boolean pinned) {
        assertThat(ModelNames.isPinned(model, null)).isEqualTo(pinned);
    }

    @ParameterizedTest(name = "a metric {0} worse is {1}")
    @CsvSource({
            "-0.10, LOW,    ''",
            "0.00,  LOW,    ''",
            "0.02,  LOW,    ''",
            "0.0201, MEDIUM, " + DROP_OVER_2,
            "0.05,  MEDIUM, " + DROP_OVER_2,
            "0.0501, HIGH,  " + DROP_OVER_5,
    })
    void theDropThresholdsAreStrictlyMoreThanTwoAndFivePercent(double drop, RiskTier tier, String reason) {
        DMNResult result = evaluate(drop(drop));
        RiskDecision.Outcome outcome = RiskDecision.outcome(result);

        assertThat(outcome.tier()).isEqualTo(tier);
        assertThat(reasonsOf(result)).isEqualTo(reason.isEmpty() ? List.of() : List.of(reason));
    }

    @Test
    void noRuleAppliesSoTheTierIsLowWithNoReason() {
        DMNResult result = evaluate(NONE);

        assertThat(reasonsOf(result)).as("the DMN's reasons").isEmpty();
        RiskDecision.Outcome outcome = RiskDecision.outcome(result);
        assertThat(outcome.tier()).isEqualTo(RiskTier.LOW);
        assertThat(outcome.reasons()).as("what the events and the REST view show").containsExactly("no risk factor applies");
    }

    @Test
    void theHighestTierWinsAndEveryReasonIsListedInRuleOrder() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(true, true, false, "NONE", true, 0.10, true, true));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(outcome.reasons()).containsExactly(PII_CUSTOMER_FACING, PROVIDER_OR_MODEL, DROP_OVER_5,
                CUSTOMER_FACING, HANDLES_PII, FIRST_RELEASE, FLOATING_ALIAS);
    }

    @Test
    void oneHighFactorAmongMediumOnesMakesTheTierHigh() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(true, false, false, "NONE", true, 0.0, true, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(outcome.reasons()).containsExactly(PROVIDER_OR_MODEL, CUSTOMER_FACING, FIRST_RELEASE);
    }

    @Test
    void severalMediumFactorsStayMedium() {
        RiskDecision.Outcome outcome = decide(new RiskDecision.Facts(false, true, false, "NONE", true, 0.04, false, false));

        assertThat(outcome.tier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(outcome.reasons()).containsExactly(DROP_OVER_2, HANDLES_PII, FIRST_RELEASE);
    }

    private static RiskDecision.Facts drop(double worstRelativeDrop) {
        return new RiskDecision.Facts(false, false, false, "NONE", false, worstRelativeDrop, false, false);
    }

    private static RiskDecision.Outcome decide(RiskDecision.Facts facts) {
        return RiskDecision.outcome(evaluate(facts));
    }

    private static DMNResult evaluate(RiskDecision.Facts facts) {
        DMNContext context = runtime.newContext();
        facts.asMap().forEach(context::set);
        DMNResult result = runtime.evaluateAll(model, context);
        assertThat(result.hasErrors()).as("evaluation messages: %s", result.getMessages()).isFalse();
        return result;
    }

    private static List<?> reasonsOf(DMNResult result) {
        Object reasons = result.getDecisionResultByName("reasons").getResult();
        assertThat(reasons).as("reasons is always a list").isInstanceOf(List.class);
        return (List<?>) reasons;
    }
}
