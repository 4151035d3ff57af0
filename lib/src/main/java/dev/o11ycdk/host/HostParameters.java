package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.internal.CrossStackImport;
import java.util.List;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The host as SSM parameters under a prefix: written by the platform's stack
 * ({@link ObservabilityInstance#publishToSsm}), read by a team's stack at deploy time
 * ({@link ObservabilityInstance#fromSsm}), so neither stack exports to or looks up the other. All a
 * team needs is the host's security group: the discovery contract is the tags.
 */
final class HostParameters {
    static final String SECURITY_GROUP_ID = "security-group-id";
    static final List<String> NAMES = List.of(SECURITY_GROUP_ID);

    private HostParameters() {
    }

    static String checkPrefix(String prefix) {
        return CrossStackImport.checkPrefix(prefix, ObservabilityInstance.DEFAULT_SSM_PREFIX);
    }

    static void publish(ObservabilityInstance host, String prefix) {
        StringParameter.Builder.create(host, "Ssm-" + SECURITY_GROUP_ID)
                .parameterName(prefix + "/" + SECURITY_GROUP_ID)
                .stringValue(host.getSecurityGroupId())
                .description("o11y-cdk: the EC2 o11y host's security group, read by service stacks with ObservabilityInstance.fromSsm")
                .build();
    }

    static IObservabilityHost read(Construct scope, String id, String prefix) {
        checkPrefix(prefix);
        return new Imported(scope, id, () -> StringParameter.valueForStringParameter(scope, prefix + "/" + SECURITY_GROUP_ID));
    }

    static IObservabilityHost of(Construct scope, String id, String securityGroupId) {
        Check.notBlank(id + " securityGroupId", securityGroupId);
        return new Imported(scope, id, () -> securityGroupId);
    }

    /**
     * The host as a construct of another stack sees it: itself in its own stack; elsewhere, once
     * {@code published}, read through the parameter (one import per stack and prefix), else itself
     * with a warning (a direct reference adds an export).
     */
    static IObservabilityHost seenFrom(ObservabilityInstance host, String published, IConstruct construct) {
        return CrossStackImport.seenFrom((IObservabilityHost) host, published, construct, IObservabilityHost.class,
                "@o11y-cdk/host:crossStackScrape", "references the host's security group directly, which adds an export to the "
                        + "host's stack; call publishToSsm on the ObservabilityInstance first and teams' stacks import it through SSM instead.",
                "O11yHost", "reads the SSM parameter of the o11y host", (there, id) -> read(there, id, published));
    }

    /** The host's security group, referenced (never modified) by the rules of the importing stack; read on first use. */
    private static final class Imported extends Construct implements IObservabilityHost {
        private final java.util.function.Supplier<String> securityGroupId;
        private Connections connections;

        Imported(Construct scope, String id, java.util.function.Supplier<String> securityGroupId) {
            super(scope, id);
            this.securityGroupId = securityGroupId;
        }

        @Override
        public Connections getConnections() {
            if (connections == null) {
                ISecurityGroup group = SecurityGroup.fromSecurityGroupId(this, "SecurityGroup", securityGroupId.get(),
                        SecurityGroupImportOptions.builder().allowAllOutbound(true).mutable(true).build());
                connections = new Connections(ConnectionsProps.builder().securityGroups(List.of(group))
                        .defaultPort(Port.tcp(dev.o11ycdk.core.Ports.PROMETHEUS)).build());
            }
            return connections;
        }

        @Override
        public String getSecurityGroupId() {
            return getConnections().getSecurityGroups().get(0).getSecurityGroupId();
        }
    }
}
