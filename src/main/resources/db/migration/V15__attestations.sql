-- Signed decisions (docs/governance.md, "Attestations"): the public keys Tollgate ever signed with, and the DSSE
-- envelopes it signed. Grants come from V9's default privileges.

create table attestation_key (
    key_id        varchar(64)  primary key,
    algorithm     varchar(16)  not null,
    public_key    text         not null,
    first_used_at timestamptz  not null
);

create table attestation (
    id             uuid         primary key,
    candidate_id   uuid         not null references candidate (id),
    -- DEPLOY: signed when the production deployment is requested, for the deployers to check;
    -- PROMOTION: signed once the version serves, with the deployer's result.
    purpose        varchar(16)  not null check (purpose in ('DEPLOY', 'PROMOTION')),
    key_id         varchar(64)  not null references attestation_key (key_id),
    envelope       text         not null,
    payload_digest varchar(71)  not null,
    created_at     timestamptz  not null
);
create index attestation_by_candidate on attestation (candidate_id, created_at desc);
