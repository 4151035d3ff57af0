package dev.o11ycdk.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import software.amazon.awscdk.services.eks_v2.AlbControllerVersion;

/**
 * The AWS Load Balancer Controller's IAM policy as aws-cdk-lib ships it for its newest named
 * version, read from aws-cdk-lib's own package at synth (nothing copied into this project). The
 * controller supports only its latest minor; aws-cdk-lib 2.263 names versions up to v3.2.2, and
 * upstream's policy is the same from v3.2.2 to v3.5.0 (the action sets compared), so a newer
 * controller runs with this policy through {@code AlbControllerVersion.of(version, chart)}.
 */
final class AlbControllerPolicy {
    /** The version whose policy aws-cdk-lib ships. */
    static final AlbControllerVersion SHIPPED = AlbControllerVersion.V3_2_2;
    private static final String PACKAGE = "software/amazon/awscdk/aws-cdk-lib@2.263.0.jsii.tgz";
    private static Map<String, Object> policy;

    private AlbControllerPolicy() {
    }

    /** The policy document of {@link #SHIPPED}, as aws-cdk-lib attaches it to the controller's role. */
    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> shipped() {
        if (policy != null) {
            return policy;
        }
        String entry = "package/aws-eks-v2/lib/addons/alb-iam_policy-" + SHIPPED.getVersion() + ".json";
        try (InputStream jar = AlbControllerVersion.class.getClassLoader().getResourceAsStream(PACKAGE)) {
            if (jar == null) {
                throw new IllegalStateException(PACKAGE + " is not on the classpath: aws-cdk-lib changed version; "
                        + "update AlbControllerPolicy");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(jar, 1 << 16))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    if (e.getName().equals(entry)) {
                        policy = new ObjectMapper().readValue(tar, Map.class);
                        return policy;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry + " from aws-cdk-lib", e);
        }
        throw new IllegalStateException(entry + " is not in aws-cdk-lib's package: update AlbControllerPolicy");
    }
}
