package org.nestwalk.util;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What build of nestwalk is running, for reports that must say which version produced them. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /**
     * The version from the jar's manifest with the git commit it was built from ("0.1.0 (9f25406-dirty)": "-dirty"
     * when the working tree had uncommitted changes), or "(development build)" when run from classes.
     */
    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        if (v == null) {
            return "(development build)";
        }
        // Built outside a git checkout, the commit placeholder stays unexpanded.
        return v.replace(" (${git.commit.id.describe})", "");
    }

    /**
     * What identifies the code that computes results: a hash of every class the running nestwalk is made of ("classes
     * 3f9a0c21d4e7"). Two builds from the same sources have the same; any change to the model, a dirty working tree
     * included (which {@link #version} cannot tell apart), gives another, and a commit that changes only
     * documentation does not. Stored rows of another build are not silently reused.
     */
    public static String build() {
        return Fingerprint.VALUE;
    }

    /** Computed once: the code does not change while it runs. */
    private static final class Fingerprint {
        static final String VALUE = compute();

        private static String compute() {
            Path code;
            try {
                code = Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException | RuntimeException e) {
                return "unknown";
            }
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                if (Files.isRegularFile(code)) {
                    ofJar(code, d);
                } else {
                    ofClasses(code, d);
                }
                return "classes " + HexFormat.of().formatHex(d.digest(), 0, 6);
            } catch (IOException | NoSuchAlgorithmException e) {
                return "unknown";
            }
        }

        /** A jar (the shaded one, dependencies included): each class's name and CRC, from the central directory. */
        private static void ofJar(Path jar, MessageDigest d) throws IOException {
            TreeMap<String, Long> crcs = new TreeMap<>();
            try (ZipFile z = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (entry.getName().endsWith(".class")) {
                        crcs.put(entry.getName(), entry.getCrc());
                    }
                }
            }
            crcs.forEach((name, crc) -> d.update((name + "=" + crc + "\n").getBytes(StandardCharsets.UTF_8)));
        }

        /** A classes directory (tests, an IDE): the bytes of every class under it. */
        private static void ofClasses(Path dir, MessageDigest d) throws IOException {
            List<Path> classes = new ArrayList<>();
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".class")).sorted().forEach(classes::add);
            }
            for (Path c : classes) {
                d.update(dir.relativize(c).toString().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(c)) {
                    d.update(in.readAllBytes());
                }
            }
        }
    }
}
