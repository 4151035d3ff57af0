package dev.o11ycdk.app;

import dev.o11ycdk.core.LogsKey;
import dev.o11ycdk.core.Suppressions;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.constructs.IConstruct;

/** The stack's log groups under one customer-managed KMS key, or (logsKmsKey = false) a suppression saying why not. */
final class Logs {
    private Logs() {
    }

    /** Call once the stack's log groups exist: a stack without any gets no key (a key costs even unused). */
    static void encrypt(Stack stack, Settings s) {
        List<IConstruct> groups = stack.getNode().findAll().stream().filter(c -> c instanceof CfnLogGroup).toList();
        if (groups.isEmpty()) {
            return;
        }
        if (s.logsKmsKey()) {
            new LogsKey(stack, "LogsKey");
            return;
        }
        for (IConstruct group : groups) {
            Suppressions.suppress(group, false, Suppressions.CfnGuard.of("cloudwatch_log_group_encrypted_check", "logsKmsKey is false: CloudWatch "
                    + "Logs encrypts this group at rest with its own key (AES-256-GCM) at no charge; logsKmsKey = true puts the "
                    + "stack's log groups under one customer-managed KMS key (about $1 a month)."));
        }
    }
}
