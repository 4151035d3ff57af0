package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.host.HostConfiguration;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** SPEC "Layout 1", item by item, on the stack synthesized from cdk.json's defaults. */
class Ec2HostStackTest {
    private static Template template;
    private static Map<String, Object> templateJson;

    @BeforeAll
    static void synth() {
        Synth synth = Synth.defaults();
        template = synth.template(synth.stacks().ec2Host());
        templateJson = synth.templateJson(synth.stacks().ec2Host());
    }

    @Test
    void httpsListenerUsesWildcardCertificateAndTls13Policy() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 443, "Protocol", "HTTPS",
                "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "Certificates", List.of(Map.of("CertificateArn", Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("AlbCertificate.*")))))));
        template.hasResourceProperties("AWS::CertificateManager::Certificate", Map.of(
                "DomainName", "*.o11y.example.com",
                "ValidationMethod", "DNS",
                "DomainValidationOptions", List.of(Map.of("DomainName", "*.o11y.example.com", "HostedZoneId", "Z0000000000EXAMPLE"))));
    }

    @Test
    void httpRedirectsPermanentlyToHttps() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80, "Protocol", "HTTP",
                "DefaultActions", List.of(Map.of("Type", "redirect",
                        "RedirectConfig", Map.of("Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301")))));
    }

    @Test
    void loadBalancerDropsInvalidHeadersAndLogsToARetainedEncryptedBucket() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of(
                "Scheme", "internet-facing",
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"),
                        Map.of("Key", "access_logs.s3.enabled", "Value", "true")))));
        template.hasResource("AWS::S3::Bucket", Map.of(
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true, "RestrictPublicBuckets", true)))));
    }

    @Test
    void grafanaHostRuleAtPriority5ForwardsToThePort3000TargetGroup() {
        assertThat(ruleTargetPort("grafana.o11y.example.com", 5)).isEqualTo(3000);
    }

    @Test
    void prometheusHostRuleAtPriority6ForwardsToItsOwnPort9090TargetGroup() {
        // The seed forwarded this rule to the Grafana target group by mistake.
        assertThat(ruleTargetPort("prometheus.o11y.example.com", 6)).isEqualTo(9090);
    }

    @Test
    void targetGroupsUseRealHealthEndpointsWithTheSeedThresholds() {
        for (Object[] tg : new Object[][] {{3000, "/api/health"}, {9090, "/-/ready"}}) {
            template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.ofEntries(
                    Map.entry("Port", tg[0]), Map.entry("Protocol", "HTTP"), Map.entry("ProtocolVersion", "HTTP1"),
                    Map.entry("TargetType", "instance"), Map.entry("HealthCheckPath", tg[1]),
                    Map.entry("HealthCheckProtocol", "HTTP"), Map.entry("Matcher", Map.of("HttpCode", "200")),
                    Map.entry("HealthyThresholdCount", 2), Map.entry("UnhealthyThresholdCount", 2),
                    Map.entry("HealthCheckTimeoutSeconds", 5), Map.entry("HealthCheckIntervalSeconds", 30),
                    Map.entry("Targets", List.of(Map.of("Id", Map.of("Ref", Match.stringLikeRegexp("Host.*")), "Port", tg[0])))));
        }
    }

    @Test
    void aliasRecordsPointGrafanaAndPrometheusAtTheLoadBalancer() {
        for (String name : List.of("grafana.o11y.example.com.", "prometheus.o11y.example.com.")) {
            template.hasResourceProperties("AWS::Route53::RecordSet", Map.of(
                    "Name", name, "Type", "A", "HostedZoneId", "Z0000000000EXAMPLE",
                    "AliasTarget", Match.objectLike(Map.of("DNSName", Match.anyValue()))));
        }
        template.resourceCountIs("AWS::Route53::RecordSet", 2);
    }

    @Test
    void loadBalancerAcceptsOnly443And80FromTheAllowedCidrs() {
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                "GroupDescription", Match.stringLikeRegexp("Automatically created Security Group for ELB.*"),
                "SecurityGroupIngress", List.of(
                        Map.of("CidrIp", "0.0.0.0/0", "FromPort", 443, "ToPort", 443, "IpProtocol", "tcp", "Description", Match.anyValue()),
                        Map.of("CidrIp", "0.0.0.0/0", "FromPort", 80, "ToPort", 80, "IpProtocol", "tcp", "Description", Match.anyValue()))));
    }

    @Test
    void hostAcceptsGrafanaAndPrometheusOnlyFromTheAlbAndNodeExporterOnlyFromItself() {
        Map<String, Map<String, Object>> ingress = template.findResources("AWS::EC2::SecurityGroupIngress");
        assertThat(ingress).hasSize(3);
        Map<Integer, String> sourceByPort = new java.util.TreeMap<>();
        for (Map<String, Object> r : ingress.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) r.get("Properties");
            assertThat(p.get("FromPort")).isEqualTo(p.get("ToPort"));
            assertThat(p).doesNotContainKey("CidrIp");
            sourceByPort.put((Integer) p.get("FromPort"), String.valueOf(p.get("SourceSecurityGroupId")));
        }
        assertThat(sourceByPort).containsOnlyKeys(3000, 9090, 9100);
        assertThat(sourceByPort.get(3000)).contains("AlbSecurityGroup");
        assertThat(sourceByPort.get(9090)).contains("AlbSecurityGroup");
        assertThat(sourceByPort.get(9100)).contains("HostSecurityGroup");
    }

    @Test
    void instanceIsPrivateImdsV2OnlyWithoutKeyPairAndEncryptedVolumeSizedForRetention() {
        template.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of(
                "LaunchTemplateData", Map.of("MetadataOptions", Map.of("HttpTokens", "required"))));
        template.hasResourceProperties("AWS::EC2::Instance", Map.of(
                "InstanceType", "t3.medium",
                "Monitoring", true,
                "DisableApiTermination", false,
                "NetworkInterfaces", List.of(Match.objectLike(Map.of("DeviceIndex", "0", "AssociatePublicIpAddress", false,
                        "SubnetId", Map.of("Ref", Match.stringLikeRegexp("VpcprivateSubnet1.*"))))),
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/xvda",
                        "Ebs", Map.of("VolumeType", "gp3", "Encrypted", true, "DeleteOnTermination", true, "VolumeSize", 31)))));
        Map<String, Map<String, Object>> instances = template.findResources("AWS::EC2::Instance");
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) instances.values().iterator().next().get("Properties");
        assertThat(props).doesNotContainKeys("KeyName", "SubnetId");
    }

    @Test
    void instanceRoleAllowsSessionManagerEc2DiscoveryAndOnlyItsOwnSecrets() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "ec2.amazonaws.com")))))),
                "ManagedPolicyArns", List.of(Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/AmazonSSMManagedInstanceCore"))))))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Version", "2012-10-17",
                "Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", Match.arrayWith(List.of("cloudwatch:GetMetricData", "cloudwatch:ListMetrics",
                                        "ec2:DescribeAvailabilityZones", "ec2:DescribeInstances")),
                                "Effect", "Allow", "Resource", "*")),
                        Match.objectLike(Map.of("Action", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
                                "Resource", List.of(SLACK_WEBHOOK_ARN_PATTERN,
                                        Map.of("Ref", Match.stringLikeRegexp("HostGrafanaAdminPassword.*"))))))))));
    }

    /** The Slack webhook secret named by slackWebhookSecretName, any version suffix, in the stack's account. */
    private static final Map<String, Object> SLACK_WEBHOOK_ARN_PATTERN = Map.of("Fn::Join", List.of("", List.of(
            "arn:aws:secretsmanager:ap-northeast-2:", Map.of("Ref", "AWS::AccountId"), ":secret:o11y/slack-webhook-??????")));

    @Test
    @SuppressWarnings("unchecked")
    void onlyThoseTwoSecretsAreReadableAndNoRoleOfTheStackReadsAnyOther() {
        List<Object> secretResources = new java.util.ArrayList<>();
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
            for (Map<String, Object> st : (List<Map<String, Object>>) doc.get("Statement")) {
                if (String.valueOf(st.get("Action")).contains("secretsmanager:")) {
                    Object r = st.get("Resource");
                    secretResources.addAll(r instanceof List<?> l ? l : List.of(r));
                }
            }
        }
        assertThat(secretResources).hasSize(2).contains(SLACK_WEBHOOK_ARN_PATTERN);
        assertThat(String.valueOf(secretResources)).doesNotContain("\"*\"").contains("HostGrafanaAdminPassword");
    }

    @Test
    void eachTargetGroupHasUnhealthyNoHealthyAndSlowResponseAlarms() {
        Capture metric = new Capture();
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "UnHealthyHostCount",
                "Namespace", "AWS/ApplicationELB", "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                "Dimensions", metric));
        for (String m : List.of("UnHealthyHostCount", "HealthyHostCount", "TargetResponseTime")) {
            assertThat(template.findResources("AWS::CloudWatch::Alarm",
                    Map.of("Properties", Match.objectLike(Map.of("MetricName", m))))).as(m).hasSize(2);
        }
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "HealthyHostCount",
                "Statistic", "Minimum", "Threshold", 1, "ComparisonOperator", "LessThanThreshold", "TreatMissingData", "breaching"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "TargetResponseTime",
                "ExtendedStatistic", "p95", "Threshold", 2));
    }

    @Test
    void aCloudWatchDashboardShowsTheSeedsVerificationListPerRoute() {
        Map<String, Map<String, Object>> dashboards = template.findResources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        String body = String.valueOf(dashboards.values().iterator().next());
        for (String s : List.of("Grafana requests", "Prometheus requests", "RequestCount", "TargetResponseTime", "HealthyHostCount",
                "UnHealthyHostCount")) {
            assertThat(body).contains(s);
        }
    }

    @Test
    void alarmsNotifyTheConfiguredTopic() {
        Synth withTopic = Synth.of(Map.of("alarmTopicArn", "arn:aws:sns:ap-northeast-2:111122223333:o11y-alarms"));
        Map<String, Map<String, Object>> alarms = withTopic.template(withTopic.stacks().ec2Host()).findResources("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(6);
        for (Map<String, Object> a : alarms.values()) {
            Map<?, ?> p = (Map<?, ?>) a.get("Properties");
            assertThat(p.get("AlarmActions")).isEqualTo(List.of("arn:aws:sns:ap-northeast-2:111122223333:o11y-alarms"));
            assertThat(p.get("OKActions")).isEqualTo(List.of("arn:aws:sns:ap-northeast-2:111122223333:o11y-alarms"));
        }
        // The named topic replaces the stack's own: no topic, no topic key (the logs key stays), no output.
        withTopic.template(withTopic.stacks().ec2Host()).resourceCountIs("AWS::SNS::Topic", 0);
        assertThat(Cfn.resources(withTopic.templateJson(withTopic.stacks().ec2Host())).keySet()).noneMatch(id -> id.startsWith("Alarms"));
        assertThat(withTopic.template(withTopic.stacks().ec2Host()).findOutputs("AlarmTopicArn")).hasSize(1);
    }

    @Test
    void outputsGiveTheGrafanaAndPrometheusUrls() {
        template.hasOutput("GrafanaUrl", Map.of("Value", "https://grafana.o11y.example.com/"));
        template.hasOutput("PrometheusUrl", Map.of("Value", "https://prometheus.o11y.example.com/"));
    }

    @Test
    void vpcHasTwoZonesOneNatGatewayAndFlowLogs() {
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
        template.resourceCountIs("AWS::EC2::Subnet", 4);
        template.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "ap-northeast-2a"));
        template.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "ap-northeast-2c"));
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT"));
    }

    @Test
    void userDataFitsEc2sLimitAndHoldsOnlyTheBootstrapWhileEveryConfigurationFileIsTheReviewedOne() throws Exception {
        String userData = dev.o11ycdk.test.support.UserData.of(templateJson);
        assertThat(userData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(16_384);
        String script = dev.o11ycdk.test.support.UserData.part(userData, "text/x-shellscript");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("write_file (\\S+) \\S+ \\S+ <<'O11Y_CDK_EOF'\n([A-Za-z0-9+/=\n]+?)\nO11Y_CDK_EOF")
                .matcher(script);
        // One compressed file: the data-volume script, as the library ships it.
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(ObservabilityInstance.DATA_VOLUME_SCRIPT);
        byte[] gz = java.util.Base64.getMimeDecoder().decode(m.group(2));
        String content = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        try (var in = ObservabilityInstance.class.getResourceAsStream("o11y-data-volume.sh")) {
            assertThat(content).isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(m.find()).isFalse();
        // No configuration in the user data: every file is in the metadata, the reviewed one.
        Map<String, String> reviewed = Synth.defaults().stacks().ec2Host().getHost().getRenderedFiles();
        Map<String, String> staged = dev.o11ycdk.test.support.UserData.stagedFiles(templateJson);
        assertThat(staged.keySet()).containsAll(reviewed.keySet()).hasSize(reviewed.size() + 1).contains("/releases");
        reviewed.forEach((path, c) -> assertThat(staged.get(path)).as(path).isEqualTo(c));
        assertThat(reviewed).hasSizeGreaterThan(8);
    }

    @Test
    void grafanaOnTheHostReadsItsAdminPasswordFromAPrivateFileWrittenBeforeItStarts() {
        Map<String, String> files = Synth.defaults().stacks().ec2Host().getHost().getRenderedFiles();
        assertThat(files.get("/etc/grafana/grafana.ini")).contains("admin_password = $__file{/etc/grafana/admin_password}");
        assertThat(files.get("/etc/systemd/system/grafana.service")).contains("--config=/etc/grafana/grafana.ini");
        assertThat(files.get("/etc/grafana/grafana.env")).contains("GF_METRICS_ENABLED=false").doesNotContain("PASSWORD");
        String script = Synth.defaults().stacks().ec2Host().getHost().getReviewFiles().get("user-data/bootstrap.sh");
        // Required: no "|| warn" after it, so set -e stops the boot when the password cannot be read.
        String step = "\nfetch_secret \"${REGION}\" \"${GRAFANA_ADMIN_SECRET}\" /etc/grafana/admin_password grafana\n";
        assertThat(script.indexOf(step)).isPositive().isLessThan(script.indexOf("/opt/aws/bin/cfn-init -v "));
    }

    @Test
    void alertmanagerRunsOnTheHostAsItsOwnUserOnLoopbackOnlyWithoutClustering() {
        ObservabilityInstance host = Synth.defaults().stacks().ec2Host().getHost();
        String unit = host.getRenderedFiles().get("/etc/systemd/system/alertmanager.service");
        assertThat(unit).contains("User=alertmanager\n", "Group=alertmanager\n", "Restart=always\n",
                "ExecStartPre=/opt/alertmanager/amtool --enable-feature=utf8-strict-mode check-config /etc/alertmanager/alertmanager.yml\n");
        assertThat(unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().split(" ")).containsExactly(
                "ExecStart=/opt/alertmanager/alertmanager", "--config.file=/etc/alertmanager/alertmanager.yml",
                "--storage.path=/var/lib/alertmanager/", "--web.listen-address=127.0.0.1:9093", "--cluster.listen-address=",
                "--enable-feature=utf8-strict-mode");
        String script = host.getReviewFiles().get("user-data/bootstrap.sh");
        assertThat(script).contains(
                "useradd --system --uid 59093 --gid alertmanager --no-create-home --shell /sbin/nologin alertmanager\n",
                "install -d -o alertmanager -g alertmanager -m 0750 /var/lib/alertmanager\n");
        assertThat(host.getReviewFiles().get("etc/o11y-cdk/staged/releases")).contains(
                "alertmanager 0.34.1 https://github.com/prometheus/alertmanager/releases/download/v0.34.1/"
                        + "alertmanager-0.34.1.linux-amd64.tar.gz 265b9d1e55ef0d5306a436018af6d2b686c2ce051f03d968f7464ecb1372a7e8 "
                        + "/opt/alertmanager alertmanager\n");
        // Nothing else may reach it: no ingress rule for 9093 (the host's three are checked above).
        assertThat(String.valueOf(template.findResources("AWS::EC2::SecurityGroupIngress"))).doesNotContain("9093");
    }

    @Test
    void aGravitonHostInstallsTheArm64AlertmanagerWithItsOwnDigest() {
        String releases = Synth.of(Map.of("instanceType", "t4g.medium")).stacks().ec2Host().getHost().getReviewFiles()
                .get("etc/o11y-cdk/staged/releases");
        assertThat(releases).contains("alertmanager 0.34.1 https://github.com/prometheus/alertmanager/releases/download/"
                + "v0.34.1/alertmanager-0.34.1.linux-arm64.tar.gz d98d6cbaf52151c7e76e24355fec88b11cebcb9875d4cdd8b76ddce7a7e5535c "
                + "/opt/alertmanager alertmanager\n");
    }

    @Test
    void anotherAlertmanagerVersionInstallsWithTheChecksumGivenForIt() {
        String sha = "0".repeat(63) + "1";
        // A release newer than the support calendar knows (it warns) with its own checksum.
        Synth other = Synth.of(Map.of("alertmanagerVersion", "0.35.0", "alertmanagerSha256Amd64", sha));
        assertThat(other.stacks().ec2Host().getHost().getReviewFiles().get("etc/o11y-cdk/staged/releases"))
                .contains("alertmanager 0.35.0 https://github.com/prometheus/alertmanager/releases/download/v0.35.0/"
                        + "alertmanager-0.35.0.linux-amd64.tar.gz " + sha + " /opt/alertmanager alertmanager\n");
        // The Fargate layout runs the same version, as its image tag.
        assertThat(String.valueOf(other.templateJson(other.stacks().fargate()))).contains("prom/alertmanager:v0.35.0");
    }

    @Test
    void theWebhookIsReadAtBootIntoAPrivateFileAndIsNowhereInTheTemplateOrUserData() throws Exception {
        ObservabilityInstance host = Synth.defaults().stacks().ec2Host().getHost();
        String script = host.getReviewFiles().get("user-data/bootstrap.sh");
        assertThat(script).contains("readonly SLACK_WEBHOOK_SECRET='arn:aws:secretsmanager:ap-northeast-2:<deploy-time value>:secret:"
                + "o11y/slack-webhook'\n");
        String step = script.substring(script.indexOf("# " + ObservabilityInstance.SLACK_STEP));
        assertThat(step.lines().skip(1).findFirst().orElseThrow()).startsWith(
                "fetch_secret \"${REGION}\" \"${SLACK_WEBHOOK_SECRET}\" /etc/alertmanager/slack_webhook_url alertmanager || echo ");
        assertThat(script.indexOf("\n# " + ObservabilityInstance.SLACK_STEP)).isLessThan(script.indexOf("/opt/aws/bin/cfn-init -v "));
        // Alertmanager only ever gets the file's path; no URL is in its config, the user data or the template.
        String am = host.getRenderedFiles().get("/etc/alertmanager/alertmanager.yml");
        assertThat(am).contains("api_url_file: " + ObservabilityInstance.SLACK_WEBHOOK_FILE).doesNotContain("api_url:", "slack_api_url");
        String userData = dev.o11ycdk.test.support.UserData.of(templateJson);
        String template = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(templateJson);
        for (String s : List.of(userData, template, script)) {
            assertThat(s).doesNotContain("hooks.slack.com", "api_url:");
        }
    }

    @Test
    void prometheusOnTheHostHasNoLifecycleApiAndAlwaysRestarts() {
        String unit = Synth.defaults().stacks().ec2Host().getHost().getRenderedFiles().get("/etc/systemd/system/prometheus.service");
        assertThat(unit).doesNotContain("enable-lifecycle").contains("Restart=always");
    }

    @Test
    void prometheusHasNoLoginSoItsRuleAdmitsOnlyPrivateAddressesByDefault() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Map.of(
                "Priority", 6, "Conditions", List.of(
                        Map.of("Field", "host-header", "HostHeaderConfig", Map.of("Values", List.of("prometheus.o11y.example.com"))),
                        Map.of("Field", "source-ip", "SourceIpConfig", Map.of("Values", List.of("10.0.0.0/8")))),
                "Actions", Match.anyValue(), "ListenerArn", Match.anyValue()));
        assertThat(software.amazon.awscdk.assertions.Annotations.fromStack(Synth.defaults().stacks().ec2Host())
                .findWarning("*", Match.stringLikeRegexp(".*has no authentication.*"))).isEmpty();
    }

    @Test
    void openingPrometheusToTheInternetIsWarnedAbout() {
        Synth open = Synth.of(Map.of("prometheusAllowedCidrs", "0.0.0.0/0"));
        software.amazon.awscdk.assertions.Annotations.fromStack(open.stacks().ec2Host()).hasWarning("/O11yEc2Host/Alb",
                Match.stringLikeRegexp("Route Prometheus \\(prometheus.o11y.example.com\\) has no authentication.*"));
    }

    @SuppressWarnings("unchecked")
    private static int ruleTargetPort(String host, int priority) {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of("Properties", Match.objectLike(Map.of("Priority", priority,
                        "Conditions", Match.arrayWith(List.of(Map.of("Field", "host-header", "HostHeaderConfig", Map.of("Values", List.of(host)))))))));
        assertThat(rules).as("rule for " + host + " at priority " + priority).hasSize(1);
        Map<String, Object> props = (Map<String, Object>) rules.values().iterator().next().get("Properties");
        List<Map<String, Object>> actions = (List<Map<String, Object>>) props.get("Actions");
        String tgRef = (String) ((Map<String, Object>) actions.get(0).get("TargetGroupArn")).get("Ref");
        Map<String, Object> resources = (Map<String, Object>) templateJson.get("Resources");
        Map<String, Object> tg = (Map<String, Object>) ((Map<String, Object>) resources.get(tgRef)).get("Properties");
        return (Integer) tg.get("Port");
    }
}
