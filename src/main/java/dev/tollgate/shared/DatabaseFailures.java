package dev.tollgate.shared;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tells apart the database failures that a retry can cure from the others, by PostgreSQL's SQLSTATE
 * anywhere in an exception's causes: a conflict with a concurrent transaction (the request may be
 * retried at once), the database being unreachable or shutting down (retry later), or anything else.
 */
public final class DatabaseFailures {

    /** A JDBC failure, unchecked; it is classified like any other, by the SQLSTATE of its cause. */
    public static final class DatabaseException extends RuntimeException {
        public DatabaseException(java.sql.SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public enum Kind {
        /** Unique key taken by a concurrent transaction, serialization failure, deadlock, lock not available. */
        CONFLICT,
        /** No connection, the server shutting down or starting, out of resources. */
        UNAVAILABLE,
        /** Not a database failure, or one that a retry does not cure. */
        OTHER
    }

    private static final Set<String> CONFLICTS = Set.of("23505", "40001", "40P01", "55P03");

    private DatabaseFailures() {
    }

    public static Kind classify(Throwable failure) {
        for (Throwable t : chain(failure)) {
            String name = t.getClass().getName();
            if (name.equals("jakarta.persistence.OptimisticLockException")
                    || name.equals("org.hibernate.StaleStateException")
                    || name.equals("org.hibernate.StaleObjectStateException")
                    || name.equals("org.hibernate.exception.LockAcquisitionException")
                    || name.equals("jakarta.persistence.PessimisticLockException")
                    || name.equals("jakarta.persistence.LockTimeoutException")) {
                return Kind.CONFLICT;
            }
            if (name.equals("org.hibernate.exception.JDBCConnectionException")) {
                return Kind.UNAVAILABLE;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && CONFLICTS.contains(state)) {
                    return Kind.CONFLICT;
                }
                if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"))) {
                    return Kind.UNAVAILABLE;
                }
                // The connection pool found no connection in time (the server is down or overloaded).
                if (state == null && sql.getMessage() != null && sql.getMessage().contains("Acquisition timeout")) {
                    return Kind.UNAVAILABLE;
                }
            }
        }
        return Kind.OTHER;
    }

    /** The first SQLSTATE among the causes, if any. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static Iterable<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        Deque<Throwable> todo = new ArrayDeque<>();
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && out.size() < 64) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                todo.add(suppressed);
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
        }
        return out;
    }
}
