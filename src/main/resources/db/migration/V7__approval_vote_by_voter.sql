-- The inbox's "not already voted" check. Without this index an approver with few or no votes makes the
-- planner scan every vote ever cast (votes on closed tasks are kept), which grows with history rather
-- than with the open tasks (docs/api.md, "Inbox at scale").
create index approval_vote_by_voter on approval_vote (voter, task_id);
