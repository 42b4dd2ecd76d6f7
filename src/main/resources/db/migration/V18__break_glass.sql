-- Break-glass (docs/governance.md): an emergency promotion past a freeze, the stopped line or a quorum, by a role
-- the pipeline names, with a reason, and the review someone else must close by a deadline.
-- Grants come from V9's default privileges.
create table break_glass (
    id             uuid          primary key,
    candidate_id   uuid          not null unique references candidate (id),
    actor          varchar(256)  not null,
    reason         text          not null,
    bypassed       jsonb         not null,
    at             timestamptz   not null,
    review_due_at  timestamptz   not null,
    reviewed_by    varchar(256),
    reviewed_at    timestamptz,
    review_outcome varchar(16)   check (review_outcome in ('ACCEPTED', 'CONCERNS')),
    review_comment text,
    escalated_at   timestamptz
);
create index break_glass_open_reviews on break_glass (review_due_at) where reviewed_at is null;
