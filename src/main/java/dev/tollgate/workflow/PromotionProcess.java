package dev.tollgate.workflow;

import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.Map;
import org.kie.kogito.Application;
import org.kie.kogito.Model;
import org.kie.kogito.auth.IdentityProviders;
import org.kie.kogito.auth.SecurityPolicy;
import org.kie.kogito.process.Process;
import org.kie.kogito.process.ProcessInstance;
import org.kie.kogito.process.WorkItem;
import org.kie.kogito.process.impl.Sig;
import org.kie.kogito.services.uow.UnitOfWorkExecutor;

/**
 * Tollgate's only door into the KIE engine: starts process instances, signals them, completes the
 * approval work item and aborts instances. Everything runs inside the caller's transaction, so the
 * engine's state, Tollgate's tables and the outbox commit or roll back together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PromotionProcess {

    /** The BPMN process ids; part of the stable API, see docs/processes.md. */
    public static final String PROMOTION = "promotion";
    public static final String ROLLBACK = "rollback";
    public static final String REEVALUATION = "reevaluation";
    /** The user tasks Tollgate's approval tasks complete: promotion.bpmn's and reevaluation.bpmn's. */
    public static final String APPROVAL_TASK = "Approve";
    public static final String DECISION_TASK = "Decide";

    /** The signals the processes wait for (intermediate catch events). */
    public static final String EVALUATION_DONE = "evaluationDone";
    public static final String STAGING_DONE = "stagingDone";
    public static final String PRODUCTION_DONE = "productionDone";
    /** promotion.bpmn's wait for the soak time in staging. */
    public static final String SOAK_DONE = "soakDone";
    /** promotion.bpmn's wait for a freeze window to end or the line to restart. */
    public static final String PRODUCTION_RELEASED = "productionReleased";
    public static final String REEVALUATION_DONE = "reevaluationDone";

    private final Process<? extends Model> promotion;
    private final Process<? extends Model> rollback;
    private final Process<? extends Model> reevaluation;
    private final Application application;

    PromotionProcess(@Named(PROMOTION) Process<? extends Model> promotion,
                     @Named(ROLLBACK) Process<? extends Model> rollback,
                     @Named(REEVALUATION) Process<? extends Model> reevaluation, Application application) {
        this.promotion = promotion;
        this.rollback = rollback;
        this.reevaluation = reevaluation;
        this.application = application;
    }

    /** Starts a promotion for the candidate and returns the process instance id. */
    public String start(String candidateId) {
        return inUnitOfWork(() -> startTyped(promotion, Map.of("candidateId", candidateId), id -> { }));
    }

    /** Starts a rollback that puts the candidate back in production; returns the instance id. */
    public String startRollback(String candidateId) {
        return inUnitOfWork(() -> startTyped(rollback, Map.of("candidateId", candidateId), id -> { }));
    }

    /**
     * Starts a re-evaluation of a version in production. {@code created} learns the instance id before the
     * instance runs its first steps, which may already need it (a re-evaluation that needs no suites goes straight
     * on to its reaction).
     */
    public String startReevaluation(String reevaluationId, java.util.function.Consumer<String> created) {
        return inUnitOfWork(() -> startTyped(reevaluation, Map.of("reevaluationId", reevaluationId), created));
    }

    /** Sends a signal to a waiting instance of either process. */
    public void signal(String processInstanceId, String signal) {
        inUnitOfWork(() -> {
            ProcessInstance<? extends Model> instance = find(processInstanceId);
            instance.send(Sig.of(signal, null));
            return null;
        });
    }

    /** Aborts an instance (cancel); an instance that already ended is left alone. */
    public void abort(String processInstanceId) {
        inUnitOfWork(() -> {
            promotion.instances().findById(processInstanceId).ifPresent(ProcessInstance::abort);
            rollback.instances().findById(processInstanceId).ifPresent(ProcessInstance::abort);
            reevaluation.instances().findById(processInstanceId).ifPresent(ProcessInstance::abort);
            return null;
        });
    }

    /**
     * Completes the instance's open approval work item (promotion.bpmn's Approve, reevaluation.bpmn's Decide) with
     * the task's outcome (APPROVED, REJECTED or EXPIRED), acting as the person (or the timer) that closed it. Only
     * Tollgate's approval service calls this, after it checked separation of duties and counted the votes.
     */
    public void completeApproval(String processInstanceId, String outcome, String actor, Collection<String> roles) {
        inUnitOfWork(() -> {
            if (reevaluation.instances().findById(processInstanceId).isPresent()) {
                completeTyped(reevaluation, processInstanceId, outcome, actor, roles);
            } else {
                completeTyped(promotion, processInstanceId, outcome, actor, roles);
            }
            return null;
        });
    }

    private <T> T inUnitOfWork(java.util.function.Supplier<T> work) {
        return UnitOfWorkExecutor.executeInUnitOfWork(application.unitOfWorkManager(), work);
    }

    private ProcessInstance<? extends Model> find(String processInstanceId) {
        return promotion.instances().findById(processInstanceId)
                .<ProcessInstance<? extends Model>>map(i -> i)
                .or(() -> rollback.instances().findById(processInstanceId).map(i -> i))
                .or(() -> reevaluation.instances().findById(processInstanceId).map(i -> i))
                .orElseThrow(() -> new ProblemException(ProblemType.CONCURRENT_UPDATE,
                        "The workflow is no longer waiting for this"));
    }

    private static <T extends Model> String startTyped(Process<T> process, Map<String, Object> variables,
                                                       java.util.function.Consumer<String> created) {
        T model = process.createModel();
        model.fromMap(variables);
        ProcessInstance<T> instance = process.createInstance(model);
        created.accept(instance.id());
        instance.start();
        return instance.id();
    }

    private static <T extends Model> void completeTyped(Process<T> process, String processInstanceId, String outcome,
                                                        String actor, Collection<String> roles) {
        ProcessInstance<T> instance = process.instances().findById(processInstanceId)
                .orElseThrow(() -> new ProblemException(ProblemType.TASK_CLOSED,
                        "The promotion is no longer waiting for approval"));
        SecurityPolicy policy = SecurityPolicy.of(IdentityProviders.of(actor, roles));
        WorkItem workItem = instance.workItems(policy).stream()
                .filter(w -> isApprovalTask(w.getName()) || isApprovalTask(w.getParameters().get("TaskName")))
                .findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.TASK_CLOSED,
                        "The promotion is no longer waiting for approval"));
        instance.completeWorkItem(workItem.getId(), Map.of("approvalOutcome", outcome), policy);
    }

    private static boolean isApprovalTask(Object name) {
        return APPROVAL_TASK.equals(name) || DECISION_TASK.equals(name);
    }
}
