package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.StackLimits;
import dev.o11ycdk.fargate.FargatePlatformService;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.Synth;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * 1,000 services is a mid-size company: the Fargate layout synthesizes within every AWS limit with
 * the platform naming all of them, and what breaks a limit fails synth with the setting's name.
 */
class ScaleAndLimitsTest {

    /** {@code n} services as the services setting takes them, on a handful of ports and paths like a real estate. */
    static String services(int n) {
        StringBuilder sb = new StringBuilder("[");
        String[][] kinds = {{"8080", "/actuator/prometheus"}, {"9090", "/metrics"}, {"3000", "/metrics"}, {"9464", "/metrics"}};
        for (int i = 0; i < n; i++) {
            String[] k = kinds[i % kinds.length];
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"svc-").append(String.format("%04d", i)).append("\",\"port\":")
                    .append(k[0]).append(",\"path\":\"").append(k[1]).append("\"").append(i % 10 == 0 ? ",\"env\":\"test\"" : "").append("}");
        }
        return sb.append("]").toString();
    }

    @Test
    void aThousandServicesSynthesizeWithinEveryLimit() throws Exception {
        Synth big = Synth.of(Map.of("services", services(1000)));
        Synth five = Synth.defaults();
        FargatePrometheus prometheus = big.stacks().fargate().getPrometheus();
        // Sized by series (1,000 x (100 + 20 the platform keeps about each)), not by extrapolating the
        // seed's per-service table to 51 vCPU.
        assertThat(prometheus.getExpectedActiveSeries()).isEqualTo(120_000);
        assertThat(prometheus.getSize()).isEqualTo(new ComputeSize(1024, 4096));
        // prometheus.yml does not grow with services at all; only the sidecar's name patterns do.
        assertThat(prometheus.getPrometheusConfig().toYaml())
                .isEqualTo(five.stacks().fargate().getPrometheus().getPrometheusConfig().toYaml());
        int bytes = prometheus.getTaskDefinitionBytes();
        System.out.printf("Scale: 1,000 named services -> Prometheus task definition %d bytes (5 services: %d; ECS limit %d)%n",
                bytes, five.stacks().fargate().getPrometheus().getTaskDefinitionBytes(), FargatePlatformService.MAX_TASK_DEFINITION_BYTES);
        assertThat(bytes).isLessThan(FargatePlatformService.MAX_TASK_DEFINITION_BYTES);
        for (var stack : List.<software.amazon.awscdk.Stack>of(big.stacks().fargate(), big.stacks().ec2Host())) {
            Map<String, Object> template = big.templateJson(stack);
            long size = Files.size(big.templateFile(stack));
            System.out.printf("Scale: 1,000 named services -> %s: %d resources, %d bytes (5 services: %d resources, %d bytes)%n",
                    stack.getStackName(), Cfn.resources(template).size(), size,
                    Cfn.resources(five.templateJson(stack.getStackName().equals("O11yFargate") ? five.stacks().fargate()
                            : five.stacks().ec2Host())).size(),
                    Files.size(five.templateFile(stack)));
            assertThat(StackLimits.check(stack.getStackName(), template, size)).as(stack.getStackName()).isEmpty();
            assertThat(Cfn.resources(template).size()).isLessThan(StackLimits.MAX_RESOURCES);
            assertThat(size).isLessThan(StackLimits.MAX_TEMPLATE_BYTES);
        }
        // The same number of resources as with 5: services add none to the platform's stack.
        assertThat(Cfn.resources(big.templateJson(big.stacks().fargate())).keySet())
                .isEqualTo(Cfn.resources(five.templateJson(five.stacks().fargate())).keySet());
    }

    /**
     * The same 1,000 services on the EKS layout (in the default synth since it has three): they are scrape
     * jobs in the kube-prometheus-stack release's values, a JSON string in the template, so they add no
     * resources, and the template must stay under CloudFormation's 1 MB with them.
     */
    @Test
    void aThousandServicesFitTheEksStackWithinEveryLimit() throws Exception {
        Synth big = Synth.of(Map.of("services", services(1000)));
        Synth five = Synth.defaults();
        var stack = big.stacks().eks();
        Map<String, Object> template = big.templateJson(stack);
        long size = Files.size(big.templateFile(stack));
        long fiveSize = Files.size(five.templateFile(five.stacks().eks()));
        System.out.printf("Scale: 1,000 named services -> O11yEks: %d resources, %d bytes (5 services: %d bytes; %d bytes a service)%n",
                Cfn.resources(template).size(), size, fiveSize, (size - fiveSize) / 995);
        assertThat(Cfn.resources(template).keySet()).isEqualTo(Cfn.resources(five.templateJson(five.stacks().eks())).keySet());
        assertThat(StackLimits.check(stack.getStackName(), template, size)).as(stack.getStackName()).isEmpty();
        assertThat(size).isLessThan(StackLimits.MAX_TEMPLATE_BYTES);
    }

    /** The pair and AMP (issue 17) at 1,000 services: a second service and its EFS, IAM and alarms, still within every limit. */
    @Test
    void aThousandServicesWithThePairAndAmpSynthesizeWithinEveryLimit() throws Exception {
        Synth pair = Synth.of(Map.of("services", services(1000), "prometheusReplicas", "2", "remoteWrite", "create"));
        Synth single = Synth.of(Map.of("services", services(1000)));
        var stack = pair.stacks().fargate();
        Map<String, Object> template = pair.templateJson(stack);
        long size = Files.size(pair.templateFile(stack));
        int singleCount = Cfn.resources(single.templateJson(single.stacks().fargate())).size();
        System.out.printf("Scale: 1,000 named services with the Prometheus pair and AMP -> O11yFargate: %d resources (one Prometheus: %d), "
                + "%d bytes (one Prometheus: %d); each replica's task definition %d bytes%n", Cfn.resources(template).size(), singleCount, size,
                Files.size(single.templateFile(single.stacks().fargate())), stack.getPrometheus().getTaskDefinitionBytes());
        assertThat(stack.getPrometheus().getReplicas()).isEqualTo(2);
        assertThat(StackLimits.check(stack.getStackName(), template, size)).isEmpty();
        assertThat(Cfn.resources(template).size()).isLessThan(StackLimits.MAX_RESOURCES).isGreaterThan(singleCount);
        assertThat(size).isLessThan(StackLimits.MAX_TEMPLATE_BYTES);
    }

    @Test
    void aTaskDefinitionOverEcsLimitFailsSynthNamingTheSettingThatGrewIt() {
        App app = Synth.newApp(Map.of("services", services(8000), "expectedActiveSeries", "100000"), null);
        O11yApp.build(app, Settings.from(app));
        assertThatThrownBy(app::synth).hasMessageContaining("o11y-cdk: setting 'services': the prometheus task definition is ")
                .hasMessageContaining("over ECS's limit of 65536 (largest: ecs-discovery AOT_CONFIG_CONTENT");
    }

    @Test
    void stackLimitsNameTheStackTheCountAndWhatFillsIt() {
        Map<String, Object> resources = new LinkedHashMap<>();
        for (int i = 0; i < 501; i++) {
            resources.put("Rule" + i, Map.of("Type", i < 400 ? "AWS::EC2::SecurityGroupIngress" : "AWS::SSM::Parameter"));
        }
        assertThat(StackLimits.check("Payments", Map.of("Resources", resources), 2_000_000)).containsExactly(
                "stack Payments has 501 resources, over CloudFormation's 500 (most: AWS::EC2::SecurityGroupIngress x400, "
                        + "AWS::SSM::Parameter x101); move some into another stack",
                "stack Payments template is 2000000 bytes, over CloudFormation's 1000000; move some resources into another stack");
        assertThat(StackLimits.check("Small", Map.of("Resources", Map.of("A", Map.of("Type", "AWS::SNS::Topic"))), 300)).isEmpty();
    }
}
