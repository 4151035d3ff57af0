package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.CreateOnly;
import dev.o11ycdk.test.support.UpgradeCheck;
import dev.o11ycdk.test.support.UpgradeCheck.Finding;
import dev.o11ycdk.test.support.UpgradeCheck.Verdict;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The upgrade check on small hand-written templates: each hazard {@link UpgradeTest} looks for produces
 * its finding, naming resource and property, and what is safe produces none that fails.
 */
class UpgradeCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As cfn-lint's schemas give them (the part these templates use). */
    private static final CreateOnly RULES = CreateOnly.of(Map.of(
            "AWS::EFS::FileSystem", List.of("/properties/AvailabilityZoneName", "/properties/Encrypted", "/properties/KmsKeyId",
                    "/properties/PerformanceMode"),
            "AWS::KMS::Key", List.of(),
            "AWS::Logs::LogGroup", List.of("/properties/LogGroupName"),
            "AWS::EC2::Subnet", List.of("/properties/VpcId", "/properties/CidrBlock", "/properties/AvailabilityZone"),
            "AWS::EC2::Instance", List.of("/properties/ImageId", "/properties/SubnetId", "/properties/LaunchTemplate"),
            "AWS::EC2::LaunchTemplate", List.of("/properties/LaunchTemplateName"),
            "AWS::ECS::TaskDefinition", List.of("/properties/ContainerDefinitions"),
            "Custom::AWSCDK-EKS-HelmChart", List.of("/properties/ServiceToken"),
            "AWS::EFS::AccessPoint", List.of("/properties/FileSystemId", "/properties/PosixUser", "/properties/PosixUser/Uid")));
    private static final String AMI_PARAMETER = """
            "Parameters": {"AmiParam": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
              "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"}},""";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> template(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static List<Finding> compare(String before, String after) {
        return UpgradeCheck.compare("Stack", template(before), template(after), RULES, Map.of());
    }

    private static List<Finding> failing(List<Finding> findings) {
        return findings.stream().filter(Finding::fails).toList();
    }

    @Test
    void aFileSystemWithANewKeyIsReplacedAndNamedWithItsProperty() {
        List<Finding> f = compare("""
                {"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": true, "KmsKeyId": {"Ref": "KeyA"}}},
                  "KeyA": {"Type": "AWS::KMS::Key", "Properties": {}}}}""", """
                {"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": true, "KmsKeyId": {"Ref": "KeyB"}}},
                  "KeyA": {"Type": "AWS::KMS::Key", "Properties": {}}, "KeyB": {"Type": "AWS::KMS::Key", "Properties": {}}}}""");
        assertThat(failing(f)).singleElement().satisfies(x -> {
            assertThat(x.verdict()).isEqualTo(Verdict.REPLACES_DATA);
            assertThat(x.line()).startsWith("Stack Fs AWS::EFS::FileSystem KmsKeyId: {\"Ref\":\"KeyA\"} → {\"Ref\":\"KeyB\"}  REPLACED");
        });
    }

    @Test
    void aLogGroupRenamedOrUnderANewLogicalIdIsLost() {
        String before = """
                {"Resources": {"Logs1": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain", "Properties": {"LogGroupName": "/o11y/a"}}}}""";
        List<Finding> renamed = compare(before, """
                {"Resources": {"Logs1": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/o11y/b"}}}}""");
        assertThat(failing(renamed)).extracting(Finding::verdict, Finding::property).containsExactly(
                Tuple.tuple(Verdict.REPLACES_DATA, "LogGroupName"));
        List<Finding> moved = compare(before, """
                {"Resources": {"Logs2": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/o11y/a"}}}}""");
        assertThat(failing(moved)).singleElement().satisfies(x -> {
            assertThat(x.verdict()).isEqualTo(Verdict.DELETES_DATA);
            assertThat(x.logicalId()).isEqualTo("Logs1");
            assertThat(x.line()).contains("DeletionPolicy Retain keeps it, out of the stack");
        });
    }

    @Test
    void anImageFromAnSsmParameterIsResolvedAtDeployTimeEvenWhenTheTemplateIsUnchanged() {
        String host = "{" + AMI_PARAMETER + """
                "Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": {"Ref": "AmiParam"}}}}}""";
        assertThat(UpgradeCheck.resolvedAtDeploy("Stack", template(host), RULES)).singleElement().satisfies(x -> {
            assertThat(x.verdict()).isEqualTo(Verdict.RESOLVED_AT_DEPLOY);
            assertThat(x.line()).startsWith("Stack Host AWS::EC2::Instance ImageId: {\"Ref\":\"AmiParam\"} → "
                    + "SSM parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64 at each deploy");
        });
        // The same template twice: no change to report, but the reference is named for what it is.
        assertThat(compare(host, host)).extracting(Finding::verdict).containsExactly(Verdict.SAME_REFERENCE);
        String pinned = """
                {"Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-0a1b2c3d4e5f60718"}}}}""";
        assertThat(UpgradeCheck.resolvedAtDeploy("Stack", template(pinned), RULES)).isEmpty();
    }

    @Test
    void anUnversionedSsmReferenceIsResolvedAtDeployTimeAVersionedOneIsNot() {
        String unversioned = """
                {"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"KmsKeyId": "{{resolve:ssm:/o11y/key}}"}}}}""";
        assertThat(UpgradeCheck.resolvedAtDeploy("Stack", template(unversioned), RULES)).extracting(Finding::property)
                .containsExactly("KmsKeyId");
        String versioned = """
                {"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"KmsKeyId": "{{resolve:ssm:/o11y/key:3}}"}}}}""";
        assertThat(UpgradeCheck.resolvedAtDeploy("Stack", template(versioned), RULES)).isEmpty();
        // A resource that holds no data may take its value at deploy time.
        String task = """
                {"Resources": {"Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": ["{{resolve:ssm:/x}}"]}}}}""";
        assertThat(UpgradeCheck.resolvedAtDeploy("Stack", template(task), RULES)).isEmpty();
    }

    @Test
    void aUserDataChangeIsReportedAndAnInterruptionOnUpgrade() {
        String before = host("scrape_interval: 15s\n");
        String after = host("scrape_interval: 30s\n");
        assertThat(UpgradeCheck.userDataChanges("Stack", template(before), template(after), "scrapeInterval=30s")).singleElement()
                .satisfies(x -> {
                    assertThat(x.verdict()).isEqualTo(Verdict.CONFIGURATION_CHANGES_USER_DATA);
                    assertThat(x.fails()).isTrue();
                    // Named by the file its here-document writes, and shown unpacked.
                    assertThat(x.line()).contains("Host AWS::EC2::Instance UserData", "interval: 15s", "interval: 30s",
                            "(scrapeInterval=30s; changes: write_file /etc/prometheus/prometheus.yml root 0644)");
                });
        assertThat(UpgradeCheck.userDataChanges("Stack", template(before), template(before), "nothing")).isEmpty();
        assertThat(compare(before, after)).extracting(Finding::verdict).containsExactly(Verdict.INTERRUPTS);
    }

    /** An instance whose user data writes prometheus.yml as gzip+base64, as the host's bootstrap does. */
    private static String host(String prometheusYml) {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(prometheusYml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String script = "#!/bin/bash\nwrite_file /etc/prometheus/prometheus.yml root 0644 <<'EOF'\n"
                + java.util.Base64.getMimeEncoder().encodeToString(gz.toByteArray()) + "\nEOF\nsystemctl restart prometheus\n";
        return "{\"Resources\": {\"Host\": {\"Type\": \"AWS::EC2::Instance\", \"Properties\": {\"ImageId\": \"ami-1\", "
                + "\"UserData\": {\"Fn::Base64\": {\"Fn::Join\": [\"\", [" + Cfn.json(script) + ", {\"Ref\": \"AWS::AccountId\"}]]}}}}}}";
    }

    @Test
    void aLaunchTemplatesUserDataCountsToo() {
        String before = """
                {"Resources": {"Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"UserData": "a"}}}}}""";
        assertThat(UpgradeCheck.userDataChanges("Stack", template(before), template(before.replace("\"a\"", "\"b\"")), "x"))
                .extracting(Finding::logicalId).containsExactly("Lt");
    }

    @Test
    void aReplacedSubnetReplacesTheInstanceInIt() {
        String before = """
                {"Resources": {"Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"CidrBlock": "10.0.0.0/24"}},
                  "Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "SubnetId": {"Ref": "Subnet"}}}}}""";
        List<Finding> f = compare(before, before.replace("10.0.0.0/24", "10.0.1.0/24"));
        assertThat(f).extracting(Finding::logicalId, Finding::verdict).containsExactlyInAnyOrder(
                Tuple.tuple("Subnet", Verdict.REPLACES),
                Tuple.tuple("Host", Verdict.REPLACES_DATA));
        assertThat(failing(f)).singleElement().satisfies(x -> assertThat(x.line()).contains("SubnetId", "refers to Subnet"));
    }

    @Test
    void aNewLaunchTemplateVersionReplacesTheInstance() {
        String before = """
                {"Resources": {"Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required"}}}},
                  "Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1",
                    "LaunchTemplate": {"LaunchTemplateName": "lt", "Version": {"Fn::GetAtt": ["Lt", "LatestVersionNumber"]}}}}}}""";
        assertThat(failing(compare(before, before.replace("required", "optional")))).singleElement()
                .satisfies(x -> assertThat(x.line()).contains("Host", "LaunchTemplate", "refers to Lt.LatestVersionNumber"));
        assertThat(failing(compare(before, before))).isEmpty();
    }

    @Test
    void blockDeviceMappingsReplaceTheInstanceUnlessOnlyDeleteOnTerminationChanges() {
        String before = """
                {"Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1",
                  "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": true, "VolumeSize": 31}}]}}}}""";
        assertThat(compare(before, before.replace("true", "false"))).isEmpty();
        assertThat(failing(compare(before, before.replace("31", "40")))).extracting(Finding::property).containsExactly("BlockDeviceMappings");
    }

    @Test
    void aPinnedImageEqualToTheAmiTheReleaseResolvedIsTheSameValue() {
        String release = "{" + AMI_PARAMETER + """
                "Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": {"Ref": "AmiParam"}}}}}""";
        String today = """
                {"Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-0a1b2c3d4e5f60718"}}}}""";
        Map<String, String> assumed = Map.of("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64", "ami-0a1b2c3d4e5f60718");
        assertThat(UpgradeCheck.compare("Stack", template(release), template(today), RULES, assumed)).singleElement().satisfies(x -> {
            assertThat(x.verdict()).isEqualTo(Verdict.SAME_AS_ASSUMED);
            assertThat(x.line()).contains("the release resolved /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64 to "
                    + "\"ami-0a1b2c3d4e5f60718\"");
        });
        // Another AMI, or no assumption: the host is replaced.
        assertThat(failing(UpgradeCheck.compare("Stack", template(release), template(today.replace("60718", "60719")), RULES, assumed)))
                .extracting(Finding::property).containsExactly("ImageId");
        assertThat(failing(compare(release, today))).extracting(Finding::verdict).containsExactly(Verdict.REPLACES_DATA);
    }

    @Test
    void aChartThatClaimsVolumesHoldsDataAndItsReinstallLosesIt() {
        String before = """
                {"Resources": {"Chart": {"Type": "Custom::AWSCDK-EKS-HelmChart", "Properties": {"ServiceToken": "t", "Release": "o11y",
                  "Chart": "kube-prometheus-stack", "Namespace": "monitoring",
                  "Values": "{\\"grafana\\":{\\"persistence\\":{\\"enabled\\":true,\\"size\\":\\"10Gi\\"}}}"}}}}""";
        assertThat(failing(compare(before, before.replace("\"monitoring\"", "\"observability\"")))).singleElement().satisfies(x -> {
            assertThat(x.property()).isEqualTo("Namespace");
            assertThat(x.line()).contains("reinstalls the chart, deleting its volume claims");
        });
        assertThat(failing(compare(before, before.replace("10Gi", "20Gi")))).isEmpty();
        String noVolumes = before.replace("true", "false");
        assertThat(compare(noVolumes, noVolumes.replace("\"o11y\"", "\"other\""))).extracting(Finding::verdict)
                .containsExactly(Verdict.REPLACES);
        assertThat(failing(compare(before, "{\"Resources\": {}}"))).extracting(Finding::verdict).containsExactly(Verdict.DELETES_DATA);
    }

    @Test
    void nestedCreateOnlyPathsAreReadAndAParentPathIsReportedOnce() {
        String before = """
                {"Resources": {"Ap": {"Type": "AWS::EFS::AccessPoint", "Properties": {"FileSystemId": "fs-1", "PosixUser": {"Uid": "1000", "Gid": "1000"}}}}}""";
        assertThat(failing(compare(before, before.replace("\"Uid\": \"1000\"", "\"Uid\": \"472\"")))).extracting(Finding::property)
                .containsExactly("PosixUser");
    }

    @Test
    @UsesTools
    void cfnLintsSchemasNameTheReplacingPropertiesThisCheckRelies() {
        CreateOnly schemas = CreateOnly.fromCfnLint(Set.of("AWS::EC2::Instance", "AWS::EFS::FileSystem", "AWS::Logs::LogGroup",
                "AWS::EKS::Cluster", Cfn.HELM_CHART), "ap-northeast-2");
        assertThat(schemas.paths("AWS::EC2::Instance")).contains("ImageId", "SubnetId", "LaunchTemplate", "AvailabilityZone")
                .doesNotContain("UserData", "BlockDeviceMappings");
        assertThat(schemas.paths("AWS::EFS::FileSystem")).contains("Encrypted", "KmsKeyId", "PerformanceMode");
        assertThat(schemas.paths("AWS::Logs::LogGroup")).containsExactly("LogGroupName");
        assertThat(schemas.paths("AWS::EKS::Cluster")).contains("Name", "EncryptionConfig", "KubernetesNetworkConfig/IpFamily");
        assertThat(schemas.paths(Cfn.HELM_CHART)).containsExactly("ServiceToken");
    }
}
