package dev.tollgate.security;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.Sha256;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * API tokens for machines: an admin creates one (the secret is returned once and stored only as
 * its SHA-256), lists them, and revokes them; a request carrying {@code Authorization: Bearer tg_…}
 * acts as the token's owner with the token's roles until it expires or is revoked. Creating and
 * revoking are audit entries.
 *
 * <p>Tokens carry machine roles only. Approving, risk decisions and administration are for people,
 * who sign in through the identity provider; a leaked CI secret must never be able to approve. A token
 * acts as {@code token:<owner>}, a name no person can have, and holds the roles of one duty only
 * (submitting, evaluating or deploying, plus the read-only roles), so that one secret can never both
 * submit a candidate and vouch for it, unless {@code tollgate.api-tokens.allow-combined-duties} says so.
 *
 * <p>Longer than 200 lines on purpose: a token's whole life (issue, hash, check, revoke, list, audit) in one place, so that no path to a token skips a check.
 */
@ApplicationScoped
@Transactional
public class ApiTokens {

    public static final String PREFIX = "tg_";
    /** Roles a token may carry. */
    public static final Set<String> MACHINE_ROLES =
            Set.of(Roles.SUBMITTER, Roles.EVALUATOR, Roles.DEPLOYER, Roles.AUDITOR, Roles.MONITOR);
    /** The duties a token may hold only one of: whoever submits must not also evaluate or deploy. */
    static final Set<String> DUTIES = Set.of(Roles.SUBMITTER, Roles.EVALUATOR, Roles.DEPLOYER);
    /** The principal of every token starts with this, so that a token never shares a name with a person. */
    public static final String PRINCIPAL_PREFIX = "token:";
    static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final int DEFAULT_DAYS = 90;
    static final int MAX_DAYS = 366;
    /** Last-used times are written at most this often per token, so that using a token is not a write per request. */
    static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What an admin asks for. {@code expiresInDays} defaults to 90. */
    @Schema(name = "CreateApiTokenRequest")
    public record CreateRequest(@Schema(required = true) String name,
                                @Schema(required = true, pattern = "[a-z0-9][a-z0-9._-]{0,62}") String owner,
                                @Schema(required = true) List<String> roles,
                                @Schema(minimum = "1", maximum = "366") Integer expiresInDays) {
    }

    /** A token as lists show it: never the secret. */
    @Schema(name = "ApiToken")
    public record View(UUID id, String name, String owner, List<String> roles, String hint, String status,
                       String createdBy, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                       Instant revokedAt, String revokedBy) {
    }

    /** The answer to a creation: the only time the secret is shown. */
    @Schema(name = "CreatedApiToken")
    public record Created(View token, String secret) {
    }

    /** Who a valid secret authenticates. */
    public record Holder(UUID tokenId, String owner, Set<String> roles) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final boolean allowCombinedDuties;

    ApiTokens(EntityManager em, AuditLog audit, Clock clock,
              @ConfigProperty(name = "tollgate.api-tokens.allow-combined-duties", defaultValue = "false")
              boolean allowCombinedDuties) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.allowCombinedDuties = allowCombinedDuties;
    }

    /** The principal a token of this owner acts as. */
    public static String principal(String owner) {
        return PRINCIPAL_PREFIX + owner.toLowerCase(java.util.Locale.ROOT);
    }

    public Created create(CreateRequest request, Caller admin) {
        Set<String> roles = validate(request);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiToken token = new ApiToken();
        token.id = UUID.randomUUID();
        token.name = request.name().strip();
        token.owner = request.owner().strip().toLowerCase(java.util.Locale.ROOT);
        token.roles = roles.toArray(String[]::new);
        token.secretHash = sha256(secret);
        token.hint = secret.substring(0, PREFIX.length() + 4);
        token.createdBy = admin.name();
        token.createdAt = clock.instant();
        int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
        token.expiresAt = token.createdAt.plus(Duration.ofDays(days));
        em.persist(token);
        audit.append(admin.name(), AuditActions.TOKEN_CREATED, subject(token), details(token));
        return new Created(view(token), secret);
    }

    /** Revokes a token; revoking a revoked token changes nothing and answers the same. */
    public View revoke(UUID id, Caller admin) {
        ApiToken token = Optional.ofNullable(em.find(ApiToken.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No API token " + id));
        if (token.revokedAt == null) {
            token.revokedAt = clock.instant();
            token.revokedBy = admin.name();
            audit.append(admin.name(), AuditActions.TOKEN_REVOKED, subject(token), details(token));
        }
        return view(token);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list() {
        return em.createQuery("from ApiToken order by createdAt desc, id desc", ApiToken.class)
                .setMaxResults(500).getResultList().stream().map(this::view).toList();
    }

    /**
     * The holder of a secret, if it names an active token; records when it was last used (to the
     * minute). Unknown, expired and revoked secrets give nothing.
     */
    public Optional<Holder> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        List<ApiToken> found = em.createQuery("from ApiToken where secretHash = :hash", ApiToken.class)
                .setParameter("hash", sha256(secret)).getResultList();
        Instant now = clock.instant();
        if (found.isEmpty() || !found.get(0).status(now).equals("ACTIVE")) {
            return Optional.empty();
        }
        ApiToken token = found.get(0);
        if (token.lastUsedAt == null || token.lastUsedAt.plus(LAST_USED_GRANULARITY).isBefore(now)) {
            em.createQuery("update ApiToken set lastUsedAt = :now where id = :id")
                    .setParameter("now", now).setParameter("id", token.id).executeUpdate();
        }
        return Optional.of(new Holder(token.id, principal(token.owner), Set.of(token.roles)));
    }

    private Set<String> validate(CreateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            errors.add(new FieldError("name", "is required, at most 100 characters (say what uses the token)"));
        } else if (StoredText.problem(request.name()) != null) {
            errors.add(new FieldError("name", StoredText.problem(request.name())));
        }
        if (request.owner() == null || !OWNER.matcher(request.owner().strip().toLowerCase(java.util.Locale.ROOT)).matches()) {
            errors.add(new FieldError("owner", "is required and must match [a-z0-9][a-z0-9._-]{0,62}: the name the "
                    + "token acts as, prefixed with " + PRINCIPAL_PREFIX + " (for example ci-fraud-scorer)"));
        }
        Set<String> roles = new TreeSet<>();
        if (request.roles() == null || request.roles().isEmpty()) {
            errors.add(new FieldError("roles", "needs at least one of " + new TreeSet<>(MACHINE_ROLES)));
        } else {
            for (String role : request.roles()) {
                if (!MACHINE_ROLES.contains(role)) {
                    errors.add(new FieldError("roles", "'" + role + "' cannot be given to a token; allowed: "
                            + new TreeSet<>(MACHINE_ROLES)));
                }
                roles.add(role);
            }
            Set<String> duties = new TreeSet<>(roles);
            duties.retainAll(DUTIES);
            if (duties.size() > 1 && !allowCombinedDuties) {
                errors.add(new FieldError("roles", "combines the duties " + duties + ": a token holds one of "
                        + new TreeSet<>(DUTIES) + " (with auditor and monitor if needed), so that whoever submits a "
                        + "candidate cannot also evaluate or deploy it; make one token per duty"));
            }
        }
        if (request.expiresInDays() != null && (request.expiresInDays() < 1 || request.expiresInDays() > MAX_DAYS)) {
            errors.add(new FieldError("expiresInDays", "must be between 1 and " + MAX_DAYS));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return roles;
    }

    private View view(ApiToken token) {
        return new View(token.id, token.name, token.owner, List.of(token.roles), token.hint,
                token.status(clock.instant()), token.createdBy, token.createdAt, token.expiresAt, token.lastUsedAt,
                token.revokedAt, token.revokedBy);
    }

    private static AuditLog.Subject subject(ApiToken token) {
        return new AuditLog.Subject(token.id.toString(), "API_TOKEN", token.name, null);
    }

    private static Map<String, Object> details(ApiToken token) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("owner", token.owner);
        data.put("roles", List.of(token.roles));
        data.put("expiresAt", token.expiresAt.toString());
        return data;
    }

    static String sha256(String secret) {
        return Sha256.hex(secret);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
