-- An approval task whose votes a late evaluation report set aside is closed RESET, and a new task with the same
-- quorum and due time takes its place (docs/governance.md, "Approvals that stay valid").
alter table approval_task drop constraint approval_task_status_check;
alter table approval_task add constraint approval_task_status_check
    check (status in ('OPEN', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'RESET'));
