package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * moto_server on loopback, standing in for AWS APIs, and the environment that points the aws CLI
 * at it (AWS_ENDPOINT_URL, fake credentials) and away from this machine's own AWS setup (no
 * profile, config, credentials file or instance metadata).
 */
public final class MotoServer implements AutoCloseable {
    private final LocalProcess process;
    private final Map<String, String> env;

    private MotoServer(LocalProcess process, Map<String, String> env) {
        this.process = process;
        this.env = env;
    }

    /** Starts one, its log and the aws CLI's missing files under {@code dir}. */
    public static MotoServer start(Path dir) throws Exception {
        String motoServer = Tools.require("moto_server", "pip install 'moto[server]'");
        Tools.require("aws", "pip install awscli");
        int port = LocalProcess.freePort();
        LocalProcess moto = LocalProcess.start("moto", List.of(motoServer, "-H", "127.0.0.1", "-p", String.valueOf(port)), dir, Map.of());
        assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/") != null))
                .as("moto_server ready\n" + moto.log()).isTrue();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        for (String k : List.of("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION")) {
            env.put(k, ""); // Tools.run removes a variable given as ""
        }
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("NO_PROXY", "127.0.0.1");
        return new MotoServer(moto, Collections.unmodifiableMap(env));
    }

    /** The environment for the aws CLI (and scripts that call it), for {@link Tools#run(List, Path, Map, long)}. */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
