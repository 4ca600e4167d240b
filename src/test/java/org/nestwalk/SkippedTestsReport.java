package org.nestwalk;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a test run which tests were skipped and why: {@code mvn -q verify} otherwise passes in silence
 * when the trace-capture tests found no valgrind or the job-array test no Slurm, and a green build would hide that
 * they never ran. Registered through {@code META-INF/services}; it only prints.
 */
public final class SkippedTestsReport implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        synchronized (skipped) {
            skipped.add(test.getDisplayName() + " (" + oneLine(reason) + ")");
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        // A failed assumption (Assumptions.assumeTrue) ends a test as aborted: it did not run.
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String why = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            synchronized (skipped) {
                skipped.add(name(test) + " (" + oneLine(why) + ")");
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        synchronized (skipped) {
            if (!skipped.isEmpty()) {
                System.err.println("nestwalk tests: " + skipped.size() + " skipped: " + String.join("; ", skipped));
                System.err.flush();
            }
        }
    }

    private static String name(TestIdentifier test) {
        String id = test.getUniqueId();
        int c = id.indexOf("[class:");
        String cls = c < 0 ? "" : id.substring(c + 7, id.indexOf(']', c));
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + test.getDisplayName();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replace('\n', ' ');
    }
}
