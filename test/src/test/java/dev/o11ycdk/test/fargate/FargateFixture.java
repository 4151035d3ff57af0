package dev.o11ycdk.test.fargate;

import dev.o11ycdk.fargate.EfsStorage;
import dev.o11ycdk.fargate.EfsStorageProps;
import dev.o11ycdk.test.support.FreshStack;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;

/** What every Fargate construct of the platform stands on: a cluster with a Cloud Map namespace, and the EFS storage. */
final class FargateFixture {
    final FreshStack f;
    final Cluster cluster;
    final EfsStorage storage;

    FargateFixture(String stackId) {
        this.f = FreshStack.of(stackId);
        this.cluster = Cluster.Builder.create(f.stack(), "Cluster").vpc(f.vpc())
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name("o11y.local").vpc(f.vpc()).build()).build();
        this.storage = new EfsStorage(f.stack(), "Storage", EfsStorageProps.builder().vpc(f.vpc()).build());
    }
}
