package dev.tollgate.api;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.watch.AlertmanagerWebhook;
import dev.tollgate.watch.SignalValidator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /q/openapi against docs/contract.md: every endpoint of the contract's REST table is an
 * operation of the document, and every operation of the document is in the contract or in docs/api.md's extensions;
 * each says who may call it, accepts this instance's security schemes, and answers its problems as RFC 9457 documents
 * whose types are those of {@link ProblemType}. KIE's generated endpoints are not in it. The document itself is
 * checked as an OpenAPI 3.0 document as far as its structure goes (no validator of the specification is at hand):
 * what the specification requires of each object, every reference resolving, and every example fitting its schema.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class OpenApiDocumentTest {

    private static final Path PROJECT = Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("submitter", "evaluator", "approver", "risk-officer", "deployer",
            "auditor", "monitor", "admin");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> STATE_CHANGES = Set.of("post", "put", "patch", "delete");
    /** {@code `GET /candidates/{id}`} or {@code `GET /api/v1/audit/verify[?checkpointSeq=...]`}: the method and path. */
    private static final Pattern ENDPOINT = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^`?\\s\\[]*)[^`]*`");
    private static final Pattern PROBLEM_TYPE = Pattern.compile("https://tollgate\\.dev/problems/[a-z-]+");
    /** OpenAPI 3.0's schema objects: JSON Schema (draft 4) with {@code nullable}, {@code example} and the like. */
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));

    /** The extensions docs/api.md adds to the contract: in the document, not in contract.md's table. */
    private static final Set<String> ONLY_IN_API_MD = Set.of(
            "GET /api/v1/pipelines", "GET /api/v1/pipelines/{name}",
            "GET /api/v1/audit/production/{kind}/{name}",
            "GET /api/v1/admin/tokens", "POST /api/v1/admin/tokens", "DELETE /api/v1/admin/tokens/{id}");

    /**
     * Problem types the document does not describe: the UI's form token; 405 and 406, answers to requests for
     * operations the document does not have; and an internal error, which is a bug, not part of the contract.
     */
    private static final Set<ProblemType> NOT_DESCRIBED = EnumSet.of(ProblemType.CSRF, ProblemType.METHOD_NOT_ALLOWED,
            ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL);

    private static JsonNode document;

    /** The document as an auditor fetches it (any of the contract's roles may). */
    private static JsonNode document() throws IOException {
        if (document == null) {
            String body = as("audrey").queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .extract().asString();
            document = JSON.readTree(body);
        }
        return document;
    }

    @Test
    void theDocumentIsServedAsYamlAndAsJsonAlike() throws IOException {
        String yaml = as("alice").accept("*/*").get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml)).isEqualTo(document());
    }

    @Test
    void theDocumentIsNotForAnonymousCallers() {
        // Outside the API, a request without credentials may be offered the login page instead of a 401.
        assertThat(anonymous().redirects().follow(false).accept("*/*").get("/q/openapi").statusCode()).isIn(302, 401);
        assertThat(as("nobody").accept("*/*").get("/q/openapi").statusCode()).isEqualTo(403);
    }

    @Test
    void swaggerUiIsNotServedOutsideTheLocalRun() {
        as("admin").accept("*/*").get("/q/swagger-ui/").then().statusCode(404);
        as("admin").accept("*/*").get("/q/swagger-ui/index.html").then().statusCode(404);
    }

    @Test
    void everyEndpointOfTheContractIsAnOperationOfTheDocument() throws IOException {
        Set<String> operations = operations().keySet();
        // 18 when this test was written: fewer means that the table's parsing broke.
        assertThat(contractEndpoints().keySet()).hasSizeGreaterThanOrEqualTo(18).allSatisfy(endpoint ->
                assertThat(operations).as("the document's operations").contains(endpoint));
    }

    @Test
    void everyOperationOfTheDocumentIsInTheContractOrInApiMd() throws IOException {
        Set<String> contract = contractEndpoints().keySet();
        Set<String> apiMd = endpointsOf(Files.readString(PROJECT.resolve("docs/api.md"), StandardCharsets.UTF_8));
        Set<String> onlyInApiMd = new TreeSet<>();
        for (String operation : operations().keySet()) {
            assertThat(contract.contains(operation) || apiMd.contains(operation))
                    .as("%s is in docs/contract.md or docs/api.md", operation).isTrue();
            if (!contract.contains(operation)) {
                onlyInApiMd.add(operation);
            }
        }
        assertThat(onlyInApiMd).as("extensions beyond the contract").containsExactlyInAnyOrderElementsOf(ONLY_IN_API_MD);
    }

    @Test
    void theDocumentDescribesTheApiAndNothingElse() throws IOException {
        List<String> paths = new ArrayList<>();
        document().path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).isNotEmpty().allSatisfy(path -> assertThat(path).startsWith("/api/v1/"));
        assertThat(document().toString()).doesNotContain("/promotion", "/rollback/", "/usertasks", "/management", "\"/ui",
                "UserTask", "Promotion_");
    }

    @Test
    void everyOperationNamesItsRolesAndAcceptsTheSchemesOfThisInstance() throws IOException {
        Set<String> schemes = fieldNames(document().path("components").path("securitySchemes"));
        assertThat(schemes).as("the test profile's ways in: no identity provider, demo users")
                .containsExactlyInAnyOrder("apiToken", "basic");
        operations().forEach((name, operation) -> {
            List<String> roles = texts(operation.path("x-roles"));
            assertThat(roles).as("%s x-roles", name).isNotEmpty().allSatisfy(role -> assertThat(ROLES).contains(role));
            assertThat(operation.path("description").asText()).as("%s description", name)
                    .contains("Roles: `" + roles.get(0));
            List<String> required = new ArrayList<>();
            operation.path("security").forEach(requirement -> {
                required.addAll(fieldNames(requirement));
                requirement.forEach(scopes -> assertThat(scopes.size()).as("%s: scopes of an HTTP scheme", name).isZero());
            });
            assertThat(required).as("%s security", name).containsExactlyInAnyOrderElementsOf(schemes);
        });
    }

    @Test
    void theRolesOfEveryOperationAreThoseTheContractGives() throws IOException {
        Map<String, JsonNode> operations = operations();
        contractEndpoints().forEach((endpoint, who) -> assertThat(texts(operations.get(endpoint).path("x-roles")))
                .as("%s (contract: %s)", endpoint, who).containsExactlyInAnyOrderElementsOf(rolesSaidBy(who)));
    }

    @Test
    void theSecuritySchemesSayWhatTheyAre() throws IOException {
        JsonNode schemes = document().path("components").path("securitySchemes");
        assertThat(schemes.path("apiToken").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("apiToken").path("scheme").asText()).isEqualTo("bearer");
        assertThat(schemes.path("apiToken").path("bearerFormat").asText()).startsWith("tg_");
        assertThat(schemes.path("basic").path("scheme").asText()).isEqualTo("basic");
        assertThat(schemes.path("basic").path("description").asText()).contains("local run and the test profile only");
    }

    @Test
    void everyOperationAnswersItsProblemsAsProblemDocuments() throws IOException {
        operations().forEach((name, operation) -> {
            Set<String> statuses = fieldNames(operation.path("responses"));
            assertThat(statuses).as(name).contains("400", "401", "403", "429", "503");
            if (STATE_CHANGES.contains(name.substring(0, name.indexOf(' ')).toLowerCase())) {
                assertThat(statuses).as(name).contains("409", "415");
            }
            if (!operation.path("requestBody").isMissingNode()) {
                assertThat(statuses).as(name).contains("413");
            }
            assertThat(statuses).as(name).anyMatch(status -> status.startsWith("2"));
            for (String status : statuses) {
                if (status.startsWith("2")) {
                    continue;
                }
                JsonNode response = resolve(operation.path("responses").path(status));
                JsonNode problem = response.path("content").path("application/problem+json");
                assertThat(problem.path("schema").path("$ref").asText()).as("%s %s", name, status)
                        .isEqualTo("#/components/schemas/Problem");
                assertThat(problem.path("examples").size()).as("%s %s examples", name, status).isPositive();
                problem.path("examples").forEach(example -> assertThat(resolve(example).path("value").path("status")
                        .asInt()).as("%s %s example", name, status).isEqualTo(Integer.parseInt(status)));
            }
            for (String retried : List.of("429", "503")) {
                assertThat(fieldNames(resolve(operation.path("responses").path(retried)).path("headers")))
                        .as("%s %s", name, retried).contains("Retry-After");
            }
        });
        JsonNode badRequest = document().path("components").path("responses").path("BadRequest").path("content")
                .path("application/problem+json");
        assertThat(badRequest.path("examples").path("validation").path("value").path("errors").get(0).path("field").asText())
                .isNotEmpty();
        assertThat(document().path("components").path("schemas").path("Problem").path("properties").path("errors")
                .path("items").path("$ref").asText()).isEqualTo("#/components/schemas/FieldError");
    }

    @Test
    void theProblemTypesAreThoseOfTheCode() throws IOException {
        Map<String, ProblemType> types = new TreeMap<>();
        for (ProblemType type : ProblemType.values()) {
            types.put(type.uri().toString(), type);
        }
        Set<String> mentioned = new TreeSet<>();
        Matcher uris = PROBLEM_TYPE.matcher(document().toString());
        while (uris.find()) {
            mentioned.add(uris.group());
        }
        assertThat(types.keySet()).as("ProblemType's URIs").containsAll(mentioned);
        Set<String> expected = new TreeSet<>();
        types.forEach((uri, type) -> {
            if (!NOT_DESCRIBED.contains(type)) {
                expected.add(uri);
            }
        });
        assertThat(mentioned).as("the problem types an API caller can meet").containsAll(expected);
        eachNode(document(), (path, node) -> {
            if (node.isObject() && node.path("type").isTextual() && types.containsKey(node.path("type").asText())) {
                ProblemType type = types.get(node.path("type").asText());
                assertThat(node.path("status").asInt()).as("%s: status of %s", path, type).isEqualTo(type.status());
                assertThat(node.path("title").asText()).as("%s: title of %s", path, type).isEqualTo(type.title());
            }
        });
    }

    @Test
    void everyRequestBodyIsJsonOfANamedSchema() throws IOException {
        // The resources read their bodies as bytes and parse them strictly; the document must name the real type.
        operations().forEach((name, operation) -> {
            JsonNode body = operation.path("requestBody");
            if (!body.isMissingNode()) {
                assertThat(fieldNames(body.path("content"))).as(name).containsExactly("application/json");
                assertThat(body.at("/content/application~1json/schema/$ref").asText()).as(name)
                        .startsWith("#/components/schemas/");
            }
        });
    }

    @Test
    void theMainBodiesHaveExamples() throws IOException {
        Map<String, JsonNode> operations = operations();
        assertThat(requestExamples(operations.get("POST /api/v1/candidates"))).extracting(e -> e.path("kind").asText())
                .contains("MODEL", "PROMPT");
        assertThat(requestExamples(operations.get("POST /api/v1/candidates/{id}/evaluations")))
                .anyMatch(e -> e.path("observed").has("fingerprint"));
        assertThat(requestExamples(operations.get("POST /api/v1/candidates/{id}/deployments")))
                .extracting(e -> e.path("outcome").asText()).contains("SUCCEEDED");
        assertThat(requestExamples(operations.get("POST /api/v1/approvals/{taskId}/decision")))
                .extracting(e -> e.path("decision").asText()).contains("APPROVE", "REJECT", "KEEP", "ROLL_BACK");
        assertThat(requestExamples(operations.get("POST /api/v1/signals"))).extracting(e -> e.path("type").asText())
                .contains("drift", "provider");
        assertThat(requestExamples(operations.get("POST /api/v1/signals/alertmanager")))
                .anyMatch(e -> e.path("version").asText().equals("4") && e.path("alerts").size() > 0);
    }

    @Test
    void theExampleRequestsPassTollgatesOwnChecks() throws IOException {
        JsonNode examples = document().path("components").path("examples");
        for (String submission : List.of("ModelSubmission", "PromptSubmission")) {
            CandidateValidator.submission(examples.path(submission).path("value"), null);
        }
        for (String signal : List.of("DriftSignal", "ProviderSignal")) {
            SignalValidator.validate(examples.path(signal).path("value"));
        }
        assertThat(AlertmanagerWebhook.read(examples.path("AlertmanagerFiring").path("value")))
                .extracting(alert -> alert.signal() != null).containsExactly(true, false);
        for (String deployment : List.of("StagingDeployed", "ProductionFailed")) {
            JSON.treeToValue(examples.path(deployment).path("value"), DeploymentRequest.class).validate();
        }
    }

    @Test
    void everyExampleFitsItsSchema() throws IOException {
        assertThat(exampleMisfits(document())).isEmpty();
    }

    @Test
    void theExampleCheckCatchesAMisfit() throws IOException {
        ObjectNode broken = document().deepCopy();
        ((ObjectNode) broken.at("/components/examples/Approve/value")).put("decision", 5);
        assertThat(exampleMisfits(broken)).isNotEmpty().allMatch(misfit -> misfit.contains("example approve: $.decision"));
    }

    @Test
    void theDocumentIsAStructurallyValidOpenApi3Document() throws IOException {
        assertThat(structuralProblems(document())).isEmpty();
    }

    @Test
    void theStructuralCheckCatchesWhatItShould() throws IOException {
        ObjectNode broken = document().deepCopy();
        broken.put("openapi", "2.0");
        ObjectNode operation = (ObjectNode) broken.path("paths").path("/api/v1/candidates/{id}").path("get");
        operation.putArray("parameters");
        ((ObjectNode) operation.path("responses")).putObject("2000").put("description", "no such status");
        ((ObjectNode) operation.path("responses")).putObject("404").put("$ref", "#/components/responses/Missing");
        assertThat(structuralProblems(broken)).anyMatch(p -> p.contains("openapi"))
                .anyMatch(p -> p.contains("{id}"))
                .anyMatch(p -> p.contains("2000"))
                .anyMatch(p -> p.contains("#/components/responses/Missing"));
    }

    // --- docs/contract.md and docs/api.md --------------------------------------------------------------------------

    /** The REST table of docs/contract.md: {@code "GET /api/v1/candidates/{id}"} to its "Who" cell. */
    private static Map<String, String> contractEndpoints() throws IOException {
        String contract = Files.readString(PROJECT.resolve("docs/contract.md"), StandardCharsets.UTF_8);
        int start = contract.indexOf("\n## REST");
        String section = contract.substring(start, contract.indexOf("\n## ", start + 1));
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            for (String endpoint : endpointsOf(cells[1])) {
                endpoints.put(endpoint.replaceFirst(" ", " /api/v1"), cells[2].strip());
            }
        }
        return endpoints;
    }

    private static Set<String> endpointsOf(String markdown) {
        Set<String> endpoints = new TreeSet<>();
        Matcher m = ENDPOINT.matcher(markdown);
        while (m.find()) {
            endpoints.add(m.group(1) + " " + m.group(2));
        }
        return endpoints;
    }

    /** "any role", "its submitter, admin", "evaluator, never the submitter": the roles that may call. */
    private static Set<String> rolesSaidBy(String who) {
        if (who.equals("any role")) {
            return ROLES;
        }
        Set<String> roles = new HashSet<>();
        for (String part : who.split(",")) {
            if (part.strip().startsWith("never")) {
                continue;
            }
            for (String word : part.strip().split(" ")) {
                if (ROLES.contains(word)) {
                    roles.add(word);
                }
            }
        }
        return roles;
    }

    // --- The document ----------------------------------------------------------------------------------------------

    /** Every operation, by {@code "POST /api/v1/candidates"}. */
    private static Map<String, JsonNode> operations() throws IOException {
        Map<String, JsonNode> operations = new TreeMap<>();
        document().path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
        return operations;
    }

    private static List<JsonNode> requestExamples(JsonNode operation) {
        List<JsonNode> examples = new ArrayList<>();
        operation.path("requestBody").path("content").path("application/json").path("examples")
                .forEach(example -> examples.add(resolve(example).path("value")));
        return examples;
    }

    /** The object a {@code $ref} names, or the node itself. */
    private static JsonNode resolve(JsonNode node) {
        try {
            return node.has("$ref") ? document().at(node.path("$ref").asText().substring(1)) : node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What OpenAPI 3.0 requires that this document could get wrong: the version, info, paths that start with a slash
     * and whose templated segments are path parameters, operations with responses under valid status codes and
     * unique ids, parameters with a location, request bodies with content, security requirements naming declared
     * schemes, and every {@code $ref} resolving inside the document.
     */
    static List<String> structuralProblems(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        if (!doc.path("openapi").asText().matches("3\\.0\\.\\d+")) {
            problems.add("openapi is not 3.0.x: " + doc.path("openapi"));
        }
        if (doc.path("info").path("title").asText().isBlank() || doc.path("info").path("version").asText().isBlank()) {
            problems.add("info needs a title and a version");
        }
        Set<String> schemes = fieldNames(doc.path("components").path("securitySchemes"));
        doc.path("components").path("securitySchemes").fields().forEachRemaining(scheme -> {
            JsonNode s = scheme.getValue();
            switch (s.path("type").asText()) {
                case "http" -> {
                    if (s.path("scheme").asText().isBlank()) {
                        problems.add("security scheme " + scheme.getKey() + " needs a scheme");
                    }
                }
                case "openIdConnect" -> {
                    if (!s.path("openIdConnectUrl").asText().startsWith("http")) {
                        problems.add("security scheme " + scheme.getKey() + " needs an openIdConnectUrl");
                    }
                }
                case "apiKey", "oauth2" -> { }
                default -> problems.add("security scheme " + scheme.getKey() + " has no valid type");
            }
        });
        Set<String> operationIds = new HashSet<>();
        Set<String> tags = new HashSet<>();
        doc.path("tags").forEach(tag -> tags.add(tag.path("name").asText()));
        doc.path("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/")) {
                problems.add("path " + path.getKey() + " does not start with /");
            }
            path.getValue().fields().forEachRemaining(entry -> {
                if (!METHODS.contains(entry.getKey()) && !Set.of("parameters", "summary", "description", "servers")
                        .contains(entry.getKey())) {
                    problems.add(path.getKey() + ": unknown member " + entry.getKey());
                    return;
                }
                if (!METHODS.contains(entry.getKey())) {
                    return;
                }
                String name = entry.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = entry.getValue();
                String operationId = operation.path("operationId").asText(null);
                if (operationId != null && !operationIds.add(operationId)) {
                    problems.add(name + ": operationId " + operation.path("operationId") + " is not unique");
                }
                operation.path("tags").forEach(tag -> {
                    if (!tags.contains(tag.asText())) {
                        problems.add(name + ": tag " + tag + " is not declared");
                    }
                });
                Set<String> pathParameters = new HashSet<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    JsonNode p = parameter.has("$ref") ? doc.at(parameter.path("$ref").asText().substring(1)) : parameter;
                    if (p.path("name").asText().isBlank()
                            || !Set.of("query", "header", "path", "cookie").contains(p.path("in").asText())
                            || (!p.has("schema") && !p.has("content"))) {
                        problems.add(name + ": parameter " + p + " needs a name, a location and a schema");
                    }
                    if (p.path("in").asText().equals("path")) {
                        if (!p.path("required").asBoolean()) {
                            problems.add(name + ": path parameter " + p.path("name") + " must be required");
                        }
                        pathParameters.add(p.path("name").asText());
                    }
                }
                Matcher segment = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                while (segment.find()) {
                    if (!pathParameters.contains(segment.group(1))) {
                        problems.add(name + ": {" + segment.group(1) + "} is not a path parameter");
                    }
                }
                if (operation.has("requestBody") && !operation.path("requestBody").has("$ref")
                        && operation.path("requestBody").path("content").isEmpty()) {
                    problems.add(name + ": request body without content");
                }
                if (operation.path("responses").isEmpty()) {
                    problems.add(name + ": no responses");
                }
                operation.path("responses").fields().forEachRemaining(response -> {
                    if (!response.getKey().matches("[1-5](\\d\\d|XX)|default")) {
                        problems.add(name + ": " + response.getKey() + " is not a status code");
                    }
                    if (!response.getValue().has("$ref") && !response.getValue().has("description")) {
                        problems.add(name + " " + response.getKey() + ": a response needs a description");
                    }
                });
                operation.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(scheme -> {
                    if (!schemes.contains(scheme)) {
                        problems.add(name + ": security scheme " + scheme + " is not declared");
                    }
                }));
            });
        });
        eachNode(doc, (where, node) -> {
            if (node.isObject() && node.path("$ref").isTextual()) {
                String ref = node.path("$ref").asText();
                if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
                    problems.add(where + ": " + ref + " does not resolve");
                }
            }
            if (node.isObject() && where.endsWith("/content")) {
                node.fieldNames().forEachRemaining(mediaType -> {
                    if (!mediaType.matches("[\\w.+*-]+/[\\w.+*-]+")) {
                        problems.add(where + ": " + mediaType + " is not a media type");
                    }
                });
            }
        });
        return problems;
    }

    /** What is wrong with each example of a request, response or problem body, judged by the body's schema. */
    private static List<String> exampleMisfits(JsonNode doc) {
        List<String> misfits = new ArrayList<>();
        int[] examples = {0};
        BiConsumer<String, JsonNode> check = (path, node) -> {
            if (!node.isObject() || !node.has("schema") || !node.has("examples")) {
                return;
            }
            ObjectNode schema = JSON.createObjectNode();
            schema.set("components", doc.path("components"));
            schema.setAll((ObjectNode) node.path("schema"));
            var compiled = SCHEMAS.getSchema(schema);
            node.path("examples").fields().forEachRemaining(example -> {
                examples[0]++;
                JsonNode value = example.getValue().has("$ref")
                        ? doc.at(example.getValue().path("$ref").asText().substring(1)) : example.getValue();
                for (ValidationMessage message : compiled.validate(value.path("value"))) {
                    misfits.add(path + " example " + example.getKey() + ": " + message.getMessage());
                }
            });
        };
        eachNode(doc.path("paths"), check);
        eachNode(doc.path("components").path("responses"), check);
        assertThat(examples[0]).as("examples checked").isGreaterThan(30);
        return misfits;
    }

    /** Every node under {@code root} with its JSON pointer, the root included. */
    private static void eachNode(JsonNode root, BiConsumer<String, JsonNode> visit) {
        eachNode("", root, visit);
    }

    private static void eachNode(String pointer, JsonNode node, BiConsumer<String, JsonNode> visit) {
        visit.accept(pointer, node);
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> eachNode(pointer + "/" + field.getKey().replace("~", "~0")
                    .replace("/", "~1"), field.getValue(), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                eachNode(pointer + "/" + i, node.get(i), visit);
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
