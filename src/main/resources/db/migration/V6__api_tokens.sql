-- API tokens for machines (CI submitters, evaluators, deployers): created and revoked by an admin,
-- shown once, stored only as the SHA-256 of the secret. Rows are never deleted, so that the audit
-- trail's token.created / token.revoked entries always name a token that can still be looked up.
create table api_token (
    id           uuid          primary key,
    name         varchar(100)  not null,
    owner        varchar(200)  not null,
    roles        text[]        not null,
    secret_hash  char(64)      not null unique,
    hint         varchar(16)   not null,   -- the first characters of the secret, to recognise it in lists
    created_by   varchar(200)  not null,
    created_at   timestamptz   not null,
    expires_at   timestamptz   not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   varchar(200)
);
create index api_token_page on api_token (created_at desc, id desc);
