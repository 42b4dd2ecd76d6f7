package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The README's image command ({@code mvn -Pimage}): Tollgate's container image, built by the Quarkus Jib extension
 * with no Docker daemon. Jib pushes to a registry; here that is a registry this command starts on loopback (Debian's
 * {@code docker-registry}, installed when missing and allowed), from which the image is exported as an OCI archive,
 * {@code target/tollgate-image.tar}, for {@code podman load}, {@code docker load} or {@code skopeo copy}. The base
 * image is {@link ImageBase}'s unless {@code -Dtollgate.image.base} names another (any reference Jib takes, such as a
 * JRE image in your registry). With a registry of your own, skip all this: {@code mvn package
 * -Dquarkus.container-image.push=true -Dquarkus.container-image.registry=...} (docs/operations.md).
 */
public final class ImageBuild {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String MANIFESTS = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";

    private ImageBuild() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(System.getProperty("tollgate.project.dir", ".")).toAbsolutePath();
        String version = System.getProperty("tollgate.version", "latest");
        Path cache = LocalFiles.cacheDirectory().resolve("image");
        String base = System.getProperty("tollgate.image.base");
        if (base == null || base.isBlank()) {
            say("Composing the base image (a jlinked JRE of this JDK, once per JDK version) ...");
            base = "tar://" + ImageBase.compose(cache);
        }
        String registryBinary = ensureRegistry();
        int port = FreePorts.find();
        Path storage = Files.createTempDirectory(cache, "registry-");
        Process registry = startRegistry(registryBinary, storage, port);
        try {
            String repository = "127.0.0.1:" + port;
            say("Building tollgate/tollgate:" + version + " with the Quarkus Jib extension (base " + base + ") ...");
            List<String> mvn = new ArrayList<>(List.of(NestedMaven.executable(), "-B", "-q", "-ntp", "-f",
                    project.resolve("pom.xml").toString(), "quarkus:image-push", "-Dquarkus.container-image.builder=jib",
                    "-Dquarkus.container-image.registry=" + repository, "-Dquarkus.container-image.insecure=true",
                    "-Dquarkus.jib.base-jvm-image=" + base));
            Process build = new ProcessBuilder(mvn).inheritIO().start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("The image build failed (exit " + build.exitValue() + "); see above");
            }
            Path archive = project.resolve("target/tollgate-image.tar");
            JsonNode config = export(repository, "tollgate/tollgate", version, archive);
            say("");
            say("Image tollgate/tollgate:%s built: %s (%d MB)", version, project.relativize(archive),
                    Files.size(archive) / (1024 * 1024));
            say("  user %s, entrypoint %s", config.path("config").path("User").asText(),
                    config.path("config").path("Entrypoint"));
            say("  load it with: podman load -i %s   (or docker load, or skopeo copy oci-archive:...)",
                    project.relativize(archive));
        } finally {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
            LocalFiles.deleteRecursively(storage);
        }
    }

    /** Copies the image from the registry into an OCI image layout archive; returns its configuration. */
    static JsonNode export(String registry, String repository, String tag, Path archive) throws Exception {
        String base = "http://" + registry + "/v2/" + repository;
        HttpResponse<byte[]> manifestResponse = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + tag))
                .header("Accept", MANIFESTS).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (manifestResponse.statusCode() != 200) {
            throw new IllegalStateException("The registry has no " + repository + ":" + tag + " ("
                    + manifestResponse.statusCode() + ")");
        }
        byte[] manifest = manifestResponse.body();
        JsonNode parsed = JSON.readTree(manifest);
        String manifestType = manifestResponse.headers().firstValue("Content-Type").orElse(parsed.path("mediaType").asText());
        String manifestDigest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(manifest));
        List<String> blobs = new ArrayList<>();
        blobs.add(parsed.path("config").path("digest").asText());
        parsed.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
        Files.createDirectories(archive.getParent());
        byte[] configBlob;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            entry(tar, "index.json", JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(Map.of(
                    "mediaType", manifestType, "digest", manifestDigest, "size", manifest.length,
                    "annotations", Map.of("org.opencontainers.image.ref.name", tag,
                            "io.containerd.image.name", "docker.io/" + repository + ":" + tag))))));
            entry(tar, "blobs/sha256/" + manifestDigest.substring(7), manifest);
            configBlob = null;
            for (String digest : blobs) {
                HttpResponse<InputStream> blob = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/blobs/" + digest))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                byte[] bytes;
                try (InputStream in = blob.body()) {
                    bytes = in.readAllBytes();
                }
                String got = "sha256:" + dev.tollgate.shared.Sha256.hex(bytes);
                if (blob.statusCode() != 200 || !got.equals(digest)) {
                    throw new IllegalStateException("The registry answered " + blob.statusCode() + " for blob " + digest
                            + (blob.statusCode() == 200 ? " with content of digest " + got : ""));
                }
                if (configBlob == null) {
                    configBlob = bytes;
                }
                entry(tar, "blobs/sha256/" + digest.substring(7), bytes);
            }
            tar.finish();
        }
        return JSON.readTree(configBlob);
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Debian's registry (the CNCF Distribution registry), installed with apt-get when missing and allowed. */
    private static String ensureRegistry() throws IOException, InterruptedException {
        String configured = System.getenv("TOLLGATE_REGISTRY_BINARY");
        for (String candidate : List.of(configured == null ? "" : configured, "/usr/bin/docker-registry")) {
            if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            fail("The image command pushes to a registry it starts on loopback and needs Debian's docker-registry: "
                    + "sudo apt-get install -y docker-registry (or set TOLLGATE_REGISTRY_BINARY to a Distribution "
                    + "registry binary)");
        }
        say("Installing Debian's docker-registry (apt-get) ...");
        for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker-registry"))) {
            Process apt = new ProcessBuilder(command).inheritIO().start();
            apt.getOutputStream().close();
            if (apt.waitFor() != 0) {
                fail("apt-get failed: " + String.join(" ", command));
            }
        }
        return "/usr/bin/docker-registry";
    }

    private static Process startRegistry(String binary, Path storage, int port) throws Exception {
        Path config = storage.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(storage.resolve("data"), port));
        Process registry = new ProcessBuilder(binary, "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(storage.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!registry.isAlive()) {
                fail("The registry exited: " + Files.readString(storage.resolve("registry.log")));
            }
            Thread.sleep(200);
        }
        registry.destroy();
        fail("The registry did not answer on 127.0.0.1:" + port);
        return registry;
    }

    private static void say(String format, Object... args) {
        System.out.println("[tollgate] " + (args.length == 0 ? format : String.format(format, args)));
    }

    private static void fail(String message) {
        System.err.println("[tollgate] " + message);
        System.exit(1);
    }
}
