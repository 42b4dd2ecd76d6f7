-- The full promotion workflow: evaluation reports, risk, deployments, timers, releases.

-- Reports of evaluation suites run by other systems (POST /candidates/{id}/evaluations).
create table evaluation_report (
    id            bigserial    primary key,
    candidate_id  uuid         not null references candidate (id),
    suite         varchar(63)  not null,
    passed        boolean,
    metrics       jsonb        not null,
    report_uri    text,
    reported_by   varchar(255) not null,
    reported_at   timestamptz  not null
);
create index evaluation_report_by_candidate on evaluation_report (candidate_id, id);

alter table gate_result alter column operator type varchar(16);

-- The DMN decision's result, with the facts it was given.
create table risk_assessment (
    candidate_id  uuid         primary key references candidate (id),
    tier          varchar(8)   not null check (tier in ('LOW', 'MEDIUM', 'HIGH')),
    reasons       jsonb        not null,
    inputs        jsonb        not null,
    assessed_at   timestamptz  not null
);

alter table approval_task add column tier varchar(8);
alter table approval_task add column distinct_groups boolean not null default false;
alter table approval_task add column due_at timestamptz;
alter table approval_task drop constraint approval_task_status_check;
alter table approval_task add constraint approval_task_status_check
    check (status in ('OPEN', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'));

-- Deployment results from deployers (REST twin now; the Kafka topic too from issue 4).
create table deployment_result (
    id            bigserial    primary key,
    candidate_id  uuid         not null references candidate (id),
    stage         varchar(16)  not null check (stage in ('staging', 'production')),
    outcome       varchar(16)  not null check (outcome in ('SUCCEEDED', 'FAILED')),
    environment   varchar(255),
    detail        text,
    reported_by   varchar(255) not null,
    received_at   timestamptz  not null,
    accepted      boolean      not null            -- false: stale or duplicate, kept for the record
);
create index deployment_result_by_candidate on deployment_result (candidate_id, id);

-- Durable timers: KIE 10.1 keeps timers in memory only. Any replica may fire a due timer; the row
-- lock (FOR UPDATE SKIP LOCKED) makes sure only one does.
create table scheduled_timer (
    id            uuid         primary key,
    candidate_id  uuid         not null references candidate (id),
    purpose       varchar(32)  not null,
    subject_id    uuid,                              -- the approval task, for approval timers
    due_at        timestamptz  not null,
    fired_at      timestamptz,
    cancelled_at  timestamptz
);
create index scheduled_timer_due on scheduled_timer (due_at) where fired_at is null and cancelled_at is null;
create index scheduled_timer_by_candidate on scheduled_timer (candidate_id);

-- What served in each environment, and when. The partial unique index is the database's own
-- guarantee that (kind, name) never has two current versions in one environment.
create table release_period (
    id            bigserial    primary key,
    kind          varchar(16)  not null,
    name          varchar(63)  not null,
    environment   varchar(16)  not null check (environment in ('staging', 'production')),
    candidate_id  uuid         not null references candidate (id),
    version       varchar(64)  not null,
    started_at    timestamptz  not null,
    ended_at      timestamptz
);
create unique index release_period_current on release_period (kind, name, environment) where ended_at is null;
create index release_period_history on release_period (kind, name, environment, started_at desc);

-- Candidates put back in production by a rollback run a second process.
alter table candidate add column rollback_instance_id varchar(64);

-- Suite gates have no numeric bound.
alter table gate_result alter column bound drop not null;
