-- Tollgate's own tables. KIE's tables (process instances, user tasks) are created by KIE's own
-- migrations, tracked in their own history table; these are tracked in tollgate_schema_history.

create table policy_snapshot (
    digest      varchar(71)  primary key,           -- sha256:<hex> of the policy file's bytes
    pipeline    varchar(63)  not null,
    content     text         not null,
    first_seen  timestamptz  not null
);

create table candidate (
    id                  uuid         primary key,
    kind                varchar(16)  not null check (kind in ('MODEL', 'PROMPT')),
    name                varchar(63)  not null,
    version             varchar(64)  not null,
    digest              varchar(71)  not null,
    artifact_uri        text,
    prompt              jsonb,
    pipeline            varchar(63)  not null,
    policy_digest       varchar(71)  not null references policy_snapshot (digest),
    stage               varchar(32)  not null,
    submitted_by        varchar(255) not null,
    submitted_at        timestamptz  not null,
    metrics             jsonb        not null,
    labels              jsonb        not null,
    description         text,
    process_instance_id varchar(64),
    event_count         integer      not null default 0,  -- last ce_sequence / history seq used
    updated_at          timestamptz  not null,
    row_version         bigint       not null default 0,
    constraint candidate_identity unique (kind, name, version)
);
-- Keyset paging, newest first, with the filters the list endpoint offers.
create index candidate_page on candidate (submitted_at desc, id desc);
create index candidate_page_by_name on candidate (kind, name, submitted_at desc, id desc);
create index candidate_page_by_stage on candidate (stage, submitted_at desc, id desc);
create index candidate_page_by_submitter on candidate (submitted_by, submitted_at desc, id desc);

-- One row per transition or decision; seq is also the event's ce_sequence.
create table candidate_history (
    candidate_id uuid         not null references candidate (id),
    seq          integer      not null,
    at           timestamptz  not null,
    event_type   varchar(64)  not null,
    from_stage   varchar(32),
    to_stage     varchar(32)  not null,
    actor        varchar(255) not null,
    reason       text,
    primary key (candidate_id, seq)
);

-- The result of every gate, with its inputs, so that anyone can see exactly why.
create table gate_result (
    id           bigserial    primary key,
    candidate_id uuid         not null references candidate (id),
    gate         varchar(32)  not null,             -- THRESHOLD for now
    metric       varchar(128) not null,
    value        double precision,                  -- null when the metric was missing
    operator     varchar(8)   not null,             -- MIN or MAX
    bound        double precision not null,
    baseline     double precision,
    passed       boolean      not null,
    detail       text         not null,
    evaluated_at timestamptz  not null
);
create index gate_result_by_candidate on gate_result (candidate_id, id);

create table idempotency_key (
    principal     varchar(255) not null,
    idem_key      varchar(255) not null,
    request_hash  varchar(71)  not null,
    candidate_id  uuid         not null references candidate (id),
    created_at    timestamptz  not null,
    primary key (principal, idem_key)
);

create table approval_task (
    id                  uuid         primary key,
    candidate_id        uuid         not null references candidate (id),
    submitted_by        varchar(255) not null,      -- copied from the candidate for the inbox filter
    candidate_groups    text[]       not null,      -- roles allowed to vote
    required            integer      not null check (required > 0),
    status              varchar(16)  not null check (status in ('OPEN', 'APPROVED', 'REJECTED', 'CANCELLED')),
    created_at          timestamptz  not null,
    closed_at           timestamptz
);
create index approval_task_inbox on approval_task (created_at, id) where status = 'OPEN';
create index approval_task_by_candidate on approval_task (candidate_id, created_at);

create table approval_vote (
    task_id   uuid         not null references approval_task (id),
    voter     varchar(255) not null,
    decision  varchar(8)   not null check (decision in ('APPROVE', 'REJECT')),
    comment   text,
    voter_roles text[]     not null,
    at        timestamptz  not null,
    primary key (task_id, voter)                     -- one person counts once
);

-- Transactional outbox: written in the transaction of the change, published by the relay.
create table outbox_event (
    id            bigserial    primary key,
    event_id      uuid         not null unique,      -- ce_id
    topic         varchar(255) not null,
    record_key    varchar(255) not null,
    event_type    varchar(128) not null,             -- ce_type
    subject       varchar(255) not null,             -- ce_subject
    sequence      integer      not null,             -- ce_sequence
    occurred_at   timestamptz  not null,             -- ce_time
    payload       text         not null,             -- the exact JSON document published as the event data
    sent_at       timestamptz
);
create index outbox_event_unsent on outbox_event (id) where sent_at is null;
