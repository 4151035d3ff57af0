package dev.o11ycdk.eks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.HelmTpl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loki's and Alloy's values as a pure function of their inputs, without a Stack. */
class LokiAndAlloyTest {
    private final LokiAndAlloy logs = new LokiAndAlloy("observability", "stag\"ing", "o11y-gp3", 24, 14);

    @Test
    void lokiKeepsTheRetentionOnOneVolumeOfTheGivenClass() {
        Map<String, Object> loki = logs.lokiValues();
        assertThat(loki.get("loki")).asString().contains("retention_period=336h");
        assertThat(loki.get("singleBinary")).isEqualTo(Map.of("replicas", 1,
                "persistence", Map.of("enabled", true, "storageClass", "o11y-gp3", "size", "24Gi"),
                "resources", Map.of("requests", Map.of("cpu", "100m", "memory", "512Mi"), "limits", Map.of("memory", "1024Mi"))));
    }

    @Test
    void alloyPushesToTheGatewayOfTheNamespaceWithTheEnvLabelQuotedForAlloy() {
        assertThat(logs.lokiUrl()).isEqualTo("http://loki-gateway.observability.svc.cluster.local");
        assertThat(logs.alloyConfig()).contains("values = { env = \"stag\\\"ing\" }",
                "url = \"http://loki-gateway.observability.svc.cluster.local/loki/api/v1/push\"");
        assertThat(logs.alloyValues().get("alloy")).asString().contains("content=" + logs.alloyConfig().substring(0, 20));
        // Alloy's chart runs configMap.content through Helm's tpl.
        assertThat(HelmTpl.templateCode(logs.alloyValues(), List.of())).isEmpty();
        assertThat(HelmTpl.templateCode(logs.lokiValues(), List.of())).isEmpty();
    }
}
