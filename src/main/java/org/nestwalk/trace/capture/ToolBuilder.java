package org.nestwalk.trace.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nestwalk.config.ConfigException;

/**
 * Builds the Valgrind tool {@code nwtrace} on demand: compiles the C source shipped in the jar (resource
 * {@value #SOURCE}) against the installed Valgrind's tool headers and static libraries into a cache directory named
 * after a hash of the source and of the Valgrind version, next to symbolic links to every file of the stock Valgrind
 * library directory, so that {@code VALGRIND_LIB=<that directory> valgrind --tool=nwtrace} finds the tool and the
 * stock preload libraries and suppressions. Where things are looked up is injectable, for tests; anything missing is
 * one line naming it and the Debian packages to install.
 */
public final class ToolBuilder {
    /** The tool's C source, as a class-path resource. */
    public static final String SOURCE = "/nwtrace/nw_main.c";
    /** The tool's executable, as Valgrind's launcher looks for it. */
    public static final String EXECUTABLE = "nwtrace-amd64-linux";
    private static final String INSTALL = "(install them with: apt-get install gcc valgrind)";

    private final List<Path> searchPath;
    private final Path includeDir;
    private final Path staticLibDir;
    private final List<Path> stockLibDirs;
    private final Path cacheRoot;

    /** What a capture needs: the Valgrind launcher, the directory for VALGRIND_LIB, and Valgrind's version. */
    public record Tool(Path valgrind, Path libDir, String valgrindVersion) {
    }

    /**
     * @param searchPath   directories searched for {@code gcc} and {@code valgrind} (like PATH)
     * @param includeDir   Valgrind's tool headers ({@code pub_tool_basics.h}, ...)
     * @param staticLibDir Valgrind's static libraries ({@code libcoregrind-amd64-linux.a}, ...)
     * @param stockLibDirs candidates for the stock tool directory (the first holding {@code vgpreload_core} wins)
     * @param cacheRoot    where built tools are kept
     */
    public ToolBuilder(List<Path> searchPath, Path includeDir, Path staticLibDir, List<Path> stockLibDirs,
            Path cacheRoot) {
        this.searchPath = List.copyOf(searchPath);
        this.includeDir = includeDir;
        this.staticLibDir = staticLibDir;
        this.stockLibDirs = List.copyOf(stockLibDirs);
        this.cacheRoot = cacheRoot;
    }

    /** The Debian layout, PATH from the environment, and {@code ~/.cache/nestwalk/nwtrace}. */
    public static ToolBuilder standard() {
        return withSearchPath(pathDirectories());
    }

    /** The Debian layout with another search path for the programs (tests use it to hide them). */
    public static ToolBuilder withSearchPath(List<Path> searchPath) {
        return new ToolBuilder(searchPath, Path.of("/usr/include/valgrind"),
                Path.of("/usr/lib/x86_64-linux-gnu/valgrind"),
                List.of(Path.of("/usr/libexec/valgrind"), Path.of("/usr/lib/x86_64-linux-gnu/valgrind"),
                        Path.of("/usr/lib/valgrind")),
                Path.of(System.getProperty("user.home"), ".cache", "nestwalk", "nwtrace"));
    }

    /** The directories of the PATH environment variable. */
    public static List<Path> pathDirectories() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        return dirs;
    }

    /** {@code name} in the search path, or null. */
    public Path find(String name) {
        for (Path dir : searchPath) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The search path, for running the programs the capture needs. */
    public List<Path> searchPath() {
        return searchPath;
    }

    /** Checks that everything is there, builds the tool unless a build of the same source is cached. */
    public Tool build() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new ConfigException("trace capture needs Linux on x86-64 (amd64); this is " + os + " on " + arch);
        }
        Path gcc = find("gcc");
        Path valgrind = find("valgrind");
        List<String> missing = new ArrayList<>();
        if (gcc == null) {
            missing.add("gcc");
        }
        if (valgrind == null) {
            missing.add("valgrind");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("cannot capture traces: " + String.join(" and ", missing) + " not found in "
                    + (searchPath.isEmpty() ? "an empty PATH" : "PATH") + " " + INSTALL);
        }
        Path header = includeDir.resolve("pub_tool_basics.h");
        if (!Files.isRegularFile(header)) {
            throw new ConfigException("cannot capture traces: valgrind's tool headers are missing (" + header + ") "
                    + INSTALL);
        }
        List<Path> libs = List.of(staticLibDir.resolve("libcoregrind-amd64-linux.a"),
                staticLibDir.resolve("libvex-amd64-linux.a"), staticLibDir.resolve("libgcc-sup-amd64-linux.a"));
        for (Path lib : libs) {
            if (!Files.isRegularFile(lib)) {
                throw new ConfigException("cannot capture traces: valgrind's static library " + lib + " is missing "
                        + INSTALL);
            }
        }
        Path stock = stockLibDirs.stream().filter(d -> Files.isRegularFile(d.resolve("vgpreload_core-amd64-linux.so")))
                .findFirst().orElseThrow(() -> new ConfigException("cannot capture traces: valgrind's library "
                        + "directory (with vgpreload_core-amd64-linux.so) is not in any of " + stockLibDirs + " "
                        + INSTALL));
        String version = valgrindVersion(valgrind);
        byte[] source = source();
        Path dir = cacheRoot.resolve(hash(source, version + "\0" + gcc + "\0" + stock));
        if (Files.isExecutable(dir.resolve(EXECUTABLE))) {
            return new Tool(valgrind, dir, version);
        }
        compile(gcc, source, libs, stock, dir);
        return new Tool(valgrind, dir, version);
    }

    private void compile(Path gcc, byte[] source, List<Path> libs, Path stock, Path dir) {
        Path tmp;
        try {
            Files.createDirectories(cacheRoot);
            tmp = Files.createTempDirectory(cacheRoot, ".build-");
        } catch (IOException e) {
            throw new ConfigException("cannot build the nwtrace tool in " + cacheRoot + ": " + e.getMessage());
        }
        try {
            Path c = tmp.resolve("nw_main.c");
            Files.write(c, source);
            List<String> cmd = new ArrayList<>(List.of(gcc.toString(), "-O2", "-g", "-fno-pie", "-fno-stack-protector",
                    "-fno-builtin", "-fno-strict-aliasing", "-fno-omit-frame-pointer", "-Wall",
                    "-Wno-unused-parameter", "-DVGA_amd64=1", "-DVGO_linux=1", "-DVGP_amd64_linux=1",
                    "-DVGPV_amd64_linux_vanilla=1", "-I" + includeDir, "-static", "-nodefaultlibs", "-nostartfiles",
                    "-u", "_start", "-Wl,--build-id=none", "-Wl,-Ttext-segment=0x58000000", "-o",
                    tmp.resolve(EXECUTABLE).toString(), c.toString(), libs.get(0).toString(),
                    libs.get(1).toString(), "-lgcc", libs.get(2).toString()));
            Path log = tmp.resolve("build.log");
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ConfigException("cannot build the nwtrace tool: gcc took more than 120 s");
            }
            if (p.exitValue() != 0) {
                Path kept = cacheRoot.resolve("failed-build.log");
                Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
                String first = Files.readAllLines(log).stream().filter(l -> l.contains("error"))
                        .findFirst().orElse("exit status " + p.exitValue());
                throw new ConfigException("cannot build the nwtrace tool: gcc failed: " + first.strip()
                        + " (whole output in " + kept + ")");
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(stock)) {
                for (Path f : files) {
                    Path link = tmp.resolve(f.getFileName().toString());
                    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, f);
                    }
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another capture built the same tool at the same time: its copy is as good.
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot build the nwtrace tool in " + cacheRoot + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while building the nwtrace tool");
        } finally {
            deleteTree(tmp);
        }
    }

    /** Valgrind's version, e.g. {@code 3.19.0}. */
    static String valgrindVersion(Path valgrind) {
        try {
            Process p = new ProcessBuilder(valgrind.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            if (p.exitValue() != 0 || !out.startsWith("valgrind-")) {
                throw new ConfigException("cannot capture traces: " + valgrind + " --version says \"" + out
                        + "\" " + INSTALL);
            }
            return out.substring("valgrind-".length());
        } catch (IOException e) {
            throw new ConfigException("cannot capture traces: cannot run " + valgrind + ": " + e.getMessage() + " "
                    + INSTALL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking valgrind its version");
        }
    }

    /** The tool's C source from the class path. */
    static byte[] source() {
        try (InputStream in = ToolBuilder.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + SOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource " + SOURCE, e);
        }
    }

    private static String hash(byte[] source, String more) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(source);
            d.update(more.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
