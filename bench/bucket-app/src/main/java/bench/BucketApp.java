package bench;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.Bucket;

/** One stack, one bucket: what any Java CDK app pays for the JVM, jsii and the CLI. */
public final class BucketApp {
    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "Bucket", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        Bucket.Builder.create(stack, "Bucket").build();
        app.synth();
    }
}
