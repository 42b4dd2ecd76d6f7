package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.candidate.Kind;
import dev.tollgate.freeze.FreezeWindow;
import dev.tollgate.freeze.Freezes;
import dev.tollgate.freeze.ProductionStop;
import dev.tollgate.inventory.Autonomy;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.inventory.InventoryEntry;
import dev.tollgate.inventory.InventoryEntryView;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.watch.SignalValidator;
import dev.tollgate.watch.ValidSignal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event record, serialized the way the outbox writes it, validates against its message's JSON Schema
 * in docs/asyncapi.yaml (which refuses fields it does not name); the document describes exactly the
 * event types the code has; and a signal as monitors publish it fits the document as it fits Tollgate's validation.
 */
class EventSchemaTest {

    private static final Path DOCUMENT = Path.of(System.getProperty("tollgate.project.dir",
            System.getProperty("user.dir"))).resolve("docs/asyncapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PromotionPayload.Subject SUBJECT = new PromotionPayload.Subject(
            "9d35f364-2e64-4c91-b980-1b0686848996", "PROMPT", "support-reply", "2.1.0",
            "sha256:" + "ab".repeat(32), null, "prompt", "sha256:" + "cd".repeat(32));
    private static final String TASK = "5b0e8f0c-6a53-4f0e-9d1c-0d1e2f3a4b5c";
    private static final String REEVALUATION = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static final List<PromotionEvent.Comparison> COMPARISON = List.of(
            new PromotionEvent.Comparison("accuracy", 0.94, 0.93), new PromotionEvent.Comparison("latency_ms", 40.0, null));
    private static final List<PromotionEvent.Gate> GATES = List.of(
            new PromotionEvent.Gate("SUITE", "safety", null, "REPORTED", null, null, true),
            new PromotionEvent.Gate("THRESHOLD", "accuracy", 0.93, "MIN", 0.9, null, true),
            new PromotionEvent.Gate("REGRESSION", "accuracy", 0.93, "MAX_DECREASE", 0.02, 0.94, true));

    private static JsonNode document;

    @BeforeAll
    static void readDocument() throws Exception {
        document = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    /** One instance of every record, and of every variant a record has. */
    static Stream<PromotionEvent> everyEvent() {
        return Stream.of(
                new PromotionEvent.Submitted(),
                new PromotionEvent.EvaluationStarted(List.of("safety", "quality")),
                new PromotionEvent.EvaluationPassed(GATES),
                PromotionEvent.EvaluationFailed.gatesFailed(GATES),
                PromotionEvent.EvaluationFailed.timedOut(List.of("safety")),
                new PromotionEvent.RiskAssessed("HIGH", List.of("handles personal data"),
                        Map.of("customerFacing", true, "worstRelativeDrop", 0.01), List.of()),
                new PromotionEvent.RiskAssessed("HIGH", List.of("handles personal data"),
                        Map.of("customerFacing", true), List.of("customer_facing")),
                PromotionEvent.Deploying.to("staging"),
                PromotionEvent.Deploying.rollback("production", "2.0.0"),
                new PromotionEvent.Deployed("production", "prod-eu-1", "rollout succeeded"),
                new PromotionEvent.Deployed("staging", null, null),
                PromotionEvent.DeploymentFailed.of("staging", true),
                PromotionEvent.DeploymentFailed.ofRollback("production"),
                new PromotionEvent.ApprovalRequested(TASK, "MEDIUM", 2, List.of("approver", "risk-officer"), true,
                        "2026-12-05T09:00:00Z", null),
                new PromotionEvent.ApprovalRequested(TASK, "HIGH", 1, List.of("approver"), false,
                        "2026-12-05T09:00:00Z", REEVALUATION),
                new PromotionEvent.ApprovalReminder(TASK, "2026-12-05T09:00:00Z", 1, 2),
                new PromotionEvent.ApprovalGranted(TASK, "bob", null, 1, 2, null),
                new PromotionEvent.ApprovalGranted(TASK, "bob", "the new snapshot answers as well", 1, 1, REEVALUATION),
                PromotionEvent.Approved.byQuorum(TASK, List.of("bob", "rita")),
                PromotionEvent.Approved.byPolicy("LOW"),
                new PromotionEvent.Rejected("rita", false),
                new PromotionEvent.Promoted(null, null, new PromotionEvent.Attested("sha256:" + "ef".repeat(32),
                        "ed25519:0123456789abcdef")),
                new PromotionEvent.Promoted("2.0.0", true, null),
                PromotionEvent.Deploying.attested("production", Map.of("payloadType", "application/vnd.in-toto+json",
                        "payload", "eyJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIn0=",
                        "signatures", List.of(Map.of("keyid", "ed25519:0123456789abcdef", "sig", "c2ln")))),
                new PromotionEvent.Retired("2.1.0"),
                new PromotionEvent.RolledBack("2.0.0"),
                new PromotionEvent.Cancelled(),
                new PromotionEvent.DriftDetected("sig-1", "PROVIDER_CHANGE", "fingerprint changed", "serving log", null, null,
                        null, "openai", "gpt-4o-2024-08-06", "fp_b", "gpt-4o-2024-08-06", "fp_a"),
                new PromotionEvent.DriftDetected("am-1", "DRIFT", "psi = 0.31 is above 0.2", "alertmanager", "psi", 0.31,
                        0.2, null, null, null, null, null),
                new PromotionEvent.ReevaluationStarted(REEVALUATION, "PROVIDER_CHANGE", List.of("golden-set"),
                        "2026-12-05T21:00:00Z", "sha256:" + "ce".repeat(32)),
                new PromotionEvent.ReevaluationStarted(REEVALUATION, "VERIFICATION", List.of(), null,
                        "sha256:" + "ce".repeat(32)),
                new PromotionEvent.ReevaluationPassed(REEVALUATION, GATES, COMPARISON, "NONE"),
                new PromotionEvent.ReevaluationFailed(REEVALUATION, GATES, COMPARISON, null, null, "ROLL_BACK", "2.0.0"),
                new PromotionEvent.ReevaluationFailed(REEVALUATION, List.of(), List.of(), true, List.of("safety"), "ASK",
                        null),
                new PromotionEvent.ReevaluationFailed(REEVALUATION,
                        List.of(new PromotionEvent.Gate("VERIFICATION", "error_rate", 0.09, "BOUND", 0.05, null, false)),
                        List.of(), null, null, "ROLL_BACK", "2.0.0"),
                new PromotionEvent.ReevaluationFailed(REEVALUATION,
                        List.of(new PromotionEvent.Gate("VERIFICATION", "HighErrorRate", null, "ALERT", null, null, false)),
                        List.of(), null, null, "ASK", null),
                new PromotionEvent.ReevaluationDecided(REEVALUATION, "KEEP", List.of("bob"), null),
                new PromotionEvent.ReevaluationDecided(REEVALUATION, "ROLL_BACK", List.of("rita"), "2.0.0"),
                new PromotionEvent.ReevaluationDecided(REEVALUATION, "EXPIRED", List.of(), null),
                new PromotionEvent.ReevaluationEnded(REEVALUATION, "ALERT_RESOLVED"),
                new PromotionEvent.VerificationPassed("2026-12-05T09:00:00Z", "2026-12-05T11:00:00Z"),
                new PromotionEvent.VerificationFailed("sig-2", "error_rate", 0.09, 0.05, "ROLL_BACK", REEVALUATION),
                new PromotionEvent.VerificationFailed("am-2", "HighErrorRate", null, null, "ASK", REEVALUATION),
                new PromotionEvent.ProductionHeld("freeze window 'year-end' (every pipeline: year-end) until "
                        + "2027-01-04T07:00:00Z", "2027-01-04T07:00:00Z"),
                new PromotionEvent.ProductionHeld("the line is stopped (by rita: INC-4711)", null),
                new PromotionEvent.StagingSoaking("PT2H", "2026-12-05T11:00:00Z"),
                new PromotionEvent.BreakGlassUsed(REEVALUATION, "rita", List.of("QUORUM", "FREEZE"), "2026-12-06T09:00:00Z"),
                new PromotionEvent.BreakGlassReviewed(REEVALUATION, "admin", "ACCEPTED", "the outage needed it"),
                new PromotionEvent.BreakGlassEscalated(REEVALUATION, "2026-12-06T09:00:00Z", List.of("risk-officer", "admin")),
                new PromotionEvent.ApprovalReset(TASK, "6c1f9e0d-7b64-4a1f-8e2d-1e2f3a4b5c6d", List.of("bob"), "fairness",
                        "2026-12-05T09:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void everyPromotionEventValidatesAgainstItsSchema(PromotionEvent event) throws Exception {
        Map<String, Object> payload = PromotionPayload.of(SUBJECT, "RISK_REVIEW", "DEPLOYING_STAGING", "tollgate",
                "a reason", Instant.parse("2026-12-03T10:00:00Z"), event);
        assertValid(event.type(), JSON.readTree(JSON.writeValueAsString(payload)));
    }

    @Test
    void anAuditCheckpointValidatesAgainstItsSchema() throws Exception {
        AuditCheckpoint checkpoint = new AuditCheckpoint(1234, "5f".repeat(32), Instant.parse("2026-12-03T10:00:00Z"));
        assertValid(EventTypes.AUDIT_CHECKPOINT, JSON.readTree(JSON.writeValueAsString(checkpoint.data())));
    }

    @Test
    void inventoryChangesValidateAgainstTheirSchema() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        InventoryEntry entry = new InventoryEntry();
        entry.kind = Kind.MODEL;
        entry.name = "fraud-scorer";
        entry.ownerTeam = "payments-ml";
        entry.intendedUse = "Scores card payments for fraud";
        entry.submitters = List.of("token:ci-fraud-scorer");
        entry.registeredBy = "admin";
        entry.registeredAt = Instant.parse("2026-12-01T09:00:00Z");
        entry.updatedBy = "admin";
        entry.updatedAt = entry.registeredAt;
        entry.revision = 1;
        Map<String, Object> registered = Inventory.eventData(InventoryEntryView.of(entry), "admin", null, Map.of());
        Map<String, Object> updated = Inventory.eventData(InventoryEntryView.of(entry), "admin", "new owner",
                Map.of("previous", Inventory.details(entry)));
        Map<String, Object> firstClassified = new LinkedHashMap<>();
        firstClassified.put("previous", null);
        entry.customerFacing = true;
        entry.personalData = false;
        entry.regulatedUse = true;
        entry.autonomy = Autonomy.SUPERVISED;
        entry.classifiedBy = "rita";
        entry.classifiedAt = Instant.parse("2026-12-01T10:00:00Z");
        entry.classificationReason = "credit decisions";
        Map<String, Object> classified = Inventory.eventData(InventoryEntryView.of(entry), "rita", "credit decisions",
                firstClassified);
        Map<String, Object> reclassified = Inventory.eventData(InventoryEntryView.of(entry), "rita", "no longer credit",
                Map.of("previous", entry.classification()));

        assertValid(EventTypes.INVENTORY_REGISTERED, json.readTree(json.writeValueAsString(registered)));
        assertValid(EventTypes.INVENTORY_UPDATED, json.readTree(json.writeValueAsString(updated)));
        assertValid(EventTypes.INVENTORY_CLASSIFIED, json.readTree(json.writeValueAsString(classified)));
        assertValid(EventTypes.INVENTORY_CLASSIFIED, json.readTree(json.writeValueAsString(reclassified)));
    }

    @Test
    void freezeWindowsAndTheLineValidateAgainstTheirSchema() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        FreezeWindow weekend = new FreezeWindow();
        weekend.id = java.util.UUID.randomUUID();
        weekend.name = "weekend";
        weekend.effect = FreezeWindow.Effect.DENY;
        weekend.pipeline = "standard";
        weekend.cron = "0 18 * * 5";
        weekend.durationSeconds = 62L * 3600;
        weekend.timeZone = "Europe/Paris";
        weekend.reason = "nobody on call";
        weekend.createdBy = "rita";
        weekend.createdAt = now;
        ProductionStop stop = new ProductionStop();
        stop.id = java.util.UUID.randomUUID();
        stop.reason = "INC-4711";
        stop.startedBy = "rita";
        stop.startedAt = now;

        assertValid(EventTypes.FREEZE_CREATED, json.readTree(json.writeValueAsString(
                Freezes.eventData(Map.of("window", Freezes.view(weekend, now)), "rita", weekend.reason))));
        weekend.deletedAt = now;
        weekend.deletedBy = "admin";
        assertValid(EventTypes.FREEZE_DELETED, json.readTree(json.writeValueAsString(
                Freezes.eventData(Map.of("window", Freezes.view(weekend, now)), "admin", null))));
        assertValid(EventTypes.LINE_STOPPED, json.readTree(json.writeValueAsString(
                Freezes.eventData(Map.of("line", Freezes.line(stop)), "rita", "INC-4711"))));
        stop.endedAt = now.plusSeconds(600);
        stop.endedBy = "admin";
        stop.endReason = "provider recovered";
        assertValid(EventTypes.LINE_RESTARTED, json.readTree(json.writeValueAsString(
                Freezes.eventData(Map.of("line", Freezes.line(stop)), "admin", "provider recovered"))));
    }

    @Test
    void aFieldTheDocumentDoesNotNameIsRefused() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>(PromotionPayload.of(SUBJECT, null, "SUBMITTED", "alice",
                null, Instant.parse("2026-12-03T10:00:00Z"), new PromotionEvent.Submitted()));
        payload.put("undocumented", 1);
        assertThat(validate(EventTypes.SUBMITTED, JSON.readTree(JSON.writeValueAsString(payload))))
                .anyMatch(m -> m.getMessage().contains("undocumented"));
    }

    @Test
    void everyMessageOfTheDocumentHasItsEventAndTheReverse() {
        Set<String> described = new TreeSet<>();
        document.path("components").path("messages").forEach(m -> described.add(m.path("name").asText()));
        Set<String> inCode = everyEvent().map(PromotionEvent::type).collect(Collectors.toCollection(TreeSet::new));
        inCode.add(EventTypes.AUDIT_CHECKPOINT);
        inCode.add(EventTypes.DEPLOYMENT_SUCCEEDED);
        inCode.add(EventTypes.DEPLOYMENT_FAILED);
        inCode.add(EventTypes.SIGNAL_DRIFT);
        inCode.add(EventTypes.SIGNAL_PROVIDER);
        inCode.addAll(List.of(EventTypes.INVENTORY_REGISTERED, EventTypes.INVENTORY_UPDATED, EventTypes.INVENTORY_CLASSIFIED,
                EventTypes.FREEZE_CREATED, EventTypes.FREEZE_DELETED, EventTypes.LINE_STOPPED, EventTypes.LINE_RESTARTED));
        assertThat(described).isEqualTo(inCode);
        Set<Class<?>> covered = everyEvent().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(PromotionEvent.class.getPermittedSubclasses());
    }

    /**
     * The data of a signal as a monitor publishes it on tollgate.signals (the body of POST /api/v1/signals) fits its
     * message in the document, and Tollgate's own validation takes it as the same signal.
     */
    @Test
    void aSignalAsAMonitorPublishesItValidatesAgainstItsSchema() throws Exception {
        String provider = """
                {"signalId": "obs-support-reply-20261204-0812", "type": "provider", "kind": "PROMPT",
                 "name": "support-reply", "provider": "openai", "model": "gpt-4o-2024-08-06",
                 "fingerprint": "fp_b705f0c291", "source": "serving-log sampler", "observedAt": "2026-12-04T08:12:31Z"}
                """;
        String drift = """
                {"signalId": "psi-fraud-scorer-20261204T0900", "type": "drift", "kind": "MODEL", "name": "fraud-scorer",
                 "metric": "psi", "value": 0.31, "threshold": 0.2, "source": "nightly drift job",
                 "observedAt": "2026-12-04T09:00:00+01:00"}
                """;
        assertValid(EventTypes.SIGNAL_PROVIDER, JSON.readTree(provider));
        assertValid(EventTypes.SIGNAL_DRIFT, JSON.readTree(drift));

        ValidSignal observed = SignalValidator.validate(JsonBodies.tree(provider.getBytes(StandardCharsets.UTF_8)));
        assertThat(observed.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(observed.fingerprint()).isEqualTo("fp_b705f0c291");
        ValidSignal drifted = SignalValidator.validate(JsonBodies.tree(drift.getBytes(StandardCharsets.UTF_8)));
        assertThat(drifted.metric()).isEqualTo("psi");
        assertThat(drifted.value()).isEqualTo(0.31);
        assertThat(drifted.observedAt()).isEqualTo(Instant.parse("2026-12-04T08:00:00Z"));
    }

    /** What Tollgate refuses from a monitor, the document refuses too. */
    @Test
    void aSignalThatMixesTheTwoTypesIsRefused() throws Exception {
        JsonNode driftWithAModel = JSON.readTree("""
                {"signalId": "psi-1", "type": "drift", "kind": "MODEL", "name": "fraud-scorer", "metric": "psi",
                 "value": 0.31, "model": "gpt-4o"}
                """);
        JsonNode providerAboutAModel = JSON.readTree("""
                {"signalId": "obs-1", "type": "provider", "kind": "MODEL", "name": "fraud-scorer", "provider": "openai",
                 "model": "gpt-4o"}
                """);
        JsonNode providerWithAValue = JSON.readTree("""
                {"signalId": "obs-2", "type": "provider", "kind": "PROMPT", "name": "support-reply", "provider": "openai",
                 "model": "gpt-4o", "value": 1}
                """);
        assertThat(validate(EventTypes.SIGNAL_DRIFT, driftWithAModel)).anyMatch(m -> m.getMessage().contains("model"));
        assertThat(validate(EventTypes.SIGNAL_PROVIDER, providerAboutAModel)).isNotEmpty();
        assertThat(validate(EventTypes.SIGNAL_PROVIDER, providerWithAValue)).anyMatch(m -> m.getMessage().contains("value"));
        for (JsonNode refused : List.of(driftWithAModel, providerAboutAModel, providerWithAValue)) {
            assertThatThrownBy(() -> SignalValidator.validate(refused)).as("%s", refused)
                    .isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void theDocumentsOwnExamplesValidate() {
        List<String> failures = new ArrayList<>();
        document.path("components").path("messages").forEach(message -> message.path("examples").forEach(example -> {
            Set<ValidationMessage> problems = validate(message.path("name").asText(), example.path("payload"));
            if (!problems.isEmpty()) {
                failures.add(message.path("name").asText() + ": " + problems);
            }
        }));
        assertThat(failures).isEmpty();
    }

    private static void assertValid(String type, JsonNode payload) {
        assertThat(validate(type, payload)).as("%s: %s", type, payload).isEmpty();
    }

    /** Validates against the message's payload schema, its $refs resolved inside the document. */
    private static Set<ValidationMessage> validate(String type, JsonNode payload) {
        String key = null;
        var messages = document.path("components").path("messages");
        for (var names = messages.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (messages.path(name).path("name").asText().equals(type)) {
                key = name;
            }
        }
        assertThat(key).as("message for %s in docs/asyncapi.yaml", type).isNotNull();
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$ref", "#/components/messages/" + key + "/payload");
        schema.set("components", document.path("components"));
        JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        return compiled.validate(payload);
    }

}
