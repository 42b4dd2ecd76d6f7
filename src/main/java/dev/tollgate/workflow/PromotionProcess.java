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
    /** The name of the approval user task in promotion.bpmn. */
    public static final String APPROVAL_TASK = "Approve";

    /** The signals the processes wait for (intermediate catch events). */
    public static final String EVALUATION_DONE = "evaluationDone";
    public static final String STAGING_DONE = "stagingDone";
    public static final String PRODUCTION_DONE = "productionDone";

    private final Process<? extends Model> promotion;
    private final Process<? extends Model> rollback;
    private final Application application;

    PromotionProcess(@Named(PROMOTION) Process<? extends Model> promotion,
                     @Named(ROLLBACK) Process<? extends Model> rollback, Application application) {
        this.promotion = promotion;
        this.rollback = rollback;
        this.application = application;
    }

    /** Starts a promotion for the candidate and returns the process instance id. */
    public String start(String candidateId) {
        return inUnitOfWork(() -> startTyped(promotion, candidateId));
    }

    /** Starts a rollback that puts the candidate back in production; returns the instance id. */
    public String startRollback(String candidateId) {
        return inUnitOfWork(() -> startTyped(rollback, candidateId));
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
            return null;
        });
    }

    /**
     * Completes the instance's open approval work item with the task's outcome (APPROVED, REJECTED
     * or EXPIRED), acting as the person (or the timer) that closed it. Only Tollgate's approval
     * service calls this, after it checked separation of duties and counted the votes.
     */
    public void completeApproval(String processInstanceId, String outcome, String actor, Collection<String> roles) {
        inUnitOfWork(() -> {
            completeTyped(promotion, processInstanceId, outcome, actor, roles);
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
                .orElseThrow(() -> new ProblemException(ProblemType.CONCURRENT_UPDATE,
                        "The workflow is no longer waiting for this"));
    }

    private static <T extends Model> String startTyped(Process<T> process, String candidateId) {
        T model = process.createModel();
        model.fromMap(Map.of("candidateId", candidateId));
        ProcessInstance<T> instance = process.createInstance(model);
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
                .filter(w -> APPROVAL_TASK.equals(w.getName())
                        || APPROVAL_TASK.equals(w.getParameters().get("TaskName")))
                .findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.TASK_CLOSED,
                        "The promotion is no longer waiting for approval"));
        instance.completeWorkItem(workItem.getId(), Map.of("approvalOutcome", outcome), policy);
    }
}
