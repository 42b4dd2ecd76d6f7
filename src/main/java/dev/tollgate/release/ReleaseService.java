package dev.tollgate.release;

import dev.tollgate.candidate.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What serves where and since when. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ReleaseService {

    /** One environment's current (or past) version. */
    public record Serving(String version, String candidateId, Instant since) {
    }

    /** {@code GET /releases/{kind}/{name}}: production and staging at an instant. */
    @Schema(name = "Release")
    public record View(String kind, String name, Instant at, Serving production, Serving staging) {
    }

    private final Releases releases;
    private final Clock clock;

    ReleaseService(Releases releases, Clock clock) {
        this.releases = releases;
        this.clock = clock;
    }

    public View view(Kind kind, String name, Instant at) {
        Instant when = at == null ? clock.instant() : at;
        return new View(kind.name(), name, when, serving(kind, name, Releases.PRODUCTION, when),
                serving(kind, name, Releases.STAGING, when));
    }

    private Serving serving(Kind kind, String name, String environment, Instant at) {
        return releases.at(kind.name(), name, environment, at)
                .map(p -> new Serving(p.version, p.candidateId.toString(), p.startedAt)).orElse(null);
    }
}
