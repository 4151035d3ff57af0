package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import java.util.List;
import software.amazon.awscdk.services.aps.CfnWorkspace;
import software.constructs.Construct;

/**
 * Where Prometheus copies every sample: an Amazon Managed Service for Prometheus workspace, signed
 * with SigV4 by the task role. The way to outgrow one Prometheus task writing to one EFS directory.
 */
public record RemoteWrite(String workspaceArn, String remoteWriteUrl, String region) {

    /** A new workspace in {@code scope}, keeping samples for AMP's default 150 days. */
    public static RemoteWrite createWorkspace(Construct scope, String id, String alias) {
        return createWorkspace(scope, id, alias, null);
    }

    /**
     * A new workspace in {@code scope} that keeps samples {@code retentionDays} (1..1095; the
     * workspace configuration's RetentionPeriodInDays, changed in place), or AMP's default 150 days when null.
     */
    public static RemoteWrite createWorkspace(Construct scope, String id, String alias, Integer retentionDays) {
        CfnWorkspace.Builder b = CfnWorkspace.Builder.create(scope, id).alias(alias);
        if (retentionDays != null) {
            Check.range("ampRetentionDays", retentionDays, 1, MAX_RETENTION_DAYS);
            b.workspaceConfiguration(CfnWorkspace.WorkspaceConfigurationProperty.builder().retentionPeriodInDays(retentionDays).build());
        }
        CfnWorkspace ws = b.build();
        // It holds the samples Grafana reads (ampRetentionDays of them): kept when the stack lets go of it.
        ws.applyRemovalPolicy(software.amazon.awscdk.RemovalPolicy.RETAIN);
        return new RemoteWrite(ws.getAttrArn(), ws.getAttrPrometheusEndpoint() + "api/v1/remote_write",
                software.amazon.awscdk.Stack.of(scope).getRegion());
    }

    /** An existing workspace: {@code arn:aws:aps:<region>:<account>:workspace/<id>}. */
    public static RemoteWrite fromWorkspaceArn(String arn) {
        if (!arn.matches("arn:aws[a-z-]*:aps:[a-z0-9-]+:\\d{12}:workspace/ws-[a-zA-Z0-9-]+")) {
            throw Check.bad("remoteWrite", arn, "give 'create' or an AMP workspace ARN (arn:aws:aps:<region>:<account>:workspace/ws-...)");
        }
        String region = arn.split(":")[3];
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        // SigV4 must sign for the workspace's region, which may differ from the stack's.
        return new RemoteWrite(arn, "https://aps-workspaces." + region + ".amazonaws.com/workspaces/" + id + "/api/v1/remote_write", region);
    }

    /** AMP's bounds on a workspace's retention. */
    public static final int MAX_RETENTION_DAYS = 1095;

    /**
     * Where Grafana (or any Prometheus API client, signing with SigV4) queries the workspace:
     * {@code https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>}, its id taken from the ARN.
     */
    public String queryUrl() {
        String id = software.amazon.awscdk.Token.isUnresolved(workspaceArn)
                ? software.amazon.awscdk.Fn.select(1, software.amazon.awscdk.Fn.split("/", workspaceArn))
                : workspaceArn.substring(workspaceArn.lastIndexOf('/') + 1);
        return "https://aps-workspaces." + region + ".amazonaws.com/workspaces/" + id;
    }

    List<String> actions() {
        return List.of("aps:RemoteWrite");
    }
}
