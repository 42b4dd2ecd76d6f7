package dev.tollgate.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Maven that runs this build, for the builds that tests and tools start of their own. */
public final class NestedMaven {

    private NestedMaven() {
    }

    /** {@code $maven.home/bin/mvn} (the build passes {@code maven.home} to its tests), else {@code mvn} on the path. */
    public static String executable() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
