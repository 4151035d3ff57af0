package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespace;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespaceAttributes;
import software.constructs.Construct;

/**
 * An imported Prometheus: its security group is referenced, never modified, by the rules of the
 * importing stack. Each attribute is fetched from its source on first use and kept, so an import
 * from SSM adds to the stack only the parameters the stack's code asked for.
 */
final class ImportedPrometheus extends Construct implements IFargatePrometheus {
    /** An attribute by its SSM name ({@link PlatformParameters#NAMES}); null when the source has none. */
    private final Function<String, String> source;
    private final Function<Construct, IVpc> vpcSource;
    private final Map<String, String> values = new HashMap<>();
    private Connections connections;
    private INamespace namespace;
    private boolean namespaceRead;
    private IVpc vpc;

    ImportedPrometheus(Construct scope, String id, Function<String, String> source, Function<Construct, IVpc> vpcSource) {
        super(scope, id);
        this.source = source;
        this.vpcSource = vpcSource;
    }

    static ImportedPrometheus of(Construct scope, String id, PrometheusAttributes attrs) {
        Check.notBlank(id + " securityGroupId", attrs.getSecurityGroupId());
        Check.notBlank(id + " clusterName", attrs.getClusterName());
        Check.notBlank(id + " namespaceName", attrs.getNamespaceName());
        Map<String, String> given = new HashMap<>();
        given.put("security-group-id", attrs.getSecurityGroupId());
        given.put("cluster-name", attrs.getClusterName());
        given.put("namespace-name", attrs.getNamespaceName());
        given.put("namespace-id", attrs.getNamespaceId());
        given.put("namespace-arn", attrs.getNamespaceArn());
        return new ImportedPrometheus(scope, id, given::get, imported -> {
            if (attrs.getVpc() == null) {
                throw Check.bad(id + " vpc", null, "give PrometheusAttributes.vpc, or import with FargatePrometheus.fromSsm");
            }
            return attrs.getVpc();
        });
    }

    private String value(String name) {
        return values.computeIfAbsent(name, source);
    }

    @Override
    public Connections getConnections() {
        if (connections == null) {
            connections = new Connections(ConnectionsProps.builder()
                    .securityGroups(List.of(SecurityGroup.fromSecurityGroupId(this, "SecurityGroup", value("security-group-id"),
                            SecurityGroupImportOptions.builder().allowAllOutbound(true).mutable(true).build())))
                    .defaultPort(Port.tcp(FargatePrometheus.DEFAULT_PORT)).build());
        }
        return connections;
    }

    @Override
    public String getSecurityGroupId() {
        return getConnections().getSecurityGroups().get(0).getSecurityGroupId();
    }

    @Override
    public String getClusterName() {
        return value("cluster-name");
    }

    @Override
    public INamespace getNamespace() {
        if (!namespaceRead) {
            namespaceRead = true;
            String nsId = value("namespace-id");
            String arn = value("namespace-arn");
            namespace = nsId == null || arn == null ? null
                    : PrivateDnsNamespace.fromPrivateDnsNamespaceAttributes(this, "Namespace", PrivateDnsNamespaceAttributes.builder()
                    .namespaceName(value("namespace-name")).namespaceId(nsId).namespaceArn(arn).build());
        }
        return namespace;
    }

    @Override
    public String getInternalUrl() {
        return "http://" + FargatePrometheus.CLOUD_MAP_NAME + "." + value("namespace-name") + ":" + FargatePrometheus.DEFAULT_PORT;
    }

    @Override
    public IVpc getVpc() {
        if (vpc == null) {
            vpc = vpcSource.apply(this);
        }
        return vpc;
    }
}
