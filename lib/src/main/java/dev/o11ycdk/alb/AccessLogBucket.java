package dev.o11ycdk.alb;

import dev.o11ycdk.core.Suppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The bucket a new ALB logs to when the user gives none: SSE-S3, versioned, kept on stack
 * deletion, logs expire after a year, each delivery an EventBridge event.
 */
final class AccessLogBucket {
    /** Its construct id in the MonitoringAlb: part of the public contract, renaming it replaces the bucket. */
    static final String ID = "AccessLogs";

    private AccessLogBucket() {
    }

    static IBucket create(Construct scope) {
        Bucket bucket = Bucket.Builder.create(scope, ID)
                .encryption(BucketEncryption.S3_MANAGED) // ALB log delivery supports SSE-S3 only
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365))
                        .noncurrentVersionExpiration(Duration.days(30)).build()))
                .build();
        // S3 events to EventBridge (free for AWS service events): a SIEM or alarm can react to each log delivery.
        // Set on the L1: the L2's eventBridgeEnabled adds a Lambda-backed custom resource for it.
        ((CfnBucket) bucket.getNode().getDefaultChild()).setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder().eventBridgeEnabled(true).build())
                .build());
        Suppressions.suppress(bucket, false,
                Suppressions.CdkNag.of("AwsSolutions-S1", "This bucket is itself the ALB access-log sink; logging it to another bucket would recurse."),
                Suppressions.CfnGuard.of("s3_bucket_logging_enabled_check", "This bucket is itself the ALB access-log sink: server access logs "
                        + "into it would log their own delivery without end, and into another bucket would need that bucket's logs too."),
                Suppressions.CfnGuard.of("s3_bucket_default_encryption_kms_check", "ALB access-log delivery supports SSE-S3 only (Elastic Load "
                        + "Balancing, 'Enable access logs': the only server-side encryption supported is S3-managed keys)."),
                Suppressions.CfnGuard.of("s3_bucket_object_lock_enabled_check", "Object Lock locks nothing without a default retention, and with "
                        + "one S3 requires a Content-MD5 or checksum header on every upload, which ELB log delivery is not documented "
                        + "to send; a rejected delivery fails silently. Versioning keeps overwritten or deleted logs for 30 days; "
                        + "give accessLogBucket for a WORM bucket of your own."));
        return bucket;
    }
}
