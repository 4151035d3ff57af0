package dev.o11ycdk.eks;

import dev.o11ycdk.core.internal.CrossStackImport;
import java.util.List;
import java.util.function.Function;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The platform on EKS as SSM parameters under a prefix: written by the platform's stack
 * ({@link KubePrometheusStack#publishToSsm}), read by a team's stack at deploy time
 * ({@link KubePrometheusStack#fromSsm}): the cluster's name, the service token of its kubectl
 * provider (the custom resource provider that applies manifests to the cluster) and the platform's
 * environment. A reading stack gets a CloudFormation parameter for each value it uses.
 */
final class EksParameters {
    static final String CLUSTER_NAME = "cluster-name";
    static final String KUBECTL_SERVICE_TOKEN = "kubectl-service-token";
    static final String ENVIRONMENT = "environment";
    static final List<String> NAMES = List.of(CLUSTER_NAME, KUBECTL_SERVICE_TOKEN, ENVIRONMENT);

    private EksParameters() {
    }

    static String checkPrefix(String prefix) {
        return CrossStackImport.checkPrefix(prefix, KubePrometheusStack.DEFAULT_SSM_PREFIX);
    }

    static void publish(KubePrometheusStack platform, String prefix) {
        ICluster cluster = platform.getCluster();
        put(platform, prefix, CLUSTER_NAME, cluster.getClusterName());
        put(platform, prefix, KUBECTL_SERVICE_TOKEN, cluster.getKubectlProvider().getServiceToken());
        put(platform, prefix, ENVIRONMENT, platform.getEnvironment());
    }

    private static void put(Construct scope, String prefix, String name, String value) {
        StringParameter.Builder.create(scope, "Ssm-" + name)
                .parameterName(prefix + "/" + name)
                .stringValue(value)
                .description("o11y-cdk: the EKS platform's " + name + ", read by service stacks with KubePrometheusStack.fromSsm")
                .build();
    }

    static IKubePrometheusStack read(Construct scope, String id, String prefix) {
        checkPrefix(prefix);
        return new Imported(scope, id, name -> StringParameter.valueForStringParameter(scope, prefix + "/" + name));
    }

    /** The platform as a construct in another stack sees it: through the parameters once published, else itself. */
    static IKubePrometheusStack seenFrom(KubePrometheusStack platform, String published, IConstruct construct) {
        return CrossStackImport.seenFrom((IKubePrometheusStack) platform, published, construct, IKubePrometheusStack.class,
                "@o11y-cdk/eks:crossStackScrape", "references the platform's cluster directly, which adds exports to the platform's "
                        + "stack; call publishToSsm on the KubePrometheusStack first and teams' stacks import it through SSM instead.",
                "O11yEks", "reads the SSM parameters of the platform on EKS", (there, id) -> read(there, id, published));
    }

    /** The imported platform: the cluster by name with the published kubectl provider, both read on first use. */
    private static final class Imported extends Construct implements IKubePrometheusStack {
        private final Function<String, String> source;
        private ICluster cluster;
        private String environment;

        Imported(Construct scope, String id, Function<String, String> source) {
            super(scope, id);
            this.source = source;
        }

        @Override
        public ICluster getCluster() {
            if (cluster == null) {
                cluster = Cluster.fromClusterAttributes(this, "Cluster", ClusterAttributes.builder()
                        .clusterName(source.apply(CLUSTER_NAME))
                        .kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(this, "KubectlProvider",
                                KubectlProviderAttributes.builder().serviceToken(source.apply(KUBECTL_SERVICE_TOKEN)).build()))
                        .build());
            }
            return cluster;
        }

        @Override
        public String getEnvironment() {
            if (environment == null) {
                environment = source.apply(ENVIRONMENT);
            }
            return environment;
        }
    }
}
