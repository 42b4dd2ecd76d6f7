package dev.tollgate.deploy;

import static dev.tollgate.deploy.Manifests.BASE;
import static dev.tollgate.deploy.Manifests.K8S;
import static dev.tollgate.deploy.Manifests.LOCAL;
import static dev.tollgate.deploy.Manifests.OBSERVABILITY;
import static dev.tollgate.deploy.Manifests.PRODUCTION;
import static dev.tollgate.deploy.Manifests.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.Manifests.Doc;
import dev.tollgate.events.EventTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s as written: the kustomize layout holds together, the pieces select each other, and every setting,
 * topic, probe and secret it names is one that Tollgate, Quarkus or the operators really have. No cluster and no
 * kustomize binary: the files are read as YAML, and an overlay's patches are checked against the base they patch.
 */
class KubernetesManifestsTest {

    private static final Manifests ALL = Manifests.under(K8S, OBSERVABILITY);
    private static final Manifests BASE_DOCS = ALL.in(BASE);
    private static final String APP = "tollgate";
    private static final String IMAGE = "tollgate/tollgate";
    /** Variables the JVM reads, not the application. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    @Test
    void everyManifestIsYamlThatNamesItsKind() {
        assertThat(ALL.all()).hasSizeGreaterThan(15);
        for (Doc doc : ALL.all()) {
            if (doc.node().isArray()) {
                assertThat(doc.node()).as(doc + ": a JSON patch").allSatisfy(op -> {
                    assertThat(op.path("op").asText()).isIn("add", "remove", "replace", "test", "move", "copy");
                    assertThat(op.path("path").asText()).startsWith("/");
                });
            } else {
                assertThat(doc.node().path("apiVersion").asText()).as(doc + " apiVersion").isNotBlank();
                assertThat(doc.kind()).as(doc + " kind").isNotBlank();
                if (!doc.kind().equals("Kustomization")) {
                    assertThat(doc.name()).as(doc + " name").isNotBlank();
                }
            }
        }
    }

    @Test
    void everyKustomizationNamesFilesAndDirectoriesThatExist() {
        for (Doc kustomization : ALL.ofKind("Kustomization")) {
            Path dir = kustomization.file().getParent();
            for (String resource : texts(kustomization.node().path("resources"))) {
                Path target = dir.resolve(resource).normalize();
                assertThat(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")))
                        .as(kustomization + ": resource " + resource).isTrue();
            }
            for (JsonNode patch : kustomization.node().path("patches")) {
                assertThat(dir.resolve(patch.path("path").asText())).as(kustomization + ": patch").isRegularFile();
            }
            for (JsonNode generator : kustomization.node().path("configMapGenerator")) {
                texts(generator.path("files")).forEach(f -> assertThat(dir.resolve(f)).isRegularFile());
            }
        }
        assertThat(texts(kustomization(LOCAL).path("resources"))).contains("../../base");
        assertThat(texts(kustomization(PRODUCTION).path("resources"))).contains("../../base", "../../../observability");
    }

    @Test
    void everyManifestIsPartOfAKustomizationExceptTheExamples() {
        Set<Path> used = new HashSet<>();
        for (Doc kustomization : ALL.ofKind("Kustomization")) {
            Path dir = kustomization.file().getParent();
            used.add(kustomization.file());
            texts(kustomization.node().path("resources")).forEach(r -> used.add(dir.resolve(r).normalize()));
            kustomization.node().path("patches").forEach(p -> used.add(dir.resolve(p.path("path").asText())));
        }
        for (Path dir : List.of(K8S, OBSERVABILITY)) {
            assertThat(Manifests.yamlFiles(dir)).filteredOn(f -> !f.getFileName().toString().endsWith(".example.yaml"))
                    .as("files no kustomization names").allSatisfy(f -> assertThat(used).contains(f));
        }
    }

    @Test
    void everyOverlayPatchNamesAResourceOfTheBase() {
        for (Path overlay : List.of(LOCAL, PRODUCTION)) {
            for (JsonNode patch : kustomization(overlay).path("patches")) {
                Path file = overlay.resolve(patch.path("path").asText());
                JsonNode target = patch.path("target");
                if (target.isMissingNode()) {
                    JsonNode smp = Manifests.single(file);
                    assertThat(BASE_DOCS.find(smp.path("kind").asText(), smp.path("metadata").path("name").asText()))
                            .as(file + " patches a resource of the base").isPresent();
                } else {
                    assertThat(BASE_DOCS.where(d -> d.kind().equals(target.path("kind").asText())
                            && (!target.has("name") || d.name().equals(target.path("name").asText()))))
                            .as(file + " targets a resource of the base").isNotEmpty();
                }
            }
        }
    }

    @Test
    void theServiceBudgetPolicyAndServiceMonitorSelectTheDeploymentsPods() {
        JsonNode deployment = BASE_DOCS.get("Deployment", APP);
        Map<String, String> podLabels = map(deployment.at("/spec/template/metadata/labels"));
        assertThat(podLabels).containsAllEntriesOf(map(deployment.at("/spec/selector/matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(BASE_DOCS.get("Service", APP).at("/spec/selector")));
        assertThat(podLabels).containsAllEntriesOf(map(BASE_DOCS.get("PodDisruptionBudget", APP).at("/spec/selector/matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(BASE_DOCS.get("NetworkPolicy", APP).at("/spec/podSelector/matchLabels")));
        assertThat(BASE_DOCS.get("PodDisruptionBudget", APP).at("/spec/minAvailable").asInt()).isEqualTo(1);

        JsonNode monitor = ALL.get("ServiceMonitor", APP);
        JsonNode service = BASE_DOCS.get("Service", APP);
        assertThat(map(service.at("/metadata/labels"))).containsAllEntriesOf(map(monitor.at("/spec/selector/matchLabels")));
        assertThat(texts(service.at("/spec/ports"), "name")).contains(monitor.at("/spec/endpoints/0/port").asText());
    }

    @Test
    void theContainerServesHttpOn8080AndTheServiceTargetsIt() {
        JsonNode container = container(BASE_DOCS.get("Deployment", APP));
        JsonNode port = container.at("/ports/0");
        assertThat(port.path("name").asText()).isEqualTo("http");
        assertThat(port.path("containerPort").asInt()).isEqualTo(8080);
        String targetPort = BASE_DOCS.get("Service", APP).at("/spec/ports/0/targetPort").asText();
        assertThat(targetPort).isIn("http", "8080");
    }

    @Test
    void probesAskTheHealthEndpointsQuarkusServes() {
        Map<String, String> expected = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        JsonNode container = container(BASE_DOCS.get("Deployment", APP));
        expected.forEach((probe, path) -> {
            assertThat(container.at("/" + probe + "/httpGet/path").asText()).as(probe).isEqualTo(path);
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("http");
        });
        for (Doc deployment : ALL.ofKind("Deployment")) {
            for (JsonNode c : deployment.node().at("/spec/template/spec/containers")) {
                expected.forEach((probe, path) -> {
                    if (c.has(probe)) {
                        assertThat(c.at("/" + probe + "/httpGet/path").asText()).as(deployment + " " + probe).isEqualTo(path);
                    }
                });
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsASettingTollgateReads() {
        ConfigurationNames configuration = ConfigurationNames.ofTheApplication();
        Map<String, Doc> variables = new TreeMap<>();
        ALL.where(d -> d.is("ConfigMap", "tollgate-config"))
                .forEach(d -> d.node().path("data").fieldNames().forEachRemaining(n -> variables.put(n, d)));
        for (Doc deployment : ALL.ofKind("Deployment")) {
            for (JsonNode c : deployment.node().at("/spec/template/spec/containers")) {
                texts(c.path("env"), "name").forEach(n -> variables.put(n, deployment));
            }
        }
        assertThat(variables).containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS",
                "QUARKUS_OIDC_AUTH_SERVER_URL", "TOLLGATE_OUTBOX_CREATE_TOPICS", "TOLLGATE_UI_CSRF_KEY",
                "QUARKUS_FLYWAY_USERNAME", "KAFKA_SASL_JAAS_CONFIG");
        variables.forEach((name, doc) -> assertThat(configuration.reads(name) || JVM_VARIABLES.contains(name))
                .as(doc + ": " + name + " is a property Tollgate or Quarkus reads").isTrue());
    }

    @Test
    void theSettingsCheckRefusesNamesNobodyReads() {
        ConfigurationNames configuration = ConfigurationNames.ofTheApplication();
        assertThat(configuration.reads("TOLLGATE_UI_CSRF_KEY")).isTrue();
        assertThat(configuration.reads("TOLLGATE_OUTBOX_CREATE_TOPICS")).isTrue();
        assertThat(configuration.reads("QUARKUS_OIDC_CREDENTIALS_SECRET")).isTrue();
        assertThat(configuration.reads("TOLLGATE_OUTBOX_CREATE_TOPIC")).isFalse();
        assertThat(configuration.reads("TOLLGATE_UI_CSRF_SECRET")).isFalse();
        assertThat(configuration.reads("QUARKUS_DATASOUCE_JDBC_URL")).isFalse();
        assertThat(configuration.reads("KAFKA_SASL_USERNAME")).isFalse();
    }

    @Test
    void theKafkaTopicsAreTheTopicsOfEventTypes() {
        Set<String> topics = new TreeSet<>();
        for (Doc topic : BASE_DOCS.ofKind("KafkaTopic")) {
            topics.add(topic.node().at("/spec/topicName").asText(topic.name()));
            assertThat(topic.node().at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("kafka");
        }
        assertThat(topics).containsExactlyInAnyOrder(EventTypes.PROMOTIONS_TOPIC, EventTypes.DEPLOYMENTS_TOPIC,
                EventTypes.SIGNALS_TOPIC, EventTypes.GOVERNANCE_TOPIC, EventTypes.AUDIT_TOPIC);
        JsonNode audit = BASE_DOCS.get("KafkaTopic", EventTypes.AUDIT_TOPIC);
        assertThat(audit.at("/spec/config/retention.ms").asLong()).as("audit checkpoints are kept for ever").isEqualTo(-1);
    }

    @Test
    void theKafkaUserMayDoWhatTollgateDoesAndNoMore() {
        JsonNode user = BASE_DOCS.get("KafkaUser", APP);
        assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            String resource = acl.at("/resource/type").asText() + ":" + acl.at("/resource/name").asText();
            allowed.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(texts(acl.path("operations")));
        }
        assertThat(allowed).containsExactlyInAnyOrderEntriesOf(Map.of(
                "topic:" + EventTypes.PROMOTIONS_TOPIC, Set.of("Describe", "Write"),
                "topic:" + EventTypes.GOVERNANCE_TOPIC, Set.of("Describe", "Write"),
                "topic:" + EventTypes.AUDIT_TOPIC, Set.of("Describe", "Read", "Write"),
                "topic:" + EventTypes.DEPLOYMENTS_TOPIC, Set.of("Describe", "Read"),
                "topic:" + EventTypes.SIGNALS_TOPIC, Set.of("Describe", "Read"),
                "group:tollgate", Set.of("Describe", "Read"),
                "cluster:", Set.of("IdempotentWrite")));
        assertThat(configMap(BASE).get("TOLLGATE_OUTBOX_CREATE_TOPICS")).as("the user may not create topics").isEqualTo("false");
        assertThat(configMap(BASE).get("KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
    }

    @Test
    void theDatabaseRolesAreTheUsersTheApplicationConnectsAs() {
        JsonNode cluster = BASE_DOCS.get("Cluster", "tollgate-db");
        Map<String, JsonNode> env = env(container(BASE_DOCS.get("Deployment", APP)));
        String ownerSecret = cluster.at("/spec/bootstrap/initdb/secret/name").asText();
        JsonNode runtimeRole = cluster.at("/spec/managed/roles/0");
        assertThat(secretOf(env.get("QUARKUS_FLYWAY_USERNAME"))).isEqualTo(ownerSecret);
        assertThat(secretOf(env.get("QUARKUS_FLYWAY_PASSWORD"))).isEqualTo(ownerSecret);
        assertThat(secretOf(env.get("QUARKUS_DATASOURCE_USERNAME"))).isEqualTo(runtimeRole.at("/passwordSecret/name").asText());
        assertThat(secretOf(env.get("QUARKUS_DATASOURCE_PASSWORD"))).isEqualTo(runtimeRole.at("/passwordSecret/name").asText());

        assertThat(ALL.get("Secret", ownerSecret).at("/stringData/username").asText())
                .isEqualTo(cluster.at("/spec/bootstrap/initdb/owner").asText());
        assertThat(ALL.get("Secret", runtimeRole.at("/passwordSecret/name").asText()).at("/stringData/username").asText())
                .isEqualTo(runtimeRole.path("name").asText());
        assertThat(configMap(BASE).get("QUARKUS_DATASOURCE_JDBC_URL"))
                .contains("//" + cluster.at("/metadata/name").asText() + "-rw:5432/" + cluster.at("/spec/bootstrap/initdb/database").asText());
    }

    @Test
    void everySecretReferencedIsDocumentedAndEitherExemplifiedOrMadeByAnOperator() throws IOException {
        Map<String, Set<String>> referenced = ALL.secretReferences();
        Map<String, Set<String>> available = new TreeMap<>();
        for (Doc example : ALL.ofKind("Secret")) {
            if (example.file().getFileName().toString().endsWith(".example.yaml")) {
                Set<String> keys = new TreeSet<>();
                example.node().path("stringData").fieldNames().forEachRemaining(keys::add);
                available.put(example.name(), keys);
            }
        }
        ALL.ofKind("KafkaUser").forEach(u -> available.put(u.name(), Set.of("password", "sasl.jaas.config")));
        ALL.ofKind("Cluster").forEach(c -> available.put(c.name() + "-ca", Set.of("ca.crt", "ca.key")));
        Set<String> kafkaClusters = new TreeSet<>();
        ALL.ofKind("KafkaTopic").forEach(t -> kafkaClusters.add(t.node().at("/metadata/labels/strimzi.io~1cluster").asText()));
        kafkaClusters.forEach(k -> available.put(k + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password")));

        String readme = Files.readString(K8S.resolve("README.md"));
        assertThat(referenced).containsKeys("tollgate-db-owner", "tollgate-db-runtime", "tollgate-oidc", "tollgate-ui",
                "tollgate", "tollgate-metrics-token");
        referenced.forEach((secret, keys) -> {
            assertThat(readme).as("deploy/k8s/README.md names the secret " + secret).contains("`" + secret + "`");
            assertThat(available).as("secret " + secret).containsKey(secret);
            assertThat(available.get(secret)).as("keys of " + secret).containsAll(keys);
        });
    }

    @Test
    void theImageIsTheJibBuildsOfTheProjectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>tollgate</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(PROJECT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(container(BASE_DOCS.get("Deployment", APP)).path("image").asText()).isEqualTo(IMAGE + ":" + version.group(1));
        assertThat(image(LOCAL).path("newTag").asText()).isEqualTo(version.group(1));
        String productionTag = image(PRODUCTION).path("newTag").asText();
        assertThat(productionTag.isEmpty() ? image(PRODUCTION).path("digest").asText() : productionTag)
                .as("production runs a release").isNotBlank().doesNotContain("SNAPSHOT").isNotEqualTo("latest");
    }

    @Test
    void productionRunsThreeOfEverythingAndLocalOne() {
        assertThat(BASE_DOCS.get("Deployment", APP).at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(ALL.in(PRODUCTION).get("Deployment", APP).at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(ALL.in(PRODUCTION).get("Cluster", "tollgate-db").at("/spec/instances").asInt()).isEqualTo(3);
        assertThat(ALL.in(LOCAL).get("Deployment", APP).at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(ALL.in(LOCAL).get("Cluster", "tollgate-db").at("/spec/instances").asInt()).isEqualTo(1);

        Map<String, Object> topicPatch = new LinkedHashMap<>();
        for (JsonNode op : Manifests.single(PRODUCTION.resolve("kafka-topics.yaml"))) {
            topicPatch.put(op.path("path").asText(), op.path("value").asInt());
        }
        assertThat(topicPatch).containsEntry("/spec/replicas", 3).containsEntry("/spec/config/min.insync.replicas", 2);
        Map<String, String> production = new TreeMap<>(configMap(BASE));
        production.putAll(configMap(PRODUCTION));
        assertThat(production).containsEntry("TOLLGATE_OUTBOX_CREATE_TOPICS", "false")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        assertThat(production.get("QUARKUS_DATASOURCE_JDBC_URL")).contains("sslmode=verify-full");
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyFilesystemWithoutAnApiToken() {
        JsonNode deployment = BASE_DOCS.get("Deployment", APP);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = container(deployment);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(BASE_DOCS.get("ServiceAccount", pod.path("serviceAccountName").asText())
                .path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(texts(container.at("/securityContext/capabilities/drop"))).contains("ALL");
        assertThat(texts(container.path("volumeMounts"), "mountPath")).contains("/tmp");
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
    }

    @Test
    void theNetworkPolicyLetsTollgateReachWhatItNeeds() {
        JsonNode policy = BASE_DOCS.get("NetworkPolicy", APP);
        assertThat(texts(policy.at("/spec/ingress/0/ports"), "port")).containsExactly("8080");
        Set<String> egressPorts = new TreeSet<>();
        policy.at("/spec/egress").forEach(rule -> egressPorts.addAll(texts(rule.path("ports"), "port")));
        assertThat(egressPorts).containsExactlyInAnyOrder("53", "5432", "9092", "9093", "443");
    }

    private static JsonNode kustomization(Path dir) {
        return Manifests.single(dir.resolve("kustomization.yaml"));
    }

    private static JsonNode image(Path overlay) {
        for (JsonNode image : kustomization(overlay).path("images")) {
            if (image.path("name").asText().equals(IMAGE)) {
                return image;
            }
        }
        throw new AssertionError(overlay + " sets no image " + IMAGE);
    }

    private static Map<String, String> configMap(Path dir) {
        return map(ALL.in(dir).get("ConfigMap", "tollgate-config").path("data"));
    }

    private static JsonNode container(JsonNode deployment) {
        for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
            if (c.path("name").asText().equals(APP)) {
                return c;
            }
        }
        throw new AssertionError("no container " + APP);
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new TreeMap<>();
        container.path("env").forEach(v -> env.put(v.path("name").asText(), v));
        return env;
    }

    private static String secretOf(JsonNode variable) {
        return variable.at("/valueFrom/secretKeyRef/name").asText();
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The field of each element that has it, as text. */
    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : array) {
            if (element.has(field)) {
                values.add(element.path(field).asText());
            }
        }
        return values;
    }
}
