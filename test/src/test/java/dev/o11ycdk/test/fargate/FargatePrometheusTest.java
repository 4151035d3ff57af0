package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** {@link FargatePrometheus} in a stack of its own. */
class FargatePrometheusTest {
    @Test
    void oneTaskSizedForItsSeriesStoppedBeforeItsReplacementWithTheTsdbOnEfs() {
        FargateFixture x = new FargateFixture("Prometheus");
        List<ScrapeTarget> services = IntStream.range(0, 1000).mapToObj(i -> new ScrapeTarget("svc-" + i, 8080, "/metrics", "prod")).toList();
        FargatePrometheus p = new FargatePrometheus(x.f.stack(), "Prometheus", FargatePrometheusProps.builder()
                .cluster(x.cluster).storage(x.storage).services(services).build());
        // 1,000 services x 120 series: 1 vCPU / 4 GB (README's sizing table).
        assertThat(p.getSize()).isEqualTo(new ComputeSize(1024, 4096));
        assertThat(p.getExpectedActiveSeries()).isEqualTo(120_000);
        Template t = x.f.template();
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "1024", "Memory", "4096",
                "Volumes", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "tsdb", "EFSVolumeConfiguration", Match.objectLike(Map.of(
                        "TransitEncryption", "ENABLED", "AuthorizationConfig", Match.objectLike(Map.of("IAM", "ENABLED")))))))))));
        t.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of("DesiredCount", 1,
                "DeploymentConfiguration", Match.objectLike(Map.of("MinimumHealthyPercent", 0, "MaximumPercent", 100)))));
        Annotations.fromStack(x.f.stack()).hasWarning("/Prometheus/Prometheus", Match.stringLikeRegexp(".*does not support for local storage.*"));
    }

    @Test
    void aSecondWriterOnEfsIsRefusedNamingTheSetting() {
        FargateFixture x = new FargateFixture("Two");
        assertThatThrownBy(() -> new FargatePrometheus(x.f.stack(), "Prometheus", FargatePrometheusProps.builder()
                .cluster(x.cluster).storage(x.storage).desiredCount(2).build()))
                .isInstanceOf(Check.BadValue.class).hasMessageStartingWith("prometheusDesiredCount = 2: Prometheus' TSDB on EFS must have exactly one writer");
    }

    @Test
    void aThirdReplicaIsRefusedNamingTheSetting() {
        FargateFixture x = new FargateFixture("Three");
        assertThatThrownBy(() -> new FargatePrometheus(x.f.stack(), "Prometheus", FargatePrometheusProps.builder()
                .cluster(x.cluster).storage(x.storage).replicas(3).build()))
                .isInstanceOf(Check.BadValue.class).hasMessageStartingWith("prometheusReplicas = 3: must be 1 or 2");
    }

    @Test
    void aPairFromTheLibraryIsTwoServicesOnFourAccessPointsTheSecondAfterTheFirst() {
        FargateFixture x = new FargateFixture("Pair");
        FargatePrometheus p = new FargatePrometheus(x.f.stack(), "Prometheus", FargatePrometheusProps.builder()
                .cluster(x.cluster).storage(x.storage).replicas(2).build());
        Template t = x.f.template();
        t.resourceCountIs("AWS::ECS::Service", 2);
        t.resourceCountIs("AWS::EFS::AccessPoint", 4);
        assertThat(p.getReplicaServices()).hasSize(2);
        assertThat(p.getReplicaServices().get(1).getNode().getDependencies()).contains(p.getReplicaServices().get(0));
        assertThatThrownBy(() -> p.getPrometheusConfig(3)).isInstanceOf(Check.BadValue.class);
    }

    @Test
    void aServiceNamedLikeAPlatformJobIsRefused() {
        FargateFixture x = new FargateFixture("Reserved");
        assertThatThrownBy(() -> new FargatePrometheus(x.f.stack(), "Prometheus", FargatePrometheusProps.builder()
                .cluster(x.cluster).storage(x.storage).services(List.of(new ScrapeTarget("grafana", 3000, "/metrics", "prod"))).build()))
                .hasMessageStartingWith("services = 'grafana': service names must be unique and not one of the platform's jobs");
    }
}
