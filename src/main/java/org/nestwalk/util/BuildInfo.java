package org.nestwalk.util;

/** What build of nestwalk is running, for reports that must say which version produced them. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The version from the jar's manifest, or "(development build)" when run from classes. */
    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
