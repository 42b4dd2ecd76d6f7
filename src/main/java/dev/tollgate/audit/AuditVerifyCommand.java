package dev.tollgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Verifies the audit chain from the command line, against a database or an export file, without
 * a running Tollgate (docs/audit.md):
 * <pre>
 * java -cp "target/quarkus-app/lib/main/*:target/quarkus-app/app/*" dev.tollgate.audit.AuditVerifyCommand \
 *      --jdbc jdbc:postgresql://host/tollgate --user u --password p [--checkpoint SEQ:HASH]
 * java -cp ... dev.tollgate.audit.AuditVerifyCommand --export audit.jsonl|audit.csv [--checkpoint SEQ:HASH]
 * </pre>
 * Exits 0 when the chain is intact, 1 when it is not (naming the first bad sequence number), 2 on usage errors.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) throws Exception {
        String jdbc = null;
        String user = null;
        String password = null;
        Path file = null;
        AuditVerifier.Checkpoint checkpoint = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jdbc" -> jdbc = args[i + 1];
                case "--user" -> user = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--export" -> file = Path.of(args[i + 1]);
                case "--checkpoint" -> {
                    String[] parts = args[i + 1].split(":", 2);
                    checkpoint = new AuditVerifier.Checkpoint(Long.parseLong(parts[0]), parts[1]);
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        AuditVerifier.Result result;
        if (jdbc != null) {
            try (Connection connection = DriverManager.getConnection(jdbc, user, password)) {
                result = AuditVerifier.verify(connection, checkpoint);
            }
        } else if (file != null) {
            result = verifyExport(file, checkpoint);
        } else {
            usage("give --jdbc URL or --export FILE");
            return;
        }
        System.out.println(result.valid()
                ? "valid: " + result.entries() + " entries, head " + result.headHash()
                : "INVALID at seq " + result.firstInvalidSeq() + ": " + result.problem());
        System.exit(result.valid() ? 0 : 1);
    }

    /**
     * Verifies a JSON Lines or CSV export, streaming it, against the anchor on its first line and the
     * checkpoint that the auditor holds (or else the one the anchor names).
     */
    public static AuditVerifier.Result verifyExport(Path file, AuditVerifier.Checkpoint checkpoint) throws IOException {
        boolean csv = file.getFileName().toString().endsWith(".csv");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ObjectMapper mapper = new ObjectMapper();
            String first = reader.readLine();
            AuditVerifier.Checkpoint[] named = new AuditVerifier.Checkpoint[1];
            AuditVerifier.Anchor anchor = null;
            if (first != null && csv && first.startsWith(AuditExport.CSV_ANCHOR_PREFIX)) {
                anchor = AuditExport.parseAnchor(mapper, first.substring(AuditExport.CSV_ANCHOR_PREFIX.length()), named);
                reader.readLine(); // the column names
            } else if (first != null && !csv && first.startsWith("{\"anchor\"")) {
                anchor = AuditExport.parseAnchor(mapper, first, named);
            }
            if (anchor == null) {
                return AuditVerifier.verifyExport(java.util.Collections.emptyIterator(), null, checkpoint);
            }
            AuditVerifier.Checkpoint against = checkpoint != null ? checkpoint : named[0];
            Iterator<AuditEntry> entries = new Iterator<>() {
                private final ObjectMapper json = new ObjectMapper();
                private String line = readLine();

                private String readLine() {
                    try {
                        String next = reader.readLine();
                        while (next != null && next.isBlank()) {
                            next = reader.readLine();
                        }
                        return next;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public boolean hasNext() {
                    return line != null;
                }

                @Override
                public AuditEntry next() {
                    if (line == null) {
                        throw new NoSuchElementException();
                    }
                    AuditEntry entry = csv ? fromCsv(line) : fromJson(json, line);
                    line = readLine();
                    return entry;
                }
            };
            return AuditVerifier.verifyExport(entries, anchor, against);
        }
    }

    static AuditEntry fromJson(ObjectMapper json, String line) {
        try {
            JsonNode n = json.readTree(line);
            return new AuditEntry(n.get("seq").asLong(), Instant.parse(n.get("at").asText()), text(n, "actor"),
                    text(n, "action"), text(n, "subject"), text(n, "kind"), text(n, "name"), text(n, "version"),
                    text(n, "data"), text(n, "prevHash"), text(n, "hash"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** One RFC 4180 line: quoted fields may hold commas and doubled quotes; an empty unquoted field is null. */
    static AuditEntry fromCsv(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i <= line.length()) {
            if (i < line.length() && line.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (i < line.length()) {
                    char c = line.charAt(i);
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        value.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        value.append(c);
                        i++;
                    }
                }
                fields.add(value.toString());
                i++; // the comma
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                String raw = line.substring(i, end);
                fields.add(raw.isEmpty() ? null : raw);
                i = end + 1;
            }
        }
        return new AuditEntry(Long.parseLong(fields.get(0)), Instant.parse(fields.get(1)), fields.get(2), fields.get(3),
                fields.get(4), fields.get(5), fields.get(6), fields.get(7), fields.get(8), fields.get(9), fields.get(10));
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: AuditVerifyCommand (--jdbc URL --user U --password P | --export FILE) [--checkpoint SEQ:HASH]");
        System.exit(2);
    }
}
