package dev.o11ycdk.core;

/**
 * A props object that cannot be built: a required prop is not set ("Cannot build
 * MonitoringAlbProps, some of required attributes are not set [vpc, domainName]"), or a prop that
 * has no null was given one. One line, naming the props class and the prop.
 */
public class PropsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PropsException(String message) {
        super(message);
    }

    /** A null given to a prop that takes none: leave it unset for its default instead. */
    public static class NullProp extends PropsException {
        private static final long serialVersionUID = 1L;

        public NullProp(String prop) {
            super(prop + " = null: leave it unset for its default, or give a value");
        }
    }
}
