package dev.o11ycdk.config;

/** Words of the shell scripts the library renders (the host's bootstrap, the containers' entrypoints). */
public final class Shell {
    private Shell() {
    }

    /** Single-quotes a value for sh and bash: nothing inside is expanded. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
