package dev.tollgate.pipeline;

import dev.tollgate.audit.AuditActions;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.shared.CanonicalJson;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.nio.charset.StandardCharsets;
import dev.tollgate.candidate.Kind;
import dev.tollgate.shared.Problem.FieldError;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The pipelines this instance offers: the built-in ones ({@code pipelines/<name>.yaml} on the class
 * path) and every {@code *.yaml}, {@code *.yml} or {@code *.json} file of the optional directory
 * {@code tollgate.pipelines.directory}, which may add pipelines or replace built-in ones. All are
 * validated at start-up: a broken policy stops the application with a message naming the file and
 * the problem, rather than failing a promotion later.
 */
@ApplicationScoped
@Startup
public class PipelinePolicies {

    private static final Logger LOG = Logger.getLogger(PipelinePolicies.class);
    static final List<String> BUILT_IN = List.of("standard", "prompt", "bench");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A policy as loaded: its parsed form, its exact bytes, and their digest. */
    public record Loaded(PipelinePolicy policy, String content, String digest) {
    }

    private final Map<String, Loaded> byName = new TreeMap<>();
    private final Map<String, PipelinePolicy> byDigest = new ConcurrentHashMap<>();
    /** Digests whose snapshot is known to be committed. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final EntityManager em;
    private final Clock clock;

    PipelinePolicies(EntityManager em, Clock clock,
                     @ConfigProperty(name = "tollgate.pipelines.directory") Optional<String> directory) {
        this.em = em;
        this.clock = clock;
        for (String name : BUILT_IN) {
            register(load(name, read("pipelines/" + name + ".yaml")), "built in");
        }
        directory.filter(d -> !d.isBlank()).map(Path::of).ifPresent(this::loadDirectory);
    }

    private void loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("tollgate.pipelines.directory " + dir + " is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                int dot = fileName.lastIndexOf('.');
                String extension = dot < 0 ? "" : fileName.substring(dot + 1);
                if (!List.of("yaml", "yml", "json").contains(extension)) {
                    continue;
                }
                String name = fileName.substring(0, dot);
                register(load(name, Files.readString(file, StandardCharsets.UTF_8)),
                        byName.containsKey(name) ? "from " + file + ", replacing the built-in one" : "from " + file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read pipeline policies from " + dir, e);
        }
    }

    private void register(Loaded loaded, String origin) {
        byName.put(loaded.policy().name(), loaded);
        byDigest.put(loaded.digest(), loaded.policy());
        LOG.infof("Pipeline %s loaded %s (%s)", loaded.policy().name(), origin, loaded.digest());
    }

    /** Each start records the policies it serves, with their digests, in the audit log. */
    void auditLoadedPolicies(@Observes StartupEvent startup, AuditLog audit) {
        QuarkusTransaction.requiringNew().run(() -> byName.values().forEach(loaded -> audit.append(
                AuditLog.SYSTEM, AuditActions.POLICY_LOADED, AuditLog.Subject.NONE,
                Map.of("pipeline", loaded.policy().name(), "digest", loaded.digest(), "process", loaded.policy().process()))));
    }

    public Optional<Loaded> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Loaded> all() {
        return byName.values();
    }

    /**
     * The policy a new candidate of {@code kind} names, pinned ({@link #pin}); 400 when the pipeline is unknown,
     * is not for this kind, or refuses the prompt's floating model alias ({@code promptModel}, null for a MODEL).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Loaded pinFor(String pipeline, Kind kind, String promptModel) {
        Loaded policy = find(pipeline).orElseThrow(() -> ProblemException.validation(List.of(new FieldError("pipeline",
                "unknown pipeline '" + pipeline + "'; see GET /api/v1/pipelines"))));
        List<String> kinds = policy.policy().kinds();
        if (!kinds.isEmpty() && !kinds.contains(kind.name())) {
            throw ProblemException.validation(List.of(new FieldError("pipeline",
                    "pipeline '" + pipeline + "' is for " + String.join(" and ", kinds) + " candidates")));
        }
        PipelinePolicy.Risk risk = policy.policy().risk();
        if (kind == Kind.PROMPT && risk.floatingAlias() == PipelinePolicy.FloatingAlias.REFUSE && !risk.pinned(promptModel)) {
            throw ProblemException.validation(List.of(new FieldError("prompt.model", "'" + promptModel
                    + "' is a floating alias, which pipeline '" + pipeline + "' refuses: name a dated snapshot"
                    + " (such as gpt-4o-2024-08-06) so that the provider cannot change the model under it")));
        }
        return pin(policy.policy().name());
    }

    /**
     * Stores the policy's bytes under its digest (once) and returns the loaded policy, so that the
     * candidate that pins it can always be evaluated against exactly these rules. The policies this
     * instance serves are stored at start-up, so a submission normally writes nothing here: concurrent
     * submissions of one pipeline would otherwise queue on the snapshot row's unique key until each other's
     * commit (docs/benchmarks.md).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Loaded pin(String name) {
        Loaded loaded = find(name).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "Unknown pipeline " + name));
        if (!stored.contains(loaded.digest())) {
            store(loaded);
        }
        return loaded;
    }

    private void store(Loaded loaded) {
        em.createNativeQuery("""
                        insert into policy_snapshot (digest, pipeline, content, first_seen)
                        values (:digest, :pipeline, :content, :now) on conflict (digest) do nothing""")
                .setParameter("digest", loaded.digest())
                .setParameter("pipeline", loaded.policy().name())
                .setParameter("content", loaded.content())
                .setParameter("now", clock.instant())
                .executeUpdate();
    }

    /** Each start stores the snapshots of the policies it serves, before any submission pins one. */
    void storeLoadedPolicies(@Observes StartupEvent startup) {
        QuarkusTransaction.requiringNew().run(() -> byName.values().forEach(this::store));
        byName.values().forEach(loaded -> stored.add(loaded.digest()));
    }

    /** The policy pinned under this digest, from memory or from its stored snapshot. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PipelinePolicy pinned(String digest) {
        return byDigest.computeIfAbsent(digest, d -> {
            PolicySnapshot snapshot = em.find(PolicySnapshot.class, d);
            if (snapshot == null) {
                throw new IllegalStateException("No policy snapshot with digest " + d);
            }
            return load(snapshot.pipeline, snapshot.content).policy();
        });
    }

    static Loaded load(String name, String content) {
        PipelinePolicy policy;
        try {
            policy = YAML.readValue(content, PipelinePolicy.class);
        } catch (IOException e) {
            throw new IllegalStateException("Pipeline policy " + name + " is not valid: " + e.getMessage(), e);
        }
        List<String> problems = policy.problems();
        if (!name.equals(policy.name())) {
            problems = new java.util.ArrayList<>(problems);
            problems.add("name '" + policy.name() + "' does not match the file name '" + name + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Pipeline policy " + name + " is not valid: " + String.join("; ", problems));
        }
        return new Loaded(policy, content, CanonicalJson.sha256(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static String read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing pipeline policy " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }
}
