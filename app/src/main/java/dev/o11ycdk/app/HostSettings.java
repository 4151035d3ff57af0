package dev.o11ycdk.app;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Settings of the EC2 host layout's day 2, read with the others by {@link Settings#from}.
 *
 * @param amiId                 the pinned AMI; null: the template asks for it as a parameter
 * @param amiReleased           the day that AMI came out, for the age warning; null: its age is not checked
 * @param amiMaxAgeDays         an AMI older than this on {@code @o11y-cdk/today} warns
 * @param terminationProtection refuse API termination of the instance
 * @param ssmParameterPrefix    where the host publishes what teams' apps import ({@code ObservabilityInstance.fromSsm})
 */
public record HostSettings(String amiId, LocalDate amiReleased, int amiMaxAgeDays, boolean terminationProtection,
                           String ssmParameterPrefix) {

    static HostSettings from(Context c) {
        String ami = c.optional("hostAmiId");
        if (ami != null && !ami.matches("ami-[0-9a-f]{8}([0-9a-f]{9})?")) {
            throw c.bad("hostAmiId", "not an AMI id such as ami-0123456789abcdef0");
        }
        String released = c.optional("hostAmiReleased");
        LocalDate day = null;
        if (released != null) {
            try {
                day = LocalDate.parse(released);
            } catch (DateTimeParseException e) {
                throw c.bad("hostAmiReleased", "must be a date such as 2026-11-20 (the AMI's CreationDate)");
            }
            if (ami == null) {
                throw c.bad("hostAmiReleased", "dates the AMI of hostAmiId, which is not set");
            }
        }
        return new HostSettings(ami, day, c.integer("hostAmiMaxAgeDays", 1, 3650), c.bool("hostTerminationProtection"),
                FargateSettings.ssmParameterPrefix(c, "hostSsmParameterPrefix", dev.o11ycdk.host.ObservabilityInstance.DEFAULT_SSM_PREFIX));
    }
}
