package dev.tollgate.approval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a task's approvals meet its quorum. One person counts once (the vote table's key). With
 * distinct groups, each approver stands for one of the task's groups they hold, and the approvals
 * must cover as many different groups as the quorum asks (at most the number of groups): a person
 * in two groups can fill either seat, never both.
 */
final class Quorum {

    private Quorum() {
    }

    static boolean isMet(ApprovalTask task, List<ApprovalVote> approvals) {
        if (approvals.size() < task.required) {
            return false;
        }
        if (!task.distinctGroups) {
            return true;
        }
        return coveredGroups(task.groups, approvals) >= Math.min(task.required, task.groups.length);
    }

    /** The size of a maximum matching between approvers and the groups they belong to. */
    static int coveredGroups(String[] groups, List<ApprovalVote> approvals) {
        Map<String, String> seatHolder = new HashMap<>();
        int matched = 0;
        for (ApprovalVote vote : approvals) {
            if (assign(vote, groups, approvals, seatHolder, new HashSet<>())) {
                matched++;
            }
        }
        return matched;
    }

    private static boolean assign(ApprovalVote vote, String[] groups, List<ApprovalVote> approvals,
                                  Map<String, String> seatHolder, Set<String> visited) {
        Set<String> roles = new HashSet<>(Arrays.asList(vote.voterRoles));
        for (String group : groups) {
            if (!roles.contains(group) || !visited.add(group)) {
                continue;
            }
            String holder = seatHolder.get(group);
            if (holder == null || assign(byVoter(approvals, holder), groups, approvals, seatHolder, visited)) {
                seatHolder.put(group, vote.voter);
                return true;
            }
        }
        return false;
    }

    private static ApprovalVote byVoter(List<ApprovalVote> approvals, String voter) {
        return approvals.stream().filter(v -> v.voter.equals(voter)).findFirst().orElseThrow();
    }
}
