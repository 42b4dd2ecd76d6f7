package dev.tollgate.shared;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Which kind of run this is: production is the packaged application in any profile but local and test. */
public final class Profiles {

    private Profiles() {
    }

    public static boolean isProduction() {
        return LaunchMode.current() == LaunchMode.NORMAL
                && ConfigUtils.getProfiles().stream().noneMatch(p -> p.equals("local") || p.equals("test"));
    }
}
