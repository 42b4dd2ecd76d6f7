package dev.tollgate.audit;

import jakarta.enterprise.context.ApplicationScoped;
import dev.tollgate.shared.DatabaseFailures;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Verifies the stored chain against the latest checkpoint published on Kafka (or one the auditor
 * gives), for the API and the UI alike. Without a checkpoint a cut tail with a rewritten head would look
 * intact; so the report always says which checkpoint it held the log against, or why there was none.
 */
@ApplicationScoped
public class AuditVerification {

    /** Which checkpoint the chain was held against. */
    public enum CheckpointStatus {
        /** The latest one on {@code tollgate.audit}. */
        PUBLISHED,
        /** The one the caller named. */
        GIVEN,
        /** None has been published yet. */
        NONE_PUBLISHED,
        /** Kafka could not be read: only the chain itself was checked. */
        UNAVAILABLE
    }

    /** The verdict on the sealed chain, and the committed entries still waiting to join it. */
    public record Report(AuditVerifier.Result result, AuditVerifier.Checkpoint checkpoint, CheckpointStatus status,
                         AuditSealer.Backlog unsealed) {
    }

    private final DataSource dataSource;
    private final PublishedCheckpoints published;
    private final AuditSealer sealer;

    AuditVerification(DataSource dataSource, PublishedCheckpoints published, AuditSealer sealer) {
        this.dataSource = dataSource;
        this.published = published;
        this.sealer = sealer;
    }

    public Report verify(AuditVerifier.Checkpoint given) {
        try {
            AuditVerifier.Checkpoint checkpoint = given;
            CheckpointStatus status = CheckpointStatus.GIVEN;
            if (given == null) {
                PublishedCheckpoints.Latest latest = published.latest();
                checkpoint = latest.checkpoint();
                status = checkpoint != null ? CheckpointStatus.PUBLISHED
                        : latest.reachable() ? CheckpointStatus.NONE_PUBLISHED : CheckpointStatus.UNAVAILABLE;
            }
            try (Connection connection = dataSource.getConnection()) {
                return new Report(AuditVerifier.verify(connection, checkpoint), checkpoint, status, sealer.backlog());
            }
        } catch (SQLException e) {
            throw new DatabaseFailures.DatabaseException(e);
        }
    }
}
