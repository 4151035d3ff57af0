package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import java.util.List;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespace;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespaceAttributes;
import software.constructs.Construct;

/** An imported Prometheus: its security group is referenced, never modified, by the rules of the importing stack. */
final class ImportedPrometheus extends Construct implements IFargatePrometheus {
    private final PrometheusAttributes attrs;
    private final ISecurityGroup securityGroup;
    private final Connections connections;
    private final INamespace namespace;

    ImportedPrometheus(Construct scope, String id, PrometheusAttributes attrs) {
        super(scope, id);
        Check.notBlank(id + " securityGroupId", attrs.getSecurityGroupId());
        Check.notBlank(id + " clusterName", attrs.getClusterName());
        Check.notBlank(id + " namespaceName", attrs.getNamespaceName());
        this.attrs = attrs;
        this.securityGroup = SecurityGroup.fromSecurityGroupId(this, "SecurityGroup", attrs.getSecurityGroupId(),
                SecurityGroupImportOptions.builder().allowAllOutbound(true).mutable(true).build());
        this.connections = new Connections(ConnectionsProps.builder().securityGroups(List.of(securityGroup))
                .defaultPort(Port.tcp(FargatePrometheus.DEFAULT_PORT)).build());
        this.namespace = attrs.getNamespaceId() == null || attrs.getNamespaceArn() == null ? null
                : PrivateDnsNamespace.fromPrivateDnsNamespaceAttributes(this, "Namespace", PrivateDnsNamespaceAttributes.builder()
                .namespaceName(attrs.getNamespaceName()).namespaceId(attrs.getNamespaceId()).namespaceArn(attrs.getNamespaceArn())
                .build());
    }

    @Override
    public Connections getConnections() {
        return connections;
    }

    @Override
    public String getSecurityGroupId() {
        return securityGroup.getSecurityGroupId();
    }

    @Override
    public String getClusterName() {
        return attrs.getClusterName();
    }

    @Override
    public INamespace getNamespace() {
        return namespace;
    }

    @Override
    public String getInternalUrl() {
        return "http://" + FargatePrometheus.CLOUD_MAP_NAME + "." + attrs.getNamespaceName() + ":" + FargatePrometheus.DEFAULT_PORT;
    }
}
