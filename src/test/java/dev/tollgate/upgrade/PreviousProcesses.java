package dev.tollgate.upgrade;

import dev.tollgate.local.LocalFiles;
import dev.tollgate.local.NestedMaven;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This application built with the process definitions of an earlier release (src/test/upgrade/previous-processes/):
 * a copy of the project's build file and main sources under {@code target/upgrade/}, the earlier BPMN files in place
 * of today's, packaged by a nested Maven. KIE compiles processes into the application at build time, so an earlier
 * definition means another build.
 */
final class PreviousProcesses {

    static final Path DEFINITIONS = ReleasedDatabase.DIRECTORY.resolve("previous-processes");

    private PreviousProcesses() {
    }

    /** Builds the application with the earlier definitions and returns its {@code quarkus-run.jar}. */
    static Path build() throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("tollgate.project.dir", "."));
        Path copy = project.resolve("target/upgrade/previous-processes");
        LocalFiles.deleteRecursively(copy);
        Files.createDirectories(copy);
        Files.copy(project.resolve("pom.xml"), copy.resolve("pom.xml"));
        copyTree(project.resolve(".mvn"), copy.resolve(".mvn"));
        copyTree(project.resolve("src/main"), copy.resolve("src/main"));
        try (Stream<Path> definitions = Files.list(DEFINITIONS)) {
            for (Path definition : definitions.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                Files.copy(definition, copy.resolve("src/main/resources/processes").resolve(definition.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // Offline: the build that runs this test has already resolved every plugin and library this one needs.
        List<String> command = new ArrayList<>(List.of(NestedMaven.executable(), "-B", "-q", "-ntp", "-o",
                "-f", copy.resolve("pom.xml").toString(), "package", "-Dmaven.test.skip=true"));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        Path log = copy.resolve("build.log");
        System.out.println("[tollgate] Building the application with the previous process definitions: "
                + String.join(" ", command));
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!maven.waitFor(15, TimeUnit.MINUTES) || maven.exitValue() != 0) {
            maven.destroyForcibly();
            throw new IllegalStateException("Building the previous definitions failed; " + log + ":\n"
                    + Files.readString(log));
        }
        return copy.resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
