package dev.tollgate.pipeline;

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
import org.kie.kogito.services.uow.UnitOfWorkExecutor;

/**
 * Tollgate's only door into the KIE engine: starts promotion instances and completes their
 * approval work item. Both run inside the caller's transaction, so the engine's state, Tollgate's
 * tables and the outbox commit or roll back together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PromotionProcess {

    /** The BPMN process id; part of the stable API, see docs/processes.md. */
    public static final String PROCESS_ID = "promotion";
    /** The name of the approval user task in promotion.bpmn. */
    public static final String APPROVAL_TASK = "Approve";

    private final Process<? extends Model> process;
    private final Application application;

    PromotionProcess(@Named(PROCESS_ID) Process<? extends Model> process, Application application) {
        this.process = process;
        this.application = application;
    }

    /** Starts a promotion for the candidate and returns the process instance id. */
    public String start(String candidateId) {
        return UnitOfWorkExecutor.executeInUnitOfWork(application.unitOfWorkManager(),
                () -> startTyped(process, candidateId));
    }

    private static <T extends Model> String startTyped(Process<T> process, String candidateId) {
        T model = process.createModel();
        model.fromMap(Map.of("candidateId", candidateId));
        ProcessInstance<T> instance = process.createInstance(model);
        instance.start();
        return instance.id();
    }

    /**
     * Completes the instance's open approval work item with the quorum's outcome, acting as the
     * person whose vote closed it. Only Tollgate's own approval service calls this, after it has
     * checked separation of duties and counted the votes.
     */
    public void completeApproval(String processInstanceId, boolean approved, String actor, Collection<String> roles) {
        UnitOfWorkExecutor.executeInUnitOfWork(application.unitOfWorkManager(), () -> {
            completeTyped(process, processInstanceId, approved, actor, roles);
            return null;
        });
    }

    private static <T extends Model> void completeTyped(Process<T> process, String processInstanceId,
                                                        boolean approved, String actor, Collection<String> roles) {
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
        instance.completeWorkItem(workItem.getId(), Map.of("approved", approved), policy);
    }
}
