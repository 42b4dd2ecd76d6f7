-- Notifications (docs/governance.md, "Notifications"): webhooks that admins register, and each delivery of an event
-- to one, written in the transaction of the change it announces and sent after it, with retries.
-- Grants come from V9's default privileges.

create table webhook (
    id          uuid          primary key,
    name        varchar(128)  not null,
    url         varchar(2048) not null,
    -- The HMAC-SHA256 key of the X-Tollgate-Signature-256 header: kept in clear, as a signing key must be.
    secret      text          not null,
    format      varchar(8)    not null check (format in ('JSON', 'SLACK')),
    event_types jsonb         not null,
    pipelines   jsonb         not null default '[]',
    created_by  varchar(256)  not null,
    created_at  timestamptz   not null,
    deleted_by  varchar(256),
    deleted_at  timestamptz
);

create table webhook_delivery (
    id               uuid         primary key,
    webhook_id       uuid         not null references webhook (id),
    event_id         uuid         not null,
    event_type       varchar(128) not null,
    body             text         not null,
    status           varchar(12)  not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz  not null,
    delivered_at     timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_by_webhook on webhook_delivery (webhook_id, created_at desc);
