package dev.tollgate.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command ({@code mvn -Prun}): starts PostgreSQL, Kafka and the packaged
 * Tollgate with the demo users and demo data, prints where everything is, and stops all three on
 * Ctrl-C. Settings, as {@code -D} options: {@code tollgate.http.port} (8080),
 * {@code tollgate.kafka.port} (9092), {@code tollgate.postgres.port} (15432),
 * {@code tollgate.postgres.synchronous-commit} ({@code off}; {@code on} as production runs, for benchmarks); the standard
 * Quarkus settings for an external PostgreSQL or Kafka (see {@link LocalServices}).
 */
public final class LocalRun {

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int httpPort = Integer.getInteger("tollgate.http.port", 8080);
        int kafkaPort = Integer.getInteger("tollgate.kafka.port", 9092);
        int postgresPort = Integer.getInteger("tollgate.postgres.port", 15432);
        Path jar = Path.of(System.getProperty("tollgate.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            fail("The application is not built: " + jar + " is missing. Run: mvn -Prun");
        }
        requireFree(httpPort, "tollgate.http.port");
        requireFree(kafkaPort, "tollgate.kafka.port");
        requireFree(postgresPort, "tollgate.postgres.port");

        say("Starting PostgreSQL and Kafka ...");
        String synchronousCommit = System.getProperty("tollgate.postgres.synchronous-commit", "off");
        LocalServices services = LocalServices.start(postgresPort, kafkaPort, LocalFiles.cacheDirectory().resolve("local"),
                Map.of("synchronous_commit", synchronousCommit));
        long servicesReady = System.nanoTime();

        say("Starting Tollgate ...");
        Process app = startApplication(jar, httpPort, services.config());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app, services), "tollgate-local-stop"));

        String base = "http://localhost:" + httpPort;
        awaitReady(app, base + "/q/health/ready", Duration.ofSeconds(180));
        long appReady = System.nanoTime();
        DemoData.load(base);

        String kafka = services.config().get(LocalServices.KAFKA);
        say("");
        say("Tollgate is running (ready in %.1f s: services %.1f s, application %.1f s)",
                seconds(started, appReady), seconds(started, servicesReady), seconds(servicesReady, appReady));
        say("  Tollgate UI    " + base + "/ui   (sign in as bob, password demo)");
        say("  Tollgate API   " + base + "/api/v1/candidates");
        say("  API document   " + base + "/q/swagger-ui   (Swagger UI; the OpenAPI document is /q/openapi)");
        say("  Health         " + base + "/q/health");
        say("  Kafka          " + kafka + "   (topics tollgate.promotions, tollgate.deployments, tollgate.signals, tollgate.audit)");
        say("  PostgreSQL     " + services.config().getOrDefault(LocalServices.JDBC_URL, "(external)")
                + "   runtime user tollgate / tollgate, owner tollgate_owner / tollgate_owner, synchronous_commit "
                + synchronousCommit);
        say("  Demo users     alice, eve, bob, carol, rita, sam, dave, audrey, mona, admin  (password: demo)");
        say("  Demo data      " + DemoData.SUMMARY);
        say("Press Ctrl-C to stop everything.");
        app.waitFor();
    }

    private static Process startApplication(Path jar, int httpPort, Map<String, String> config) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(KafkaBroker.javaExecutable());
        command.add("-Dquarkus.profile=local");
        command.add("-Dquarkus.http.port=" + httpPort);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static void awaitReady(Process app, String url, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                fail("Tollgate exited during start-up (exit code " + app.exitValue() + "); see its log above.");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("Tollgate was not ready after " + timeout.toSeconds() + " s");
    }

    private static void stop(Process app, LocalServices services) {
        say("Stopping Tollgate, Kafka and PostgreSQL ...");
        app.destroy();
        try {
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
            services.close();
        } catch (Exception e) {
            System.err.println("[tollgate] Stopping failed: " + e);
        }
        say("Stopped.");
    }

    private static void requireFree(int port, String setting) {
        if (!FreePorts.isFree(port)) {
            fail("Port " + port + " is in use. Stop what uses it, or choose another port: mvn -Prun -D" + setting + "=<port>");
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    static void say(String format, Object... args) {
        System.out.println("[tollgate] " + (args.length == 0 ? format : String.format(format, args)));
    }

    private static void fail(String message) {
        System.err.println("[tollgate] " + message);
        System.exit(1);
    }
}
