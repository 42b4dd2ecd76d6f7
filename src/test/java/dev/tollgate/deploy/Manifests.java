package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The YAML documents of deploy/ as written (not rendered by kustomize), each with the file it came from. */
final class Manifests {

    static final Path PROJECT = Path.of(
            System.getProperty("tollgate.project.dir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    static final Path K8S = PROJECT.resolve("deploy/k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path LOCAL = K8S.resolve("overlays/local");
    static final Path PRODUCTION = K8S.resolve("overlays/production");
    static final Path OBSERVABILITY = PROJECT.resolve("deploy/observability");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One document of a file; a kustomize JSON patch is one document whose node is an array. */
    record Doc(Path file, JsonNode node) {

        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        boolean is(String kind, String name) {
            return kind().equals(kind) && name().equals(name);
        }

        @Override
        public String toString() {
            return PROJECT.relativize(file) + " " + kind() + "/" + name();
        }
    }

    private final List<Doc> docs;

    private Manifests(List<Doc> docs) {
        this.docs = docs;
    }

    /** Every document of every YAML file under the directories. */
    static Manifests under(Path... directories) {
        List<Doc> docs = new ArrayList<>();
        for (Path directory : directories) {
            yamlFiles(directory).forEach(file -> docs.addAll(read(file)));
        }
        return new Manifests(docs);
    }

    static List<Path> yamlFiles(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> read(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            List<Doc> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Doc(file, node));
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The only document of a file. */
    static JsonNode single(Path file) {
        List<Doc> docs = read(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " documents, not one");
        }
        return docs.get(0).node();
    }

    List<Doc> all() {
        return docs;
    }

    List<Doc> where(Predicate<Doc> filter) {
        return docs.stream().filter(filter).toList();
    }

    List<Doc> ofKind(String kind) {
        return where(d -> d.kind().equals(kind));
    }

    Optional<Doc> find(String kind, String name) {
        return docs.stream().filter(d -> d.is(kind, name)).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name)).node();
    }

    /**
     * The secrets the documents use, with the keys they read: environment variables and volumes of pods, the
     * CloudNativePG roles' secrets, and the ServiceMonitor's credentials.
     */
    Map<String, Set<String>> secretReferences() {
        Map<String, Set<String>> referenced = new TreeMap<>();
        for (Doc doc : docs) {
            JsonNode pod = doc.node().at("/spec/template/spec");
            for (JsonNode c : pod.path("containers")) {
                for (JsonNode variable : c.path("env")) {
                    JsonNode ref = variable.at("/valueFrom/secretKeyRef");
                    if (!ref.isMissingNode()) {
                        add(referenced, ref.path("name").asText(), ref.path("key").asText());
                    }
                }
                c.path("envFrom").forEach(e -> {
                    if (e.has("secretRef")) {
                        add(referenced, e.at("/secretRef/name").asText(), null);
                    }
                });
            }
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("secret")) {
                    String secret = volume.at("/secret/secretName").asText();
                    add(referenced, secret, null);
                    volume.at("/secret/items").forEach(item -> add(referenced, secret, item.path("key").asText()));
                }
            }
            if (doc.kind().equals("Cluster")) {
                JsonNode owner = doc.node().at("/spec/bootstrap/initdb/secret/name");
                if (!owner.isMissingNode()) {
                    add(referenced, owner.asText(), "username");
                    add(referenced, owner.asText(), "password");
                }
                for (JsonNode role : doc.node().at("/spec/managed/roles")) {
                    add(referenced, role.at("/passwordSecret/name").asText(), "password");
                }
            }
            for (JsonNode endpoint : doc.node().at("/spec/endpoints")) {
                JsonNode credentials = endpoint.at("/authorization/credentials");
                if (!credentials.isMissingNode()) {
                    add(referenced, credentials.path("name").asText(), credentials.path("key").asText());
                }
            }
        }
        return referenced;
    }

    private static void add(Map<String, Set<String>> referenced, String secret, String key) {
        Set<String> keys = referenced.computeIfAbsent(secret, s -> new TreeSet<>());
        if (key != null) {
            keys.add(key);
        }
    }

    /** The documents whose file is under a directory. */
    Manifests in(Path directory) {
        return new Manifests(where(d -> d.file().startsWith(directory)));
    }
}
