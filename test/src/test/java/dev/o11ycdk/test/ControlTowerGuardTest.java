package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.test.support.CfnGuard;
import dev.o11ycdk.test.support.CfnGuard.Finding;
import dev.o11ycdk.test.support.CfnGuard.Report;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Stack;

/**
 * A second, independent rule set over what we synthesize: every AWS Control Tower proactive control,
 * as the cfn-guard rules npm's @cdklabs/cdk-validator-cfnguard ships, over every stack of the default
 * synth and of the existing-ALB and existing-VPC variants. A finding passes only when the resource suppresses that rule
 * with a reason (written by dev.o11ycdk.core.Suppressions next to the cdk-nag ones).
 */
@UsesTools
class ControlTowerGuardTest {

    private static CfnGuard guard;
    private static final Map<String, Map<String, Object>> TEMPLATES = new LinkedHashMap<>();
    private static final Map<String, Report> REPORTS = new LinkedHashMap<>();
    private static long millis;

    @BeforeAll
    static void validateEveryTemplate() throws IOException {
        guard = CfnGuard.require();
        Synth defaults = Synth.defaults();
        Synth existingAlb = Synth.of(ExistingAlbTest.SETTINGS);
        Map<Path, String> labels = new LinkedHashMap<>();
        for (Stack s : List.<Stack>of(defaults.stacks().ec2Host(), defaults.stacks().fargate(), defaults.stacks().eks())) {
            labels.put(defaults.templateFile(s), s.getStackName());
        }
        labels.put(existingAlb.templateFile(existingAlb.stacks().ec2Host()), "O11yEc2Host (existing ALB)");
        Synth existingVpc = Synth.of(ControlTowerFixesTest.EXISTING_VPC);
        labels.put(existingVpc.templateFile(existingVpc.stacks().ec2Host()), "O11yEc2Host (existing VPC)");
        long start = System.nanoTime();
        List<Report> reports = guard.validate(new ArrayList<>(labels.keySet()));
        millis = (System.nanoTime() - start) / 1_000_000;
        ObjectMapper json = new ObjectMapper();
        for (Report r : reports) {
            String label = labels.get(Path.of(r.template()));
            REPORTS.put(label, r);
            @SuppressWarnings("unchecked")
            Map<String, Object> t = json.readValue(Files.readString(Path.of(r.template())), Map.class);
            TEMPLATES.put(label, t);
        }
        System.out.printf("cfn-guard %s: %d Control Tower rules over %d templates in %d ms%n",
                CfnGuard.GUARD_VERSION, guard.controls().size(), reports.size(), millis);
    }

    @Test
    void everyControlTowerRuleRanOnEveryTemplate() {
        assertThat(REPORTS.keySet()).containsExactly("O11yEc2Host", "O11yFargate", "O11yEks", "O11yEc2Host (existing ALB)", "O11yEc2Host (existing VPC)");
        Set<String> all = guard.controls().keySet();
        assertThat(all).as("the package's rule count").hasSizeGreaterThan(230);
        REPORTS.forEach((label, r) -> assertThat(r.evaluated()).as(label).isEqualTo(all));
    }

    @Test
    void everyFindingIsSuppressedOnItsResourceWithAReason() {
        Map<String, String> controls = guard.controls();
        List<String> open = new ArrayList<>();
        REPORTS.forEach((label, r) -> CfnGuard.unsuppressed(TEMPLATES.get(label), r.findings())
                .forEach(f -> open.add(label + ": " + controls.get(f.rule()) + " " + f)));
        assertThat(open).as("non-compliant with a Control Tower control (fix it, or suppress it on the resource with a reason)")
                .isEmpty();
    }

    @Test
    void everyGuardSuppressionHasASpecificReasonAndCoversARealFinding() {
        REPORTS.forEach((label, r) -> {
            Map<Finding, String> suppressions = CfnGuard.suppressions(TEMPLATES.get(label));
            suppressions.forEach((f, reason) -> assertThat(reason).as(label + ": reason for suppressing " + f).hasSizeGreaterThan(40));
            // A suppression cfn-guard has nothing to say about is stale: the rule passes or does not apply there.
            assertThat(r.findings()).as(label + ": findings behind each suppression").containsAll(suppressions.keySet());
        });
    }

    @Test
    void cfnGuardIsLiveAndReportsTheRuleAndResourceOfANonCompliantTemplate(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.template.json");
        Files.writeString(bad, """
                {"Resources": {
                  "Open": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "MapPublicIpOnLaunch": true}},
                  "Closed": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}}}}
                """);
        List<Report> reports = guard.validate(List.of(bad));
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).findings()).containsExactly(new Finding("subnet_auto_assign_public_ip_disabled_check", "Open"));
    }

    @Test
    void aSuppressionCountsOnlyOnItsResourceAndOnlyWithAReason() throws IOException {
        List<Finding> findings = List.of(new Finding("subnet_auto_assign_public_ip_disabled_check", "A"),
                new Finding("subnet_auto_assign_public_ip_disabled_check", "B"),
                new Finding("subnet_auto_assign_public_ip_disabled_check", "C"));
        @SuppressWarnings("unchecked")
        Map<String, Object> template = new ObjectMapper().readValue("""
                {"Resources": {
                  "A": {"Type": "AWS::EC2::Subnet", "Metadata": {"guard": {"SuppressedRules": ["subnet_auto_assign_public_ip_disabled_check"],
                        "Reasons": {"subnet_auto_assign_public_ip_disabled_check": "a reason long enough to say why"}}}},
                  "B": {"Type": "AWS::EC2::Subnet", "Metadata": {"guard": {"SuppressedRules": ["subnet_auto_assign_public_ip_disabled_check"]}}},
                  "C": {"Type": "AWS::EC2::Subnet"}}}
                """, Map.class);
        assertThat(CfnGuard.unsuppressed(template, findings)).extracting(Finding::resource).containsExactly("B", "C");
        assertThat(CfnGuard.suppressions(template)).containsEntry(findings.get(1), null);
    }
}
