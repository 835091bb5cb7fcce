package io.winipc.spring.aot;

import java.util.List;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image of a winipc application needs beyond what static analysis finds: JNA's
 * native dispatch library, the JNA classes its native code reaches through JNI, and winipc's own
 * bindings, which JNA inspects reflectively (direct-mapped classes) or implements as proxies
 * (interface-mapped libraries). Listed in {@code META-INF/spring/aot.factories}.
 *
 * <p>Classes are named by string so that registering the hints loads no native code and works
 * on every OS, whichever backend the image will use.
 */
public class WinipcRuntimeHints implements RuntimeHintsRegistrar {

    /** JNA's native library, one per OS and architecture, extracted from the jar at run time. */
    public static final String JNA_DISPATCH_RESOURCES = "com/sun/jna/*/*jnidispatch*";

    /** JNA classes whose members JNA's native code looks up through JNI. */
    public static final List<String> JNA_JNI_TYPES = List.of(
            "com.sun.jna.Native", "com.sun.jna.Native$ffi_callback", "com.sun.jna.Pointer", "com.sun.jna.Memory",
            "com.sun.jna.Structure", "com.sun.jna.Structure$ByValue", "com.sun.jna.Structure$FFIType",
            "com.sun.jna.Structure$FFIType$FFITypes", "com.sun.jna.Callback", "com.sun.jna.CallbackReference",
            "com.sun.jna.CallbackReference$AttachOptions", "com.sun.jna.NativeMapped", "com.sun.jna.IntegerType",
            "com.sun.jna.PointerType", "com.sun.jna.WString", "com.sun.jna.FromNativeConverter",
            "com.sun.jna.ToNativeConverter", "com.sun.jna.LastErrorException", "com.sun.jna.ptr.IntByReference",
            "com.sun.jna.ptr.LongByReference", "com.sun.jna.ptr.PointerByReference", "java.lang.Boolean",
            "java.lang.Byte", "java.lang.Character", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
            "java.lang.Float", "java.lang.Double", "java.lang.Void", "java.lang.String", "java.lang.Class",
            "java.lang.reflect.Method", "java.nio.Buffer", "java.nio.ByteBuffer");

    /** winipc's direct-mapped bindings: {@code Native.register} reads their native methods reflectively. */
    public static final List<String> DIRECT_MAPPED_BINDINGS = List.of(
            "io.winipc.internal.linux.LibC",
            "io.winipc.internal.windows.K32");

    /** winipc's interface-mapped bindings: {@code Native.load} implements them with a JDK proxy. */
    public static final List<String> INTERFACE_MAPPED_BINDINGS = List.of(
            "io.winipc.internal.windows.Win32$Kernel32", "io.winipc.internal.windows.Win32$Advapi32",
            "io.winipc.internal.windows.Win32$Ntdll");

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(JNA_DISPATCH_RESOURCES);
        for (String type : JNA_JNI_TYPES) {
            hints.jni().registerType(TypeReference.of(type), MemberCategory.ACCESS_PUBLIC_FIELDS,
                    MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                    MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS,
                    MemberCategory.INVOKE_DECLARED_METHODS);
        }
        for (String type : DIRECT_MAPPED_BINDINGS) {
            hints.reflection().registerType(TypeReference.of(type), MemberCategory.INVOKE_DECLARED_METHODS,
                    MemberCategory.ACCESS_DECLARED_FIELDS);
            hints.jni().registerType(TypeReference.of(type), MemberCategory.INVOKE_DECLARED_METHODS);
        }
        for (String type : INTERFACE_MAPPED_BINDINGS) {
            hints.reflection().registerType(TypeReference.of(type), MemberCategory.INVOKE_PUBLIC_METHODS);
            hints.proxies().registerJdkProxy(TypeReference.of(type));
        }
    }
}
