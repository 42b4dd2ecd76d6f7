/*
 * An example monitor: it reads a serving application's log of provider responses (JSON lines) and tells Tollgate
 * which model snapshot answered each prompt, so that Tollgate can re-evaluate a prompt in production whose provider
 * now answers with another model or system_fingerprint than the one it was evaluated with.
 *
 * It posts one provider observation per distinct (prompt, provider, model, system_fingerprint), not one per line.
 * An observation's signal id is a hash of its content, including the time the log first showed that snapshot, so
 * reading the same log again sends the same signals: Tollgate answers 200 with what it answered the first time and
 * starts nothing new. That makes it safe to run from cron over a growing log and to run again after a failure.
 * README.md beside this file describes the log format and the options.
 *
 * Run (needs a JDK 17 and the jars examples/monitor/pom.xml lists):
 *   mvn -q -f examples/monitor/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib
 *   java -cp "examples/monitor/target/lib/*" examples/monitor/Monitor.java \
 *        --url http://localhost:8080 --user mona --password demo --log examples/monitor/serving-log.example.jsonl
 */

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

public class Monitor {

    static final String USAGE = """
            Usage: java -cp "examples/monitor/target/lib/*" examples/monitor/Monitor.java --log <file> [options]
              --url <Tollgate base URL>         default http://localhost:8080
              --user <name> --password <pw>     HTTP Basic (a local run: mona / demo)
              --token <tg_...>                  an API token with the monitor role (production)
              --token-file <file>               the same, read from a file
              --kind <PROMPT|MODEL>             default PROMPT
              --source <text>                   default "serving log <file name>"
              --follow [--interval <seconds>]   keep reading what the log gains (default every 10 s)""";
    static final Set<String> FLAGS = Set.of("follow");
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What answered a prompt: the monitor posts one observation per distinct snapshot. */
    record Snapshot(String prompt, String provider, String model, String fingerprint) {
    }

    /** A snapshot as the log showed it: first when, on how many lines, and whether Tollgate took (or refused) it. */
    static final class Seen {
        final Snapshot snapshot;
        final Instant firstSeen;
        int lines;
        boolean settled;

        Seen(Snapshot snapshot, Instant firstSeen) {
            this.snapshot = snapshot;
            this.firstSeen = firstSeen;
        }
    }

    /** What one read of the log found and what became of the observations posted. */
    static final class Pass {
        int lines, responses, notJson, incomplete;
        int created, repeated, refused, undelivered;
        boolean unreachable;

        boolean failed() {
            return refused + undelivered > 0;
        }
    }

    /** Tollgate refused the credentials: nothing else would get through either. */
    static final class NotAllowed extends Exception {
        NotAllowed(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Snapshot, Seen> seen = new LinkedHashMap<>();
    private final LogFile log;
    private final URI signals;
    private final String authorization;
    private final String kind;
    private final String source;

    Monitor(Path log, URI signals, String authorization, String kind, String source) {
        this.log = new LogFile(log);
        this.signals = signals;
        this.authorization = authorization;
        this.kind = kind;
        this.source = source;
    }

    public static void main(String[] args) throws Exception {
        Monitor monitor;
        boolean follow;
        Duration interval;
        try {
            Map<String, String> options = options(args);
            Path log = Path.of(required(options, "log"));
            String url = options.getOrDefault("url", "http://localhost:8080").replaceAll("/+$", "");
            String kind = options.getOrDefault("kind", "PROMPT");
            if (!kind.equals("PROMPT") && !kind.equals("MODEL")) {
                throw new IllegalArgumentException("--kind must be PROMPT or MODEL");
            }
            monitor = new Monitor(log, URI.create(url + "/api/v1/signals"), authorization(options), kind,
                    options.getOrDefault("source", "serving log " + log.getFileName()));
            follow = options.containsKey("follow");
            interval = Duration.ofSeconds(Long.parseLong(options.getOrDefault("interval", "10")));
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("--interval must be at least 1 second");
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("[monitor] " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            if (follow) {
                monitor.follow(interval);
            } else {
                System.exit(monitor.pass(true).failed() ? 1 : 0);
            }
        } catch (NotAllowed e) {
            System.err.println("[monitor] " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("[monitor] cannot read " + monitor.log.path + ": " + e);
            System.exit(2);
        }
    }

    /** Reads what the log gained, posts the snapshots Tollgate does not have yet, and says what happened. */
    Pass pass(boolean toEnd) throws IOException, InterruptedException, NotAllowed {
        Pass pass = new Pass();
        for (String line : log.newLines(toEnd)) {
            read(line, pass);
        }
        for (Seen s : seen.values()) {
            if (s.settled) {
                continue;
            }
            if (pass.unreachable) {
                pass.undelivered++;
            } else {
                post(s, pass);
            }
        }
        int posted = pass.created + pass.repeated + pass.refused + pass.undelivered;
        if (!toEnd && pass.lines == 0 && posted == 0) {
            return pass; // following: nothing new since the last pass
        }
        System.out.printf("[monitor] %s: %s, %s, %d skipped (%d not a JSON object, %d without ts, prompt, provider"
                        + " or model); %s: %d new, %d already received, %d refused, %d not delivered%n",
                log.path.getFileName(), count(pass.lines, "line"), count(pass.responses, "provider response"),
                pass.notJson + pass.incomplete, pass.notJson, pass.incomplete, count(posted, "observation"),
                pass.created, pass.repeated, pass.refused, pass.undelivered);
        return pass;
    }

    /** Tails the log like a sidecar: an observation Tollgate could not take is sent again at the next pass. */
    void follow(Duration interval) throws InterruptedException, NotAllowed {
        System.out.println("[monitor] following " + log.path + ", posting to " + signals);
        while (true) {
            try {
                pass(false);
            } catch (NoSuchFileException e) {
                System.out.println("[monitor] waiting for " + log.path + " to exist");
            } catch (IOException e) {
                System.out.println("[monitor] cannot read " + log.path + ": " + e + "; trying again");
            }
            Thread.sleep(interval.toMillis());
        }
    }

    void read(String line, Pass pass) {
        if (line.isBlank()) {
            return;
        }
        pass.lines++;
        JsonNode entry;
        try {
            entry = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            entry = null;
        }
        if (entry == null || !entry.isObject()) {
            pass.notJson++;
            return;
        }
        Instant at = instant(text(entry, "ts"));
        Snapshot snapshot = new Snapshot(text(entry, "prompt"), text(entry, "provider"), text(entry, "model"),
                text(entry, "system_fingerprint"));
        if (at == null || snapshot.prompt() == null || snapshot.provider() == null || snapshot.model() == null) {
            pass.incomplete++;
            return;
        }
        pass.responses++;
        seen.computeIfAbsent(snapshot, s -> new Seen(s, at)).lines++;
    }

    void post(Seen s, Pass pass) throws InterruptedException, NotAllowed {
        ObjectNode content = JSON.createObjectNode().put("type", "provider").put("kind", kind)
                .put("name", s.snapshot.prompt()).put("provider", s.snapshot.provider())
                .put("model", s.snapshot.model());
        if (s.snapshot.fingerprint() != null) {
            content.put("fingerprint", s.snapshot.fingerprint());
        }
        content.put("observedAt", s.firstSeen.toString()).put("source", source);
        String signalId = signalId(content);
        ObjectNode body = JSON.createObjectNode().put("signalId", signalId);
        body.setAll(content);
        String what = String.join(" ", s.snapshot.prompt(), s.snapshot.provider(), s.snapshot.model(),
                Objects.requireNonNullElse(s.snapshot.fingerprint(), "(no fingerprint)"))
                + ", first seen " + s.firstSeen + " (" + count(s.lines, "line") + "), signal " + signalId;
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(signals).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            pass.undelivered++;
            pass.unreachable = true;
            System.out.println("[monitor] NOT DELIVERED " + what + ": " + e + "; Tollgate is unreachable: what"
                    + " was not delivered goes at the next pass or run, with the same signal ids");
            return;
        }
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        if (status == 401 || status == 403) {
            throw new NotAllowed("Tollgate answered " + status + " to " + signals + ": the monitor needs a user or an"
                    + " API token with the monitor role. " + answer.path("detail").asText(""));
        }
        if (status == 200 || status == 201) {
            s.settled = true;
            if (status == 201) {
                pass.created++;
            } else {
                pass.repeated++;
            }
            String reevaluation = answer.path("reevaluationId").asText(null);
            System.out.printf("[monitor] %d %s%s %s: %s%s%n", status, answer.path("outcome").asText("?"),
                    status == 200 ? " (already received)" : "", what,
                    answer.path("detail").asText(""), reevaluation == null ? "" : "; re-evaluation " + reevaluation);
        } else if (status == 429 || status >= 500) {
            pass.undelivered++;
            System.out.printf("[monitor] %d NOT DELIVERED %s: %s%n", status, what, problem(answer, response.body()));
        } else {
            // A bad name in the log (400) or this id already used for other content (422): sending it again won't help.
            s.settled = true;
            pass.refused++;
            System.out.printf("[monitor] %d REFUSED %s: %s%n", status, what, problem(answer, response.body()));
        }
    }

    /** Sends, and again after a pause when Tollgate is unreachable, busy or failing: the signal id makes it safe. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if ((response.statusCode() != 429 && response.statusCode() < 500) || attempt == ATTEMPTS) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
            Thread.sleep(1000L << (attempt - 1));
        }
    }

    /** The same content gives the same id, so that a repeat is a retry and never a second observation. */
    static String signalId(ObjectNode content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(content));
            return "serving-log-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static String problem(JsonNode answer, String body) {
        if (!answer.has("detail")) {
            return body.length() > 300 ? body.substring(0, 300) + "..." : body;
        }
        StringBuilder text = new StringBuilder(answer.path("detail").asText());
        for (JsonNode error : answer.path("errors")) {
            text.append("; ").append(error.path("field").asText()).append(' ').append(error.path("message").asText());
        }
        return text.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String authorization(Map<String, String> options) throws IOException {
        if (options.containsKey("token-file")) {
            return "Bearer " + Files.readString(Path.of(options.get("token-file"))).strip();
        }
        if (options.containsKey("token")) {
            return "Bearer " + options.get("token");
        }
        if (options.containsKey("user")) {
            String pair = options.get("user") + ":" + required(options, "password");
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("Give --token (or --token-file), or --user and --password");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected " + args[i]);
            }
            String name = args[i].substring(2);
            if (FLAGS.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
        }
        return options;
    }

    /**
     * Reads the complete lines a file gained since the last read, and starts over when the file was replaced
     * (rotated) or truncated. A last line without its newline waits for the next read unless {@code toEnd}.
     */
    static final class LogFile {
        final Path path;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private Object fileKey;
        private long position;

        LogFile(Path path) {
            this.path = path;
        }

        List<String> newLines(boolean toEnd) throws IOException {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            List<String> lines = new ArrayList<>();
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                if (!Objects.equals(key, fileKey) || channel.size() < position) {
                    fileKey = key;
                    position = 0;
                    partial.reset();
                }
                channel.position(position);
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                while (channel.read(buffer) > 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        if (b == '\n') {
                            lines.add(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        } else {
                            partial.write(b);
                        }
                    }
                    buffer.clear();
                }
                position = channel.position();
            }
            if (toEnd && partial.size() > 0) {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            }
            return lines;
        }
    }
}
