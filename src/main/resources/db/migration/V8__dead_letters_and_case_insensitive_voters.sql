-- Deployment results that can never be applied (bad headers or JSON, text PostgreSQL cannot hold, an
-- unknown candidate, a failed validation), kept exactly as they arrived: key, headers (names and values in
-- base64) and value, byte for byte, with the reason. One row per Kafka record, so a redelivery adds nothing.
create table deployment_dead_letter (
    id             bigserial    primary key,
    topic          varchar(255) not null,
    partition_no   integer      not null,
    record_offset  bigint       not null,
    record_key     bytea,
    headers        jsonb        not null,
    record_value   bytea,
    event_id       varchar(255),            -- ce_id, or sha256:<hex> of one that is too long or not text
    reason         text         not null,
    received_at    timestamptz  not null,
    constraint deployment_dead_letter_record unique (topic, partition_no, record_offset)
);
create index deployment_dead_letter_received on deployment_dead_letter (received_at);

-- Separation of duties compares principal names without regard to case ("Sam" is sam): the inbox's
-- "not already voted" check reads votes by lower(voter).
drop index approval_vote_by_voter;
create index approval_vote_by_voter on approval_vote (lower(voter), task_id);
