package io.enigm.server.shell.internal;

import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.osgi.service.component.annotations.Component;

import io.enigm.server.audit.OperatorActivity;

/**
 * Who acts through the shell, in audit records: the operator of the local shell, whom the socket's
 * owner-only permissions identify as the server's own user; never a person's name. As an
 * {@link OperatorActivity} it names that operator to the audit of what a command does to bundles and
 * configuration ({@code felix:stop}, {@code cm ...}), which the framework reports on the thread that
 * did it: the thread of a Gogo job (Gogo runs each command as a job on its session's threads) of a
 * session this bundle {@linkplain #mark marked}.
 */
@Component(service = OperatorActivity.class)
public final class ShellOperator implements OperatorActivity {

    static final String ACTOR = "operator:shell";
    static final String ROLE = "OPERATOR";
    private static final String NAME = "shell";
    /** A variable of the session, set by this bundle only. */
    private static final String MARK = ".enigm.shell.operator";

    /** The session serves the local shell's operator. */
    static void mark(CommandSession session) {
        session.put(MARK, Boolean.TRUE);
    }

    @Override
    public Optional<String> operatorOnThisThread() {
        Job job = Job.Utils.current();
        return job != null && Boolean.TRUE.equals(job.session().get(MARK)) ? Optional.of(NAME) : Optional.empty();
    }
}
