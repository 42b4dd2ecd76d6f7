-- Audit queries return entries in time order (at, seq), keyset-paged on that pair: every filter
-- then reads one index range in order, however many entries match in total.
drop index audit_entry_by_subject;
drop index audit_entry_by_actor;
drop index audit_entry_by_action;
create index audit_entry_by_subject on audit_entry (subject, at, seq);
create index audit_entry_by_actor on audit_entry (actor, at, seq);
create index audit_entry_by_action on audit_entry (action, at, seq);
