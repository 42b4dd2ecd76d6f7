-- The audit trail: append-only and hash-chained. Each entry's hash is the SHA-256 of its canonical
-- form (RFC 8785) including the previous entry's hash, so editing, deleting or reordering an entry
-- breaks the chain at that entry. audit_head holds the last sequence number and hash; taking its
-- row lock serializes appends, which keeps the sequence gapless.
create table audit_entry (
    seq         bigint       primary key,
    at          timestamptz  not null,
    actor       varchar(255) not null,
    action      varchar(64)  not null,
    subject     varchar(255),           -- the candidate id, when the entry is about one
    kind        varchar(16),
    name        varchar(63),
    version     varchar(64),
    data        text         not null,  -- canonical JSON
    prev_hash   char(64)     not null,
    hash        char(64)     not null
);
create index audit_entry_by_subject on audit_entry (subject, seq);
create index audit_entry_by_actor on audit_entry (actor, seq);
create index audit_entry_by_action on audit_entry (action, seq);
create index audit_entry_by_time on audit_entry (at, seq);

create table audit_head (
    id    integer   primary key check (id = 1),
    seq   bigint    not null,
    hash  char(64)  not null
);
insert into audit_head (id, seq, hash) values (1, 0, repeat('0', 64));

-- The database itself refuses to change history, whoever asks (short of a superuser who disables
-- triggers, which verification then detects).
create function audit_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_entry_no_update_or_delete before update or delete on audit_entry
    for each row execute function audit_entry_is_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_is_append_only();
