package dev.tollgate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumTest {

    private static ApprovalTask task(int required, boolean distinct, String... groups) {
        ApprovalTask task = new ApprovalTask();
        task.required = required;
        task.distinctGroups = distinct;
        task.groups = groups;
        return task;
    }

    private static ApprovalVote vote(String voter, String... roles) {
        ApprovalVote vote = new ApprovalVote();
        vote.voter = voter;
        vote.decision = ApprovalVote.Decision.APPROVE;
        vote.voterRoles = roles;
        return vote;
    }

    @Test
    void countQuorumIsMetByEnoughDifferentPeople() {
        assertThat(Quorum.isMet(task(2, false, "approver"), List.of(vote("bob", "approver")))).isFalse();
        assertThat(Quorum.isMet(task(2, false, "approver"),
                List.of(vote("bob", "approver"), vote("carol", "approver")))).isTrue();
    }

    @Test
    void distinctGroupsNeedOneApproverPerGroup() {
        ApprovalTask high = task(2, true, "approver", "risk-officer");
        assertThat(Quorum.isMet(high, List.of(vote("bob", "approver"), vote("carol", "approver")))).isFalse();
        assertThat(Quorum.isMet(high, List.of(vote("bob", "approver"), vote("rita", "approver", "risk-officer"))))
                .isTrue();
    }

    @Test
    void personInTwoGroupsFillsOnlyOneSeat() {
        ApprovalTask high = task(2, true, "approver", "risk-officer");
        assertThat(Quorum.coveredGroups(high.groups, List.of(vote("rita", "approver", "risk-officer")))).isEqualTo(1);
        assertThat(Quorum.isMet(high, List.of(vote("rita", "approver", "risk-officer")))).isFalse();
    }

    @Test
    void seatsAreReassignedToCoverTheMostGroups() {
        ApprovalTask high = task(2, true, "approver", "risk-officer");
        // rita first takes "approver"; bob can only be an approver, so rita must move to risk-officer.
        assertThat(Quorum.isMet(high, List.of(vote("rita", "approver", "risk-officer"), vote("bob", "approver"))))
                .isTrue();
    }
}
