-- Two roles: the owner of Tollgate's tables, who runs these migrations, and the runtime user the
-- application connects as (${runtime_user}). The runtime user reads and writes the workflow's tables but
-- may only add to the audit trail: it owns nothing here, so it can neither alter audit_entry nor disable
-- its triggers, and it has no UPDATE, DELETE or TRUNCATE on it. Its only write to audit_head is moving the
-- head forward as it appends; verification detects a head that disagrees with the entries.
-- When the migrations run as the runtime user itself (one role for both, not recommended), the grants below
-- change nothing and Tollgate warns at start-up (docs/operations.md, "Database roles").

grant usage on schema public to "${runtime_user}";

grant select, insert, update, delete on
    policy_snapshot, candidate, candidate_history, gate_result, idempotency_key, approval_task, approval_vote,
    outbox_event, evaluation_report, risk_assessment, deployment_result, scheduled_timer, release_period,
    processed_event, api_token, deployment_dead_letter
    to "${runtime_user}";
grant usage, select on sequence
    gate_result_id_seq, outbox_event_id_seq, evaluation_report_id_seq, deployment_result_id_seq,
    release_period_id_seq, deployment_dead_letter_id_seq
    to "${runtime_user}";

revoke all on audit_entry, audit_head from "${runtime_user}";
grant select, insert on audit_entry to "${runtime_user}";
grant select, update on audit_head to "${runtime_user}";

-- Tables of later migrations get the workflow grants by default; audit tables revoke them explicitly.
alter default privileges in schema public grant select, insert, update, delete on tables to "${runtime_user}";
alter default privileges in schema public grant usage, select on sequences to "${runtime_user}";
