-- When the candidate entered its current stage, for the time-in-stage metric (docs/operations.md, "Metrics");
-- earlier rows take the time of their latest change, the closest the table knows.
alter table candidate add column stage_entered_at timestamptz;
update candidate set stage_entered_at = updated_at;

-- The W3C trace context of the change that wrote the event, carried into the CloudEvent as the distributed-tracing
-- extension (ce_traceparent, ce_tracestate), so that a consumer's span joins the trace of the request or the
-- deployment result that caused the event. Null when tracing is off.
alter table outbox_event add column traceparent varchar(55);
alter table outbox_event add column tracestate varchar(512);
