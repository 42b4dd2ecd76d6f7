package dev.tollgate.deploy;

import static dev.tollgate.deploy.Manifests.OBSERVABILITY;
import static dev.tollgate.deploy.Manifests.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The alert rules and the Grafana dashboard of deploy/observability ask only for metrics Tollgate exposes. */
public class ObservabilityFilesTest {

    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    public record Metric(Type type, Set<String> labels) {
    }

    /**
     * Every Tollgate metric the rules and the dashboard may use, as Prometheus names it: the one reference.
     * {@code MetricsTest} checks that the application exposes each of them, with these labels and no others.
     */
    public static final Map<String, Metric> METRICS = new LinkedHashMap<>();

    static {
        metric("tollgate_promotion_stage_entered_total", Type.COUNTER, "stage", "pipeline", "kind");
        metric("tollgate_promotion_ended_total", Type.COUNTER, "outcome", "pipeline", "kind");
        metric("tollgate_promotion_stage_seconds", Type.HISTOGRAM, "stage", "pipeline");
        metric("tollgate_promotions_active", Type.GAUGE, "stage");
        metric("tollgate_promotion_oldest_active_seconds", Type.GAUGE, "stage");
        metric("tollgate_approval_lead_time_seconds", Type.HISTOGRAM, "task", "tier", "outcome");
        metric("tollgate_approval_tasks_open", Type.GAUGE, "task");
        metric("tollgate_approval_tasks_overdue", Type.GAUGE, "task");
        metric("tollgate_gate_failures_total", Type.COUNTER, "gate", "metric", "pipeline");
        metric("tollgate_timers_overdue", Type.GAUGE);
        metric("tollgate_outbox_backlog_events", Type.GAUGE);
        metric("tollgate_outbox_backlog_age_seconds", Type.GAUGE);
        metric("tollgate_outbox_relay_active", Type.GAUGE);
        metric("tollgate_outbox_published_events", Type.GAUGE);
        metric("tollgate_outbox_publish_latency_seconds", Type.HISTOGRAM);
        metric("tollgate_audit_unsealed_entries", Type.GAUGE);
        metric("tollgate_audit_unsealed_age_seconds", Type.GAUGE);
        metric("tollgate_deployments_received_total", Type.COUNTER, "outcome");
        metric("tollgate_signals_received_total", Type.COUNTER, "type", "outcome");
        metric("tollgate_signals_consumed_total", Type.COUNTER, "outcome");
        metric("tollgate_reevaluations_started_total", Type.COUNTER, "trigger");
        metric("tollgate_reevaluations_ended_total", Type.COUNTER, "status");
        metric("tollgate_reevaluations_open", Type.GAUGE, "status");
    }

    /** Labels Prometheus adds to every series it scrapes through the ServiceMonitor. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "job", "instance", "service",
            "endpoint", "container");
    private static final Pattern TOLLGATE_SERIES = Pattern.compile("\\btollgate_[a-z0-9_]+");
    private static final Pattern SELECTOR = Pattern.compile("\\b(tollgate_[a-z0-9_]+)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern OVER_TIME = Pattern.compile("\\b(rate|irate|increase)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final String QUANTILE = "histogram_quantile(";
    /** A series name: followed by its selector or its range. */
    private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAlertHasAnExpressionADurationASeverityAndASummary() {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        Set<String> names = new HashSet<>();
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(names.add(name)).as("alert names are unique: " + name).isTrue();
            assertThat(alert.path("expr").asText()).as(name + " expr").isNotBlank();
            assertThat(alert.path("for").asText()).as(name + " for").matches("\\d+[smh]");
            assertThat(alert.at("/labels/severity").asText()).as(name + " severity").isIn("critical", "warning", "info");
            assertThat(alert.at("/annotations/summary").asText()).as(name + " summary").isNotBlank();
            assertThat(alert.at("/annotations/description").asText()).as(name + " description").isNotBlank();
        }
        assertThat(names).contains("TollgatePromotionStuck", "TollgateOutboxBacklog", "TollgateApprovalOverdue",
                "TollgateOutboxRelayDown", "TollgateAuditSealerDown", "TollgateDeadLetters",
                "TollgateReevaluationAwaitingDecision", "TollgateTimersOverdue");
    }

    @Test
    void everyAlertHasARunbookInTheOperationsGuide() throws IOException {
        String operations = Files.readString(PROJECT.resolve("docs/operations.md"));
        String section = operations.substring(operations.indexOf("## Alerts and dashboards"));
        for (JsonNode alert : alerts()) {
            assertThat(section).as("docs/operations.md, Alerts and dashboards").contains("`" + alert.path("alert").asText() + "`");
        }
    }

    @Test
    void everyDashboardPanelQueriesTheTemplatedPrometheus() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        JsonNode datasource = variable(dashboard, "datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(20);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique: " + title).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title + " fits the grid").isLessThanOrEqualTo(24);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.at("/datasource/uid").asText()).as(title + " datasource").isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title + " targets").isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(title + " PromQL").isNotBlank();
                assertThat(target.at("/datasource/uid").asText()).as(title + " target datasource").isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void rulesAndDashboardUseOnlyTheMetricsTollgateExposes() throws IOException {
        Set<String> series = seriesNames();
        for (String expr : expressions()) {
            Matcher used = TOLLGATE_SERIES.matcher(expr);
            while (used.find()) {
                assertThat(series).as("in " + expr).contains(used.group());
            }
        }
    }

    @Test
    void theDashboardShowsEveryMetricTollgateExposes() throws IOException {
        String all = String.join("\n", dashboardExpressions());
        for (String name : METRICS.keySet()) {
            assertThat(all).as("a panel shows " + name).contains(name);
        }
    }

    @Test
    void selectorsUseOnlyTheLabelsOfTheirMetric() throws IOException {
        for (String expr : expressions()) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                String series = selector.group(1);
                Set<String> allowed = new TreeSet<>(TARGET_LABELS);
                allowed.addAll(metricOf(series).labels());
                if (series.endsWith("_bucket")) {
                    allowed.add("le");
                }
                Matcher label = MATCHER.matcher(selector.group(2));
                while (label.find()) {
                    assertThat(allowed).as(series + " in " + expr).contains(label.group(1));
                }
            }
        }
    }

    @Test
    void ratesAreTakenOfCountersAndQuantilesOfBuckets() throws IOException {
        for (String expr : expressions()) {
            Matcher overTime = OVER_TIME.matcher(expr);
            while (overTime.find()) {
                assertThat(overTime.group(2)).as(overTime.group(1) + " in " + expr).matches(".*_(total|count|sum|bucket)");
            }
            for (int at = expr.indexOf(QUANTILE); at >= 0; at = expr.indexOf(QUANTILE, at + 1)) {
                Matcher series = SERIES.matcher(argumentsAt(expr, at + QUANTILE.length() - 1));
                assertThat(series.find()).as("histogram_quantile reads a series in " + expr).isTrue();
                do {
                    assertThat(series.group(1)).as("histogram_quantile in " + expr).endsWith("_bucket");
                } while (series.find());
            }
            assertThat(balanced(expr)).as("brackets of " + expr).isTrue();
        }
    }

    @Test
    void prometheusScrapesTheProtectedMetricsPathWithAToken() throws IOException {
        JsonNode endpoint = Manifests.single(OBSERVABILITY.resolve("servicemonitor.yaml")).at("/spec/endpoints/0");
        String properties = Files.readString(PROJECT.resolve("src/main/resources/application.properties"));
        Matcher paths = Pattern.compile("(?m)^quarkus\\.http\\.auth\\.permission\\.metrics\\.paths=(.*)$").matcher(properties);
        assertThat(paths.find()).isTrue();
        assertThat(paths.group(1).split(",")).contains(endpoint.path("path").asText());
        assertThat(endpoint.at("/authorization/type").asText()).isEqualTo("Bearer");
        assertThat(endpoint.at("/authorization/credentials/name").asText()).isNotBlank();
    }

    private static void metric(String name, Type type, String... labels) {
        METRICS.put(name, new Metric(type, Set.of(labels)));
    }

    /** The series names: a histogram is its _bucket, _count and _sum, never its bare name. */
    private static Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        METRICS.forEach((name, metric) -> {
            if (metric.type() == Type.HISTOGRAM) {
                names.addAll(List.of(name + "_bucket", name + "_count", name + "_sum"));
            } else {
                names.add(name);
            }
        });
        return names;
    }

    private static Metric metricOf(String series) {
        String name = series.replaceFirst("_(bucket|count|sum)$", "");
        Metric metric = METRICS.containsKey(series) ? METRICS.get(series) : METRICS.get(name);
        assertThat(metric).as(series + " is a Tollgate metric").isNotNull();
        return metric;
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        JsonNode rule = Manifests.single(OBSERVABILITY.resolve("prometheus-rules.yaml"));
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        for (JsonNode group : rule.at("/spec/groups")) {
            group.path("rules").forEach(r -> {
                if (r.has("alert")) {
                    alerts.add(r);
                }
            });
        }
        return alerts;
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(OBSERVABILITY.resolve("tollgate-dashboard.json").toFile());
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("the dashboard has no variable " + name);
    }

    /** Every panel, those inside collapsed rows too. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = dashboard();
        List<String> exprs = new ArrayList<>();
        panels(dashboard).forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        dashboard.at("/templating/list").forEach(v -> {
            if (v.path("query").has("query")) {
                exprs.add(v.at("/query/query").asText());
            }
        });
        return exprs;
    }

    private static List<String> expressions() throws IOException {
        List<String> exprs = new ArrayList<>(dashboardExpressions());
        alerts().forEach(a -> exprs.add(a.path("expr").asText()));
        return exprs;
    }

    /** What the parenthesis at {@code open} holds, up to the one that closes it. */
    private static String argumentsAt(String expr, int open) {
        int depth = 0;
        for (int i = open; i < expr.length(); i++) {
            depth += expr.charAt(i) == '(' ? 1 : expr.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return expr.substring(open + 1, i);
            }
        }
        return expr.substring(open + 1);
    }

    private static boolean balanced(String expr) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty() && !quoted;
    }
}
