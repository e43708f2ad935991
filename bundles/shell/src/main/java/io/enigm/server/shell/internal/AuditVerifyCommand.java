package io.enigm.server.shell.internal;

import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditVerification;

/**
 * {@code enigm:audit-verify}: checks the whole audit chain now and says whether it is intact or
 * where it first breaks; audited with the shell's operator as actor, as the console's "verify now"
 * and the API's verification are (action {@value #ACTION}). A {@link Function}: Gogo finds a method
 * by the command's name, and no method can be named {@code audit-verify}.
 */
@Component(service = AuditVerifyCommand.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + EnvironmentsCommand.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=audit-verify"})
public final class AuditVerifyCommand implements Function {

    static final String ACTION = "audit.verify";
    /** The audit category of a verification that found the chain broken (the console's). */
    static final String BROKEN = "CHAIN_BROKEN";

    private final AuditLog audit;

    @Activate
    public AuditVerifyCommand(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException("usage: enigm:audit-verify (no arguments)");
        }
        // a read, so not a unit of work: the writer never waits for the walk along the chain
        AuditVerification verification = audit.verify();
        audit.append(new AuditEntry(ShellOperator.ACTOR, ShellOperator.ROLE, null, ACTION, null, AuditOutcome.ALLOWED,
                verification.intact() ? null : BROKEN));
        return result(verification);
    }

    static String result(AuditVerification verification) {
        if (verification.intact()) {
            return "intact: " + verification.records() + " records, head at sequence " + verification.headSequence()
                    + "\n";
        }
        return "BROKEN at sequence " + verification.firstBrokenSequence() + ": " + verification.problem() + " ("
                + verification.records() + " records read)\n";
    }
}
