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

    /** A new workspace in {@code scope}. */
    public static RemoteWrite createWorkspace(Construct scope, String id, String alias) {
        CfnWorkspace ws = CfnWorkspace.Builder.create(scope, id).alias(alias).build();
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

    List<String> actions() {
        return List.of("aps:RemoteWrite");
    }
}
