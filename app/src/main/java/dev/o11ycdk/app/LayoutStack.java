package dev.o11ycdk.app;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * One layout's stack: its availability zones come from the settings, so synth never looks them up
 * (the defaults synthesize offline, without an account).
 */
public abstract class LayoutStack extends Stack {
    private final List<String> availabilityZones;

    protected LayoutStack(Construct scope, String id, StackProps props, Settings s) {
        super(scope, id, props);
        this.availabilityZones = s.availabilityZones();
    }

    @Override
    public List<String> getAvailabilityZones() {
        return availabilityZones.isEmpty() ? super.getAvailabilityZones() : availabilityZones;
    }
}
