package io.enigm.server.content.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Members;

/** Members as the content service sees them (recipients it checks): owned by the membership bundle. */
final class MembersDouble implements Members {

    final Map<String, Member> members = new ConcurrentHashMap<>();

    String add(String environmentId, String id, MemberState state) {
        members.put(id, new Member(id, environmentId, "handle-" + id, Member.DEFAULT_ROLE, state, Instant.EPOCH,
                Instant.EPOCH));
        return id;
    }

    @Override
    public Member get(String environmentId, String memberId) {
        Member member = members.get(memberId);
        if (member == null || !member.environmentId().equals(environmentId)) {
            throw new NotFoundException("member");
        }
        return member;
    }

    @Override
    public Page<Member> list(String environmentId, MemberState state, String role, PageRequest page) {
        throw new UnsupportedOperationException("content never lists members");
    }

    @Override
    public Member update(String environmentId, String memberId, MemberChanges changes) {
        throw new UnsupportedOperationException("content never changes members");
    }

    @Override
    public Member remove(String environmentId, String memberId) {
        throw new UnsupportedOperationException("content never removes members");
    }
}
