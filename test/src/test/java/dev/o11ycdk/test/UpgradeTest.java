package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.CreateOnly;
import dev.o11ycdk.test.support.LastRelease;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.UpgradeCheck;
import dev.o11ycdk.test.support.UpgradeCheck.Finding;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;

/**
 * A deploy of today's app over the last release (lib/release-baseline.properties, built from its commit
 * by {@link LastRelease}) on all three layouts, as CloudFormation would run it: no resource that holds
 * data is replaced or deleted, with the defaults and with a few representative settings; no property
 * that would replace one is resolved at deploy time; no configuration-only setting changes an
 * instance's user data. What replaces a resource comes from cfn-lint's resource schemas and
 * CloudFormation's documentation ({@link UpgradeCheck}); every finding is printed, one line each.
 *
 * <p>A scenario's settings are given to both sides, in keys both releases know. Its upgrade settings
 * go to today's side only: what the README tells a team upgrading from the release to set (the host's
 * {@code hostAmiId}, the AMI its host runs). Until a setting exists, today's app ignores it. The
 * release's SSM-resolved AMI then counts as that AMI, and the report says so.
 */
@UsesTools
class UpgradeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-";
    /** Stand for the AMIs a host of the release runs, as a team reads them off its instance. */
    private static final String RUNNING_AMI_X86 = "ami-0a1b2c3d4e5f60718";
    private static final String RUNNING_AMI_ARM = "ami-0f1e2d3c4b5a69788";
    private static final String TWO_SERVICES = "[{\"name\":\"atlantis\",\"port\":4141,\"path\":\"/metrics\"},"
            + "{\"name\":\"billing\",\"port\":9100,\"path\":\"/metrics\"}]";

    /**
     * Settings for both sides; {@code upgrade} for today's only; {@code assumed}: SSM parameter name to
     * the value the release's deploy resolved it to; {@code shows}: text both sides' templates must
     * carry, so a setting one side ignored cannot pass unnoticed.
     */
    record Scenario(String name, Map<String, String> settings, Map<String, String> upgrade, Map<String, String> assumed, String shows) {
        Map<String, String> today() {
            Map<String, String> m = new TreeMap<>(settings);
            m.putAll(upgrade);
            return m;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("defaults", Map.of(), Map.of("hostAmiId", RUNNING_AMI_X86), Map.of(AL2023 + "x86_64", RUNNING_AMI_X86), null),
                new Scenario("retentionDays=30, instanceType=t4g.medium, two services",
                        Map.of("retentionDays", "30", "instanceType", "t4g.medium", "services", TWO_SERVICES),
                        Map.of("hostAmiId", RUNNING_AMI_ARM), Map.of(AL2023 + "arm64", RUNNING_AMI_ARM), "billing"),
                new Scenario("layouts=ec2 in an existing VPC",
                        Map.of("layouts", "ec2", "vpcId", "vpc-0123456789abcdef0",
                                "vpcPublicSubnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2",
                                "vpcPrivateSubnetIds", "subnet-0bbbbbbbbbbbbbbb1,subnet-0bbbbbbbbbbbbbbb2"),
                        Map.of("hostAmiId", RUNNING_AMI_X86), Map.of(AL2023 + "x86_64", RUNNING_AMI_X86), "subnet-0bbbbbbbbbbbbbbb1"));
    }

    /** Settings that change what the platform is configured with, never what the host bootstraps. */
    private static Map<String, String> configurationOnly() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("serviceDownFor", "2m");
        m.put("mutedEnvironments", "test,staging");
        m.put("scrapeInterval", "30s");
        m.put("slackCriticalChannel", "#oncall");
        List<Object> services = new ArrayList<>((List<?>) CdkJson.context().get("services"));
        services.add(Map.of("name", "payments", "port", 8080, "path", "/actuator/prometheus"));
        m.put("services", Cfn.json(services));
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noResourceThatHoldsDataIsReplacedOrDeletedWhenUpgradingFromTheLastRelease(Scenario s) {
        LastRelease release = LastRelease.get();
        Map<String, Map<String, Object>> before = release.templates(s.settings());
        Map<String, Map<String, Object>> after = today(s.today());
        assertThat(before).as("the release's stacks").isNotEmpty();
        assertThat(after.keySet()).as("today's stacks for the same layouts").containsAll(before.keySet());
        if (s.shows() != null) {
            assertThat(Cfn.json(before)).as("the release took the settings").contains(s.shows());
            assertThat(Cfn.json(after)).as("today's app took the settings").contains(s.shows());
        }
        CreateOnly rules = rules(before, after);
        List<Finding> findings = new ArrayList<>();
        before.forEach((stack, t) -> findings.addAll(UpgradeCheck.compare(stack, t, after.get(stack), rules, s.assumed())));
        report("release " + release.version() + " (" + release.commit().substring(0, 7) + ") → today, " + s.name()
                + (s.upgrade().isEmpty() ? "" : "; today's side also " + s.upgrade())
                + (s.assumed().isEmpty() ? "" : "; the release's deploy took " + s.assumed()), findings);
        assertThat(findings.stream().filter(Finding::fails).map(Finding::line).toList())
                .as("upgrading from %s with %s replaces or deletes what holds data", release.version(), s.name()).isEmpty();
    }

    /**
     * Fails in today's templates whether or not they changed: with a replacing property of a resource
     * that holds data read from SSM at each deploy, a deploy of unchanged settings replaces it once the
     * parameter moves (AWS publishes an Amazon Linux AMI every few weeks).
     */
    @Test
    void noPropertyThatReplacesAResourceHoldingDataIsResolvedAtDeployTime() {
        Map<String, Map<String, String>> synths = new LinkedHashMap<>();
        synths.put("defaults, no upgrade settings", Map.of());
        scenarios().forEach(s -> synths.put(s.name(), s.today()));
        Map<String, Finding> found = new LinkedHashMap<>();
        Map<String, List<String>> where = new LinkedHashMap<>();
        synths.forEach((name, overrides) -> {
            Map<String, Map<String, Object>> templates = today(overrides);
            CreateOnly rules = rules(templates);
            templates.forEach((stack, t) -> UpgradeCheck.resolvedAtDeploy(stack, t, rules).forEach(f -> {
                found.putIfAbsent(f.line(), f);
                where.computeIfAbsent(f.line(), k -> new ArrayList<>()).add(name);
            }));
        });
        List<String> lines = found.keySet().stream().map(l -> l + " [in: " + String.join("; ", where.get(l)) + "]").toList();
        report("today's templates, values resolved at deploy time", new ArrayList<>(found.values()));
        assertThat(lines).as("replacing properties of resources that hold data, resolved at deploy time").isEmpty();
    }

    /**
     * Byte for byte, every instance's and launch template's user data stays as it is when only the
     * configuration changes: a new user data stops and starts the host (a scrape gap, an alerting gap,
     * Grafana down). Only the layouts that run instances are synthesized again.
     */
    @Test
    void configurationOnlySettingsLeaveEveryInstancesUserDataByteIdentical() {
        O11yApp.Stacks stacks = Synth.defaults().stacks();
        Map<String, Stack> byLayout = new LinkedHashMap<>();
        byLayout.put("ec2", stacks.ec2Host());
        byLayout.put("fargate", stacks.fargate());
        byLayout.put("eks", stacks.eks());
        List<String> layouts = new ArrayList<>();
        byLayout.forEach((layout, stack) -> {
            Map<String, Object> t = read(Synth.defaults().templateFile(stack));
            if (!UpgradeCheck.userDataHolders(t).isEmpty()) {
                layouts.add(layout);
            }
        });
        assertThat(layouts).as("the layouts whose stacks run an instance").contains("ec2");
        Map<String, String> base = Map.of("layouts", String.join(",", layouts));
        Map<String, Map<String, Object>> before = today(base);
        List<Finding> findings = new ArrayList<>();
        configurationOnly().forEach((key, value) -> {
            Map<String, String> changed = new TreeMap<>(base);
            changed.put(key, value);
            Map<String, Map<String, Object>> after = today(changed);
            before.forEach((stack, t) -> findings.addAll(UpgradeCheck.userDataChanges(stack, t, after.get(stack),
                    key + "=" + (value.length() > 40 ? value.substring(0, 40) + "…" : value))));
        });
        report("today, configuration-only settings against the defaults (layouts " + layouts + ")", findings);
        assertThat(findings.stream().map(Finding::line).toList()).as("user data changed by configuration alone").isEmpty();
    }

    /** Today's templates for cdk.json with {@code overrides}, by stack name (read from the files, as the release's are). */
    private static Map<String, Map<String, Object>> today(Map<String, String> overrides) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Path f : Synth.of(overrides).templateFiles()) {
            out.put(f.getFileName().toString().replace(".template.json", ""), read(f));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path template) {
        try {
            return JSON.readValue(template.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    private static CreateOnly rules(Map<String, Map<String, Object>>... templates) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Map<String, Object>> t : templates) {
            all.addAll(t.values());
        }
        return CreateOnly.fromCfnLint(UpgradeCheck.types(all), String.valueOf(CdkJson.context().get("region")));
    }

    private static void report(String title, List<Finding> findings) {
        long failing = findings.stream().filter(Finding::fails).count();
        StringBuilder b = new StringBuilder("Upgrade check: ").append(title).append(": ").append(findings.size()).append(" finding(s), ")
                .append(failing).append(" failing\n");
        findings.forEach(f -> b.append(f.fails() ? "  FAIL " : "  info ").append(f.line()).append('\n'));
        System.out.print(b);
    }
}
