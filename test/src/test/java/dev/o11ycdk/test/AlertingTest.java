package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * Alerts reach a person: the dead-man's switch for Watchdog, the alarm topic every CloudWatch alarm
 * notifies, the Fargate services' own health alarms, and a runbook section for every alert.
 */
class AlertingTest {
    private static final String HEARTBEAT = "https://hc-ping.com/0b1c7a52-3d3f-4d8e-9a55-2f1d7e6b9c10";
    private static final String RUNBOOKS = "https://github.com/acme/o11y/blob/main/docs/runbooks.md";
    /** Every alerting setting away from its default, in one synth shared by the tests here and AlertDelayTest. */
    static final Map<String, String> SET = Map.of("heartbeatUrl", HEARTBEAT, "alarmEmails", "oncall@example.com,platform@example.com",
            "runbookBaseUrl", RUNBOOKS, "serviceDownFor", "2m");
    /** The Fargate layout alone: one Alertmanager for the heartbeat, Alertmanager's version only an image tag. */
    private static final Map<String, String> FARGATE_ONLY = Map.of("layouts", "fargate", "heartbeatUrl", HEARTBEAT,
            "alertmanagerVersion", "0.35.0");

    private static List<Stack> stacks(Synth synth) {
        return Stream.of(synth.stacks().ec2Host(), synth.stacks().fargate()).map(Stack.class::cast).toList();
    }

    private static long heartbeatWarnings(Synth synth) {
        return stacks(synth).stream().mapToLong(st -> Annotations.fromStack(st)
                .findWarning("*", Match.stringLikeRegexp("heartbeatUrl is empty.*")).size()).sum();
    }

    @Test
    void withoutHeartbeatUrlSynthSaysSoOnceForTheWholeApp() {
        Synth synth = Synth.defaults();
        assertThat(heartbeatWarnings(synth)).isEqualTo(1);
        String yaml = synth.stacks().fargate().getAlertmanager().getConfig().toYaml();
        assertThat(yaml).contains("- name: heartbeat\n").doesNotContain("webhook_configs");
        assertThat(Synth.of(SET).stacks().fargate().getAlertmanager().getConfig().heartbeatUrl()).isEqualTo(HEARTBEAT);
        assertThat(Synth.of(SET).stacks().ec2Host().getHost().getAlertmanagerConfig().heartbeatUrl()).isEqualTo(HEARTBEAT);
        assertThat(heartbeatWarnings(Synth.of(SET))).isZero();
    }

    @UsesTools
    @Test
    void heartbeatUrlReceivesWatchdogEveryMinuteAndAmtoolAgrees(@TempDir Path dir) throws IOException {
        AlertmanagerConfig config = Synth.of(SET).stacks().fargate().getAlertmanager().getConfig();
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, config.toYaml());
        assertThat(config.toYaml()).contains("- receiver: heartbeat\n      matchers:\n        - alertname=\"Watchdog\"\n"
                        + "      group_wait: 0s\n      group_interval: 1m\n      repeat_interval: 1m",
                "- name: heartbeat\n    webhook_configs:\n      - url: " + HEARTBEAT + "\n        send_resolved: false");
        String amtool = PrometheusTools.amtool();
        Tools.Result check = Tools.run(List.of(amtool, "check-config", file.toString()), dir, 60);
        assertThat(check.exitCode()).as(check.output()).isZero();
        // Watchdog reaches the switch whatever env or severity it carries (a muted env must not silence it).
        for (String labels : List.of("alertname=Watchdog severity=none", "alertname=Watchdog env=test")) {
            Tools.assertRoute(file, labels, "heartbeat");
        }
    }

    @UsesTools
    @ParameterizedTest(name = "{0}")
    @CsvSource({"O11yEc2Host, etc/alertmanager/alertmanager.yml", "O11yFargate, alertmanager/alertmanager.yml",
        "O11yEks, kubernetes/alertmanager.yml"})
    void everyLayoutsAlertmanagerConfigPassesAmtoolInUtf8StrictMode(String stack, String path, @TempDir Path dir) throws IOException {
        String amtool = PrometheusTools.amtool();
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, Synth.defaults().renderedFiles().get(stack).get(path));
        String strict = "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE;
        Tools.Result check = Tools.run(List.of(amtool, strict, "check-config", file.toString()), dir, 60);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        // The check is strict: a matcher only the classic parser reads passes without the flag and fails with it.
        Path classic = dir.resolve("classic.yml");
        Files.writeString(classic, "route:\n  receiver: x\n  routes:\n    - receiver: x\n      matchers:\n        - 'team=core platform'\n"
                + "receivers:\n  - name: x\n");
        assertThat(Tools.run(List.of(amtool, "check-config", classic.toString()), dir, 60).exitCode()).isZero();
        assertThat(Tools.run(List.of(amtool, strict, "check-config", classic.toString()), dir, 60).exitCode()).isNotZero();
    }

    @Test
    void everyLayoutsAlertmanagerRunsInUtf8StrictModeAsItsConfigurationIsChecked() {
        String strict = "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE;
        Map<String, Map<String, String>> rendered = Synth.defaults().renderedFiles();
        Map<String, String> host = rendered.get("O11yEc2Host");
        String unit = host.get("etc/systemd/system/alertmanager.service");
        assertThat(unit.lines().filter(l -> l.startsWith("ExecStart=") || l.startsWith("ExecStartPre="))).hasSize(2).allMatch(l -> l.contains(strict));
        // o11y-apply, which checks a new alertmanager.yml before installing it, in the same mode.
        Map<String, String> init = dev.o11ycdk.test.support.UserData.initFiles(
                Synth.defaults().templateJson(Synth.defaults().stacks().ec2Host()), Map.of());
        assertThat(init.get(dev.o11ycdk.host.HostConfiguration.APPLY)).contains("amtool)\" " + strict + " check-config");
        assertThat(rendered.get("O11yFargate").get("alertmanager/entrypoint.sh")).contains("exec '/bin/alertmanager'", "'" + strict + "'");
        assertThat(rendered.get("O11yEks").get("kubernetes/values/kube-prometheus-stack.yaml"))
                .contains("alertmanager:\n  service:\n    type: ClusterIP\n  serviceMonitor:", "  enableFeatures:\n    - " + AlertmanagerConfig.UTF8_STRICT_MODE + "\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlarmOfEveryStackNotifiesTheStacksEncryptedTopic() {
        Synth synth = Synth.defaults();
        for (Stack st : stacks(synth)) {
            Map<String, Object> json = synth.templateJson(st);
            Map<String, Object> resources = Cfn.resources(json);
            List<String> topics = resources.entrySet().stream()
                    .filter(e -> "AWS::SNS::Topic".equals(((Map<String, Object>) e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
            assertThat(topics).as(st.getStackName()).hasSize(1);
            Map<String, Object> topic = Cfn.props(json, "AWS::SNS::Topic", topics.get(0));
            Object getAtt = ((Map<String, Object>) topic.get("KmsMasterKeyId")).get("Fn::GetAtt");
            String keyId = getAtt instanceof List<?> l ? (String) l.get(0) : null;
            assertThat(keyId).as("topic encrypted with the stack's own key").isNotNull().startsWith("Alarms");
            Map<String, Object> key = Cfn.props(json, "AWS::KMS::Key", keyId);
            assertThat(key.get("EnableKeyRotation")).isEqualTo(true);
            String keyPolicy = Cfn.json(key.get("KeyPolicy"));
            assertThat(keyPolicy).contains("\"Service\":\"cloudwatch.amazonaws.com\"", "kms:GenerateDataKey*", "kms:Decrypt");
            // The topic policy replaces SNS's default one: CloudWatch alarms of this account must be allowed to publish.
            String topicPolicy = Cfn.json(Cfn.props(json, "AWS::SNS::TopicPolicy", ""));
            assertThat(topicPolicy).contains("aws:SecureTransport", "\"Sid\":\"CloudWatchAlarmsPublish\"",
                    "\"ArnLike\":{\"aws:SourceArn\":{\"Fn::Join\":[\"\",[\"arn:aws:cloudwatch:ap-northeast-2:\"",
                    "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudwatch.amazonaws.com\"}", "aws:SourceAccount");

            List<Map<String, Object>> alarms = resources.values().stream().map(r -> (Map<String, Object>) r)
                    .filter(r -> "AWS::CloudWatch::Alarm".equals(r.get("Type"))).map(r -> (Map<String, Object>) r.get("Properties")).toList();
            assertThat(alarms).as(st.getStackName()).isNotEmpty().allSatisfy(a -> {
                assertThat(a.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", topics.get(0))));
                assertThat(a.get("OKActions")).isEqualTo(List.of(Map.of("Ref", topics.get(0))));
            });
        }
        assertThat(synth.template(synth.stacks().ec2Host()).findOutputs("AlarmTopicArn")).hasSize(1);
    }

    @Test
    void alarmEmailsSubscribeToTheTopicOfEachStack() {
        // An existing topic (alarmTopicArn) replacing ours: Ec2HostStackTest.alarmsNotifyTheConfiguredTopic.
        Synth synth = Synth.of(SET);
        for (Stack st : stacks(synth)) {
            synth.template(st).resourcePropertiesCountIs("AWS::SNS::Subscription", Map.of("Protocol", "email"), 2);
        }
    }

    @Test
    void withoutTheHostAnAlertmanagerVersionIsAnImageTagThatNeedsNoChecksum() {
        Synth fargate = Synth.of(FARGATE_ONLY);
        assertThat(Cfn.json(Cfn.containers(fargate.templateJson(fargate.stacks().fargate()), "AlertmanagerTaskDefinition")))
                .contains("\"Image\":\"prom/alertmanager:v0.35.0\"");
    }

    @Test
    void oneHeartbeatUrlForBothLayoutsIsSaidToMaskOneOfThem() {
        assertThat(Annotations.fromStack(Synth.of(SET).stacks().ec2Host()).findWarning("*",
                Match.stringLikeRegexp("heartbeatUrl is pinged by the Alertmanager of both layouts.*"))).hasSize(1);
        Synth one = Synth.of(FARGATE_ONLY);
        assertThat(Annotations.fromStack(one.stacks().fargate()).findWarning("*", Match.stringLikeRegexp("heartbeatUrl.*"))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachFargatePlatformServiceAlarmsOnMissingTasksAndOnItsReservation() {
        Synth synth = Synth.defaults();
        Map<String, Object> json = synth.templateJson(synth.stacks().fargate());
        for (String service : List.of("Prometheus", "Grafana", "Alertmanager", "CloudWatchExporter")) {
            Map<String, Object> missing = Cfn.props(json, "AWS::CloudWatch::Alarm", service + "TasksBelowDesired");
            assertThat(missing).containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold").containsEntry("Threshold", 1)
                    .containsEntry("EvaluationPeriods", 5).containsEntry("DatapointsToAlarm", 5);
            String metrics = Cfn.json(missing.get("Metrics"));
            // EcsTaskCounts publishes the counts only for a service with no task running while some are desired: no data is OK.
            assertThat(missing).containsEntry("TreatMissingData", "notBreaching");
            assertThat(metrics).contains("\"Expression\":\"desired - running\"", "\"Namespace\":\"" + dev.o11ycdk.config.MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE + "\"",
                    "\"MetricName\":\"DesiredTaskCount\"", "\"MetricName\":\"RunningTaskCount\"", "\"Name\":\"ServiceName\"",
                    "\"Fn::GetAtt\":[\"" + service + "Service");
            assertThat(Cfn.props(json, "AWS::CloudWatch::Alarm", service + "CpuHigh"))
                    .containsEntry("MetricName", "CPUUtilization").containsEntry("Threshold", 80);
            assertThat(Cfn.props(json, "AWS::CloudWatch::Alarm", service + "MemoryHigh"))
                    .containsEntry("MetricName", "MemoryUtilization").containsEntry("Threshold", 90);
        }
    }

    @Test
    void theTaskCountsFunctionAlarmsWhenItFailsOrStopsRunningBecauseServiceTasksGoneIsSilentThen() {
        Synth synth = Synth.defaults();
        Map<String, Object> json = synth.templateJson(synth.stacks().fargate());
        Map<String, Object> failing = Cfn.props(json, "AWS::CloudWatch::Alarm", "TaskCountsFailing");
        assertThat(failing).containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold").containsEntry("Threshold", 3)
                .containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching");
        assertThat(Cfn.json(failing.get("Metrics"))).contains("\"Expression\":\"FILL(errors, 0) + FILL(throttles, 0)\"",
                "\"MetricName\":\"Errors\"", "\"MetricName\":\"Throttles\"", "\"Namespace\":\"AWS/Lambda\"", "\"Period\":300",
                "TaskCountsFunction");
        // No run is no data: the alarm treats it as breaching, or a deleted schedule would look healthy.
        Map<String, Object> notRunning = Cfn.props(json, "AWS::CloudWatch::Alarm", "TaskCountsNotRunning");
        assertThat(notRunning).containsEntry("MetricName", "Invocations").containsEntry("Namespace", "AWS/Lambda")
                .containsEntry("Statistic", "Sum").containsEntry("Period", 600).containsEntry("ComparisonOperator", "LessThanThreshold")
                .containsEntry("Threshold", 1).containsEntry("TreatMissingData", "breaching");
        assertThat(Cfn.json(notRunning.get("Dimensions"))).contains("TaskCountsFunction");
        // And nothing reserves concurrency, which would fail the deploy in an account at its unreserved minimum (10).
        assertThat(Cfn.props(json, "AWS::Lambda::Function", "TaskCountsFunction")).doesNotContainKey("ReservedConcurrentExecutions");
    }

    @Test
    void everyAlertOfEveryLayoutLinksToItsSectionOfTheRunbooksInThisRepository() throws IOException {
        Path runbooks = CdkJson.repoRoot().resolve("docs/runbooks.md");
        List<String> headings = Files.readAllLines(runbooks).stream().filter(l -> l.startsWith("## "))
                .map(l -> l.substring(3).strip()).toList();
        Synth synth = Synth.defaults();
        List<Rule> alerts = new ArrayList<>(synth.stacks().fargate().getPrometheus().getRules().alerts());
        alerts.addAll(synth.stacks().ec2Host().getHost().getRules().alerts());
        assertThat(alerts).hasSizeGreaterThan(15).allSatisfy(r -> {
            assertThat(r.annotations().get("runbook_url")).as(r.name()).isEqualTo("docs/runbooks.md#" + r.name().toLowerCase());
            assertThat(headings).as("docs/runbooks.md has a section for " + r.name()).contains(r.name());
        });
        // Every section is an alert's, the CloudWatch alarms' or the host's procedures: no runbook for an alert that no longer exists.
        assertThat(headings).containsExactlyInAnyOrderElementsOf(Stream.concat(alerts.stream().map(Rule::name), Stream.of("CloudWatch alarms", "EC2 host operations"))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new)));

        Synth custom = Synth.of(SET);
        List<Rule> customAlerts = new ArrayList<>(custom.stacks().fargate().getPrometheus().getRules().alerts());
        customAlerts.addAll(custom.stacks().ec2Host().getHost().getRules().alerts());
        assertThat(customAlerts).allSatisfy(r -> assertThat(r.annotations().get("runbook_url"))
                .isEqualTo(RUNBOOKS + "#" + r.name().toLowerCase()));
        assertThat(synth.stacks().fargate().getAlertmanager().getConfig().toYaml()).contains("Runbook: {{ .Annotations.runbook_url }}");
    }
}
