package dev.tollgate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The base image of Tollgate's container image when no registry with a JRE image can be reached (these machines
 * reach Maven Central and Debian only): a Java 17 runtime cut with jlink from the JDK that runs this build, the
 * shared libraries it links against (found with ldd, copied from this machine with their loader), a non-root user
 * (uid 185) and nothing else; written as a `docker save` archive that the Quarkus Jib extension takes as
 * {@code quarkus.jib.base-jvm-image=tar://...}. Teams with a registry use a maintained JRE image instead
 * (docs/operations.md, "Container image").
 */
public final class ImageBase {

    /** The user the image runs as, as the Quarkus images do: not root, and in group 0 for OpenShift. */
    static final int USER = 185;
    private static final String JAVA = "/opt/java";
    private static final Pattern LDD = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageBase() {
    }

    /** The base image archive for this JDK, composed once and kept under {@code cache}. */
    public static Path compose(Path cache) throws IOException, InterruptedException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        String version = System.getProperty("java.runtime.version").replaceAll("[^A-Za-z0-9._-]", "_");
        Path archive = cache.resolve("tollgate-base-jre-" + version + ".tar");
        if (Files.exists(archive)) {
            return archive;
        }
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, "base-");
        try {
            Path runtime = work.resolve("jre");
            run(List.of(javaHome.resolve("bin/jlink").toString(), "--module-path", javaHome.resolve("jmods").toString(),
                    "--add-modules", "ALL-MODULE-PATH", "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--compress=2", "--output", runtime.toString()));
            Path layer = work.resolve("layer.tar");
            String diffId = writeLayer(layer, runtime, libraries(runtime));
            writeArchive(archive, layer, diffId);
            return archive;
        } finally {
            LocalFiles.deleteRecursively(work);
        }
    }

    /** Every shared library the runtime's executables and libraries need, as ldd resolves them here. */
    private static TreeSet<Path> libraries(Path runtime) throws IOException, InterruptedException {
        TreeSet<Path> libraries = new TreeSet<>();
        List<Path> elves;
        try (Stream<Path> files = Files.walk(runtime)) {
            elves = files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".so") || f.getParent().getFileName().toString().equals("bin"))
                    .toList();
        }
        for (Path elf : elves) {
            // ldd fails on a file that links nothing (a script, a static binary): nothing to add for it.
            Process ldd = new ProcessBuilder("ldd", elf.toString()).redirectErrorStream(true).start();
            String linked = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ldd.waitFor(1, TimeUnit.MINUTES);
            Matcher m = LDD.matcher(linked);
            while (m.find()) {
                Path library = Path.of(m.group(1));
                if (!library.startsWith(runtime)) {
                    libraries.add(library);
                }
            }
        }
        return libraries;
    }

    /** The layer: the runtime under /opt/java, the libraries at their paths, /etc, /tmp and the user's home. */
    private static String writeLayer(Path layer, Path runtime, TreeSet<Path> libraries) throws IOException {
        MessageDigest sha256 = sha256();
        try (OutputStream file = Files.newOutputStream(layer);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(file, sha256))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : List.of("etc", "opt", "tmp", "lib", "lib64", "usr", "usr/lib")) {
                directory(tar, dir, dir.equals("tmp") ? 01777 : 0755, 0);
            }
            directory(tar, "deployments", 0775, USER);
            text(tar, "etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\n"
                    + "tollgate:x:" + USER + ":0:Tollgate:/deployments:/sbin/nologin\n");
            text(tar, "etc/group", "root:x:0:\n");
            text(tar, "etc/nsswitch.conf", "hosts: files dns\n");
            try (Stream<Path> files = Files.walk(runtime)) {
                for (Path path : files.sorted().toList()) {
                    String name = JAVA.substring(1) + (path.equals(runtime) ? "" : "/" + runtime.relativize(path));
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        directory(tar, name, 0755, 0);
                    } else {
                        file(tar, name, path, Files.isExecutable(path) ? 0755 : 0644);
                    }
                }
            }
            TreeSet<String> written = new TreeSet<>();
            for (Path library : libraries) {
                // Both the name the loader asks for (often a link) and the file it points to.
                Path real = library.toRealPath();
                parents(tar, real, written);
                if (written.add(real.toString())) {
                    file(tar, real.toString().substring(1), real, 0755);
                }
                if (!real.equals(library) && written.add(library.toString())) {
                    parents(tar, library, written);
                    TarArchiveEntry link = new TarArchiveEntry(library.toString().substring(1), TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(real.toString());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                }
            }
            tar.finish();
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    private static void parents(TarArchiveOutputStream tar, Path path, TreeSet<String> written) throws IOException {
        List<Path> parents = new ArrayList<>();
        for (Path p = path.getParent(); p != null && p.getNameCount() > 0; p = p.getParent()) {
            parents.add(0, p);
        }
        for (Path parent : parents) {
            if (written.add(parent.toString() + "/")) {
                directory(tar, parent.toString().substring(1), 0755, 0);
            }
        }
    }

    /** A `docker save` archive: the layer, the image configuration and the manifest that names them. */
    private static void writeArchive(Path archive, Path layer, String diffId) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("config", Map.of(
                "Env", List.of("PATH=" + JAVA + "/bin:/usr/bin:/bin", "JAVA_HOME=" + JAVA, "LANG=C.UTF-8"),
                "User", String.valueOf(USER), "WorkingDir", "/deployments"));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
        config.put("history", List.of(Map.of("created_by", "Tollgate's ImageBase: jlink of "
                + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " and the libraries it links against")));
        byte[] configJson = JSON.writeValueAsBytes(config);
        String configName = HexFormat.of().formatHex(sha256().digest(configJson)) + ".json";
        byte[] manifest = JSON.writeValueAsBytes(List.of(Map.of("Config", configName,
                "RepoTags", List.of("tollgate-base-jre:17"), "Layers", List.of("layer.tar"))));
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(partial))) {
            bytes(tar, configName, configJson);
            file(tar, "layer.tar", layer, 0644);
            bytes(tar, "manifest.json", manifest);
            tar.finish();
        }
        Files.move(partial, archive);
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode, int uid) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        entry.setMode(040000 | mode);
        entry.setUserId(uid);
        entry.setGroupId(0);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, Path source, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(source));
        entry.setMode(0100000 | mode);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static void text(TarArchiveOutputStream tar, String name, String content) throws IOException {
        bytes(tar, name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        String out = output(command);
        if (!out.isEmpty()) {
            System.out.print(out);
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
