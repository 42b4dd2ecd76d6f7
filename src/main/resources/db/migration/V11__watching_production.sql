-- Watching what is in production (docs/drift.md): signals from monitors, re-evaluations of the version in
-- production, what a production prompt was evaluated with and what the provider answers with now, and the
-- verification window after a release. Grants come from V9's default privileges.

-- One re-evaluation of a version in production: the suites again, a verdict, and the policy's reaction.
create table reevaluation (
    id                   uuid         primary key,
    candidate_id         uuid         not null references candidate (id),
    kind                 varchar(16)  not null,
    name                 varchar(63)  not null,
    trigger              varchar(32)  not null,
    reason               text         not null,
    policy_digest        varchar(71)  not null references policy_snapshot (digest),
    suites               text[]       not null,
    status               varchar(24)  not null check (status in
                             ('RUNNING', 'AWAITING_DECISION', 'PASSED', 'KEPT', 'ROLLED_BACK', 'ENDED')),
    verdict              varchar(8)   check (verdict in ('PASSED', 'FAILED')),
    reaction             varchar(16)  check (reaction in ('NONE', 'ASK', 'ROLL_BACK')),
    process_instance_id  varchar(64),
    signals              integer      not null default 0,   -- signals taken in: the first and the merged ones
    started_at           timestamptz  not null,
    due_at               timestamptz,                       -- the suites must have reported by then
    judged_at            timestamptz,
    ended_at             timestamptz,
    gates                jsonb,                             -- the checks behind the verdict
    comparison           jsonb,                             -- per metric: the original evaluation's value and now
    outcome              text,                              -- how it ended, in words
    decided_by           text,
    rollback_to          uuid         references candidate (id),
    row_version          bigint       not null default 0
);
-- The database's own guarantee that a version has at most one re-evaluation under way.
create unique index reevaluation_one_running on reevaluation (candidate_id)
    where status in ('RUNNING', 'AWAITING_DECISION');
create index reevaluation_by_candidate on reevaluation (candidate_id, started_at desc);
create index reevaluation_by_status on reevaluation (status, started_at desc);

-- A signal from a monitor, one row per signal id: a retry (or Alertmanager's repeat) changes nothing.
create table signal (
    id                 bigserial    primary key,
    signal_id          varchar(255) not null unique,
    content_hash       varchar(71)  not null,   -- sha256 of the signal as understood: a reused id with other content is refused
    type               varchar(16)  not null check (type in ('DRIFT', 'PROVIDER')),
    status             varchar(16)  not null check (status in ('FIRING', 'RESOLVED')),
    kind               varchar(16)  not null check (kind in ('MODEL', 'PROMPT')),
    name               varchar(63)  not null,
    metric             varchar(128),
    value              double precision,
    threshold          double precision,
    provider           varchar(255),
    model              varchar(255),
    model_fingerprint  varchar(255),
    alert_key          varchar(255),            -- Alertmanager's fingerprint and startsAt: a resolved alert finds what it opened
    source             text,
    observed_at        timestamptz,
    data               jsonb        not null,   -- the signal as it arrived (an alert's labels and annotations)
    received_by        varchar(255) not null,
    received_at        timestamptz  not null,
    candidate_id       uuid         references candidate (id),
    reevaluation_id    uuid         references reevaluation (id),
    outcome            varchar(32)  not null,
    detail             text
);
create index signal_by_subject on signal (kind, name, received_at desc);
create index signal_by_reevaluation on signal (reevaluation_id, id) where reevaluation_id is not null;
create index signal_by_alert on signal (alert_key) where alert_key is not null;

-- Per version in production: what its prompt was evaluated with (the pinned snapshot), what the provider
-- was last seen answering with, and its verification window.
create table production_watch (
    candidate_id          uuid         primary key references candidate (id),
    kind                  varchar(16)  not null,
    name                  varchar(63)  not null,
    pinned_provider       varchar(255),
    pinned_model          varchar(255),
    pinned_fingerprint    varchar(255),
    pinned_from           varchar(32),          -- EVALUATION, SUBMISSION, FIRST_OBSERVATION, REEVALUATION
    pinned_at             timestamptz,
    observed_provider     varchar(255),
    observed_model        varchar(255),
    observed_fingerprint  varchar(255),
    observed_at           timestamptz,
    observations          integer      not null default 0,
    verification_from     timestamptz,
    verification_until    timestamptz,
    verification_status   varchar(16)  check (verification_status in ('RUNNING', 'PASSED', 'FAILED', 'ENDED')),
    created_at            timestamptz  not null,
    row_version           bigint       not null default 0
);

-- Reports of a re-evaluation's suites arrive through the same API as a promotion's; what an evaluator saw
-- answer (provider, model, fingerprint) is kept with the report.
alter table evaluation_report add column reevaluation_id uuid references reevaluation (id);
alter table evaluation_report add column observed jsonb;
create index evaluation_report_by_reevaluation on evaluation_report (reevaluation_id, id) where reevaluation_id is not null;

-- A re-evaluation's "keep or roll back" task is an approval task like any other, in the same inbox, with
-- the same separation of duties; it belongs to the re-evaluation's process instance.
alter table approval_task add column reevaluation_id uuid references reevaluation (id);
alter table approval_task add column process_instance_id varchar(64);
alter table approval_vote alter column decision type varchar(16);
alter table approval_vote drop constraint approval_vote_decision_check;
alter table approval_vote add constraint approval_vote_decision_check
    check (decision in ('APPROVE', 'REJECT', 'KEEP', 'ROLL_BACK'));
