-- Inbound CloudEvents already handled, by ce_id: written in the transaction of their effect, so a
-- redelivered event is recognised and skipped. Poison and unknown events are kept here too.
create table processed_event (
    event_id     varchar(255) primary key,
    topic        varchar(255) not null,
    outcome      varchar(32)  not null,  -- ACCEPTED, STALE, UNKNOWN_CANDIDATE, POISON
    detail       text,
    received_at  timestamptz  not null
);
create index processed_event_received on processed_event (received_at);
