/**
 * winipc: named pipes, shared memory and named synchronization between local processes, with a
 * Windows and a Linux backend behind one API.
 *
 * <p>Only the API packages are exported; the backends ({@code io.winipc.internal} and below) are
 * neither exported nor opened. JNA needs no access to them: the bindings are direct-mapped
 * ({@code Native.register} finds the native methods without an access check) or interface-mapped
 * (the JDK's proxy machinery grants its own module access to the interface), and no binding uses
 * a {@code Structure}, whose fields JNA would read by reflection. A binding that adds one must
 * open its package to {@code com.sun.jna}. {@code ModulePathTest} runs the API as this module on
 * both backends.
 */
module io.winipc {
    requires com.sun.jna;
    // Annotations only: needed to compile against winipc, not to run it.
    requires static transitive org.jspecify;

    exports io.winipc;
    exports io.winipc.channel;
    exports io.winipc.pipe;
    exports io.winipc.shm;
    exports io.winipc.sync;
}
