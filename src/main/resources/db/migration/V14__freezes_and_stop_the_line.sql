-- Freeze windows, the stop-the-line switch, and the production deployments they hold (docs/governance.md).
-- Grants come from V9's default privileges.

create table freeze_window (
    id             uuid         primary key,
    name           varchar(128) not null,
    -- DENY: no production deployment is requested inside it. ALLOW: only inside it (and outside every DENY).
    effect         varchar(8)   not null check (effect in ('DENY', 'ALLOW')),
    -- What it covers: every pipeline and name (both null), one pipeline, or one name (kind and name).
    pipeline       varchar(63),
    kind           varchar(16)  check (kind in ('MODEL', 'PROMPT')),
    subject_name   varchar(63),
    -- Once (starts_at, ends_at), or recurring: a five-field cron expression for its starts, each lasting
    -- duration_seconds, read in time_zone.
    starts_at      timestamptz,
    ends_at        timestamptz,
    cron           varchar(128),
    duration_seconds bigint,
    time_zone      varchar(64),
    reason         text         not null,
    created_by     varchar(256) not null,
    created_at     timestamptz  not null,
    deleted_by     varchar(256),
    deleted_at     timestamptz,
    constraint freeze_window_scope check ((kind is null) = (subject_name is null)
        and not (pipeline is not null and kind is not null)),
    constraint freeze_window_schedule check (
        (starts_at is not null and ends_at is not null and ends_at > starts_at and cron is null
            and duration_seconds is null)
        or (starts_at is null and ends_at is null and cron is not null and duration_seconds > 0
            and time_zone is not null))
);

-- The stop-the-line switch: at most one row without ended_at, which halts every production deployment request.
create table production_stop (
    id          uuid         primary key,
    reason      text         not null,
    started_by  varchar(256) not null,
    started_at  timestamptz  not null,
    ended_by    varchar(256),
    ended_at    timestamptz,
    end_reason  text
);
create unique index production_stop_one_active on production_stop ((true)) where ended_at is null;

-- A candidate, approved, whose production deployment waits for a window to open or the line to restart.
create table production_hold (
    candidate_id  uuid         primary key references candidate (id),
    reason        text         not null,
    held_at       timestamptz  not null,
    -- When the hold is next looked at again (the end of the window that holds it); null: when the line restarts.
    until         timestamptz,
    released_at   timestamptz,
    outcome       varchar(16)  check (outcome in ('RELEASED', 'SUPERSEDED', 'CANCELLED'))
);
create index production_hold_waiting on production_hold (held_at) where released_at is null;
