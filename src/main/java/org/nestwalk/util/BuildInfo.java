package org.nestwalk.util;

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
}
