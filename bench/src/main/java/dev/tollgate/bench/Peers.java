package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The same work as plain BPMN on the engines a team would otherwise build on, embedded, with full history,
 * each in a database of its own on the same PostgreSQL server: start → service task "evaluate" (the
 * threshold) → exclusive gateway → user task "approve" → end. A <em>start</em> runs to the user task; a
 * <em>cycle</em> is a start, the task query an approver's inbox makes, and the completion.
 */
final class Peers {

    private Peers() {
    }

    /**
     * One engine: its name, how it starts an instance with the candidate's metric (returning its id), how an
     * approver finds that instance's approval task and completes it, and how it shuts down.
     */
    record Engine(String name, Function<Double, String> starter, Consumer<String> approver, Runnable closer)
            implements AutoCloseable {

        String start(double auc) {
            return starter.apply(auc);
        }

        void approve(String instanceId) {
            approver.accept(instanceId);
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    private static String bpmn(String namespace, String prefix, String delegate) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                             xmlns:%2$s="%1$s" targetNamespace="http://tollgate.dev/bench">
                  <process id="promotion" isExecutable="true">
                    <startEvent id="start"/>
                    <sequenceFlow id="f1" sourceRef="start" targetRef="evaluate"/>
                    <serviceTask id="evaluate" %2$s:class="%3$s"/>
                    <sequenceFlow id="f2" sourceRef="evaluate" targetRef="gate"/>
                    <exclusiveGateway id="gate"/>
                    <sequenceFlow id="pass" sourceRef="gate" targetRef="approve">
                      <conditionExpression xsi:type="tFormalExpression">${passed}</conditionExpression>
                    </sequenceFlow>
                    <sequenceFlow id="fail" sourceRef="gate" targetRef="rejected">
                      <conditionExpression xsi:type="tFormalExpression">${!passed}</conditionExpression>
                    </sequenceFlow>
                    <userTask id="approve" %2$s:candidateGroups="approver"/>
                    <sequenceFlow id="f3" sourceRef="approve" targetRef="done"/>
                    <endEvent id="done"/>
                    <endEvent id="rejected"/>
                  </process>
                </definitions>
                """.formatted(namespace, prefix, delegate);
    }

    /** A fresh, empty database for one engine. */
    static String freshDatabase(String serverUrl, String adminUser, String adminPassword, String database, String owner)
            throws Exception {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", adminUser, adminPassword);
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database + " owner " + owner);
        }
        return serverUrl + database;
    }

    public static final class CamundaEvaluate implements org.camunda.bpm.engine.delegate.JavaDelegate {
        @Override
        public void execute(org.camunda.bpm.engine.delegate.DelegateExecution execution) {
            execution.setVariable("passed", ((Number) execution.getVariable("auc")).doubleValue() >= 0.80);
        }
    }

    public static final class FlowableEvaluate implements org.flowable.engine.delegate.JavaDelegate {
        @Override
        public void execute(org.flowable.engine.delegate.DelegateExecution execution) {
            execution.setVariable("passed", ((Number) execution.getVariable("auc")).doubleValue() >= 0.80);
        }
    }

    static Engine camunda(String jdbcUrl, String user, String password, int connections) {
        var config = (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl)
                org.camunda.bpm.engine.ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration();
        config.setJdbcUrl(jdbcUrl).setJdbcUsername(user).setJdbcPassword(password).setJdbcDriver("org.postgresql.Driver")
                .setDatabaseSchemaUpdate("true").setHistory("full").setJobExecutorActivate(false);
        config.setHistoryTimeToLive("P30D"); // required by 7.22 for deployments; the cleanup job is not run here
        config.setJdbcMaxActiveConnections(connections);
        config.setMetricsEnabled(false);
        var engine = config.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addString("promotion.bpmn", bpmn("http://camunda.org/schema/1.0/bpmn", "camunda",
                        CamundaEvaluate.class.getName()))
                .deploy();
        var runtime = engine.getRuntimeService();
        var tasks = engine.getTaskService();
        return new Engine("Camunda 7.22",
                auc -> runtime.startProcessInstanceByKey("promotion", Map.of("auc", auc)).getId(),
                id -> tasks.complete(tasks.createTaskQuery().processInstanceId(id).taskCandidateGroup("approver")
                        .singleResult().getId(), Map.of("approved", true)),
                engine::close);
    }

    static Engine flowable(String jdbcUrl, String user, String password, int connections) {
        var config = org.flowable.engine.ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration();
        config.setJdbcUrl(jdbcUrl).setJdbcUsername(user).setJdbcPassword(password).setJdbcDriver("org.postgresql.Driver")
                .setDatabaseSchemaUpdate(org.flowable.engine.ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setAsyncExecutorActivate(false);
        config.setHistoryLevel(org.flowable.common.engine.impl.history.HistoryLevel.FULL);
        config.setJdbcMaxActiveConnections(connections);
        var engine = config.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addString("promotion.bpmn20.xml", bpmn("http://flowable.org/bpmn", "flowable",
                        FlowableEvaluate.class.getName()))
                .deploy();
        var runtime = engine.getRuntimeService();
        var tasks = engine.getTaskService();
        return new Engine("Flowable 7.2",
                auc -> runtime.startProcessInstanceByKey("promotion", Map.of("auc", auc)).getId(),
                id -> tasks.complete(tasks.createTaskQuery().processInstanceId(id).taskCandidateGroup("approver")
                        .singleResult().getId(), Map.of("approved", true)),
                engine::close);
    }
}
