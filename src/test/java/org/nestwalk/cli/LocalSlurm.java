package org.nestwalk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A one-node Slurm cluster on localhost for tests: munged, slurmctld and slurmd from Debian's packages
 * ({@code apt-get install --no-install-recommends slurm-wlm slurmctld slurmd slurm-client munge}), with a generated
 * minimal configuration, a munge key of its own, ports nobody else uses and every file in a directory of its own
 * (settings from {@code reference/slurm.md}). Every wait is bounded.
 *
 * <p>The daemons are stopped by {@link #close}; and because each runs under a small shell that stops it when its
 * standard input closes, they stop too if the JVM that started them dies without closing them (killed, or ended by
 * a timeout), since its end closes their input.
 */
final class LocalSlurm implements AutoCloseable {
    private static final List<String> PROGRAMS = List.of("/usr/sbin/munged", "/usr/sbin/slurmctld",
            "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/scontrol", "/usr/bin/scancel",
            "/usr/bin/sinfo", "/usr/bin/setpriv");
    /**
     * Runs the daemon given as its arguments, and stops it (SIGTERM) when standard input ends or on a signal; then
     * kills the job steps of this cluster that outlived it (slurmstepd blocks SIGTERM, and without slurmd
     * it lingers), found by the {@code SLURM_CONF} in their environment.
     */
    private static final String WATCHDOG = """
            "$@" < /dev/null &
            d=$!
            stop() {
                kill -TERM $d 2> /dev/null
                wait $d
                for p in /proc/[0-9]*; do
                    if [ "$(cat $p/comm 2> /dev/null)" = slurmstepd ] \
                            && tr '\\0' '\\n' < $p/environ 2> /dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF"; then
                        kill -KILL "${p#/proc/}" 2> /dev/null
                    fi
                done
                exit 0
            }
            trap stop TERM INT HUP
            while read -r _; do :; done
            stop
            """;

    private final Path dir;
    private final Map<String, Process> daemons = new LinkedHashMap<>();
    private final List<String> jobs = new ArrayList<>();

    private LocalSlurm(Path dir) {
        this.dir = dir;
    }

    /** Why a local cluster cannot be started here, or null if it can. */
    static String unavailable() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "needs Linux";
        }
        for (String p : PROGRAMS) {
            if (!Files.isExecutable(Path.of(p))) {
                return p + " is missing (apt-get install --no-install-recommends slurm-wlm slurmctld slurmd "
                        + "slurm-client munge; .ci/run does)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "starting slurmd and munged needs root";
        }
        try {
            UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            users.lookupPrincipalByName("munge");
        } catch (IOException x) {
            return "no user 'munge' (the munge package makes it)";
        }
        return null;
    }

    /** Starts the cluster and waits until its node is idle. */
    static LocalSlurm start(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path dir = Files.createTempDirectory("nestwalk-slurm-");
        // munged (running as munge) must reach its socket through this directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalSlurm s = new LocalSlurm(dir);
        try {
            s.startDaemons(deadline);
            return s;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError x) {
            String diagnostics = s.diagnostics();
            s.close();
            throw new AssertionError("the local Slurm cluster did not start: " + x.getMessage() + "\n"
                    + diagnostics, x);
        }
    }

    private void startDaemons(long deadline) throws IOException, InterruptedException {
        Path munge = Files.createDirectories(dir.resolve("munge"));
        for (String d : new String[] {"state", "spool", "log"}) {
            Files.createDirectories(dir.resolve(d));
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal mungeUser = users.lookupPrincipalByName("munge");
        GroupPrincipal mungeGroup = users.lookupPrincipalByGroupName("munge");
        Path key = munge.resolve("munge.key");
        byte[] k = new byte[128];
        new SecureRandom().nextBytes(k);
        Files.write(key, k);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        for (Path p : new Path[] {munge, key}) {
            PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            v.setOwner(mungeUser);
            v.setGroup(mungeGroup);
        }
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = munge.resolve("munge.socket");
        daemon("munged", "/usr/bin/setpriv", "--reuid=munge", "--regid=munge", "--init-groups", "/usr/sbin/munged",
                "--foreground", "--socket=" + socket, "--key-file=" + key, "--pid-file=" + munge.resolve("munged.pid"),
                "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed"));
        while (!Files.exists(socket)) {
            check(deadline, "munged never made its socket");
            Thread.sleep(50);
        }

        String node = run(Duration.ofSeconds(20), "/usr/sbin/slurmd", "-C").lines().findFirst().orElse("");
        Matcher name = Pattern.compile("NodeName=(\\S+)").matcher(node);
        if (!name.find()) {
            throw new IOException("slurmd -C said: " + node);
        }
        String host = name.group(1);
        int[] ports = freePorts(2);
        Files.writeString(conf(), String.join("\n",
                "ClusterName=nestwalk-test",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + ports[0],
                "SlurmdPort=" + ports[1],
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny",
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "MpiDefault=none",
                "MailProg=/bin/true",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
                "ReturnToService=2",
                node.replaceAll("\\s*UpTime=\\S*", "") + " NodeAddr=127.0.0.1 State=UNKNOWN",
                "PartitionName=test Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                ""));
        daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", conf().toString());
        daemon("slurmd", "/usr/sbin/slurmd", "-D", "-f", conf().toString());
        while (true) {
            check(deadline, "the node never became idle");
            String state;
            try {
                state = run(Duration.ofSeconds(10), "/usr/bin/sinfo", "-h", "-o", "%T").strip();
            } catch (IOException x) {
                state = "";
            }
            if (state.equals("idle")) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private Path conf() {
        return dir.resolve("slurm.conf");
    }

    /** Submits a batch script; returns its job id. */
    String submit(Path script) throws IOException, InterruptedException {
        String id = run(Duration.ofSeconds(30), "/usr/bin/sbatch", "--parsable", script.toString()).strip();
        id = id.contains(";") ? id.substring(0, id.indexOf(';')) : id;
        jobs.add(id);
        return id;
    }

    /**
     * How an array task ended.
     *
     * @param state    e.g. COMPLETED, FAILED
     * @param exitCode exit code and signal, e.g. 0:0
     * @param start    when it started (to the second)
     * @param end      when it ended
     */
    record Task(String state, String exitCode, LocalDateTime start, LocalDateTime end) {
        /** "COMPLETED 0:0". */
        String outcome() {
            return state + " " + exitCode;
        }
    }

    /** Waits until job {@code id} (an array) has left the queue; returns how each of its tasks ended, by index. */
    Map<Integer, Task> await(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!run(Duration.ofSeconds(10), "/usr/bin/squeue", "-h", "-r", "-j", id, "-o", "%i").isBlank()) {
            check(deadline, "job " + id + " did not finish in " + timeout.toSeconds() + " s");
            Thread.sleep(250);
        }
        Map<Integer, Task> tasks = new TreeMap<>();
        for (String line : run(Duration.ofSeconds(10), "/usr/bin/scontrol", "-o", "show", "job", id).split("\n")) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String word : line.split(" ")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    f.putIfAbsent(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            if (f.containsKey("ArrayTaskId")) {
                tasks.put(Integer.parseInt(f.get("ArrayTaskId")), new Task(f.get("JobState"), f.get("ExitCode"),
                        time(f.get("StartTime")), time(f.get("EndTime"))));
            }
        }
        return tasks;
    }

    private static LocalDateTime time(String t) {
        try {
            return t == null ? null : LocalDateTime.parse(t);
        } catch (DateTimeParseException x) {
            return null;
        }
    }

    /** The last lines of every daemon's log, for a failure's message. */
    String diagnostics() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> logs = Files.walk(dir)) {
            for (Path f : logs.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out"))
                    .sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                b.append("--- ").append(f).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException x) {
            b.append("(logs unreadable: ").append(x.getMessage()).append(")\n");
        }
        return b.toString();
    }

    /** Cancels what was submitted, stops the daemons (newest first) and deletes the cluster's directory. */
    @Override
    public void close() {
        for (String id : jobs) {
            try {
                run(Duration.ofSeconds(10), "/usr/bin/scancel", id);
            } catch (IOException | InterruptedException | RuntimeException x) {
                // The daemons are stopped below all the same.
            }
        }
        List<String> names = new ArrayList<>(daemons.keySet());
        java.util.Collections.reverse(names);
        for (String n : names) {
            stop(daemons.get(n));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException x) {
            // A temporary directory left behind is harmless.
        }
    }

    private static void stop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException x) {
            // Then the signal below.
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException x) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void daemon(String name, String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("/bin/bash", "-c", WATCHDOG, name));
        c.addAll(List.of(command));
        ProcessBuilder b = new ProcessBuilder(c).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile());
        b.environment().put("SLURM_CONF", conf().toString());
        daemons.put(name, b.start());
    }

    /** Runs a Slurm client command against this cluster; returns its output, or throws if it fails. */
    String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            b.environment().put("SLURM_CONF", conf().toString());
            Process p = b.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", command) + ": no answer in " + timeout.toSeconds() + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void check(long deadline, String what) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException(what);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}
