package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * moto_server standing in for the AWS APIs of one region, on a loopback address of its own at port 443
 * over TLS (a certificate made for the test), so that clients which cannot be pointed at another
 * endpoint reach it by the regional host names: the CloudWatch exporter 0.16.0's AWS SDK (2.27) reads
 * no AWS_ENDPOINT_URL, so its JVM gets a hosts file ({@code jdk.net.hosts.file}) that maps the host
 * names to this address and a trust store with the certificate. The aws CLI and boto3 take
 * {@link #env()} (AWS_ENDPOINT_URL, AWS_CA_BUNDLE). Port 443 needs root, as CI runs; elsewhere the test
 * is skipped, under CI=true it fails. Nothing leaves loopback.
 */
public final class AwsOnLoopback implements AutoCloseable {
    public static final String REGION = "ap-northeast-2";
    /** The services whose regional endpoints the hosts file maps here. */
    private static final List<String> HOSTS = List.of("monitoring", "tagging", "ecs", "elasticloadbalancing", "sts");
    private final String address;
    private final Path dir;
    private final LocalProcess moto;

    private AwsOnLoopback(String address, Path dir, LocalProcess moto) {
        this.address = address;
        this.dir = dir;
        this.moto = moto;
    }

    public static AwsOnLoopback start(Path dir) throws Exception {
        String motoServer = Tools.require("moto_server", "pip install 'moto[server]'");
        String openssl = Tools.require("openssl", "apt-get install openssl");
        String keytool = Tools.require("keytool", "a JDK");
        String address = freeAddress443();
        Files.createDirectories(dir);
        List<String> names = HOSTS.stream().map(h -> h + "." + REGION + ".amazonaws.com").toList();
        Tools.Result cert = Tools.run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "1", "-subj", "/CN=aws-on-loopback",
                "-addext", "subjectAltName=IP:" + address + "," + String.join(",", names.stream().map(n -> "DNS:" + n).toList())), dir, 60);
        assertThat(cert.exitCode()).as(cert.output()).isZero();
        Tools.Result trust = Tools.run(List.of(keytool, "-importcert", "-noprompt", "-alias", "moto", "-file", "cert.pem",
                "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit"), dir, 60);
        assertThat(trust.exitCode()).as(trust.output()).isZero();
        Files.writeString(dir.resolve("hosts"), address + " " + String.join(" ", names) + "\n");
        LocalProcess moto = LocalProcess.start("moto", List.of(motoServer, "-H", address, "-p", "443", "-c", "cert.pem", "-k", "key.pem"),
                dir, Map.of());
        AwsOnLoopback aws = new AwsOnLoopback(address, dir, moto);
        assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> aws.portOpen())).as("moto_server on " + address + ":443\n" + moto.log()).isTrue();
        return aws;
    }

    /** A 127.x.y.z whose port 443 is free (and may be bound: root). */
    private static String freeAddress443() throws IOException {
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String a = "127." + r.nextInt(100, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(a), 443));
                return a;
            } catch (IOException e) {
                last = e;
                if (e.getMessage() != null && e.getMessage().contains("Permission denied")) {
                    break;
                }
            }
        }
        String msg = "cannot listen on a loopback address at port 443 (" + last + "): moto_server must answer by the AWS host names there";
        if (Tools.onCi()) {
            org.junit.jupiter.api.Assertions.fail("CI=true and " + msg);
        }
        org.junit.jupiter.api.Assumptions.abort("skipped: " + msg + "; run as root");
        throw last;
    }

    private boolean portOpen() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(address, 443), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** For the aws CLI and boto3: this endpoint, its certificate, fake credentials, none of the machine's AWS setup. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", "https://" + address);
        env.put("AWS_CA_BUNDLE", dir.resolve("cert.pem").toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        for (String k : List.of("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")) {
            env.put(k, "");
        }
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("NO_PROXY", "*");
        return env;
    }

    /** Runs the aws CLI against it; fails the test on an error. Returns its output. */
    public String aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("aws", "pip install awscli"), "--output", "json"));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, dir, env(), 60);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        return r.output();
    }

    /**
     * The real CloudWatch exporter ({@code o11y.cloudwatchExporterJar}, Maven Central's jar that the test
     * module copies) with {@code config} on {@code port}, asking this moto by the regional host names.
     */
    public LocalProcess cloudWatchExporter(String config, int port, Path workDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("o11y.cloudwatchExporterJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no CloudWatch exporter jar at " + jar + " (the test module's maven-dependency-plugin copies it)");
        }
        Path file = workDir.resolve("cloudwatch-" + port + ".yml");
        Files.writeString(file, config);
        Map<String, String> env = new LinkedHashMap<>(env());
        env.remove("AWS_ENDPOINT_URL");
        env.entrySet().removeIf(e -> e.getValue().isEmpty());
        return LocalProcess.start("cloudwatch_exporter", List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Djdk.net.hosts.file=" + dir.resolve("hosts"),
                "-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12"), "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-jar", jar, String.valueOf(port), file.toString()), workDir, env);
    }

    public String address() {
        return address;
    }

    @Override
    public void close() throws InterruptedException {
        moto.stop();
    }

    /** Reads a whole file; for the tests' small outputs. */
    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
