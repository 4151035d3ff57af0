package dev.o11ycdk.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.EksStack;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.HelmTpl;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layout 3 as the app deploys it, in two synths: the default (a new cluster) and an existing cluster
 * by name in an existing VPC. Every Helm chart's values are parsed from the template and asserted,
 * the rules and the Alertmanager configuration they carry go through promtool and amtool, and each
 * of seed 004's lessons has its test here.
 */
class EksStackTest {
    static final String CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    /** An existing cluster in an existing VPC, with a certificate of its own (so no value holds a token). */
    static final Map<String, String> IMPORTED = Map.of(
            "layouts", "eks",
            "eksClusterName", "platform",
            "eksClusterSecurityGroupId", "sg-0ccccccccccccccc1",
            "eksInstallEbsCsiDriver", "false",
            "vpcId", "vpc-0123456789abcdef0",
            "vpcPublicSubnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2",
            "vpcPrivateSubnetIds", "subnet-0bbbbbbbbbbbbbbb1,subnet-0bbbbbbbbbbbbbbb2",
            "certificateArn", CERT);
    static final String HELM = Cfn.HELM_CHART;
    static final ObjectMapper YAML = Cfn.YAML;
    /** The charts by the logical-id prefix of their HelmChart resource. */
    static final List<String> CHARTS = List.of("MonitoringExternalSecrets", "MonitoringKubePrometheusStack", "MonitoringLoki",
            "MonitoringAlloy");

    private final Synth synth = Synth.defaults();
    private final EksStack stack = synth.stacks().eks();

    private Map<String, Object> template() {
        return synth.templateJson(stack);
    }

    private static Map<String, Object> imported() {
        Synth s = Synth.of(IMPORTED);
        return s.templateJson(s.stacks().eks());
    }

    private Map<String, Object> kps() {
        return Cfn.helmValues(template(), "MonitoringKubePrometheusStack");
    }

    // ---- the cluster ---------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void newClusterHasAPrivateEndpointEveryLogTypeEncryptedSecretsAndANodeGroupInPrivateSubnets() {
        Map<String, Object> cluster = Cfn.props(template(), "AWS::EKS::Cluster", "Cluster");
        assertThat(cluster).containsEntry("Version", "1.35");
        assertThat((Map<String, Object>) cluster.get("ResourcesVpcConfig")).containsEntry("EndpointPrivateAccess", true)
                .containsEntry("EndpointPublicAccess", false);
        assertThat(Cfn.json(cluster.get("Logging"))).isEqualTo("{\"ClusterLogging\":{\"EnabledTypes\":[{\"Type\":\"api\"},{\"Type\":\"audit\"},"
                + "{\"Type\":\"authenticator\"},{\"Type\":\"controllerManager\"},{\"Type\":\"scheduler\"}]}}");
        assertThat(Cfn.json(cluster.get("EncryptionConfig"))).contains("\"Resources\":[\"secrets\"]", "\"Fn::GetAtt\":[\"ClusterSecretsKey");
        Map<String, Object> key = Cfn.props(template(), "AWS::KMS::Key", "ClusterSecretsKey");
        assertThat(key).containsEntry("EnableKeyRotation", true);
        assertThat((Map<String, Object>) Cfn.resources(template()).entrySet().stream().filter(e -> e.getKey().startsWith("ClusterSecretsKey"))
                .findFirst().orElseThrow().getValue()).containsEntry("DeletionPolicy", "Retain");

        Map<String, Object> nodes = Cfn.props(template(), "AWS::EKS::Nodegroup", "Cluster");
        assertThat(nodes).containsEntry("AmiType", "AL2023_x86_64_STANDARD").containsEntry("InstanceTypes", List.of("t3.large"))
                .containsEntry("ScalingConfig", Map.of("DesiredSize", 2, "MaxSize", 4, "MinSize", 2));
        assertThat(Cfn.json(nodes.get("Subnets"))).contains("VpcprivateSubnet").doesNotContain("publicSubnet");
        // The charts wait for nodes to run on; the ALB controller comes with the cluster.
        assertThat(Cfn.json(Cfn.resources(template()).get(logicalId(template(), HELM, "MonitoringKubePrometheusStack"))))
                .contains("\"ClusterNodegroupNodes");
        assertThat(Cfn.ofType(template(), HELM)).anySatisfy(r -> assertThat(Cfn.json(r.get("Properties")))
                .contains("\"Chart\":\"aws-load-balancer-controller\"", "\"Version\":\"3.5.0\"", "tag\\\":\\\"v3.5.0"));
    }

    /**
     * The controller is newer than any aws-cdk-lib names, so it runs with the policy aws-cdk-lib ships
     * for v3.2.2 (upstream's is the same up to v3.5.0): every statement of that file is on its role.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theAlbControllerRoleHasEveryStatementOfThePolicyAwsCdkLibShips() throws Exception {
        Map<String, Object> shipped;
        try (var jar = software.amazon.awscdk.services.eks_v2.AlbControllerVersion.class.getClassLoader()
                .getResourceAsStream("software/amazon/awscdk/aws-cdk-lib@2.263.0.jsii.tgz");
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.util.zip.GZIPInputStream(jar))) {
            var e = tar.getNextEntry();
            while (!e.getName().equals("package/aws-eks-v2/lib/addons/alb-iam_policy-v3.2.2.json")) {
                e = tar.getNextEntry();
            }
            shipped = new com.fasterxml.jackson.databind.ObjectMapper().readValue(tar, Map.class);
        }
        List<Map<String, Object>> wanted = (List<Map<String, Object>>) shipped.get("Statement");
        assertThat(wanted).hasSizeGreaterThan(10);
        List<Object> onRole = Cfn.ofType(template(), "AWS::IAM::Policy").stream()
                .filter(p -> Cfn.json(p.get("Properties")).contains("AlbController"))
                .flatMap(p -> ((List<Object>) ((Map<String, Object>) ((Map<String, Object>) p.get("Properties"))
                        .get("PolicyDocument")).get("Statement")).stream()).toList();
        String role = Cfn.json(onRole);
        for (Map<String, Object> s : wanted) {
            Object actions = s.get("Action");
            for (Object a : actions instanceof List<?> l ? l : List.of(actions)) {
                assertThat(role).as("ALB controller role").contains("\"" + a + "\"");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static String logicalId(Map<String, Object> template, String type, String prefix) {
        List<String> ids = Cfn.resources(template).entrySet().stream().filter(e -> e.getKey().startsWith(prefix)
                && type.equals(((Map<String, Object>) e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
        assertThat(ids).as(type + " " + prefix).hasSize(1);
        return ids.get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExistingClusterGetsItsOwnKubectlProviderAdmittedAsClusterAdmin() {
        Map<String, Object> t = imported();
        assertThat(Cfn.ofType(t, "AWS::EKS::Cluster")).isEmpty();
        assertThat(Cfn.ofType(t, "AWS::EKS::Nodegroup")).isEmpty();
        Map<String, Object> access = Cfn.props(t, "AWS::EKS::AccessEntry", "KubectlAccess");
        assertThat(access).containsEntry("ClusterName", "platform");
        assertThat(Cfn.json(access.get("PrincipalArn"))).startsWith("{\"Fn::GetAtt\":[\"KubectlProvider");
        assertThat(Cfn.json(access.get("AccessPolicies"))).contains("cluster-access-policy/AmazonEKSClusterAdminPolicy",
                "\"AccessScope\":{\"Type\":\"cluster\"}");
        for (String chart : CHARTS) {
            Map<String, Object> p = Cfn.props(t, HELM, chart);
            assertThat(p).as(chart).containsEntry("ClusterName", "platform");
            assertThat(Cfn.json(p.get("ServiceToken"))).as(chart).contains("KubectlProvider");
            // Installed only once the provider's role is admitted.
            assertThat((List<String>) ((Map<String, Object>) Cfn.resources(t).get(logicalId(t, HELM, chart))).get("DependsOn"))
                    .as(chart).anyMatch(d -> d.startsWith("KubectlAccess"));
        }
        // Its EBS CSI add-on is already there (eksInstallEbsCsiDriver false): not created twice. Our class stands
        // beside the owner's classes under its own name, not as the default.
        assertThat(Cfn.ofType(t, "AWS::EKS::Addon")).isEmpty();
        Map<String, Object> sc = Cfn.manifest(t, "MonitoringGp3StorageClass").get(0);
        assertThat((String) Cfn.at(sc, "metadata.name")).isEqualTo("o11y-gp3");
        assertThat((Map<String, Object>) Cfn.at(sc, "metadata.annotations")).containsEntry("storageclass.kubernetes.io/is-default-class", "false");
        assertThat(Cfn.json(Cfn.helmValues(t, "MonitoringKubePrometheusStack"))).contains("\"storageClassName\":\"o11y-gp3\"")
                .doesNotContain("\"storageClassName\":\"gp3\"");
        // Its own certificate: no ACM certificate created, and the values carry no token.
        assertThat(Cfn.ofType(t, "AWS::CertificateManager::Certificate")).isEmpty();
        assertThat(Cfn.props(t, HELM, "MonitoringKubePrometheusStack").get("Values")).isInstanceOf(String.class);
        assertThat(Cfn.json(Cfn.helmValues(t, "MonitoringKubePrometheusStack"))).contains("\"alb.ingress.kubernetes.io/certificate-arn\":\"" + CERT + "\"");
        // The provider runs in the cluster VPC's private subnets, in a group of its own that the cluster's group admits on 443.
        List<Map<String, Object>> functions = Cfn.ofType(t, "AWS::Lambda::Function").stream()
                .map(f -> (Map<String, Object>) f.get("Properties")).filter(p -> p.containsKey("Layers")).toList();
        assertThat(functions).as("the kubectl handler").hasSize(1);
        String vpcConfig = Cfn.json(functions.get(0).get("VpcConfig"));
        assertThat(vpcConfig).contains("subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2", "KubectlProviderSecurityGroup")
                .doesNotContain("subnet-0aaaaaaaaaaaaaaa1");
        assertThat(Cfn.ofType(t, "AWS::EC2::SecurityGroupIngress").stream().map(i -> Cfn.json(i.get("Properties"))))
                .anySatisfy(i -> assertThat(i).contains("\"GroupId\":\"sg-0ccccccccccccccc1\"", "\"FromPort\":443",
                        "\"SourceSecurityGroupId\":{\"Fn::GetAtt\":[\"KubectlProviderSecurityGroup"));
        // Its VPC is given, with private subnets: no egress warning.
        assertThat(Annotations.fromStack(Synth.of(IMPORTED).stacks().eks()).findWarning("*",
                Match.stringLikeRegexp(".*seed 004, problem 6.*"))).isEmpty();
    }

    // ---- the charts ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource({
        "MonitoringExternalSecrets, external-secrets, 2.12.0, external-secrets, external-secrets, https://charts.external-secrets.io",
        "MonitoringKubePrometheusStack, kube-prometheus-stack, 92.3.0, o11y, monitoring, https://prometheus-community.github.io/helm-charts",
        "MonitoringLoki, loki, 18.13.8, loki, monitoring, https://grafana-community.github.io/helm-charts",
        "MonitoringAlloy, alloy, 1.13.0, alloy, monitoring, https://grafana.github.io/helm-charts"})
    void everyChartIsPinnedInItsNamespaceAndFailsTheDeploymentWhenItsPodsDoNotStart(String prefix, String chart, String version,
                                                                                  String release, String namespace, String repository) {
        Map<String, Object> p = Cfn.props(template(), HELM, prefix);
        assertThat(p).containsEntry("Chart", chart).containsEntry("Version", version).containsEntry("Release", release)
                .containsEntry("Namespace", namespace).containsEntry("Repository", repository)
                .containsEntry("Wait", true).containsEntry("Timeout", "600s");
        // cdk.json pins the same version the template installs.
        String setting = Map.of("external-secrets", "externalSecretsVersion", "kube-prometheus-stack", "kubePrometheusStackVersion",
                "loki", "lokiVersion", "alloy", "alloyVersion").get(chart);
        assertThat(CdkJson.context().get(setting)).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "MonitoringExternalSecrets, external-secrets-2.12.0.yaml",
        "MonitoringKubePrometheusStack, kube-prometheus-stack-92.3.0.yaml",
        "MonitoringLoki, loki-18.13.8.yaml",
        "MonitoringAlloy, alloy-1.13.0.yaml"})
    @SuppressWarnings("unchecked")
    void everyValuesKeyIsOneTheChartDefines(String prefix, String skeleton) throws IOException {
        Map<String, Object> keys;
        try (InputStream in = EksStackTest.class.getResourceAsStream("/chart-values/" + skeleton)) {
            keys = YAML.readValue(in, Map.class);
        }
        List<String> ours = new ArrayList<>();
        unknownKeys(Cfn.helmValues(template(), prefix), keys, "", ours);
        assertThat(ours).as("keys %s sets that %s does not define (a typo is silently ignored by Helm)", prefix, skeleton).isEmpty();
        // Live: a misspelt key is caught.
        List<String> unknown = new ArrayList<>();
        unknownKeys(Map.of("fullnameOverrid", "x"), keys, "", unknown);
        assertThat(unknown).containsExactly("fullnameOverrid");
    }

    @SuppressWarnings("unchecked")
    private static void unknownKeys(Map<String, Object> ours, Map<String, Object> chart, String path, List<String> unknown) {
        for (Map.Entry<String, Object> e : ours.entrySet()) {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!chart.containsKey(e.getKey())) {
                unknown.add(p);
            } else if (e.getValue() instanceof Map<?, ?> m && chart.get(e.getKey()) instanceof Map<?, ?> c) {
                unknownKeys((Map<String, Object>) m, (Map<String, Object>) c, p, unknown);
            }
        }
    }

    // ---- seed 004, problems 9 and 10: storage ----------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void ebsCsiDriverIsAnAddOnWithItsOwnPodIdentityRoleAndTheDefaultClassIsEncryptedGp3() {
        Map<String, Object> t = template();
        Map<String, Object> addon = Cfn.props(t, "AWS::EKS::Addon", "MonitoringEbsCsiDriver");
        assertThat(addon).containsEntry("AddonName", "aws-ebs-csi-driver").containsEntry("ResolveConflicts", "OVERWRITE");
        String roleId = logicalId(t, "AWS::IAM::Role", "MonitoringEbsCsiRole");
        assertThat(addon.get("PodIdentityAssociations")).isEqualTo(List.of(Map.of("ServiceAccount", "ebs-csi-controller-sa",
                "RoleArn", Map.of("Fn::GetAtt", List.of(roleId, "Arn")))));
        // Pod Identity needs its agent first.
        assertThat((List<String>) ((Map<String, Object>) Cfn.resources(t).get(logicalId(t, "AWS::EKS::Addon", "MonitoringEbsCsiDriver")))
                .get("DependsOn")).anyMatch(d -> d.startsWith("ClusterEksPodIdentityAgent"));
        Map<String, Object> role = Cfn.props(t, "AWS::IAM::Role", "MonitoringEbsCsiRole");
        assertThat(Cfn.json(role.get("AssumeRolePolicyDocument"))).contains("\"Service\":\"pods.eks.amazonaws.com\"", "sts:AssumeRole",
                "sts:TagSession");
        // Only this cluster's pods in this account (Pod Identity's confused-deputy conditions), for both pod roles.
        for (String podRole : List.of("MonitoringEbsCsiRole", "MonitoringExternalSecretsRole")) {
            assertThat(Cfn.json(Cfn.props(t, "AWS::IAM::Role", podRole).get("AssumeRolePolicyDocument"))).as(podRole)
                    .contains("\"StringEquals\":{\"aws:SourceAccount\":{\"Ref\":\"AWS::AccountId\"}}", "\"ArnEquals\":{\"aws:SourceArn\"");
        }
        assertThat(Cfn.json(role.get("ManagedPolicyArns"))).contains(":iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
        // Its own role: not the nodes' role, and no other pod's.
        assertThat(Cfn.json(Cfn.props(t, "AWS::EKS::Nodegroup", "Cluster").get("NodeRole"))).doesNotContain("EbsCsi");

        List<Map<String, Object>> sc = Cfn.manifest(t, "MonitoringGp3StorageClass");
        assertThat(sc).hasSize(1);
        Map<String, Object> c = sc.get(0);
        assertThat(c).containsEntry("kind", "StorageClass").containsEntry("provisioner", "ebs.csi.aws.com")
                .containsEntry("reclaimPolicy", "Retain").containsEntry("volumeBindingMode", "WaitForFirstConsumer")
                .containsEntry("allowVolumeExpansion", true);
        assertThat(Cfn.at(c, "metadata.name").equals("gp3")).isTrue();
        assertThat((Map<String, Object>) Cfn.at(c, "metadata.annotations")).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        assertThat((Map<String, Object>) c.get("parameters")).containsEntry("type", "gp3").containsEntry("encrypted", "true");
        // The class exists once the driver does; the charts that claim volumes wait for it.
        String scId = logicalId(t, "Custom::AWSCDK-EKS-KubernetesResource", "MonitoringGp3StorageClass");
        assertThat((List<String>) ((Map<String, Object>) Cfn.resources(t).get(scId)).get("DependsOn")).anyMatch(d -> d.startsWith("MonitoringEbsCsiDriver"));
        for (String chart : List.of("MonitoringKubePrometheusStack", "MonitoringLoki")) {
            assertThat((List<String>) ((Map<String, Object>) Cfn.resources(t).get(logicalId(t, HELM, chart))).get("DependsOn")).contains(scId);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void volumesForPrometheusAlertmanagerGrafanaAndLokiAreSizedFromRetentionOnTheGp3Class() {
        Map<String, Object> v = kps();
        // 15 days of 15 s samples of the expected series at 2 bytes each, plus a quarter for compaction and WAL.
        long series = stack.getMonitoring().getExpectedActiveSeries();
        assertThat(series).isEqualTo(dev.o11ycdk.core.PrometheusSizing.expectedSeries(5) + 25_000 + 11_000 * 4);
        double bytes = 15 * 86_400 / 15.0 * series * dev.o11ycdk.core.PrometheusSizing.BYTES_PER_SAMPLE * 1.25;
        int promGiB = (int) Math.max(10, Math.ceil(bytes / (1 << 30)));
        assertThat(stack.getMonitoring().getPrometheusVolumeGiB()).isEqualTo(promGiB);
        assertClaim(Cfn.at(v, "prometheus.prometheusSpec.storageSpec"), promGiB + "Gi");
        assertThat(Cfn.at(v, "prometheus.prometheusSpec.retention").equals("15d")).isTrue();
        // Old blocks go before the volume fills.
        assertThat((String) Cfn.at(v, "prometheus.prometheusSpec.retentionSize")).isEqualTo((int) Math.floor(promGiB * 0.85) + "GB");
        assertClaim(Cfn.at(v, "alertmanager.alertmanagerSpec.storage"), "2Gi");
        assertThat((Map<String, Object>) Cfn.at(v, "grafana.persistence")).containsEntry("enabled", true).containsEntry("type", "pvc")
                .containsEntry("storageClassName", "gp3").containsEntry("size", "10Gi");
        // One ReadWriteOnce volume: the old Grafana pod lets go before the new one starts.
        assertThat((String) Cfn.at(v, "grafana.deploymentStrategy.type")).isEqualTo("Recreate");
        // Loki: eksLogRetentionDays 7 x eksLogGiBPerDay 2 x 1.2.
        Map<String, Object> loki = Cfn.helmValues(template(), "MonitoringLoki");
        assertThat((Map<String, Object>) Cfn.at(loki, "singleBinary.persistence")).containsEntry("enabled", true)
                .containsEntry("storageClass", "gp3").containsEntry("size", "17Gi");
        assertThat((String) Cfn.at(loki, "loki.limits_config.retention_period")).isEqualTo("168h");
        assertThat((Boolean) Cfn.at(loki, "loki.compactor.retention_enabled")).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static void assertClaim(Map<String, Object> storage, String size) {
        assertThat((String) Cfn.at(storage, "volumeClaimTemplate.spec.storageClassName")).isEqualTo("gp3");
        assertThat((List<String>) Cfn.at(storage, "volumeClaimTemplate.spec.accessModes")).containsExactly("ReadWriteOnce");
        assertThat((String) Cfn.at(storage, "volumeClaimTemplate.spec.resources.requests.storage")).isEqualTo(size);
    }

    // ---- seed 004, problem 7: requests and limits ------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void prometheusRequestsAndLimitsComeFromTheSizingModelAndEveryPodHasAMemoryLimit() {
        Map<String, Object> r = Cfn.at(kps(), "prometheus.prometheusSpec.resources");
        dev.o11ycdk.core.ComputeSize size = dev.o11ycdk.core.PrometheusSizing.forSeries("expectedActiveSeries", stack.getMonitoring().getExpectedActiveSeries(), 0);
        assertThat(size.memoryMiB()).as("the sizing model for %d series", stack.getMonitoring().getExpectedActiveSeries())
                .isGreaterThan(1024);
        assertThat((Map<String, Object>) r.get("requests")).containsEntry("memory", size.memoryMiB() + "Mi")
                .containsEntry("cpu", size.cpu() * 1000 / 1024 + "m");
        // Seed 004's OOM: a 1Gi limit under ~100k series. The limit is the model's memory, CPU may burst to twice the request.
        assertThat((Map<String, Object>) r.get("limits")).containsEntry("memory", size.memoryMiB() + "Mi")
                .containsEntry("cpu", 2 * size.cpu() * 1000 / 1024 + "m");
        // The capacity alert knows the same limit.
        assertThat(Cfn.yaml(Cfn.at(kps(), "additionalPrometheusRulesMap.o11y-cdk.groups"))).contains("PrometheusSeriesAboveSizing",
                String.valueOf(dev.o11ycdk.core.PrometheusSizing.seriesCapacity(size.memoryMiB())));

        // Every container this stack configures has requests and a memory limit.
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        all.put("alertmanager", Cfn.at(kps(), "alertmanager.alertmanagerSpec.resources"));
        all.put("grafana", Cfn.at(kps(), "grafana.resources"));
        all.put("loki", Cfn.at(Cfn.helmValues(template(), "MonitoringLoki"), "singleBinary.resources"));
        all.put("alloy", Cfn.at(Cfn.helmValues(template(), "MonitoringAlloy"), "alloy.resources"));
        Map<String, Object> es = Cfn.helmValues(template(), "MonitoringExternalSecrets");
        all.put("external-secrets", Cfn.at(es, "resources"));
        all.put("external-secrets webhook", Cfn.at(es, "webhook.resources"));
        all.put("external-secrets cert-controller", Cfn.at(es, "certController.resources"));
        all.forEach((name, res) -> {
            assertThat((Map<String, Object>) res.get("requests")).as(name).containsKeys("cpu", "memory");
            assertThat((String) Cfn.at(res, "limits.memory")).as(name).matches("\\d+Mi");
            int request = Integer.parseInt(((String) Cfn.at(res, "requests.memory")).replace("Mi", ""));
            int limit = Integer.parseInt(((String) Cfn.at(res, "limits.memory")).replace("Mi", ""));
            assertThat(limit).as(name).isGreaterThanOrEqualTo(request);
        });
    }

    // ---- seed 004, problems 6 and 8: ingress and egress ------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void grafanaAndPrometheusAreReachedThroughAlbIngressOnTheCertificateAndEveryServiceIsClusterIp() {
        Map<String, Object> v = kps();
        Map<String, Object> grafana = Cfn.at(v, "grafana.ingress");
        Map<String, Object> prometheus = Cfn.at(v, "prometheus.ingress");
        assertThat(grafana).containsEntry("enabled", true).containsEntry("ingressClassName", "alb")
                .containsEntry("hosts", List.of("grafana.o11y.example.com"));
        assertThat(prometheus).containsEntry("enabled", true).containsEntry("ingressClassName", "alb")
                .containsEntry("hosts", List.of("prometheus.o11y.example.com"));
        Map<String, Object> ga = (Map<String, Object>) grafana.get("annotations");
        Map<String, Object> pa = (Map<String, Object>) prometheus.get("annotations");
        for (Map<String, Object> a : List.of(ga, pa)) {
            // The ACM certificate the stack creates, HTTPS only, TLS 1.2+, pods as targets.
            assertThat(a).containsEntry("alb.ingress.kubernetes.io/certificate-arn", "<<Ref:" + logicalId(template(),
                            "AWS::CertificateManager::Certificate", "Certificate") + ">>")
                    .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]")
                    .containsEntry("alb.ingress.kubernetes.io/ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06")
                    .containsEntry("alb.ingress.kubernetes.io/target-type", "ip");
        }
        assertThat(ga).containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing")
                .containsEntry("alb.ingress.kubernetes.io/inbound-cidrs", "0.0.0.0/0")
                .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/api/health");
        // Prometheus has no login: internal by default, and only prometheusAllowedCidrs.
        assertThat(pa).containsEntry("alb.ingress.kubernetes.io/scheme", "internal")
                .containsEntry("alb.ingress.kubernetes.io/inbound-cidrs", "10.0.0.0/8")
                .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/-/ready");
        // Problem 8: no NodePort anywhere (target-type ip needs none).
        for (String s : List.of("prometheus.service.type", "alertmanager.service.type", "grafana.service.type")) {
            assertThat((String) Cfn.at(v, s)).as(s).isEqualTo("ClusterIP");
        }
        for (String chart : CHARTS) {
            assertThat(Cfn.json(Cfn.helmValues(template(), chart))).as(chart).doesNotContain("NodePort", "LoadBalancer\"");
        }
        // DNS: grafana. and prometheus. are CNAMEs of the ALBs the controller makes for the chart's ingresses.
        for (String host : List.of("grafana", "prometheus")) {
            String cap = Character.toUpperCase(host.charAt(0)) + host.substring(1);
            Map<String, Object> address = Cfn.props(template(), "Custom::AWSCDK-EKS-KubernetesObjectValue", "Monitoring" + cap + "AlbAddress");
            assertThat(address).containsEntry("ObjectType", "ingress").containsEntry("ObjectName", "o11y-" + host)
                    .containsEntry("ObjectNamespace", "monitoring").containsEntry("JsonPath", ".status.loadBalancer.ingress[0].hostname");
            Map<String, Object> record = Cfn.props(template(), "AWS::Route53::RecordSet", "Monitoring" + cap + "Record");
            assertThat(record).containsEntry("Type", "CNAME").containsEntry("Name", host + ".o11y.example.com.");
            assertThat(Cfn.json(record.get("ResourceRecords"))).contains("Monitoring" + cap + "AlbAddress");
        }
    }

    @Test
    void noEgressWarningWhereTheNodesHaveANatGatewayOrTheVpcIsGiven() {
        // The default VPC has a NAT gateway; the imported cluster's VPC has private (routed) subnets.
        // The warnings themselves: KubePrometheusStackTest (a cluster without its VPC, a VPC of isolated subnets).
        assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*seed 004, problem 6.*"))).isEmpty();
        assertThat(Cfn.ofType(template(), "AWS::EC2::NatGateway")).hasSize(1);
    }

    // ---- seed 004, problem 11: env label and muted environments ----------------------------------

    private Path alertmanagerYaml(Path dir) throws IOException {
        Map<String, Object> config = Cfn.at(kps(), "alertmanager.config");
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, Cfn.yaml(config));
        return file;
    }

    @UsesTools
    @Test
    @SuppressWarnings("unchecked")
    void amtoolAcceptsTheAlertmanagerConfigurationTheValuesCarry(@TempDir Path dir) throws IOException {
        Path file = alertmanagerYaml(dir);
        String amtool = PrometheusTools.amtool();
        Tools.Result r = Tools.run(List.of(amtool, "check-config", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS", "4 receivers");
        String text = Files.readString(file);
        // The webhook is a file Alertmanager reads from the Secret External Secrets writes, never a value.
        assertThat(text).contains("api_url_file: /etc/alertmanager/secrets/alertmanager-slack-webhook/url").doesNotContain("api_url:");
        assertThat((List<String>) Cfn.at(kps(), "alertmanager.alertmanagerSpec.secrets")).containsExactly("alertmanager-slack-webhook");
        // Nothing of the chart's default configuration is left to merge with ours.
        assertThat((List<?>) Cfn.at(kps(), "alertmanager.config.templates")).isEmpty();
        // env is on every series and alert.
        assertThat((Map<String, Object>) Cfn.at(kps(), "prometheus.prometheusSpec.externalLabels")).isEqualTo(Map.of("env", "prod"));
    }

    @UsesTools
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'severity=critical alertname=ServiceDown service=api-1 env=prod', slack-critical",
        "'severity=warning alertname=HighCPUUsage service=api-2 env=prod', slack-warning",
        "'severity=critical alertname=ServiceDown service=api-1 env=test', null",
        "'severity=warning alertname=KubePodCrashLooping namespace=monitoring env=test', null",
        "'alertname=Watchdog severity=none env=test', heartbeat"})
    void amtoolRoutesTheAlertsOfAMutedEnvironmentToNull(String labels, String receiver, @TempDir Path dir) throws IOException {
        Tools.assertRoute(alertmanagerYaml(dir), labels, receiver);
    }

    // ---- seed 004, problem 12: metrics path per service ----------------------------------------

    @UsesTools
    @Test
    @SuppressWarnings("unchecked")
    void promtoolAcceptsAPrometheusConfigOfTheAdditionalScrapeConfigsEachAtItsServicesPath(@TempDir Path dir) throws IOException {
        Map<String, Object> spec = Cfn.at(kps(), "prometheus.prometheusSpec");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) spec.get("additionalScrapeConfigs");
        Map<String, Object> paths = jobs.stream().collect(Collectors.toMap(j -> (String) j.get("job_name"), j -> j.get("metrics_path"),
                (a, b) -> a, LinkedHashMap::new));
        // One job per port, path and env (1,000 services stay a few jobs), each service still at its own path.
        assertThat(paths).containsExactly(Map.entry("services-4141-metrics-prod", "/metrics"),
                Map.entry("services-8080-actuator-prometheus-prod", "/actuator/prometheus"),
                Map.entry("services-9091-metrics-prod", "/metrics"), Map.entry("services-5000-metrics-prod", "/metrics"));
        assertThat(Cfn.yaml(jobs)).contains("role: endpointslice", "regex: (api-1|api-2);8080", "regex: atlantis;4141",
                "target_label: env\n    replacement: prod");
        // Each target is labelled job and service by its own Service's name, as with a job per service.
        for (Map<String, Object> j : jobs) {
            List<Map<String, Object>> relabel = (List<Map<String, Object>>) j.get("relabel_configs");
            for (String label : List.of("job", "service")) {
                assertThat(relabel).as(j.get("job_name") + " " + label).anySatisfy(r -> {
                    assertThat(r.get("source_labels")).isEqualTo(List.of("__meta_kubernetes_service_name"));
                    assertThat(r.get("target_label")).isEqualTo(label);
                });
            }
        }
        // What the operator gives Prometheus: its global settings and these jobs (the ServiceMonitors' own jobs aside).
        Map<String, Object> prom = new LinkedHashMap<>();
        prom.put("global", Map.of("scrape_interval", spec.get("scrapeInterval"), "evaluation_interval", spec.get("evaluationInterval"),
                "external_labels", spec.get("externalLabels")));
        // The jobs as rendered, Kubernetes discovery included (Debian stable's promtool 2.42 was built without it).
        for (Map<String, Object> j : jobs) {
            assertThat(j.get("kubernetes_sd_configs")).as((String) j.get("job_name")).isEqualTo(List.of(Map.of("role", "endpointslice")));
        }
        prom.put("scrape_configs", jobs);
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, Cfn.yaml(prom));
        String promtool = PrometheusTools.promtool();
        Tools.Result r = Tools.run(List.of(promtool, "check", "config", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    // ---- the rules the values carry -------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Path rulesFile(Path dir, boolean summaryOnly) throws IOException {
        List<Map<String, Object>> groups = YAML.convertValue(Cfn.at(kps(), "additionalPrometheusRulesMap.o11y-cdk.groups"), List.class);
        if (summaryOnly) {
            // promtool compares annotations exactly: keep summary (its template is checked), drop the rest.
            groups.forEach(g -> ((List<Map<String, Object>>) g.get("rules")).forEach(rule -> {
                Object a = rule.get("annotations");
                if (a instanceof Map<?, ?> m) {
                    ((Map<String, Object>) m).keySet().retainAll(List.of("summary"));
                }
            }));
        }
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, Cfn.yaml(Map.of("groups", groups)));
        return file;
    }

    @UsesTools
    @Test
    void promtoolChecksTheRulesAndServiceDownFiresForADownServiceTarget(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Path rules = rulesFile(dir, false);
        Tools.Result check = Tools.run(List.of(promtool, "check", "rules", rules.toString()), dir, 60);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + ValidationToolsTest.ruleCount(stack.getMonitoring().getRules()) + " rules found");

        rulesFile(dir, true);
        // A service target as the additional scrape config labels it (endpointslice: namespace, pod, service, env).
        String target = "job=\"api-1\",instance=\"10.0.3.7:8080\",namespace=\"apps\",pod=\"api-1-7d9f\",service=\"api-1\",env=\"prod\"";
        Map<String, Object> labels = new LinkedHashMap<>(Map.of("job", "api-1", "instance", "10.0.3.7:8080", "namespace", "apps",
                "pod", "api-1-7d9f", "service", "api-1", "env", "prod", "severity", "critical"));
        Map<String, Object> fires = Map.of("name", "ServiceDown fires for a down service", "interval", "15s",
                "input_series", List.of(Map.of("series", "up{" + target + "}", "values", "1 1 0x20")),
                "alert_rule_test", List.of(
                        Map.of("eval_time", "30s", "alertname", "ServiceDown", "exp_alerts", List.of()),
                        Map.of("eval_time", "3m", "alertname", "ServiceDown", "exp_alerts", List.of(Map.of("exp_labels", labels,
                                "exp_annotations", Map.of("summary", "Service api-1 is down"))))));
        Map<String, Object> up = Map.of("name", "ServiceDown stays silent while the target is up", "interval", "15s",
                "input_series", List.of(Map.of("series", "up{" + target + "}", "values", "1x20")),
                "alert_rule_test", List.of(Map.of("eval_time", "4m", "alertname", "ServiceDown", "exp_alerts", List.of())));
        Map<String, Object> watchdog = Map.of("name", "Watchdog always fires", "interval", "15s",
                "alert_rule_test", List.of(Map.of("eval_time", "1m", "alertname", "Watchdog", "exp_alerts",
                        List.of(Map.of("exp_labels", Map.of("severity", "none"), "exp_annotations", Map.of("summary",
                                summary("Watchdog")))))));
        Path tests = dir.resolve("tests.yml");
        Files.writeString(tests, Cfn.yaml(Map.of("rule_files", List.of("rules.yml"), "evaluation_interval", "15s",
                "tests", List.of(fires, up, watchdog))));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");

        // Live: the same test with a wrong expectation fails.
        Files.writeString(tests, Files.readString(tests).replace("Service api-1 is down", "Service api-2 is down"));
        assertThat(Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120).exitCode()).isNotZero();
    }

    private String summary(String alert) {
        return stack.getMonitoring().getRules().alerts().stream().filter(r -> r.name().equals(alert)).findFirst().orElseThrow()
                .annotations().get("summary");
    }

    @Test
    @SuppressWarnings("unchecked")
    void controlPlaneEksRunsIsNotScrapedAndItsAlertsAreOff() {
        Map<String, Object> v = kps();
        for (String component : List.of("kubeControllerManager", "kubeScheduler", "kubeEtcd")) {
            assertThat((Boolean) Cfn.at(v, component + ".enabled")).as(component).isFalse();
        }
        assertThat((Map<String, Object>) Cfn.at(v, "defaultRules.rules")).containsEntry("kubeControllerManager", false)
                .containsEntry("kubeSchedulerAlerting", false).containsEntry("kubeSchedulerRecording", false).containsEntry("etcd", false);
        assertThat((Map<String, Object>) Cfn.at(v, "defaultRules.disabled")).containsEntry("KubeControllerManagerDown", true)
                .containsEntry("KubeSchedulerDown", true);
        // The chart's own Prometheus/Alertmanager/general groups give way to the shared model's: one Watchdog, one TargetDown.
        List<String> ours = stack.getMonitoring().getRules().alerts().stream().map(dev.o11ycdk.config.Rule::name).toList();
        assertThat(ours).contains("Watchdog", "TargetDown", "ServiceDown").doesNotContain("KubeControllerManagerDown", "KubeSchedulerDown");
        assertThat((Map<String, Object>) Cfn.at(v, "defaultRules.rules")).containsEntry("general", false).containsEntry("prometheus", false)
                .containsEntry("alertmanager", false);
        // The ECS-only groups of the shared model have nothing to watch here.
        assertThat(ours).doesNotContain("ServiceTasksGone");
    }

    // ---- seed 004, problem 14: pods against their own limits ------------------------------------

    @SuppressWarnings("unchecked")
    private Map<String, Object> kubernetesDashboard() throws IOException {
        // Beside the chart, not in its extraManifests: the chart runs those through Helm's tpl, which fails on the legends.
        assertThat(kps()).doesNotContainKey("extraManifests");
        List<Map<String, Object>> cms = Cfn.manifest(template(), "MonitoringDashboards");
        assertThat(cms).extracting(m -> (String) Cfn.at(m, "metadata.name"))
                .containsExactly("o11y-dashboard-kubernetes", "o11y-dashboard-node", "o11y-dashboard-apm");
        String grafanaNamespace = (String) Cfn.props(template(), HELM, "MonitoringKubePrometheusStack").get("Namespace");
        assertThat(cms).allSatisfy(m -> {
            assertThat(m).containsEntry("kind", "ConfigMap");
            assertThat((String) Cfn.at(m, "metadata.namespace")).isEqualTo(grafanaNamespace);
            assertThat((Map<String, Object>) Cfn.at(m, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        });
        assertThat((Map<String, Object>) Cfn.at(kps(), "grafana.sidecar.dashboards")).containsEntry("enabled", true)
                .containsEntry("label", "grafana_dashboard").containsEntry("labelValue", "1");
        Map<String, Object> data = (Map<String, Object>) cms.get(0).get("data");
        return new ObjectMapper().readValue((String) data.get("o11y-kubernetes.json"), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> panelExpressions(Map<String, Object> dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) dashboard.get("panels")) {
            for (Map<String, Object> t : (List<Map<String, Object>>) p.getOrDefault("targets", List.of())) {
                out.put((String) p.get("title"), (String) t.get("expr"));
            }
        }
        return out;
    }

    // The fleet shape (issue 16): the pods nearest their limits, never a line per pod.
    private static final String CPU_PANEL = "Pod CPU of its limit: top 20";
    private static final String MEMORY_PANEL = "Pod memory of its limit: top 20";

    @UsesTools
    @Test
    void kubernetesDashboardMeasuresEachPodAgainstItsOwnLimitAndPromtoolAgrees(@TempDir Path dir) throws IOException {
        Map<String, String> exprs = panelExpressions(kubernetesDashboard());
        assertThat(exprs).containsKeys(CPU_PANEL, MEMORY_PANEL);
        assertThat(exprs.get(CPU_PANEL)).contains("container_cpu_usage_seconds_total", "/",
                "kube_pod_container_resource_limits{resource=\"cpu\"");
        assertThat(exprs.get(MEMORY_PANEL)).contains("container_memory_working_set_bytes", "/",
                "kube_pod_container_resource_limits{resource=\"memory\"").doesNotContain("machine_memory", "node_memory");
        String promtool = PrometheusTools.promtool();
        // Every panel's query is valid PromQL (Grafana's variables replaced as DashboardsTest does).
        List<Map<String, Object>> records = new ArrayList<>();
        exprs.values().forEach(e -> records.add(Map.of("record", "panel:" + records.size(), "expr", DashboardsTest.asPromql(e))));
        Files.writeString(dir.resolve("queries.yml"), Cfn.yaml(Map.of("groups", List.of(Map.of("name", "panels", "rules", records)))));
        Tools.Result check = Tools.run(List.of(promtool, "check", "rules", "queries.yml"), dir, 60);
        assertThat(check.exitCode()).as(check.output()).isZero();

        // And they measure what they say: a pod limited to 0.5 CPU and 512Mi, using 0.25 CPU and 384Mi, reads 0.5 and 0.75
        // whatever the node's size.
        String pod = "namespace=\"monitoring\",pod=\"o11y-grafana-0\"";
        List<Map<String, Object>> input = List.of(
                Map.of("series", "container_cpu_usage_seconds_total{container=\"grafana\"," + pod + "}", "values", "0+15x20"),
                Map.of("series", "container_memory_working_set_bytes{container=\"grafana\"," + pod + "}", "values", 384 * 1024 * 1024 + "x20"),
                Map.of("series", "kube_pod_container_resource_limits{container=\"grafana\",resource=\"cpu\",unit=\"core\"," + pod + "}",
                        "values", "0.5x20"),
                Map.of("series", "kube_pod_container_resource_limits{container=\"grafana\",resource=\"memory\",unit=\"byte\"," + pod + "}",
                        "values", 512 * 1024 * 1024 + "x20"),
                Map.of("series", "machine_memory_bytes{instance=\"node-1\"}", "values", 8L * 1024 * 1024 * 1024 + "x20"));
        Map<String, Object> test = Map.of("interval", "1m", "input_series", input, "promql_expr_test", List.of(
                Map.of("expr", DashboardsTest.asPromql(exprs.get(CPU_PANEL)), "eval_time", "10m",
                        "exp_samples", List.of(Map.of("labels", "{namespace=\"monitoring\",pod=\"o11y-grafana-0\"}", "value", 0.5))),
                Map.of("expr", DashboardsTest.asPromql(exprs.get(MEMORY_PANEL)), "eval_time", "10m",
                        "exp_samples", List.of(Map.of("labels", "{namespace=\"monitoring\",pod=\"o11y-grafana-0\"}", "value", 0.75)))));
        Files.writeString(dir.resolve("empty.yml"), "groups: []\n");
        Files.writeString(dir.resolve("tests.yml"), Cfn.yaml(Map.of("rule_files", List.of("empty.yml"), "tests", List.of(test))));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void noChartValueOfEitherClusterPathHoldsTemplateCodeForHelmsTpl() {
        for (Map<String, Object> t : List.of(template(), imported())) {
            for (String chart : CHARTS) {
                assertThat(HelmTpl.templateCode(Cfn.helmValues(t, chart), chart.equals("MonitoringKubePrometheusStack")
                        ? HelmTpl.KUBE_PROMETHEUS_STACK_VERBATIM : List.of())).as(chart).isEmpty();
            }
        }
        // The legends still reach Grafana as Grafana writes them.
        assertThat(Cfn.text(Cfn.props(template(), "Custom::AWSCDK-EKS-KubernetesResource", "MonitoringDashboards").get("Manifest")))
                .contains("{{namespace}}/{{pod}}");
    }

    // ---- secrets -----------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void secretsComeFromSecretsManagerThroughExternalSecretsAndNoValueHoldsOne() {
        Map<String, Object> t = template();
        List<Map<String, Object>> objects = Cfn.manifest(t, "MonitoringSecrets");
        assertThat(objects).extracting(o -> o.get("kind") + "/" + Cfn.at(o, "metadata.name"))
                .containsExactly("SecretStore/aws-secrets-manager", "ExternalSecret/alertmanager-slack-webhook", "ExternalSecret/grafana-admin");
        assertThat((Map<String, Object>) Cfn.at(objects.get(0), "spec.provider.aws")).isEqualTo(Map.of("service", "SecretsManager",
                "region", "ap-northeast-2"));
        Map<String, Object> slack = objects.get(1);
        assertThat((List<Map<String, Object>>) Cfn.at(slack, "spec.data")).containsExactly(Map.of("secretKey", "value",
                "remoteRef", Map.of("key", "o11y/slack-webhook")));
        assertThat((Map<String, Object>) Cfn.at(slack, "spec.target.template.data")).containsEntry("url", "{{ .value }}");
        Map<String, Object> grafana = objects.get(2);
        String grafanaKey = (String) ((Map<String, Object>) ((List<Map<String, Object>>) Cfn.at(grafana, "spec.data")).get(0)
                .get("remoteRef")).get("key");
        assertThat(grafanaKey).as("the generated secret's name, a token").startsWith("<<Join:").contains("Ref=MonitoringGrafanaAdminSecret");
        assertThat((Map<String, Object>) Cfn.at(grafana, "spec.target.template.data")).containsEntry("admin-password", "{{ .value }}");
        assertThat((Map<String, Object>) Cfn.at(kps(), "grafana.admin")).isEqualTo(Map.of("existingSecret", "grafana-admin",
                "userKey", "admin-user", "passwordKey", "admin-password"));

        // No chart's values carries a webhook or a password, and no secret value is in the template at all.
        for (String chart : CHARTS) {
            String json = Cfn.json(Cfn.helmValues(t, chart)).toLowerCase();
            assertThat(json).as(chart).doesNotContain("hooks.slack.com", "adminpassword", "\"password\":", "secretstring", "api_url\":");
        }
        assertThat(Cfn.json(t)).doesNotContain("hooks.slack.com").doesNotContain("\"SecretString\":");
        // External Secrets reads exactly these two secrets, through its own Pod Identity role.
        Map<String, Object> association = Cfn.props(t, "AWS::EKS::PodIdentityAssociation", "MonitoringExternalSecretsIdentity");
        assertThat(association).containsEntry("Namespace", "external-secrets").containsEntry("ServiceAccount", "external-secrets");
        String policy = Cfn.json(Cfn.props(t, "AWS::IAM::Policy", "MonitoringExternalSecretsRole"));
        assertThat(policy).contains("secretsmanager:GetSecretValue", "o11y/slack-webhook", "MonitoringGrafanaAdminSecret")
                .doesNotContain("\"Resource\":\"*\"");
        assertThat((Map<String, Object>) Cfn.helmValues(t, "MonitoringExternalSecrets").get("serviceAccount")).isEqualTo(Map.of("create", true,
                "name", "external-secrets"));
    }

    // ---- logs ------------------------------------------------------------------------------------

    @Test
    void lokiRunsAsOneBinaryOnItsVolumeAndAlloyShipsEveryPodsLogsWithTheEnvLabel() {
        Map<String, Object> loki = Cfn.helmValues(template(), "MonitoringLoki");
        assertThat(loki).containsEntry("deploymentMode", "Monolithic");
        // Named, so a Pod Identity association can name it whatever the chart's helpers would derive.
        assertThat((String) Cfn.at(loki, "serviceAccount.name")).isEqualTo("loki");
        assertThat((String) Cfn.at(loki, "loki.storage.type")).isEqualTo("filesystem");
        for (String scalable : List.of("read", "write", "backend")) {
            assertThat((Integer) Cfn.at(loki, scalable + ".replicas")).as(scalable).isZero();
        }
        Map<String, Object> alloy = Cfn.helmValues(template(), "MonitoringAlloy");
        assertThat((String) Cfn.at(alloy, "controller.type")).isEqualTo("daemonset");
        String config = Cfn.at(alloy, "alloy.configMap.content");
        assertThat(config).contains("loki.source.kubernetes \"pods\"", "field = \"spec.nodeName=\" + sys.env(\"NODE_NAME\")",
                        "values = { env = \"prod\" }", "url = \"http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push\"");
        // Grafana reads Loki through the same gateway.
        assertThat(Cfn.json(Cfn.at(kps(), "grafana.additionalDataSources"))).contains("http://loki-gateway.monitoring.svc.cluster.local");
    }
}
