package dev.o11ycdk.fargate;

/**
 * What another app needs to know of the platform's Prometheus: see
 * {@link FargatePrometheus#fromPrometheusAttributes}. Values may be deploy-time tokens (SSM
 * parameters, see {@link FargatePrometheus#fromSsm}).
 */
public final class PrometheusAttributes {
    private final String securityGroupId;
    private final String clusterName;
    private final String namespaceName;
    private final String namespaceId;
    private final String namespaceArn;

    private PrometheusAttributes(Builder b) {
        this.securityGroupId = b.securityGroupId;
        this.clusterName = b.clusterName;
        this.namespaceName = b.namespaceName;
        this.namespaceId = b.namespaceId;
        this.namespaceArn = b.namespaceArn;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Prometheus' security group. Required. */
    public String getSecurityGroupId() {
        return securityGroupId;
    }

    /** The platform's ECS cluster. Required. */
    public String getClusterName() {
        return clusterName;
    }

    /** The Cloud Map namespace's name, e.g. o11y.local. Required. */
    public String getNamespaceName() {
        return namespaceName;
    }

    /** @default - no namespace object (getNamespace() returns null) */
    public String getNamespaceId() {
        return namespaceId;
    }

    /** @default - no namespace object (getNamespace() returns null) */
    public String getNamespaceArn() {
        return namespaceArn;
    }


    public static final class Builder {
        private String securityGroupId;
        private String clusterName;
        private String namespaceName;
        private String namespaceId;
        private String namespaceArn;

        public Builder securityGroupId(String securityGroupId) {
            this.securityGroupId = securityGroupId;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        public Builder namespaceName(String namespaceName) {
            this.namespaceName = namespaceName;
            return this;
        }

        public Builder namespaceId(String namespaceId) {
            this.namespaceId = namespaceId;
            return this;
        }

        public Builder namespaceArn(String namespaceArn) {
            this.namespaceArn = namespaceArn;
            return this;
        }


        public PrometheusAttributes build() {
            return new PrometheusAttributes(this);
        }
    }
}
