package com.example.search;

import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.eks.IKubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.ServiceMonitorRegistration;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;

/** The search team's own CDK app: its Service on the platform's EKS cluster, onboarded to Prometheus in one call. */
public final class SearchApp {
    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "Search", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-2").build()).build());

        // What the platform published under /o11y-cdk/eks, resolved by CloudFormation at deploy time.
        IKubePrometheusStack platform = KubePrometheusStack.fromSsm(stack, "O11yEks", KubePrometheusStack.DEFAULT_SSM_PREFIX);

        // The team's namespace, Deployment and Service, applied through the platform's kubectl provider.
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "search");
        KubernetesManifest workload = KubernetesManifest.Builder.create(stack, "Workload")
                .cluster(platform.getCluster())
                .manifest(List.of(
                        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "search")),
                        Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                                "metadata", Map.of("name", "search", "namespace", "search", "labels", labels),
                                "spec", Map.of("replicas", 2, "selector", Map.of("matchLabels", labels),
                                        "template", Map.of("metadata", Map.of("labels", labels), "spec", Map.of("containers", List.of(
                                                Map.of("name", "search", "image", "example/search:2.0.1",
                                                        "ports", List.of(Map.of("name", "http", "containerPort", 8080)))))))),
                        Map.of("apiVersion", "v1", "kind", "Service",
                                "metadata", Map.of("name", "search-api", "namespace", "search", "labels", labels),
                                "spec", Map.of("selector", labels, "ports", List.of(Map.of("name", "http", "port", 80, "targetPort", 8080))))))
                .build();

        // One call: a ServiceMonitor in the team's namespace; the platform's Prometheus picks it up while it runs.
        ServiceMonitorRegistration monitor = platform.scrape(stack, "search", labels, ScrapeOptions.builder()
                .name("search").port(8080).metricsPath("/actuator/prometheus").team("search").build());
        monitor.getManifest().getNode().addDependency(workload);

        app.synth();
    }
}
