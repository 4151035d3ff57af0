package dev.o11ycdk.app;

import java.util.List;
import java.util.stream.IntStream;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.constructs.Construct;

/**
 * The kubectl/helm Lambda layers on the app's classpath. Each is its own Maven artifact
 * ({@code software.amazon.awscdk:cdk-lambda-layer-kubectl-vNN}); the setting picks one by version, so
 * moving to a newer layer is a dependency and a setting, not a code change.
 */
final class KubectlLayers {
    private KubectlLayers() {
    }

    /** The layer class for kubectl 1.{@code minor}, or null when that artifact is not on the classpath. */
    static String className(String version) {
        String v = version.substring(version.indexOf('.') + 1);
        String name = "software.amazon.awscdk.cdk.lambdalayer.kubectl.v" + v + ".KubectlV" + v + "Layer";
        try {
            Class.forName(name, false, KubectlLayers.class.getClassLoader());
            return name;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static String available() {
        List<String> found = IntStream.rangeClosed(20, 40).mapToObj(i -> "1." + i).filter(v -> className(v) != null).toList();
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    static ILayerVersion create(Construct scope, String id, String version) {
        try {
            return (ILayerVersion) Class.forName(className(version))
                    .getConstructor(Construct.class, String.class).newInstance(scope, id);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kubectl layer " + version + ": " + e, e);
        }
    }
}
