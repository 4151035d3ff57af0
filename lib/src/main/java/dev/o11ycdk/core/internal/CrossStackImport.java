package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.Check;
import java.util.function.BiFunction;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * How a platform construct (the host, Fargate's Prometheus, the EKS stack) is seen by a team's
 * construct that opts in to scraping: itself in its own stack; in another stack, once published to
 * SSM, an import through its parameters (one per stack and prefix, the stack ordered after the
 * platform's); unpublished, itself with a warning, since a direct reference adds exports to the
 * platform's stack.
 */
public final class CrossStackImport {
    private CrossStackImport() {
    }

    /** {@code prefix} when it is an SSM path (what every layout publishes under), else a one-line error. */
    public static String checkPrefix(String prefix, String example) {
        if (prefix == null || !prefix.matches("(/[A-Za-z0-9_.-]+)+")) {
            throw Check.bad("ssmParameterPrefix", prefix, "must be an SSM path such as " + example);
        }
        return prefix;
    }

    /**
     * @param platform the live construct (a construct implementing {@code type}), returned in its own stack and when not published
     * @param published the SSM prefix it was published under, or null
     * @param construct the team's construct that opts in
     * @param type the interface both the live construct and the import implement
     * @param warningId the id of the warning when not published
     * @param warning its message after "Opting &lt;path&gt; in from another stack "
     * @param idPrefix the import's construct id, before the prefix's hash
     * @param dependency why the team's stack depends on the platform's
     * @param read builds the import in a stack under an id
     */
    public static <T> T seenFrom(T platform, @Nullable String published, IConstruct construct, Class<T> type, String warningId,
            String warning, String idPrefix, String dependency, BiFunction<Stack, String, T> read) {
        Stack home = Stack.of((IConstruct) platform);
        Stack there = Stack.of(construct);
        if (there.getNode().getPath().equals(home.getNode().getPath())) {
            return platform;
        }
        if (published == null) {
            Annotations.of(construct).addWarningV2(warningId, "Opting " + construct.getNode().getPath() + " in from another stack "
                    + warning);
            return platform;
        }
        String id = idPrefix + Integer.toHexString(published.hashCode());
        IConstruct existing = there.getNode().tryFindChild(id);
        if (type.isInstance(existing)) {
            return type.cast(existing);
        }
        // The parameters must exist before that stack resolves them: deploy the platform first. A stack
        // dependency orders `cdk deploy --all` and lives in the assembly manifest, not in either template.
        there.addDependency(home, dependency);
        return read.apply(there, id);
    }
}
