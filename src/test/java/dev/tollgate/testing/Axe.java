package dev.tollgate.testing;

import dev.tollgate.local.LocalFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * axe-core, the accessibility rules engine, for the browser tests. Its npm tarball is downloaded
 * once from the npm registry into ~/.cache/tollgate/, checked against the registry's published
 * SHA-512, and its {@code axe.min.js} injected into pages by the WebDriver (not by the page, so the
 * UI's script-free Content-Security-Policy stays as it is).
 */
public final class Axe {

    static final String VERSION = "4.10.2";
    private static final String TARBALL = "https://registry.npmjs.org/axe-core/-/axe-core-" + VERSION + ".tgz";
    private static final String INTEGRITY =
            "RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4tEI0w==";

    private Axe() {
    }

    /** The source of axe.min.js. */
    public static String script() throws Exception {
        Path tarball = LocalFiles.cacheDirectory().resolve("axe-core-" + VERSION + ".tgz");
        if (!Files.exists(tarball) || !verified(Files.readAllBytes(tarball))) {
            byte[] downloaded = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(URI.create(TARBALL)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .body();
            if (!verified(downloaded)) {
                throw new IllegalStateException(TARBALL + " does not match its published SHA-512");
            }
            Files.createDirectories(tarball.getParent());
            Path partial = Files.createTempFile(tarball.getParent(), "axe-core", ".part");
            Files.write(partial, downloaded);
            Files.move(partial, tarball, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball))) {
            return new String(entry(in, "package/axe.min.js"), StandardCharsets.UTF_8);
        }
    }

    private static boolean verified(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes)).equals(INTEGRITY);
    }

    /** One file of a tar stream (512-byte headers, name in bytes 0-99, octal size in 124-135). */
    private static byte[] entry(InputStream tar, String name) throws IOException {
        byte[] header = new byte[512];
        while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String entryName = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
            long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            long padded = (size + 511) / 512 * 512;
            if (entryName.equals(name)) {
                byte[] content = tar.readNBytes((int) size);
                tar.skipNBytes(padded - size);
                return content;
            }
            tar.skipNBytes(padded);
        }
        throw new IOException(name + " is not in the axe-core tarball");
    }
}
