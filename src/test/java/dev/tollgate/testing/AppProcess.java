package dev.tollgate.testing;

import dev.tollgate.local.FreePorts;
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

/** The packaged application ({@code target/quarkus-app/quarkus-run.jar}) running as a process of its own. */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar in the {@code local} profile (demo users) against the given services and waits until ready. */
    public static AppProcess start(Map<String, String> config) throws Exception {
        return start("local", config, Map.of());
    }

    /** Starts the jar in {@code profile} with these settings and environment variables, and waits until ready. */
    public static AppProcess start(String profile, Map<String, String> config, Map<String, String> environment)
            throws Exception {
        return start(packagedJar(), profile, config, environment);
    }

    /** Starts another build of the application ({@code jar}), as {@link #start(String, Map, Map)} does this one. */
    public static AppProcess start(Path jar, String profile, Map<String, String> config, Map<String, String> environment)
            throws Exception {
        int port = FreePorts.find();
        Path log = Files.createTempFile("tollgate-app-", ".log");
        AppProcess app = new AppProcess(launch(jar, profile, port, config, environment, log), port, log);
        app.awaitHealth("/q/health/ready", Duration.ofSeconds(120));
        return app;
    }

    /**
     * Starts the jar and waits until it is alive, not ready: for a start whose readiness is expected to stay DOWN
     * (a service it cannot use).
     */
    public static AppProcess startAlive(String profile, Map<String, String> config, Map<String, String> environment)
            throws Exception {
        int port = FreePorts.find();
        Path log = Files.createTempFile("tollgate-app-", ".log");
        AppProcess app = new AppProcess(launch(packagedJar(), profile, port, config, environment, log), port, log);
        app.awaitHealth("/q/health/live", Duration.ofSeconds(120));
        return app;
    }

    /**
     * The settings with the per-caller rate limits off: benchmarks and load drivers are a few callers at
     * machine speed from one address, which the limits exist to stop.
     */
    public static Map<String, String> withoutRateLimits(Map<String, String> config) {
        Map<String, String> unthrottled = new java.util.HashMap<>(config);
        unthrottled.put("tollgate.rate-limit.enabled", "false");
        return unthrottled;
    }

    /** How a start that was expected to fail ended: its exit code and its log. */
    public record Exited(int exitCode, String log) {
    }

    /**
     * Starts the jar in {@code profile} and waits for it to exit on its own (a refused start);
     * fails if it is still running after {@code timeout}.
     */
    public static Exited startExpectingRefusal(String profile, Map<String, String> config, Duration timeout)
            throws Exception {
        return startExpectingRefusal(profile, config, Map.of(), timeout);
    }

    public static Exited startExpectingRefusal(String profile, Map<String, String> config, Map<String, String> environment,
                                               Duration timeout) throws Exception {
        Path log = Files.createTempFile("tollgate-app-", ".log");
        Process process = launch(packagedJar(), profile, FreePorts.find(), config, environment, log);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Tollgate started in profile " + profile + " although it should not:\n"
                        + Files.readString(log));
            }
            return new Exited(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** This build's application: {@code target/quarkus-app/quarkus-run.jar}. */
    private static Path packagedJar() {
        Path jar = Path.of(System.getProperty("tollgate.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after mvn package");
        }
        return jar;
    }

    /** A packaged jar as a process of its own, its output (both streams) in {@code log}. */
    private static Process launch(Path jar, String profile, int port, Map<String, String> config,
                                  Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=" + profile, "-Dquarkus.http.port=" + port));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Ends the process with SIGKILL: no shutdown hook, no graceful close, as a crash or an OOM kill would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            Files.deleteIfExists(log);
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }

    private void awaitHealth(String path, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tollgate exited during start-up:\n" + Files.readString(log));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Tollgate not answering " + path + " after " + timeout.toSeconds() + " s:\n"
                + Files.readString(log));
    }
}
