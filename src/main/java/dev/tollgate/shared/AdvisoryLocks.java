package dev.tollgate.shared;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

/**
 * PostgreSQL advisory locks held until the end of the current transaction, each named by a key in a
 * key space (candidate submissions, releases, outbox keys: docs/operations.md, "Locks").
 *
 * <p>The lock statement is sent without flushing the persistence context first: it reads no table, so
 * Hibernate's automatic flush before a native query (a dirty check of every managed entity) would be
 * pure cost, and it was a tenth of a submission's CPU time (docs/benchmarks.md).
 */
public final class AdvisoryLocks {

    /** Key spaces: the second argument of {@code hashtextextended}, so equal keys of two spaces never collide. */
    public static final int RELEASE = 0;
    public static final int OUTBOX = 1;
    public static final int SUBMISSION = 2;
    /** One name's signals, one at a time (docs/drift.md): taken before the version in production is locked. */
    public static final int WATCH = 3;
    /** One inventory entry's registration and changes, one at a time. */
    public static final int INVENTORY = 4;
    /** Stopping and restarting the line, one at a time. */
    public static final int GOVERNANCE = 5;

    private AdvisoryLocks() {
    }

    /** Waits for the shared lock on {@code key}: many hold it at once, none while someone holds the exclusive one. */
    public static void holdShared(EntityManager em, int space, String key) {
        em.createNativeQuery("select pg_advisory_xact_lock_shared(hashtextextended(:key, :space))")
                .setParameter("key", key)
                .setParameter("space", space)
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
    }

    /** Waits for the lock on {@code key} in {@code space} and holds it until the transaction ends. */
    public static void hold(EntityManager em, int space, String key) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, :space))")
                .setParameter("key", key)
                .setParameter("space", space)
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
    }
}
