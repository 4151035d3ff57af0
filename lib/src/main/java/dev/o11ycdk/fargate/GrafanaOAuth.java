package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Grafana generic OAuth (e.g. a Cognito user pool). Roles come from the token through
 * {@code roleAttributePath}, a JMESPath such as
 * {@code contains("cognito:groups"[*], 'admin') && 'Admin' || contains("cognito:groups"[*], 'editor') && 'Editor' || 'Viewer'}.
 */
public record GrafanaOAuth(String name, String clientId, ISecret clientSecret, String authUrl, String tokenUrl,
                           String apiUrl, String scopes, String roleAttributePath) {
    public GrafanaOAuth {
        Check.notBlank("grafanaOAuth name", name);
        Check.notBlank("grafanaOAuth clientId", clientId);
        if (clientSecret == null) {
            throw Check.bad("grafanaOAuth clientSecretName", null, "the OAuth client secret must come from Secrets Manager");
        }
        for (String[] u : new String[][] {{"authUrl", authUrl}, {"tokenUrl", tokenUrl}, {"apiUrl", apiUrl}}) {
            if (u[1] == null || !u[1].startsWith("https://")) {
                throw Check.bad("grafanaOAuth " + u[0], u[1], "must be an https:// URL");
            }
        }
        scopes = scopes == null ? "openid email profile" : scopes;
        roleAttributePath = roleAttributePath == null ? "'Viewer'" : roleAttributePath;
    }
}
