-- The inventory (docs/governance.md): one entry per (kind, name) with its owner, intended use and the risk
-- classification that risk officers own. Grants come from V9's default privileges.

create table inventory_entry (
    kind                  varchar(16)  not null check (kind in ('MODEL', 'PROMPT')),
    name                  varchar(63)  not null,
    owner_team            varchar(128) not null,
    intended_use          text         not null,
    documentation         varchar(2048),
    -- Principals allowed to submit versions of this name; empty: anyone with the submitter role.
    submitters            jsonb        not null default '[]',
    -- The classification: null until a risk officer classifies the name.
    customer_facing       boolean,
    personal_data         boolean,
    regulated_use         boolean,
    autonomy              varchar(16),
    classified_by         varchar(256),
    classified_at         timestamptz,
    classification_reason text,
    registered_by         varchar(256) not null,
    registered_at         timestamptz  not null,
    updated_by            varchar(256) not null,
    updated_at            timestamptz  not null,
    revision              integer      not null,
    primary key (kind, name),
    constraint inventory_classified_whole check (
        (classified_at is null and customer_facing is null and personal_data is null and regulated_use is null
            and autonomy is null)
        or (classified_at is not null and customer_facing is not null and personal_data is not null
            and regulated_use is not null and autonomy is not null))
);
