package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.Check;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.constructs.Construct;

/** The region a construct renders into its configuration (ec2_sd, CloudWatch, SigV4), known at synth. */
public final class Regions {
    private Regions() {
    }

    /** The stack's region; fails at once, naming the construct, when the stack has none. */
    public static String require(Construct construct, String what) {
        Stack stack = Stack.of(construct);
        String region = stack.getRegion();
        if (Token.isUnresolved(region)) {
            throw Check.bad("env.region of stack '" + stack.getNode().getPath() + "'", "(not set)", what + " '"
                    + construct.getNode().getPath() + "' renders region-specific configuration; give the stack an "
                    + "explicit region: StackProps.builder().env(Environment.builder().region(\"ap-northeast-2\").build())");
        }
        return region;
    }
}
